use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{cluster_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-nodes-proxy",
        title: "Role can reach the kubelet API through nodes/proxy",
        area: Area::Identity,
        severity: Severity::Critical,
        rationale: "nodes/proxy forwards requests to the kubelet API of any node; with get alone the holder reaches the kubelet's exec and run endpoints over WebSocket and executes commands in every pod on every node, out of sight of the API server's audit of pods/exec.",
        remediation: "Remove nodes/proxy; monitoring agents should read metrics through nodes/metrics and nodes/stats instead.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::NodesProxy, cluster_binding, fixed, |_| {
            "an attacker holding it runs commands in any pod on any node through the kubelet API"
        })
    }),
};
