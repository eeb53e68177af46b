use std::collections::BTreeSet;

use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::where_is;

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
    logic: Logic::Inventory(|_, emit| {
        let ctx = emit.context();
        let model = ctx.network();
        let matrix = ctx.matrix();
        let workloads: Vec<&rampart_network::Endpoint> = model.endpoints().iter().filter(|e| e.is_workload()).collect();
        let namespaces: BTreeSet<&str> = workloads.iter().filter_map(|e| e.namespace.as_deref()).collect();
        if namespaces.len() < 2 {
            return;
        }
        for e in &workloads {
            let own = e.namespace.as_deref().unwrap_or("");
            let reached: BTreeSet<&str> = matrix
                .sources(e.id)
                .into_iter()
                .filter_map(|s| model.endpoints().get(s.0))
                .filter(|s| s.is_workload())
                .filter_map(|s| s.namespace.as_deref())
                .collect();
            if !namespaces.iter().all(|ns| *ns == own || reached.contains(ns)) {
                continue;
            }
            let Some(other) = workloads.iter().find(|w| w.namespace.as_deref() != Some(own)) else { continue };
            let verdict = model.reach(other.id, e.id, None);
            if !verdict.ingress.isolated {
                continue;
            }
            let Some((resource, location)) = where_is(e) else { continue };
            let (location, rule) = match verdict.ingress.allowing.first() {
                Some(r) => (
                    rampart_model::Location { file: r.policy.location.file.clone(), line: if r.line > 0 { r.line } else { r.policy.location.line } },
                    format!(" through rule {} of NetworkPolicy {}", r.index, r.policy.resource.name),
                ),
                None => (location, String::new()),
            };
            emit.resource(resource, "spec".to_string(), location,
                format!("pods of every namespace can connect to it{rule}"));
        }
    }),
};
