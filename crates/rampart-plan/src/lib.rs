//! The plan: findings become remediation actions (one change a person
//! makes), ranked by risk removed per unit of effort, plus a 0-100 score for
//! every area. Pure functions of the findings and the inventory; the same
//! input always gives the same plan.

mod actions;
mod score;

use std::collections::BTreeMap;

use rampart_model::{Finding, Inventory};
use rayon::prelude::*;
use serde::Serialize;

pub use actions::{ActionKind, Effort};
pub use score::{area_scores, score_paths, AreaScore};

/// Facts about resources that raise the risk of their findings.
#[derive(Debug, Default, Clone)]
pub struct Exposure {
    /// `Kind/namespace/name` of internet-facing workloads.
    pub internet_facing: std::collections::BTreeSet<String>,
    /// Workloads of third-party components.
    pub third_party: std::collections::BTreeSet<String>,
    /// Remediations that cut attack paths: (action id, description, paths cut).
    /// Ids follow the plan's `kind:Kind/namespace/name` form.
    pub path_cuts: Vec<(String, String, usize)>,
}

/// One remediation action.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// Stable identifier, `KIND:TARGET`.
    pub id: String,
    pub kind: ActionKind,
    /// What to do, in one line ("enforce Pod Security restricted on namespace payments").
    pub title: String,
    /// The object the change is made to, `Kind/namespace/name` (or a namespace).
    pub target: String,
    /// Indices into the scan's findings.
    pub findings: Vec<usize>,
    /// Check ids closed, for people.
    pub checks: Vec<&'static str>,
    /// Attack paths the action cuts.
    pub paths_cut: usize,
    pub effort: Effort,
    /// Why the effort is what it is.
    pub effort_rule: &'static str,
    /// Risk removed (see docs/plan.md for the formula).
    pub risk: f64,
    /// Risk removed per unit of effort: the ranking key.
    pub score: f64,
    /// The concrete change: a patch, a command or a manifest to apply.
    pub fix: String,
    /// `yaml`, `shell` or `text`, for rendering the fix.
    pub fix_language: &'static str,
}

/// Build and rank the plan. Suppressed findings are not acted on.
pub fn plan(findings: &[Finding], inventory: &Inventory, exposure: &Exposure) -> Vec<Action> {
    let mut actions = actions::group(findings, inventory);
    let cuts: std::collections::HashMap<&str, usize> = exposure
        .path_cuts
        .iter()
        .rev()
        .map(|(id, _, n)| (id.as_str(), *n))
        .collect();
    actions.par_iter_mut().for_each(|a| {
        // Each check counts once per action, at its riskiest finding: ten
        // containers missing a CPU limit are one problem, not ten.
        let mut per_check: BTreeMap<&str, f64> = BTreeMap::new();
        for &i in &a.findings {
            let r = score::finding_risk(&findings[i], i, exposure);
            let slot = per_check.entry(findings[i].check).or_insert(0.0);
            *slot = slot.max(r);
        }
        a.risk = per_check.values().sum();
        a.paths_cut = cuts.get(a.id.as_str()).copied().unwrap_or(0);
        a.risk += score::PATH_WEIGHT * a.paths_cut as f64;
        a.score = a.risk / a.effort.cost();
    });
    // Cuts that no finding's action covers become actions of their own
    // (a service-account token that leads to cluster-admin is not a
    // finding, but removing it cuts paths).
    let mut taken: std::collections::HashSet<&str> =
        actions.iter().map(|a| a.id.as_str()).collect();
    let mut extra = Vec::new();
    for (id, description, n) in &exposure.path_cuts {
        if !taken.insert(id.as_str()) {
            continue;
        }
        let mut a = actions::from_cut(id, description);
        a.paths_cut = *n;
        a.risk = score::PATH_WEIGHT * *n as f64;
        a.score = a.risk / a.effort.cost();
        extra.push(a);
    }
    drop(taken);
    actions.extend(extra);
    // Highest score first; ties by risk, then by id, so order never varies.
    actions.par_sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.risk.total_cmp(&a.risk))
            .then(a.id.cmp(&b.id))
    });
    actions
}

#[cfg(test)]
mod tests;
