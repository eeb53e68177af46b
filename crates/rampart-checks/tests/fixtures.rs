//! Runs every check of the registry over its own fixtures.
//!
//! `fixtures/<check-id>/fail*.yaml` must yield exactly the findings marked by
//! a trailing `# expect` comment on the line each finding points at
//! (`# expect 2` when two findings share a line); `pass*.yaml` must yield
//! none. Every check needs at least one of each, and the fixtures must load
//! without input errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_checks::{run_on, REGISTRY};
use rampart_load::{load, LoadOptions};
use rampart_model::{Config, Date};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fixed date, so that waiver expiry in fixtures never changes.
fn today() -> Date {
    Date { year: 2026, month: 6, day: 1 }
}

fn expected_lines(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(pos) = line.find("# expect") {
            let count: usize = line[pos + "# expect".len()..].trim().parse().unwrap_or(1);
            out.extend(std::iter::repeat_n(i as u32 + 1, count));
        }
    }
    out
}

#[test]
fn every_check_passes_its_fixtures() {
    let mut failures = Vec::new();
    for check in REGISTRY {
        let dir = fixture_root().join(check.meta.id);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => {
                failures.push(format!(
                    "{}: no fixture directory {}",
                    check.meta.id,
                    dir.display()
                ));
                continue;
            }
        };
        files.sort();
        let name = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string()
        };
        // An optional `config.yaml` is the .rampart.yaml these fixtures run with.
        let config = if dir.join("config.yaml").is_file() {
            let (config, errors) = rampart_load::config::load_config(&dir.join("config.yaml").display().to_string());
            assert!(errors.is_empty(), "{}: {errors:?}", check.meta.id);
            config
        } else {
            Config::default()
        };
        let fails: Vec<&PathBuf> = files
            .iter()
            .filter(|p| name(p).starts_with("fail"))
            .collect();
        let passes: Vec<&PathBuf> = files
            .iter()
            .filter(|p| name(p).starts_with("pass"))
            .collect();
        if fails.is_empty() || passes.is_empty() {
            failures.push(format!(
                "{}: needs at least one fail*.yaml and one pass*.yaml",
                check.meta.id
            ));
        }
        for file in fails.iter().chain(passes.iter()) {
            let text = std::fs::read_to_string(file).expect("fixture is readable");
            let inventory = load(&[file.display().to_string()], &LoadOptions::default());
            if !inventory.errors.is_empty() {
                failures.push(format!(
                    "{}: input errors: {:?}",
                    file.display(),
                    inventory.errors
                ));
            }
            let mut got: Vec<u32> = run_on(&inventory, &config, today(), &[check])
                .iter()
                .map(|f| f.location.line)
                .collect();
            got.sort();
            let want = if name(file).starts_with("fail") {
                expected_lines(&text)
            } else {
                Vec::new()
            };
            if name(file).starts_with("fail") && want.is_empty() {
                failures.push(format!(
                    "{}: a fail fixture marks no `# expect` line",
                    file.display()
                ));
            }
            if got != want {
                failures.push(format!(
                    "{} ({}): findings at lines {got:?}, expected {want:?}",
                    file.display(),
                    check.meta.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_directory_belongs_to_a_check() {
    let ids: BTreeSet<&str> = REGISTRY.iter().map(|c| c.meta.id).collect();
    for entry in std::fs::read_dir(fixture_root()).expect("fixtures exist") {
        let entry = entry.expect("readable");
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(
            ids.contains(name.as_str()),
            "fixtures/{name} matches no check"
        );
    }
}

#[test]
fn check_ids_are_unique_and_documented() {
    let mut seen = BTreeSet::new();
    for check in REGISTRY {
        let m = &check.meta;
        assert!(seen.insert(m.id), "duplicate id {}", m.id);
        assert!(
            !m.title.is_empty() && !m.rationale.is_empty() && !m.remediation.is_empty(),
            "{}",
            m.id
        );
        assert!(
            m.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            m.id
        );
    }
}
