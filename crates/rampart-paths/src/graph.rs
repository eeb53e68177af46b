//! The attack graph: vertices are what an attacker can hold, edges how one
//! leads to another, each with evidence and a technique.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rampart_model::{Inventory, Location, Node, Object, PodTemplate, ResourceRef};
use rampart_network::{Matrix, NetworkModel};
use rampart_rbac::danger::{is_superuser, role_dangers, Danger};
use rampart_rbac::RbacModel;

use crate::types::{Evidence, Technique};

/// What an attacker can hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Vertex {
    Workload(usize),
    ServiceAccount(String, String),
    /// A group every service account of a scope belongs to
    /// (`system:serviceaccounts[:NS]`, `system:authenticated`).
    Group(String),
    /// A node of a pool (nodes sharing a nodeSelector; `""` for any node).
    Node(String),
    /// Every Secret of a namespace can be read.
    Secrets(String),
    AllSecrets,
    /// Pods can be created in a namespace.
    PodCreate(String),
    AnyPodCreate,
    /// Commands can be run in the namespace's pods.
    Exec(String),
    AnyExec,
    /// Tokens of the namespace's service accounts can be minted.
    Tokens(String),
    AnyTokens,
    ClusterAdmin,
    KubeSystemSecrets,
    /// A cloud identity: the node role, a workload identity role, or keys.
    Cloud(String),
}

/// One edge.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub to: usize,
    pub action: String,
    pub technique: Technique,
    pub evidence: Evidence,
    pub assumption: Option<String>,
    pub likelihood: f64,
    /// The plan action that removes this edge (`kind:Kind/ns/name`).
    pub cut: Option<String>,
}

pub(crate) const T_EXPLOIT: Technique = Technique {
    id: "T1190",
    name: "Exploit Public-Facing Application",
};
pub(crate) const T_SUPPLY: Technique = Technique {
    id: "T1195.002",
    name: "Compromise Software Supply Chain",
};
pub(crate) const T_VALID: Technique = Technique {
    id: "T1078",
    name: "Valid Accounts",
};
const T_ESCAPE: Technique = Technique {
    id: "T1611",
    name: "Escape to Host",
};
const T_TOKEN: Technique = Technique {
    id: "T1528",
    name: "Steal Application Access Token",
};
const T_IMDS: Technique = Technique {
    id: "T1552.005",
    name: "Unsecured Credentials: Cloud Instance Metadata API",
};
const T_CLOUD: Technique = Technique {
    id: "T1078.004",
    name: "Valid Accounts: Cloud Accounts",
};
const T_CREDS: Technique = Technique {
    id: "T1552.007",
    name: "Unsecured Credentials: Container API",
};
const T_FILES: Technique = Technique {
    id: "T1552.001",
    name: "Unsecured Credentials: Credentials In Files",
};
const T_DEPLOY: Technique = Technique {
    id: "T1610",
    name: "Deploy Container",
};
const T_EXEC: Technique = Technique {
    id: "T1609",
    name: "Container Administration Command",
};
const T_ESCALATE: Technique = Technique {
    id: "T1098",
    name: "Account Manipulation",
};

/// The graph, with vertex names for people.
pub(crate) struct Graph {
    pub vertices: Vec<Vertex>,
    pub index: HashMap<Vertex, usize>,
    pub edges: Vec<Vec<Edge>>,
    pub workloads: Vec<WorkloadInfo>,
}

pub(crate) struct WorkloadInfo {
    pub id: ResourceRef,
    pub location: Location,
    pub namespace: String,
}

fn key(r: &ResourceRef) -> String {
    match &r.namespace {
        Some(ns) => format!("{}/{}/{}", r.kind, ns, r.name),
        None => format!("{}/{}", r.kind, r.name),
    }
}

fn evidence(object: &Object, node: Option<&Node>, detail: String) -> Evidence {
    let line = node
        .map(|n| n.line)
        .filter(|l| *l > 0)
        .unwrap_or(object.origin.line);
    Evidence {
        resource: Some(object.id.clone()),
        location: Some(Location {
            file: object.origin.file.clone(),
            line,
        }),
        detail,
    }
}

impl Graph {
    fn vertex(&mut self, v: Vertex) -> usize {
        if let Some(&i) = self.index.get(&v) {
            return i;
        }
        let i = self.vertices.len();
        self.index.insert(v.clone(), i);
        self.vertices.push(v);
        self.edges.push(Vec::new());
        i
    }

