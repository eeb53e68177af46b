use std::collections::HashMap;

use rampart_model::{Area, PodTemplate, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::admission::{is_system_namespace, label, strictest_satisfied, Level, ENFORCE};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "psa-free-hardening",
        title: "Namespace could enforce a stricter Pod Security level today",
        area: Area::Admission,
        severity: Severity::Low,
        rationale: "Every workload in the namespace already satisfies a stricter Pod Security level than the one \
            enforced. Raising the label breaks nothing and stops the next deployment (or an attacker with pod \
            creation rights) from introducing a privileged pod.",
        remediation: "Set `pod-security.kubernetes.io/enforce` to the level named in the finding.",
        references: &["https://kubernetes.io/docs/concepts/security/pod-security-admission/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let mut by_ns: HashMap<&str, Vec<PodTemplate<'_>>> = HashMap::new();
        for pod in emit.context().pods() {
            if let Some(ns) = pod.object.id.namespace.as_deref() {
                by_ns.entry(ns).or_default().push(*pod);
            }
        }
        for ns in inventory.of_kind("Namespace") {
            if is_system_namespace(&ns.id.name) {
                continue;
            }
            let Some(pods) = by_ns.get(ns.id.name.as_str()) else { continue };
            let (node, current) = label(ns, ENFORCE);
            let current = current.unwrap_or(Level::Privileged);
            let possible = strictest_satisfied(pods, emit);
            if possible > current {
                emit.object(ns, None, format!("metadata.labels.{ENFORCE}"),
                    &[node, ns.metadata().get("labels"), ns.root.get("metadata")],
                    if pods.len() == 1 {
                        format!("the only workload of the namespace already satisfies {}, but it enforces {}",
                            possible.name(), current.name())
                    } else {
                        format!("all {} workloads of the namespace already satisfy {}, but it enforces {}",
                            pods.len(), possible.name(), current.name())
                    });
            }
        }
    }),
};
