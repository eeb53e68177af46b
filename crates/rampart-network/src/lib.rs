//! Exact Kubernetes NetworkPolicy semantics (networking.k8s.io/v1): which
//! workload can open a connection to which, on which ports, and what can
//! leave the cluster for the internet, the cloud metadata service, the
//! private network (VPC) and cluster DNS.
//!
//! [`NetworkModel::build`] reads an [`Inventory`] once: every object with a
//! pod template becomes a workload endpoint, every NetworkPolicy is parsed,
//! defaulted and validated as the API server would, and each policy's
//! selected workloads and each rule's peer workloads are precomputed as
//! bitsets. [`NetworkModel::reach`] answers one question with an explanation
//! of both sides; [`NetworkModel::matrix`] answers all of them at once with
//! bitset unions and one transpose per distinct port set, never a selector
//! evaluation per pair. The semantics and the choices where Kubernetes leaves
//! room are documented in `docs/network.md`.
//!
//! Nothing here prints: results are data for the renderers.

mod bitset;
pub mod cidr;
pub mod exposure;
mod matrix;
mod policy;
pub mod ports;
pub mod selector;

use std::collections::{BTreeMap, HashMap, HashSet};

use rampart_model::{Inventory, Location, Node, Note, Object, PodTemplate, ResourceRef};
use serde::Serialize;

use crate::bitset::Bitset;
use crate::cidr::Cidr;
use crate::policy::{Peer, Policy, Rule};
use crate::ports::PortSet;
use crate::selector::{LabelIndex, Labels, Selector};

pub use crate::matrix::Matrix;
pub use crate::policy::Direction;
pub use crate::ports::{ContainerPort, PortQuery, PortRef, Protocol};

/// The label every namespace carries since Kubernetes 1.21, set by the API
/// server to the namespace's name (and not changeable).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Addresses that stand for the internet: a public IPv4 and a public IPv6.
pub const INTERNET: [&str; 2] = ["8.8.8.8/32", "2001:4860:4860::8888/128"];
/// The cloud instance metadata service (AWS, GCP, Azure use the IPv4; AWS
/// Nitro also serves the IPv6).
pub const METADATA: [&str; 2] = ["169.254.169.254/32", "fd00:ec2::254/128"];
/// The private ranges of RFC 1918: the VPC, and the nodes' addresses.
pub const PRIVATE: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/// Index of an endpoint in [`NetworkModel::endpoints`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct EndpointId(pub usize);

/// What an endpoint stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointKind {
    /// Pods of an object with a pod template.
    Workload,
    /// Public addresses outside the cluster.
    Internet,
    /// The cloud instance metadata service.
    Metadata,
    /// Private (RFC 1918) addresses outside the pod network: the VPC.
    Private,
    /// Cluster DNS when no kube-dns/CoreDNS workload is in the inventory:
    /// a virtual pod `k8s-app=kube-dns` in `kube-system`, UDP/TCP 53.
    Dns,
}

/// A source or destination of traffic.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub id: EndpointId,
    pub kind: EndpointKind,
    /// `namespace/Kind/name` for workloads, `internet`, `metadata`,
    /// `private`, `dns` otherwise.
    pub name: String,
    pub namespace: Option<String>,
    /// Pod labels (the template's), empty for external endpoints.
    pub labels: BTreeMap<String, String>,
    /// Declared container ports (regular containers and restartable init
    /// containers), against which named ports resolve.
    pub ports: Vec<ContainerPort>,
    /// `hostNetwork: true`: outside NetworkPolicy, its traffic is the node's.
    pub host_network: bool,
    /// The object, for workloads.
    pub resource: Option<ResourceRef>,
    pub location: Option<Location>,
    /// The CIDRs an external endpoint stands for.
    pub addresses: Vec<String>,
}

impl Endpoint {
    pub fn is_workload(&self) -> bool {
        self.kind == EndpointKind::Workload
    }
}

/// A NetworkPolicy, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    pub resource: ResourceRef,
    pub location: Location,
}

impl PolicyRef {
    fn describe(&self) -> String {
        format!(
            "NetworkPolicy {}/{}",
            self.resource.namespace.as_deref().unwrap_or("default"),
            self.resource.name
        )
    }
}

/// One rule of a policy that admits the traffic in question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub policy: PolicyRef,
    pub direction: Direction,
    /// Index in the policy's `ingress`/`egress` list.
    pub index: usize,
    pub line: u32,
    /// Which peer matched: `any peer`, or the matching entry of `from`/`to`.
    pub peer: String,
    /// The ports the rule allows for this pair (named ports resolved).
    pub ports: String,
}

impl RuleRef {
    pub fn describe(&self) -> String {
        format!(
            "{} {}[{}] ({}:{})",
            self.policy.describe(),
            self.direction.field(),
            self.index,
            self.policy.location.file,
            self.line
        )
    }
}

/// One side of a connection: egress at the source or ingress at the
/// destination.
#[derive(Debug, Clone, Serialize)]
pub struct SideExplanation {
    pub direction: Direction,
    /// Whether NetworkPolicy applies to this side at all: false for external
    /// endpoints and host-network pods.
    pub governed: bool,
    /// Whether some policy selecting the pod lists this direction.
    pub isolated: bool,
    /// Whether this side lets the connection through (for a port-less query:
    /// on some port that the other side allows too).
    pub allowed: bool,
    /// Policies selecting the pod for this direction.
    pub policies: Vec<PolicyRef>,
    /// Rules that admit the connection.
    pub allowing: Vec<RuleRef>,
    pub reason: String,
    /// Why each other rule of the selecting policies does not admit it.
    pub details: Vec<String>,
}

