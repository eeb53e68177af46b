use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{in_user_namespace, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-run-as-user",
        title: "Runs as UID 0",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "`runAsUser: 0` runs the container's processes as root explicitly, whatever the image says. \
            Admission rejects it at the restricted level even when a container overrides a pod-level 0.",
        remediation: "Set `runAsUser` to a non-zero UID (or remove it and set `runAsNonRoot: true`).",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "Running as Non-root user"),
    },
    logic: Logic::Pod(|pod, emit| {
        if in_user_namespace(pod) {
            return; // policy 1.35+: pods with hostUsers: false are exempt
        }
        if let Some(n) = pod.sc("runAsUser").filter(|n| n.as_i64() == Some(0)) {
            emit.pod(pod, "securityContext.runAsUser", &[Some(n)], "pod sets runAsUser=0".into());
        }
        for c in pod.containers() {
            if let Some(n) = c.sc("runAsUser").filter(|n| n.as_i64() == Some(0)) {
                emit.container(pod, &c, "securityContext.runAsUser", &[Some(n)],
                    format!("{} sets runAsUser=0", describe(&c)));
            }
        }
    }),
};
