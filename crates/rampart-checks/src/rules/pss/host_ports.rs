use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-host-ports",
        title: "Container binds a port on the node",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "A hostPort publishes the container on the node's own address, bypassing Services and most \
            NetworkPolicy implementations, and pins the pod to nodes where the port is free.",
        remediation: "Remove `hostPort` (or set it to 0) and expose the workload through a Service.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Baseline, "Host Ports"),
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(ports) = c.node.get("ports").and_then(Node::as_seq) else { continue };
            for (i, p) in ports.iter().enumerate() {
                if let Some(hp) = p.get("hostPort").filter(|n| n.as_i64().is_some_and(|v| v != 0)) {
                    emit.container(pod, &c, &format!("ports[{i}].hostPort"), &[Some(hp)],
                        format!("{} uses hostPort {}", describe(&c), hp.as_i64().unwrap_or(0)));
                }
            }
        }
    }),
};
