use rampart_model::{Area, Severity};
use rampart_network::Direction;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::missing_default_deny;

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
        missing_default_deny(
            inventory,
            emit,
            Direction::Egress,
            "its pods can open connections to any destination",
        )
    }),
};
