use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-escalate-bind",
        title: "Role can escalate or bind roles",
        area: Area::Identity,
        severity: Severity::Critical,
        rationale: "RBAC stops a subject from granting permissions it does not hold, unless it has escalate (edit roles beyond its own power) or bind (bind any role, cluster-admin included). Either is a direct path to cluster-admin.",
        remediation: "Remove escalate and bind; where a controller must manage RBAC, restrict bind to the named roles it hands out (resourceNames).",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::EscalateBind, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it grants itself cluster-admin"
            } else {
                "an attacker holding it grants itself any role in the namespace, admin included, and cluster roles through RoleBindings"
            }
        })
    }),
};
