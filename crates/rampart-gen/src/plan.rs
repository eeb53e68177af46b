//! The estate plan: what exists and where, decided up front and sequentially from the seed.
//!
//! The plan holds only what objects refer to across units (namespace names and labels, workload
//! names, kinds, replica counts and ports, how many service accounts/roles/bindings/policies each
//! namespace has). The objects themselves are generated later, in parallel, each from its own
//! derived random stream.

use crate::rng::Rng;
use crate::vocab::*;

/// Size knobs. `Config::new` fills the defaults derived from the pod count.
#[derive(Clone, Debug)]
pub struct Config {
    /// Pods: the sum of replicas (DaemonSets count once per node); with `live`, Pod objects.
    pub pods: usize,
    pub seed: u64,
    /// Emit what a live cluster dump holds: ReplicaSets, Jobs and Pods owned by the controllers,
    /// server-set metadata (uid, resourceVersion, creationTimestamp) and defaulted fields.
    pub live: bool,
    pub namespaces: usize,
    pub service_accounts: usize,
    /// Roles plus ClusterRoles.
    pub roles: usize,
    /// RoleBindings plus ClusterRoleBindings.
    pub bindings: usize,
    /// NetworkPolicies.
    pub policies: usize,
    /// Nodes: DaemonSets run one pod on each.
    pub nodes: usize,
}

impl Config {
    pub fn new(pods: usize, seed: u64, live: bool) -> Config {
        let namespaces = (pods / 200).max(5);
        Config {
            pods,
            seed,
            live,
            namespaces,
            service_accounts: (pods / 20).max(namespaces),
            roles: (pods / 5).max(4),
            bindings: (pods / 5).max(4),
            policies: (pods / 50).max(3),
            nodes: 3,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
        }
    }
}

/// What a workload runs, which decides its images, ports and host access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// A team service: API, web frontend, worker.
    App,
    /// A datastore run in-cluster (StatefulSet).
    Store(usize),
    /// A node agent (DaemonSet), index into `AGENTS`.
    Agent(usize),
    /// A batch job or cron job.
    Batch,
    /// A cluster add-on, index into `INFRA`.
    Infra(usize),
}

