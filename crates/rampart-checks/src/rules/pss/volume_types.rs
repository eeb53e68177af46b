use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

/// Volume sources allowed at the restricted level (`image` since Kubernetes 1.33).
const ALLOWED: [&str; 9] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-volume-types",
        title: "Volume type not allowed by the restricted level",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Volume types other than ConfigMap, Secret, downward API, emptyDir, projected, ephemeral, \
            image, CSI and PersistentVolumeClaim let a pod attach storage directly (NFS, iSCSI, cloud disks, \
            gitRepo), bypassing the storage access control of PersistentVolumeClaims; some run code on the node \
            (gitRepo, flexVolume).",
        remediation: "Use a PersistentVolumeClaim (or CSI volume) instead of an in-line volume source. hostPath \
            volumes are reported by `pss-host-path`.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "Volume Types"),
    },
    logic: Logic::Pod(|pod, emit| {
        let Some(volumes) = pod.spec.get("volumes").and_then(Node::as_seq) else { return };
        for (i, v) in volumes.iter().enumerate() {
            let Some(entries) = v.as_map() else { continue };
            let sources: Vec<&(rampart_model::Text, Node)> =
                entries.iter().filter(|(k, n)| k != "name" && !n.is_null()).collect();
            if sources.iter().any(|(k, _)| ALLOWED.contains(&k.as_str()) || k == "hostPath") {
                continue; // allowed, or hostPath (reported by pss-host-path)
            }
            let name = v.get("name").and_then(Node::as_str).unwrap_or("");
            let (kind, node) = match sources.first() {
                Some((k, n)) => (k.as_str(), Some(n)),
                None => ("unknown", None),
            };
            emit.pod(pod, &format!("volumes[{i}].{kind}"), &[node, Some(v)],
                format!("volume \"{name}\" uses restricted volume type {kind}"));
        }
    }),
};
