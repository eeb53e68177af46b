use rampart_model::{Area, LabelSelector, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

/// Why a rule's peers admit everything, if they do.
fn everything(peers: Option<&Node>, direction: &str) -> Option<&'static str> {
    let Some(list) = peers.and_then(Node::as_seq) else {
        return Some("it names no peers, so every source and destination matches");
    };
    if list.is_empty() {
        return Some("it names no peers, so every source and destination matches");
    }
    for peer in list {
        let ns = peer.get("namespaceSelector");
        let pod = peer.get("podSelector");
        // A selector written and empty (`{}`, `{matchLabels: {}}`); a null
        // selector is "not specified", as if the key were absent.
        let empty = |n: Option<&Node>| {
            n.is_some_and(|n| {
                n.as_map().is_some() && LabelSelector::from_node(n) == LabelSelector::default()
            })
        };
        let pod = pod.filter(|n| n.as_map().is_some());
        if empty(ns) && (pod.is_none() || empty(pod)) {
            return Some("its namespaceSelector {} matches every pod of the cluster");
        }
        let cidr = peer.at(&["ipBlock", "cidr"]).and_then(Node::as_str);
        let excepts = peer
            .at(&["ipBlock", "except"])
            .and_then(Node::as_seq)
            .is_some_and(|e| !e.is_empty());
        if matches!(cidr, Some("0.0.0.0/0" | "::/0")) && !excepts {
            return Some(if direction == "ingress" {
                "its ipBlock admits every address"
            } else {
                "its ipBlock allows every address"
            });
        }
    }
    None
}

/// Whether this check reports the rule (of a direction the policy lists):
/// the per-workload checks (egress-internet-unrestricted,
/// reachable-from-all-namespaces) leave such a rule to it, so that one rule
/// is one finding, not one per workload it selects.
pub(crate) fn reports_rule(rule: &Node, direction: &str) -> bool {
    let ports = rule
        .get("ports")
        .and_then(Node::as_seq)
        .is_some_and(|p| !p.is_empty());
    let peers_key = if direction == "ingress" { "from" } else { "to" };
    !(ports && direction == "egress") && everything(rule.get(peers_key), direction).is_some()
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-allows-all",
        title: "NetworkPolicy rule allows everything",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "A rule with no peers and no ports, a namespaceSelector `{}`, or an ipBlock of `0.0.0.0/0` \
            without exceptions admits everything its direction covers: the policy turns isolation off for the \
            pods it selects while looking like a control.",
        remediation: "Name the peers (namespaces and pods, or address ranges) and ports the workload needs.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "NetworkPolicy" || object.id.group() != "networking.k8s.io" {
            return;
        }
        // Rules of a direction that an explicit policyTypes leaves out are
        // ignored by the cluster (the engine warns about them).
        let types: Vec<&str> =
            object.root.at(&["spec", "policyTypes"]).and_then(Node::as_seq).unwrap_or(&[]).iter().filter_map(Node::as_str).collect();
        for (direction, peers_key) in [("ingress", "from"), ("egress", "to")] {
            let policy_type = if direction == "ingress" { "Ingress" } else { "Egress" };
            if !types.is_empty() && !types.contains(&policy_type) {
                continue;
            }
            for (i, rule) in object.root.at(&["spec", direction]).and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let ports = rule.get("ports").and_then(Node::as_seq).is_some_and(|p| !p.is_empty());
                if ports && direction == "egress" {
                    continue; // to anywhere on named ports (DNS, HTTPS) is a common, scoped rule
                }
                // (reports_rule says the same, for the per-workload checks.)
                if let Some(why) = everything(rule.get(peers_key), direction) {
                    let scope = if ports { " (on the listed ports)" } else { " on every port" };
                    emit.object(object, None, format!("spec.{direction}[{i}]"), &[Some(rule)],
                        format!("{direction} rule {i} allows everything{scope}: {why}"));
                }
            }
        }
    }),
};
