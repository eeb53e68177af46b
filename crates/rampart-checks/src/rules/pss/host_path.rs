use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-host-path",
        title: "hostPath volume",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "A hostPath volume exposes the node's filesystem to the container. Depending on the path it \
            hands out the container runtime socket, kubelet credentials, other pods' secrets and logs, or a \
            writable node root: all common container escapes.",
        remediation: "Replace the hostPath volume with a ConfigMap, Secret, emptyDir, PersistentVolumeClaim or \
            CSI volume. Node agents that must read the host belong in a dedicated privileged namespace, mounting \
            the narrowest path read-only.",
        references: &[PSS_DOC, "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
        pss: CheckMeta::pss(PssLevel::Baseline, "HostPath Volumes"),
    },
    logic: Logic::Pod(|pod, emit| {
        let Some(volumes) = pod.spec.get("volumes").and_then(Node::as_seq) else { return };
        for (i, v) in volumes.iter().enumerate() {
            if let Some(hp) = v.get("hostPath").filter(|n| !n.is_null()) {
                let name = v.get("name").and_then(Node::as_str).unwrap_or("");
                let path = hp.get("path").and_then(Node::as_str).unwrap_or("");
                emit.pod(pod, &format!("volumes[{i}].hostPath"), &[Some(hp), Some(v)],
                    format!("volume \"{name}\" mounts host path {path}"));
            }
        }
    }),
};
