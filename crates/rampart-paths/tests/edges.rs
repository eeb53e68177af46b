//! Every edge type of the attack graph, each with a case where it exists and
//! one where it must not, on small estates. Assertions are on the steps of
//! the computed paths: technique, evidence (resource, line, detail),
//! assumption and the target vertex reached.

use std::collections::BTreeMap;

use rampart_load::{load_text, LoadOptions};
use rampart_model::ResourceRef;
use rampart_paths::{compute, AttackPath, Options, Step, Target};

const FILE: &str = "estate.yaml";

const T_EXPLOIT: &str = "T1190";
const T_SUPPLY: &str = "T1195.002";
const T_VALID: &str = "T1078";
const T_ESCAPE: &str = "T1611";
const T_TOKEN: &str = "T1528";
const T_IMDS: &str = "T1552.005";
const T_CLOUD: &str = "T1078.004";
const T_CREDS: &str = "T1552.007";
const T_FILES: &str = "T1552.001";
const T_DEPLOY: &str = "T1610";
const T_EXEC: &str = "T1609";
const T_ESCALATE: &str = "T1098";

const NODE_ROLE: &str = "the nodes' cloud role (instance metadata)";

// ---------------------------------------------------------------- helpers

/// Remove the indentation common to every non-blank line.
fn dedent(s: &str) -> String {
    let s = s.trim_matches('\n');
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in s.lines() {
        out.push_str(l.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out
}

/// Documents (indented freely) joined into one YAML stream.
fn estate(docs: &[String]) -> String {
    docs.iter()
        .map(|d| dedent(d))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// A Pod labelled `app: <name>`; `spec` is the pod spec, indented freely.
fn pod(ns: &str, name: &str, spec: &str) -> String {
    let body: String = dedent(spec).lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app: {name}\nspec:\n{body}"
    )
}

/// A Pod running as a service account, with one plain container.
fn runner(ns: &str, name: &str, sa: &str) -> String {
    pod(
        ns,
        name,
        &format!(
            "serviceAccountName: {sa}\ncontainers:\n- name: app\n  image: example/{name}:1.0\n"
        ),
    )
}

fn sa(ns: &str, name: &str) -> String {
    format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: {ns}\n")
}

fn namespace(name: &str, enforce: Option<&str>) -> String {
    match enforce {
        Some(level) => format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    pod-security.kubernetes.io/enforce: {level}\n"
        ),
        None => format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n"),
    }
}

/// `rules` is a YAML list of flow mappings, one per line.
fn role(ns: &str, name: &str, rules: &str) -> String {
    let body: String = dedent(rules).lines().map(|l| format!("{l}\n")).collect();
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {ns}\nrules:\n{body}"
    )
}

fn cluster_role(name: &str, rules: &str) -> String {
    let body: String = dedent(rules).lines().map(|l| format!("{l}\n")).collect();
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {name}\nrules:\n{body}"
    )
}

/// A RoleBinding in `ns` of `role_kind/role_name` to ServiceAccount `subject` (`ns/name`).
fn role_binding(ns: &str, name: &str, role_kind: &str, role_name: &str, subject: &str) -> String {
    let (sns, sname) = subject.split_once('/').unwrap();
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\n  namespace: {ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {role_name}\nsubjects:\n- kind: ServiceAccount\n  name: {sname}\n  namespace: {sns}\n"
    )
}

fn cluster_role_binding(name: &str, role_name: &str, subject: &str) -> String {
    let (sns, sname) = subject.split_once('/').unwrap();
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: {name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {role_name}\nsubjects:\n- kind: ServiceAccount\n  name: {sname}\n  namespace: {sns}\n"
    )
}

/// Every pod of `ns` may not open any connection (metadata included).
fn deny_egress(ns: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-egress\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n"
    )
}

/// Paths to a node from the entries `options` gives.
fn entries_to_node(yaml: &str, options: Options) -> Vec<AttackPath> {
    run(
        yaml,
        Options {
            to: Some(Target::Node),
            ..options
        },
    )
}

fn run(yaml: &str, options: Options) -> Vec<AttackPath> {
    let inventory = load_text(FILE, yaml, &LoadOptions::default());
    assert!(
        inventory.errors.is_empty(),
        "input errors: {:?}\n{yaml}",
        inventory.errors
    );
    let pods = rampart_checks::pod_templates(&inventory);
    let rbac = rampart_rbac::RbacModel::build(&inventory);
    let network = rampart_network::NetworkModel::build(&inventory);
    let matrix = network.matrix();
    compute(&inventory, &pods, &rbac, &network, &matrix, &options).paths
}

/// Every workload compromised, paths to `to`.
fn breach(yaml: &str, to: Target) -> Vec<AttackPath> {
    run(
        yaml,
        Options {
            assume_breach: true,
            to: Some(to),
            ..Default::default()
        },
    )
}

/// Only the workload `ns/name` compromised, paths to `to`.
fn breach_from(yaml: &str, from: &str, to: Target) -> Vec<AttackPath> {
    run(
        yaml,
        Options {
            assume_breach: true,
            from: Some(from.to_string()),
            to: Some(to),
            ..Default::default()
        },
    )
}

fn pod_ref(ns: &str, name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "v1".into(),
        kind: "Pod".into(),
        namespace: Some(ns.into()),
        name: name.into(),
    }
}

/// For assertion messages.
fn show(paths: &[AttackPath]) -> String {
    let mut out = String::new();
    for p in paths {
        out.push_str(&format!("{:?} from {}:\n", p.target, p.entry.display()));
        for s in &p.steps {
            out.push_str(&format!(
                "  [{}] {} -> {} | {} | {:?} {:?} | {}\n",
                s.technique.id,
                s.from,
                s.to,
                s.action,
                s.evidence.resource.as_ref().map(|r| r.display()),
                s.evidence.location.as_ref().map(|l| l.line),
                s.evidence.detail
            ));
        }
    }
    out
}

/// The single path from `ns/name` (a Pod), with at most two routes for the
/// cloud target: the one ending where `last` says.
fn path_from<'a>(paths: &'a [AttackPath], ns: &str, name: &str) -> &'a AttackPath {
    let id = pod_ref(ns, name);
    let mine: Vec<&AttackPath> = paths.iter().filter(|p| p.entry == id).collect();
    assert_eq!(
        mine.len(),
        1,
        "expected one path from {}:\n{}",
        id.display(),
        show(paths)
    );
    mine[0]
}

fn ids(p: &AttackPath) -> Vec<&'static str> {
    p.steps.iter().map(|s| s.technique.id).collect()
}

fn to_names(p: &AttackPath) -> Vec<&str> {
    p.steps.iter().map(|s| s.to.as_str()).collect()
}

/// The 1-based line of the only line of `yaml` containing `needle`.
fn line_of(yaml: &str, needle: &str) -> u32 {
    let hits: Vec<usize> = yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "`{needle}` should be on exactly one line");
    hits[0] as u32
}

/// The line of the first document line `^kind: <kind>` followed by `name: <name>`.
fn object_line(yaml: &str, kind: &str, name: &str) -> u32 {
    let lines: Vec<&str> = yaml.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if *l == format!("kind: {kind}")
            && lines[i..]
                .iter()
                .take(4)
                .any(|x| x.trim() == format!("name: {name}"))
        {
            // The object starts at its document's first line.
            let start = lines[..i]
                .iter()
                .rposition(|x| *x == "---")
                .map_or(0, |p| p + 1);
            return start as u32 + 1;
        }
    }
    panic!("no {kind} {name}");
}

