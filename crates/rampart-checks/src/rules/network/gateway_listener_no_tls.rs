use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "gateway-listener-no-tls",
        title: "Gateway listener without TLS",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "A Gateway API listener with protocol HTTP (or TCP) serves every route attached to it in plain \
            text: credentials and data cross the network readable and modifiable.",
        remediation: "Use protocol HTTPS (or TLS) with a certificate reference, and keep an HTTP listener only to \
            redirect.",
        references: &["https://gateway-api.sigs.k8s.io/guides/tls/"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Gateway" || object.id.group() != "gateway.networking.k8s.io" {
            return;
        }
        for (i, l) in object.root.at(&["spec", "listeners"]).and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
            let protocol = l.get("protocol").and_then(Node::as_str).unwrap_or("");
            if matches!(protocol, "HTTP" | "TCP") {
                let name = l.get("name").and_then(Node::as_str).unwrap_or("");
                emit.object(object, None, format!("spec.listeners[{i}].protocol"), &[l.get("protocol"), Some(l)],
                    format!("listener {name} accepts {protocol} without TLS"));
            }
        }
    }),
};
