//! RBAC: Roles and ClusterRoles with realistic rules (some dangerous), aggregated ClusterRoles,
//! and bindings to service accounts, users and groups, including built-in roles that the
//! estate does not define.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::{object, sa_name, with_labels, Gen};
use crate::rng::Rng;
use crate::util::labels;
use crate::vocab::*;

const RBAC_API: &str = "rbac.authorization.k8s.io/v1";
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

const READ: &[&str] = &["get", "list", "watch"];

/// A dangerous rule valid in a namespace.
fn dangerous_ns_rule(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => rule(&[""], &["secrets"], READ),
        1 => rule(&[""], &["pods/exec", "pods/attach"], &["create", "get"]),
        2 => rule(&[""], &["pods"], &["create", "delete", "patch"]),
        3 => rule(&["*"], &["*"], &["*"]),
        4 => rule(
            &[RBAC_GROUP],
            &["roles", "rolebindings"],
            &["create", "escalate", "bind"],
        ),
        5 => rule(&[""], &["serviceaccounts"], &["impersonate"]),
        6 => rule(&[""], &["serviceaccounts/token"], &["create"]),
        _ => rule(&[""], &["secrets"], &["*"]),
    }
}

/// A dangerous rule that only means something cluster-wide.
fn dangerous_cluster_rule(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => rule(&[""], &["nodes/proxy"], &["get", "create"]),
        1 => rule(
            &[""],
            &["users", "groups", "serviceaccounts"],
            &["impersonate"],
        ),
        2 => rule(
            &[RBAC_GROUP],
            &["clusterroles", "clusterrolebindings"],
            &["escalate", "bind", "create"],
        ),
        3 => rule(
            &["admissionregistration.k8s.io"],
            &[
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
            ],
            &["create", "update", "patch", "delete"],
        ),
        4 => rule(
            &["certificates.k8s.io"],
            &["certificatesigningrequests/approval"],
            &["update"],
        ),
        5 => rule(&[""], &["persistentvolumes"], &["create", "delete"]),
        _ => dangerous_ns_rule(rng),
    }
}

fn role_rules(base: &str, rng: &mut Rng) -> Vec<Value> {
    let mut rules = match base {
        "pod-reader" => vec![rule(&[""], &["pods", "pods/log"], READ)],
        "config-reader" => {
            let mut r = rule(&[""], &["configmaps"], &["get"]);
            if rng.pct(50) {
                r["resourceNames"] = json!(["app-config", "feature-flags"]);
            } else {
                r["verbs"] = json!(READ);
            }
            vec![r]
        }
        "leader-election" => vec![
            rule(
                &["coordination.k8s.io"],
                &["leases"],
                &["get", "create", "update"],
            ),
            rule(&[""], &["events"], &["create", "patch"]),
        ],
        "deployer" => vec![
            rule(
                &["apps"],
                &["deployments", "statefulsets"],
                &[
                    "get", "list", "watch", "create", "update", "patch", "delete",
                ],
            ),
            rule(
                &[""],
                &["services", "configmaps"],
                &["get", "list", "create", "update", "patch"],
            ),
        ],
        "secret-reader" => vec![rule(&[""], &["secrets"], READ)],
        "debugger" => vec![
            rule(&[""], &["pods", "pods/log"], READ),
            rule(&[""], &["pods/exec", "pods/portforward"], &["create"]),
        ],
        "app-operator" => {
            if rng.pct(30) {
                vec![rule(&["*"], &["*"], &["*"])]
            } else {
                vec![
                    rule(
                        &["apps"],
                        &["deployments/scale"],
                        &["get", "update", "patch"],
                    ),
                    rule(&[""], &["pods"], &["get", "list", "delete"]),
                ]
            }
        }
        "job-runner" => vec![
            rule(
                &["batch"],
                &["jobs", "cronjobs"],
                &["get", "list", "watch", "create", "delete"],
            ),
            rule(&[""], &["pods", "pods/log"], &["get", "list"]),
        ],
        "event-writer" => vec![rule(
            &["", "events.k8s.io"],
            &["events"],
            &["create", "patch", "update"],
        )],
        _ => vec![rule(&[""], &["services", "endpoints"], READ)],
    };
    if rng.pct(20) {
        rules.push(rule(&[""], &["configmaps"], READ));
    }
    if rng.pct(12) {
        rules.push(dangerous_ns_rule(rng));
    }
    rules
}