fn assert_evidence(step: &Step, resource: &ResourceRef, line: u32, detail: &str) {
    assert_eq!(step.evidence.resource.as_ref(), Some(resource), "{step:?}");
    let loc = step.evidence.location.as_ref().expect("evidence location");
    assert_eq!(&*loc.file, FILE);
    assert_eq!(loc.line, line, "evidence line of {step:?}");
    assert!(
        step.evidence.detail.contains(detail),
        "evidence detail `{}` should contain `{detail}`",
        step.evidence.detail
    );
}

const CONTAINER: &str = "containers:\n- name: app\n  image: example/app:1.0\n";

// ---------------------------------------------------------------- entries

/// A privileged web pod: once compromised it reaches a node.
fn web() -> String {
    pod(
        "shop",
        "web",
        "containers:\n- name: web\n  image: example/web:1.0\n  securityContext:\n    privileged: true\n",
    )
}

fn service(ty: &str, annotations: &str) -> String {
    let ann = if annotations.is_empty() {
        String::new()
    } else {
        format!("  annotations:\n    {annotations}\n")
    };
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n{ann}spec:\n  type: {ty}\n  selector:\n    app: web\n  ports:\n  - port: 443\n"
    )
}

#[test]
fn entry_loadbalancer_service_selecting_the_workload() {
    let yaml = estate(&[web(), service("LoadBalancer", "")]);
    let paths = entries_to_node(&yaml, Options::default());
    let p = path_from(&paths, "shop", "web");
    assert_eq!(p.target, Target::Node);
    assert_eq!(ids(p), [T_EXPLOIT, T_ESCAPE], "{}", show(&paths));
    let entry = &p.steps[0];
    assert_eq!(entry.from, "the attacker");
    assert_eq!(entry.to, "Pod shop/web");
    assert!(
        p.entry_reason.contains("LoadBalancer web") && p.entry_reason.contains("port 443"),
        "{}",
        p.entry_reason
    );
    assert_eq!(
        entry.evidence.resource.as_ref(),
        Some(&pod_ref("shop", "web"))
    );
    assert_eq!(p.steps[1].to, "a node");
    // Internet-facing entries are likely, not certain.
    assert!((p.likelihood - 0.5 * 0.95).abs() < 1e-9, "{}", p.likelihood);
}

#[test]
fn entry_not_from_unselected_workload_or_cluster_ip() {
    // A ClusterIP Service is no entry.
    let yaml = estate(&[web(), service("ClusterIP", "")]);
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
    // A LoadBalancer selecting other pods exposes nothing of web.
    let other = service("LoadBalancer", "").replace("app: web", "app: api");
    let yaml = estate(&[web(), other]);
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
}

#[test]
fn internal_load_balancer_is_not_an_entry() {
    for ann in [
        "service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"",
        "service.beta.kubernetes.io/aws-load-balancer-scheme: internal",
        "networking.gke.io/load-balancer-type: Internal",
        "service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"",
    ] {
        let yaml = estate(&[web(), service("LoadBalancer", ann)]);
        let paths = entries_to_node(&yaml, Options::default());
        assert!(paths.is_empty(), "{ann}:\n{}", show(&paths));
    }
}

fn ingress(backend: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: {backend}\n            port:\n              number: 443\n"
    )
}

#[test]
fn entry_ingress_backend() {
    let yaml = estate(&[web(), service("ClusterIP", ""), ingress("web")]);
    let paths = entries_to_node(&yaml, Options::default());
    let p = path_from(&paths, "shop", "web");
    assert_eq!(ids(p), [T_EXPLOIT, T_ESCAPE]);
    assert!(
        p.entry_reason.contains("Ingress shop") && p.entry_reason.contains("shop.example.com"),
        "{}",
        p.entry_reason
    );
    // An Ingress to another Service is no entry for web.
    let yaml = estate(&[web(), service("ClusterIP", ""), ingress("api")]);
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
}

fn http_route(backend: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: shop-route\n  namespace: shop\nspec:\n  parentRefs:\n  - name: public\n    namespace: gateways\n  hostnames: [shop.example.com]\n  rules:\n  - backendRefs:\n    - name: {backend}\n      port: 443\n"
    )
}

#[test]
fn entry_httproute_backend() {
    let yaml = estate(&[web(), service("ClusterIP", ""), http_route("web")]);
    let paths = entries_to_node(&yaml, Options::default());
    let p = path_from(&paths, "shop", "web");
    assert_eq!(ids(p), [T_EXPLOIT, T_ESCAPE]);
    assert!(
        p.entry_reason.contains("HTTPRoute shop-route"),
        "{}",
        p.entry_reason
    );
    let yaml = estate(&[web(), service("ClusterIP", ""), http_route("api")]);
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
}

#[test]
fn entry_supply_chain() {
    let yaml = estate(&[web()]);
    // Not exposed, not breached: no entry.
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
    let mut extra = BTreeMap::new();
    extra.insert(
        pod_ref("shop", "web"),
        "third-party component example".to_string(),
    );
    let paths = entries_to_node(
        &yaml,
        Options {
            extra_entries: extra,
            ..Default::default()
        },
    );
    let p = path_from(&paths, "shop", "web");
    assert_eq!(ids(p), [T_SUPPLY, T_ESCAPE]);
    assert_eq!(p.entry_reason, "third-party component example");
    assert!((p.likelihood - 0.3 * 0.95).abs() < 1e-9);
    // Entries found the way the CLI finds them: a mutable image tag.
    let latest = yaml.replace("example/web:1.0", "example/web:latest");
    let inventory = load_text(FILE, &latest, &LoadOptions::default());
    let extra = rampart_checks::supply_chain_entries(&inventory);
    assert!(extra.contains_key(&pod_ref("shop", "web")), "{extra:?}");
    let paths = entries_to_node(
        &latest,
        Options {
            extra_entries: extra,
            ..Default::default()
        },
    );
    assert_eq!(ids(path_from(&paths, "shop", "web"))[0], T_SUPPLY);
    // A pinned image is no supply-chain entry.
    let pinned = yaml.replace(
        "example/web:1.0",
        "example/web@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    );
    let inventory = load_text(FILE, &pinned, &LoadOptions::default());
    assert!(rampart_checks::supply_chain_entries(&inventory).is_empty());
}

// ---------------------------------------------------------------- container escape

/// The escape step of the pod `app/x` with `spec`, checked to be the path's
/// only move after the entry.
fn escape_of(spec: &str) -> (String, Step) {
    let yaml = estate(&[pod("app", "x", spec)]);
    let paths = breach(&yaml, Target::Node);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_ESCAPE], "{}", show(&paths));
    let step = p.steps[1].clone();
    assert_eq!(step.from, "Pod app/x");
    assert_eq!(step.to, "a node");
    (yaml, step)
}

/// No path of the pod `app/x` escapes to a node.
fn assert_no_escape(spec: &str) {
    let yaml = estate(&[pod("app", "x", spec)]);
    let paths = breach(&yaml, Target::Node);
    assert!(
        paths
            .iter()
            .flat_map(|p| &p.steps)
            .all(|s| s.technique.id != T_ESCAPE),
        "{}",
        show(&paths)
    );
    // The pod still reaches a node, through the node role (no escape).
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_IMDS, T_CLOUD], "{}", show(&paths));
}

