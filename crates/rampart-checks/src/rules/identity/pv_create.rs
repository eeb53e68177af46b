use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{cluster_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-pv-create",
        title: "Role can create PersistentVolumes",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "A PersistentVolume can be a hostPath volume: creating one and claiming it mounts any directory of a node into a pod, bypassing Pod Security admission's hostPath control.",
        remediation: "Leave PersistentVolume creation to storage provisioners (dynamic provisioning through StorageClasses).",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::PvCreate, cluster_binding, fixed, |_| {
            "an attacker holding it mounts any node directory through a hostPath PersistentVolume"
        })
    }),
};
