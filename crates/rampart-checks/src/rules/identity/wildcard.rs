use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-wildcard",
        title: "Role uses wildcards",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "A * in verbs or resources grants everything that exists today and everything added later (new subresources, new CRDs with their secrets): roles with wildcards grow by themselves and routinely include the escalation verbs.",
        remediation: "List the verbs and resources the subject needs explicitly.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::Wildcard, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it gets every present and future permission the wildcard covers, cluster-wide"
            } else {
                "an attacker holding it gets every present and future permission the wildcard covers in the namespace"
            }
        })
    }),
};