fn cluster_role_rules(base: &str, rng: &mut Rng) -> Vec<Value> {
    let mut rules = match base {
        "namespace-viewer" => vec![rule(&[""], &["namespaces"], READ)],
        "ci-deployer" => vec![
            rule(
                &["apps"],
                &["deployments", "statefulsets", "daemonsets"],
                &["get", "list", "create", "update", "patch"],
            ),
            rule(
                &[""],
                &["services", "configmaps", "secrets"],
                &["get", "list", "create", "update", "patch"],
            ),
        ],
        "monitoring-scraper" => vec![
            rule(
                &[""],
                &["nodes", "nodes/metrics", "services", "endpoints", "pods"],
                READ,
            ),
            json!({"nonResourceURLs": ["/metrics", "/metrics/cadvisor"], "verbs": ["get"]}),
        ],
        "secret-reader" => vec![rule(&[""], &["secrets"], READ)],
        "node-debugger" => vec![
            rule(&[""], &["nodes/proxy"], &["get", "create"]),
            rule(&[""], &["pods/exec"], &["create"]),
        ],
        "external-dns" => vec![
            rule(&[""], &["services", "endpoints", "pods"], READ),
            rule(&["networking.k8s.io"], &["ingresses"], READ),
            rule(&[""], &["nodes"], &["list", "watch"]),
        ],
        "cert-manager-controller" => vec![
            rule(
                &["cert-manager.io"],
                &["certificates", "certificaterequests", "issuers"],
                &["*"],
            ),
            rule(
                &[""],
                &["secrets"],
                &["get", "list", "watch", "create", "update", "delete"],
            ),
        ],
        "cluster-autoscaler" => vec![
            rule(
                &[""],
                &["nodes", "pods", "services", "persistentvolumeclaims"],
                READ,
            ),
            rule(&[""], &["pods/eviction"], &["create"]),
            rule(&[""], &["nodes"], &["update", "patch", "delete"]),
        ],
        "argo-application-controller" => vec![
            rule(&["*"], &["*"], &["*"]),
            json!({"nonResourceURLs": ["*"], "verbs": ["*"]}),
        ],
        "crd-viewer" => vec![rule(
            &["apiextensions.k8s.io"],
            &["customresourcedefinitions"],
            READ,
        )],
        _ => vec![rule(&[""], &["pods", "services"], READ)],
    };
    if rng.pct(15) {
        rules.push(dangerous_cluster_rule(rng));
    }
    rules
}

/// The aggregation label for the aggregating ClusterRole `name`.
fn aggregate_label(name: &str) -> String {
    format!("rbac.example.com/aggregate-to-{name}")
}