/// A concrete port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Port {
    pub protocol: Protocol,
    pub port: u16,
}

/// The answer to "can `from` open a connection to `to`".
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub allowed: bool,
    pub from: EndpointId,
    pub to: EndpointId,
    pub port: Option<PortQuery>,
    /// The port the answer is about: the query's (named ports resolved), or
    /// for an allowed port-less query the lowest port both sides allow.
    pub resolved_port: Option<Port>,
    pub egress: SideExplanation,
    pub ingress: SideExplanation,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Namespace {
    pub name: String,
    pub labels: Labels,
    /// Workloads of the namespace: `start..end` (workloads are sorted by
    /// namespace).
    pub workloads: (usize, usize),
}

/// A rule's peers among the workloads.
#[derive(Debug, Clone)]
pub(crate) enum PeerSet {
    All,
    Some(Bitset),
}

/// The other party of a side's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Party {
    /// A pod-network endpoint: a workload or the virtual DNS pod.
    Pod(usize),
    /// A host-network workload: the node.
    Node(usize),
    /// An external endpoint.
    External(usize),
}

/// NetworkPolicy reachability over one inventory. Built once, immutable.
#[derive(Debug)]
pub struct NetworkModel {
    pub(crate) endpoints: Vec<Endpoint>,
    /// `endpoints[..workloads]` are the workloads.
    pub(crate) workloads: usize,
    pub(crate) namespaces: Vec<Namespace>,
    /// Namespace index per endpoint; `usize::MAX` for external endpoints.
    pub(crate) ns_of: Vec<usize>,
    /// Address ranges per endpoint (external endpoints only).
    pub(crate) ranges: Vec<Vec<Cidr>>,
    pub(crate) private: Vec<Cidr>,
    pub(crate) policies: Vec<Policy>,
    /// Per policy, the peer sets of its ingress and egress rules.
    pub(crate) peer_sets: Vec<[Vec<PeerSet>; 2]>,
    /// Per endpoint, the policies whose podSelector selects it (pods only).
    pub(crate) selecting: Vec<Vec<usize>>,
    pub(crate) externals: Vec<EndpointId>,
    pub(crate) dns: EndpointId,
    warnings: Vec<Note>,
}

fn dir_index(direction: Direction) -> usize {
    match direction {
        Direction::Ingress => 0,
        Direction::Egress => 1,
    }
}

/// Policy kinds of other engines, which this model does not evaluate.
const OTHER_POLICY_KINDS: &[&str] = &[
    "CiliumNetworkPolicy",
    "CiliumClusterwideNetworkPolicy",
    "GlobalNetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "AuthorizationPolicy",
];

struct WorkloadInfo<'a> {
    object: &'a Object,
    namespace: String,
    labels: Labels,
    ports: Vec<ContainerPort>,
    host_network: bool,
}

impl NetworkModel {
    /// Build the model: endpoints, namespaces, parsed policies, and the
    /// selected and peer workloads of every policy and rule.
    pub fn build(inventory: &Inventory) -> NetworkModel {
        let mut warnings = Vec::new();
        let controlled = inventory.controlled_copies();

        // Workloads, sorted by namespace so that a namespace is a range.
        let mut infos: Vec<WorkloadInfo> = Vec::new();
        for (i, object) in inventory.objects.iter().enumerate() {
            if controlled.contains(&i) || object.id.kind == "PodTemplate" {
                continue;
            }
            let Some(pod) = PodTemplate::of(object) else {
                continue;
            };
            let Some(namespace) = object.id.namespace.clone() else {
                continue;
            };
            infos.push(WorkloadInfo {
                object,
                namespace,
                labels: string_labels(pod.labels()),
                ports: container_ports(&pod),
                host_network: pod.bool_field("hostNetwork"),
            });
        }
        infos.sort_by(|a, b| {
            (&a.namespace, &a.object.id.name, &a.object.id.kind).cmp(&(
                &b.namespace,
                &b.object.id.name,
                &b.object.id.kind,
            ))
        });
        let workloads = infos.len();

        // Namespaces: declared ones with their labels, plus every namespace
        // that workloads or policies live in, plus kube-system for DNS.
        let mut ns_labels: BTreeMap<String, Labels> = BTreeMap::new();
        for object in inventory.of_kind("Namespace") {
            if object.id.api_version == "v1" {
                ns_labels
                    .entry(object.id.name.clone())
                    .or_default()
                    .extend(string_labels(object.labels()));
            }
        }
        for info in &infos {
            ns_labels.entry(info.namespace.clone()).or_default();
        }
        let policy_objects: Vec<&Object> = inventory
            .objects
            .iter()
            .filter(|o| policy::is_network_policy(o))
            .collect();
        for object in &policy_objects {
            let ns = object
                .id
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into());
            ns_labels.entry(ns).or_default();
        }
        ns_labels.entry("kube-system".into()).or_default();
        let mut namespaces: Vec<Namespace> = ns_labels
            .into_iter()
            .map(|(name, mut labels)| {
                labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
                Namespace {
                    name,
                    labels,
                    workloads: (0, 0),
                }
            })
            .collect();
        let ns_index: HashMap<String, usize> = namespaces
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();

