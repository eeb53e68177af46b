//! Identity: what RBAC really grants, who holds it, and which workloads
//! carry that power; static cloud credentials.

use std::collections::{BTreeSet, HashMap};

use rampart_model::{Location, Severity};
use rampart_rbac::danger::Danger;
use rampart_rbac::{Binding, Subject};

use crate::check::Emitter;
use crate::rules::workload::default_service_account::service_account;

pub mod anonymous_binding;
pub mod aws_auth_write;
pub mod binding_missing_role;
pub mod cloud_static_credentials;
pub mod cluster_admin_binding;
pub mod csr_approve;
pub mod default_sa_binding;
pub mod escalate_bind;
pub mod events_delete;
pub mod impersonate;
pub mod namespace_write;
pub mod nodes_proxy;
pub mod pod_create;
pub mod pod_exec;
pub mod pv_create;
pub mod sa_token_create;
pub mod secrets_read;
pub mod webhook_write;
pub mod wildcard;

/// Workloads per service account, and per namespace (built once per scan,
/// see [`crate::Context::workloads`]).
pub(crate) struct Workloads {
    by_sa: HashMap<(String, String), Vec<String>>,
    by_ns: HashMap<String, Vec<String>>,
    all: Vec<String>,
    /// `all`, sorted and without repeats.
    all_sorted: Vec<String>,
}

impl Workloads {
    pub fn build(ctx: &crate::Context<'_>) -> Workloads {
        let mut w = Workloads {
            by_sa: HashMap::new(),
            by_ns: HashMap::new(),
            all: Vec::new(),
            all_sorted: Vec::new(),
        };
        for pod in ctx.pods() {
            let ns = pod.object.id.namespace.clone().unwrap_or_default();
            let (sa, _) = service_account(pod);
            let name = pod.object.id.display();
            w.by_sa
                .entry((ns.clone(), sa.to_string()))
                .or_default()
                .push(name.clone());
            w.by_ns.entry(ns).or_default().push(name.clone());
            w.all.push(name);
        }
        w.all_sorted = w.all.clone();
        w.all_sorted.sort();
        w.all_sorted.dedup();
        w
    }

    pub fn of<'a>(emit: &Emitter<'a>) -> &'a Workloads {
        emit.context().workloads()
    }

    /// Workloads that run as `subject` (or as a member of the group).
    pub fn of_subject(&self, s: &Subject) -> &[String] {
        if self.is_everyone(s) {
            return &self.all;
        }
        match (s.kind.as_str(), s.name.as_str()) {
            ("ServiceAccount", name) => self
                .by_sa
                .get(&(s.namespace.clone().unwrap_or_default(), name.to_string()))
                .map_or(&[], Vec::as_slice),
            ("Group", g) => g
                .strip_prefix("system:serviceaccounts:")
                .and_then(|ns| self.by_ns.get(ns))
                .map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    fn is_everyone(&self, s: &Subject) -> bool {
        s.kind == "Group"
            && matches!(
                s.name.as_str(),
                "system:serviceaccounts" | "system:authenticated"
            )
    }

    /// The first `max` workloads, sorted, that run as one of `subjects`.
    pub fn first_of<'s>(
        &self,
        subjects: impl Iterator<Item = &'s Subject>,
        max: usize,
    ) -> Vec<String> {
        let mut set: BTreeSet<&str> = BTreeSet::new();
        for s in subjects {
            if self.is_everyone(s) {
                // Every workload: no need to look at the others.
                return self.all_sorted.iter().take(max).cloned().collect();
            }
            set.extend(self.of_subject(s).iter().map(String::as_str));
        }
        set.into_iter().take(max).map(str::to_string).collect()
    }
}

/// Where a set of bindings grants: everywhere, or in some namespaces.
pub(crate) fn scope_of(bindings: &[&Binding]) -> (bool, Vec<String>) {
    let cluster = bindings.iter().any(|b| b.cluster);
    let namespaces: BTreeSet<String> = bindings
        .iter()
        .filter_map(|b| b.scope().map(str::to_string))
        .collect();
    (cluster, namespaces.into_iter().collect())
}

pub(crate) fn describe_scope(cluster: bool, namespaces: &[String]) -> String {
    if cluster {
        "cluster-wide".to_string()
    } else {
        format!(
            "in namespace{} {}",
            if namespaces.len() > 1 { "s" } else { "" },
            namespaces.join(", ")
        )
    }
}

fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// Report every role (or, for built-in roles, every binding of the input)
/// that grants `danger`. `severity(cluster, namespaces)` picks the severity
/// by scope; `consequence(cluster)` says what an attacker can do with it.
pub(crate) fn report(
    emit: &mut Emitter<'_>,
    danger: Danger,
    binding_filter: fn(&Binding) -> bool,
    severity: fn(bool, &[String]) -> Option<Severity>,
    consequence: fn(bool) -> &'static str,
) {
    report_detailed(emit, danger, binding_filter, severity, |cluster, _| {
        consequence(cluster)
    })
}

/// `report`, for checks whose consequence depends on what exactly the role
/// grants: `consequence(cluster, detail)` gets the grant as the finding
/// words it (`get pods/portforward`, `impersonate service accounts`).
pub(crate) fn report_detailed(
    emit: &mut Emitter<'_>,
    danger: Danger,
    binding_filter: fn(&Binding) -> bool,
    severity: fn(bool, &[String]) -> Option<Severity>,
    consequence: impl Fn(bool, &str) -> &'static str,
) {
    let ctx = emit.context();
    let model = ctx.rbac();
    let dangers = ctx.dangers();
    let workloads = Workloads::of(emit);
    let mut bindings_by_role: HashMap<usize, Vec<&Binding>> = HashMap::new();
    for b in &model.bindings {
        // Built-in bindings (system:masters and friends) are the cluster's defaults.
        if b.origin.is_none() || b.subjects.is_empty() || !binding_filter(b) {
            continue;
        }
        if let Some(r) = b.role {
            bindings_by_role.entry(r).or_default().push(b);
        }
    }
    let mut roles: Vec<&usize> = bindings_by_role.keys().collect();
    roles.sort();
    for &ri in roles {
        let Some(d) = dangers[ri].iter().find(|d| d.danger == danger) else {
            continue;
        };
        let role = &model.roles[ri];
        // A role that grants everything is reported once, as what it is:
        // rbac-wildcard for roles of the input, rbac-cluster-admin-binding
        // for the built-in cluster-admin; not once per dangerous verb.
        let superuser = rampart_rbac::danger::is_superuser(role);
        if superuser && (danger != Danger::Wildcard || role.builtin()) {
            continue;
        }
        let bindings = &bindings_by_role[&ri];
        let groups: Vec<(&Binding, Vec<&Binding>)> = match &role.origin {
            // A role of the input: one finding on the role, naming every holder.
            Some(_) => vec![(bindings[0], bindings.clone())],
            // A built-in role: one finding per binding of the input.
            None => bindings.iter().map(|b| (*b, vec![*b])).collect(),
        };
        for (first, group) in groups {
            let (cluster, namespaces) = scope_of(&group);
            let subjects: Vec<String> = group
                .iter()
                .flat_map(|b| b.subjects.iter().map(Subject::display))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let carriers = workloads.first_of(group.iter().flat_map(|b| b.subjects.iter()), 50);
            let held = if carriers.is_empty() {
                String::new()
            } else {
                format!(" Workloads holding it: {}.", list(&carriers, 5))
            };
            let consequence = if superuser && cluster {
                "it is cluster-admin under another name"
            } else if superuser {
                "it is every permission in the namespace, Secrets, pods and RBAC included"
            } else {
                consequence(cluster, &d.detail)
            };
            let message = format!(
                "{} {} grants {} {} to {}: {}.{held}",
                role.id.kind,
                role.id.name,
                d.detail,
                describe_scope(cluster, &namespaces),
                list(&subjects, 4),
                consequence,
            );
            let (resource, path, location) = match &role.origin {
                Some(origin) => {
                    let line = role.rules.get(d.rule).map_or(origin.line, |r| {
                        if r.line > 0 {
                            r.line
                        } else {
                            origin.line
                        }
                    });
                    (
                        role.id.clone(),
                        format!("rules[{}]", d.rule),
                        Location {
                            file: origin.file.clone(),
                            line,
                        },
                    )
                }
                None => {
                    let origin = first.origin.clone().unwrap_or(Location {
                        file: "".into(),
                        line: 0,
                    });
                    let line = if first.role_ref_line > 0 {
                        first.role_ref_line
                    } else {
                        origin.line
                    };
                    (
                        first.id.clone(),
                        "roleRef".to_string(),
                        Location {
                            file: origin.file,
                            line,
                        },
                    )
                }
            };
            let severity = if superuser {
                Some(Severity::Critical)
            } else if danger == Danger::Wildcard && !d.broad {
                Some(Severity::Medium) // `*` verbs on named resources only
            } else {
                severity(cluster, &namespaces)
            };
            emit.severity(severity)
                .resource(resource, path, location, message);
        }
    }
}

