//! Renderers: the only place that turns results into text.
//!
//! Every format renders the same [`Report`]: text for people, JSON for
//! scripts (schema in `docs/output.md`), SARIF 2.1.0 for code scanning,
//! Markdown for pull-request comments and a self-contained HTML page.

mod html;
mod json;
mod markdown;
pub mod network;
pub mod paths;
pub mod rbac;
mod sarif;
mod text;

use std::time::Duration;

use rampart_model::{Finding, InputError, Note, Severity};

pub use html::render_html;
pub use json::{render_json, write_json};
pub use markdown::render_markdown;
pub use sarif::{render_sarif, write_sarif};
pub use text::{render_text, write_text, TextOptions};

/// The results of one scan, ready to render.
#[derive(Debug)]
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub errors: &'a [InputError],
    pub notes: &'a [Note],
    pub objects: usize,
    pub files: usize,
    pub checks: usize,
    pub duration: Duration,
    pub fail_on: Severity,
    /// Ranked remediation actions.
    pub plan: &'a [rampart_plan::Action],
    /// Score of every area.
    pub scores: &'a [rampart_plan::AreaScore],
    /// Attack paths, most dangerous first (empty when not computed).
    pub paths: &'a [rampart_paths::AttackPath],
}

impl Report<'_> {
    /// Findings that count (not suppressed).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count()
    }

    /// Number of active findings of each severity, most severe first.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| (s, self.active().filter(|f| f.severity == s).count()))
            .collect()
    }

    /// Whether any active finding is at or above `fail_on`.
    pub fn failed(&self) -> bool {
        self.active().any(|f| f.severity >= self.fail_on)
    }
}

/// Write `items` formatted in parallel: tasks of `task` items, 16 tasks at a
/// time, each batch's parts written in order as soon as it is done (a large
/// report is never held whole). `format(first, chunk)` gets the position in
/// `items` of the chunk's first item.
pub(crate) fn write_in_parallel<'a, T: Sync>(
    out: &mut dyn std::io::Write,
    items: &'a [T],
    task: usize,
    format: impl Fn(usize, &'a [T]) -> std::io::Result<Vec<u8>> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    for (b, batch) in items.chunks(16 * task).enumerate() {
        let parts: Vec<std::io::Result<Vec<u8>>> = batch
            .par_chunks(task)
            .enumerate()
            .map(|(i, chunk)| format(b * 16 * task + i * task, chunk))
            .collect();
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    Ok(())
}

/// The metadata of a finding's check (every finding comes from the registry).
pub(crate) fn meta(finding: &Finding) -> Option<&'static rampart_checks::CheckMeta> {
    rampart_checks::find(finding.check).map(|c| &c.meta)
}
