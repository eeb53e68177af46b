//! The RBAC model: roles (aggregation resolved, bootstrap roles known),
//! bindings and subjects, with Kubernetes' own matching rules
//! (`k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go`).
//!
//! Everything is data: queries return grants, the checks and the CLI format
//! them.

mod bootstrap;
pub mod danger;
pub mod identity;

use std::collections::HashMap;

use rampart_model::{Inventory, LabelSelector, Location, Node, ResourceRef};
use serde::Serialize;

pub use bootstrap::DEFAULT_PUBLIC_ROLES;

const RBAC_API: &str = "rbac.authorization.k8s.io/v1";

/// One PolicyRule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
    /// Line of the rule in its file (0 for built-in roles).
    pub line: u32,
}

impl Rule {
    fn from_node(node: &Node) -> Rule {
        let list = |key: &str| -> Vec<String> {
            node.get(key)
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        Rule {
            verbs: list("verbs"),
            api_groups: list("apiGroups"),
            resources: list("resources"),
            resource_names: list("resourceNames"),
            non_resource_urls: list("nonResourceURLs"),
            line: node.line,
        }
    }

    pub fn allows_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == "*" || v == verb)
    }

    pub fn allows_group(&self, group: &str) -> bool {
        self.api_groups.iter().any(|g| g == "*" || g == group)
    }

    /// `ResourceMatches`: `*`, the exact `resource[/subresource]`, or
    /// `*/subresource`. (`pods/*` is not special in Kubernetes.)
    pub fn allows_resource(&self, resource: &str, subresource: Option<&str>) -> bool {
        let combined = match subresource {
            Some(sub) => format!("{resource}/{sub}"),
            None => resource.to_string(),
        };
        self.resources.iter().any(|r| {
            r == "*"
                || *r == combined
                || subresource.is_some_and(|sub| r.strip_prefix("*/") == Some(sub))
        })
    }

    /// `ResourceNameMatches`: no names means every name; a request without a
    /// name (list, watch, create) is not matched by a rule with names.
    pub fn allows_name(&self, name: Option<&str>) -> bool {
        self.resource_names.is_empty()
            || name.is_some_and(|n| self.resource_names.iter().any(|r| r == n))
    }

    pub fn allows_url(&self, url: &str) -> bool {
        self.non_resource_urls.iter().any(|u| {
            u == "*"
                || u == url
                || u.strip_suffix('*')
                    .is_some_and(|prefix| url.starts_with(prefix))
        })
    }

    /// Whether this rule allows a resource request.
    pub fn allows(&self, req: &Request<'_>) -> bool {
        match req.url {
            Some(url) => self.allows_verb(req.verb) && self.allows_url(url),
            None => {
                self.allows_verb(req.verb)
                    && self.allows_group(req.group)
                    && self.allows_resource(req.resource, req.subresource)
                    && self.allows_name(req.name)
            }
        }
    }
}

/// A request to authorize: a resource request, or a non-resource URL.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub verb: &'a str,
    pub group: &'a str,
    pub resource: &'a str,
    pub subresource: Option<&'a str>,
    pub name: Option<&'a str>,
    /// `Some(url)` for a non-resource request such as `/healthz`.
    pub url: Option<&'a str>,
}

/// A Role or ClusterRole.
#[derive(Debug, Clone)]
pub struct Role {
    pub id: ResourceRef,
    pub cluster: bool,
    pub labels: Vec<(String, String)>,
    pub rules: Vec<Rule>,
    /// `None` for built-in roles not defined in the input.
    pub origin: Option<Location>,
    aggregation: Option<Vec<LabelSelector>>,
}

impl Role {
    pub fn builtin(&self) -> bool {
        self.origin.is_none()
    }
}

/// A subject as RBAC writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Subject {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
}

impl Subject {
    pub fn service_account(namespace: &str, name: &str) -> Subject {
        Subject {
            kind: "ServiceAccount".into(),
            namespace: Some(namespace.into()),
            name: name.into(),
        }
    }

    pub fn user(name: &str) -> Subject {
        Subject {
            kind: "User".into(),
            namespace: None,
            name: name.into(),
        }
    }

    pub fn group(name: &str) -> Subject {
        Subject {
            kind: "Group".into(),
            namespace: None,
            name: name.into(),
        }
    }

    /// `sa:NS:NAME`, `user:NAME`, `group:NAME`.
    pub fn parse(spec: &str) -> Result<Subject, String> {
        let bad =
            || format!("`{spec}` is not a subject: use sa:NAMESPACE:NAME, user:NAME or group:NAME");
        let (kind, rest) = spec.split_once(':').ok_or_else(bad)?;
        match kind {
            "sa" | "serviceaccount" => {
                let (ns, name) = rest.split_once(':').ok_or_else(bad)?;
                Ok(Subject::service_account(ns, name))
            }
            "user" => Ok(Subject::user(rest)),
            "group" => Ok(Subject::group(rest)),
            _ => Err(bad()),
        }
    }

