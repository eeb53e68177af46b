use rampart_model::{Area, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "run-as-root-group",
        title: "Runs with the root group (GID 0)",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "A process in group 0 can read and write every file owned by the root group: on the node's \
            mounts and in shared volumes that is often far more than the application needs. The Pod Security \
            Standards do not cover groups.",
        remediation: "Set `runAsGroup` (and `fsGroup`) to a non-zero GID.",
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for field in ["runAsGroup", "fsGroup"] {
            if let Some(n) = pod.sc(field).filter(|n| n.as_i64() == Some(0)) {
                emit.pod(pod, &format!("securityContext.{field}"), &[Some(n)], format!("pod sets {field}=0"));
            }
        }
        for c in pod.containers() {
            if let Some(n) = c.sc("runAsGroup").filter(|n| n.as_i64() == Some(0)) {
                emit.container(pod, &c, "securityContext.runAsGroup", &[Some(n)], format!("{} sets runAsGroup=0", describe(&c)));
            }
        }
    }),
};
