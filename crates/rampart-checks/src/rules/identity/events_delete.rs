use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-events-delete",
        title: "Role can delete events",
        area: Area::Identity,
        severity: Severity::Low,
        rationale: "Events record what happened to objects (pods started, images pulled, mounts failed). Deleting them hides an attacker's tracks from the people and tools reading them.",
        remediation: "Remove delete and deletecollection on events; nothing but the API server's own garbage collection needs them.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::EventsDelete, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it erases the cluster's event trail"
            } else {
                "an attacker holding it erases the namespace's event trail"
            }
        })
    }),
};
