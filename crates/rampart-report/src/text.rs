//! Human-readable output: grouped by area and resource, with a summary.

use std::fmt::Write;

use rayon::prelude::*;

use rampart_model::{Finding, Severity};

use crate::Report;

/// Options of the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (on when writing to a terminal and NO_COLOR is unset).
    pub color: bool,
    /// List skipped documents and other notes.
    pub verbose: bool,
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    /// [`Style::paint`] appended to `out`, without a temporary string.
    fn paint_into(&self, out: &mut String, code: &str, text: &str) {
        if self.on {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
        }
        out.push_str(text);
        if self.on {
            out.push_str("\x1b[0m");
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// A severity's color and its label, upper case and padded to 8 columns.
fn severity_style(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Critical => ("1;97;41", "CRITICAL"),
        Severity::High => ("1;31", "HIGH    "),
        Severity::Medium => ("33", "MEDIUM  "),
        Severity::Low => ("36", "LOW     "),
        Severity::Info => ("2", "INFO    "),
    }
}

/// Render the report for a terminal.
pub fn render_text(report: &Report<'_>, options: TextOptions) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and everything written is UTF-8.
    let _ = write_text(report, options, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render_text`], streamed to `out`: the findings are formatted in
/// parallel, a batch at a time, and written as they are ready.
pub fn write_text(
    report: &Report<'_>,
    options: TextOptions,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let style = Style { on: options.color };
    let mut out = String::new();
    let mut active: Vec<&Finding> = report.active().collect();
    // Group by area, then resource; most severe first within a resource.
    // Resources are ranked once, so the sort compares numbers.
    let mut resources: Vec<&rampart_model::ResourceRef> =
        active.iter().map(|f| &f.resource).collect();
    resources.par_sort_unstable();
    resources.dedup();
    active.par_sort_by_cached_key(|f| {
        (
            f.area,
            // A resource's rank is its place in the sorted list.
            resources.binary_search(&&f.resource).unwrap_or(usize::MAX),
            std::cmp::Reverse(f.severity),
            f.location.line,
            f.check,
        )
    });
    render_plan(&mut out, report, &style);
    sink.write_all(out.as_bytes())?;
    out.clear();
    // Findings in parallel chunks; each chunk knows the finding before it,
    // so headings come out exactly as in one pass.
    crate::write_in_parallel(sink, &active, 2048, |first, chunk| {
        let before = first.checked_sub(1).map(|i| active[i]);
        Ok(render_findings(chunk, before, &style).into_bytes())
    })?;

    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("== input errors =="));
        for e in report.errors {
            let line = if e.line > 0 {
                format!(":{}", e.line)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{} {}{line}: {}",
                style.paint("1;31", "error:"),
                e.file,
                e.message
            );
        }
    }
    if options.verbose && !report.notes.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("== notes =="));
        for n in report.notes {
            let _ = writeln!(out, "note: {}:{}: {}", n.file, n.line, n.message);
        }
    }

    let counts: Vec<String> = report
        .by_severity()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let total = active.len();
    let _ = writeln!(out);
    let headline = if total == 0 {
        "No findings".to_string()
    } else {
        format!("{total} finding{} ({})", plural(total), counts.join(", "))
    };
    let _ = writeln!(out, "{}", style.bold(&headline));
    let _ = writeln!(
        out,
        "Scanned {} object{} from {} file{} with {} checks in {:.2}s.",
        report.objects,
        plural(report.objects),
        report.files,
        plural(report.files),
        report.checks,
        report.duration.as_secs_f64()
    );
    let suppressed = report.suppressed();
    if suppressed > 0 {
        let _ = writeln!(
            out,
            "{suppressed} suppressed finding{} (listed in --format json).",
            plural(suppressed)
        );
    }
    if !report.notes.is_empty() && !options.verbose {
        let n = report.notes.len();
        let _ = writeln!(
            out,
            "{n} document{} skipped as not Kubernetes objects (--verbose lists them).",
            plural(n)
        );
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ = writeln!(
            out,
            "{n} input error{}: see above; the rest of the input was scanned.",
            plural(n)
        );
    }
    sink.write_all(out.as_bytes())
}

/// Findings sorted by area and resource, under headings for each; `before`
/// is the finding printed just before them, if any.
fn render_findings(findings: &[&Finding], before: Option<&Finding>, style: &Style) -> String {
    let mut out = String::with_capacity(findings.len() * 256);
    let mut current_area = before.map(|f| f.area);
    let mut current_resource = before.map(|f| &f.resource);
    for f in findings {
        if current_area != Some(f.area) {
            let _ = writeln!(out, "\n{}", style.bold(&format!("== {} ==", f.area.slug())));
            current_area = Some(f.area);
            current_resource = None;
        }
        if current_resource != Some(&f.resource) {
            let _ = writeln!(
                out,
                "\n{}  {}",
                style.bold(&f.resource.display()),
                style.dim(&f.location.file)
            );
            current_resource = Some(&f.resource);
        }
        // Written piece by piece: hundreds of thousands of findings.
        let (code, label) = severity_style(f.severity);
        out.push_str("  ");
        style.paint_into(&mut out, code, label);
        let _ = writeln!(out, " {}  {}", f.check, f.message);
        out.push_str("           ");
        if style.on {
            out.push_str("\x1b[2m");
        }
        out.push_str(&f.location.file);
        if f.location.line > 0 {
            let _ = write!(out, ":{}", f.location.line);
        }
        out.push_str("  ");
        out.push_str(&f.path);
        if style.on {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

/// "Fix first": the top of the plan, then the area scores.
fn render_plan(out: &mut String, report: &Report<'_>, style: &Style) {
    if !report.plan.is_empty() {
        let _ = writeln!(out, "{}", style.bold("== Fix first =="));
        for (i, a) in report.plan.iter().take(10).enumerate() {
            let _ = writeln!(out, "{:>3}. {}", i + 1, style.bold(&a.title));
            let closes = if a.findings.is_empty() {
                String::new()
            } else {
                format!(
                    "closes {} finding{} ({})",
                    a.findings.len(),
                    plural(a.findings.len()),
                    a.checks.join(", ")
                )
            };
            let paths = match (closes.is_empty(), a.paths_cut) {
                (_, 0) => String::new(),
                (true, n) => format!("cuts {n} attack path{}", plural(n)),
                (false, n) => format!(", cuts {n} attack path{}", plural(n)),
            };
            let _ = writeln!(
                out,
                "     {closes}{paths}; effort {:?}; risk removed {:.0}",
                a.effort, a.risk
            );
        }
        if report.plan.len() > 10 {
            let _ = writeln!(
                out,
                "     ... and {} more actions (--format json or markdown lists them all)",
                report.plan.len() - 10
            );
        }
    }
    if !report.scores.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("== Scores by area =="));
        for s in report.scores {
            match s.score {
                Some(score) => {
                    let bar = "#".repeat((score / 5) as usize);
                    let _ = writeln!(
                        out,
                        "  {:<13} {:>3}/100 {:<20} {} finding{}",
                        s.area.slug(),
                        score,
                        bar,
                        s.findings,
                        plural(s.findings)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  {:<13} not assessed: {}",
                        s.area.slug(),
                        s.hint.unwrap_or("")
                    );
                }
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
