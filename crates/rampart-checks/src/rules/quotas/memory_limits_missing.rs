use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::missing_resource;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "memory-limits-missing",
        title: "No memory limit",
        area: Area::Quotas,
        severity: Severity::Medium,
        rationale: "A container without a memory limit can take all the node's memory: the kernel then kills other pods (or node daemons) instead of it. A memory leak or a hostile process becomes a node-wide denial of service.",
        remediation: "Set `resources.limits.memory`, or give the namespace a LimitRange with a default memory limit.",
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| missing_resource(inventory, emit, "limits", "memory")),
};
