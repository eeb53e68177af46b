//! Admission: Pod Security Admission labels on namespaces.

use rampart_model::{Finding, Node, Object, PodTemplate, PssLevel};

use crate::check::{Emitter, Logic};
use crate::REGISTRY;

pub mod psa_audit_warn_missing;
pub mod psa_enforce_missing;
pub mod psa_enforce_weak;
pub mod psa_free_hardening;

pub(crate) const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
pub(crate) const AUDIT: &str = "pod-security.kubernetes.io/audit";
pub(crate) const WARN: &str = "pod-security.kubernetes.io/warn";

/// Namespaces run by the cluster itself, where privileged system pods are expected.
pub(crate) fn is_system_namespace(name: &str) -> bool {
    matches!(name, "kube-system" | "kube-public" | "kube-node-lease")
}

/// A Pod Security level; `Privileged` when no (valid) label is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// The label node and the level it sets.
pub(crate) fn label<'a>(ns: &'a Object, key: &str) -> (Option<&'a Node>, Option<Level>) {
    let node = ns.labels().get(key);
    (node, node.and_then(Node::as_str).and_then(Level::parse))
}

/// The strictest level every one of `pods` satisfies, judged by rampart's
/// own Pod Security checks.
pub(crate) fn strictest_satisfied(pods: &[PodTemplate<'_>], emit: &Emitter<'_>) -> Level {
    let mut findings: Vec<Finding> = Vec::new();
    for check in REGISTRY.iter().filter(|c| c.meta.pss.is_some()) {
        if let Logic::Pod(f) = &check.logic {
            let mut tmp = Emitter::new(&check.meta, emit.context(), &mut findings);
            for pod in pods {
                f(pod, &mut tmp);
            }
        }
    }
    if findings
        .iter()
        .any(|f| f.pss.is_some_and(|p| p.level == PssLevel::Baseline))
    {
        Level::Privileged
    } else if findings.is_empty() {
        Level::Restricted
    } else {
        Level::Baseline
    }
}
