//! Permissions that amount to much more than they say: reading Secrets is
//! reading every token, creating pods is mounting any service account,
//! `escalate`, `bind` and `impersonate` are cluster-admin with extra steps.

use crate::{Role, Rule};

/// A dangerous capability a role grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Danger {
    SecretsRead,
    PodCreate,
    PodExec,
    EscalateBind,
    Impersonate,
    NodesProxy,
    SaTokenCreate,
    CsrApprove,
    WebhookWrite,
    PvCreate,
    NamespaceWrite,
    EventsDelete,
    Wildcard,
    AwsAuthWrite,
}

/// One dangerous capability found in a role: the rule that grants it (the
/// first, for combinations) and what exactly it allows.
#[derive(Debug, Clone)]
pub struct RoleDanger {
    pub danger: Danger,
    pub rule: usize,
    pub detail: String,
    /// For wildcards: whether the wildcard covers resources (not only verbs
    /// on named resources).
    pub broad: bool,
}

fn any_verb(rule: &Rule, verbs: &[&str]) -> Vec<String> {
    verbs
        .iter()
        .filter(|v| rule.allows_verb(v))
        .map(|v| v.to_string())
        .collect()
}

fn on(rule: &Rule, group: &str, resource: &str, sub: Option<&str>) -> bool {
    rule.non_resource_urls.is_empty()
        && rule.allows_group(group)
        && rule.allows_resource(resource, sub)
}

fn short_list(items: &[String]) -> String {
    if items.len() <= 5 {
        items.join(", ")
    } else {
        format!("{}, and {} more", items[..5].join(", "), items.len() - 5)
    }
}

fn names(rule: &Rule) -> String {
    if rule.resource_names.is_empty() {
        String::new()
    } else {
        format!(" (only {})", rule.resource_names.join(", "))
    }
}

/// Whether the role grants every verb on every resource of every group:
/// cluster-admin under another name (when bound cluster-wide).
pub fn is_superuser(role: &Role) -> bool {
    role.rules.iter().any(|r| {
        r.verbs.iter().any(|v| v == "*")
            && r.api_groups.iter().any(|g| g == "*")
            && r.resources.iter().any(|x| x == "*")
            && r.resource_names.is_empty()
    })
}

