use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

/// Namespaced, safe sysctls allowed at baseline (policy 1.37 list).
pub const SAFE_SYSCTLS: [&str; 14] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-sysctls",
        title: "Unsafe sysctl",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Sysctls outside the safe, namespaced set can change kernel behaviour for the whole node \
            or for other pods, and some allow denial of service or weaken isolation.",
        remediation: "Remove the sysctl from `securityContext.sysctls`, or set it on the node where it is \
            really needed. Only the namespaced sysctls on the Pod Security Standards safe list are allowed.",
        references: &[PSS_DOC, "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"],
        pss: CheckMeta::pss(PssLevel::Baseline, "Sysctls"),
    },
    logic: Logic::Pod(|pod, emit| {
        let Some(sysctls) = pod.sc("sysctls").and_then(Node::as_seq) else { return };
        for (i, s) in sysctls.iter().enumerate() {
            let name = s.get("name").and_then(Node::as_str).unwrap_or("");
            if !SAFE_SYSCTLS.contains(&name) {
                emit.pod(pod, &format!("securityContext.sysctls[{i}].name"), &[s.get("name"), Some(s)],
                    format!("pod sets unsafe sysctl \"{name}\""));
            }
        }
    }),
};