pub(crate) fn any_binding(_: &Binding) -> bool {
    true
}

/// ClusterRoleBindings only: for permissions on cluster-scoped resources
/// (nodes, PersistentVolumes, CSRs and signers, webhook configurations),
/// which a RoleBinding cannot grant even when it refers to a ClusterRole.
pub(crate) fn cluster_binding(b: &Binding) -> bool {
    b.cluster
}

pub(crate) fn fixed(_: bool, _: &[String]) -> Option<Severity> {
    None
}

pub(crate) fn secrets_severity(cluster: bool, namespaces: &[String]) -> Option<Severity> {
    (cluster || namespaces.iter().any(|n| n == "kube-system")).then_some(Severity::Critical)
}

pub(crate) fn podcreate_severity(cluster: bool, namespaces: &[String]) -> Option<Severity> {
    (cluster || namespaces.iter().any(|n| n == "kube-system")).then_some(Severity::Critical)
}

/// Bindings whose grants reach the kube-system namespace.
pub(crate) fn kube_system_scope(b: &Binding) -> bool {
    b.scope().is_none_or(|ns| ns == "kube-system")
}

/// Whether the input is an EKS cluster: the aws-auth ConfigMap, IRSA
/// annotations or EKS node labels are present.
pub(crate) fn is_eks(inventory: &rampart_model::Inventory) -> bool {
    inventory.objects.iter().any(|o| {
        (o.kind() == "ConfigMap"
            && o.id.name == "aws-auth"
            && o.id.namespace.as_deref() == Some("kube-system"))
            || o.annotations().get("eks.amazonaws.com/role-arn").is_some()
            || o.labels()
                .as_map()
                .is_some_and(|l| l.iter().any(|(k, _)| k.starts_with("eks.amazonaws.com/")))
    })
}

/// Severities and messages of the identity checks on their fixtures (the
/// fixture harness checks where findings are, not how severe).
#[cfg(test)]
mod tests {
    use rampart_model::{Config, Date, Finding, Severity};

    use crate::{run_on, REGISTRY};

    fn run(check: &str, fixture: &str) -> Vec<Finding> {
        let path = format!("{}/fixtures/{check}/{fixture}", env!("CARGO_MANIFEST_DIR"));
        let inventory = rampart_load::load(&[path], &rampart_load::LoadOptions::default());
        assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
        let checks: Vec<_> = REGISTRY
            .iter()
            .copied()
            .filter(|c| c.meta.id == check)
            .collect();
        assert_eq!(checks.len(), 1, "{check}");
        let today = Date {
            year: 2026,
            month: 6,
            day: 1,
        };
        run_on(&inventory, &Config::default(), today, &checks)
    }

    /// The severities of the findings on the resource named `name`.
    fn severities(findings: &[Finding], name: &str) -> Vec<Severity> {
        let mut out: Vec<Severity> = findings
            .iter()
            .filter(|f| f.resource.name == name)
            .map(|f| f.severity)
            .collect();
        out.sort();
        out
    }

