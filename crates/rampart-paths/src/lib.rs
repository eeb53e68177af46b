//! Attack paths: from entry points (internet-facing workloads, third-party
//! components and mutable images, or every workload under `--assume-breach`)
//! through containers, tokens, RBAC, nodes and the cloud metadata service to
//! the critical targets, with evidence and ATT&CK techniques on every edge.
//!
//! The search runs backwards: one breadth-first search per target class over
//! the reversed graph gives every vertex its shortest (then most likely)
//! route to that class, so the cost is linear in the graph whatever the
//! number of entry points.

mod graph;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use rampart_model::{Inventory, PodTemplate, ResourceRef};
use rampart_network::{Matrix, NetworkModel};
use rampart_rbac::RbacModel;

pub use types::{AttackPath, Cut, Evidence, Step, Target, Technique};

use graph::{Graph, Vertex};

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Treat every workload as compromised.
    pub assume_breach: bool,
    /// Entry points besides internet-facing workloads, with why
    /// (third-party components, mutable images).
    pub extra_entries: BTreeMap<ResourceRef, String>,
    /// Only paths from entries whose `Kind/namespace/name` or `namespace/name` contains this.
    pub from: Option<String>,
    /// Only paths to this target.
    pub to: Option<Target>,
}

/// The paths, and what cuts them.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub paths: Vec<AttackPath>,
    /// Remediations, most paths cut first.
    pub cuts: Vec<Cut>,
}

/// Whether a vertex ends a path of `target`; `stored_only` leaves out the
/// node role, to find where it leads (the SCARLETEEL chain: node role, then
/// stored keys).
fn is_target(v: &Vertex, target: Target, stored_only: bool) -> bool {
    target_of(v) == Some(target)
        && !(stored_only && matches!(v, Vertex::Cloud(c) if c == graph::NODE_ROLE))
}

fn target_of(v: &Vertex) -> Option<Target> {
    match v {
        Vertex::ClusterAdmin => Some(Target::ClusterAdmin),
        Vertex::KubeSystemSecrets => Some(Target::KubeSystemSecrets),
        Vertex::Node(_) => Some(Target::Node),
        Vertex::Cloud(_) => Some(Target::CloudIdentity),
        _ => None,
    }
}

/// For every vertex, the best next edge towards `target` and the route's
/// (hops, likelihood): breadth-first over reversed edges, keeping the most
/// likely successor among those at the same distance.
fn route(
    g: &Graph,
    reverse: &[Vec<(usize, usize)>],
    target: Target,
    stored_only: bool,
) -> Vec<Option<(usize, u32, f64)>> {
    let mut best: Vec<Option<(usize, u32, f64)>> = vec![None; g.vertices.len()];
    let mut frontier: Vec<usize> = Vec::new();
    for (i, v) in g.vertices.iter().enumerate() {
        if is_target(v, target, stored_only) {
            best[i] = Some((usize::MAX, 0, 1.0));
            frontier.push(i);
        }
    }
    let mut depth = 0;
    while !frontier.is_empty() {
        depth += 1;
        let mut next: Vec<usize> = Vec::new();
        for &u in &frontier {
            let lik_u = best[u].map_or(0.0, |b| b.2);
            for &(p, ei) in &reverse[u] {
                let l = g.edges[p][ei].likelihood * lik_u;
                match best[p] {
                    None => {
                        best[p] = Some((ei, depth, l));
                        next.push(p);
                    }
                    Some((_, d, old)) if d == depth && l > old => best[p] = Some((ei, depth, l)),
                    _ => {}
                }
            }
        }
        frontier = next;
    }
    best
}

