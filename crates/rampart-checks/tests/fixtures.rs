//! Runs every check of the registry over its own fixtures.
//!
//! `fixtures/<check-id>/fail*.yaml` must yield exactly the findings marked by
//! a trailing `# expect` comment on the line each finding points at
//! (`# expect 2` when two findings share a line); `pass*.yaml` must yield
//! none. Every check needs at least one of each, and the fixtures must load
//! without input errors.
//!
//! A fixture runs with `config-<stem>.yaml` beside it as its .rampart.yaml
//! (`config-pass.yaml` for `pass.yaml`), else the directory's `config.yaml`,
//! else the default configuration. Findings located in that configuration
//! (an expired waiver) are marked by `# expect` in it, and count for the
//! fail fixtures that run with it.

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
    Date {
        year: 2026,
        month: 6,
        day: 1,
    }
}

/// A finding's place: the file name (fixtures of a directory share no names) and line.
type Place = (String, u32);

fn place(file: &str, line: u32) -> Place {
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    (name.to_string(), line)
}

/// The place of every `# expect` marker of `text`, read from `file`.
fn expected_lines(file: &str, text: &str) -> Vec<Place> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(pos) = line.find("# expect") {
            let count: usize = line[pos + "# expect".len()..].trim().parse().unwrap_or(1);
            out.extend(std::iter::repeat_n(place(file, i as u32 + 1), count));
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
        // The .rampart.yaml a fixture runs with, and the markers written in it.
        let config_of = |file: &Path| -> (Config, Vec<Place>) {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let own = dir.join(format!("config-{stem}.yaml"));
            let shared = dir.join("config.yaml");
            let Some(path) = [own, shared].into_iter().find(|p| p.is_file()) else {
                return (Config::default(), Vec::new());
            };
            let path = path.display().to_string();
            let (config, errors) = rampart_load::config::load_config(&path);
            assert!(errors.is_empty(), "{path}: {errors:?}");
            let text = std::fs::read_to_string(&path).expect("config is readable");
            (config, expected_lines(&path, &text))
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
            let (config, config_marks) = config_of(file);
            let inventory = load(&[file.display().to_string()], &LoadOptions::default());
            if !inventory.errors.is_empty() {
                failures.push(format!(
                    "{}: input errors: {:?}",
                    file.display(),
                    inventory.errors
                ));
            }
            let mut got: Vec<Place> = run_on(&inventory, &config, today(), &[check])
                .iter()
                .map(|f| place(&f.location.file, f.location.line))
                .collect();
            got.sort();
            let mut want = if name(file).starts_with("fail") {
                let mut want = expected_lines(&file.display().to_string(), &text);
                want.extend(config_marks);
                want
            } else {
                Vec::new()
            };
            want.sort();
            if name(file).starts_with("fail") && want.is_empty() {
                failures.push(format!(
                    "{}: a fail fixture marks no `# expect` line (nor does its configuration)",
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
