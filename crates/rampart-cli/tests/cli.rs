//! End-to-end tests: the real binary on real files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn rampart() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> String {
    repo()
        .join("examples/insecure-cluster")
        .display()
        .to_string()
}

fn corpus() -> PathBuf {
    repo().join("../shared/corpus")
}

fn run(args: &[&str]) -> Output {
    rampart().args(args).output().expect("rampart runs")
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A scratch directory unique to one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings array")
}

fn has_finding(
    doc: &Value,
    check: &str,
    kind: &str,
    name: &str,
    file_suffix: &str,
    line: u64,
) -> bool {
    findings(doc).iter().any(|f| {
        f["check"] == check
            && f["resource"]["kind"] == kind
            && f["resource"]["name"] == name
            && f["location"]["file"]
                .as_str()
                .is_some_and(|p| p.ends_with(file_suffix))
            && f["location"]["line"] == line
    })
}

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n";

#[test]
fn the_example_estate_is_scanned_with_exact_locations() {
    let out = run(&["scan", &example(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "high findings fail the run");
    let doc = json_of(&out);
    assert!(
        doc["errors"].as_array().is_some_and(Vec::is_empty),
        "{}",
        doc["errors"]
    );
    // `privileged: yes` is a YAML 1.1 boolean: true for Kubernetes.
    assert!(has_finding(
        &doc,
        "pss-privileged",
        "Pod",
        "image-builder",
        "ci/image-builder-pod.yaml",
        24
    ));
    assert!(has_finding(
        &doc,
        "pss-host-path",
        "Pod",
        "image-builder",
        "ci/image-builder-pod.yaml",
        37
    ));
    let f = findings(&doc)
        .iter()
        .find(|f| f["check"] == "pss-privileged")
        .expect("a privileged finding");
    assert_eq!(f["pss"]["level"], "baseline");
    assert_eq!(f["pss"]["control"], "Privileged Containers");
    assert_eq!(f["area"], "workload");
    assert_eq!(f["severity"], "critical");
    assert!(f["path"]
        .as_str()
        .is_some_and(|p| p.ends_with("securityContext.privileged")));
    assert!(doc["summary"]["objects"].as_u64().is_some_and(|n| n > 50));
}

#[test]
fn the_json_output_matches_its_documented_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/output.schema.json")).expect("schema file"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let mut targets = vec![example()];
    if corpus().is_dir() {
        targets.push(corpus().display().to_string());
    } else {
        eprintln!("skipping the corpus: {} is absent", corpus().display());
    }
    for target in targets {
        let out = run(&["scan", &target, "--format", "json"]);
        let doc = json_of(&out);
        let problems: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(problems.is_empty(), "{target}: {problems:?}");
    }
}

#[test]
fn the_sarif_output_is_valid_sarif_2_1_0() {
    // The published schema's `language` patterns have an unescaped `]`,
    // which strict ECMA-262 validation of the schema itself rejects; escape
    // it (the pattern matches the same strings either way).
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .expect("schema file")
    .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let dir = scratch("sarif");
    let bad = dir.join("broken file.yaml");
    std::fs::write(&bad, "a: [1,\n").expect("write");
    let good = dir.join("pod.yaml");
    std::fs::write(&good, PRIVILEGED_POD).expect("write");
    for target in [example(), dir.display().to_string()] {
        let out = run(&["scan", &target, "--format", "sarif"]);
        let doc = json_of(&out);
        let problems: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(problems.is_empty(), "{target}: {problems:?}");
        let results = doc["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty());
        for r in results {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1), "{r}");
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(
                doc["runs"][0]["tool"]["driver"]["rules"][index]["id"],
                r["ruleId"]
            );
        }
    }
    let out = run(&["scan", &dir.display().to_string(), "--format", "sarif"]);
    let doc = json_of(&out);
    let note = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("broken%20file.yaml"))
    );
}