impl Gen<'_> {
    pub(super) fn cluster_roles(&self, rng: &mut Rng) -> Vec<Value> {
        let n = self.plan.cluster_roles;
        let names: Vec<String> = (0..n).map(|i| nth_name(CLUSTER_ROLE_NAMES, i)).collect();
        // platform-admin (slot 8) and security-auditor (slot 10) of each round aggregate.
        let aggregator = |i: usize| matches!(i % CLUSTER_ROLE_NAMES.len(), 8 | 10);
        let mut rules: Vec<Vec<Value>> = Vec::with_capacity(n);
        let mut role_labels: Vec<Map<String, Value>> = Vec::with_capacity(n);
        for (i, name) in names.iter().enumerate() {
            let round = i - i % CLUSTER_ROLE_NAMES.len();
            let base = CLUSTER_ROLE_NAMES[i % CLUSTER_ROLE_NAMES.len()];
            let mut l = Map::new();
            match i % CLUSTER_ROLE_NAMES.len() {
                0..=2 => {
                    l.insert(
                        aggregate_label(&nth_name(CLUSTER_ROLE_NAMES, round + 8)),
                        "true".into(),
                    );
                }
                11 => {
                    l.insert(
                        aggregate_label(&nth_name(CLUSTER_ROLE_NAMES, round + 10)),
                        "true".into(),
                    );
                    l.insert(
                        "rbac.authorization.k8s.io/aggregate-to-view".into(),
                        "true".into(),
                    );
                }
                5 | 6 => {
                    l.insert("app.kubernetes.io/name".into(), name.as_str().into());
                }
                _ => {}
            }
            role_labels.push(l);
            rules.push(if aggregator(i) {
                Vec::new()
            } else {
                cluster_role_rules(base, rng)
            });
        }
        let mut out = Vec::with_capacity(n);
        for (i, name) in names.iter().enumerate() {
            let meta = with_labels(
                self.meta("ClusterRole", None, name),
                role_labels[i].clone(),
                Map::new(),
            );
            let mut rest = Vec::new();
            if aggregator(i) {
                let label = aggregate_label(name);
                rest.push((
                    "aggregationRule",
                    json!({"clusterRoleSelectors": [{"matchLabels": {label.as_str(): "true"}}]}),
                ));
                if self.live() {
                    // The aggregation controller's union of the selected roles' rules.
                    let union: Vec<Value> = (0..n)
                        .filter(|&j| role_labels[j].get(&label).is_some())
                        .flat_map(|j| rules[j].clone())
                        .collect();
                    rest.push(("rules", Value::Array(union)));
                }
            } else {
                rest.push(("rules", Value::Array(rules[i].clone())));
            }
            out.push(object(RBAC_API, "ClusterRole", meta, rest));
        }
        out
    }

    pub(super) fn cluster_role_bindings(&self, rng: &mut Rng) -> Vec<Value> {
        let mut used = Names::default();
        let mut out = Vec::new();
        let nss = &self.plan.namespaces;
        for _ in 0..self.plan.cluster_role_bindings {
            let role = if self.plan.cluster_roles > 0 && rng.pct(65) {
                nth_name(CLUSTER_ROLE_NAMES, rng.below(self.plan.cluster_roles))
            } else {
                [
                    "view",
                    "edit",
                    "admin",
                    "cluster-admin",
                    "system:auth-delegator",
                ][rng.weighted(&[35, 15, 10, 30, 10])]
                .to_string()
            };
            let mut subjects = Vec::new();
            let mut short = String::new();
            for _ in 0..if rng.pct(25) { 2 } else { 1 } {
                let (s, sh) = match rng.weighted(&[60, 25, 15]) {
                    0 => {
                        let ns = &nss[rng.below(nss.len())];
                        let sa = if ns.service_accounts > 0 {
                            sa_name(rng.below(ns.service_accounts))
                        } else {
                            "default".to_string()
                        };
                        let sh = format!("{}-{sa}", ns.name);
                        (
                            json!({"kind": "ServiceAccount", "name": sa, "namespace": ns.name}),
                            sh,
                        )
                    }
                    1 => {
                        let g = match rng.weighted(&[60, 15, 10, 15]) {
                            0 => format!("team-{}-admins", rng.pick(TEAMS)),
                            1 => "oidc:platform-engineers".to_string(),
                            2 => "system:authenticated".to_string(),
                            _ => "system:serviceaccounts".to_string(),
                        };
                        let sh = g.replace(':', "-");
                        (
                            json!({"kind": "Group", "apiGroup": RBAC_GROUP, "name": g}),
                            sh,
                        )
                    }
                    _ => {
                        let u = *rng.pick(USERS);
                        let sh = u.split('@').next().unwrap_or(u).to_string();
                        (
                            json!({"kind": "User", "apiGroup": RBAC_GROUP, "name": u}),
                            sh,
                        )
                    }
                };
                if short.is_empty() {
                    short = sh;
                }
                subjects.push(s);
            }
            let base = format!("{}-{short}", role.replace(':', "-"));
            let name = used.unique(base);
            let meta = self.meta("ClusterRoleBinding", None, &name);
            out.push(object(
                RBAC_API,
                "ClusterRoleBinding",
                meta,
                vec![
                    (
                        "roleRef",
                        json!({"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": role}),
                    ),
                    ("subjects", Value::Array(subjects)),
                ],
            ));
        }
        out
    }

    pub(super) fn ns_rbac(&self, nsi: usize, rng: &mut Rng) -> Vec<Value> {
        let ns = &self.plan.namespaces[nsi];
        let nss = &self.plan.namespaces;
        let mut out = Vec::new();
        for j in 0..ns.roles {
            let name = nth_name(ROLE_NAMES, j);
            let rules = role_rules(ROLE_NAMES[j % ROLE_NAMES.len()], rng);
            let mut l = Map::new();
            if !ns.system {
                l = labels(&[("team", ns.team)]);
            }
            let meta = with_labels(self.meta("Role", Some(&ns.name), &name), l, Map::new());
            out.push(object(
                RBAC_API,
                "Role",
                meta,
                vec![("rules", Value::Array(rules))],
            ));
        }
        let mut used = Names::default();
        for _ in 0..ns.role_bindings {
            let (kind, role) = match rng.weighted(&[60, 20, 20]) {
                0 if ns.roles > 0 => ("Role", nth_name(ROLE_NAMES, rng.below(ns.roles))),
                1 if self.plan.cluster_roles > 0 => (
                    "ClusterRole",
                    nth_name(CLUSTER_ROLE_NAMES, rng.below(self.plan.cluster_roles)),
                ),
                _ => (
                    "ClusterRole",
                    ["view", "edit", "admin", "cluster-admin"][rng.weighted(&[45, 35, 17, 3])]
                        .to_string(),
                ),
            };
            let mut subjects = Vec::new();
            let mut short = String::new();
            for _ in 0..if rng.pct(20) { 2 } else { 1 } {
                let (s, sh) = match rng.weighted(&[55, 5, 5, 15, 20]) {
                    0 if ns.service_accounts > 0 => {
                        let sa = sa_name(rng.below(ns.service_accounts));
                        (
                            json!({"kind": "ServiceAccount", "name": sa, "namespace": ns.name}),
                            sa,
                        )
                    }
                    0 | 1 => (
                        json!({"kind": "ServiceAccount", "name": "default", "namespace": ns.name}),
                        "default".to_string(),
                    ),
                    2 => {
                        let other = &nss[rng.below(nss.len())];
                        let sa = if other.service_accounts > 0 {
                            sa_name(rng.below(other.service_accounts))
                        } else {
                            "default".to_string()
                        };
                        let sh = format!("{}-{sa}", other.name);
                        (
                            json!({"kind": "ServiceAccount", "name": sa, "namespace": other.name}),
                            sh,
                        )
                    }
                    3 => {
                        let u = *rng.pick(USERS);
                        let sh = u.split('@').next().unwrap_or(u).to_string();
                        (
                            json!({"kind": "User", "apiGroup": RBAC_GROUP, "name": u}),
                            sh,
                        )
                    }
                    _ => {
                        let g = match rng.weighted(&[70, 15, 12, 3]) {
                            0 => format!("team-{}-developers", ns.team),
                            1 => format!("system:serviceaccounts:{}", ns.name),
                            2 => "system:authenticated".to_string(),
                            _ => "system:unauthenticated".to_string(),
                        };
                        let sh = g.replace(':', "-");
                        (
                            json!({"kind": "Group", "apiGroup": RBAC_GROUP, "name": g}),
                            sh,
                        )
                    }
                };
                if short.is_empty() {
                    short = sh;
                }
                subjects.push(s);
            }
            let name = used.unique(format!("{role}-{short}"));
            let meta = self.meta("RoleBinding", Some(&ns.name), &name);
            out.push(object(
                RBAC_API,
                "RoleBinding",
                meta,
                vec![
                    (
                        "roleRef",
                        json!({"apiGroup": RBAC_GROUP, "kind": kind, "name": role}),
                    ),
                    ("subjects", Value::Array(subjects)),
                ],
            ));
        }
        out
    }
}

/// Names handed out so far, and the next suffix to try per base name.
#[derive(Default)]
struct Names {
    taken: HashSet<String>,
    next: HashMap<String, u32>,
}

impl Names {
    /// `base`, or `base-N` for the smallest free N >= 2 when `base` is taken.
    fn unique(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}
