use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::missing_resource;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cpu-limits-missing",
        title: "No CPU limit",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "Without a CPU limit a container can use every idle core of its node; one compromised or runaway pod (a crypto miner is the classic case) then slows every neighbour. Limits also make scheduling and capacity predictable.",
        remediation: "Set `resources.limits.cpu`, or give the namespace a LimitRange with a default CPU limit.",
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| missing_resource(inventory, emit, "limits", "cpu")),
};