#[derive(Clone, Debug)]
pub struct Workload {
    pub name: String,
    pub kind: Kind,
    pub flavor: Flavor,
    /// Pods this workload accounts for (replicas, nodes for DaemonSets, completions for Jobs,
    /// one for CronJobs: the last run kept by the history limit).
    pub pods: u32,
    /// Main container port and its name, if it serves.
    pub port: Option<(u16, &'static str)>,
    pub tier: &'static str,
    pub index: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Psa {
    None,
    Restricted,
    Baseline,
    Privileged,
}

#[derive(Clone, Debug)]
pub struct Namespace {
    pub name: String,
    pub team: &'static str,
    pub env: &'static str,
    pub system: bool,
    pub enforce: Psa,
    pub index: usize,
    pub workloads: Vec<Workload>,
    pub pods: usize,
    pub service_accounts: usize,
    pub roles: usize,
    pub role_bindings: usize,
    pub policies: usize,
}

#[derive(Debug)]
pub struct Plan {
    pub namespaces: Vec<Namespace>,
    pub cluster_roles: usize,
    pub cluster_role_bindings: usize,
    pub nodes: Vec<String>,
}

impl Plan {
    pub fn new(cfg: &Config) -> Plan {
        let mut rng = Rng::derived(cfg.seed, &[0x504c_414e]);
        let n_ns = cfg.namespaces.max(1);
        let n_sys = if n_ns >= 5 {
            SYSTEM_NAMESPACES.len()
        } else {
            0
        };
        let mut namespaces = Vec::with_capacity(n_ns);
        for (i, (name, team, psa)) in SYSTEM_NAMESPACES.iter().enumerate().take(n_sys) {
            namespaces.push(Namespace::new(
                name.to_string(),
                team,
                "prod",
                true,
                *psa,
                i,
            ));
        }
        let team_offset = rng.below(TEAMS.len());
        for i in 0..n_ns - n_sys {
            let team = TEAMS[(i + team_offset) % TEAMS.len()];
            let round = i / TEAMS.len();
            let env = ENVS[round % ENVS.len()];
            let k = round / ENVS.len();
            let name = if k == 0 {
                format!("{team}-{env}")
            } else {
                let sub = SUBSYSTEMS[(k - 1) % SUBSYSTEMS.len()];
                match (k - 1) / SUBSYSTEMS.len() {
                    0 => format!("{team}-{sub}-{env}"),
                    n => format!("{team}-{sub}{n}-{env}"),
                }
            };
            let enforce = match env {
                "prod" => [Psa::Restricted, Psa::Baseline, Psa::None][rng.weighted(&[50, 20, 30])],
                "staging" => [Psa::Restricted, Psa::Baseline, Psa::Privileged, Psa::None]
                    [rng.weighted(&[30, 30, 10, 30])],
                _ => [Psa::Baseline, Psa::Privileged, Psa::None][rng.weighted(&[25, 15, 60])],
            };
            namespaces.push(Namespace::new(name, team, env, false, enforce, n_sys + i));
        }

        let nodes: Vec<String> = (0..cfg.nodes)
            .map(|_| {
                format!(
                    "ip-10-0-{}-{}.eu-west-1.compute.internal",
                    rng.range(0, 63),
                    rng.range(1, 254)
                )
            })
            .collect();
        let nodes = dedup_nodes(nodes);

        let mut remaining = cfg.pods;
        let n_nodes = nodes.len();
        // Cluster add-ons first, while the budget allows.
        if n_sys > 0 {
            for (idx, infra) in INFRA.iter().enumerate() {
                let pods = match infra.kind {
                    Kind::DaemonSet => n_nodes,
                    _ => infra.replicas as usize,
                };
                if pods == 0 || pods > remaining || cfg.pods < 100 {
                    continue;
                }
                remaining -= pods;
                let ns = &mut namespaces[infra.namespace];
                let index = ns.workloads.len();
                ns.workloads.push(Workload {
                    name: infra.name.to_string(),
                    kind: infra.kind,
                    flavor: Flavor::Infra(idx),
                    pods: pods as u32,
                    port: infra.port,
                    tier: "platform",
                    index,
                });
                ns.pods += pods;
            }
        }

        // Team workloads: skewed namespace sizes, mostly Deployments.
        let team: Vec<usize> = (n_sys..n_ns).collect();
        let weights: Vec<u64> = team
            .iter()
            .map(|_| {
                let r = rng.range(0, 9);
                1 + r * r
            })
            .collect();
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut acc = 0u64;
        for w in &weights {
            acc += w;
            cumulative.push(acc);
        }
        let mut used: Vec<std::collections::HashMap<String, u32>> = vec![Default::default(); n_ns];
        while remaining > 0 && !team.is_empty() {
            let x = rng.next_u64() % acc;
            let slot = cumulative.partition_point(|&c| c <= x);
            let nsi = team[slot];
            let mut kind = [
                Kind::Deployment,
                Kind::StatefulSet,
                Kind::DaemonSet,
                Kind::Job,
                Kind::CronJob,
            ][rng.weighted(&[76, 9, 2, 5, 8])];
            if kind == Kind::DaemonSet && (n_nodes > remaining || n_nodes == 0) {
                kind = Kind::Deployment;
            }
            let (flavor, base, tier, port, pods) = match kind {
                Kind::Deployment => {
                    let c = rng.pick(COMPONENTS);
                    let prefix = rng.pick(PRODUCTS);
                    let pods = [1, 2, 3, 4, 6, 10, 24][rng.weighted(&[24, 30, 24, 8, 7, 5, 2])];
                    let pods = if pods > 3 {
                        pods + rng.below(pods / 2 + 1)
                    } else {
                        pods
                    };
                    (
                        Flavor::App,
                        format!("{prefix}-{}", c.name),
                        c.tier,
                        c.port,
                        pods,
                    )
                }
                Kind::StatefulSet => {
                    let s = rng.below(STORES.len());
                    let store = &STORES[s];
                    let prefix = rng.pick(PRODUCTS);
                    let pods = [1, 3, 5][rng.weighted(&[40, 50, 10])];
                    (
                        Flavor::Store(s),
                        format!("{prefix}-{}", store.name),
                        "data",
                        Some((store.port, store.port_name)),
                        pods,
                    )
                }
                Kind::DaemonSet => {
                    let a = rng.below(AGENTS.len());
                    (
                        Flavor::Agent(a),
                        AGENTS[a].name.to_string(),
                        "platform",
                        AGENTS[a].port,
                        n_nodes,
                    )
                }
                Kind::Job => {
                    let prefix = rng.pick(PRODUCTS);
                    let pods = [1, 2, 4][rng.weighted(&[80, 12, 8])];
                    (
                        Flavor::Batch,
                        format!("{prefix}-{}", rng.pick(JOBS)),
                        "batch",
                        None,
                        pods,
                    )
                }
                Kind::CronJob => {
                    let prefix = rng.pick(PRODUCTS);
                    (
                        Flavor::Batch,
                        format!("{prefix}-{}", rng.pick(CRONJOBS)),
                        "batch",
                        None,
                        1,
                    )
                }
            };
            let pods = pods.min(remaining);
            if kind == Kind::DaemonSet && pods < n_nodes {
                continue;
            }
            remaining -= pods;
            let seen = used[nsi].entry(base.clone()).or_insert(0);
            *seen += 1;
            let name = if *seen == 1 {
                base
            } else {
                format!("{base}-{seen}")
            };
            let ns = &mut namespaces[nsi];
            let index = ns.workloads.len();
            ns.workloads.push(Workload {
                name,
                kind,
                flavor,
                pods: pods as u32,
                port,
                tier,
                index,
            });
            ns.pods += pods;
        }

        // Everything else in proportion to namespace size.
        let weights: Vec<u64> = namespaces
            .iter()
            .map(|n| n.pods as u64 + if n.system { 1 } else { 4 })
            .collect();
        let cluster_roles = (cfg.roles / 10).max(cfg.roles.min(2));
        let cluster_role_bindings = (cfg.bindings / 20).max(cfg.bindings.min(2));
        let sas = allocate(cfg.service_accounts, &weights);
        let roles = allocate(cfg.roles - cluster_roles, &weights);
        let rbs = allocate(cfg.bindings - cluster_role_bindings, &weights);
        let nps = allocate(cfg.policies, &weights);
        for (i, ns) in namespaces.iter_mut().enumerate() {
            ns.service_accounts = sas[i];
            ns.roles = roles[i];
            ns.role_bindings = rbs[i];
            ns.policies = nps[i];
        }
        Plan {
            namespaces,
            cluster_roles,
            cluster_role_bindings,
            nodes,
        }
    }

    /// Pods the estate accounts for (equal to the Pod objects emitted with `--live`).
    pub fn pods(&self) -> usize {
        self.namespaces.iter().map(|n| n.pods).sum()
    }
}

impl Namespace {
    fn new(
        name: String,
        team: &'static str,
        env: &'static str,
        system: bool,
        enforce: Psa,
        index: usize,
    ) -> Namespace {
        Namespace {
            name,
            team,
            env,
            system,
            enforce,
            index,
            workloads: Vec::new(),
            pods: 0,
            service_accounts: 0,
            roles: 0,
            role_bindings: 0,
            policies: 0,
        }
    }
}

fn dedup_nodes(mut nodes: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    for (i, n) in nodes.iter_mut().enumerate() {
        if !seen.insert(n.clone()) {
            *n = format!(
                "ip-10-1-{}-{}.eu-west-1.compute.internal",
                i / 250,
                i % 250 + 1
            );
            seen.insert(n.clone());
        }
    }
    nodes
}

/// Split `total` in proportion to `weights` (largest remainder; ties to the lower index).
pub fn allocate(total: usize, weights: &[u64]) -> Vec<usize> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    let mut given = 0usize;
    for (i, &w) in weights.iter().enumerate() {
        let exact = total as u128 * u128::from(w);
        let base = (exact / sum) as usize;
        out.push(base);
        given += base;
        rems.push((exact % sum, i));
    }
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rems.iter().take(total - given) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocate_sums() {
        let a = allocate(10, &[1, 1, 1]);
        assert_eq!(a.iter().sum::<usize>(), 10);
        assert_eq!(a, vec![4, 3, 3]);
    }

    #[test]
    fn pods_exact() {
        for pods in [0, 1, 7, 99, 100, 1000, 12345] {
            let plan = Plan::new(&Config::new(pods, 3, false));
            assert_eq!(plan.pods(), pods);
        }
    }
}
