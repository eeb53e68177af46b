use rampart_model::{Area, Location, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::Workloads;

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
            if !(b.cluster && b.role_kind == "ClusterRole" && b.role_name == "cluster-admin") {
                continue;
            }
            for s in &b.subjects {
                let system = s.name.starts_with("system:")
                    || (s.kind == "ServiceAccount" && s.namespace.as_deref() == Some("kube-system"));
                if system {
                    continue;
                }
                let carriers = workloads.of_subject(s);
                let held = if carriers.is_empty() { String::new() } else { format!("; held by {}", carriers.join(", ")) };
                let line = if b.role_ref_line > 0 { b.role_ref_line } else { origin.line };
                let severity = (s.kind == "ServiceAccount").then_some(Severity::Critical);
                emit.severity(severity).resource(
                    b.id.clone(),
                    "roleRef".to_string(),
                    Location { file: origin.file.clone(), line },
                    format!("ClusterRoleBinding {} makes {} cluster-admin{held}", b.id.name, s.display()),
                );
            }
        }
    }),
};
