use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::admission::{is_system_namespace, label, Level, ENFORCE};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "psa-enforce-missing",
        title: "Namespace enforces no Pod Security level",
        area: Area::Admission,
        severity: Severity::High,
        rationale: "Without a `pod-security.kubernetes.io/enforce` label (or with `privileged`), the built-in Pod \
            Security Admission lets any pod into the namespace: privileged containers, host namespaces, hostPath \
            mounts. Anyone who can create a pod there can take a node.",
        remediation: "Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where \
            workloads need it), after checking with the `audit` and `warn` labels what would be rejected.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Namespace" || is_system_namespace(&object.id.name) {
            return;
        }
        let (node, level) = label(object, ENFORCE);
        let message = match (node, level) {
            (None, _) => "namespace has no pod-security.kubernetes.io/enforce label: any pod is admitted".to_string(),
            (Some(_), Some(Level::Privileged)) => "namespace enforces the privileged level: any pod is admitted".to_string(),
            (Some(_), None) => "namespace's pod-security.kubernetes.io/enforce label is not a valid level".to_string(),
            _ => return,
        };
        emit.object(object, None, format!("metadata.labels.{ENFORCE}"),
            &[node, object.metadata().get("labels"), object.root.get("metadata")], message);
    }),
};