#[test]
fn the_whole_corpus_scans_without_panic_and_every_error_names_file_and_line() {
    if !corpus().is_dir() {
        eprintln!(
            "skipped: the real-world corpus is expected at {} (beside the repository)",
            corpus().display()
        );
        return;
    }
    let out = run(&["scan", &corpus().display().to_string(), "--format", "json"]);
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "status {:?}",
        out.status
    );
    let doc = json_of(&out);
    assert!(doc["summary"]["objects"].as_u64().is_some_and(|n| n > 1000));
    for e in doc["errors"].as_array().expect("errors") {
        assert!(e["file"].as_str().is_some_and(|f| !f.is_empty()), "{e}");
        assert!(
            e["line"].as_u64().is_some_and(|l| l >= 1),
            "error without a line: {e}"
        );
    }
    // Kubernetes' own examples hold duplicate keys; they are reported, not hidden.
    assert!(doc["errors"].as_array().expect("errors").iter().any(|e| {
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("duplicate key `selector`"))
            && e["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("openshift-origin/etcd-controller.yaml"))
            && e["line"] == 12
    }));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = rampart()
        .args(["scan", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(PRIVILEGED_POD.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert!(has_finding(
        &doc,
        "pss-privileged",
        "Pod",
        "root",
        "<stdin>",
        10
    ));
    assert_eq!(findings(&doc)[0]["resource"]["namespace"], "default");
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = scratch("exit");
    let clean = dir.join("clean.yaml");
    std::fs::write(
        &clean,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n",
    )
    .expect("write");
    let medium = dir.join("medium.yaml");
    std::fs::write(
        &medium,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n  - {name: c, image: x:1}\n",
    )
    .expect("write");
    let c = clean.display().to_string();
    let m = medium.display().to_string();
    assert_eq!(run(&["scan", &c]).status.code(), Some(0));
    // (Only the workload area: the metadata service is reachable from this pod.)
    assert_eq!(
        run(&["scan", &m, "--area", "workload"]).status.code(),
        Some(0),
        "medium is below the default high"
    );
    assert_eq!(
        run(&["scan", &m, "--area", "workload", "--fail-on", "medium"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["scan", &m, "--fail-on", "bogus"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["scan", "/nonexistent/path.yaml"]).status.code(),
        Some(2)
    );
    let out = run(&["scan", &m, "--namespace", "team-a", "--format", "json"]);
    assert_eq!(
        findings(&json_of(&out))[0]["resource"]["namespace"],
        "team-a"
    );
}

#[test]
fn bad_input_is_reported_with_file_and_line_and_the_rest_is_scanned() {
    let dir = scratch("bad");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    write("a-good.yaml", PRIVILEGED_POD.as_bytes());
    write(
        "malformed.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: {}\n",
    );
    write(
        "wrong-types.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers: \"x\"\n",
    );
    write(
        "missing-kind.yaml",
        b"apiVersion: v1\nmetadata: {name: k}\n",
    );
    write(
        "duplicate.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      privileged: true\n      privileged: false\n",
    );
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs = vec![format!("*x{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("x{i}: &x{i} [{refs}]\n"));
    }
    write("bomb.yaml", bomb.as_bytes());
    write("binary.yaml", b"\x7fELF\x02\x01\x01\0\0\0\0");
    write(
        "latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n",
    );
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write("deep.yaml", deep.as_bytes());
    write(
        "truncated.json",
        b"{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": ",
    );

    let out = run(&["scan", &dir.display().to_string(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let doc = json_of(&out);
    // The good file is still scanned and reported.
    assert!(has_finding(
        &doc,
        "pss-privileged",
        "Pod",
        "root",
        "a-good.yaml",
        10
    ));
    // Duplicate keys: reported, and the last value is the one checked.
    assert!(!findings(&doc)
        .iter()
        .any(|f| f["resource"]["name"] == "d" && f["check"] == "pss-privileged"));
    let errors = doc["errors"].as_array().expect("errors");
    let error_at = |file: &str| -> Vec<(u64, String)> {
        errors
            .iter()
            .filter(|e| e["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .map(|e| {
                (
                    e["line"].as_u64().unwrap_or(0),
                    e["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let expect = |file: &str, line: u64, text: &str| {
        let got = error_at(file);
        assert!(
            got.iter().any(|(l, m)| *l == line && m.contains(text)),
            "{file}: expected line {line} with `{text}`, got {got:?}"
        );
    };
    expect("malformed.yaml", 4, "did not find expected");
    expect("wrong-types.yaml", 5, "must be a list");
    expect("missing-kind.yaml", 1, "no `kind`");
    expect("duplicate.yaml", 10, "duplicate key `privileged`");
    expect("binary.yaml", 1, "binary file");
    expect("latin1.yaml", 3, "not valid UTF-8");
    expect("truncated.json", 1, "invalid JSON");
    assert!(
        !error_at("bomb.yaml").is_empty(),
        "the alias bomb is refused"
    );
    assert!(!error_at("deep.yaml").is_empty(), "deep nesting is refused");
}

#[test]
fn a_huge_document_is_scanned() {
    // 20,000 containers in one Pod: large but legitimate input.
    let dir = scratch("huge");
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: huge}\nspec:\n  containers:\n");
    for i in 0..20_000 {
        text.push_str(&format!("  - name: c{i}\n    image: registry.example/app:{i}\n    env:\n    - {{name: A, value: \"{}\"}}\n", "x".repeat(100)));
    }
    text.push_str("  - name: last\n    image: x:1\n    securityContext: {privileged: true}\n");
    let file = dir.join("huge.yaml");
    std::fs::write(&file, &text).expect("write");
    let out = run(&[
        "scan",
        &file.display().to_string(),
        "--format",
        "json",
        "--area",
        "workload",
    ]);
    let doc = json_of(&out);
    assert!(
        doc["errors"].as_array().is_some_and(Vec::is_empty),
        "{}",
        doc["errors"]
    );
    assert!(findings(&doc)
        .iter()
        .any(|f| f["check"] == "pss-privileged" && f["container"] == "last"));
}

#[test]
fn kubectl_list_dumps_are_first_class() {
    let dir = scratch("list");
    let dump = serde_json::json!({
        "apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
        "items": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop", "uid": "u1"},
             "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": true}}]}}}},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-1", "namespace": "shop",
              "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u1", "controller": true}]},
             "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": true}}]}}}},
        ]
    });
    let file = dir.join("dump.json");
    std::fs::write(&file, serde_json::to_string_pretty(&dump).expect("json")).expect("write");
    let doc = json_of(&run(&[
        "scan",
        &file.display().to_string(),
        "--format",
        "json",
    ]));
    let privileged: Vec<&Value> = findings(&doc)
        .iter()
        .filter(|f| f["check"] == "pss-privileged")
        .collect();
    assert_eq!(
        privileged.len(),
        1,
        "the ReplicaSet repeats its Deployment's template: one finding"
    );
    assert_eq!(privileged[0]["resource"]["kind"], "Deployment");
    // Items of a JSON List point at the line where they start.
    let text = std::fs::read_to_string(&file).expect("read");
    let brace = text
        .lines()
        .position(|l| l.contains("\"Deployment\""))
        .expect("kind line") as u64;
    assert!(
        privileged[0]["location"]["line"]
            .as_u64()
            .is_some_and(|l| l > 1 && l <= brace),
        "{}",
        privileged[0]["location"]
    );
}

