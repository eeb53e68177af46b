//! The reviewed results on real-world manifests, pinned (docs/review.md
//! says why each is what it is). A change in what rampart finds on them
//! shows here as a snapshot diff, to be reviewed like the findings were.
//!
//! Each digest is compact and deterministic: paths relative to the corpus
//! (or `examples/`), lines sorted, no messages. Kustomize is not rendered
//! (`--no-render`), so the result does not depend on `kubectl` or network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus() -> PathBuf {
    repo().join("../shared/corpus")
}

/// `rampart scan TARGET --format json --no-render EXTRA...`, parsed.
fn scan(target: &Path, extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .arg("scan")
        .arg(target)
        .args(["--format", "json", "--no-render"])
        .args(extra)
        .output()
        .expect("rampart runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn findings(doc: &Value) -> &[Value] {
    doc["findings"].as_array().expect("findings array")
}

/// The path after `corpus/` or `examples/`, whatever the checkout's place:
/// the roots given to the scan are stripped first, so that a `corpus` or
/// `examples` directory above the checkout cannot confuse it.
fn relative(file: &str) -> String {
    let file = file.replace('\\', "/");
    for root in [corpus(), repo().join("examples")] {
        let root = root.display().to_string().replace('\\', "/");
        if let Some(rest) = file.strip_prefix(&root) {
            return rest.trim_start_matches('/').to_string();
        }
    }
    for marker in ["corpus/", "examples/"] {
        if let Some(i) = file.rfind(marker) {
            return file[i + marker.len()..].to_string();
        }
    }
    file
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// One line per finding of the given areas (every area when empty):
/// `check | severity | Kind namespace/name | path:line`, sorted.
fn finding_lines(doc: &Value, areas: &[&str]) -> String {
    let mut lines: Vec<String> = findings(doc)
        .iter()
        .filter(|f| areas.is_empty() || areas.contains(&s(f, "area")))
        .map(|f| {
            let r = &f["resource"];
            let name = match r["namespace"].as_str() {
                Some(ns) => format!("{ns}/{}", s(r, "name")),
                None => s(r, "name").to_string(),
            };
            format!(
                "{} | {} | {} {} | {}:{}",
                s(f, "check"),
                s(f, "severity"),
                s(r, "kind"),
                name,
                relative(s(&f["location"], "file")),
                f["location"]["line"].as_u64().unwrap_or(0)
            )
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

const REVIEWED_AREAS: &[&str] = &["identity", "network", "third-party"];

fn corpus_folder(name: &str) -> Option<PathBuf> {
    let dir = corpus().join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: {} is absent (the real-world corpus lives beside the repository)",
            dir.display()
        );
        None
    }
}

#[test]
fn whole_corpus_counts_per_folder_and_check() {
    let Some(dir) = corpus_folder("") else { return };
    let doc = scan(&dir, &[]);
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in findings(&doc) {
        let path = relative(s(&f["location"], "file"));
        let folder = path.split('/').next().unwrap_or("").to_string();
        *counts
            .entry((folder, s(f, "check").to_string()))
            .or_default() += 1;
    }
    let digest: String = counts
        .iter()
        .map(|((folder, check), n)| format!("{folder} | {check} | {n}\n"))
        .collect();
    insta::assert_snapshot!("corpus_counts", digest);
}

#[test]
fn argo_cd_identity_network_third_party() {
    let Some(dir) = corpus_folder("argo-cd") else {
        return;
    };
    let doc = scan(&dir, &["-n", "argocd"]);
    insta::assert_snapshot!("argo_cd", finding_lines(&doc, REVIEWED_AREAS));
}

#[test]
fn kube_prometheus_identity_network_third_party() {
    let Some(dir) = corpus_folder("kube-prometheus") else {
        return;
    };
    let doc = scan(&dir, &[]);
    insta::assert_snapshot!("kube_prometheus", finding_lines(&doc, REVIEWED_AREAS));
}

#[test]
fn insecure_cluster_example_every_area() {
    let doc = scan(&repo().join("examples/insecure-cluster"), &[]);
    insta::assert_snapshot!("insecure_cluster", finding_lines(&doc, &[]));
}
