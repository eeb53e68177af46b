use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-namespace-write",
        title: "Role can modify namespaces",
        area: Area::Identity,
        severity: Severity::Medium,
        rationale: "Pod Security admission reads its level from namespace labels: whoever can patch a namespace can relabel it privileged and then run privileged pods in it.",
        remediation: "Restrict patch and update on namespaces to the platform team; manage namespace labels through GitOps with review.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::NamespaceWrite, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it removes Pod Security enforcement from any namespace"
            } else {
                "an attacker holding it removes Pod Security enforcement from the namespace"
            }
        })
    }),
};
