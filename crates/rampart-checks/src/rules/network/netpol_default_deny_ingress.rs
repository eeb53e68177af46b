use rampart_model::{Area, Severity};
use rampart_network::Direction;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::missing_default_deny;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-default-deny-ingress",
        title: "Namespace without default-deny ingress",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "Without a NetworkPolicy selecting every pod for Ingress, every pod of the namespace accepts connections from every pod of the cluster: one compromised workload anywhere reaches databases, admin endpoints and internal APIs here.",
        remediation: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` and no rules, then allow the flows the namespace needs explicitly.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        missing_default_deny(
            inventory,
            emit,
            Direction::Ingress,
            "its pods are open to any source in the cluster",
        )
    }),
};
