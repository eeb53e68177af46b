use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, podcreate_severity, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-pod-create",
        title: "Role can create pods or pod-owning workloads",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "Whoever can create a pod (directly, or through a Deployment, Job, DaemonSet and the like) can run it as any service account of the namespace, and so holds every permission of every service account there; where Pod Security admission allows privileged pods, the pod mounts the node and escapes to it.",
        remediation: "Limit pod and workload creation to CI/CD identities and operators that need it, namespace by namespace; enforce the restricted Pod Security level where they create pods so that no created pod can be privileged.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::PodCreate, any_binding, podcreate_severity, |cluster| {
            if cluster {
                "an attacker holding it runs a pod in any namespace with any service account, and a privileged pod on any node where admission allows it"
            } else {
                "an attacker holding it runs pods as any service account of the namespace, and escapes to the node if admission allows privileged pods there"
            }
        })
    }),
};
