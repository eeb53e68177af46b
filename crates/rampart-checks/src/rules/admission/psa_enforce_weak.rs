use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::admission::{is_system_namespace, label, Level, ENFORCE};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "psa-enforce-weak",
        title: "Namespace enforces only the baseline Pod Security level",
        area: Area::Admission,
        severity: Severity::Medium,
        rationale: "The baseline level blocks known privilege escalations but still admits containers running \
            as root, with privilege escalation allowed, all default capabilities and no seccomp profile. The \
            restricted level is the hardened standard for application workloads.",
        remediation: "Move the namespace to `pod-security.kubernetes.io/enforce: restricted` once workloads \
            comply (set `warn: restricted` first to see what would break).",
        references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Namespace" || is_system_namespace(&object.id.name) {
            return;
        }
        if let (Some(node), Some(Level::Baseline)) = label(object, ENFORCE) {
            emit.object(object, None, format!("metadata.labels.{ENFORCE}"), &[Some(node)],
                "namespace enforces baseline, not restricted".to_string());
        }
    }),
};
