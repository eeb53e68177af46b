use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::missing_resource;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cpu-requests-missing",
        title: "No CPU request",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "Without a CPU request the scheduler places the pod as if it used no CPU, and under contention it is the first to starve: noisy or hostile neighbours can deny it service.",
        remediation: "Set `resources.requests.cpu` to the container's normal usage, or give the namespace a LimitRange with a default request.",
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| missing_resource(inventory, emit, "requests", "cpu")),
};