#[test]
fn escape_privileged() {
    let (yaml, s) = escape_of(
        "containers:\n- name: c\n  image: example/x:1\n  securityContext:\n    privileged: true\n",
    );
    assert_evidence(
        &s,
        &pod_ref("app", "x"),
        line_of(&yaml, "privileged: true"),
        "container c is privileged",
    );
    assert!(!s.evidence.detail.contains("hostPID"));
    assert_eq!(s.assumption, None);
}

#[test]
fn escape_privileged_with_host_pid() {
    let (yaml, s) = escape_of(
        "hostPID: true\ncontainers:\n- name: c\n  image: example/x:1\n  securityContext:\n    privileged: true\n",
    );
    assert_evidence(
        &s,
        &pod_ref("app", "x"),
        line_of(&yaml, "privileged: true"),
        "privileged with hostPID",
    );
}

#[test]
fn escape_privileged_false_is_nothing() {
    assert_no_escape(
        "containers:\n- name: c\n  image: example/x:1\n  securityContext:\n    privileged: false\n",
    );
}

fn host_path(path: &str) -> String {
    format!(
        "containers:\n- name: c\n  image: example/x:1\nvolumes:\n- name: host\n  hostPath:\n    path: {path}\n"
    )
}

#[test]
fn escape_host_path_root() {
    let (yaml, s) = escape_of(&host_path("/"));
    assert_evidence(
        &s,
        &pod_ref("app", "x"),
        line_of(&yaml, "hostPath:"),
        "volume host mounts /: the node's root filesystem",
    );
}

#[test]
fn escape_runtime_sockets() {
    for path in [
        "/var/run/docker.sock",
        "/run/containerd/containerd.sock",
        "/var/run/containerd/containerd.sock",
        "/var/run/crio/crio.sock",
        "/var/run",
        "/run/containerd",
        "/var/run/containerd/",
        "/run/crio",
    ] {
        let (yaml, s) = escape_of(&host_path(path));
        assert_evidence(
            &s,
            &pod_ref("app", "x"),
            line_of(&yaml, "hostPath:"),
            "the container runtime socket",
        );
        assert!(s.evidence.detail.contains(path), "{}", s.evidence.detail);
    }
}

#[test]
fn escape_kubelet_directory_and_kubernetes_credentials() {
    for path in [
        "/var/lib/kubelet",
        "/var/lib/kubelet/pods",
        "/var",
        "/var/lib/",
    ] {
        let (yaml, s) = escape_of(&host_path(path));
        assert_evidence(
            &s,
            &pod_ref("app", "x"),
            line_of(&yaml, "hostPath:"),
            "the kubelet's directory",
        );
    }
    for path in ["/etc/kubernetes", "/etc/kubernetes/pki"] {
        let (yaml, s) = escape_of(&host_path(path));
        assert_evidence(
            &s,
            &pod_ref("app", "x"),
            line_of(&yaml, "hostPath:"),
            "the node's Kubernetes credentials",
        );
    }
}

#[test]
fn escape_var_log_carries_its_assumption() {
    let (yaml, s) = escape_of(&host_path("/var/log"));
    assert_evidence(
        &s,
        &pod_ref("app", "x"),
        line_of(&yaml, "hostPath:"),
        "/var/log: symlinks followed by the kubelet's log reader",
    );
    let assumption = s
        .assumption
        .as_deref()
        .expect("the /var/log escape assumes log reads");
    assert!(
        !s.evidence.detail.contains("assumes"),
        "{}",
        s.evidence.detail
    );
    assert!(
        assumption.contains("reads the pod's logs through the API"),
        "{assumption}"
    );
}

fn with_caps(caps: &str, host_pid: bool) -> String {
    format!(
        "{}containers:\n- name: c\n  image: example/x:1\n  securityContext:\n    capabilities:\n      add:\n{}",
        if host_pid { "hostPID: true\n" } else { "" },
        caps.split(',')
            .map(|c| format!("      - {c}\n"))
            .collect::<String>()
    )
}

#[test]
fn escape_capabilities() {
    for (caps, host_pid, cap, detail) in [
        (
            "SYS_ADMIN",
            false,
            "SYS_ADMIN",
            "adds SYS_ADMIN: mount or cgroup release_agent escape",
        ),
        (
            "NET_BIND_SERVICE,CAP_SYS_ADMIN",
            false,
            "CAP_SYS_ADMIN",
            "adds SYS_ADMIN",
        ),
        (
            "SYS_MODULE",
            false,
            "SYS_MODULE",
            "adds SYS_MODULE: load a kernel module",
        ),
        (
            "SYS_PTRACE",
            true,
            "SYS_PTRACE",
            "adds SYS_PTRACE with hostPID",
        ),
    ] {
        let (yaml, s) = escape_of(&with_caps(caps, host_pid));
        // The evidence is the capability's own list item.
        assert_evidence(
            &s,
            &pod_ref("app", "x"),
            line_of(&yaml, &format!("- {cap}")),
            detail,
        );
    }
}

#[test]
fn no_escape_without_host_access() {
    // SYS_PTRACE only reaches node processes with hostPID.
    assert_no_escape(&with_caps("SYS_PTRACE", false));
    assert_no_escape(&with_caps("NET_RAW", false));
    assert_no_escape(&with_caps("NET_RAW,CHOWN", true));
    // hostPID alone shows processes, it does not enter them.
    assert_no_escape(&format!("hostPID: true\n{CONTAINER}"));
    assert_no_escape(&format!("hostIPC: true\n{CONTAINER}"));
    // Harmless host paths.
    assert_no_escape(&host_path("/etc/ssl/certs"));
    assert_no_escape(&host_path("/usr/share/zoneinfo"));
    assert_no_escape(&host_path("/var/lib/app-data"));
    // Look-alikes of sensitive directories.
    assert_no_escape(&host_path("/var/logs-archive"));
    assert_no_escape(&host_path("/var/lib/kubelet-backup"));
    assert_no_escape(&host_path("/etc/kubernetes-docs"));
}

// ---------------------------------------------------------------- token theft

/// ServiceAccount app/ops is cluster-admin.
fn ops_admin() -> Vec<String> {
    vec![
        sa("app", "ops"),
        cluster_role_binding("ops-admin", "cluster-admin", "app/ops"),
    ]
}

#[test]
fn token_theft_of_automounted_token() {
    let mut docs = ops_admin();
    docs.push(runner("app", "x", "ops"));
    let yaml = estate(&docs);
    let paths = breach(&yaml, Target::ClusterAdmin);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_TOKEN, T_VALID], "{}", show(&paths));
    assert_eq!(
        to_names(p),
        ["Pod app/x", "ServiceAccount app/ops", "cluster-admin"]
    );
    assert_evidence(
        &p.steps[1],
        &pod_ref("app", "x"),
        line_of(&yaml, "serviceAccountName: ops"),
        "serviceAccountName: ops, token automounted",
    );
    // The cluster-admin binding is the evidence of the last step.
    let crb = ResourceRef {
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: "ClusterRoleBinding".into(),
        namespace: None,
        name: "ops-admin".into(),
    };
    assert_evidence(
        &p.steps[2],
        &crb,
        object_line(&yaml, "ClusterRoleBinding", "ops-admin"),
        "ClusterRoleBinding ops-admin grants ClusterRole cluster-admin",
    );
    // The account is bound by name: the fix is the binding, not unmounting.
    assert_eq!(p.cut_by, ["remove-binding:ClusterRoleBinding/ops-admin"]);
}