    #[allow(clippy::too_many_arguments)]
    fn edge(
        &mut self,
        from: Vertex,
        to: Vertex,
        action: String,
        technique: Technique,
        evidence: Evidence,
        assumption: Option<String>,
        likelihood: f64,
        cut: Option<String>,
    ) {
        let f = self.vertex(from);
        let t = self.vertex(to);
        if f == t {
            return;
        }
        self.edges[f].push(Edge {
            to: t,
            action,
            technique,
            evidence,
            assumption,
            likelihood,
            cut,
        });
    }

    /// A name for people.
    pub fn name(&self, v: usize) -> String {
        match &self.vertices[v] {
            Vertex::Workload(w) => self.workloads[*w].id.display(),
            Vertex::ServiceAccount(ns, n) => format!("ServiceAccount {ns}/{n}"),
            Vertex::Group(g) => format!("group {g}"),
            Vertex::Node(pool) if pool.is_empty() => "a node".to_string(),
            Vertex::Node(pool) => format!("a node labelled {pool}"),
            Vertex::Secrets(ns) => format!("the Secrets of namespace {ns}"),
            Vertex::AllSecrets => "every Secret of the cluster".to_string(),
            Vertex::PodCreate(ns) => format!("pod creation in namespace {ns}"),
            Vertex::AnyPodCreate => "pod creation in every namespace".to_string(),
            Vertex::Exec(ns) => format!("exec into the pods of namespace {ns}"),
            Vertex::AnyExec => "exec into every pod".to_string(),
            Vertex::Tokens(ns) => format!("tokens of namespace {ns}'s service accounts"),
            Vertex::AnyTokens => "tokens of every service account".to_string(),
            Vertex::ClusterAdmin => "cluster-admin".to_string(),
            Vertex::KubeSystemSecrets => "the Secrets of kube-system".to_string(),
            Vertex::Cloud(c) => c.clone(),
        }
    }
}

/// Where a workload's escape lands: its nodeSelector, canonically written.
fn pool_of(pod: &PodTemplate<'_>) -> String {
    let mut pairs: Vec<String> = pod
        .spec
        .get("nodeSelector")
        .map(|n| n.string_map().map(|(k, v)| format!("{k}={v}")).collect())
        .unwrap_or_default();
    pairs.sort();
    pairs.join(",")
}

