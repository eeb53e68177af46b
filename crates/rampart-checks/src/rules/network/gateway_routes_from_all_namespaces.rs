use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "gateway-routes-from-all-namespaces",
        title: "Gateway listener accepts routes from every namespace",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "A listener with `allowedRoutes.namespaces.from: All` lets any namespace attach routes to a \
            shared (often internet-facing) Gateway: whoever can create an HTTPRoute anywhere publishes a service, \
            or captures a hostname, on it.",
        remediation: "Set `allowedRoutes.namespaces.from: Selector` with a label selector naming the namespaces \
            allowed to publish (or `Same`).",
        references: &["https://gateway-api.sigs.k8s.io/guides/multiple-ns/"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Gateway" || object.id.group() != "gateway.networking.k8s.io" {
            return;
        }
        for (i, l) in object.root.at(&["spec", "listeners"]).and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
            let from = l.at(&["allowedRoutes", "namespaces", "from"]);
            if from.and_then(Node::as_str) == Some("All") {
                let name = l.get("name").and_then(Node::as_str).unwrap_or("");
                emit.object(object, None, format!("spec.listeners[{i}].allowedRoutes.namespaces.from"), &[from],
                    format!("listener {name} accepts routes from every namespace"));
            }
        }
    }),
};
