use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::missing_resource;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ephemeral-storage-limit-missing",
        title: "No ephemeral-storage limit",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "Container logs, writable layers and emptyDir volumes share the node's disk. Without an ephemeral-storage limit one pod can fill it, and the kubelet then evicts other pods to recover.",
        remediation: "Set `resources.limits.ephemeral-storage` (and a sizeLimit on emptyDir volumes), or a LimitRange default.",
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| missing_resource(inventory, emit, "limits", "ephemeral-storage")),
};