#[test]
fn token_theft_of_an_account_reached_through_its_group() {
    // Grants to system:serviceaccounts:app reach every account of app; the
    // account is not bound by name, so unmounting its token cuts the path.
    let group_binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: app-admins\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: Group\n  name: system:serviceaccounts:app\n  apiGroup: rbac.authorization.k8s.io\n".to_string();
    let yaml = estate(&[sa("app", "ops"), group_binding, runner("app", "x", "ops")]);
    let paths = breach(&yaml, Target::ClusterAdmin);
    let p = path_from(&paths, "app", "x");
    // Compromise, token theft, membership of the group, the group's grant.
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_VALID, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(p.steps[2].to, "group system:serviceaccounts:app");
    assert_eq!(
        p.cut_by,
        [
            "remove-binding:ClusterRoleBinding/app-admins",
            "service-account-token:Pod/app/x"
        ]
    );
    // Another namespace's group does not hold app's accounts.
    let yaml = yaml.replace("system:serviceaccounts:app", "system:serviceaccounts:ops");
    let paths = breach(&yaml, Target::ClusterAdmin);
    assert!(
        paths.iter().all(|p| !ids(p).contains(&T_TOKEN)),
        "{}",
        show(&paths)
    );
}

#[test]
fn no_token_theft_when_automount_is_off() {
    // On the pod.
    let mut docs = ops_admin();
    docs.push(deny_egress("app"));
    docs.push(pod(
        "app",
        "x",
        &format!("serviceAccountName: ops\nautomountServiceAccountToken: false\n{CONTAINER}"),
    ));
    let paths = breach(&estate(&docs), Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
    // On the ServiceAccount.
    let mut docs = vec![
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ops\n  namespace: app\nautomountServiceAccountToken: false\n".to_string(),
        cluster_role_binding("ops-admin", "cluster-admin", "app/ops"),
        deny_egress("app"),
    ];
    docs.push(runner("app", "x", "ops"));
    let yaml = estate(&docs);
    let paths = breach(&yaml, Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
    // The pod's own setting wins over the account's.
    let yaml = yaml.replace(
        "serviceAccountName: ops\n",
        "serviceAccountName: ops\n  automountServiceAccountToken: true\n",
    );
    let paths = breach(&yaml, Target::ClusterAdmin);
    assert_eq!(
        ids(path_from(&paths, "app", "x")),
        [T_VALID, T_TOKEN, T_VALID]
    );
}

#[test]
fn no_token_theft_edge_even_when_the_node_route_exists() {
    // Without an egress policy the pod still reaches cluster-admin, but
    // through the node (its token is on the node), never by reading a mounted token.
    let mut docs = ops_admin();
    docs.push(pod(
        "app",
        "x",
        &format!("serviceAccountName: ops\nautomountServiceAccountToken: false\n{CONTAINER}"),
    ));
    let paths = breach(&estate(&docs), Target::ClusterAdmin);
    let p = path_from(&paths, "app", "x");
    assert!(!ids(p).contains(&T_TOKEN), "{}", show(&paths));
    assert_eq!(ids(p), [T_VALID, T_IMDS, T_CLOUD, T_CREDS, T_VALID]);
}

// ---------------------------------------------------------------- RBAC edges

/// The attacker: Pod app/attacker running as app/attacker, no egress.
fn attacker() -> Vec<String> {
    vec![
        sa("app", "attacker"),
        runner("app", "attacker", "attacker"),
        deny_egress("app"),
    ]
}

fn rolebinding_ref(ns: &str, name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: "RoleBinding".into(),
        namespace: Some(ns.into()),
        name: name.into(),
    }
}

fn crb_ref(name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: "ClusterRoleBinding".into(),
        namespace: None,
        name: name.into(),
    }
}

#[test]
fn pod_create_reaches_every_account_of_the_namespace() {
    let estate_with = |rule: &str, admin_ns: &str| {
        let mut docs = attacker();
        docs.extend([
            namespace("app", Some("restricted")),
            role("app", "deployer", rule),
            role_binding("app", "deployer", "Role", "deployer", "app/attacker"),
            sa(admin_ns, "admin"),
            cluster_role_binding("admin", "cluster-admin", &format!("{admin_ns}/admin")),
        ]);
        estate(&docs)
    };
    let pods = "- {apiGroups: [\"\"], resources: [pods], verbs: [create]}";
    let yaml = estate_with(pods, "app");
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_DEPLOY, T_DEPLOY, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[1..],
        [
            "ServiceAccount app/attacker",
            "pod creation in namespace app",
            "ServiceAccount app/admin",
            "cluster-admin"
        ]
    );
    assert_evidence(
        &p.steps[2],
        &rolebinding_ref("app", "deployer"),
        object_line(&yaml, "RoleBinding", "deployer"),
        "RoleBinding deployer grants Role deployer",
    );
    assert!(
        p.steps[2].action.contains("create pods"),
        "{}",
        p.steps[2].action
    );
    assert!(p
        .cut_by
        .contains(&"narrow-role:Role/app/deployer".to_string()));
    assert!(p.steps[3]
        .evidence
        .detail
        .contains("pods can name any service account of app"));

    // Creating Deployments is creating pods.
    let deployments = "- {apiGroups: [apps], resources: [deployments], verbs: [create]}";
    let paths = breach_from(
        &estate_with(deployments, "app"),
        "app/attacker",
        Target::ClusterAdmin,
    );
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(ids(p)[2..4], [T_DEPLOY, T_DEPLOY], "{}", show(&paths));
    assert!(
        p.steps[2].action.contains("create deployments"),
        "{}",
        p.steps[2].action
    );

    // The admin account of another namespace is out of reach.
    let paths = breach_from(
        &estate_with(pods, "ops"),
        "app/attacker",
        Target::ClusterAdmin,
    );
    assert!(paths.is_empty(), "{}", show(&paths));
}

fn deployer_in(level: Option<&str>) -> String {
    let mut docs = attacker();
    if let Some(level) = level {
        docs.push(namespace("app", Some(level)));
    }
    docs.extend([
        role(
            "app",
            "deployer",
            "- {apiGroups: [\"\"], resources: [pods], verbs: [create]}",
        ),
        role_binding("app", "deployer", "Role", "deployer", "app/attacker"),
    ]);
    estate(&docs)
}

#[test]
fn pod_create_without_pod_security_reaches_a_node() {
    for level in [None, Some("privileged")] {
        let yaml = deployer_in(level);
        let paths = breach_from(&yaml, "app/attacker", Target::Node);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(
            ids(p),
            [T_VALID, T_TOKEN, T_DEPLOY, T_ESCAPE],
            "{}",
            show(&paths)
        );
        let s = &p.steps[3];
        assert_eq!(s.from, "pod creation in namespace app");
        assert_eq!(s.to, "a node");
        assert!(
            s.evidence
                .detail
                .contains("namespace app has no pod-security.kubernetes.io/enforce label"),
            "{}",
            s.evidence.detail
        );
        assert!(p
            .cut_by
            .contains(&"enforce-pod-security:Namespace/app".to_string()));
    }
}

#[test]
fn pod_create_under_baseline_or_restricted_reaches_no_node() {
    for level in ["baseline", "restricted"] {
        let yaml = deployer_in(Some(level));
        let paths = breach_from(&yaml, "app/attacker", Target::Node);
        assert!(paths.is_empty(), "{level}:\n{}", show(&paths));
    }
}

