//! End-to-end properties of generated estates: determinism, size, well-formedness,
//! referential integrity, format equivalence and content variety.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use rampart_gen::{write_dir, write_stream, Config, Format};
use serde_json::Value;

fn generate(cfg: &Config, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    write_stream(cfg, format, &mut out).expect("generation succeeds");
    out
}

fn items(cfg: &Config) -> Vec<Value> {
    let bytes = generate(cfg, Format::ListJson);
    let list: Value = serde_json::from_slice(&bytes).expect("list-json is JSON");
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["kind"], "List");
    assert_eq!(list["metadata"]["resourceVersion"], "");
    match list["items"].clone() {
        Value::Array(a) => a,
        other => panic!("items is not an array: {other}"),
    }
}

fn cfg(pods: usize, seed: u64, live: bool) -> Config {
    Config::new(pods, seed, live)
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rampart-gen"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-gen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn kind(o: &Value) -> &str {
    o["kind"].as_str().unwrap_or_default()
}

fn ns(o: &Value) -> &str {
    o["metadata"]["namespace"].as_str().unwrap_or_default()
}

fn name(o: &Value) -> &str {
    o["metadata"]["name"].as_str().unwrap_or_default()
}

/// Pods the controllers account for: replicas, one per node for DaemonSets, completions for
/// Jobs, one per CronJob.
fn pods_from_controllers(items: &[Value], nodes: u64) -> u64 {
    items
        .iter()
        .map(|o| match kind(o) {
            "Deployment" | "StatefulSet" => o["spec"]["replicas"].as_u64().unwrap(),
            "DaemonSet" => nodes,
            "Job" if o["metadata"].get("ownerReferences").is_none() => {
                o["spec"]["completions"].as_u64().unwrap_or(1)
            }
            "CronJob" => 1,
            _ => 0,
        })
        .sum()
}

// ---- determinism ----------------------------------------------------------------------------

#[test]
fn same_seed_same_bytes() {
    for live in [false, true] {
        for format in [
            Format::ListJson,
            Format::ListJsonCompact,
            Format::ListYaml,
            Format::YamlStream,
        ] {
            let a = generate(&cfg(1500, 42, live), format);
            let b = generate(&cfg(1500, 42, live), format);
            assert!(a == b, "{format:?} live={live} differs between runs");
        }
    }
}

