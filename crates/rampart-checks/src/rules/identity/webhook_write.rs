use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{cluster_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-webhook-write",
        title: "Role can change admission webhooks or policies",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "Admission webhooks see (and mutating ones rewrite) every object sent to the API server, Secrets included; admission policies are what enforce the cluster's guard rails. Writing their configuration lets the holder intercept credentials, inject sidecars into every pod, or switch the guard rails off.",
        remediation: "Restrict writes on mutating/validating webhook configurations and admission policies to the cluster's platform pipeline.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::WebhookWrite, cluster_binding, fixed, |_| {
            "an attacker holding it intercepts or rewrites every object sent to the API server, or disables admission control"
        })
    }),
};
