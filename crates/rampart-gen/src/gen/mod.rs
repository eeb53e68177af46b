//! Object generation. The estate is cut into units (cluster RBAC, a namespace's core objects,
//! its RBAC, its network policies, one workload with everything it owns); each unit is generated
//! from its own random stream, so units can be generated in parallel and in any order.

mod namespace;
mod network;
mod pods;
mod rbac;
mod workloads;

use serde_json::{Map, Value};

use crate::emit::{Format, Out};
use crate::plan::{Config, Plan};
use crate::rng::{derive, hash_parts, hash_str, uuid_from, Rng};
use crate::util::timestamp;

/// 2024-03-01T00:00:00Z: the estate's objects were created after this.
const EPOCH: u64 = 1_709_251_200;

#[derive(Clone, Copy, Debug)]
pub enum Unit {
    ClusterRoles,
    ClusterRoleBindings,
    /// Namespace, quota, limits, service accounts, shared secrets.
    NsCore(usize),
    /// Roles and RoleBindings.
    NsRbac(usize),
    NsNetwork(usize),
    /// A workload and the objects that come with it.
    Workload(usize, usize),
}

/// Stream labels for `Rng::derived`, one per unit type.
const S_CLUSTER_ROLES: u64 = 1;
const S_CLUSTER_BINDINGS: u64 = 2;
const S_NS_CORE: u64 = 3;
const S_NS_RBAC: u64 = 4;
const S_NS_NET: u64 = 5;
const S_WORKLOAD: u64 = 6;

pub struct Gen<'a> {
    pub cfg: &'a Config,
    pub plan: &'a Plan,
    pub format: Format,
}