/// Compute the attack paths of an inventory. `pods` are the workloads
/// (controllers, not their Pods and ReplicaSets).
pub fn compute(
    inventory: &Inventory,
    pods: &[PodTemplate<'_>],
    rbac: &RbacModel,
    network: &NetworkModel,
    matrix: &Matrix,
    options: &Options,
) -> Paths {
    let exposures = rampart_network::exposure::exposures(inventory, pods);
    compute_exposed(inventory, pods, rbac, network, matrix, &exposures, options)
}

/// [`compute`] with the workloads' exposures already known (see
/// [`rampart_network::exposure::exposures`]).
pub fn compute_exposed(
    inventory: &Inventory,
    pods: &[PodTemplate<'_>],
    rbac: &RbacModel,
    network: &NetworkModel,
    matrix: &Matrix,
    exposures: &BTreeMap<ResourceRef, Vec<rampart_network::exposure::ExposedBy>>,
    options: &Options,
) -> Paths {
    let g = graph::build(inventory, pods, rbac, network, matrix);
    let mut reverse: Vec<Vec<(usize, usize)>> = vec![Vec::new(); g.vertices.len()];
    for (from, edges) in g.edges.iter().enumerate() {
        for (ei, e) in edges.iter().enumerate() {
            reverse[e.to].push((from, ei));
        }
    }
    // Entry points.
    let mut entries: Vec<(usize, String, Technique, f64)> = Vec::new();
    for (wi, w) in g.workloads.iter().enumerate() {
        let v = g.index[&Vertex::Workload(wi)];
        if let Some(ways) = exposures.get(&w.id) {
            if let Some(x) = ways.iter().find(|x| x.internet) {
                entries.push((
                    v,
                    format!("exposed by {} {} ({})", x.via, x.object.name, x.detail),
                    graph::T_EXPLOIT,
                    0.5,
                ));
                continue;
            }
        }
        if let Some(reason) = options.extra_entries.get(&w.id) {
            entries.push((v, reason.clone(), graph::T_SUPPLY, 0.3));
            continue;
        }
        if options.assume_breach {
            entries.push((
                v,
                "assumed compromised (--assume-breach)".to_string(),
                graph::T_VALID,
                1.0,
            ));
        }
    }
    if let Some(f) = &options.from {
        entries.retain(|(v, ..)| {
            let Vertex::Workload(wi) = &g.vertices[*v] else {
                return false;
            };
            let r = &g.workloads[*wi].id;
            let short = format!("{}/{}", r.namespace.as_deref().unwrap_or(""), r.name);
            let long = format!("{}/{}", r.kind, short);
            short.contains(f.as_str()) || long.contains(f.as_str())
        });
    }
    let targets: Vec<Target> = match options.to {
        Some(t) => vec![t],
        None => vec![
            Target::ClusterAdmin,
            Target::KubeSystemSecrets,
            Target::Node,
            Target::CloudIdentity,
        ],
    };
    let mut paths = Vec::new();
    for target in targets {
        let mut routes = vec![route(&g, &reverse, target, false)];
        if target == Target::CloudIdentity {
            routes.push(route(&g, &reverse, target, true));
        }
        for (entry, reason, technique, entry_likelihood) in &entries {
            let mut ends = BTreeSet::new();
            for best in &routes {
                let Some(p) = walk(
                    &g,
                    best,
                    *entry,
                    target,
                    reason,
                    *technique,
                    *entry_likelihood,
                ) else {
                    continue;
                };
                // The second route only adds a path that ends elsewhere.
                if ends.insert(p.steps.last().map(|s| s.to.clone())) {
                    paths.push(p);
                }
            }
        }
    }
    // Shortest first, then most likely; stable by target and entry.
    paths.sort_by(|a, b| {
        a.target
            .cmp(&b.target)
            .then(a.steps.len().cmp(&b.steps.len()))
            .then(b.likelihood.total_cmp(&a.likelihood))
            .then(a.entry.cmp(&b.entry))
    });
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &paths {
        for c in &p.cut_by {
            *counts.entry(c.as_str()).or_default() += 1;
        }
    }
    let mut cuts: Vec<Cut> = counts
        .into_iter()
        .map(|(action, n)| Cut {
            action: action.to_string(),
            description: describe_cut(action),
            paths: n,
        })
        .collect();
    cuts.sort_by(|a, b| b.paths.cmp(&a.paths).then(a.action.cmp(&b.action)));
    Paths { paths, cuts }
}

/// Follow the successors from `entry` to build its path.
fn walk(
    g: &Graph,
    best: &[Option<(usize, u32, f64)>],
    entry: usize,
    target: Target,
    reason: &str,
    technique: Technique,
    entry_likelihood: f64,
) -> Option<AttackPath> {
    let (_, hops, lik) = best[entry]?;
    let Vertex::Workload(wi) = g.vertices[entry] else {
        return None;
    };
    let info = &g.workloads[wi];
    let mut steps = vec![Step {
        from: "the attacker".to_string(),
        to: g.name(entry),
        action: format!("compromise {} ({reason})", info.id.display()),
        technique,
        evidence: Evidence {
            resource: Some(info.id.clone()),
            location: Some(info.location.clone()),
            detail: reason.to_string(),
        },
        assumption: None,
    }];
    let mut cut_by = BTreeSet::new();
    let mut at = entry;
    let mut guard = 0;
    while let Some((ei, _, _)) = best[at] {
        if ei == usize::MAX || guard > hops + 1 {
            break;
        }
        guard += 1;
        let e = &g.edges[at][ei];
        if let Some(c) = &e.cut {
            cut_by.insert(c.clone());
        }
        steps.push(Step {
            from: g.name(at),
            to: g.name(e.to),
            action: e.action.clone(),
            technique: e.technique,
            evidence: e.evidence.clone(),
            assumption: e.assumption.clone(),
        });
        at = e.to;
    }
    Some(AttackPath {
        target,
        entry: info.id.clone(),
        entry_reason: reason.to_string(),
        steps,
        likelihood: entry_likelihood * lik,
        cut_by: cut_by.into_iter().collect(),
    })
}

/// A sentence for a cut key (`kind:Kind/ns/name`).
fn describe_cut(key: &str) -> String {
    let (kind, target) = key.split_once(':').unwrap_or((key, ""));
    let shown = match target.split_once('/') {
        Some((k, rest)) => format!("{k} {rest}"),
        None => target.to_string(),
    };
    if kind == "service-account-token" && target.starts_with("Secret/") {
        return format!("delete the long-lived token {shown}");
    }
    let what = match kind {
        "remove-host-access" => "remove host access and privileges from",
        "service-account-token" => {
            "stop mounting the service-account token (or narrow its account) in"
        }
        "block-metadata" => "block the cloud metadata service for",
        "move-credentials" => "remove the static cloud credentials from",
        "narrow-role" => "reduce the permissions of",
        "remove-binding" => "remove or narrow",
        "enforce-pod-security" => "enforce the baseline or restricted Pod Security level on",
        _ => "fix",
    };
    format!("{what} {shown}")
}