        let mut endpoints = Vec::with_capacity(workloads + 4);
        let mut ns_of = Vec::with_capacity(workloads + 4);
        for (i, info) in infos.iter().enumerate() {
            let ns = ns_index.get(&info.namespace).copied().unwrap_or(0);
            if namespaces[ns].workloads == (0, 0) {
                namespaces[ns].workloads = (i, i);
            }
            namespaces[ns].workloads.1 = i + 1;
            ns_of.push(ns);
            let id = &info.object.id;
            endpoints.push(Endpoint {
                id: EndpointId(i),
                kind: EndpointKind::Workload,
                name: format!("{}/{}/{}", info.namespace, id.kind, id.name),
                namespace: Some(info.namespace.clone()),
                labels: info.labels.clone(),
                ports: info.ports.clone(),
                host_network: info.host_network,
                resource: Some(id.clone()),
                location: Some(info.object.origin.clone()),
                addresses: Vec::new(),
            });
        }

        // External endpoints.
        let parse_all = |list: &[&str]| -> Vec<Cidr> {
            list.iter().filter_map(|c| Cidr::parse(c).ok()).collect()
        };
        let private = parse_all(&PRIVATE);
        let mut ranges: Vec<Vec<Cidr>> = vec![Vec::new(); workloads];
        let mut externals = Vec::new();
        for (kind, list) in [
            (EndpointKind::Internet, &INTERNET[..]),
            (EndpointKind::Metadata, &METADATA[..]),
            (EndpointKind::Private, &PRIVATE[..]),
        ] {
            let id = EndpointId(endpoints.len());
            externals.push(id);
            endpoints.push(Endpoint {
                id,
                kind,
                name: external_name(kind).to_string(),
                namespace: None,
                labels: BTreeMap::new(),
                ports: Vec::new(),
                host_network: false,
                resource: None,
                location: None,
                addresses: list.iter().map(|s| s.to_string()).collect(),
            });
            ns_of.push(usize::MAX);
            ranges.push(parse_all(list));
        }

        // Cluster DNS: a kube-dns/CoreDNS workload, else a virtual pod.
        let kube_system = ns_index.get("kube-system").copied().unwrap_or(0);
        let (start, end) = namespaces[kube_system].workloads;
        let real_dns = (start..end)
            .find(|&i| {
                endpoints[i].labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
                    && !endpoints[i].host_network
            })
            .or_else(|| {
                (start..end)
                    .find(|&i| matches!(infos[i].object.id.name.as_str(), "coredns" | "kube-dns"))
            });
        let dns = match real_dns {
            Some(i) => EndpointId(i),
            None => {
                let id = EndpointId(endpoints.len());
                endpoints.push(Endpoint {
                    id,
                    kind: EndpointKind::Dns,
                    name: "dns".to_string(),
                    namespace: Some("kube-system".to_string()),
                    labels: [("k8s-app".to_string(), "kube-dns".to_string())].into(),
                    ports: vec![
                        ContainerPort {
                            name: Some("dns".into()),
                            port: 53,
                            protocol: Protocol::Udp,
                        },
                        ContainerPort {
                            name: Some("dns-tcp".into()),
                            port: 53,
                            protocol: Protocol::Tcp,
                        },
                        ContainerPort {
                            name: Some("metrics".into()),
                            port: 9153,
                            protocol: Protocol::Tcp,
                        },
                    ],
                    host_network: false,
                    resource: None,
                    location: None,
                    addresses: Vec::new(),
                });
                ns_of.push(kube_system);
                ranges.push(Vec::new());
                id
            }
        };
        externals.push(dns);

        // Policies.
        let mut policies = Vec::new();
        for object in &policy_objects {
            let reference = PolicyRef {
                resource: object.id.clone(),
                location: object.origin.clone(),
            };
            match policy::parse(object, reference) {
                Ok(p) => {
                    warn_ignored_rules(object, &p, &mut warnings);
                    policies.push(p);
                }
                Err(e) => warnings.push(Note {
                    file: object.origin.file.clone(),
                    line: e.line,
                    message: format!(
                        "{} is ignored: the API server would reject it ({})",
                        object.id.display(),
                        e.message
                    ),
                }),
            }
        }
        let mut other_kinds: BTreeMap<&str, (usize, &Object)> = BTreeMap::new();
        for object in &inventory.objects {
            let kind = object.id.kind.as_str();
            let foreign_netpol = kind == "NetworkPolicy" && !policy::is_network_policy(object);
            if foreign_netpol || OTHER_POLICY_KINDS.contains(&kind) {
                other_kinds.entry(kind).or_insert((0, object)).0 += 1;
            }
        }
        for (kind, (count, first)) in other_kinds {
            warnings.push(Note {
                file: first.origin.file.clone(),
                line: first.origin.line,
                message: format!(
                    "{count} {kind} object(s) ({}) are not evaluated: only Kubernetes NetworkPolicy is; \
                     traffic they deny is reported as allowed",
                    first.id.api_version
                ),
            });
        }

