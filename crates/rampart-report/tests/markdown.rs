//! Snapshots of the Markdown renderer (review changes with `cargo insta review`
//! or `INSTA_UPDATE=always cargo test -p rampart-report --test markdown`).

mod common;

use std::time::Duration;

use common::Fixture;
use rampart_model::Severity;
use rampart_report::{render_markdown, Report};

#[test]
fn full_report() {
    let fixture = Fixture::new();
    insta::assert_snapshot!(render_markdown(&fixture.report()));
}

#[test]
fn empty_report() {
    let report = Report {
        findings: &[],
        errors: &[],
        notes: &[],
        objects: 2,
        files: 1,
        checks: 120,
        duration: Duration::ZERO,
        fail_on: Severity::High,
        plan: &[],
        scores: &[],
        paths: &[],
    };
    insta::assert_snapshot!(render_markdown(&report));
}

#[test]
fn output_is_deterministic_and_ignores_duration() {
    let fixture = Fixture::new();
    let first = render_markdown(&fixture.report());
    let mut report = fixture.report();
    report.duration = Duration::from_secs(99);
    assert_eq!(first, render_markdown(&report));
}

#[test]
fn long_lists_are_capped() {
    let fixture = Fixture::new();
    let mut findings = Vec::new();
    for i in 0..250 {
        let mut f = fixture.findings[3].clone();
        f.location.line = i + 1;
        findings.push(f);
    }
    let mut plan = Vec::new();
    for i in 0..12 {
        let mut a = fixture.plan[0].clone();
        a.id = format!("a{i}");
        plan.push(a);
    }
    let mut paths = Vec::new();
    for _ in 0..7 {
        paths.push(fixture.paths[0].clone());
    }
    let report = Report {
        findings: &findings,
        plan: &plan,
        paths: &paths,
        ..fixture.report()
    };
    let md = render_markdown(&report);
    let rows = md.lines().filter(|l| l.starts_with("| low |")).count();
    assert_eq!(rows, 200);
    assert!(md.contains("… and 50 more findings"), "{md}");
    assert!(md.contains("… and 2 more actions"), "{md}");
    assert!(md.contains("… and 2 more attack paths"), "{md}");
    assert!(md.contains("\n10. **"), "{md}");
    assert!(!md.contains("\n11. **"), "{md}");
}

#[test]
fn table_cells_never_split() {
    let fixture = Fixture::new();
    let md = render_markdown(&fixture.report());
    // Every row of the findings table has exactly five cells.
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| Severity |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 2 + 4, "{md}");
    for row in table {
        let unescaped = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && (i == 0 || row.as_bytes()[i - 1] != b'\\'))
            .count();
        assert_eq!(unescaped, 6, "{row}");
    }
    assert!(!md.contains("<script>"), "{md}");
}
