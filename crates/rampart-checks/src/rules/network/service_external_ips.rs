use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "service-external-ips",
        title: "Service claims external IPs",
        area: Area::Network,
        severity: Severity::High,
        rationale: "Whoever can set `externalIPs` on a Service makes every node intercept traffic to those \
            addresses, including addresses of other services inside or outside the cluster (CVE-2020-8554): a \
            man-in-the-middle for any destination.",
        remediation: "Remove `externalIPs`; use a LoadBalancer. Block the field cluster-wide with the \
            DenyServiceExternalIPs admission plugin or a policy.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/service/#external-ips",
            "https://github.com/kubernetes/kubernetes/issues/97076",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Service" {
            return;
        }
        let Some(ips) = object.root.at(&["spec", "externalIPs"]).filter(|n| n.as_seq().is_some_and(|s| !s.is_empty())) else {
            return;
        };
        let list: Vec<&str> = ips.as_seq().unwrap_or(&[]).iter().filter_map(Node::as_str).collect();
        emit.object(object, None, "spec.externalIPs".to_string(), &[Some(ips)],
            format!("Service makes every node intercept traffic for {}", list.join(", ")));
    }),
};