#[test]
fn kustomize_directories_are_rendered_once() {
    let dir = scratch("kustomize");
    std::fs::write(
        dir.join("kustomization.yaml"),
        "resources:\n- pod.yaml\nnamespace: rendered\n",
    )
    .expect("write");
    std::fs::write(dir.join("pod.yaml"), PRIVILEGED_POD).expect("write");
    let out = run(&["scan", &dir.display().to_string(), "--format", "json"]);
    let doc = json_of(&out);
    let kubectl = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok();
    if kubectl {
        let privileged: Vec<&Value> = findings(&doc)
            .iter()
            .filter(|f| f["check"] == "pss-privileged")
            .collect();
        assert_eq!(
            privileged.len(),
            1,
            "raw files are not scanned a second time"
        );
        assert_eq!(privileged[0]["resource"]["namespace"], "rendered");
        assert!(privileged[0]["location"]["file"]
            .as_str()
            .is_some_and(|f| f.contains("kubectl kustomize")));
    } else {
        let errors = doc["errors"].to_string();
        assert!(
            errors.contains("needs `kubectl` or `kustomize`"),
            "{errors}"
        );
    }
}

#[test]
fn helm_charts_are_rendered_or_explained() {
    let dir = scratch("helm");
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    )
    .expect("write");
    std::fs::write(dir.join("values.yaml"), "privileged: false\n").expect("write");
    std::fs::write(
        dir.join("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-pod\nspec:\n  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      privileged: {{ .Values.privileged }}\n",
    )
    .expect("write");
    let out = run(&[
        "scan",
        &dir.display().to_string(),
        "--set",
        "privileged=true",
        "--format",
        "json",
    ]);
    let doc = json_of(&out);
    if Command::new("helm").arg("version").output().is_ok() {
        assert!(findings(&doc).iter().any(|f| f["check"] == "pss-privileged"
            && f["location"]["file"]
                .as_str()
                .is_some_and(|p| p.contains("templates/pod.yaml"))));
    } else {
        assert_eq!(out.status.code(), Some(2));
        let errors = doc["errors"].to_string();
        assert!(
            errors.contains("needs `helm` on PATH") && errors.contains("| rampart scan -"),
            "{errors}"
        );
    }
}