#[test]
fn different_seed_different_bytes() {
    for live in [false, true] {
        let a = generate(&cfg(800, 1, live), Format::ListJson);
        let b = generate(&cfg(800, 2, live), Format::ListJson);
        assert_ne!(a, b);
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let run = |threads: &str| {
        let out = bin()
            .args(["--pods", "3000", "--seed", "9", "--live", "-q"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert!(one == run("4"), "output depends on the thread count");
    assert!(one == generate(&cfg(3000, 9, true), Format::ListJson));
}

// ---- size -----------------------------------------------------------------------------------

#[test]
fn pod_count_matches_request() {
    for pods in [0, 1, 37, 400, 2500, 8000] {
        let target = pods as f64;
        let live = items(&cfg(pods, 3, true));
        let n = live.iter().filter(|o| kind(o) == "Pod").count() as f64;
        assert!(
            (n - target).abs() <= (target * 0.05).max(0.0),
            "--live --pods {pods}: {n} Pod objects"
        );
        let manifests = items(&cfg(pods, 3, false));
        assert!(manifests
            .iter()
            .all(|o| kind(o) != "Pod" && kind(o) != "ReplicaSet"));
        let n = pods_from_controllers(&manifests, 3) as f64;
        assert!(
            (n - target).abs() <= target * 0.05,
            "--pods {pods}: controllers account for {n} pods"
        );
        // The live dump has the same controllers.
        assert_eq!(pods_from_controllers(&live, 3) as f64, n);
    }
}

#[test]
fn knobs_set_counts() {
    let mut c = cfg(2000, 5, false);
    c.namespaces = 7;
    c.service_accounts = 30;
    c.roles = 50;
    c.bindings = 60;
    c.policies = 25;
    c.nodes = 4;
    let all = items(&c);
    let count = |k: &str| all.iter().filter(|o| kind(o) == k).count();
    assert_eq!(count("Namespace"), 7);
    assert_eq!(count("Role") + count("ClusterRole"), 50);
    assert_eq!(count("RoleBinding") + count("ClusterRoleBinding"), 60);
    assert_eq!(count("NetworkPolicy"), 25);
    // Add-on and node-agent DaemonSets/Deployments bring their own service accounts.
    let own: usize = all
        .iter()
        .filter(|o| kind(o) == "ServiceAccount")
        .filter(|o| {
            let n = name(o);
            !all.iter().any(|w| {
                matches!(kind(w), "DaemonSet" | "Deployment" | "StatefulSet")
                    && name(w) == n
                    && ns(w) == ns(o)
            })
        })
        .count();
    assert_eq!(own, 30);
    assert_eq!(pods_from_controllers(&all, 4), 2000);
}

#[test]
fn defaults_scale_with_pods() {
    let c = Config::new(100_000, 1, false);
    assert_eq!(c.namespaces, 500);
    assert_eq!(c.service_accounts, 5000);
    assert_eq!(c.roles, 20_000);
    assert_eq!(c.bindings, 20_000);
    assert_eq!(c.policies, 2000);
    let small = Config::new(10, 1, false);
    assert_eq!(small.namespaces, 5);
}

// ---- well-formedness ------------------------------------------------------------------------

#[test]
fn every_object_is_well_formed_and_unique() {
    for live in [false, true] {
        let all = items(&cfg(3000, 11, live));
        let mut seen = HashSet::new();
        let mut uids = HashSet::new();
        for o in &all {
            assert!(
                o["apiVersion"].as_str().is_some_and(|s| !s.is_empty()),
                "{o}"
            );
            assert!(!kind(o).is_empty(), "{o}");
            assert!(!name(o).is_empty(), "{o}");
            assert!(name(o).len() <= 253);
            let cluster_scoped =
                matches!(kind(o), "Namespace" | "ClusterRole" | "ClusterRoleBinding");
            assert_eq!(ns(o).is_empty(), cluster_scoped, "{}/{}", kind(o), name(o));
            assert!(
                seen.insert((kind(o).to_string(), ns(o).to_string(), name(o).to_string())),
                "duplicate {}/{}/{}",
                kind(o),
                ns(o),
                name(o)
            );
            if live {
                let uid = o["metadata"]["uid"]
                    .as_str()
                    .expect("live objects have uids");
                assert!(uids.insert(uid.to_string()), "duplicate uid");
                assert!(o["metadata"]["creationTimestamp"].is_string());
            } else {
                assert!(o["metadata"].get("uid").is_none());
            }
        }
    }
}

#[test]
fn references_resolve() {
    let all = items(&cfg(4000, 13, true));
    let index: HashMap<(&str, &str, &str), &Value> =
        all.iter().map(|o| ((kind(o), ns(o), name(o)), o)).collect();
    let has = |k: &str, n: &str, name: &str| index.contains_key(&(k, n, name));
    let builtin = [
        "admin",
        "edit",
        "view",
        "cluster-admin",
        "system:auth-delegator",
    ];
    for o in &all {
        // Owners exist and carry the referenced uid.
        for r in o["metadata"]["ownerReferences"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let owner = index
                .get(&(
                    r["kind"].as_str().unwrap(),
                    ns(o),
                    r["name"].as_str().unwrap(),
                ))
                .unwrap_or_else(|| panic!("owner of {} missing", name(o)));
            assert_eq!(owner["metadata"]["uid"], r["uid"]);
            assert_eq!(r["controller"], true);
        }
        match kind(o) {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
                let labels = &o["spec"]["template"]["metadata"]["labels"];
                for (k, v) in o["spec"]["selector"]["matchLabels"].as_object().unwrap() {
                    assert_eq!(&labels[k], v, "{} selector", name(o));
                }
            }
            "Pod" => {
                let spec = &o["spec"];
                let sa = spec["serviceAccountName"].as_str().unwrap();
                assert!(has("ServiceAccount", ns(o), sa), "{}: SA {sa}", name(o));
                let volumes: HashSet<&str> = spec["volumes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| v["name"].as_str().unwrap())
                    .collect();
                for c in spec["containers"].as_array().unwrap() {
                    for m in c["volumeMounts"].as_array().into_iter().flatten() {
                        assert!(volumes.contains(m["name"].as_str().unwrap()));
                    }
                    for e in c["env"].as_array().into_iter().flatten() {
                        if let Some(r) = e["valueFrom"].get("secretKeyRef") {
                            assert!(has("Secret", ns(o), r["name"].as_str().unwrap()));
                        }
                        if let Some(r) = e["valueFrom"].get("configMapKeyRef") {
                            assert!(has("ConfigMap", ns(o), r["name"].as_str().unwrap()));
                        }
                    }
                    let image = c["image"].as_str().unwrap();
                    if let Some((_, digest)) = image.split_once("@sha256:") {
                        assert!(
                            digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit())
                        );
                    }
                }
            }
            "Service" => {
                let sel = o["spec"]["selector"].as_object().unwrap();
                let selected = all.iter().any(|p| {
                    kind(p) == "Pod"
                        && ns(p) == ns(o)
                        && sel.iter().all(|(k, v)| &p["metadata"]["labels"][k] == v)
                });
                assert!(selected, "service {}/{} selects no pod", ns(o), name(o));
            }
            "Ingress" => {
                for r in o["spec"]["rules"].as_array().unwrap() {
                    for p in r["http"]["paths"].as_array().unwrap() {
                        let svc = p["backend"]["service"]["name"].as_str().unwrap();
                        assert!(has("Service", ns(o), svc));
                    }
                }
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let r = &o["roleRef"];
                let rn = r["name"].as_str().unwrap();
                match r["kind"].as_str().unwrap() {
                    "Role" => assert!(has("Role", ns(o), rn)),
                    _ => assert!(builtin.contains(&rn) || has("ClusterRole", "", rn), "{rn}"),
                }
                for s in o["subjects"].as_array().unwrap() {
                    if s["kind"] == "ServiceAccount" {
                        let sns = s["namespace"].as_str().unwrap();
                        let sn = s["name"].as_str().unwrap();
                        assert!(has("ServiceAccount", sns, sn), "{sns}/{sn}");
                    }
                }
            }
            _ => {}
        }
    }
}

// ---- formats --------------------------------------------------------------------------------

fn yaml_options(text: &str) -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {};
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_documents = budget.max_documents.max(text.len() / 16);
    budget.max_events = budget.max_events.max(text.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len() * 2);
    options.budget = Some(budget);
    options
}

fn yaml_docs(text: &str) -> Vec<Value> {
    let docs: Vec<Value> =
        serde_saphyr::from_multiple_with_options(text, yaml_options(text)).expect("YAML parses");
    docs.into_iter().filter(|d| !d.is_null()).collect()
}

#[test]
fn yaml_formats_hold_the_same_objects_as_json() {
    for live in [false, true] {
        let c = cfg(600, 21, live);
        let json: Value = serde_json::from_slice(&generate(&c, Format::ListJson)).unwrap();
        let compact = generate(&c, Format::ListJsonCompact);
        let lines = compact.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(
            lines,
            json["items"].as_array().unwrap().len() + 2,
            "one item per line"
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&compact).unwrap(),
            json,
            "compact"
        );
        let list_yaml = String::from_utf8(generate(&c, Format::ListYaml)).unwrap();
        let list: Value = serde_saphyr::from_str_with_options(&list_yaml, yaml_options(&list_yaml))
            .expect("list-yaml parses");
        assert_eq!(list, json, "list-yaml live={live}");
        let stream = String::from_utf8(generate(&c, Format::YamlStream)).unwrap();
        let docs = yaml_docs(&stream);
        assert_eq!(
            &Value::Array(docs),
            &json["items"],
            "yaml-stream live={live}"
        );

        let dir = temp_dir(&format!("formats-{live}"));
        let stats = write_dir(&c, &dir).unwrap();
        let mut from_dir = Vec::new();
        collect_dir(&dir, &mut from_dir);
        assert_eq!(stats.objects, from_dir.len());
        let key = |o: &Value| format!("{}/{}/{}", kind(o), ns(o), name(o));
        let mut a: Vec<String> = from_dir.iter().map(key).collect();
        let mut b: Vec<String> = json["items"].as_array().unwrap().iter().map(key).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<Value>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_dir(&p, out);
        } else {
            out.extend(yaml_docs(&std::fs::read_to_string(&p).unwrap()));
        }
    }
}

