use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-pod-exec",
        title: "Role can exec into, attach to or port-forward pods",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "pods/exec and pods/attach run commands inside running containers: the holder gets their service-account tokens, mounted secrets and network position. pods/portforward reaches ports that NetworkPolicy would otherwise keep private.",
        remediation: "Grant pods/exec, pods/attach and pods/portforward only to break-glass roles, in the namespaces concerned, and audit their use.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::PodExec, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it runs commands in any pod of the cluster and takes its service-account token and secrets"
            } else {
                "an attacker holding it runs commands in the namespace's pods and takes their service-account tokens and secrets"
            }
        })
    }),
};