/// How a pod's container can reach its node, with the field that allows it,
/// the likelihood and what the escape assumes.
#[allow(clippy::type_complexity)]
fn escapes<'a>(
    pod: &PodTemplate<'a>,
) -> Vec<(String, Option<&'a Node>, f64, Option<&'static str>)> {
    let mut out = Vec::new();
    let host_pid = pod.bool_field("hostPID");
    for c in pod.containers() {
        let privileged = c.sc("privileged").filter(|n| n.as_bool() == Some(true));
        if let Some(p) = privileged {
            let how = if host_pid {
                "privileged with hostPID: nsenter into the node's PID 1"
            } else {
                "privileged: mount the node's disk or load a kernel module"
            };
            out.push((
                format!("container {} is {how}", c.name),
                Some(p),
                0.95,
                None,
            ));
        }
        let caps: Vec<(&Node, String)> = c
            .sc("capabilities")
            .and_then(|caps| caps.get("add"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| {
                let raw = n.as_str()?.to_ascii_uppercase();
                Some((n, raw.strip_prefix("CAP_").unwrap_or(&raw).to_string()))
            })
            .collect();
        for (node, cap) in &caps {
            let how = match cap.as_str() {
                "SYS_ADMIN" => Some(("SYS_ADMIN: mount or cgroup release_agent escape", 0.8)),
                "SYS_MODULE" => Some(("SYS_MODULE: load a kernel module", 0.9)),
                "SYS_PTRACE" if host_pid => {
                    Some(("SYS_PTRACE with hostPID: inject into a node process", 0.85))
                }
                "NET_ADMIN" if pod.bool_field("hostNetwork") => Some((
                    "NET_ADMIN with hostNetwork: reconfigure the node's network",
                    0.4,
                )),
                "ALL" => Some(("every capability", 0.9)),
                _ => None,
            };
            if let (Some((how, p)), None) = (how, privileged) {
                out.push((
                    format!("container {} adds {how}", c.name),
                    Some(*node),
                    p,
                    None,
                ));
            }
        }
    }
    for v in pod
        .spec
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let Some(hp) = v.get("hostPath").filter(|n| !n.is_null()) else {
            continue;
        };
        let path = hp.get("path").and_then(Node::as_str).unwrap_or("");
        let norm = path.trim_end_matches('/');
        // A directory or something below it (`/var/log/pods`, not `/var/logs`).
        let under = |dir: &str| {
            norm.strip_prefix(dir)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let how = match norm {
            "" => Some(("the node's root filesystem", 0.95, None)),
            "/etc" => Some(("the node's /etc (cron, users, kubelet configuration)", 0.85, None)),
            "/var/run" | "/run" | "/var/run/docker.sock" | "/run/docker.sock"
            | "/var/run/containerd" | "/run/containerd" | "/var/run/containerd/containerd.sock"
            | "/run/containerd/containerd.sock" | "/var/run/crio" | "/run/crio"
            | "/var/run/crio/crio.sock" | "/run/crio/crio.sock" => {
                Some(("the container runtime socket: start a privileged container", 0.95, None))
            }
            "/var" | "/var/lib" => Some(("the kubelet's directory below it: every pod's tokens and the kubelet's credentials", 0.9, None)),
            _ if under("/var/lib/kubelet") => Some(("the kubelet's directory: every pod's tokens and the kubelet's credentials", 0.9, None)),
            _ if under("/etc/kubernetes") => Some(("the node's Kubernetes credentials", 0.9, None)),
            _ if under("/var/log") => Some((
                "/var/log: symlinks followed by the kubelet's log reader",
                0.4,
                Some("someone reads the pod's logs through the API (kubectl logs), so the kubelet follows the symlinks planted in /var/log"),
            )),
            p if p == "/proc" || p == "/sys" || under("/sys/fs/cgroup") => Some(("the host's /proc or /sys kernel interfaces", 0.7, None)),
            _ => None,
        };
        if let Some((how, p, assumption)) = how {
            out.push((
                format!(
                    "volume {} mounts {path}: {how}",
                    v.get("name").and_then(Node::as_str).unwrap_or("")
                ),
                Some(hp),
                p,
                assumption,
            ));
        }
    }
    out
}

/// Secrets holding static cloud keys, by (namespace, name).
fn cloud_secrets(inventory: &Inventory) -> BTreeSet<(String, String)> {
    inventory
        .of_kind("Secret")
        .filter(|s| {
            let keys = s
                .root
                .get("data")
                .and_then(Node::as_map)
                .unwrap_or(&[])
                .iter()
                .chain(
                    s.root
                        .get("stringData")
                        .and_then(Node::as_map)
                        .unwrap_or(&[])
                        .iter(),
                );
            keys.map(|(k, _)| k.to_ascii_lowercase().replace(['-', '.'], "_"))
                .any(|k| {
                    k.contains("aws_secret_access_key")
                        || k == "secretaccesskey"
                        || k.contains("azure_client_secret")
                        || k.ends_with("credentials_json")
                        || k == "key_json"
                })
        })
        .map(|s| {
            (
                s.id.namespace.clone().unwrap_or_default(),
                s.id.name.clone(),
            )
        })
        .collect()
}

pub(crate) fn cloud_secret_name(ns: &str, name: &str) -> String {
    format!("the cloud keys in Secret {ns}/{name}")
}

pub(crate) const NODE_ROLE: &str = "the nodes' cloud role (instance metadata)";

/// Secrets a pod template references (env, envFrom, volumes, projected).
fn referenced_secrets(pod: &PodTemplate<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in pod.containers() {
        for var in c.node.get("env").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(n) = var
                .at(&["valueFrom", "secretKeyRef", "name"])
                .and_then(Node::as_str)
            {
                out.insert(n.to_string());
            }
        }
        for from in c.node.get("envFrom").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(n) = from.at(&["secretRef", "name"]).and_then(Node::as_str) {
                out.insert(n.to_string());
            }
        }
    }
    for v in pod
        .spec
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if let Some(n) = v.at(&["secret", "secretName"]).and_then(Node::as_str) {
            out.insert(n.to_string());
        }
        for src in v
            .at(&["projected", "sources"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(n) = src.at(&["secret", "name"]).and_then(Node::as_str) {
                out.insert(n.to_string());
            }
        }
    }
    out
}

