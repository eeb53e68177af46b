use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report_detailed};

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
        report_detailed(emit, Danger::PodExec, any_binding, fixed, |cluster, detail| {
            // The detail names exec or attach when the role grants them; a
            // role granting only port-forward opens ports, it runs nothing.
            match (detail.contains("pods/portforward"), cluster) {
                (true, true) => "an attacker holding it connects to any port of any pod of the cluster, past NetworkPolicy and Service boundaries",
                (true, false) => "an attacker holding it connects to any port of the namespace's pods, past NetworkPolicy and Service boundaries",
                (false, true) => "an attacker holding it runs commands in any pod of the cluster and takes its service-account token and secrets",
                (false, false) => "an attacker holding it runs commands in the namespace's pods and takes their service-account tokens and secrets",
            }
        })
    }),
};
