use rampart_model::{Area, Node, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};

/// Capabilities that give power over the node or its neighbours, and what they give.
const DANGEROUS: &[(&str, Severity, &str)] = &[
    (
        "ALL",
        Severity::Critical,
        "every capability, as good as privileged",
    ),
    (
        "SYS_ADMIN",
        Severity::Critical,
        "mounting filesystems and the cgroup release_agent escape: effectively root on the node",
    ),
    (
        "SYS_MODULE",
        Severity::Critical,
        "loading kernel modules: code in the node's kernel",
    ),
    (
        "SYS_RAWIO",
        Severity::Critical,
        "raw access to devices and kernel memory",
    ),
    (
        "DAC_READ_SEARCH",
        Severity::High,
        "opening host files by handle (the 'shocker' escape) and bypassing read permissions",
    ),
    (
        "SYS_PTRACE",
        Severity::High,
        "tracing and injecting code into other processes (host processes too with hostPID)",
    ),
    (
        "BPF",
        Severity::High,
        "loading eBPF programs into the kernel",
    ),
    (
        "PERFMON",
        Severity::High,
        "kernel performance monitoring, which with BPF reads kernel memory",
    ),
    (
        "NET_ADMIN",
        Severity::High,
        "reconfiguring interfaces, routes and firewall rules (the node's, with hostNetwork)",
    ),
    (
        "MAC_ADMIN",
        Severity::High,
        "changing the AppArmor/SELinux policy",
    ),
    (
        "MAC_OVERRIDE",
        Severity::High,
        "bypassing the AppArmor/SELinux policy",
    ),
    ("SYS_BOOT", Severity::High, "rebooting the node"),
    (
        "SYSLOG",
        Severity::Medium,
        "reading the kernel log, which leaks kernel addresses",
    ),
    (
        "SYS_TIME",
        Severity::Medium,
        "setting the node's clock, which breaks certificates and logs",
    ),
    (
        "NET_RAW",
        Severity::Medium,
        "raw sockets: spoofing and ARP/DNS poisoning of neighbouring pods",
    ),
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "dangerous-capabilities",
        title: "Dangerous Linux capability added",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "Linux capabilities split root's power; some of them are most of it. SYS_ADMIN, SYS_MODULE and \
            SYS_RAWIO give the node outright, SYS_PTRACE, DAC_READ_SEARCH, BPF and NET_ADMIN are the basis of \
            known container escapes, and NET_RAW lets a pod spoof its neighbours.",
        remediation: "Remove the capability from `securityContext.capabilities.add`, drop ALL, and add back only \
            what the process needs (usually nothing, or NET_BIND_SERVICE).",
        references: &[
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        ],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(add) = c.sc("capabilities").and_then(|caps| caps.get("add")).and_then(Node::as_seq) else {
                continue;
            };
            for (i, cap) in add.iter().enumerate() {
                // Runtimes accept `CAP_`-prefixed and lower-case names too.
                let raw = cap.as_str().unwrap_or("");
                let upper = raw.to_ascii_uppercase();
                let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
                if let Some((_, severity, gives)) = DANGEROUS.iter().find(|(n, _, _)| *n == name) {
                    emit.severity(Some(*severity)).container(
                        pod,
                        &c,
                        &format!("securityContext.capabilities.add[{i}]"),
                        &[Some(cap)],
                        format!("{} adds {raw}: {gives}", describe(&c)),
                    );
                }
            }
        }
    }),
};
