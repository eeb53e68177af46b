//! Permissions that amount to much more than they say: reading Secrets is
//! reading every token, creating pods is mounting any service account,
//! `escalate`, `bind` and `impersonate` are cluster-admin with extra steps.

use crate::{Role, Rule};

/// Built-in roles whose binding is an escalation in itself (with `bind`
/// limited to them by resourceNames).
const POWERFUL_ROLES: &[&str] = &["cluster-admin", "admin", "edit"];

/// Signers whose certificates the API server accepts as client
/// certificates (`kubernetes.io/*` covers them all).
const CLIENT_SIGNERS: &[&str] = &[
    "kubernetes.io/*",
    "kubernetes.io/kube-apiserver-client",
    "kubernetes.io/kube-apiserver-client-kubelet",
    "kubernetes.io/legacy-unknown",
];

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

/// Like `any_verb`, for requests on the resource itself (not a
/// subresource): a rule with `resourceNames` grants no `create`, `list`,
/// `watch` or `deletecollection`, whose requests carry no name.
fn named_verbs(rule: &Rule, verbs: &[&str]) -> Vec<String> {
    let nameless = ["create", "list", "watch", "deletecollection"];
    any_verb(rule, verbs)
        .into_iter()
        .filter(|v| rule.resource_names.is_empty() || !nameless.contains(&v.as_str()))
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
    // Creating a Secret of type kubernetes.io/service-account-token that
    // names a service account makes the token controller write a token for
    // that account into it: with read access too, a way to mint tokens.
    let mut secret_create = None;
    // Reading any Secret; or reading named Secrets the role may also delete
    // (the holder deletes one, creates a token Secret of that name, reads it).
    let mut reads_secrets = false;
    let mut named_reads: Vec<&str> = Vec::new();
    let mut deletes_any_secret = false;
    let mut named_deletes: Vec<&str> = Vec::new();
    // create on serviceaccounts/token: the rule, and whether it names accounts.
    let mut token_create: Option<(usize, bool)> = None;
    // Signers the role may approve for: `None` for any signer.
    let mut signers: Option<Vec<String>> = Some(Vec::new());
    let mut signer_approve = false;
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
            reads_secrets = true;
            push(
                Danger::SecretsRead,
                i,
                format!("{} secrets{}", read.join("/"), names(r)),
            );
        }
        if on(r, "", "secrets", None) && !named_verbs(r, &["create"]).is_empty() {
            secret_create.get_or_insert(i);
        }
        if on(r, "", "secrets", None) {
            let names: Vec<&str> = r.resource_names.iter().map(String::as_str).collect();
            if !read.is_empty() && !names.is_empty() {
                named_reads.extend(&names);
            }
            if r.allows_verb("delete") {
                if names.is_empty() {
                    deletes_any_secret = true;
                } else {
                    named_deletes.extend(&names);
                }
            }
        }
        if on(r, "", "pods", None) && !named_verbs(r, &["create"]).is_empty() {
            push(Danger::PodCreate, i, "create pods".to_string());
        }
        // Patching one named Deployment is still writing its pod template:
        // any image, any service account of the namespace.
        let workload_verbs = named_verbs(r, &["create", "patch", "update"]);
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
                        format!("{} {resource}{}", workload_verbs.join("/"), names(r)),
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
        for verb in ["escalate", "bind"] {
            if !(r.allows_verb(verb)
                && ["roles", "clusterroles"]
                    .iter()
                    .any(|res| on(r, "rbac.authorization.k8s.io", res, None)))
            {
                continue;
            }
            // `bind` limited by resourceNames hands out only the named roles
            // (what the remediation recommends); it stays a finding when one
            // of them is a built-in role that is power in itself. `escalate`
            // on a named role still lets the holder rewrite that role.
            if verb == "bind"
                && !r.resource_names.is_empty()
                && !r
                    .resource_names
                    .iter()
                    .any(|n| POWERFUL_ROLES.contains(&n.as_str()))
            {
                continue;
            }
            push(Danger::EscalateBind, i, format!("{verb} roles{}", names(r)));
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
                        && r.non_resource_urls.is_empty()
                        && r.allows_group(g)
                        && r.resources.iter().any(|x| x.starts_with("userextras/")))
            })
            .map(|(_, _, label)| label)
            .collect();
            // The API server refuses uid, group or extra impersonation without
            // a user (or service account) to impersonate: uids and extras
            // alone grant nothing. Groups alone are kept: combined with any
            // user impersonation they are system:masters.
            if targets
                .iter()
                .any(|t| matches!(*t, "users" | "groups" | "service accounts"))
            {
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
            // A rule for any account wins over one for named accounts.
            if token_create.is_none_or(|(_, named)| named && r.resource_names.is_empty()) {
                token_create = Some((i, !r.resource_names.is_empty()));
            }
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
            signer_approve = true;
            if r.resource_names.is_empty() {
                signers = None;
            } else if let Some(list) = &mut signers {
                list.extend(r.resource_names.iter().cloned());
            }
        }
        let hook_verbs = named_verbs(r, &["create", "update", "patch", "delete"]);
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
                    "{} admission webhook or policy configurations{}",
                    hook_verbs.join("/"),
                    names(r)
                ),
            );
        }
        if on(r, "", "persistentvolumes", None) && !named_verbs(r, &["create"]).is_empty() {
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
        let del = named_verbs(r, &["delete", "deletecollection"]);
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
    // Only the kubernetes.io client signers turn an approval into a client
    // certificate the API server trusts; approving for a custom signer
    // (`example.com/...`) issues nothing the API server accepts.
    let which = match signers {
        None => Some("any signer".to_string()),
        Some(list) => {
            let client: Vec<&str> = list
                .iter()
                .map(String::as_str)
                .filter(|s| CLIENT_SIGNERS.contains(s))
                .collect();
            (!client.is_empty()).then(|| client.join(", "))
        }
    };
    // Minting tokens: create on serviceaccounts/token for any account first,
    // then through a token Secret (any account of the scope), then for the
    // named accounts only.
    let reachable_by_name = named_reads
        .iter()
        .any(|n| deletes_any_secret || named_deletes.contains(n));
    let through_secret = secret_create.filter(|_| reads_secrets || reachable_by_name);
    let token_detail = |i: usize| format!("create serviceaccounts/token{}", names(&role.rules[i]));
    match (token_create, through_secret) {
        (Some((i, false)), _) | (Some((i, true)), None) => {
            push(Danger::SaTokenCreate, i, token_detail(i))
        }
        (_, Some(i)) => push(
            Danger::SaTokenCreate,
            i,
            if reads_secrets {
                "create and read secrets (token Secrets)"
            } else {
                "create secrets, and read and delete named ones (token Secrets)"
            }
            .to_string(),
        ),
        (None, None) => {}
    }
    if let (Some(i), true, Some(which)) = (csr_approval, signer_approve, which) {
        push(
            Danger::CsrApprove,
            i,
            format!("approve certificate signing requests for {which}"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::ResourceRef;

    fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> Rule {
        let s = |items: &[&str]| items.iter().map(|x| x.to_string()).collect();
        Rule {
            verbs: s(verbs),
            api_groups: s(groups),
            resources: s(resources),
            ..Rule::default()
        }
    }

    fn with_names(mut r: Rule, names: &[&str]) -> Rule {
        r.resource_names = names.iter().map(|x| x.to_string()).collect();
        r
    }

    fn role(rules: Vec<Rule>) -> Role {
        Role {
            id: ResourceRef {
                api_version: "rbac.authorization.k8s.io/v1".into(),
                kind: "ClusterRole".into(),
                namespace: None,
                name: "test".into(),
            },
            cluster: true,
            labels: Vec::new(),
            rules,
            origin: None,
            aggregation: None,
        }
    }

    fn dangers(rules: Vec<Rule>) -> Vec<Danger> {
        let mut out: Vec<Danger> = role_dangers(&role(rules))
            .into_iter()
            .map(|d| d.danger)
            .collect();
        out.sort();
        out
    }

    const RBAC: &str = "rbac.authorization.k8s.io";
    const CERTS: &str = "certificates.k8s.io";

    #[test]
    fn escalate_and_bind() {
        assert_eq!(
            dangers(vec![rule(&["escalate"], &[RBAC], &["clusterroles"])]),
            [Danger::EscalateBind]
        );
        assert_eq!(
            dangers(vec![rule(&["bind"], &[RBAC], &["roles"])]),
            [Danger::EscalateBind]
        );
        // The verbs on the wrong resource or group are nothing.
        assert!(dangers(vec![rule(&["bind"], &[RBAC], &["rolebindings"])]).is_empty());
        assert!(dangers(vec![rule(&["escalate"], &[""], &["roles"])]).is_empty());
        // Plain RBAC writes are checked for escalation by the API server.
        assert!(dangers(vec![rule(
            &["create", "update", "patch"],
            &[RBAC],
            &[
                "roles",
                "rolebindings",
                "clusterroles",
                "clusterrolebindings"
            ]
        )])
        .is_empty());
        // bind limited to named roles hands out only those roles...
        assert!(dangers(vec![with_names(
            rule(&["bind"], &[RBAC], &["clusterroles"]),
            &["view", "team-reader"]
        )])
        .is_empty());
        // ...unless one is a built-in power role.
        let d = role_dangers(&role(vec![with_names(
            rule(&["bind"], &[RBAC], &["clusterroles"]),
            &["view", "cluster-admin"],
        )]));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].detail.contains("only view, cluster-admin"),
            "{}",
            d[0].detail
        );
        // escalate on a named role still rewrites that role.
        assert_eq!(
            dangers(vec![with_names(
                rule(&["escalate"], &[RBAC], &["clusterroles"]),
                &["my-role"]
            )]),
            [Danger::EscalateBind]
        );
    }

    #[test]
    fn impersonation_subsets() {
        let detail = |rules| {
            role_dangers(&role(rules))
                .into_iter()
                .find(|d| d.danger == Danger::Impersonate)
                .map(|d| d.detail)
        };
        assert_eq!(
            detail(vec![rule(&["impersonate"], &[""], &["users", "groups"])]).as_deref(),
            Some("impersonate users, groups")
        );
        assert_eq!(
            detail(vec![rule(&["impersonate"], &[""], &["serviceaccounts"])]).as_deref(),
            Some("impersonate service accounts")
        );
        assert_eq!(
            detail(vec![with_names(
                rule(&["impersonate"], &[""], &["users"]),
                &["jane"]
            )])
            .as_deref(),
            Some("impersonate users (only jane)")
        );
        // Groups alone are kept: with any user impersonation they are system:masters.
        assert!(detail(vec![rule(&["impersonate"], &[""], &["groups"])]).is_some());
        // uids and extras cannot be impersonated without a user: nothing alone.
        assert!(detail(vec![rule(
            &["impersonate"],
            &["authentication.k8s.io"],
            &["uids", "userextras/scopes"]
        )])
        .is_none());
        // ...but they are listed next to a user.
        let both = detail(vec![
            rule(&["impersonate"], &[""], &["users"]),
            rule(
                &["impersonate"],
                &["authentication.k8s.io"],
                &["userextras/scopes"],
            ),
        ]);
        assert_eq!(both.as_deref(), Some("impersonate users"));
        // users in the wrong group, or another verb, are nothing.
        assert!(detail(vec![rule(
            &["impersonate"],
            &["authentication.k8s.io"],
            &["users"]
        )])
        .is_none());
        assert!(detail(vec![rule(
            &["get", "list"],
            &[""],
            &["users", "serviceaccounts"]
        )])
        .is_none());
        // `*` verbs include impersonate.
        assert!(detail(vec![rule(&["*"], &[""], &["serviceaccounts"])]).is_some());
    }

    #[test]
    fn creating_and_reading_secrets_mints_tokens() {
        let create = rule(&["create"], &[""], &["secrets"]);
        let read = rule(&["get"], &[""], &["secrets"]);
        assert_eq!(
            dangers(vec![create.clone(), read.clone()]),
            [Danger::SecretsRead, Danger::SaTokenCreate]
        );
        // Either alone is not enough.
        assert!(dangers(vec![create.clone()]).is_empty());
        assert_eq!(dangers(vec![read.clone()]), [Danger::SecretsRead]);
        // resourceNames grant no create (the request carries no name).
        assert_eq!(
            dangers(vec![with_names(create.clone(), &["x"]), read.clone()]),
            [Danger::SecretsRead]
        );
        // Reading named Secrets reaches a token Secret only under one of
        // those names, taken once the existing Secret is deleted.
        let named_read = with_names(read.clone(), &["app-tls"]);
        assert!(dangers(vec![create.clone(), named_read.clone()]).is_empty());
        let delete = rule(&["delete"], &[""], &["secrets"]);
        for delete in [delete.clone(), with_names(delete.clone(), &["app-tls"])] {
            assert_eq!(
                dangers(vec![create.clone(), named_read.clone(), delete]),
                [Danger::SaTokenCreate]
            );
        }
        assert!(dangers(vec![
            create.clone(),
            named_read.clone(),
            with_names(delete, &["other"])
        ])
        .is_empty());
        // With both routes, the one for any account is the one described.
        let named_token = with_names(
            rule(&["create"], &[""], &["serviceaccounts/token"]),
            &["builder"],
        );
        let details = |rules| {
            role_dangers(&role(rules))
                .into_iter()
                .filter(|d| d.danger == Danger::SaTokenCreate)
                .map(|d| d.detail)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            details(vec![named_token.clone(), create.clone(), read.clone()]),
            ["create and read secrets (token Secrets)"]
        );
        assert_eq!(
            details(vec![named_token]),
            ["create serviceaccounts/token (only builder)"]
        );
    }

    #[test]
    fn csr_approval_needs_approval_update_and_signer_approve() {
        let approval = rule(
            &["update"],
            &[CERTS],
            &["certificatesigningrequests/approval"],
        );
        let signers = rule(&["approve"], &[CERTS], &["signers"]);
        assert_eq!(
            dangers(vec![approval.clone(), signers.clone()]),
            [Danger::CsrApprove]
        );
        // Either alone is not enough.
        assert!(dangers(vec![approval.clone()]).is_empty());
        assert!(dangers(vec![signers.clone()]).is_empty());
        // update on the CSR itself (not /approval) does not approve.
        assert!(dangers(vec![
            rule(&["update"], &[CERTS], &["certificatesigningrequests"]),
            signers.clone()
        ])
        .is_empty());
        // The client signers (or kubernetes.io/*) by name.
        for signer in ["kubernetes.io/kube-apiserver-client", "kubernetes.io/*"] {
            let d = role_dangers(&role(vec![
                approval.clone(),
                with_names(signers.clone(), &[signer]),
            ]));
            assert_eq!(d.len(), 1, "{signer}");
            assert!(d[0].detail.ends_with(signer));
            assert_eq!(d[0].rule, 0, "points at the approval rule");
        }
        // A custom signer issues nothing the API server trusts.
        assert!(dangers(vec![
            approval.clone(),
            with_names(signers.clone(), &["example.com/internal-ca"])
        ])
        .is_empty());
        // Signer names add up over the role's rules.
        let d = role_dangers(&role(vec![
            with_names(signers.clone(), &["example.com/internal-ca"]),
            approval.clone(),
            with_names(signers.clone(), &["kubernetes.io/kube-apiserver-client"]),
        ]));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].detail,
            "approve certificate signing requests for kubernetes.io/kube-apiserver-client"
        );
        assert_eq!(d[0].rule, 1);
        // patch and `*` work as update does (`*` is a wildcard finding too).
        assert_eq!(
            dangers(vec![
                rule(
                    &["patch"],
                    &[CERTS],
                    &["certificatesigningrequests/approval"]
                ),
                signers.clone()
            ]),
            [Danger::CsrApprove]
        );
        assert_eq!(
            dangers(vec![
                rule(&["*"], &[CERTS], &["certificatesigningrequests/approval"]),
                signers
            ]),
            [Danger::CsrApprove, Danger::Wildcard]
        );
    }

    #[test]
    fn nodes_proxy() {
        assert_eq!(
            dangers(vec![rule(&["get"], &[""], &["nodes/proxy"])]),
            [Danger::NodesProxy]
        );
        assert!(dangers(vec![rule(
            &["get", "list"],
            &[""],
            &["nodes", "nodes/metrics", "nodes/stats"]
        )])
        .is_empty());
        assert!(dangers(vec![rule(&["list", "watch"], &[""], &["nodes/proxy"])]).is_empty());
    }

    #[test]
    fn secrets_read_with_resource_names_is_not_counted() {
        assert_eq!(
            dangers(vec![rule(&["list"], &[""], &["secrets"])]),
            [Danger::SecretsRead]
        );
        assert!(dangers(vec![with_names(
            rule(&["get"], &[""], &["secrets"]),
            &["app-tls"]
        )])
        .is_empty());
        // Writing secrets is not reading them.
        assert!(dangers(vec![rule(&["create", "update"], &[""], &["secrets"])]).is_empty());
        // Secrets of another group are not Secrets.
        assert!(dangers(vec![rule(&["get"], &["example.com"], &["secrets"])]).is_empty());
    }

    #[test]
    fn pods_and_workloads() {
        assert_eq!(
            dangers(vec![rule(&["create"], &[""], &["pods"])]),
            [Danger::PodCreate]
        );
        assert_eq!(
            dangers(vec![rule(&["patch"], &["apps"], &["deployments"])]),
            [Danger::PodCreate]
        );
        assert!(dangers(vec![rule(&["get", "list", "delete"], &[""], &["pods"])]).is_empty());
        assert!(dangers(vec![rule(&["update"], &["apps"], &["deployments/scale"])]).is_empty());
        // A rule with resourceNames grants no create (the request has no name)...
        assert!(dangers(vec![with_names(
            rule(&["create"], &[""], &["pods"]),
            &["debug"]
        )])
        .is_empty());
        assert!(dangers(vec![with_names(
            rule(&["create"], &["apps"], &["deployments"]),
            &["web"]
        )])
        .is_empty());
        // ...but patching one named Deployment rewrites its pod template.
        let d = role_dangers(&role(vec![with_names(
            rule(&["get", "create", "patch"], &["apps"], &["deployments"]),
            &["metrics-server"],
        )]));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].detail, "patch deployments (only metrics-server)");
        assert_eq!(
            dangers(vec![rule(&["get"], &[""], &["pods/exec"])]),
            [Danger::PodExec]
        );
        assert!(dangers(vec![rule(&["get"], &[""], &["pods/log"])]).is_empty());
        // `pods/*` is a literal resource name, not a wildcard.
        assert!(dangers(vec![rule(&["create", "get"], &[""], &["pods/*"])]).is_empty());
    }

    #[test]
    fn wildcard_broad_versus_verbs_only() {
        let broad = role_dangers(&role(vec![rule(&["get"], &["apps"], &["*"])]));
        let w = broad.iter().find(|d| d.danger == Danger::Wildcard).unwrap();
        assert!(w.broad);
        let verbs_only = role_dangers(&role(vec![rule(&["*"], &["example.com"], &["widgets"])]));
        let w = verbs_only
            .iter()
            .find(|d| d.danger == Danger::Wildcard)
            .unwrap();
        assert!(!w.broad);
        // `*` in apiGroups only is not a wildcard finding.
        assert!(dangers(vec![rule(&["get"], &["*"], &["deployments"])]).is_empty());
        // Non-resource wildcards are not resource wildcards.
        let nr = Rule {
            verbs: vec!["*".into()],
            non_resource_urls: vec!["*".into()],
            ..Rule::default()
        };
        assert!(dangers(vec![nr]).is_empty());
    }

    #[test]
    fn superuser() {
        assert!(is_superuser(&role(vec![rule(&["*"], &["*"], &["*"])])));
        assert!(!is_superuser(&role(vec![rule(&["*"], &[""], &["*"])])));
        assert!(!is_superuser(&role(vec![rule(&["get"], &["*"], &["*"])])));
        assert!(!is_superuser(&role(vec![rule(&["*"], &["*"], &["pods"])])));
        assert!(!is_superuser(&role(vec![with_names(
            rule(&["*"], &["*"], &["*"]),
            &["x"]
        )])));
        // The superuser role holds every danger but AWS and CSR approval combos.
        let all = dangers(vec![rule(&["*"], &["*"], &["*"])]);
        for d in [
            Danger::Wildcard,
            Danger::SecretsRead,
            Danger::PodCreate,
            Danger::EscalateBind,
            Danger::Impersonate,
            Danger::NodesProxy,
        ] {
            assert!(all.contains(&d), "{d:?}");
        }
    }

    #[test]
    fn aws_auth_write() {
        assert_eq!(
            dangers(vec![rule(&["patch"], &[""], &["configmaps"])]),
            [Danger::AwsAuthWrite]
        );
        assert_eq!(
            dangers(vec![with_names(
                rule(&["update"], &[""], &["configmaps"]),
                &["aws-auth"]
            )]),
            [Danger::AwsAuthWrite]
        );
        assert!(dangers(vec![with_names(
            rule(&["update"], &[""], &["configmaps"]),
            &["app-settings"]
        )])
        .is_empty());
    }
}
