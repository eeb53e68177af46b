use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "loadbalancer-no-source-ranges",
        title: "Internet-facing LoadBalancer open to every address",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "A public LoadBalancer Service without `loadBalancerSourceRanges` accepts connections from the \
            whole internet. For anything but a public website (admin consoles, databases, internal APIs) that is \
            an open door, and every such service is an entry point for attackers.",
        remediation: "Set `spec.loadBalancerSourceRanges` to the clients' address ranges, make the load balancer \
            internal, or publish the service through an Ingress with authentication.",
        references: &["https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-access"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Service" {
            return;
        }
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let Some(t) = spec.get("type").filter(|t| t.as_str() == Some("LoadBalancer")) else { return };
        // Ranges restrict only when none of them is a whole address family
        // (`0.0.0.0/0`, `::/0`); the field wins over the annotation.
        let field: Vec<&str> = spec
            .get("loadBalancerSourceRanges")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let annotation: Vec<&str> = object
            .annotations()
            .get("service.beta.kubernetes.io/load-balancer-source-ranges")
            .and_then(Node::as_str)
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .collect();
        let list = if field.is_empty() { annotation } else { field };
        let ranges = !list.is_empty() && !list.iter().any(|r| r.ends_with("/0"));
        let internal = rampart_network::exposure::is_internal_lb(object);
        if ranges || internal {
            return;
        }
        emit.object(object, None, "spec.type".to_string(), &[Some(t)],
            "public LoadBalancer accepts connections from any address".to_string());
    }),
};