/// Build the graph of an inventory.
pub(crate) fn build(
    inventory: &Inventory,
    pods: &[PodTemplate<'_>],
    rbac: &RbacModel,
    network: &NetworkModel,
    matrix: &Matrix,
) -> Graph {
    let mut g = Graph {
        vertices: Vec::new(),
        index: HashMap::new(),
        edges: Vec::new(),
        workloads: Vec::new(),
    };
    for t in [Vertex::ClusterAdmin, Vertex::KubeSystemSecrets] {
        g.vertex(t);
    }
    let mut sas_by_ns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for sa in inventory.of_kind("ServiceAccount") {
        sas_by_ns
            .entry(sa.id.namespace.clone().unwrap_or_default())
            .or_default()
            .insert(sa.id.name.clone());
    }
    let automount_off: BTreeSet<(String, String)> = inventory
        .of_kind("ServiceAccount")
        .filter(|sa| {
            sa.root
                .get("automountServiceAccountToken")
                .and_then(Node::as_bool)
                == Some(false)
        })
        .map(|sa| {
            (
                sa.id.namespace.clone().unwrap_or_default(),
                sa.id.name.clone(),
            )
        })
        .collect();
    // Service accounts some binding of the input names: their tokens are
    // used, so the fix is in RBAC, not in unmounting the token.
    let bound: BTreeSet<(String, String)> = rbac
        .bindings
        .iter()
        .filter(|b| b.origin.is_some())
        .flat_map(|b| b.subjects.iter())
        .filter(|s| s.kind == "ServiceAccount")
        .map(|s| (s.namespace.clone().unwrap_or_default(), s.name.clone()))
        .collect();
    let mut workloads_by_ns: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut pools: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Workload endpoints of the network model, by resource, for metadata reach.
    let endpoint_of: HashMap<&ResourceRef, rampart_network::EndpointId> = network
        .endpoints()
        .iter()
        .filter_map(|e| e.resource.as_ref().map(|r| (r, e.id)))
        .collect();
    let metadata = network.find("metadata").ok();
    let identities = rampart_rbac::identity::cloud_identities(inventory, pods);

    for (wi, pod) in pods.iter().enumerate() {
        let ns = pod.object.id.namespace.clone().unwrap_or_default();
        g.workloads.push(WorkloadInfo {
            id: pod.object.id.clone(),
            location: pod.object.origin.clone(),
            namespace: ns.clone(),
        });
        workloads_by_ns.entry(ns.clone()).or_default().push(wi);
        let pool = pool_of(pod);
        pools.entry(pool.clone()).or_default().push(wi);
        let w = Vertex::Workload(wi);
        g.vertex(w.clone());
        let k = key(&pod.object.id);
        // The mounted service-account token.
        let (sa, sa_node) = pod.service_account();
        let sa = sa.to_string();
        sas_by_ns.entry(ns.clone()).or_default().insert(sa.clone());
        let mounted = match pod
            .spec
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool)
        {
            Some(v) => v,
            None => !automount_off.contains(&(ns.clone(), sa.clone())),
        };
        if mounted {
            g.edge(
                w.clone(),
                Vertex::ServiceAccount(ns.clone(), sa.clone()),
                format!("read the token of ServiceAccount {ns}/{sa} mounted at /var/run/secrets/kubernetes.io/serviceaccount"),
                T_TOKEN,
                evidence(pod.object, sa_node, format!("serviceAccountName: {sa}, token automounted")),
                None,
                1.0,
                (!bound.contains(&(ns.clone(), sa.clone()))).then(|| format!("service-account-token:{k}")),
            );
        }
        for (detail, node, p, assumption) in escapes(pod) {
            g.edge(
                w.clone(),
                Vertex::Node(pool.clone()),
                format!("escape to the node: {detail}"),
                T_ESCAPE,
                evidence(pod.object, node, detail.clone()),
                assumption.map(str::to_string),
                p,
                Some(format!("remove-host-access:{k}")),
            );
        }
        // The cloud metadata service hands out the node's role.
        if let (Some(m), Some(&e)) = (metadata, endpoint_of.get(&pod.object.id)) {
            if matrix.allowed(e, m) {
                let host = pod.bool_field("hostNetwork");
                let cut = if host {
                    format!("remove-host-access:{k}")
                } else {
                    format!("block-metadata:Namespace/{ns}")
                };
                g.edge(
                    w.clone(),
                    Vertex::Cloud(NODE_ROLE.to_string()),
                    "ask the cloud metadata service (169.254.169.254) for the node's credentials".to_string(),
                    T_IMDS,
                    evidence(pod.object, None, if host { "hostNetwork: true".to_string() } else { "no egress policy blocks 169.254.169.254".to_string() }),
                    Some("the nodes allow pods to use the instance metadata service (IMDSv1, or IMDSv2 with a hop limit above 1)".to_string()),
                    0.6,
                    Some(cut),
                );
            }
        }
        // Static cloud keys in the environment.
        for c in pod.containers() {
            for var in c.node.get("env").and_then(Node::as_seq).unwrap_or(&[]) {
                let name = var.get("name").and_then(Node::as_str).unwrap_or("");
                if name.eq_ignore_ascii_case("AWS_SECRET_ACCESS_KEY")
                    && var.get("value").and_then(Node::as_str).is_some()
                {
                    g.edge(
                        w.clone(),
                        Vertex::Cloud(format!(
                            "the AWS keys in the environment of {}",
                            pod.object.id.display()
                        )),
                        format!("read the AWS keys from container {}'s environment", c.name),
                        T_FILES,
                        evidence(
                            pod.object,
                            var.get("value"),
                            format!("env {name} of container {}", c.name),
                        ),
                        None,
                        1.0,
                        Some(format!("move-credentials:{k}")),
                    );
                }
            }
        }
    }
    let workload_index: HashMap<&ResourceRef, usize> = pods
        .iter()
        .enumerate()
        .map(|(wi, p)| (&p.object.id, wi))
        .rev()
        .collect();
    for id in &identities {
        let Some(&wi) = workload_index.get(&id.workload) else {
            continue;
        };
        g.edge(
            Vertex::Workload(wi),
            Vertex::Cloud(format!("{} role {}", id.provider.to_uppercase(), id.role)),
            format!("use its {} credentials for {}", id.mechanism, id.role),
            T_CLOUD,
            Evidence {
                resource: Some(ResourceRef {
                    api_version: "v1".into(),
                    kind: "ServiceAccount".into(),
                    namespace: Some(id.service_account.0.clone()),
                    name: id.service_account.1.clone(),
                }),
                location: None,
                detail: format!(
                    "{} via service account {}/{}",
                    id.mechanism, id.service_account.0, id.service_account.1
                ),
            },
            None,
            1.0,
            None,
        );
    }

    let cloud = cloud_secrets(inventory);
    // The node role authenticates to the API server as a node: managed
    // clusters map it to system:nodes (EKS aws-auth or access entries).
    g.edge(
        Vertex::Cloud(NODE_ROLE.to_string()),
        Vertex::Node(String::new()),
        "authenticate to the API server with the node role as a node (kubelet identity)".to_string(),
        T_CLOUD,
        Evidence { resource: None, location: None, detail: "managed clusters map the node role to system:nodes".to_string() },
        Some("the cluster maps the node role to the system:nodes group (EKS aws-auth or access entries)".to_string()),
        0.8,
        None,
    );
    // A node holds the tokens of the pods that can run on it, and its own cloud role.
    // Per workload, once: the cloud Secrets it references, and its account.
    let cloud_refs: Vec<Vec<String>> = pods
        .iter()
        .enumerate()
        .map(|(wi, pod)| {
            let ns = &g.workloads[wi].namespace;
            referenced_secrets(pod)
                .into_iter()
                .filter(|secret| cloud.contains(&(ns.clone(), secret.clone())))
                .collect()
        })
        .collect();
    let accounts: Vec<&str> = pods.iter().map(|pod| pod.service_account().0).collect();
    let any: Vec<usize> = pools.get("").cloned().unwrap_or_default();
    let pool_names: Vec<String> = pools.keys().cloned().collect();
    for pool in &pool_names {
        let mut hosted: Vec<usize> = pools.get(pool).cloned().unwrap_or_default();
        if !pool.is_empty() {
            hosted.extend(any.iter().copied());
        }
        let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        for &wi in &hosted {
            if cloud_refs[wi].is_empty() {
                continue;
            }
            let ns = g.workloads[wi].namespace.clone();
            for secret in &cloud_refs[wi] {
                g.edge(
                    Vertex::Node(pool.clone()),
                    Vertex::Cloud(cloud_secret_name(&ns, secret)),
                    format!(
                        "as the node, read Secret {ns}/{secret}, which {} on the node uses",
                        pods[wi].object.id.display()
                    ),
                    T_CREDS,
                    evidence(
                        pods[wi].object,
                        None,
                        format!(
                            "{} references Secret {secret}",
                            pods[wi].object.id.display()
                        ),
                    ),
                    Some(
                        "the pod may run on the same node (no scheduling data in the input)"
                            .to_string(),
                    ),
                    0.7,
                    Some(format!("move-credentials:Secret/{ns}/{secret}")),
                );
            }
        }
        for wi in hosted {
            let object = pods[wi].object;
            let ns = object.id.namespace.as_deref().unwrap_or_default();
            let sa = accounts[wi];
            if !seen.insert((ns, sa)) {
                continue;
            }
            g.edge(
                Vertex::Node(pool.clone()),
                Vertex::ServiceAccount(ns.to_string(), sa.to_string()),
                format!("read the token of ServiceAccount {ns}/{sa} from a pod of {} on the node", object.id.display()),
                T_CREDS,
                evidence(object, None, format!("{} may run on the same node", object.id.display())),
                Some("pods share nodes unless node selectors separate them (no scheduling data in the input)".to_string()),
                0.8,
                None,
            );
        }
        g.edge(
            Vertex::Node(pool.clone()),
            Vertex::Cloud(NODE_ROLE.to_string()),
            "use the node's own cloud credentials from the metadata service".to_string(),
            T_IMDS,
            Evidence {
                resource: None,
                location: None,
                detail: "every cloud node has an instance role".to_string(),
            },
            Some("the node runs in a cloud with an instance role".to_string()),
            0.9,
            None,
        );
    }
    rbac_edges(&mut g, inventory, rbac, &sas_by_ns, &workloads_by_ns, pods);
    g
}

