use std::collections::BTreeMap;

use rampart_model::{Area, LabelSelector, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

/// An API group of neither Kubernetes itself nor its official extensions.
fn is_custom(group: &str) -> bool {
    !(group.is_empty() || !group.contains('.') || group.ends_with(".k8s.io"))
}

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
        for pod in emit.context().pods() {
            if let Some(ns) = pod.object.id.namespace.as_deref() {
                labels_by_ns.entry(ns).or_default().push(pod.labels());
            }
        }
        // Custom resources from which an operator makes pods (Prometheus
        // Operator's Prometheus and Alertmanager, database operators...):
        // their own labels, and the pod labels they ask for
        // (`spec.podMetadata.labels`), stand for pods the input cannot show.
        let mut operator_labels: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
        for o in inventory.objects.iter().filter(|o| is_custom(o.id.group())) {
            if let Some(ns) = o.id.namespace.as_deref() {
                let list = operator_labels.entry(ns).or_default();
                list.push(o.labels());
                if let Some(l) = o.root.at(&["spec", "podMetadata", "labels"]) {
                    list.push(l);
                }
            }
        }
        for p in inventory.of_kind("NetworkPolicy").filter(|p| p.id.group() == "networking.k8s.io") {
            let Some(pods) = p.id.namespace.as_deref().and_then(|ns| labels_by_ns.get(ns)) else { continue };
            let Some(sel_node) = p.root.at(&["spec", "podSelector"]) else { continue };
            let sel = LabelSelector::from_node(sel_node);
            let selects = |labels: &&Node| {
                labels.as_map().is_some() && sel.matches(|k| labels.get(k).and_then(Node::as_str))
            };
            let operated = p.id.namespace.as_deref().and_then(|ns| operator_labels.get(ns)).is_some_and(|l| l.iter().any(selects));
            if !operated && !pods.iter().any(|labels| sel.matches(|k| labels.get(k).and_then(Node::as_str))) {
                emit.object(p, None, "spec.podSelector".to_string(), &[Some(sel_node)],
                    format!("NetworkPolicy {} matches none of the {} workloads of its namespace", p.id.name, pods.len()));
            }
        }
    }),
};
