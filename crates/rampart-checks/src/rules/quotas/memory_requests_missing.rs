use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::missing_resource;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "memory-requests-missing",
        title: "No memory request",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "Without a memory request the scheduler cannot place the pod safely and it is among the first evicted under memory pressure.",
        remediation: "Set `resources.requests.memory`, or give the namespace a LimitRange with a default request.",
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| missing_resource(inventory, emit, "requests", "memory")),
};