/// Edges given by RBAC, and by what Secrets and namespaces hold.
fn rbac_edges(
    g: &mut Graph,
    inventory: &Inventory,
    rbac: &RbacModel,
    sas_by_ns: &BTreeMap<String, BTreeSet<String>>,
    workloads_by_ns: &BTreeMap<String, Vec<usize>>,
    pods: &[PodTemplate<'_>],
) {
    let mut namespaces: BTreeSet<String> = sas_by_ns
        .keys()
        .chain(workloads_by_ns.keys())
        .cloned()
        .collect();
    // Namespaces the input only names (a Namespace, a RoleBinding), and
    // kube-system, which always exists.
    namespaces.extend(inventory.of_kind("Namespace").map(|n| n.id.name.clone()));
    namespaces.extend(
        rbac.bindings
            .iter()
            .filter_map(|b| b.scope().map(str::to_string)),
    );
    namespaces.insert("kube-system".to_string());
    let dangers: Vec<Vec<rampart_rbac::danger::RoleDanger>> =
        rbac.roles.iter().map(role_dangers).collect();
    let eks = inventory.objects.iter().any(|o| {
        (o.kind() == "ConfigMap" && o.id.name == "aws-auth")
            || o.annotations().get("eks.amazonaws.com/role-arn").is_some()
    });
    for b in &rbac.bindings {
        let Some(ri) = b.role else { continue };
        let role = &rbac.roles[ri];
        // Who holds the grant: service accounts, or the groups every
        // service account is in (one vertex, not thousands of edges).
        let mut holders: Vec<Vertex> = Vec::new();
        for s in &b.subjects {
            match (s.kind.as_str(), s.name.as_str()) {
                ("ServiceAccount", name) => holders.push(Vertex::ServiceAccount(
                    s.namespace.clone().unwrap_or_default(),
                    name.to_string(),
                )),
                ("Group", grp)
                    if grp == "system:serviceaccounts"
                        || grp == "system:authenticated"
                        || grp.starts_with("system:serviceaccounts:") =>
                {
                    holders.push(Vertex::Group(grp.to_string()))
                }
                ("User", u) => {
                    if let Some((ns, n)) = u
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|r| r.split_once(':'))
                    {
                        holders.push(Vertex::ServiceAccount(ns.to_string(), n.to_string()));
                    }
                }
                _ => {}
            }
        }
        if holders.is_empty() {
            continue;
        }
        let scope = b.scope().map(str::to_string);
        let cut = match (&role.origin, &b.origin) {
            (Some(_), _) => Some(format!("narrow-role:{}", key(&role.id))),
            (None, Some(_)) => Some(format!("remove-binding:{}", key(&b.id))),
            (None, None) => None,
        };
        let ev = Evidence {
            resource: Some(b.id.clone()),
            location: b.origin.clone(),
            detail: format!(
                "{} {} grants {} {}",
                b.id.kind, b.id.name, role.id.kind, role.id.name
            ),
        };
        let mut targets: Vec<(Vertex, String, Technique)> = Vec::new();
        if is_superuser(role) && b.cluster {
            targets.push((
                Vertex::ClusterAdmin,
                format!(
                    "act as cluster-admin ({} {} grants every permission)",
                    role.id.kind, role.id.name
                ),
                T_VALID,
            ));
        }
        for d in &dangers[ri] {
            let (v, what, t) = match (d.danger, &scope) {
                (Danger::SecretsRead, None) => (Vertex::AllSecrets, "read every Secret", T_CREDS),
                (Danger::SecretsRead, Some(ns)) => (
                    Vertex::Secrets(ns.clone()),
                    "read the namespace's Secrets",
                    T_CREDS,
                ),
                (Danger::PodCreate, None) => (
                    Vertex::AnyPodCreate,
                    "create pods in any namespace",
                    T_DEPLOY,
                ),
                (Danger::PodCreate, Some(ns)) => (
                    Vertex::PodCreate(ns.clone()),
                    "create pods in the namespace",
                    T_DEPLOY,
                ),
                (Danger::PodExec | Danger::NodesProxy, None) => {
                    (Vertex::AnyExec, "run commands in any pod", T_EXEC)
                }
                (Danger::PodExec, Some(ns)) => (
                    Vertex::Exec(ns.clone()),
                    "run commands in the namespace's pods",
                    T_EXEC,
                ),
                (Danger::SaTokenCreate, None) => (
                    Vertex::AnyTokens,
                    "mint a token for any service account",
                    T_ESCALATE,
                ),
                (Danger::SaTokenCreate, Some(ns)) => (
                    Vertex::Tokens(ns.clone()),
                    "mint tokens for the namespace's service accounts",
                    T_ESCALATE,
                ),
                (
                    Danger::EscalateBind
                    | Danger::Impersonate
                    | Danger::CsrApprove
                    | Danger::WebhookWrite,
                    None,
                ) => (
                    Vertex::ClusterAdmin,
                    "grant itself cluster-admin",
                    T_ESCALATE,
                ),
                (Danger::AwsAuthWrite, s)
                    if eks && s.as_deref().is_none_or(|n| n == "kube-system") =>
                {
                    (
                        Vertex::ClusterAdmin,
                        "map an IAM identity to system:masters in aws-auth",
                        T_ESCALATE,
                    )
                }
                (Danger::PvCreate, None) => (
                    Vertex::Node(String::new()),
                    "mount a node directory through a hostPath PersistentVolume",
                    T_ESCAPE,
                ),
                _ => continue,
            };
            targets.push((v, format!("{what} ({})", d.detail), t));
        }
        for holder in holders {
            for (v, what, t) in &targets {
                g.edge(
                    holder.clone(),
                    v.clone(),
                    format!("with the account's permissions, {what}"),
                    *t,
                    ev.clone(),
                    None,
                    1.0,
                    cut.clone(),
                );
            }
        }
    }
    // Every service account is in system:serviceaccounts, its namespace's
    // group and system:authenticated: membership edges to the groups some
    // binding names.
    for (ns, names) in sas_by_ns {
        for group in [
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{ns}"),
            "system:authenticated".to_string(),
        ] {
            if !g.index.contains_key(&Vertex::Group(group.clone())) {
                continue;
            }
            for sa in names {
                g.edge(
                    Vertex::ServiceAccount(ns.clone(), sa.clone()),
                    Vertex::Group(group.clone()),
                    format!("authenticate as a member of group {group}"),
                    T_VALID,
                    Evidence {
                        resource: None,
                        location: None,
                        detail: format!("every service account of {ns} is in {group}"),
                    },
                    None,
                    1.0,
                    None,
                );
            }
        }
    }
    // What each capability leads to.
    let psa_open: BTreeSet<String> = namespaces
        .iter()
        .filter(|ns| {
            inventory
                .of_kind("Namespace")
                .find(|o| &o.id.name == *ns)
                .and_then(|o| {
                    o.labels()
                        .get("pod-security.kubernetes.io/enforce")
                        .and_then(Node::as_str)
                })
                .is_none_or(|l| l == "privileged")
        })
        .cloned()
        .collect();
    let none = Evidence {
        resource: None,
        location: None,
        detail: String::new(),
    };
    for ns in &namespaces {
        g.edge(
            Vertex::AllSecrets,
            Vertex::Secrets(ns.clone()),
            format!("read the Secrets of namespace {ns}"),
            T_CREDS,
            none.clone(),
            None,
            1.0,
            None,
        );
        g.edge(
            Vertex::AnyPodCreate,
            Vertex::PodCreate(ns.clone()),
            format!("create pods in namespace {ns}"),
            T_DEPLOY,
            none.clone(),
            None,
            1.0,
            None,
        );
        g.edge(
            Vertex::AnyExec,
            Vertex::Exec(ns.clone()),
            format!("run commands in namespace {ns}"),
            T_EXEC,
            none.clone(),
            None,
            1.0,
            None,
        );
        g.edge(
            Vertex::AnyTokens,
            Vertex::Tokens(ns.clone()),
            format!("mint tokens in namespace {ns}"),
            T_ESCALATE,
            none.clone(),
            None,
            1.0,
            None,
        );
        for sa in sas_by_ns.get(ns).into_iter().flatten() {
            g.edge(
                Vertex::PodCreate(ns.clone()),
                Vertex::ServiceAccount(ns.clone(), sa.clone()),
                format!("create a pod running as ServiceAccount {ns}/{sa} and read its token"),
                T_DEPLOY,
                Evidence {
                    resource: None,
                    location: None,
                    detail: format!("pods can name any service account of {ns}"),
                },
                None,
                1.0,
                None,
            );
            g.edge(
                Vertex::Tokens(ns.clone()),
                Vertex::ServiceAccount(ns.clone(), sa.clone()),
                format!("mint a token for ServiceAccount {ns}/{sa}"),
                T_ESCALATE,
                none.clone(),
                None,
                1.0,
                None,
            );
        }
        if psa_open.contains(ns) {
            g.edge(
                Vertex::PodCreate(ns.clone()),
                Vertex::Node(String::new()),
                format!("create a privileged pod in namespace {ns}, which enforces no Pod Security level, and escape to its node"),
                T_ESCAPE,
                Evidence { resource: None, location: None, detail: format!("namespace {ns} has no pod-security.kubernetes.io/enforce label (or privileged)") },
                None,
                0.95,
                Some(format!("enforce-pod-security:Namespace/{ns}")),
            );
        }
        for &wi in workloads_by_ns.get(ns).into_iter().flatten() {
            g.edge(
                Vertex::Exec(ns.clone()),
                Vertex::Workload(wi),
                format!("exec into {}", pods[wi].object.id.display()),
                T_EXEC,
                none.clone(),
                None,
                1.0,
                None,
            );
        }
    }
    // kube-system always exists, whether or not the input shows it.
    g.edge(
        Vertex::Secrets("kube-system".to_string()),
        Vertex::KubeSystemSecrets,
        "read the Secrets of kube-system".to_string(),
        T_CREDS,
        none.clone(),
        None,
        1.0,
        None,
    );
    // Secrets that hold credentials: legacy token Secrets and cloud keys.
    let cloud = cloud_secrets(inventory);
    for s in inventory.of_kind("Secret") {
        let ns = s.id.namespace.clone().unwrap_or_default();
        let ty = s.root.get("type").and_then(Node::as_str).unwrap_or("");
        if ty == "kubernetes.io/service-account-token" {
            if let Some(sa) = s
                .annotations()
                .get("kubernetes.io/service-account.name")
                .and_then(Node::as_str)
            {
                g.edge(
                    Vertex::Secrets(ns.clone()),
                    Vertex::ServiceAccount(ns.clone(), sa.to_string()),
                    format!(
                        "read the long-lived token of ServiceAccount {ns}/{sa} from Secret {}",
                        s.id.name
                    ),
                    T_CREDS,
                    evidence(
                        s,
                        s.root.get("type"),
                        "type: kubernetes.io/service-account-token".to_string(),
                    ),
                    None,
                    1.0,
                    Some(format!("service-account-token:{}", key(&s.id))),
                );
            }
        }
        if cloud.contains(&(ns.clone(), s.id.name.clone())) {
            g.edge(
                Vertex::Secrets(ns.clone()),
                Vertex::Cloud(cloud_secret_name(&ns, &s.id.name)),
                format!("read the cloud keys stored in Secret {}", s.id.name),
                T_FILES,
                evidence(
                    s,
                    None,
                    format!("Secret {} holds static cloud credentials", s.id.name),
                ),
                None,
                1.0,
                Some(format!("move-credentials:{}", key(&s.id))),
            );
        }
    }
}