/// Every dangerous capability of `role`, once per kind.
pub fn role_dangers(role: &Role) -> Vec<RoleDanger> {
    let mut out: Vec<RoleDanger> = Vec::new();
    let mut push = |danger: Danger, rule: usize, detail: String| {
        if !out.iter().any(|d| d.danger == danger) {
            let broad = role
                .rules
                .get(rule)
                .is_some_and(|r| r.resources.iter().any(|x| x == "*"));
            out.push(RoleDanger {
                danger,
                rule,
                detail,
                broad,
            });
        }
    };
    let mut csr_approval = None;
    let mut signer_approve = None;
    for (i, r) in role.rules.iter().enumerate() {
        if !r.non_resource_urls.is_empty() && r.resources.is_empty() {
            continue;
        }
        if (r.verbs.iter().any(|v| v == "*") || r.resources.iter().any(|x| x == "*"))
            && !r.resources.is_empty()
        {
            push(
                Danger::Wildcard,
                i,
                format!(
                    "verbs [{}] on resources [{}] in API groups [{}]",
                    r.verbs.join(", "),
                    short_list(&r.resources),
                    r.api_groups
                        .iter()
                        .map(|g| if g.is_empty() { "core" } else { g.as_str() })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let read = any_verb(r, &["get", "list", "watch"]);
        // Reading a few named Secrets is what many controllers need; the
        // danger is reading any Secret, tokens included.
        if on(r, "", "secrets", None) && !read.is_empty() && r.resource_names.is_empty() {
            push(
                Danger::SecretsRead,
                i,
                format!("{} secrets{}", read.join("/"), names(r)),
            );
        }
        if on(r, "", "pods", None) && r.allows_verb("create") {
            push(Danger::PodCreate, i, "create pods".to_string());
        }
        let workload_verbs = any_verb(r, &["create", "patch", "update"]);
        if !workload_verbs.is_empty() {
            for (group, resource) in [
                ("apps", "deployments"),
                ("apps", "daemonsets"),
                ("apps", "statefulsets"),
                ("apps", "replicasets"),
                ("batch", "jobs"),
                ("batch", "cronjobs"),
                ("", "replicationcontrollers"),
            ] {
                if on(r, group, resource, None) {
                    push(
                        Danger::PodCreate,
                        i,
                        format!("{} {resource}", workload_verbs.join("/")),
                    );
                    break;
                }
            }
        }
        for sub in ["exec", "attach", "portforward"] {
            let verbs = any_verb(r, &["create", "get"]);
            if on(r, "", "pods", Some(sub)) && !verbs.is_empty() {
                push(
                    Danger::PodExec,
                    i,
                    format!("{} pods/{sub}{}", verbs.join("/"), names(r)),
                );
            }
        }
        for (verb, resources) in [
            ("escalate", ["roles", "clusterroles"]),
            ("bind", ["roles", "clusterroles"]),
        ] {
            if r.allows_verb(verb)
                && resources
                    .iter()
                    .any(|res| on(r, "rbac.authorization.k8s.io", res, None))
            {
                push(Danger::EscalateBind, i, format!("{verb} roles{}", names(r)));
            }
        }
        if r.allows_verb("impersonate") {
            let targets: Vec<&str> = [
                ("", "users", "users"),
                ("", "groups", "groups"),
                ("", "serviceaccounts", "service accounts"),
                ("authentication.k8s.io", "uids", "uids"),
                ("authentication.k8s.io", "userextras", "user extras"),
            ]
            .into_iter()
            .filter(|(g, res, _)| {
                on(r, g, res, None)
                    || (*res == "userextras"
                        && r.resources.iter().any(|x| x.starts_with("userextras")))
            })
            .map(|(_, _, label)| label)
            .collect();
            if !targets.is_empty() {
                push(
                    Danger::Impersonate,
                    i,
                    format!("impersonate {}{}", targets.join(", "), names(r)),
                );
            }
        }
        let proxy = any_verb(r, &["get", "create"]);
        if on(r, "", "nodes", Some("proxy")) && !proxy.is_empty() {
            push(
                Danger::NodesProxy,
                i,
                format!("{} nodes/proxy", proxy.join("/")),
            );
        }
        if on(r, "", "serviceaccounts", Some("token")) && r.allows_verb("create") {
            push(
                Danger::SaTokenCreate,
                i,
                format!("create serviceaccounts/token{}", names(r)),
            );
        }
        if on(
            r,
            "certificates.k8s.io",
            "certificatesigningrequests",
            Some("approval"),
        ) && !any_verb(r, &["update", "patch"]).is_empty()
        {
            csr_approval.get_or_insert(i);
        }
        if on(r, "certificates.k8s.io", "signers", None) && r.allows_verb("approve") {
            signer_approve.get_or_insert((i, r.resource_names.clone()));
        }
        let hook_verbs = any_verb(r, &["create", "update", "patch", "delete"]);
        if !hook_verbs.is_empty()
            && [
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
                "validatingadmissionpolicies",
                "validatingadmissionpolicybindings",
            ]
            .iter()
            .any(|res| on(r, "admissionregistration.k8s.io", res, None))
        {
            push(
                Danger::WebhookWrite,
                i,
                format!(
                    "{} admission webhook or policy configurations",
                    hook_verbs.join("/")
                ),
            );
        }
        if on(r, "", "persistentvolumes", None) && r.allows_verb("create") {
            push(Danger::PvCreate, i, "create persistentvolumes".to_string());
        }
        let ns_verbs = any_verb(r, &["patch", "update"]);
        if on(r, "", "namespaces", None) && !ns_verbs.is_empty() {
            push(
                Danger::NamespaceWrite,
                i,
                format!("{} namespaces{}", ns_verbs.join("/"), names(r)),
            );
        }
        let del = any_verb(r, &["delete", "deletecollection"]);
        if !del.is_empty() && (on(r, "", "events", None) || on(r, "events.k8s.io", "events", None))
        {
            push(Danger::EventsDelete, i, format!("{} events", del.join("/")));
        }
        let cm = any_verb(r, &["update", "patch"]);
        if on(r, "", "configmaps", None)
            && !cm.is_empty()
            && (r.resource_names.is_empty() || r.resource_names.iter().any(|n| n == "aws-auth"))
        {
            push(
                Danger::AwsAuthWrite,
                i,
                format!("{} configmaps{}", cm.join("/"), names(r)),
            );
        }
    }
    if let (Some(i), Some((_, signers))) = (csr_approval, signer_approve) {
        let which = if signers.is_empty() {
            "any signer".to_string()
        } else {
            signers.join(", ")
        };
        push(
            Danger::CsrApprove,
            i,
            format!("approve certificate signing requests for {which}"),
        );
    }
    out
}
