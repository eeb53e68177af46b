//! Risk and area scores. The formulas are documented in docs/plan.md.

use rampart_model::{Area, Finding, Inventory, PodTemplate, Severity};
use serde::Serialize;

use crate::actions::key;
use crate::Exposure;

/// Weight of each attack path an action cuts.
pub(crate) const PATH_WEIGHT: f64 = 15.0;

fn severity_weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 25.0,
        Severity::High => 10.0,
        Severity::Medium => 3.0,
        Severity::Low => 1.0,
        Severity::Info => 0.0,
    }
}

/// Checks whose findings are directly exploitable (a known technique turns
/// them into node or cluster access without further conditions).
fn exploitability(check: &str) -> f64 {
    match check {
        "pss-privileged"
        | "runtime-socket-mount"
        | "sensitive-host-path"
        | "pss-host-process"
        | "rbac-escalate-bind"
        | "rbac-impersonate"
        | "rbac-nodes-proxy"
        | "rbac-csr-approve"
        | "rbac-cluster-admin-binding"
        | "gitops-cluster-admin"
        | "ci-runner-privileged-pods"
        | "cloud-static-credentials"
        | "secret-in-env-literal"
        | "rbac-anonymous-binding" => 1.5,
        _ => 1.0,
    }
}

/// risk(finding) = severity weight × exposure × exploitability.
pub(crate) fn finding_risk(f: &Finding, _index: usize, exposure: &Exposure) -> f64 {
    let k = key(&f.resource);
    let exposed = if exposure.internet_facing.contains(&k) {
        2.0
    } else if exposure.third_party.contains(&k) {
        1.5
    } else {
        1.0
    };
    severity_weight(f.severity) * exposed * exploitability(f.check)
}

/// The score of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaScore {
    pub area: Area,
    /// 0-100, `None` when nothing in the input assesses the area.
    pub score: Option<u32>,
    /// How many units (workloads, namespaces, roles...) were assessed.
    pub assessed: usize,
    pub findings: usize,
    /// For unassessed areas: what input would assess it.
    pub hint: Option<&'static str>,
}

fn unit_penalty(s: Severity) -> f64 {
    match s {
        Severity::Critical => 60.0,
        Severity::High => 30.0,
        Severity::Medium => 10.0,
        Severity::Low => 3.0,
        Severity::Info => 0.0,
    }
}

/// Score every area: each assessed unit starts at 100 and loses a penalty
/// per active finding (critical 60, high 30, medium 10, low 3), floored at
/// 0; the area's score is the mean over its units.
pub fn area_scores(
    findings: &[Finding],
    inventory: &Inventory,
    assessed_network: bool,
    assessed_paths: bool,
) -> Vec<AreaScore> {
    use rayon::prelude::*;
    let (workloads, rbac) = inventory
        .objects
        .par_iter()
        .map(|o| {
            (
                usize::from(PodTemplate::of(o).is_some()),
                usize::from(o.id.group() == "rbac.authorization.k8s.io"),
            )
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let namespaces: std::collections::BTreeSet<&str> = inventory
        .objects
        .iter()
        .filter_map(|o| o.id.namespace.as_deref())
        .collect();
    let third_party = findings
        .iter()
        .filter(|f| f.area == Area::ThirdParty)
        .count();
    Area::ALL
        .par_iter()
        .map(|&area| {
            let units = match area {
                Area::Workload => workloads,
                Area::Admission | Area::Quotas => namespaces.len(),
                Area::Identity => rbac + workloads,
                Area::ThirdParty => workloads.min(workloads.max(third_party)),
                Area::Network if assessed_network => namespaces.len() + workloads,
                Area::AttackPaths if assessed_paths => workloads,
                Area::Day2 => usize::from(findings.iter().any(|f| f.area == Area::Day2)),
                _ => 0,
            };
            let active: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.area == area && f.suppressed.is_none())
                .collect();
            // Per resource: kind, namespace and name, the parts of
            // `Kind/namespace/name` (names cannot hold a `/`, so the two
            // agree). Penalties are whole numbers: the order of the sum
            // below does not matter.
            let mut penalties: std::collections::HashMap<(&str, Option<&str>, &str), f64> =
                std::collections::HashMap::new();
            for f in &active {
                let r = &f.resource;
                *penalties
                    .entry((r.kind.as_str(), r.namespace.as_deref(), r.name.as_str()))
                    .or_default() += unit_penalty(f.severity);
            }
            // Resources with findings are assessed units even when the
            // input holds nothing else of the area.
            let units = units.max(penalties.len());
            if units == 0 {
                return AreaScore {
                    area,
                    score: None,
                    assessed: 0,
                    findings: 0,
                    hint: Some(hint(area)),
                };
            }
            let lost: f64 = penalties.values().map(|p| p.min(100.0)).sum();
            let mean = (100.0 * (1.0 - lost / (100.0 * units as f64)))
                .round()
                .clamp(0.0, 100.0) as u32;
            // One critical problem caps an area's maturity, however large the estate.
            let cap = match active.iter().map(|f| f.severity).max() {
                Some(Severity::Critical) => 40,
                Some(Severity::High) => 70,
                Some(Severity::Medium) => 90,
                _ => 100,
            };
            let score = mean.min(cap);
            AreaScore {
                area,
                score: Some(score),
                assessed: units,
                findings: active.len(),
                hint: None,
            }
        })
        .collect()
}

fn hint(area: Area) -> &'static str {
    match area {
        Area::CloudConfig => "give the Terraform of the managed cluster (EKS, GKE, AKS) to assess endpoint exposure, logging, secret encryption and node identity",
        Area::Network => "include NetworkPolicies, Services and Ingresses (or a cluster dump) to assess reachability and exposure",
        Area::Admission => "include Namespace objects to assess Pod Security Admission",
        Area::Runtime => "include the manifests of your runtime security agents (Falco, Tetragon, Tracee) and RuntimeClasses",
        Area::ThirdParty => "include the manifests of installed controllers and operators",
        Area::Monitoring => "give the API server's audit policy and log configuration",
        Area::Quotas => "include namespaced workloads to assess requests, limits and quotas",
        Area::Identity => "include Roles, ClusterRoles and their bindings",
        Area::Workload => "include workloads (Deployments, DaemonSets, Pods...)",
        Area::LandingZone => "describe cluster isolation and backups (Velero schedules, cluster-per-environment layout)",
        Area::Day2 => "run rampart regularly and keep its results to track drift and new findings",
        Area::AttackPaths => "run `rampart paths` with workloads and RBAC in the input",
        Area::Fleet => "scan several clusters' dumps together to compare them",
    }
}

/// Score the attack-paths area from the paths found: 100 without paths,
/// minus 25 per path to cluster-admin or kube-system secrets and 10 per
/// path to a node or a cloud identity, floored at 0.
pub fn score_paths(scores: &mut [AreaScore], paths: &[rampart_paths::AttackPath]) {
    use rampart_paths::Target;
    let Some(s) = scores.iter_mut().find(|s| s.area == Area::AttackPaths) else {
        return;
    };
    let lost: u32 = paths
        .iter()
        .map(|p| match p.target {
            Target::ClusterAdmin | Target::KubeSystemSecrets => 25,
            Target::Node | Target::CloudIdentity => 10,
        })
        .sum();
    s.score = Some(100u32.saturating_sub(lost));
    s.assessed = s.assessed.max(1);
    s.findings = paths.len();
    s.hint = None;
}
