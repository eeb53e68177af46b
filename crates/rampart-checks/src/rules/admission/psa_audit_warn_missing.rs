use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::admission::{is_system_namespace, label, Level, AUDIT, ENFORCE, WARN};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "psa-audit-warn-missing",
        title: "Namespace has no Pod Security audit or warn level",
        area: Area::Admission,
        severity: Severity::Low,
        rationale: "The `audit` and `warn` labels report pods that would break a stricter level without \
            rejecting them: they are how a team sees the way to restricted, and how violations that enforcement \
            lets through still reach the audit log.",
        remediation: "Add `pod-security.kubernetes.io/audit: restricted` and `pod-security.kubernetes.io/warn: \
            restricted` to the namespace.",
        references: &["https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Namespace" || is_system_namespace(&object.id.name) {
            return;
        }
        // Enforcing restricted already: audit and warn would add nothing.
        if label(object, ENFORCE).1 == Some(Level::Restricted) {
            return;
        }
        let missing: Vec<&str> = [AUDIT, WARN]
            .into_iter()
            .filter(|key| label(object, key).1.is_none())
            .map(|key| key.rsplit('/').next().unwrap_or(key))
            .collect();
        if !missing.is_empty() {
            emit.object(object, None, "metadata.labels".to_string(),
                &[object.metadata().get("labels"), object.root.get("metadata")],
                format!("namespace sets no Pod Security {} level", missing.join(" or ")));
        }
    }),
};
