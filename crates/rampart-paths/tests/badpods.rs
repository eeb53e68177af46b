//! The BishopFox badPods corpus: every workload of the escaping families
//! (priv, priv-and-hostpid, everything-allowed, hostpath) escapes to its
//! node with the field that allows it as evidence, and none of the others
//! (hostpid, hostnetwork, hostipc, nothing-allowed) has an escape step.

use std::path::{Path, PathBuf};

use rampart_load::{load, LoadOptions};
use rampart_paths::{compute, AttackPath, Options, Step, Target};

const T_ESCAPE: &str = "T1611";

fn corpus() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/badpods/manifests");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: the badPods corpus is not at {} (clone BishopFox/badPods there)",
            dir.display()
        );
        None
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The workloads of one family and, for each, its path to a node (if any).
fn family(name: &str) -> Option<Vec<(String, Option<AttackPath>)>> {
    let dir = corpus()?.join(name);
    assert!(dir.is_dir(), "no {}", dir.display());
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    let inventory = load(
        &[dir.to_string_lossy().into_owned()],
        &LoadOptions::default(),
    );
    assert!(
        inventory.errors.is_empty(),
        "{name}: {:?}",
        inventory.errors
    );
    let pods = rampart_checks::pod_templates(&inventory);
    // One workload per file, every kind of controller included.
    assert_eq!(pods.len(), files.len(), "{name}: one workload per file");
    assert!(pods.len() >= 8, "{name}: {} workloads", pods.len());
    let rbac = rampart_rbac::RbacModel::build(&inventory);
    let network = rampart_network::NetworkModel::build(&inventory);
    let matrix = network.matrix();
    let paths = compute(
        &inventory,
        &pods,
        &rbac,
        &network,
        &matrix,
        &Options {
            assume_breach: true,
            to: Some(Target::Node),
            ..Default::default()
        },
    )
    .paths;
    let mut out = Vec::new();
    for pod in &pods {
        let mine: Vec<&AttackPath> = paths.iter().filter(|p| p.entry == pod.object.id).collect();
        assert!(
            mine.len() <= 1,
            "{name}: several paths from {}",
            pod.object.id.display()
        );
        out.push((pod.object.id.display(), mine.first().map(|p| (*p).clone())));
    }
    Some(out)
}

/// The source line the step's evidence points at, and the one after it.
fn evidence_lines(step: &Step) -> (String, String) {
    let loc = step.evidence.location.as_ref().expect("evidence location");
    let text = std::fs::read_to_string(&*loc.file).unwrap_or_else(|e| panic!("{}: {e}", loc.file));
    let lines: Vec<&str> = text.lines().collect();
    let at = |n: usize| lines.get(n).map_or(String::new(), |l| l.trim().to_string());
    assert!(loc.line > 0, "{step:?}");
    (at(loc.line as usize - 1), at(loc.line as usize))
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Privileged,
    PrivilegedHostPid,
    HostPathRoot,
}

/// Check an escape step's evidence against the file; tell which field it is.
fn check_escape(who: &str, step: &Step) -> Field {
    let (line, next) = evidence_lines(step);
    let detail = &step.evidence.detail;
    if detail.contains("is privileged") {
        assert_eq!(line, "privileged: true", "{who}: {detail}");
        if detail.contains("hostPID") {
            Field::PrivilegedHostPid
        } else {
            Field::Privileged
        }
    } else if detail.contains("mounts /:") {
        assert_eq!(line, "hostPath:", "{who}: {detail}");
        assert_eq!(next, "path: /", "{who}: {detail}");
        Field::HostPathRoot
    } else {
        panic!("{who}: unexpected escape evidence `{detail}`");
    }
}

fn assert_escapes(name: &str, allowed: &[Field]) {
    let Some(workloads) = family(name) else {
        return;
    };
    for (who, path) in workloads {
        let p = path.unwrap_or_else(|| panic!("{name}: no path to a node from {who}"));
        // Escaping is the first move after the entry.
        assert_eq!(p.steps.len(), 2, "{name}: {who}: {:?}", p.steps);
        let step = &p.steps[1];
        assert_eq!(step.technique.id, T_ESCAPE, "{name}: {who}");
        assert_eq!(step.to, "a node", "{name}: {who}");
        assert_eq!(
            step.evidence.resource.as_ref().map(|r| r.display()),
            Some(who.clone())
        );
        let field = check_escape(&who, step);
        assert!(
            allowed.contains(&field),
            "{name}: {who}: {}",
            step.evidence.detail
        );
    }
}

fn assert_no_escape(name: &str) {
    let Some(workloads) = family(name) else {
        return;
    };
    for (who, path) in workloads {
        if let Some(p) = path {
            assert!(
                p.steps.iter().all(|s| s.technique.id != T_ESCAPE),
                "{name}: {who} escapes: {:?}",
                p.steps
            );
        }
    }
}

#[test]
fn priv_escapes_through_privileged() {
    assert_escapes("priv", &[Field::Privileged]);
}

#[test]
fn priv_and_hostpid_escapes_through_privileged_with_hostpid() {
    assert_escapes("priv-and-hostpid", &[Field::PrivilegedHostPid]);
}

#[test]
fn everything_allowed_escapes() {
    // Privileged with hostPID and hostPath / are both there: either is
    // right evidence, provided it points at its own line.
    assert_escapes(
        "everything-allowed",
        &[Field::PrivilegedHostPid, Field::HostPathRoot],
    );
}

#[test]
fn hostpath_escapes_through_the_root_volume() {
    assert_escapes("hostpath", &[Field::HostPathRoot]);
}

#[test]
fn host_namespaces_alone_do_not_escape() {
    for name in ["hostpid", "hostnetwork", "hostipc", "nothing-allowed"] {
        assert_no_escape(name);
    }
}
