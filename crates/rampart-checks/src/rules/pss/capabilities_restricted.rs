use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::capabilities_baseline::BASELINE_ALLOWED;
use crate::rules::pss::{windows_exempt, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-capabilities-restricted",
        title: "Capabilities not dropped",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Containers start with a default set of capabilities (such as NET_RAW, which allows ARP and \
            DNS spoofing of neighbours, and CHOWN, DAC_OVERRIDE, SETUID). Dropping ALL and adding back only \
            NET_BIND_SERVICE removes them.",
        remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and add back at most \
            `NET_BIND_SERVICE`.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "Capabilities"),
    },
    logic: Logic::Pod(|pod, emit| {
        if windows_exempt(pod) {
            return;
        }
        for c in pod.containers() {
            let caps = c.sc("capabilities");
            let drop = caps.and_then(|n| n.get("drop"));
            let drops_all = drop
                .and_then(Node::as_seq)
                .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("ALL")));
            if !drops_all {
                emit.container(pod, &c, "securityContext.capabilities.drop", &[drop, caps, c.security_context()],
                    format!("{} does not drop ALL capabilities", describe(&c)));
            }
            let Some(add) = caps.and_then(|n| n.get("add")).and_then(Node::as_seq) else { continue };
            for (i, cap) in add.iter().enumerate() {
                let name = cap.as_str().unwrap_or("");
                // Capabilities outside the baseline list are reported by pss-capabilities-baseline.
                if name != "NET_BIND_SERVICE" && BASELINE_ALLOWED.contains(&name) {
                    emit.container(pod, &c, &format!("securityContext.capabilities.add[{i}]"), &[Some(cap)],
                        format!("{} adds capability {name}; only NET_BIND_SERVICE may be added", describe(&c)));
                }
            }
        }
    }),
};