    /// How people read it: `ServiceAccount ci/runner`, `User alice`.
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    /// Every identity this subject authenticates as: itself, its user name
    /// and the groups Kubernetes adds implicitly.
    pub fn identities(&self) -> Vec<Subject> {
        let mut out = vec![self.clone()];
        match self.kind.as_str() {
            "ServiceAccount" => {
                let ns = self.namespace.as_deref().unwrap_or("default");
                out.push(Subject::user(&format!(
                    "system:serviceaccount:{ns}:{}",
                    self.name
                )));
                out.push(Subject::group("system:serviceaccounts"));
                out.push(Subject::group(&format!("system:serviceaccounts:{ns}")));
                out.push(Subject::group("system:authenticated"));
            }
            "User" if self.name == "system:anonymous" => {
                out.push(Subject::group("system:unauthenticated"))
            }
            "User" => {
                if let Some(rest) = self.name.strip_prefix("system:serviceaccount:") {
                    if let Some((ns, name)) = rest.split_once(':') {
                        return Subject::service_account(ns, name).identities();
                    }
                }
                out.push(Subject::group("system:authenticated"));
            }
            _ => {}
        }
        out
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub id: ResourceRef,
    /// ClusterRoleBinding: grants everywhere. RoleBinding: only in its namespace.
    pub cluster: bool,
    /// `roleRef.kind` and `roleRef.name`.
    pub role_kind: String,
    pub role_name: String,
    /// The role it refers to, when it exists (in the input or built in).
    pub role: Option<usize>,
    pub subjects: Vec<Subject>,
    pub origin: Option<Location>,
    /// Line of `roleRef`.
    pub role_ref_line: u32,
}

impl Binding {
    /// The namespace grants are limited to (`None`: cluster-wide).
    pub fn scope(&self) -> Option<&str> {
        if self.cluster {
            None
        } else {
            self.id.namespace.as_deref()
        }
    }
}

/// One way a subject holds a permission.
#[derive(Debug, Clone)]
pub struct Grant<'m> {
    pub subject: &'m Subject,
    pub binding: &'m Binding,
    pub role: &'m Role,
    pub rule: &'m Rule,
}

/// Roles and bindings of an inventory, plus the bootstrap policy.
#[derive(Debug, Default)]
pub struct RbacModel {
    pub roles: Vec<Role>,
    pub bindings: Vec<Binding>,
    index: HashMap<(bool, String, String), usize>,
    /// Binding indices per identity, for subject queries.
    by_subject: HashMap<Subject, Vec<usize>>,
}

