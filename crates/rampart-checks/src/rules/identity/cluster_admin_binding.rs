use rampart_model::{Area, Location, Severity};

use rampart_rbac::Subject;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::Workloads;

/// The cluster's own identities (system:masters, the control-plane users,
/// kube-system service accounts), whose cluster-admin is by design. The
/// implicit groups of every service account or every user are not.
fn is_system_subject(s: &Subject) -> bool {
    match (s.kind.as_str(), s.name.as_str()) {
        ("ServiceAccount", _) => s.namespace.as_deref() == Some("kube-system"),
        ("Group", "system:serviceaccounts" | "system:authenticated" | "system:unauthenticated") => {
            false
        }
        ("Group", g) if g.starts_with("system:serviceaccounts:") => {
            g == "system:serviceaccounts:kube-system"
        }
        ("User", "system:anonymous") => false,
        (_, name) => name.starts_with("system:"),
    }
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-cluster-admin-binding",
        title: "cluster-admin bound to a user, group or application",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "cluster-admin is every permission on every resource. Bound to a person, a team group or an \
            application's service account (a GitOps controller, a CI runner, an operator), a single stolen \
            credential or compromised pod owns the cluster.",
        remediation: "Give the subject a role listing what it needs; for GitOps controllers, scope them to the \
            namespaces and kinds they deploy. Keep cluster-admin for break-glass access.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let model = emit.context().rbac();
        let workloads = Workloads::of(emit);
        for b in &model.bindings {
            let Some(origin) = &b.origin else { continue };
            if !(b.role_kind == "ClusterRole" && b.role_name == "cluster-admin") {
                continue;
            }
            for s in &b.subjects {
                // A User `system:serviceaccount:NS:NAME` is that service account.
                let s_as_sa = s
                    .name
                    .strip_prefix("system:serviceaccount:")
                    .filter(|_| s.kind == "User")
                    .and_then(|rest| rest.split_once(':'))
                    .map(|(ns, name)| Subject::service_account(ns, name));
                let s = s_as_sa.as_ref().unwrap_or(s);
                if is_system_subject(s) {
                    continue;
                }
                let carriers = workloads.of_subject(s);
                let held = if carriers.is_empty() { String::new() } else { format!("; held by {}", carriers.join(", ")) };
                let line = if b.role_ref_line > 0 { b.role_ref_line } else { origin.line };
                // Through a RoleBinding, cluster-admin is every permission in
                // one namespace (its Secrets, pods and RBAC): still high.
                let severity = (b.cluster
                    && (s.kind == "ServiceAccount" || (s.kind == "Group" && s.name.starts_with("system:"))))
                .then_some(Severity::Critical);
                let message = match b.scope() {
                    None => format!("ClusterRoleBinding {} makes {} cluster-admin{held}", b.id.name, s.display()),
                    Some(ns) => format!(
                        "RoleBinding {} gives {} every permission in namespace {ns} through cluster-admin{held}",
                        b.id.name,
                        s.display()
                    ),
                };
                emit.severity(severity).resource(
                    b.id.clone(),
                    "roleRef".to_string(),
                    Location { file: origin.file.clone(), line },
                    message,
                );
            }
        }
    }),
};