#[test]
fn checks_and_explain_describe_the_registry() {
    let out = run(&["checks", "--area", "workload"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("pss-privileged"));
    let out = run(&["explain", "pss-privileged"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Privileged Containers") && text.contains("How to fix"));
    let out = run(&["explain", "privileged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn text_output_groups_and_summarises() {
    let out = run(&["scan", &example(), "--no-color"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("== workload =="));
    assert!(text.contains("Pod ci/image-builder"));
    assert!(text.contains("Scanned ") && text.contains(" objects from "));
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = repo().join("docs/rules");
    for (name, content) in rampart_docs() {
        let path = dir.join(&name);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == content,
            "docs/rules/{name} is stale: run `cargo run -p rampart-cli -- checks --write-docs docs/rules`"
        );
    }
}

fn rampart_docs() -> Vec<(String, String)> {
    let dir = scratch("docs");
    let out = run(&["checks", "--write-docs", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("generated")
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn configuration_waivers_and_annotations_suppress_without_hiding() {
    let dir = scratch("suppress");
    std::fs::write(
        dir.join(".rampart.yaml"),
        "disable: [image-not-pinned]\nregistries:\n  allow: [ghcr.io/acme/]\nwaivers:\n- check: pss-privileged\n  resource: {kind: Pod, namespace: default, name: root}\n  reason: node agent, reviewed\n  expires: 2999-01-01\n- check: pss-host-namespaces\n  resource: {kind: Pod, name: net}\n  reason: old decision\n  expires: 2020-01-01\n",
    )
    .expect("write");
    std::fs::write(dir.join("root.yaml"), PRIVILEGED_POD).expect("write");
    std::fs::write(
        dir.join("net.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: net\n  annotations:\n    rampart.dev/suppress: \"writable-root-filesystem, image-latest-tag: scratch pod, deleted nightly\"\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: ghcr.io/acme/tool\n",
    )
    .expect("write");
    let out = run(&["scan", &dir.display().to_string(), "--format", "json"]);
    let doc = json_of(&out);
    assert!(
        doc["errors"].as_array().is_some_and(Vec::is_empty),
        "{}",
        doc["errors"]
    );
    let find = |check: &str, name: &str| -> Vec<&Value> {
        findings(&doc)
            .iter()
            .filter(|f| f["check"] == check && f["resource"]["name"] == name)
            .collect()
    };
    // A waiver in force suppresses, with its reason and expiry.
    let waived = find("pss-privileged", "root");
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["suppressed"]["by"], "waiver");
    assert!(waived[0]["suppressed"]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("node agent") && r.contains("2999-01-01")));
    // An expired waiver no longer suppresses, and is reported where it is written.
    let host = find("pss-host-namespaces", "net");
    assert_eq!(host.len(), 1);
    assert!(host[0].get("suppressed").is_none());
    let expired: Vec<&Value> = findings(&doc)
        .iter()
        .filter(|f| f["check"] == "expired-waiver")
        .collect();
    assert_eq!(expired.len(), 1);
    assert!(expired[0]["location"]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with(".rampart.yaml")));
    assert_eq!(expired[0]["location"]["line"], 9);
    // Disabled checks stay in the output, marked.
    let pinned: Vec<&Value> = findings(&doc)
        .iter()
        .filter(|f| f["check"] == "image-not-pinned")
        .collect();
    assert!(!pinned.is_empty() && pinned.iter().all(|f| f["suppressed"]["by"] == "config"));
    // Annotation suppression names checks and gives a reason.
    let annotated = find("writable-root-filesystem", "net");
    assert_eq!(annotated[0]["suppressed"]["by"], "annotation");
    assert_eq!(
        annotated[0]["suppressed"]["reason"],
        "scratch pod, deleted nightly"
    );
    assert_eq!(
        find("image-latest-tag", "net")[0]["suppressed"]["by"],
        "annotation"
    );
    assert!(find("writable-root-filesystem", "root")[0]
        .get("suppressed")
        .is_none());
    // The registry allow-list: docker.io/library/busybox is not allowed, ghcr.io/acme/tool is.
    assert_eq!(find("image-registry-not-allowed", "root").len(), 1);
    assert!(find("image-registry-not-allowed", "net").is_empty());
    assert!(doc["summary"]["suppressed"]
        .as_u64()
        .is_some_and(|n| n >= 4));

    let text =
        String::from_utf8_lossy(&run(&["scan", &dir.display().to_string(), "--no-color"]).stdout)
            .to_string();
    assert!(text.contains("suppressed finding"), "{text}");

    // --config names the file explicitly; mistakes in it are input errors with lines.
    let bad = dir.join("bad-config.yaml");
    std::fs::write(
        &bad,
        "disable: [no-such-check]\nwaivers:\n- check: pss-privileged\n",
    )
    .expect("write");
    let out = run(&[
        "scan",
        &dir.join("root.yaml").display().to_string(),
        "--config",
        &bad.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json_of(&out);
    let errors = doc["errors"].to_string();
    assert!(
        errors.contains("no-such-check") && errors.contains("needs a `reason`"),
        "{errors}"
    );
}

#[test]
fn who_can_lists_subjects_with_binding_and_role() {
    let out = run(&[
        "who-can",
        "get",
        "secrets",
        "-n",
        "payments",
        &example(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    assert_eq!(doc["query"]["resource"], "secrets");
    assert_eq!(doc["query"]["namespace"], "payments");
    let grants = doc["grants"].as_array().expect("grants");
    let runner = grants
        .iter()
        .find(|g| g["subject"] == serde_json::json!({"kind": "ServiceAccount", "namespace": "ci", "name": "gitlab-runner"}))
        .expect("the CI runner can read secrets in payments");
    assert_eq!(runner["scope"], "cluster");
    assert_eq!(runner["binding"]["kind"], "ClusterRoleBinding");
    assert_eq!(runner["role"]["name"], "ci-secret-reader");
    assert!(runner["location"]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("ci-runner-rbac.yaml")));
    // A RoleBinding to the built-in `admin` in shop does not reach payments.
    assert!(!grants.iter().any(|g| g["subject"]["name"] == "shop-team"));
    let shop = json_of(&run(&[
        "who-can",
        "get",
        "secrets",
        "-n",
        "shop",
        &example(),
        "--format",
        "json",
    ]));
    assert!(shop["grants"]
        .as_array()
        .expect("grants")
        .iter()
        .any(|g| g["subject"]["name"] == "shop-team"
            && g["role"]["name"] == "admin"
            && g["scope"] == "shop"));

    let text =
        String::from_utf8_lossy(&run(&["who-can", "create", "pods/exec", &example()]).stdout)
            .to_string();
    assert!(text.contains("ServiceAccount ci/gitlab-runner"), "{text}");
    let nodes = run(&["who-can", "get", "nodes/proxy", "-n", "x", &example()]);
    assert_eq!(nodes.status.code(), Some(2), "nodes are cluster-scoped");
}

#[test]
fn access_lists_effective_permissions_through_groups() {
    let out = run(&[
        "access",
        "sa:ci:gitlab-runner",
        &example(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    assert_eq!(
        doc["subject"],
        serde_json::json!({"kind": "ServiceAccount", "namespace": "ci", "name": "gitlab-runner"})
    );
    let grants = doc["grants"].as_array().expect("grants");
    assert!(grants
        .iter()
        .any(|g| g["role"]["name"] == "ci-secret-reader"
            && g["rules"][0]["resources"] == serde_json::json!(["secrets"])));
    // Implicit groups: every service account is system:authenticated.
    assert!(grants
        .iter()
        .any(|g| g["as"]["name"] == "system:authenticated"
            && g["binding"]["name"] == "all-engineers-view"));
    assert_eq!(
        run(&["access", "nobody", &example()]).status.code(),
        Some(2)
    );
}

#[test]
fn reach_answers_with_an_explanation() {
    let out = run(&[
        "reach",
        "shop/frontend",
        "metadata",
        &example(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    assert_eq!(
        doc["allowed"], true,
        "the internet-facing frontend has no egress policy"
    );
    assert_eq!(doc["egress"]["isolated"], false);
    let out = run(&[
        "reach",
        "shop/cart",
        "payments/payments-api",
        "--port",
        "8080",
        &example(),
        "--format",
        "json",
    ]);
    let doc = json_of(&out);
    assert_eq!(doc["allowed"], false);
    assert_eq!(doc["ingress"]["isolated"], true);
    let out = run(&[
        "reach",
        "shop/cart",
        "payments/payments-api",
        "--port",
        "8443/tcp",
        &example(),
        "--format",
        "json",
    ]);
    let doc = json_of(&out);
    assert_eq!(doc["allowed"], true);
    assert!(
        doc["ingress"]["allowing"][0]["policy"]["resource"]["name"] == "payments-api-allow-cart"
    );
    let text = String::from_utf8_lossy(
        &run(&[
            "reach",
            "shop/cart",
            "payments/payments-api",
            "--port",
            "8080",
            &example(),
        ])
        .stdout,
    )
    .to_string();
    assert!(
        text.starts_with("DENIED") && text.contains("payments-api-allow-cart"),
        "{text}"
    );
    assert_eq!(
        run(&["reach", "nowhere/x", "metadata", &example()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn netmap_exports_the_graph() {
    let out = run(&["netmap", &example(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    let names: Vec<&str> = doc["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    let at = |n: &str| names.iter().position(|x| *x == n).expect("workload listed");
    let reaches = |a: &str, b: &str| {
        doc["reach"][at(a)]
            .as_array()
            .expect("adjacency")
            .iter()
            .any(|j| j.as_u64() == Some(at(b) as u64))
    };
    assert!(reaches(
        "shop/Deployment/cart",
        "payments/Deployment/payments-api"
    ));
    assert!(!reaches(
        "argocd/Deployment/argocd-server",
        "payments/Deployment/payments-api"
    ));
    let frontend = at("shop/Deployment/frontend") as u64;
    assert!(doc["external"]["metadata"]
        .as_array()
        .is_some_and(|m| m.iter().any(|w| w.as_u64() == Some(frontend))));
    assert!(doc["namespaces"].as_array().is_some_and(|n| !n.is_empty()));
    let dot = String::from_utf8_lossy(&run(&["netmap", &example(), "--format", "dot"]).stdout)
        .to_string();
    assert!(dot.starts_with("digraph netmap") && dot.contains("\"metadata\""));
    let mermaid =
        String::from_utf8_lossy(&run(&["netmap", &example(), "--format", "mermaid"]).stdout)
            .to_string();
    assert!(mermaid.starts_with("graph LR") && mermaid.contains("ns_shop"));
    let text = String::from_utf8_lossy(&run(&["netmap", &example()]).stdout).to_string();
    assert!(text.contains("workload pairs can connect"));
}

#[test]
fn paths_reach_cluster_admin_and_the_cloud_in_the_example() {
    let out = run(&["paths", &example(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    let paths = doc["paths"].as_array().expect("paths");
    let to = |t: &'static str| paths.iter().filter(move |p| p["target"] == t);
    // An internet-facing workload reaches cluster-admin through RBAC.
    let admin = to("cluster-admin")
        .find(|p| p["entry"]["name"] == "frontend")
        .expect("a path from the internet-facing frontend to cluster-admin");
    let steps = admin["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["technique"]["id"], "T1190");
    assert_eq!(steps.last().expect("last")["to"], "cluster-admin");
    for s in steps {
        assert!(s["technique"]["id"]
            .as_str()
            .is_some_and(|t| t.starts_with('T')));
        assert!(s.get("evidence").is_some());
    }
    // SCARLETEEL: exposed workload, metadata service, node role, stored cloud keys.
    let scarleteel = to("cloud-identity")
        .find(|p| {
            let s = p["steps"].as_array().expect("steps");
            p["entry"]["name"] == "frontend"
                && s.iter().any(|x| x["technique"]["id"] == "T1552.005")
                && s.last().is_some_and(|x| {
                    x["to"]
                        .as_str()
                        .is_some_and(|t| t.contains("backup-aws-credentials"))
                })
        })
        .expect("the SCARLETEEL chain from the frontend to the stored AWS keys");
    let techniques: Vec<&str> = scarleteel["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["technique"]["id"].as_str())
        .collect();
    assert_eq!(techniques.first(), Some(&"T1190"));
    assert!(scarleteel["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .any(|s| s["assumption"]
            .as_str()
            .is_some_and(|a| a.contains("IMDSv1"))));
    // What cuts the paths is counted.
    let cuts = doc["cuts"].as_array().expect("cuts");
    assert!(cuts
        .iter()
        .any(|c| c["action"] == "block-metadata:Namespace/shop"
            && c["paths"].as_u64().is_some_and(|n| n >= 2)));

    let text = String::from_utf8_lossy(
        &run(&[
            "paths",
            &example(),
            "--to",
            "cluster-admin",
            "--from",
            "shop/frontend",
        ])
        .stdout,
    )
    .to_string();
    assert!(
        text.contains("Path 1") && text.contains("1. Compromise Deployment shop/frontend"),
        "{text}"
    );
    let mermaid =
        String::from_utf8_lossy(&run(&["paths", &example(), "--format", "mermaid"]).stdout)
            .to_string();
    assert!(mermaid.starts_with("flowchart LR"));
    let dot =
        String::from_utf8_lossy(&run(&["paths", &example(), "--format", "dot"]).stdout).to_string();
    assert!(dot.contains("cluster-admin"));
    assert_eq!(
        run(&["paths", &example(), "--to", "moon"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_plan_ranks_actions_that_cut_paths() {
    let doc = json_of(&run(&["scan", &example(), "--format", "json"]));
    let plan = doc["plan"].as_array().expect("plan");
    assert!(!plan.is_empty());
    let metadata = plan
        .iter()
        .find(|a| a["id"] == "block-metadata:Namespace/shop")
        .expect("block metadata in shop");
    assert!(metadata["paths_cut"].as_u64().is_some_and(|n| n >= 2));
    assert!(metadata["fix"]
        .as_str()
        .is_some_and(|f| f.contains("169.254.169.254/32")));
    // Ranked by score, highest first.
    let scores: Vec<f64> = plan.iter().filter_map(|a| a["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    let attack = doc["scores"]
        .as_array()
        .expect("scores")
        .iter()
        .find(|s| s["area"] == "attack-paths")
        .expect("area");
    assert!(attack["score"].as_u64().is_some());
}

#[test]
fn markdown_fits_in_a_pull_request_comment() {
    let out = run(&["scan", &example(), "--format", "markdown"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.starts_with("## rampart: "));
    assert!(text.contains("### Fix first"));
    // GitHub refuses comments longer than 65,536 characters.
    assert!(
        text.chars().count() < 65_536,
        "{} characters",
        text.chars().count()
    );
    assert!(
        text.contains("more finding"),
        "the table says what it left out"
    );
}

/// Every output is the same whatever the number of threads: the analyses,
/// the checks and the renderers run in parallel, and shared analyses are
/// built once whichever thread asks first.
#[test]
fn outputs_do_not_depend_on_the_number_of_threads() {
    let without_duration = |out: &Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.contains("\"durationMs\"") && !l.starts_with("Scanned "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let target = example();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["scan", &target, "--format", "json"],
        vec!["scan", &target, "--format", "sarif"],
        vec!["scan", &target, "--format", "text", "--no-color"],
        vec!["paths", &target, "--format", "json", "--assume-breach"],
        vec!["netmap", &target, "--format", "json"],
    ];
    // The corpus has thousands of findings: several parallel batches.
    let shared = corpus().display().to_string();
    if corpus().is_dir() {
        runs.push(vec!["scan", &shared, "--no-render", "--format", "json"]);
        runs.push(vec!["scan", &shared, "--no-render", "--no-color"]);
    } else {
        eprintln!("skipping the corpus: {shared} is absent");
    }
    for args in runs {
        let outputs: Vec<String> = ["1", "3", "8"]
            .iter()
            .map(|threads| {
                let out = rampart()
                    .args(&args)
                    .env("RAYON_NUM_THREADS", threads)
                    .output()
                    .expect("rampart runs");
                assert!(!out.stdout.is_empty(), "{args:?}: no output");
                without_duration(&out)
            })
            .collect();
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "{args:?}: output depends on the number of threads"
        );
    }
}