impl<'a> Gen<'a> {
    pub fn new(cfg: &'a Config, plan: &'a Plan, format: Format) -> Gen<'a> {
        Gen { cfg, plan, format }
    }

    /// All units in output order. Units that go to the same `yaml-dir` file are adjacent.
    pub fn units(&self) -> Vec<Unit> {
        let mut units = vec![Unit::ClusterRoles, Unit::ClusterRoleBindings];
        for (i, ns) in self.plan.namespaces.iter().enumerate() {
            units.push(Unit::NsCore(i));
            units.push(Unit::NsRbac(i));
            units.push(Unit::NsNetwork(i));
            units.extend((0..ns.workloads.len()).map(|w| Unit::Workload(i, w)));
        }
        units
    }

    /// The `yaml-dir` file of a unit, relative to the output directory.
    pub fn file_of(&self, unit: Unit) -> String {
        let ns = |i: usize| &self.plan.namespaces[i].name;
        match unit {
            Unit::ClusterRoles => "_cluster/clusterroles.yaml".into(),
            Unit::ClusterRoleBindings => "_cluster/clusterrolebindings.yaml".into(),
            Unit::NsCore(i) => format!("{}/namespace.yaml", ns(i)),
            Unit::NsRbac(i) => format!("{}/rbac.yaml", ns(i)),
            Unit::NsNetwork(i) => format!("{}/network-policies.yaml", ns(i)),
            Unit::Workload(i, _) => format!("{}/workloads.yaml", ns(i)),
        }
    }

    /// The objects of a unit, rendered in output order.
    pub fn render(&self, unit: Unit) -> Out {
        let seed = self.cfg.seed;
        let mut out = Out::new(self.format, self.cfg.live);
        match unit {
            Unit::ClusterRoles => {
                out.extend(self.cluster_roles(&mut Rng::derived(seed, &[S_CLUSTER_ROLES])))
            }
            Unit::ClusterRoleBindings => out
                .extend(self.cluster_role_bindings(&mut Rng::derived(seed, &[S_CLUSTER_BINDINGS]))),
            Unit::NsCore(i) => {
                out.extend(self.ns_core(i, &mut Rng::derived(seed, &[S_NS_CORE, i as u64])))
            }
            Unit::NsRbac(i) => {
                out.extend(self.ns_rbac(i, &mut Rng::derived(seed, &[S_NS_RBAC, i as u64])))
            }
            Unit::NsNetwork(i) => {
                out.extend(self.ns_network(i, &mut Rng::derived(seed, &[S_NS_NET, i as u64])))
            }
            Unit::Workload(i, w) => {
                let mut rng = Rng::derived(seed, &[S_WORKLOAD, i as u64, w as u64]);
                self.workload(i, w, &mut rng, &mut out);
            }
        }
        out
    }

    // ---- shared helpers -------------------------------------------------------------------

    fn key(&self, kind: &str, ns: &str, name: &str) -> u64 {
        hash_parts(self.cfg.seed, &[kind, ns, name])
    }

    /// The uid the API server would have given the object (stable: derived from its identity).
    pub fn uid(&self, kind: &str, ns: &str, name: &str) -> String {
        uid_of(self.key(kind, ns, name))
    }

    /// `metadata` with name and namespace; live dumps add uid, resourceVersion and creation time.
    pub fn meta(&self, kind: &str, ns: Option<&str>, name: &str) -> Map<String, Value> {
        self.meta_at(kind, ns, name, None)
    }

    /// `meta`, created at `created` (seconds) rather than at the object's own time.
    fn meta_at(
        &self,
        kind: &str,
        ns: Option<&str>,
        name: &str,
        created: Option<u64>,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("name".into(), name.into());
        if let Some(ns) = ns {
            m.insert("namespace".into(), ns.into());
        }
        if self.cfg.live {
            let key = self.key(kind, ns.unwrap_or(""), name);
            let h = derive(key, &[3]);
            m.insert("uid".into(), uid_of(key).into());
            m.insert(
                "resourceVersion".into(),
                (1_000_000 + h % 90_000_000).to_string().into(),
            );
            let t = created.unwrap_or_else(|| created_of(key));
            m.insert("creationTimestamp".into(), timestamp(t).into());
        }
        m
    }

    /// `metadata` of an object created by a controller: after its owner, with an owner reference.
    pub fn owned_meta(
        &self,
        kind: &str,
        ns: &str,
        name: &str,
        owner: (&str, &str, &str),
    ) -> Map<String, Value> {
        let (owner_api, owner_kind, owner_name) = owner;
        let owner_key = self.key(owner_kind, ns, owner_name);
        let created = self.cfg.live.then(|| {
            let h = derive(self.key(kind, ns, name), &[4]);
            created_of(owner_key) + 5 + h % (20 * 86_400)
        });
        let mut m = self.meta_at(kind, Some(ns), name, created);
        let mut r = Map::with_capacity(6);
        r.insert("apiVersion".into(), owner_api.into());
        r.insert("kind".into(), owner_kind.into());
        r.insert("name".into(), owner_name.into());
        r.insert("uid".into(), uid_of(owner_key).into());
        r.insert("controller".into(), true.into());
        r.insert("blockOwnerDeletion".into(), true.into());
        m.insert(
            "ownerReferences".into(),
            Value::Array(vec![Value::Object(r)]),
        );
        m
    }

    pub fn live(&self) -> bool {
        self.cfg.live
    }
}

/// An object with the usual top-level layout.
pub fn object(api: &str, kind: &str, meta: Map<String, Value>, rest: Vec<(&str, Value)>) -> Value {
    let mut m = Map::with_capacity(3 + rest.len());
    m.insert("apiVersion".into(), api.into());
    m.insert("kind".into(), kind.into());
    m.insert("metadata".into(), Value::Object(meta));
    for (k, v) in rest {
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

/// Insert `labels` (and `annotations` when not empty) into a metadata map.
pub fn with_labels(
    mut meta: Map<String, Value>,
    labels: Map<String, Value>,
    annotations: Map<String, Value>,
) -> Map<String, Value> {
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    meta
}

fn uid_of(key: u64) -> String {
    uuid_from(key, derive(key, &[1]))
}

/// Creation time in seconds: controllers over a year (owned objects shortly after the owner,
/// see `owned_meta`).
fn created_of(key: u64) -> u64 {
    EPOCH + derive(key, &[2]) % (365 * 86_400)
}

/// Names of the service accounts a namespace defines (`index < ns.service_accounts`).
pub fn sa_name(index: usize) -> String {
    crate::vocab::nth_name(crate::vocab::SA_NAMES, index)
}

/// Whether a service account opts out of token automounting (stable across units).
pub fn sa_automount_off(seed: u64, ns: &str, sa: &str) -> bool {
    hash_str(seed, &format!("sa-automount/{ns}/{sa}")) % 100 < 15
}