    fn message<'f>(findings: &'f [Finding], name: &str) -> &'f str {
        &findings
            .iter()
            .find(|f| f.resource.name == name)
            .unwrap_or_else(|| panic!("no finding on {name}"))
            .message
    }

    #[test]
    fn wildcard_severities() {
        let f = run("rbac-wildcard", "fail.yaml");
        assert_eq!(severities(&f, "platform-root"), [Severity::Critical]);
        assert!(message(&f, "platform-root").contains("cluster-admin under another name"));
        assert_eq!(severities(&f, "apps-reader"), [Severity::High]);
        assert_eq!(severities(&f, "widget-operator"), [Severity::Medium]);
        // Everything in one namespace: critical, but not called cluster-admin.
        assert_eq!(severities(&f, "namespace-root"), [Severity::Critical]);
        let m = message(&f, "namespace-root");
        assert!(m.contains("in namespace team-a"), "{m}");
        assert!(!m.contains("cluster-admin"), "{m}");
    }

    #[test]
    fn a_role_granting_everything_is_reported_by_rbac_wildcard_only() {
        let path = format!(
            "{}/fixtures/rbac-wildcard/fail.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let inventory = rampart_load::load(&[path], &rampart_load::LoadOptions::default());
        let checks: Vec<_> = REGISTRY
            .iter()
            .copied()
            .filter(|c| c.meta.id.starts_with("rbac-"))
            .collect();
        let today = Date {
            year: 2026,
            month: 6,
            day: 1,
        };
        let findings = run_on(&inventory, &Config::default(), today, &checks);
        for name in ["platform-root", "namespace-root"] {
            let by: Vec<&str> = findings
                .iter()
                .filter(|f| f.resource.name == name)
                .map(|f| f.check)
                .collect();
            assert_eq!(by, ["rbac-wildcard"], "{name}");
        }
    }

    #[test]
    fn secrets_read_severity_follows_scope() {
        let f = run("rbac-secrets-read", "fail.yaml");
        // Bound cluster-wide (and in team-a): one finding naming both holders.
        assert_eq!(severities(&f, "secret-reader"), [Severity::Critical]);
        let m = message(&f, "secret-reader");
        assert!(m.contains("cluster-wide"), "{m}");
        assert!(
            m.contains("ServiceAccount ops/backup") && m.contains("User jane"),
            "{m}"
        );
        assert_eq!(severities(&f, "list-secrets"), [Severity::High]);
        assert!(message(&f, "list-secrets").contains("ServiceAccount team-b/app"));
        // Built-in roles are reported on their bindings.
        assert_eq!(severities(&f, "dev-edit"), [Severity::High]);
        assert_eq!(severities(&f, "ops-admin"), [Severity::Critical]);
        assert!(message(&f, "dev-edit").starts_with("ClusterRole edit grants"));
    }

    #[test]
    fn pod_create_in_kube_system_is_critical() {
        let f = run("rbac-pod-create", "fail.yaml");
        assert_eq!(severities(&f, "pod-launcher"), [Severity::Critical]);
        assert_eq!(severities(&f, "deployer"), [Severity::High]);
        assert_eq!(severities(&f, "job-runner"), [Severity::Critical]);
    }

    #[test]
    fn anonymous_binding_severities() {
        let f = run("rbac-anonymous-binding", "fail.yaml");
        assert_eq!(severities(&f, "public-view"), [Severity::Critical]);
        assert_eq!(severities(&f, "everyone-reads-config"), [Severity::High]);
        assert_eq!(
            severities(&f, "status-page"),
            [Severity::High, Severity::Critical]
        );
    }

    #[test]
    fn port_forward_alone_runs_no_command() {
        let f = run("rbac-pod-exec", "fail.yaml");
        let m = message(&f, "tunnel-only");
        assert!(m.contains("connects to any port of any pod"), "{m}");
        assert!(!m.contains("runs commands"), "{m}");
        assert!(message(&f, "attacher").contains("runs commands in any pod"));
    }

    #[test]
    fn impersonating_service_accounts_is_not_system_masters() {
        let f = run("rbac-impersonate", "fail.yaml");
        let m = message(&f, "contractors-edit");
        assert!(m.contains("any service account of the cluster"), "{m}");
        assert!(!m.contains("system:masters"), "{m}");
        assert!(message(&f, "impersonator").contains("system:masters"));
    }

    #[test]
    fn cluster_admin_binding_severities() {
        let f = run("rbac-cluster-admin-binding", "fail.yaml");
        assert_eq!(severities(&f, "admins"), [Severity::High, Severity::High]);
        assert_eq!(severities(&f, "gitops-admin"), [Severity::Critical]);
        assert_eq!(
            severities(&f, "ci-admin"),
            [Severity::Critical, Severity::Critical]
        );
        let ci: Vec<&str> = f
            .iter()
            .filter(|x| x.resource.name == "ci-admin")
            .map(|x| x.message.as_str())
            .collect();
        assert!(
            ci.iter().any(|m| m.contains("ServiceAccount ci/runner")),
            "{ci:?}"
        );
        assert!(
            ci.iter()
                .any(|m| m.contains("Group system:serviceaccounts")),
            "{ci:?}"
        );
    }

    #[test]
    fn cloud_credentials_are_named() {
        let f = run("cloud-static-credentials", "fail.yaml");
        let kinds: Vec<&str> = f.iter().map(|x| x.message.as_str()).collect();
        assert!(
            kinds.iter().any(|m| m.contains("an AWS access key id")),
            "{kinds:?}"
        );
        assert!(
            kinds.iter().any(|m| m.contains("an AWS secret access key")),
            "{kinds:?}"
        );
        assert!(
            kinds.iter().any(|m| m.contains("an AWS credentials file")),
            "{kinds:?}"
        );
        assert!(
            kinds
                .iter()
                .any(|m| m.contains("container \"uploader\" env AWS_ACCESS_KEY_ID")),
            "{kinds:?}"
        );
    }
}