#[test]
fn pods_exec_reaches_the_namespace_workloads() {
    let estate_in = |victim_ns: &str| {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "debugger",
                "- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}",
            ),
            role_binding("app", "debugger", "Role", "debugger", "app/attacker"),
            sa(victim_ns, "admin"),
            cluster_role_binding("admin", "cluster-admin", &format!("{victim_ns}/admin")),
            runner(victim_ns, "victim", "admin"),
            deny_egress(victim_ns),
        ]);
        estate(&docs)
    };
    let yaml = estate_in("app");
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_EXEC, T_EXEC, T_TOKEN, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..4],
        ["exec into the pods of namespace app", "Pod app/victim"]
    );
    assert_evidence(
        &p.steps[2],
        &rolebinding_ref("app", "debugger"),
        object_line(&yaml, "RoleBinding", "debugger"),
        "RoleBinding debugger grants Role debugger",
    );
    // Exec in app does not reach a pod of prod.
    let paths = breach_from(&estate_in("prod"), "app/attacker", Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
}

fn token_secret(ns: &str, account: &str, ty: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {account}-token\n  namespace: {ns}\n  annotations:\n    kubernetes.io/service-account.name: {account}\ntype: {ty}\n"
    )
}

#[test]
fn secrets_read_reaches_legacy_token_secrets() {
    let estate_with = |secret: String| {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "reader",
                "- {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}",
            ),
            role_binding("app", "reader", "Role", "reader", "app/attacker"),
            sa("app", "admin"),
            cluster_role_binding("admin", "cluster-admin", "app/admin"),
            secret,
        ]);
        estate(&docs)
    };
    let yaml = estate_with(token_secret(
        "app",
        "admin",
        "kubernetes.io/service-account-token",
    ));
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_CREDS, T_CREDS, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..4],
        ["the Secrets of namespace app", "ServiceAccount app/admin"]
    );
    assert_evidence(
        &p.steps[2],
        &rolebinding_ref("app", "reader"),
        object_line(&yaml, "RoleBinding", "reader"),
        "RoleBinding reader grants Role reader",
    );
    let secret = ResourceRef {
        api_version: "v1".into(),
        kind: "Secret".into(),
        namespace: Some("app".into()),
        name: "admin-token".into(),
    };
    assert_evidence(
        &p.steps[3],
        &secret,
        line_of(&yaml, "type: kubernetes.io/service-account-token"),
        "type: kubernetes.io/service-account-token",
    );
    assert!(p
        .cut_by
        .contains(&"service-account-token:Secret/app/admin-token".to_string()));
    // An Opaque Secret with the same annotation holds no token.
    let yaml = estate_with(token_secret("app", "admin", "Opaque"));
    assert!(breach_from(&yaml, "app/attacker", Target::ClusterAdmin).is_empty());
    // A token Secret of another namespace is out of reach.
    let yaml = estate_with(token_secret(
        "ops",
        "admin",
        "kubernetes.io/service-account-token",
    ));
    assert!(breach_from(&yaml, "app/attacker", Target::ClusterAdmin).is_empty());
}

#[test]
fn secrets_read_in_kube_system_reaches_kube_system_secrets() {
    let mut docs = attacker();
    docs.extend([
        role(
            "kube-system",
            "reader",
            "- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}",
        ),
        role_binding("kube-system", "reader", "Role", "reader", "app/attacker"),
    ]);
    let yaml = estate(&docs);
    let paths = breach_from(&yaml, "app/attacker", Target::KubeSystemSecrets);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_CREDS, T_CREDS],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..],
        [
            "the Secrets of namespace kube-system",
            "the Secrets of kube-system"
        ]
    );
    assert_evidence(
        &p.steps[2],
        &rolebinding_ref("kube-system", "reader"),
        object_line(&yaml, "RoleBinding", "reader"),
        "RoleBinding reader grants Role reader",
    );
    // Reading the Secrets of app is not reading those of kube-system.
    let yaml = yaml.replace("namespace: kube-system", "namespace: app");
    assert!(breach_from(&yaml, "app/attacker", Target::KubeSystemSecrets).is_empty());
}

#[test]
fn secrets_read_cluster_wide_reaches_kube_system_secrets() {
    // kube-system need not appear in the input.
    let mut docs = attacker();
    docs.extend([
        cluster_role(
            "reader",
            "- {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}",
        ),
        cluster_role_binding("reader", "reader", "app/attacker"),
    ]);
    let yaml = estate(&docs);
    let paths = breach_from(&yaml, "app/attacker", Target::KubeSystemSecrets);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_CREDS, T_CREDS, T_CREDS],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..],
        [
            "every Secret of the cluster",
            "the Secrets of namespace kube-system",
            "the Secrets of kube-system"
        ]
    );
    assert_evidence(
        &p.steps[2],
        &crb_ref("reader"),
        object_line(&yaml, "ClusterRoleBinding", "reader"),
        "ClusterRoleBinding reader grants ClusterRole reader",
    );
}

/// The attacker's account holds `rules` cluster-wide (or, with `ns`, through a RoleBinding there).
fn granted(rules: &str, ns: Option<&str>) -> String {
    let mut docs = attacker();
    docs.push(cluster_role("power", rules));
    docs.push(match ns {
        None => cluster_role_binding("power", "power", "app/attacker"),
        Some(ns) => role_binding(ns, "power", "ClusterRole", "power", "app/attacker"),
    });
    estate(&docs)
}

#[test]
fn impersonate_escalate_bind_reach_cluster_admin() {
    for (rules, what) in [
        ("- {apiGroups: [\"\"], resources: [users, groups], verbs: [impersonate]}", "impersonate users, groups"),
        ("- {apiGroups: [\"\"], resources: [serviceaccounts], verbs: [impersonate]}", "impersonate service accounts"),
        ("- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}", "escalate roles"),
        ("- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}", "bind roles"),
        ("- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [cluster-admin]}", "bind roles (only cluster-admin)"),
    ] {
        let yaml = granted(rules, None);
        let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(ids(p), [T_VALID, T_TOKEN, T_ESCALATE], "{rules}\n{}", show(&paths));
        let s = &p.steps[2];
        assert_eq!(s.to, "cluster-admin");
        assert!(s.action.contains("grant itself cluster-admin") && s.action.contains(what), "{}", s.action);
        assert_evidence(
            s,
            &crb_ref("power"),
            object_line(&yaml, "ClusterRoleBinding", "power"),
            "ClusterRoleBinding power grants ClusterRole power",
        );
        assert!(p.cut_by.contains(&"narrow-role:ClusterRole/power".to_string()));
    }
}

#[test]
fn impersonate_escalate_bind_in_a_namespace_or_narrowed_are_not_cluster_admin() {
    for rules in [
        "- {apiGroups: [\"\"], resources: [users, groups], verbs: [impersonate]}",
        "- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}",
        "- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}",
    ] {
        let yaml = granted(rules, Some("app"));
        let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
        assert!(paths.is_empty(), "{rules}\n{}", show(&paths));
    }
    // bind limited to a harmless role; impersonating uids alone.
    for rules in [
        "- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [view]}",
        "- {apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate]}",
    ] {
        let paths = breach_from(&granted(rules, None), "app/attacker", Target::ClusterAdmin);
        assert!(paths.is_empty(), "{rules}\n{}", show(&paths));
    }
}