        let mut model = NetworkModel {
            endpoints,
            workloads,
            namespaces,
            ns_of,
            ranges,
            private,
            policies,
            peer_sets: Vec::new(),
            selecting: Vec::new(),
            externals,
            dns,
            warnings,
        };
        model.index();
        model
    }

    /// Precompute the selected workloads of every policy and the peer
    /// workloads of every rule.
    fn index(&mut self) {
        let n = self.workloads;
        let mut labels = LabelIndex::default();
        let mut host = Bitset::new(n);
        for (i, e) in self.endpoints[..n].iter().enumerate() {
            labels.add(i as u32, &e.labels);
            if e.host_network {
                host.set(i);
            }
        }
        let ns_index: HashMap<&str, usize> = self
            .namespaces
            .iter()
            .enumerate()
            .map(|(i, ns)| (ns.name.as_str(), i))
            .collect();
        let mut selecting = vec![Vec::new(); self.endpoints.len()];
        let mut ns_cache: HashMap<Selector, Bitset> = HashMap::new();
        let mut peer_sets = Vec::with_capacity(self.policies.len());
        for (p, policy) in self.policies.iter().enumerate() {
            let ns = ns_index.get(policy.namespace.as_str()).copied();
            let mut universe = Bitset::new(n);
            if let Some(ns) = ns {
                let (start, end) = self.namespaces[ns].workloads;
                universe.set_range(start, end);
            }
            let mut selected = labels.select(&policy.selector, &universe);
            selected.and_not_assign(&host);
            for i in selected.ones() {
                selecting[i].push(p);
            }
            // The virtual DNS pod is not indexed: match it directly.
            let dns = self.dns.0;
            if dns >= n
                && ns == Some(self.ns_of[dns])
                && policy.selector.matches(&self.endpoints[dns].labels)
            {
                selecting[dns].push(p);
            }
            let mut sets: [Vec<PeerSet>; 2] = [Vec::new(), Vec::new()];
            for direction in [Direction::Ingress, Direction::Egress] {
                for rule in policy.rules(direction) {
                    let set = self.rule_peer_set(ns, rule, &labels, &host, &mut ns_cache);
                    sets[dir_index(direction)].push(set);
                }
            }
            peer_sets.push(sets);
        }
        self.selecting = selecting;
        self.peer_sets = peer_sets;
    }

    fn rule_peer_set(
        &self,
        policy_ns: Option<usize>,
        rule: &Rule,
        labels: &LabelIndex,
        host: &Bitset,
        ns_cache: &mut HashMap<Selector, Bitset>,
    ) -> PeerSet {
        let n = self.workloads;
        let Some(peers) = &rule.peers else {
            return PeerSet::All;
        };
        let mut out = Bitset::new(n);
        for peer in peers {
            match peer {
                Peer::Pods { pods, namespaces } => {
                    let universe = match namespaces {
                        None => {
                            let mut u = Bitset::new(n);
                            if let Some(ns) = policy_ns {
                                let (start, end) = self.namespaces[ns].workloads;
                                u.set_range(start, end);
                            }
                            u
                        }
                        Some(sel) => ns_cache
                            .entry(sel.clone())
                            .or_insert_with(|| {
                                let mut u = Bitset::new(n);
                                for ns in &self.namespaces {
                                    if sel.matches(&ns.labels) {
                                        u.set_range(ns.workloads.0, ns.workloads.1);
                                    }
                                }
                                u
                            })
                            .clone(),
                    };
                    let mut set = match pods {
                        None => universe,
                        Some(sel) => labels.select(sel, &universe),
                    };
                    set.and_not_assign(host);
                    out.or_assign(&set);
                }
                Peer::Block(block) => {
                    if self.private.iter().any(|r| block.admits_some(r).is_some()) {
                        out.or_assign(host);
                    }
                }
            }
        }
        PeerSet::Some(out)
    }

    /// Every endpoint: workloads first (sorted by namespace, name, kind),
    /// then `internet`, `metadata`, `private`, and `dns` when it is virtual.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The number of workload endpoints (they come first).
    pub fn workload_count(&self) -> usize {
        self.workloads
    }

    /// The external endpoints, in matrix column order: internet, metadata,
    /// private, dns (the DNS workload when the inventory has one).
    pub fn externals(&self) -> &[EndpointId] {
        &self.externals
    }

    /// The cluster DNS endpoint (a workload, or the virtual one).
    pub fn dns(&self) -> EndpointId {
        self.dns
    }

    /// Problems found while building: policies the API server would reject
    /// (ignored), rules ignored because of `policyTypes`, policy kinds of
    /// other engines (not evaluated).
    pub fn warnings(&self) -> &[Note] {
        &self.warnings
    }

    /// Find an endpoint: `internet`, `metadata`, `private`, `dns`,
    /// `namespace/name` or `namespace/Kind/name` (kind case-insensitive).
    pub fn find(&self, spec: &str) -> Result<EndpointId, String> {
        let spec = spec.trim();
        match spec {
            "internet" => return Ok(self.externals[0]),
            "metadata" => return Ok(self.externals[1]),
            "private" | "vpc" => return Ok(self.externals[2]),
            "dns" => return Ok(self.dns),
            _ => {}
        }
        let parts: Vec<&str> = spec.split('/').collect();
        let (ns, kind, name) = match parts.as_slice() {
            [ns, name] => (*ns, None, *name),
            [ns, kind, name] => (*ns, Some(*kind), *name),
            _ => {
                return Err(format!(
                    "`{spec}`: expected namespace/name, namespace/Kind/name, internet, metadata, private or dns"
                ))
            }
        };
        let candidates: Vec<&Endpoint> = self.endpoints[..self.workloads]
            .iter()
            .filter(|e| {
                e.namespace.as_deref() == Some(ns)
                    && e.resource.as_ref().is_some_and(|r| {
                        r.name == name && kind.is_none_or(|k| r.kind.eq_ignore_ascii_case(k))
                    })
            })
            .collect();
        match candidates.as_slice() {
            [one] => Ok(one.id),
            [] => {
                let in_ns: Vec<&str> = self.endpoints[..self.workloads]
                    .iter()
                    .filter(|e| e.namespace.as_deref() == Some(ns))
                    .map(|e| e.name.as_str())
                    .take(10)
                    .collect();
                if in_ns.is_empty() {
                    Err(format!("`{spec}`: no workload in namespace `{ns}`"))
                } else {
                    Err(format!(
                        "`{spec}`: no such workload; namespace `{ns}` has {}",
                        in_ns.join(", ")
                    ))
                }
            }
            many => Err(format!(
                "`{spec}` is ambiguous: {}",
                many.iter()
                    .map(|e| match &e.location {
                        Some(l) => format!("{} ({}:{})", e.name, l.file, l.line),
                        None => e.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Whether `namespace` is default-deny for (ingress, egress): a policy
    /// with an empty podSelector (every pod, present and future) lists the
    /// direction, and no such all-pods policy re-opens it with a rule that
    /// admits every peer on every port.
    pub fn isolation(&self, namespace: &str) -> (bool, bool) {
        let check = |direction: Direction| {
            let all_pods = || {
                self.policies.iter().filter(|p| {
                    p.namespace == namespace && p.selector.is_empty() && p.applies(direction)
                })
            };
            all_pods().next().is_some()
                && !all_pods().any(|p| {
                    p.rules(direction)
                        .iter()
                        .any(|r| r.peers.is_none() && r.ports.is_empty())
                })
        };
        (check(Direction::Ingress), check(Direction::Egress))
    }

    /// Whether some NetworkPolicy selecting the workload lists `direction`
    /// (cheap: no explanation is built).
    pub fn isolated(&self, id: EndpointId, direction: Direction) -> bool {
        self.selecting
            .get(id.0)
            .is_some_and(|ps| ps.iter().any(|&p| self.policies[p].applies(direction)))
    }

    /// The policies selecting a workload for `direction`: workloads with the
    /// same list are treated alike by that side.
    pub fn selecting(&self, id: EndpointId, direction: Direction) -> Vec<usize> {
        self.selecting
            .get(id.0)
            .map(|ps| {
                ps.iter()
                    .copied()
                    .filter(|&p| self.policies[p].applies(direction))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn party(&self, e: usize) -> Party {
        if self.ns_of[e] == usize::MAX {
            Party::External(e)
        } else if self.endpoints[e].host_network {
            Party::Node(e)
        } else {
            Party::Pod(e)
        }
    }

    /// The address ranges a party stands for when matched by `ipBlock`.
    fn party_ranges(&self, party: Party) -> &[Cidr] {
        match party {
            Party::Pod(_) => &[],
            Party::Node(_) => &self.private,
            Party::External(e) => &self.ranges[e],
        }
    }

    /// Whether a peer of `policy` matches `party`.
    fn peer_matches(&self, policy: &Policy, peer: &Peer, party: Party) -> bool {
        match (peer, party) {
            (Peer::Pods { pods, namespaces }, Party::Pod(e)) => {
                let ns = &self.namespaces[self.ns_of[e]];
                let ns_ok = match namespaces {
                    None => ns.name == policy.namespace,
                    Some(sel) => sel.matches(&ns.labels),
                };
                ns_ok
                    && pods
                        .as_ref()
                        .is_none_or(|sel| sel.matches(&self.endpoints[e].labels))
            }
            (Peer::Pods { .. }, _) => false,
            (Peer::Block(block), party) => self
                .party_ranges(party)
                .iter()
                .any(|r| block.admits_some(r).is_some()),
        }
    }

    /// Which peer of a rule matches `party`: `Some(None)` for a rule without
    /// peers (it admits every peer), `Some(Some(i))` for entry `i`.
    fn rule_match(&self, policy: &Policy, rule: &Rule, party: Party) -> Option<Option<usize>> {
        match &rule.peers {
            None => Some(None),
            Some(peers) => peers
                .iter()
                .position(|peer| self.peer_matches(policy, peer, party))
                .map(Some),
        }
    }

    /// How a matched peer matched, for people.
    fn describe_match(
        &self,
        direction: Direction,
        policy: &Policy,
        rule: &Rule,
        peer: Option<usize>,
        party: Party,
    ) -> String {
        let Some(i) = peer else {
            return format!("any peer (no `{}`)", direction.peers_field());
        };
        match rule.peers.as_ref().and_then(|p| p.get(i)) {
            Some(Peer::Pods { pods, namespaces }) => {
                format!(
                    "peer [{i}]: {}",
                    describe_pods_peer(policy, pods, namespaces)
                )
            }
            Some(Peer::Block(block)) => {
                let ip = self
                    .party_ranges(party)
                    .iter()
                    .find_map(|r| block.admits_some(r));
                match ip {
                    Some(ip) => format!("peer [{i}]: ipBlock {block} (admits {ip})"),
                    None => format!("peer [{i}]: ipBlock {block}"),
                }
            }
            None => format!("peer [{i}]"),
        }
    }

    /// Whether `s` can reach `d` on some port, without explanations.
    pub(crate) fn pair_allowed(&self, s: usize, d: usize) -> bool {
        let egress = self.side(Direction::Egress, s, self.party(d), d);
        if egress.allowed.is_empty() {
            return false;
        }
        let ingress = self.side(Direction::Ingress, d, self.party(s), d);
        egress.allowed.intersects(&ingress.allowed)
    }

    /// Evaluate one side. `subject` is the pod the policies select (source
    /// for egress, destination for ingress); `other` the far end.
    fn side(&self, direction: Direction, subject: usize, other: Party, dest: usize) -> Side {
        let subject_party = self.party(subject);
        if subject_party != Party::Pod(subject) {
            return Side {
                governed: false,
                isolated: false,
                policies: Vec::new(),
                allowed: PortSet::all(),
                matched: Vec::new(),
                misses: Vec::new(),
            };
        }
        let dest_ports = match self.party(dest) {
            Party::Pod(d) => Some(self.endpoints[d].ports.as_slice()),
            _ => None,
        };
        let policies: Vec<usize> = self.selecting[subject]
            .iter()
            .copied()
            .filter(|&p| self.policies[p].applies(direction))
            .collect();
        if policies.is_empty() {
            return Side {
                governed: true,
                isolated: false,
                policies,
                allowed: PortSet::all(),
                matched: Vec::new(),
                misses: Vec::new(),
            };
        }
        let mut allowed = PortSet::default();
        let mut matched = Vec::new();
        let mut misses = Vec::new();
        for &p in &policies {
            let policy = &self.policies[p];
            for rule in policy.rules(direction) {
                let ports = PortSet::of_rule(&rule.ports, dest_ports);
                match self.rule_match(policy, rule, other) {
                    Some(peer) => {
                        allowed.union_with(&ports);
                        matched.push(Matched {
                            policy: p,
                            rule: rule.index,
                            line: rule.line,
                            peer,
                            ports,
                        });
                    }
                    None => misses.push((p, rule.index, rule.line)),
                }
            }
        }
        Side {
            governed: true,
            isolated: true,
            policies,
            allowed,
            matched,
            misses,
        }
    }

    /// Can `from` open a connection to `to` (on `port`, or on some port when
    /// `None`)? Egress must be allowed at the source and ingress at the
    /// destination, on the same port.
    pub fn reach(&self, from: EndpointId, to: EndpointId, port: Option<PortQuery>) -> Verdict {
        let (s, d) = (from.0, to.0);
        let empty_side = |direction| SideExplanation {
            direction,
            governed: false,
            isolated: false,
            allowed: false,
            policies: Vec::new(),
            allowing: Vec::new(),
            reason: String::new(),
            details: Vec::new(),
        };
        if s >= self.endpoints.len() || d >= self.endpoints.len() {
            return Verdict {
                allowed: false,
                from,
                to,
                port,
                resolved_port: None,
                egress: empty_side(Direction::Egress),
                ingress: empty_side(Direction::Ingress),
                notes: vec!["unknown endpoint id".to_string()],
            };
        }
        let mut notes = Vec::new();
        let (src, dst) = (self.party(s), self.party(d));

        // Resolve the query's port on the destination.
        let mut resolved = None;
        let mut unresolved = false;
        if let Some(q) = &port {
            match &q.port {
                PortRef::Number(n) => {
                    resolved = Some(Port {
                        protocol: q.protocol,
                        port: *n,
                    })
                }
                PortRef::Name(name) => {
                    let hit = self.endpoints[d]
                        .ports
                        .iter()
                        .find(|c| c.protocol == q.protocol && c.name.as_deref() == Some(name));
                    match hit {
                        Some(c) => {
                            resolved = Some(Port {
                                protocol: c.protocol,
                                port: c.port,
                            })
                        }
                        None => {
                            unresolved = true;
                            notes.push(format!(
                                "{} declares no {} port named \"{name}\"",
                                self.endpoints[d].name, q.protocol
                            ));
                        }
                    }
                }
            }
        }

        let egress = self.side(Direction::Egress, s, dst, d);
        let ingress = self.side(Direction::Ingress, d, src, d);
        let common = egress.allowed.first_common(&ingress.allowed);
        let allowed = !unresolved
            && match resolved {
                Some(p) => {
                    egress.allowed.contains(p.protocol, p.port)
                        && ingress.allowed.contains(p.protocol, p.port)
                }
                None => common.is_some(),
            };
        let answer_port = resolved.or_else(|| {
            (port.is_none() && allowed)
                .then(|| common.map(|(protocol, port)| Port { protocol, port }))?
        });
        let egress_x = self.explain(
            Direction::Egress,
            s,
            d,
            &egress,
            &ingress.allowed,
            resolved,
            unresolved,
        );
        let ingress_x = self.explain(
            Direction::Ingress,
            d,
            s,
            &ingress,
            &egress.allowed,
            resolved,
            unresolved,
        );

        self.add_notes(s, d, src, dst, &mut notes);
        if port.is_none() && !allowed && !egress.allowed.is_empty() && !ingress.allowed.is_empty() {
            notes.push(format!(
                "no common port: egress allows {}, ingress allows {}",
                egress.allowed, ingress.allowed
            ));
        }
        Verdict {
            allowed,
            from,
            to,
            port,
            resolved_port: answer_port,
            egress: egress_x,
            ingress: ingress_x,
            notes,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn explain(
        &self,
        direction: Direction,
        subject: usize,
        other: usize,
        side: &Side,
        other_allowed: &PortSet,
        port: Option<Port>,
        unresolved: bool,
    ) -> SideExplanation {
        let subject_name = &self.endpoints[subject].name;
        let other_name = &self.endpoints[other].name;
        let dir = direction.field();
        // Port-less: a side admits when it shares a port with the other side;
        // when the other side admits nothing, this side is judged on its own.
        let everything = PortSet::all();
        let other_ref = if other_allowed.is_empty() {
            &everything
        } else {
            other_allowed
        };
        let admits = |ports: &PortSet| match port {
            Some(p) => ports.contains(p.protocol, p.port),
            None => !unresolved && ports.intersects(other_ref),
        };
        let query = match port {
            Some(p) => format!("{} {}", p.protocol, p.port),
            None => "any port".to_string(),
        };
        let policies: Vec<PolicyRef> = side
            .policies
            .iter()
            .map(|&p| self.policies[p].reference.clone())
            .collect();
        let mut allowing = Vec::new();
        let mut details = Vec::new();
        let other_party = self.party(other);
        for m in &side.matched {
            let policy = &self.policies[m.policy];
            let peer = policy
                .rules(direction)
                .get(m.rule)
                .map(|rule| self.describe_match(direction, policy, rule, m.peer, other_party))
                .unwrap_or_default();
            let rule = RuleRef {
                policy: policy.reference.clone(),
                direction,
                index: m.rule,
                line: m.line,
                peer,
                ports: m.ports.to_string(),
            };
            if admits(&m.ports) {
                allowing.push(rule);
            } else {
                details.push(format!(
                    "{}: {} matches, but it allows {}, not {}",
                    rule.describe(),
                    rule.peer,
                    m.ports,
                    match port {
                        Some(_) => query.clone(),
                        None => format!("a port the other side allows ({other_allowed})"),
                    }
                ));
            }
        }
        for &p in &side.policies {
            let policy = &self.policies[p];
            if policy.defaulted_types {
                let types = if policy.egress {
                    "[Ingress, Egress]"
                } else {
                    "[Ingress]"
                };
                details.push(format!(
                    "{} has no policyTypes: defaulted to {types} (Egress only when `egress` has rules)",
                    policy.reference.describe()
                ));
            }
        }
        for &(p, index, line) in &side.misses {
            let policy = &self.policies[p];
            details.push(format!(
                "{} {dir}[{index}] ({}:{line}): {other_name} matches no entry of `{}`",
                policy.reference.describe(),
                policy.reference.location.file,
                direction.peers_field()
            ));
        }
        let allowed = if side.governed && side.isolated {
            !allowing.is_empty()
        } else {
            !unresolved && admits(&PortSet::all())
        };
        let reason = if !side.governed {
            match self.party(subject) {
                Party::Node(_) => format!(
                    "{subject_name} uses the host network: NetworkPolicy does not apply to it ({dir} unrestricted)"
                ),
                _ => format!("{subject_name} is outside the cluster: NetworkPolicy does not govern its {dir}"),
            }
        } else if !side.isolated {
            format!(
                "no NetworkPolicy with policyType {} selects {subject_name}: {dir} is not isolated, all traffic allowed",
                direction.policy_type()
            )
        } else if let Some(first) = allowing.first() {
            if allowing.len() == 1 {
                format!("allowed by {}", first.describe())
            } else {
                format!(
                    "allowed by {} and {} more rule(s)",
                    first.describe(),
                    allowing.len() - 1
                )
            }
        } else {
            let names: Vec<String> = side
                .policies
                .iter()
                .map(|&p| self.policies[p].reference.describe())
                .collect();
            let rules: usize = side
                .policies
                .iter()
                .map(|&p| self.policies[p].rules(direction).len())
                .sum();
            if rules == 0 {
                format!(
                    "{subject_name} is isolated for {dir} by {} with no {dir} rule: all {dir} denied",
                    names.join(", ")
                )
            } else if side.matched.is_empty() {
                format!(
                    "{subject_name} is isolated for {dir} by {}; none of their {rules} {dir} rule(s) matches {other_name}",
                    names.join(", ")
                )
            } else {
                format!(
                    "{subject_name} is isolated for {dir} by {}; rules matching {other_name} do not allow {}",
                    names.join(", "),
                    query
                )
            }
        };
        SideExplanation {
            direction,
            governed: side.governed,
            isolated: side.isolated,
            allowed,
            policies,
            allowing,
            reason,
            details,
        }
    }

    fn add_notes(&self, s: usize, d: usize, src: Party, dst: Party, notes: &mut Vec<String>) {
        let name = |e: usize| self.endpoints[e].name.as_str();
        if let (Party::External(_), Party::External(_)) = (src, dst) {
            notes.push("both ends are outside the cluster: NetworkPolicy has no say".to_string());
        }
        for (e, party) in [(s, src), (d, dst)] {
            if let Party::Node(_) = party {
                notes.push(format!(
                    "{} uses the host network: its traffic is the node's, matched only by ipBlock rules \
                     covering the private range ({})",
                    name(e),
                    PRIVATE.join(", ")
                ));
            }
            if let Party::External(x) = party {
                notes.push(format!(
                    "{} stands for {}; ipBlock peers are matched against these addresses, never against pod IPs",
                    name(x),
                    self.endpoints[x].addresses.join(", ")
                ));
            }
        }
        if let Party::Node(_) = src {
            if let Party::Pod(_) = dst {
                notes.push(
                    "most network plugins always allow traffic from a pod's own node (kubelet probes): \
                     if both run on the same node the connection is allowed whatever the policies say"
                        .to_string(),
                );
            }
        }
        if src == Party::External(self.externals[0].0) && matches!(dst, Party::Pod(_)) {
            notes.push(
                "traffic from the internet also needs a Service or Ingress exposing the pod; a load balancer \
                 may replace the client address (externalTrafficPolicy: Cluster), which ipBlock then sees instead"
                    .to_string(),
            );
        }
        if let Party::Pod(x) = dst {
            if self.endpoints[x].kind == EndpointKind::Dns {
                notes.push(
                    "cluster DNS is not in the inventory: a virtual pod k8s-app=kube-dns in kube-system stands for it"
                        .to_string(),
                );
            }
        }
        // Ignored policies in the namespaces involved.
        let namespaces: HashSet<&str> = [s, d]
            .iter()
            .filter_map(|&e| self.endpoints[e].namespace.as_deref())
            .collect();
        for w in &self.warnings {
            if namespaces
                .iter()
                .any(|ns| w.message.contains(&format!(" {ns}/")))
            {
                notes.push(w.message.clone());
            }
        }
    }
}

/// The result of evaluating one side.
pub(crate) struct Side {
    governed: bool,
    isolated: bool,
    policies: Vec<usize>,
    /// Union of the ports of the rules whose peers match.
    allowed: PortSet,
    matched: Vec<Matched>,
    misses: Vec<(usize, usize, u32)>,
}

struct Matched {
    policy: usize,
    rule: usize,
    line: u32,
    /// `None`: the rule has no peers.
    peer: Option<usize>,
    ports: PortSet,
}

fn external_name(kind: EndpointKind) -> &'static str {
    match kind {
        EndpointKind::Internet => "internet",
        EndpointKind::Metadata => "metadata",
        EndpointKind::Private => "private",
        EndpointKind::Dns => "dns",
        EndpointKind::Workload => "workload",
    }
}

fn describe_pods_peer(
    policy: &Policy,
    pods: &Option<Selector>,
    namespaces: &Option<Selector>,
) -> String {
    let pods = match pods {
        None => "all pods".to_string(),
        Some(sel) if sel.is_empty() => "all pods".to_string(),
        Some(sel) => format!("pods {}", sel.describe()),
    };
    match namespaces {
        None => format!("{pods} in namespace {}", policy.namespace),
        Some(sel) if sel.is_empty() => format!("{pods} in every namespace"),
        Some(sel) => format!("{pods} in namespaces {}", sel.describe()),
    }
}

/// Rules a policy carries but ignores because `policyTypes` does not list
/// their direction: a frequent mistake that silently changes reachability.
fn warn_ignored_rules(object: &Object, policy: &Policy, warnings: &mut Vec<Note>) {
    for direction in [Direction::Ingress, Direction::Egress] {
        if !policy.applies(direction) && !policy.rules(direction).is_empty() {
            let line = object
                .root
                .at(&["spec", direction.field()])
                .map_or(object.origin.line, |n| object.line_of(n));
            warnings.push(Note {
                file: object.origin.file.clone(),
                line,
                message: format!(
                    "{} has {} rules but policyTypes does not list {}: they are ignored",
                    object.id.display(),
                    direction.field(),
                    direction.policy_type()
                ),
            });
        }
    }
}

fn string_labels(node: &Node) -> Labels {
    node.string_map()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Ports of the regular containers and of restartable (sidecar) init
/// containers: the containers that run alongside and can serve.
fn container_ports(pod: &PodTemplate) -> Vec<ContainerPort> {
    let mut out = Vec::new();
    for c in pod.containers() {
        let serving = match c.kind {
            rampart_model::ContainerKind::Container => true,
            rampart_model::ContainerKind::Init => {
                c.node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
            }
            rampart_model::ContainerKind::Ephemeral => false,
        };
        if !serving {
            continue;
        }
        for port in c.node.get("ports").and_then(Node::as_seq).unwrap_or(&[]) {
            let Some(number) = port
                .get("containerPort")
                .and_then(Node::as_i64)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| *n > 0)
            else {
                continue;
            };
            let protocol = match port.get("protocol").and_then(Node::as_str) {
                None => Protocol::Tcp,
                Some(p) => match Protocol::parse(p) {
                    Some(p) => p,
                    None => continue,
                },
            };
            out.push(ContainerPort {
                name: port.get("name").and_then(Node::as_str).map(str::to_string),
                port: number,
                protocol,
            });
        }
    }
    out
}
