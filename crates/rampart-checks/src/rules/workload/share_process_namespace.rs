use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "share-process-namespace",
        title: "Containers share one process namespace",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "With shareProcessNamespace every container of the pod sees and can signal the others' \
            processes and read their environment and filesystem through /proc/<pid>/root: a compromised \
            sidecar reaches the main container's secrets.",
        remediation: "Remove `shareProcessNamespace: true` unless a sidecar truly needs it; use ephemeral debug \
            containers targeting one container (`kubectl debug --target`) for troubleshooting.",
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        if let Some(n) = pod.spec.get("shareProcessNamespace").filter(|n| n.as_bool() == Some(true)) {
            emit.pod(pod, "shareProcessNamespace", &[Some(n)], "pod shares one process namespace between its containers".into());
        }
    }),
};