#[test]
fn nodes_proxy_is_exec_anywhere() {
    let victim = |yaml: String| {
        let mut docs = vec![yaml];
        docs.extend([
            sa("prod", "admin"),
            cluster_role_binding("admin", "cluster-admin", "prod/admin"),
            runner("prod", "victim", "admin"),
        ]);
        estate(&docs)
    };
    let rules = "- {apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}";
    let yaml = victim(granted(rules, None));
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_EXEC, T_EXEC, T_EXEC, T_TOKEN, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..5],
        [
            "exec into every pod",
            "exec into the pods of namespace prod",
            "Pod prod/victim"
        ]
    );
    assert!(
        p.steps[2].action.contains("get nodes/proxy"),
        "{}",
        p.steps[2].action
    );
    assert_evidence(
        &p.steps[2],
        &crb_ref("power"),
        object_line(&yaml, "ClusterRoleBinding", "power"),
        "ClusterRoleBinding power grants ClusterRole power",
    );
    // A RoleBinding cannot grant access to nodes (cluster-scoped): nothing.
    let yaml = victim(granted(rules, Some("app")));
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn token_create_reaches_the_accounts() {
    let estate_with = |admin_ns: &str| {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "minter",
                "- {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}",
            ),
            role_binding("app", "minter", "Role", "minter", "app/attacker"),
            sa(admin_ns, "admin"),
            cluster_role_binding("admin", "cluster-admin", &format!("{admin_ns}/admin")),
        ]);
        estate(&docs)
    };
    let yaml = estate_with("app");
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_ESCALATE, T_ESCALATE, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[2..4],
        [
            "tokens of namespace app's service accounts",
            "ServiceAccount app/admin"
        ]
    );
    assert_evidence(
        &p.steps[2],
        &rolebinding_ref("app", "minter"),
        object_line(&yaml, "RoleBinding", "minter"),
        "RoleBinding minter grants Role minter",
    );
    let paths = breach_from(&estate_with("ops"), "app/attacker", Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn creating_and_reading_secrets_mints_tokens() {
    // No legacy token Secret exists: reading Secrets alone reaches no
    // account, creating a token Secret and reading it back does.
    let estate_with = |rules: &str| {
        let mut docs = attacker();
        docs.extend([
            role("app", "secrets", rules),
            role_binding("app", "secrets", "Role", "secrets", "app/attacker"),
            sa("app", "admin"),
            cluster_role_binding("admin", "cluster-admin", "app/admin"),
        ]);
        estate(&docs)
    };
    let read = "- {apiGroups: [\"\"], resources: [secrets], verbs: [get]}";
    let paths = breach_from(&estate_with(read), "app/attacker", Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
    let both = format!("{read}\n- {{apiGroups: [\"\"], resources: [secrets], verbs: [create]}}");
    let paths = breach_from(&estate_with(&both), "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        to_names(p)[2..4],
        [
            "tokens of namespace app's service accounts",
            "ServiceAccount app/admin"
        ],
        "{}",
        show(&paths)
    );
    assert!(
        p.steps[2].action.contains("create and read secrets"),
        "{}",
        p.steps[2].action
    );
}

#[test]
fn superuser_role_binding_is_not_cluster_admin() {
    // A RoleBinding to cluster-admin grants everything, in one namespace only.
    let mut docs = attacker();
    docs.extend([
        namespace("app", Some("restricted")),
        role_binding(
            "app",
            "ns-admin",
            "ClusterRole",
            "cluster-admin",
            "app/attacker",
        ),
    ]);
    let yaml = estate(&docs);
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    assert!(paths.is_empty(), "{}", show(&paths));
    let paths = breach_from(&yaml, "app/attacker", Target::KubeSystemSecrets);
    assert!(paths.is_empty(), "{}", show(&paths));
    // The same role bound cluster-wide is cluster-admin, in one step.
    let mut docs = attacker();
    docs.push(cluster_role_binding(
        "root",
        "cluster-admin",
        "app/attacker",
    ));
    let yaml = estate(&docs);
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(ids(p), [T_VALID, T_TOKEN, T_VALID]);
    assert!(
        p.steps[2].action.contains("act as cluster-admin"),
        "{}",
        p.steps[2].action
    );
    assert_evidence(
        &p.steps[2],
        &crb_ref("root"),
        object_line(&yaml, "ClusterRoleBinding", "root"),
        "ClusterRoleBinding root grants ClusterRole cluster-admin",
    );
}

#[test]
fn aws_auth_write_is_cluster_admin_only_on_eks() {
    let with = |role_ns: &str, eks: Option<String>| {
        let mut docs = attacker();
        docs.extend([
            role(
                role_ns,
                "auth-editor",
                "- {apiGroups: [\"\"], resources: [configmaps], resourceNames: [aws-auth], verbs: [update, patch]}",
            ),
            role_binding(role_ns, "auth-editor", "Role", "auth-editor", "app/attacker"),
        ]);
        docs.extend(eks);
        estate(&docs)
    };
    let aws_auth = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: \"\"\n".to_string();
    let irsa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: uploader\n  namespace: media\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/uploader\n".to_string();
    for eks in [aws_auth.clone(), irsa] {
        let yaml = with("kube-system", Some(eks));
        let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(ids(p), [T_VALID, T_TOKEN, T_ESCALATE], "{}", show(&paths));
        assert!(
            p.steps[2].action.contains("system:masters in aws-auth"),
            "{}",
            p.steps[2].action
        );
        assert_evidence(
            &p.steps[2],
            &rolebinding_ref("kube-system", "auth-editor"),
            object_line(&yaml, "RoleBinding", "auth-editor"),
            "RoleBinding auth-editor grants Role auth-editor",
        );
    }
    // Not EKS: aws-auth means nothing.
    let paths = breach_from(
        &with("kube-system", None),
        "app/attacker",
        Target::ClusterAdmin,
    );
    assert!(paths.is_empty(), "{}", show(&paths));
    // ConfigMaps of another namespace hold no aws-auth that counts.
    let paths = breach_from(
        &with("app", Some(aws_auth)),
        "app/attacker",
        Target::ClusterAdmin,
    );
    assert!(paths.is_empty(), "{}", show(&paths));
}

// ---------------------------------------------------------------- node edges

/// A privileged attacker pod in app and an admin victim pod in prod, with
/// optional nodeSelectors (`k: v` lines); no egress from either.
fn shared_node(attacker_selector: &str, victim_selector: &str) -> String {
    let selector = |s: &str| {
        if s.is_empty() {
            String::new()
        } else {
            format!(
                "nodeSelector:\n{}",
                s.split(',')
                    .map(|kv| format!("  {kv}\n"))
                    .collect::<String>()
            )
        }
    };
    estate(&[
        deny_egress("app"),
        deny_egress("prod"),
        pod(
            "app",
            "attacker",
            &format!(
                "{}containers:\n- name: c\n  image: example/x:1\n  securityContext:\n    privileged: true\n",
                selector(attacker_selector)
            ),
        ),
        sa("prod", "admin"),
        cluster_role_binding("admin", "cluster-admin", "prod/admin"),
        pod(
            "prod",
            "victim",
            &format!("{}serviceAccountName: admin\n{CONTAINER}", selector(victim_selector)),
        ),
    ])
}

fn node_path(attacker_selector: &str, victim_selector: &str) -> Vec<AttackPath> {
    breach_from(
        &shared_node(attacker_selector, victim_selector),
        "app/attacker",
        Target::ClusterAdmin,
    )
}

#[test]
fn node_holds_the_tokens_of_its_workloads() {
    let yaml = shared_node("", "");
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_ESCAPE, T_CREDS, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(to_names(p)[1..3], ["a node", "ServiceAccount prod/admin"]);
    let s = &p.steps[2];
    assert_evidence(
        s,
        &pod_ref("prod", "victim"),
        object_line(&yaml, "Pod", "victim"),
        "Pod prod/victim may run on the same node",
    );
    assert!(
        s.assumption
            .as_deref()
            .is_some_and(|a| a.contains("pods share nodes unless node selectors separate them")),
        "{:?}",
        s.assumption
    );
}

#[test]
fn node_pools_follow_node_selectors() {
    // Same selector, written in another order: one pool.
    let paths = node_path("pool: gpu,zone: a", "zone: a,pool: gpu");
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_ESCAPE, T_CREDS, T_VALID],
        "{}",
        show(&paths)
    );
    assert_eq!(p.steps[1].to, "a node labelled pool=gpu,zone=a");
    // Different selectors: different nodes, the victim's token is out of reach.
    let paths = node_path("pool: gpu", "pool: web");
    assert!(paths.is_empty(), "{}", show(&paths));
    let paths = node_path("pool: gpu", "pool: gpu,zone: a");
    assert!(paths.is_empty(), "{}", show(&paths));
    // A workload without nodeSelector can run on any node: a node of the
    // gpu pool may hold its token.
    let paths = node_path("pool: gpu", "");
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        to_names(p)[1..3],
        ["a node labelled pool=gpu", "ServiceAccount prod/admin"]
    );
    // As computed (pool_of, hosted in graph.rs): the escape of a pod without
    // nodeSelector lands on "a node", which hosts only the workloads without
    // nodeSelector, so the gpu pool's tokens are not reached from it.
    let paths = node_path("", "pool: gpu");
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn node_reads_the_token_of_the_deprecated_service_account_field() {
    let yaml = shared_node("", "").replace("serviceAccountName: admin", "serviceAccount: admin");
    let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        to_names(p)[1..],
        ["a node", "ServiceAccount prod/admin", "cluster-admin"],
        "{}",
        show(&paths)
    );
}

