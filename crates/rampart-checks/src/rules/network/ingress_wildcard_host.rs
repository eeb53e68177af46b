use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

/// A GAMMA (service mesh) route: every parentRef is a Service. Such routes
/// match traffic addressed to the Service, and their hostnames are ignored.
fn is_mesh_route(object: &rampart_model::Object) -> bool {
    let parents = object
        .root
        .at(&["spec", "parentRefs"])
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    !parents.is_empty()
        && parents
            .iter()
            .all(|p| p.get("kind").and_then(Node::as_str) == Some("Service"))
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ingress-wildcard-host",
        title: "Ingress or route matches any host",
        area: Area::Network,
        severity: Severity::Low,
        rationale: "A rule without a host, or with a wildcard host, routes requests for names nobody reviewed to \
            the backend: subdomain takeovers and forgotten services become reachable, and host-based \
            authentication in front of other services can be bypassed by choosing the Host header.",
        remediation: "List the exact hostnames the service answers to.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        let is_route = object.id.group() == "gateway.networking.k8s.io" && object.kind().ends_with("Route");
        if object.kind() == "Ingress" {
            for (i, rule) in object.root.at(&["spec", "rules"]).and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let host = rule.get("host").and_then(Node::as_str).unwrap_or("");
                if host.is_empty() || host.starts_with('*') {
                    let shown = if host.is_empty() { "any host" } else { host };
                    emit.object(object, None, format!("spec.rules[{i}].host"), &[rule.get("host"), Some(rule)],
                        format!("Ingress rule matches {shown}"));
                }
            }
        } else if is_route && object.kind() != "TCPRoute" && object.kind() != "UDPRoute" && !is_mesh_route(object) {
            let hosts = object.root.at(&["spec", "hostnames"]);
            let list: Vec<&str> = hosts.and_then(Node::as_seq).unwrap_or(&[]).iter().filter_map(Node::as_str).collect();
            if list.is_empty() {
                emit.object(object, None, "spec.hostnames".to_string(), &[hosts, object.root.get("spec")],
                    format!("{} matches any host of its Gateway", object.kind()));
            } else if let Some(w) = list.iter().find(|h| h.starts_with('*')) {
                emit.object(object, None, "spec.hostnames".to_string(), &[hosts],
                    format!("{} matches wildcard host {w}", object.kind()));
            }
        }
    }),
};
