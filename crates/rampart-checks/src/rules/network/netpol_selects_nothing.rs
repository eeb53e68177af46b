use std::collections::BTreeMap;

use rampart_model::{Area, LabelSelector, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-selects-nothing",
        title: "NetworkPolicy selects no workload",
        area: Area::Network,
        severity: Severity::Low,
        rationale: "A policy whose podSelector matches no pod of its namespace protects nothing, usually because \
            of a label typo or a renamed app: the team believes a workload is isolated and it is not.",
        remediation: "Fix the podSelector to match the workload's pod labels, or delete the policy.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let mut labels_by_ns: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
        for pod in crate::pod_templates(inventory) {
            if let Some(ns) = pod.object.id.namespace.as_deref() {
                labels_by_ns.entry(ns).or_default().push(pod.labels());
            }
        }
        for p in inventory.of_kind("NetworkPolicy").filter(|p| p.id.group() == "networking.k8s.io") {
            let Some(pods) = p.id.namespace.as_deref().and_then(|ns| labels_by_ns.get(ns)) else { continue };
            let Some(sel_node) = p.root.at(&["spec", "podSelector"]) else { continue };
            let sel = LabelSelector::from_node(sel_node);
            if !pods.iter().any(|labels| sel.matches(|k| labels.get(k).and_then(Node::as_str))) {
                emit.object(p, None, "spec.podSelector".to_string(), &[Some(sel_node)],
                    format!("NetworkPolicy {} matches none of the {} workloads of its namespace", p.id.name, pods.len()));
            }
        }
    }),
};
