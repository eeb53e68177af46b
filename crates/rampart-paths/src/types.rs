//! The data of attack paths, shared with renderers and the plan.

use rampart_model::{Location, ResourceRef};
use serde::Serialize;

/// What an attacker ultimately wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    ClusterAdmin,
    KubeSystemSecrets,
    Node,
    CloudIdentity,
}

impl Target {
    pub fn slug(self) -> &'static str {
        match self {
            Target::ClusterAdmin => "cluster-admin",
            Target::KubeSystemSecrets => "kube-system-secrets",
            Target::Node => "node",
            Target::CloudIdentity => "cloud-identity",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        [
            Target::ClusterAdmin,
            Target::KubeSystemSecrets,
            Target::Node,
            Target::CloudIdentity,
        ]
        .into_iter()
        .find(|t| t.slug() == s)
    }
}

/// A MITRE ATT&CK (or Microsoft Threat Matrix for Kubernetes) technique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Technique {
    /// ATT&CK id, such as `T1611`.
    pub id: &'static str,
    pub name: &'static str,
}

/// Why a step is possible: the object and field that allow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub resource: Option<ResourceRef>,
    pub location: Option<Location>,
    /// The field or fact, for people (`securityContext.privileged: true`).
    pub detail: String,
}

/// One move of the attacker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The vertex the step starts from, for people (`Deployment shop/frontend`).
    pub from: String,
    pub to: String,
    /// What the attacker does, in one sentence.
    pub action: String,
    pub technique: Technique,
    pub evidence: Evidence,
    /// What the step assumes when the input cannot tell (IMDSv1, a shared node).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
}

/// A remediation that breaks a path, and how many paths it breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// A stable key (`remove-host-access:Deployment/shop/web`), shared with the plan's actions.
    pub action: String,
    pub description: String,
    pub paths: usize,
}

/// One way from an entry point to a critical target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttackPath {
    pub target: Target,
    /// The entry point's resource.
    pub entry: ResourceRef,
    /// Why it is an entry point (internet-facing, third-party image, assumed breach).
    pub entry_reason: String,
    pub steps: Vec<Step>,
    /// Product of the steps' likelihoods (0-1).
    pub likelihood: f64,
    /// Keys of the remediation actions that would break this path.
    pub cut_by: Vec<String>,
}