impl RbacModel {
    /// Build the model. Aggregated ClusterRoles are resolved to a fixpoint
    /// (aggregates of aggregates, as the controller converges to).
    pub fn build(inventory: &Inventory) -> RbacModel {
        let mut model = RbacModel::default();
        for o in inventory
            .objects
            .iter()
            .filter(|o| o.id.group() == "rbac.authorization.k8s.io")
        {
            let cluster = match o.kind() {
                "ClusterRole" => true,
                "Role" => false,
                _ => continue,
            };
            let rules = o
                .root
                .get("rules")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .map(Rule::from_node)
                .collect();
            let aggregation = o
                .root
                .at(&["aggregationRule", "clusterRoleSelectors"])
                .and_then(Node::as_seq)
                .map(|sels| {
                    sels.iter()
                        .map(LabelSelector::from_node)
                        .collect::<Vec<_>>()
                });
            model.add_role(Role {
                id: o.id.clone(),
                cluster,
                labels: pairs(o.labels()),
                rules,
                origin: Some(o.origin.clone()),
                aggregation: aggregation.filter(|_| cluster),
            });
        }
        for b in bootstrap::ROLES {
            if model
                .index
                .contains_key(&(true, String::new(), b.name.to_string()))
            {
                continue; // the input (a live dump) defines it: the input wins
            }
            let rules = b
                .rules
                .iter()
                .map(|(verbs, groups, resources)| Rule {
                    verbs: strings(verbs),
                    api_groups: strings(groups),
                    resources: strings(resources),
                    ..Rule::default()
                })
                .chain(b.non_resource.iter().map(|(verbs, urls)| Rule {
                    verbs: strings(verbs),
                    non_resource_urls: strings(urls),
                    ..Rule::default()
                }))
                .collect();
            let aggregation = (!b.aggregate_from.is_empty()).then(|| {
                vec![LabelSelector {
                    requirements: b
                        .aggregate_from
                        .iter()
                        .map(|(k, v)| {
                            rampart_model::Requirement::Equals(k.to_string(), v.to_string())
                        })
                        .collect(),
                    invalid: false,
                }]
            });
            model.add_role(Role {
                id: ResourceRef {
                    api_version: RBAC_API.into(),
                    kind: "ClusterRole".into(),
                    namespace: None,
                    name: b.name.into(),
                },
                cluster: true,
                labels: b
                    .labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                rules,
                origin: None,
                aggregation,
            });
        }
        model.aggregate();

        for o in inventory
            .objects
            .iter()
            .filter(|o| o.id.group() == "rbac.authorization.k8s.io")
        {
            let cluster = match o.kind() {
                "ClusterRoleBinding" => true,
                "RoleBinding" => false,
                _ => continue,
            };
            let role_ref = o.root.get("roleRef").unwrap_or(Node::null());
            let role_kind = role_ref
                .get("kind")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            let role_name = role_ref
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            let ns = o.id.namespace.clone().unwrap_or_default();
            let subjects = o
                .root
                .get("subjects")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|s| subject(s, &ns))
                .collect();
            model.add_binding(Binding {
                id: o.id.clone(),
                cluster,
                role_kind,
                role_name,
                role: None,
                subjects,
                origin: Some(o.origin.clone()),
                role_ref_line: o.line_of(role_ref),
            });
        }
        for b in bootstrap::BINDINGS {
            let present = model
                .bindings
                .iter()
                .any(|x| x.cluster && x.id.name == b.name);
            if present {
                continue;
            }
            model.add_binding(Binding {
                id: ResourceRef {
                    api_version: RBAC_API.into(),
                    kind: "ClusterRoleBinding".into(),
                    namespace: None,
                    name: b.name.into(),
                },
                cluster: true,
                role_kind: "ClusterRole".into(),
                role_name: b.role.into(),
                role: None,
                subjects: b
                    .subjects
                    .iter()
                    .map(|(kind, name)| Subject {
                        kind: kind.to_string(),
                        namespace: None,
                        name: name.to_string(),
                    })
                    .collect(),
                origin: None,
                role_ref_line: 0,
            });
        }
        for i in 0..model.bindings.len() {
            let b = &model.bindings[i];
            // A RoleBinding may point at a Role of its namespace or a ClusterRole;
            // a ClusterRoleBinding only at a ClusterRole.
            let key = match b.role_kind.as_str() {
                "ClusterRole" => Some((true, String::new(), b.role_name.clone())),
                "Role" if !b.cluster => Some((
                    false,
                    b.id.namespace.clone().unwrap_or_default(),
                    b.role_name.clone(),
                )),
                _ => None,
            };
            let role = key.and_then(|k| model.index.get(&k).copied());
            model.bindings[i].role = role;
        }
        for (i, b) in model.bindings.iter().enumerate() {
            for s in &b.subjects {
                model.by_subject.entry(s.clone()).or_default().push(i);
            }
        }
        model
    }

    fn add_role(&mut self, role: Role) {
        let key = (
            role.cluster,
            role.id.namespace.clone().unwrap_or_default(),
            role.id.name.clone(),
        );
        self.index.insert(key, self.roles.len());
        self.roles.push(role);
    }

    fn add_binding(&mut self, binding: Binding) {
        self.bindings.push(binding);
    }

    /// Resolve aggregationRules: each aggregated ClusterRole gets the rules
    /// of every other ClusterRole its selectors match, repeated until
    /// nothing changes (roles aggregating aggregated roles).
    fn aggregate(&mut self) {
        let aggregated: Vec<usize> = (0..self.roles.len())
            .filter(|&i| self.roles[i].aggregation.is_some())
            .collect();
        if aggregated.is_empty() {
            return;
        }
        let own: Vec<Vec<Rule>> = self.roles.iter().map(|r| r.rules.clone()).collect();
        let sources: Vec<Vec<usize>> = aggregated
            .iter()
            .map(|&i| {
                let sels = self.roles[i].aggregation.as_deref().unwrap_or(&[]);
                (0..self.roles.len())
                    .filter(|&j| {
                        j != i
                            && self.roles[j].cluster
                            && sels.iter().any(|s| s.matches_pairs(&self.roles[j].labels))
                    })
                    .collect()
            })
            .collect();
        // Bounded: every pass either adds a rule or stops.
        for _ in 0..=aggregated.len() {
            let mut changed = false;
            for (k, &i) in aggregated.iter().enumerate() {
                let mut rules = own[i].clone();
                for &j in &sources[k] {
                    for r in &self.roles[j].rules {
                        if !rules.contains(r) {
                            rules.push(r.clone());
                        }
                    }
                }
                if rules.len() != self.roles[i].rules.len() {
                    self.roles[i].rules = rules;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The role a binding grants, if it exists.
    pub fn role_of(&self, binding: &Binding) -> Option<&Role> {
        binding.role.map(|i| &self.roles[i])
    }

    /// Find a role by kind, namespace and name.
    pub fn find_role(&self, cluster: bool, namespace: &str, name: &str) -> Option<&Role> {
        self.index
            .get(&(
                cluster,
                if cluster {
                    String::new()
                } else {
                    namespace.to_string()
                },
                name.to_string(),
            ))
            .map(|&i| &self.roles[i])
    }

    /// Who can perform `req` in `namespace` (`None`: the request is for a
    /// cluster-scoped resource or non-resource URL, which only
    /// ClusterRoleBindings grant; `Some("*")`: in any namespace, every
    /// binding counts and the caller reads each grant's scope).
    pub fn who_can<'m>(&'m self, req: &Request<'_>, namespace: Option<&str>) -> Vec<Grant<'m>> {
        let mut cache: HashMap<usize, Option<usize>> = HashMap::new();
        let mut out = Vec::new();
        for b in &self.bindings {
            let in_scope = match (namespace, b.scope()) {
                (_, None) => true,
                (Some("*"), Some(_)) => req.url.is_none(),
                (Some(ns), Some(scope)) => ns == scope && req.url.is_none(),
                (None, Some(_)) => false,
            };
            let Some(ri) = b.role.filter(|_| in_scope) else {
                continue;
            };
            let role = &self.roles[ri];
            // Scope was checked above, so whether the role allows the
            // request depends on the role only.
            let rule = *cache
                .entry(ri)
                .or_insert_with(|| role.rules.iter().position(|r| r.allows(req)));
            let Some(rule) = rule else { continue };
            for s in &b.subjects {
                out.push(Grant {
                    subject: s,
                    binding: b,
                    role,
                    rule: &role.rules[rule],
                });
            }
        }
        out
    }

    /// Every binding that applies to `subject` (directly or through its
    /// user name and implicit groups), with its role.
    pub fn bindings_of<'m>(
        &'m self,
        subject: &Subject,
    ) -> Vec<(&'m Subject, &'m Binding, Option<&'m Role>)> {
        let mut out = Vec::new();
        for identity in subject.identities() {
            let Some((key, list)) = self.by_subject.get_key_value(&identity) else {
                continue;
            };
            for &i in list {
                let b = &self.bindings[i];
                out.push((key, b, self.role_of(b)));
            }
        }
        out
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn pairs(labels: &Node) -> Vec<(String, String)> {
    labels
        .string_map()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn subject(node: &Node, binding_ns: &str) -> Option<Subject> {
    let kind = node.get("kind").and_then(Node::as_str)?;
    let name = node.get("name").and_then(Node::as_str)?.to_string();
    match kind {
        "ServiceAccount" => Some(Subject {
            kind: kind.into(),
            namespace: Some(
                node.get("namespace")
                    .and_then(Node::as_str)
                    .filter(|s| !s.is_empty())
                    .unwrap_or(binding_ns)
                    .to_string(),
            ),
            name,
        }),
        "User" | "Group" => Some(Subject {
            kind: kind.into(),
            namespace: None,
            name,
        }),
        _ => None,
    }
}

/// The API group of common resources, for queries written as kubectl does
/// (`pods`, `deployments`, or `deployments.apps`).
pub fn resource_group(resource: &str) -> (&str, &str) {
    if let Some((res, group)) = resource.split_once('.') {
        return (res, group);
    }
    let group = match resource {
        "deployments" | "statefulsets" | "daemonsets" | "replicasets" | "controllerrevisions" => {
            "apps"
        }
        "jobs" | "cronjobs" => "batch",
        "roles" | "rolebindings" | "clusterroles" | "clusterrolebindings" => {
            "rbac.authorization.k8s.io"
        }
        "ingresses" | "networkpolicies" | "ingressclasses" => "networking.k8s.io",
        "certificatesigningrequests" => "certificates.k8s.io",
        "mutatingwebhookconfigurations"
        | "validatingwebhookconfigurations"
        | "validatingadmissionpolicies" => "admissionregistration.k8s.io",
        "horizontalpodautoscalers" => "autoscaling",
        "poddisruptionbudgets" => "policy",
        "customresourcedefinitions" => "apiextensions.k8s.io",
        "storageclasses" | "csidrivers" | "volumeattachments" => "storage.k8s.io",
        "leases" => "coordination.k8s.io",
        "endpointslices" => "discovery.k8s.io",
        "tokenreviews" => "authentication.k8s.io",
        "subjectaccessreviews" | "selfsubjectaccessreviews" | "localsubjectaccessreviews" => {
            "authorization.k8s.io"
        }
        _ => "",
    };
    (resource, group)
}
