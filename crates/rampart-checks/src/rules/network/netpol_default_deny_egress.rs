use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::other_engine_namespaces;
use crate::rules::quotas::{namespace_ref, workload_namespaces};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-default-deny-egress",
        title: "Namespace without default-deny egress",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "Without a NetworkPolicy selecting every pod for Egress, every pod of the namespace can open connections anywhere: to the internet (data exfiltration, command and control, downloading tools), to the cloud metadata service (node credentials) and to every other pod.",
        remediation: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]` and no rules, then allow the flows the namespace needs explicitly.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let Some(other) = other_engine_namespaces(inventory) else {
            return; // a cluster-wide policy of another engine may cover it
        };
        let model = emit.context().network();
        for (ns, (_, location)) in workload_namespaces(inventory, &emit.context().pods()) {
            if other.contains(&ns) || model.isolation(&ns).1 {
                continue;
            }
            emit.resource(namespace_ref(&ns), String::new(), location,
                format!("namespace {ns} has no default-deny egress policy: its pods can open connections to any destination"));
        }
    }),
};