#[test]
fn yaml_dir_layout() {
    let dir = temp_dir("layout");
    let out = bin()
        .args(["--pods", "1200", "--format", "yaml-dir", "-q", "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = items(&cfg(1200, 1, false));
    let namespaces: Vec<&str> = all
        .iter()
        .filter(|o| kind(o) == "Namespace")
        .map(name)
        .collect();
    for n in &namespaces {
        let folder = dir.join(n);
        assert!(
            folder.join("namespace.yaml").is_file(),
            "{n}/namespace.yaml"
        );
        for f in std::fs::read_dir(&folder).unwrap() {
            let f = f.unwrap().path();
            let docs = yaml_docs(&std::fs::read_to_string(&f).unwrap());
            assert!(!docs.is_empty());
            for d in docs {
                assert!(
                    d["metadata"]["name"] == *n || ns(&d) == *n,
                    "{} in {}",
                    name(&d),
                    f.display()
                );
            }
        }
    }
    assert!(dir.join("_cluster/clusterroles.yaml").is_file());
    // Refuses to mix with an earlier estate.
    let again = bin()
        .args(["--pods", "10", "--format", "yaml-dir", "-q", "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
    // Needs -o.
    let no_dir = bin()
        .args(["--pods", "10", "--format", "yaml-dir"])
        .output()
        .unwrap();
    assert!(!no_dir.status.success());
}

#[test]
fn cli_writes_stdout_or_file_identically() {
    let stdout = bin()
        .args([
            "--pods",
            "300",
            "--seed",
            "4",
            "--format",
            "yaml-stream",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(stdout.status.success());
    let path = temp_dir("file.yaml");
    let file = bin()
        .args([
            "--pods",
            "300",
            "--seed",
            "4",
            "--format",
            "yaml-stream",
            "-q",
            "-o",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(file.status.success());
    assert!(file.stdout.is_empty());
    assert_eq!(std::fs::read(&path).unwrap(), stdout.stdout);
    std::fs::remove_file(&path).unwrap();
}

// ---- content --------------------------------------------------------------------------------

#[test]
fn estate_is_varied() {
    let all = items(&cfg(3000, 1, false));
    let text = serde_json::to_string(&all).unwrap();
    let kinds: HashSet<&str> = all.iter().map(kind).collect();
    for k in [
        "Namespace",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
        "Ingress",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
    ] {
        assert!(kinds.contains(k), "no {k}");
    }
    for needle in [
        "\"privileged\":true",
        "/var/run/docker.sock",
        "\"path\":\"/\"",
        "\"hostNetwork\":true",
        "SYS_ADMIN",
        "\"runAsUser\":0",
        "\"allowPrivilegeEscalation\":false",
        "RuntimeDefault",
        ":latest\"",
        "@sha256:",
        ".dkr.ecr.eu-west-1.amazonaws.com/",
        "ghcr.io/",
        "quay.io/",
        "secretKeyRef",
        "\"automountServiceAccountToken\":false",
        "livenessProbe",
        "initContainers",
        "eks.amazonaws.com/role-arn",
        "kubernetes.io/service-account-token",
        "aggregationRule",
        "system:authenticated",
        "\"cluster-admin\"",
        "pods/exec",
        "impersonate",
        "nodes/proxy",
        "escalate",
        "169.254.169.254/32",
        "endPort",
        "pod-security.kubernetes.io/enforce",
        "NodePort",
        "LoadBalancer",
        "\"tls\"",
    ] {
        assert!(text.contains(needle), "nothing contains {needle}");
    }
    // Both kinds of Ingress, both kinds of peer, RoleBindings to ClusterRoles.
    let ingresses: Vec<&Value> = all.iter().filter(|o| kind(o) == "Ingress").collect();
    assert!(ingresses.iter().any(|i| i["spec"].get("tls").is_some()));
    assert!(ingresses.iter().any(|i| i["spec"].get("tls").is_none()));
    assert!(all
        .iter()
        .any(|o| kind(o) == "RoleBinding" && o["roleRef"]["kind"] == "ClusterRole"));
    let peers: Vec<&Value> = all
        .iter()
        .filter(|o| kind(o) == "NetworkPolicy")
        .flat_map(|o| {
            ["ingress", "egress"].into_iter().flat_map(move |d| {
                o["spec"][d].as_array().into_iter().flatten().flat_map(|r| {
                    ["from", "to"]
                        .into_iter()
                        .flat_map(move |k| r[k].as_array().into_iter().flatten())
                })
            })
        })
        .collect();
    assert!(peers
        .iter()
        .any(|p| p.get("podSelector").is_some() && p.get("namespaceSelector").is_some()));
    assert!(peers
        .iter()
        .any(|p| p.get("podSelector").is_some() && p.get("namespaceSelector").is_none()));
}

#[test]
fn roughly_a_quarter_of_workloads_are_clearly_unsafe() {
    let all = items(&cfg(6000, 2, false));
    let templates: Vec<&Value> = all
        .iter()
        .filter_map(|o| match kind(o) {
            "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => {
                Some(&o["spec"]["template"]["spec"])
            }
            "CronJob" => Some(&o["spec"]["jobTemplate"]["spec"]["template"]["spec"]),
            _ => None,
        })
        .collect();
    let unsafe_pod = |s: &Value| {
        let host = ["hostNetwork", "hostPID", "hostIPC"]
            .iter()
            .any(|k| s[*k] == true)
            || s["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|v| v.get("hostPath").is_some())
            || s["securityContext"]["seccompProfile"]["type"] == "Unconfined";
        let containers = s["containers"]
            .as_array()
            .unwrap()
            .iter()
            .chain(s["initContainers"].as_array().into_iter().flatten());
        host || containers.into_iter().any(|c| {
            let sc = &c["securityContext"];
            sc["privileged"] == true
                || sc["runAsUser"] == 0
                || sc["allowPrivilegeEscalation"] == true
                || sc["capabilities"]["add"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c != "NET_BIND_SERVICE")
                || c["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p.get("hostPort").is_some())
        })
    };
    let bad = templates.iter().filter(|s| unsafe_pod(s)).count() as f64;
    let share = bad / templates.len() as f64;
    assert!((0.15..=0.35).contains(&share), "unsafe share {share}");
}