// ---------------------------------------------------------------- cloud edges

#[test]
fn metadata_without_egress_policy_gives_the_node_role() {
    let yaml = estate(&[runner("app", "x", "default")]);
    let paths = breach(&yaml, Target::CloudIdentity);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_IMDS], "{}", show(&paths));
    let s = &p.steps[1];
    assert_eq!(s.to, NODE_ROLE);
    assert_evidence(
        s,
        &pod_ref("app", "x"),
        object_line(&yaml, "Pod", "x"),
        "no egress policy blocks 169.254.169.254",
    );
    assert!(
        s.assumption
            .as_deref()
            .is_some_and(|a| a.contains("IMDSv1")),
        "{:?}",
        s.assumption
    );
    assert_eq!(p.cut_by, ["block-metadata:Namespace/app"]);
}

fn metadata_policy(ipv6: bool) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: no-metadata\n  namespace: app\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [169.254.169.254/32]\n{}",
        if ipv6 {
            "    - ipBlock:\n        cidr: ::/0\n"
        } else {
            ""
        }
    )
}

#[test]
fn metadata_blocked_by_egress_policy() {
    // IPv4 everywhere but the metadata address, and no IPv6 route: blocked
    // (docs/network.md: fd00:ec2::254 counts as the metadata service too).
    let yaml = estate(&[metadata_policy(false), runner("app", "x", "default")]);
    let paths = breach(&yaml, Target::CloudIdentity);
    assert!(paths.is_empty(), "{}", show(&paths));
    // The classic leak: ::/0 still reaches fd00:ec2::254.
    let yaml = estate(&[metadata_policy(true), runner("app", "x", "default")]);
    let paths = breach(&yaml, Target::CloudIdentity);
    assert_eq!(ids(path_from(&paths, "app", "x")), [T_VALID, T_IMDS]);
}

#[test]
fn host_network_always_reaches_metadata() {
    let yaml = estate(&[
        metadata_policy(false),
        pod("app", "x", &format!("hostNetwork: true\n{CONTAINER}")),
    ]);
    let paths = breach(&yaml, Target::CloudIdentity);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_IMDS], "{}", show(&paths));
    assert_eq!(p.steps[1].to, NODE_ROLE);
    assert!(p.steps[1].evidence.detail.contains("hostNetwork: true"));
    assert_eq!(p.cut_by, ["remove-host-access:Pod/app/x"]);
}

#[test]
fn irsa_gives_the_account_role() {
    let irsa_sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: uploader\n  namespace: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/uploader\n".to_string();
    let yaml = estate(&[
        deny_egress("app"),
        irsa_sa.clone(),
        runner("app", "x", "uploader"),
    ]);
    let paths = breach(&yaml, Target::CloudIdentity);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_CLOUD], "{}", show(&paths));
    let s = &p.steps[1];
    assert_eq!(s.to, "AWS role arn:aws:iam::111122223333:role/uploader");
    assert_eq!(
        s.evidence.resource.as_ref().map(|r| (
            r.kind.as_str(),
            r.namespace.as_deref(),
            r.name.as_str()
        )),
        Some(("ServiceAccount", Some("app"), "uploader"))
    );
    assert!(
        s.evidence
            .detail
            .contains("IRSA via service account app/uploader"),
        "{}",
        s.evidence.detail
    );
    // A pod running as another account has no such role.
    let yaml = estate(&[deny_egress("app"), irsa_sa, runner("app", "x", "default")]);
    let paths = breach(&yaml, Target::CloudIdentity);
    assert!(paths.is_empty(), "{}", show(&paths));
}

fn cloud_key_secret(key: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-creds\n  namespace: app\ntype: Opaque\ndata:\n  {key}: c2VjcmV0\n"
    )
}

#[test]
fn readable_secret_with_cloud_keys() {
    let estate_with = |key: &str| {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "reader",
                "- {apiGroups: [\"\"], resources: [secrets], verbs: [get]}",
            ),
            role_binding("app", "reader", "Role", "reader", "app/attacker"),
            cloud_key_secret(key),
        ]);
        estate(&docs)
    };
    for key in [
        "aws_secret_access_key",
        "AWS_SECRET_ACCESS_KEY",
        "aws-secret-access-key",
    ] {
        let yaml = estate_with(key);
        let paths = breach_from(&yaml, "app/attacker", Target::CloudIdentity);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(
            ids(p),
            [T_VALID, T_TOKEN, T_CREDS, T_FILES],
            "{}",
            show(&paths)
        );
        let s = &p.steps[3];
        assert_eq!(s.to, "the cloud keys in Secret app/aws-creds");
        let secret = ResourceRef {
            api_version: "v1".into(),
            kind: "Secret".into(),
            namespace: Some("app".into()),
            name: "aws-creds".into(),
        };
        assert_evidence(
            s,
            &secret,
            object_line(&yaml, "Secret", "aws-creds"),
            "Secret aws-creds holds static cloud credentials",
        );
        assert!(p
            .cut_by
            .contains(&"move-credentials:Secret/app/aws-creds".to_string()));
    }
    let paths = breach_from(
        &estate_with("password"),
        "app/attacker",
        Target::CloudIdentity,
    );
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn scarleteel_node_role_then_node_then_stored_keys() {
    let estate_with = |key: &str| {
        estate(&[
            runner("app", "web", "default"),
            cloud_key_secret(key),
            pod(
                "app",
                "worker",
                "automountServiceAccountToken: false\ncontainers:\n- name: c\n  image: example/worker:1\n  env:\n  - name: AWS_SECRET_ACCESS_KEY\n    valueFrom:\n      secretKeyRef:\n        name: aws-creds\n        key: secret\n",
            ),
        ])
    };
    let yaml = estate_with("aws_secret_access_key");
    let paths = breach_from(&yaml, "app/web", Target::CloudIdentity);
    // Two paths: the node role itself, and where it leads.
    assert_eq!(paths.len(), 2, "{}", show(&paths));
    assert_eq!(ids(&paths[0]), [T_VALID, T_IMDS]);
    assert_eq!(paths[0].steps[1].to, NODE_ROLE);
    let p = &paths[1];
    assert_eq!(
        ids(p),
        [T_VALID, T_IMDS, T_CLOUD, T_CREDS],
        "{}",
        show(&paths)
    );
    assert_eq!(
        to_names(p)[1..],
        [
            NODE_ROLE,
            "a node",
            "the cloud keys in Secret app/aws-creds"
        ]
    );
    assert!(p.steps[2]
        .assumption
        .as_deref()
        .is_some_and(|a| a.contains("system:nodes")));
    let s = &p.steps[3];
    assert_evidence(
        s,
        &pod_ref("app", "worker"),
        object_line(&yaml, "Pod", "worker"),
        "Pod app/worker references Secret aws-creds",
    );
    assert!(s.assumption.is_some());
    // No cloud keys in the Secret: only the node role.
    let paths = breach_from(&estate_with("token"), "app/web", Target::CloudIdentity);
    assert_eq!(paths.len(), 1, "{}", show(&paths));
    assert_eq!(paths[0].steps.last().unwrap().to, NODE_ROLE);
}

