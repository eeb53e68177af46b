//! Rule documentation generated from the registry (`docs/rules/`).

use std::fmt::Write;

use crate::{Check, REGISTRY};

/// The Markdown page of one check.
pub fn rule_page(check: &Check) -> String {
    let m = &check.meta;
    let mut s = String::new();
    let _ = writeln!(s, "# {}: {}\n", m.id, m.title);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Area | `{}` |", m.area);
    let _ = writeln!(s, "| Severity | {} |", m.severity);
    if let Some(pss) = m.pss {
        let _ = writeln!(
            s,
            "| Pod Security Standards | {} level, control \"{}\" |",
            pss.level.as_str(),
            pss.control
        );
    }
    let _ = writeln!(s, "\n## Why it matters\n\n{}\n", m.rationale);
    let _ = writeln!(s, "## How to fix\n\n{}\n", m.remediation);
    if !m.references.is_empty() {
        let _ = writeln!(s, "## References\n");
        for r in m.references {
            let _ = writeln!(s, "- <{r}>");
        }
        s.push('\n');
    }
    let _ = writeln!(s, "---\nGenerated from the check registry by `rampart checks --write-docs docs/rules`; do not edit.");
    s
}

/// The index page listing every check.
pub fn index_page() -> String {
    let mut s = String::from("# Checks\n\n| Id | Title | Area | Severity | Pod Security Standards |\n|---|---|---|---|---|\n");
    for check in REGISTRY {
        let m = &check.meta;
        let pss = m
            .pss
            .map(|p| format!("{} / {}", p.level.as_str(), p.control))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "| [{}]({}.md) | {} | `{}` | {} | {} |",
            m.id, m.id, m.title, m.area, m.severity, pss
        );
    }
    s.push_str("\nGenerated from the check registry by `rampart checks --write-docs docs/rules`; do not edit.\n");
    s
}

/// Every generated file: (file name, content).
pub fn all_pages() -> Vec<(String, String)> {
    let mut pages = vec![("README.md".to_string(), index_page())];
    pages.extend(
        REGISTRY
            .iter()
            .map(|c| (format!("{}.md", c.meta.id), rule_page(c))),
    );
    pages
}
