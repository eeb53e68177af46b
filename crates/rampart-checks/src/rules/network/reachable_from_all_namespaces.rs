use std::collections::BTreeSet;

use rampart_model::{Area, LabelSelector, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::netpol_allows_all::reports_rule;
use crate::rules::network::{rule_node, where_is};

/// Whether an ingress rule admits the pods of any namespace, including one
/// nobody listed: it names no peers, or one of its peers has a
/// namespaceSelector matching a namespace that carries only its name label
/// and no podSelector (or one matching a pod without labels). A rule naming
/// every namespace of the input one by one, or by a label they all carry,
/// is an allow-list, not this finding.
fn admits_any_namespace(rule: &Node) -> bool {
    let selector = |peer: &Node, key: &str| {
        peer.get(key)
            .filter(|n| n.as_map().is_some())
            .map(LabelSelector::from_node)
    };
    match rule.get("from").and_then(Node::as_seq) {
        None | Some([]) => true,
        Some(peers) => peers.iter().any(|peer| {
            selector(peer, "namespaceSelector").is_some_and(|ns| {
                ns.matches(|k| {
                    (k == "kubernetes.io/metadata.name").then_some("<unlisted namespace>")
                })
            }) && selector(peer, "podSelector").is_none_or(|pods| pods.matches(|_| None))
        }),
    }
}

/// Whether bit `i` of `words` is set.
fn bit(words: &[u64], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "reachable-from-all-namespaces",
        title: "Ingress policy admits every namespace",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "The workload has an ingress policy, yet pods of every other namespace can connect to it: the \
            policy looks like isolation but is not (a namespaceSelector `{}`, or a podSelector and a \
            namespaceSelector written as two peers instead of one). (Workloads without any ingress policy are \
            reported per namespace by netpol-default-deny-ingress.)",
        remediation: "Restrict the rule's peers to the namespaces and pods that need access; put podSelector and \
            namespaceSelector in the same peer when both must match.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let ctx = emit.context();
        let model = ctx.network();
        let matrix = ctx.matrix();
        // Host-network pods are the node to NetworkPolicy: no namespace
        // selector admits them, so they do not stand for their namespace.
        let workloads: Vec<&rampart_network::Endpoint> =
            model.endpoints().iter().filter(|e| e.is_workload() && !e.host_network).collect();
        let namespaces: BTreeSet<&str> = workloads.iter().filter_map(|e| e.namespace.as_deref()).collect();
        if namespaces.len() < 2 {
            return;
        }
        // Workloads are numbered by namespace: each namespace is a range of
        // ids. A row of the matrix says which workloads a source reaches; the
        // union of a namespace's rows, which workloads some pod of it reaches.
        let mut eligible = vec![0u64; matrix.workloads().div_ceil(64)];
        let mut ranges: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
        for w in &workloads {
            let id = w.id.0;
            eligible[id / 64] |= 1 << (id % 64);
            let ns = w.namespace.as_deref().unwrap_or("");
            match ranges.last_mut() {
                Some((last, range)) if *last == ns => range.end = id + 1,
                _ => ranges.push((ns, id..id + 1)),
            }
        }
        let reached_from: Vec<Vec<u64>> = ranges
            .iter()
            .map(|(_, range)| {
                let mut union = vec![0u64; eligible.len()];
                for source in range.clone().filter(|&s| bit(&eligible, s)) {
                    let row = matrix.destination_words(rampart_network::EndpointId(source));
                    for (u, w) in union.iter_mut().zip(row) {
                        *u |= w;
                    }
                }
                union
            })
            .collect();
        for e in &workloads {
            if !model.isolated(e.id, rampart_network::Direction::Ingress) {
                continue;
            }
            let own = e.namespace.as_deref().unwrap_or("");
            if !ranges.iter().zip(&reached_from).all(|((ns, _), union)| *ns == own || bit(union, e.id.0)) {
                continue;
            }
            // The first pod of the first other namespace that reaches it.
            let Some(other) = ranges
                .iter()
                .filter(|(ns, _)| *ns != own)
                .find_map(|(_, range)| {
                    range.clone().find(|&s| {
                        bit(&eligible, s)
                            && bit(matrix.destination_words(rampart_network::EndpointId(s)), e.id.0)
                    })
                })
                .and_then(|s| model.endpoints().get(s))
            else {
                continue;
            };
            let verdict = model.reach(other.id, e.id, None);
            if !verdict.ingress.isolated {
                continue;
            }
            let Some((resource, _)) = where_is(e) else { continue };
            let admitting: Vec<&rampart_network::RuleRef> = verdict
                .ingress
                .allowing
                .iter()
                .filter(|r| rule_node(inventory, r).is_some_and(admits_any_namespace))
                .collect();
            // A rule with no peers or a bare `namespaceSelector: {}` is
            // netpol-allows-all's, once on the policy; this check keeps the
            // rules that look narrower than they are.
            let Some(r) = admitting
                .iter()
                .find(|r| !rule_node(inventory, r).is_some_and(|n| reports_rule(n, "ingress")))
            else {
                continue; // the namespaces of the input are listed, or the rule is reported on the policy
            };
            let location = rampart_model::Location {
                file: r.policy.location.file.clone(),
                line: if r.line > 0 { r.line } else { r.policy.location.line },
            };
            let rule = format!(" through rule {} of NetworkPolicy {}", r.index, r.policy.resource.name);
            emit.resource(resource, "spec".to_string(), location,
                format!("pods of every namespace can connect to it{rule}"));
        }
    }),
};
