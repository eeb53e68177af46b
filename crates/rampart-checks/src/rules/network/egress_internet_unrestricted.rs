use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::netpol_allows_all::reports_rule;
use crate::rules::network::{rule_node, where_is};

/// Whether an egress rule opens the whole internet rather than chosen
/// addresses: it names no peers, or an `ipBlock` covering a whole address
/// family (`0.0.0.0/0`, `::/0`), and it is not limited to DNS (port 53),
/// which pods need and which adds nothing to the DNS tunnel cluster DNS
/// already offers. A rule to `8.8.8.8/32` admits the internet endpoint but
/// not "any internet address".
fn opens_internet(rule: &Node) -> bool {
    let ports = rule.get("ports").and_then(Node::as_seq).unwrap_or(&[]);
    let dns_only = !ports.is_empty()
        && ports.iter().all(|p| {
            p.get("port").and_then(Node::as_i64) == Some(53) && p.get("endPort").is_none()
        });
    if dns_only {
        return false;
    }
    match rule.get("to").and_then(Node::as_seq) {
        None | Some([]) => true,
        Some(peers) => peers.iter().any(|p| {
            p.at(&["ipBlock", "cidr"])
                .and_then(Node::as_str)
                .is_some_and(|c| c.trim().ends_with("/0"))
        }),
    }
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "egress-internet-unrestricted",
        title: "Egress policy still allows the whole internet",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "The workload has an egress policy, but one of its rules admits any public address: data can \
            leave and tools can come in as if there were no policy. (Workloads without any egress policy are \
            reported per namespace by netpol-default-deny-egress.)",
        remediation: "Replace `0.0.0.0/0` (and `::/0`) with the addresses or egress gateway the workload really \
            needs, or route outbound traffic through an egress proxy.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let ctx = emit.context();
        let model = ctx.network();
        let Ok(internet) = model.find("internet") else { return };
        let matrix = ctx.matrix();
        // The egress side towards the internet depends only on the policies
        // selecting the workload: explain each distinct set once.
        let mut explained: std::collections::HashMap<Vec<usize>, Option<rampart_network::RuleRef>> =
            std::collections::HashMap::new();
        for e in model.endpoints().iter().filter(|e| e.is_workload() && !e.host_network) {
            if !model.isolated(e.id, rampart_network::Direction::Egress) || !matrix.allowed(e.id, internet) {
                continue;
            }
            let Some((resource, _)) = where_is(e) else { continue };
            let key = model.selecting(e.id, rampart_network::Direction::Egress);
            let found = explained.entry(key).or_insert_with(|| {
                let verdict = model.reach(e.id, internet, None);
                // A rule that allows everything (no peers and no ports, or
                // `0.0.0.0/0` without exceptions) is netpol-allows-all's, once
                // on the policy; this check keeps the narrower-looking ones.
                verdict.egress.allowing.into_iter().find(|r| {
                    rule_node(inventory, r).is_some_and(|n| opens_internet(n) && !reports_rule(n, "egress"))
                })
            });
            let Some(r) = found.as_ref() else {
                continue; // only chosen addresses, DNS, or a rule reported on the policy
            };
            let location = rampart_model::Location {
                file: r.policy.location.file.clone(),
                line: if r.line > 0 { r.line } else { r.policy.location.line },
            };
            let rule = format!(" (rule {} of NetworkPolicy {})", r.index, r.policy.resource.name);
            emit.resource(resource, "spec".to_string(), location,
                format!("pods can reach any internet address despite their egress policy{rule}"));
        }
    }),
};
