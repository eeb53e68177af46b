use rampart_model::{Area, PssLevel, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-host-namespaces",
        title: "Pod shares the node's network, PID or IPC namespace",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "hostNetwork lets the pod sniff and bind node traffic, reach services listening on the node's \
            loopback (the kubelet, cloud metadata without policy) and bypass NetworkPolicy; hostPID lets it see \
            and signal every process on the node and read their environment; hostIPC lets it read shared memory \
            of other workloads.",
        remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false). Node agents that \
            truly need them belong in a dedicated namespace with a privileged Pod Security level.",
        references: &[PSS_DOC, "https://attack.mitre.org/techniques/T1611/"],
        pss: CheckMeta::pss(PssLevel::Baseline, "Host Namespaces"),
    },
    logic: Logic::Pod(|pod, emit| {
        for field in ["hostNetwork", "hostPID", "hostIPC"] {
            if let Some(n) = pod.spec.get(field).filter(|n| n.as_bool() == Some(true)) {
                emit.pod(pod, field, &[Some(n)], format!("pod sets {field}=true"));
            }
        }
    }),
};
