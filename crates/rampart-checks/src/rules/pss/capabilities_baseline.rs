use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

/// Capabilities the baseline level allows to be added (exact, case-sensitive).
pub const BASELINE_ALLOWED: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-capabilities-baseline",
        title: "Container adds a capability beyond the default set",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "Capabilities such as SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN or NET_RAW give a \
            container powers of root on the node: mounting filesystems, tracing other processes, loading kernel \
            modules, spoofing traffic. Several container escapes need nothing else.",
        remediation: "Remove the capability from `securityContext.capabilities.add`. Only AUDIT_WRITE, CHOWN, \
            DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and \
            SYS_CHROOT may be added at the baseline level.",
        references: &[PSS_DOC, "https://man7.org/linux/man-pages/man7/capabilities.7.html"],
        pss: CheckMeta::pss(PssLevel::Baseline, "Capabilities"),
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(add) = c.sc("capabilities").and_then(|caps| caps.get("add")).and_then(Node::as_seq) else {
                continue;
            };
            for (i, cap) in add.iter().enumerate() {
                let name = cap.as_str().unwrap_or("");
                if !BASELINE_ALLOWED.contains(&name) {
                    emit.container(pod, &c, &format!("securityContext.capabilities.add[{i}]"), &[Some(cap)],
                        format!("{} adds capability {name}", describe(&c)));
                }
            }
        }
    }),
};