#[test]
fn literal_aws_keys_in_the_environment() {
    let yaml = estate(&[
        deny_egress("app"),
        pod(
            "app",
            "x",
            "containers:\n- name: c\n  image: example/x:1\n  env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: wJalrXUtnFEMI\n",
        ),
    ]);
    let paths = breach(&yaml, Target::CloudIdentity);
    let p = path_from(&paths, "app", "x");
    assert_eq!(ids(p), [T_VALID, T_FILES], "{}", show(&paths));
    assert_evidence(
        &p.steps[1],
        &pod_ref("app", "x"),
        line_of(&yaml, "value: wJalrXUtnFEMI"),
        "env AWS_SECRET_ACCESS_KEY of container c",
    );
}

// ---------------------------------------------------------------- more documented edges

#[test]
fn entry_external_ips() {
    let svc = service("ClusterIP", "").replace(
        "  type: ClusterIP\n",
        "  type: ClusterIP\n  externalIPs: [203.0.113.10]\n",
    );
    let yaml = estate(&[web(), svc]);
    let paths = entries_to_node(&yaml, Options::default());
    let p = path_from(&paths, "shop", "web");
    assert_eq!(ids(p), [T_EXPLOIT, T_ESCAPE], "{}", show(&paths));
    assert!(
        p.entry_reason.contains("externalIPs web"),
        "{}",
        p.entry_reason
    );
    // A NodePort is reachable from the nodes' network only: no entry.
    let yaml = estate(&[web(), service("NodePort", "")]);
    assert!(entries_to_node(&yaml, Options::default()).is_empty());
}

#[test]
fn pod_create_in_a_namespace_known_only_from_its_binding() {
    // Nothing of namespace ci is in the input but the RoleBinding: it
    // exists, enforces no Pod Security level, and a created pod escapes.
    let mut docs = attacker();
    docs.extend([
        role(
            "ci",
            "deployer",
            "- {apiGroups: [\"\"], resources: [pods], verbs: [create]}",
        ),
        role_binding("ci", "deployer", "Role", "deployer", "app/attacker"),
    ]);
    let yaml = estate(&docs);
    let paths = breach_from(&yaml, "app/attacker", Target::Node);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(
        ids(p),
        [T_VALID, T_TOKEN, T_DEPLOY, T_ESCAPE],
        "{}",
        show(&paths)
    );
    assert_eq!(to_names(p)[2..], ["pod creation in namespace ci", "a node"]);
    // Its Namespace object enforcing baseline closes the way.
    docs.push(namespace("ci", Some("baseline")));
    let paths = breach_from(&estate(&docs), "app/attacker", Target::Node);
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn pods_attach_and_portforward_are_exec() {
    for sub in ["pods/attach", "pods/portforward"] {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "debugger",
                &format!("- {{apiGroups: [\"\"], resources: [{sub}], verbs: [create]}}"),
            ),
            role_binding("app", "debugger", "Role", "debugger", "app/attacker"),
            sa("app", "admin"),
            cluster_role_binding("admin", "cluster-admin", "app/admin"),
            runner("app", "victim", "admin"),
        ]);
        let paths = breach_from(&estate(&docs), "app/attacker", Target::ClusterAdmin);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(
            ids(p),
            [T_VALID, T_TOKEN, T_EXEC, T_EXEC, T_TOKEN, T_VALID],
            "{sub}\n{}",
            show(&paths)
        );
        assert!(p.steps[2].action.contains(sub), "{}", p.steps[2].action);
    }
}

#[test]
fn csr_approval_and_webhook_writes_reach_cluster_admin() {
    let csr = "- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}\n- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/kube-apiserver-client]}";
    let webhook = "- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}";
    for rules in [csr, webhook] {
        let yaml = granted(rules, None);
        let paths = breach_from(&yaml, "app/attacker", Target::ClusterAdmin);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(
            ids(p),
            [T_VALID, T_TOKEN, T_ESCALATE],
            "{rules}\n{}",
            show(&paths)
        );
        assert!(p.steps[2].action.contains("grant itself cluster-admin"));
    }
    // Approving for a custom signer issues nothing the API server trusts.
    let custom = csr.replace("kubernetes.io/kube-apiserver-client", "example.com/signer");
    let paths = breach_from(
        &granted(&custom, None),
        "app/attacker",
        Target::ClusterAdmin,
    );
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn persistent_volume_create_reaches_a_node() {
    let rules = "- {apiGroups: [\"\"], resources: [persistentvolumes], verbs: [create]}";
    let yaml = granted(rules, None);
    let paths = breach_from(&yaml, "app/attacker", Target::Node);
    let p = path_from(&paths, "app", "attacker");
    assert_eq!(ids(p), [T_VALID, T_TOKEN, T_ESCAPE], "{}", show(&paths));
    assert_eq!(p.steps[2].to, "a node");
    assert!(p.steps[2].action.contains("hostPath PersistentVolume"));
    // Through a RoleBinding it grants nothing (PersistentVolumes are cluster-scoped).
    let paths = breach_from(&granted(rules, Some("app")), "app/attacker", Target::Node);
    assert!(paths.is_empty(), "{}", show(&paths));
}

#[test]
fn gcp_and_azure_keys_in_secrets() {
    for key in ["credentials.json", "key.json", "AZURE_CLIENT_SECRET"] {
        let mut docs = attacker();
        docs.extend([
            role(
                "app",
                "reader",
                "- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}",
            ),
            role_binding("app", "reader", "Role", "reader", "app/attacker"),
            cloud_key_secret(key),
        ]);
        let paths = breach_from(&estate(&docs), "app/attacker", Target::CloudIdentity);
        let p = path_from(&paths, "app", "attacker");
        assert_eq!(
            ids(p),
            [T_VALID, T_TOKEN, T_CREDS, T_FILES],
            "{key}\n{}",
            show(&paths)
        );
    }
}
