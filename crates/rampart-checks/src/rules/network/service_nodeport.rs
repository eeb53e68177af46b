use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "service-nodeport",
        title: "Service exposed on every node (NodePort)",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "A NodePort Service opens its port on every node's address, reachable by anything that can \
            reach a node, around Ingress controllers and their TLS and authentication, and often around cloud \
            firewalls meant for the load balancer.",
        remediation: "Use a ClusterIP Service behind an Ingress or Gateway, or an internal LoadBalancer; if a \
            NodePort is needed, restrict node access with security groups.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Service" {
            return;
        }
        let Some(t) = object.root.at(&["spec", "type"]).filter(|t| t.as_str() == Some("NodePort")) else { return };
        let ports = object.root.at(&["spec", "ports"]).and_then(Node::as_seq).unwrap_or(&[]);
        let fixed: Vec<String> = ports
            .iter()
            .filter_map(|p| p.get("nodePort").and_then(Node::as_i64))
            .map(|n| n.to_string())
            .collect();
        // Ports without `nodePort` get one from the node-port range
        // (30000-32767 by default): say how many, not "an allocated port" each.
        let allocated = match ports.len() - fixed.len() {
            0 => None,
            1 => Some("a port allocated from the node-port range".to_string()),
            n => Some(format!("{n} ports allocated from the node-port range")),
        };
        let parts: Vec<String> = (!fixed.is_empty()).then(|| fixed.join(", ")).into_iter().chain(allocated).collect();
        let on = if parts.is_empty() { "a port".to_string() } else { parts.join(" and ") };
        emit.object(object, None, "spec.type".to_string(), &[Some(t)],
            format!("Service is reachable on {on} of every node"));
    }),
};
