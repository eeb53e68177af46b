//! Markdown output for pull-request comments (GitHub-flavoured tables and
//! `<details>` blocks). The output holds no durations or dates, so the same
//! scan always gives the same comment.

use std::fmt::Write;

use rampart_model::Finding;

use crate::Report;

/// Actions listed under "Fix first".
const PLAN_LIMIT: usize = 10;
/// Attack paths listed.
const PATH_LIMIT: usize = 5;
/// Rows of the findings table.
const FINDING_LIMIT: usize = 200;
/// Characters the whole comment may reach before the findings table stops:
/// GitHub refuses comments above 65,536 characters, and the errors section
/// still follows.
const CHARACTER_BUDGET: usize = 56_000;

/// Render the report as Markdown, for a pull-request comment.
pub fn render_markdown(report: &Report<'_>) -> String {
    let mut out = String::new();
    title(&mut out, report);
    plan(&mut out, report);
    scores(&mut out, report);
    paths(&mut out, report);
    findings(&mut out, report);
    errors(&mut out, report);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn title(out: &mut String, report: &Report<'_>) {
    let total = report.active().count();
    if total == 0 {
        let _ = writeln!(out, "## rampart: no findings");
    } else {
        let counts: Vec<String> = report
            .by_severity()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        let _ = writeln!(
            out,
            "## rampart: {total} finding{} ({})",
            plural(total),
            counts.join(", ")
        );
    }
    let _ = writeln!(out);
    let verdict = if report.failed() {
        format!(
            "**Fails**: findings at or above `{}`.",
            report.fail_on.as_str()
        )
    } else {
        format!("Passes: nothing at or above `{}`.", report.fail_on.as_str())
    };
    let _ = write!(
        out,
        "Scanned {} object{} from {} file{} with {} check{}. {verdict}",
        report.objects,
        plural(report.objects),
        report.files,
        plural(report.files),
        report.checks,
        plural(report.checks),
    );
    let suppressed = report.suppressed();
    if suppressed > 0 {
        let _ = write!(
            out,
            " {suppressed} suppressed finding{} not counted.",
            plural(suppressed)
        );
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ = write!(
            out,
            " {n} input error{} (see [Input errors](#input-errors)).",
            plural(n)
        );
    }
    let _ = writeln!(out);
}

fn plan(out: &mut String, report: &Report<'_>) {
    if report.plan.is_empty() {
        return;
    }
    heading(out, "Fix first");
    for (i, a) in report.plan.iter().take(PLAN_LIMIT).enumerate() {
        let n = a.findings.len();
        let checks: Vec<String> = a.checks.iter().map(|c| code(c)).collect();
        let mut facts = Vec::new();
        if n > 0 {
            facts.push(format!(
                "closes {n} finding{} ({})",
                plural(n),
                checks.join(", ")
            ));
        }
        if a.paths_cut > 0 {
            facts.push(format!(
                "cuts {} attack path{}",
                a.paths_cut,
                plural(a.paths_cut)
            ));
        }
        facts.push(format!(
            "effort {} ({})",
            effort(a.effort),
            text(a.effort_rule)
        ));
        facts.push(format!("risk removed {:.0}", a.risk));
        let line = facts.join("; ");
        // Continuation lines are indented by four spaces, which keeps them
        // inside the list item for markers up to "10. ".
        let _ = writeln!(out, "{}. **{}**", i + 1, text(&a.title));
        let _ = writeln!(out);
        let _ = writeln!(out, "    {line}");
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "    <details><summary>Fix ({})</summary>",
            html(a.fix_language)
        );
        let _ = writeln!(out);
        let fence = fence(&a.fix);
        let _ = writeln!(out, "    {fence}{}", a.fix_language);
        for l in a.fix.trim_end_matches('\n').lines() {
            if l.is_empty() {
                let _ = writeln!(out);
            } else {
                let _ = writeln!(out, "    {l}");
            }
        }
        let _ = writeln!(out, "    {fence}");
        let _ = writeln!(out);
        let _ = writeln!(out, "    </details>");
        let _ = writeln!(out);
    }
    if report.plan.len() > PLAN_LIMIT {
        let more = report.plan.len() - PLAN_LIMIT;
        let _ = writeln!(
            out,
            "… and {more} more action{} (`--format json` or `--format html` lists them).",
            plural(more)
        );
    }
}

fn scores(out: &mut String, report: &Report<'_>) {
    if report.scores.is_empty() {
        return;
    }
    heading(out, "Scores");
    let _ = writeln!(out, "| Area | Score | Findings | Hint |");
    let _ = writeln!(out, "|---|---|---:|---|");
    for s in report.scores {
        let score = match s.score {
            Some(v) => format!("{v}/100"),
            None => "not assessed".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {score} | {} | {} |",
            s.area.slug(),
            s.findings,
            cell(s.hint.unwrap_or(""))
        );
    }
}

fn paths(out: &mut String, report: &Report<'_>) {
    if report.paths.is_empty() {
        return;
    }
    heading(out, "Attack paths");
    for (i, p) in report.paths.iter().take(PATH_LIMIT).enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}** from {} ({}), likelihood {:.0}%",
            i + 1,
            p.target.slug(),
            code(&p.entry.display()),
            text(&p.entry_reason),
            p.likelihood * 100.0
        );
        for (j, s) in p.steps.iter().enumerate() {
            let mut line = format!(
                "{}. {} → {}: {} (`{}` {})",
                j + 1,
                code(&s.from),
                code(&s.to),
                text(&s.action),
                s.technique.id,
                text(s.technique.name)
            );
            let mut evidence = Vec::new();
            if !s.evidence.detail.is_empty() {
                evidence.push(code(&s.evidence.detail));
            }
            if let Some(l) = &s.evidence.location {
                evidence.push(format!("at {}", code(&location(&l.file, l.line))));
            }
            if !evidence.is_empty() {
                let _ = write!(line, "; evidence {}", evidence.join(" "));
            }
            if let Some(a) = &s.assumption {
                let _ = write!(line, "; assumes {}", text(a));
            }
            let _ = writeln!(out, "    {line}");
        }
        if !p.cut_by.is_empty() {
            let cuts: Vec<String> = p.cut_by.iter().map(|c| code(c)).collect();
            let _ = writeln!(out, "\n    Cut by {}.", cuts.join(", "));
        }
        let _ = writeln!(out);
    }
    if report.paths.len() > PATH_LIMIT {
        let more = report.paths.len() - PATH_LIMIT;
        let _ = writeln!(
            out,
            "… and {more} more attack path{} (`--format html` shows them).",
            plural(more)
        );
    }
}

fn findings(out: &mut String, report: &Report<'_>) {
    let mut active: Vec<&Finding> = report.active().collect();
    if active.is_empty() {
        return;
    }
    active.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    heading(out, "Findings");
    let _ = writeln!(out, "| Severity | Check | Resource | Location | Message |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    let mut shown = 0usize;
    for f in active.iter().take(FINDING_LIMIT) {
        if out.len() > CHARACTER_BUDGET {
            break;
        }
        shown += 1;
        let mut message = cell(&f.message);
        if let Some(c) = &f.container {
            let _ = write!(message, " (container {})", code(c));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {message} |",
            f.severity,
            code(f.check),
            code(&f.resource.display()),
            code(&location(&f.location.file, f.location.line)),
        );
    }
    if active.len() > shown {
        let more = active.len() - shown;
        let _ = writeln!(
            out,
            "\n… and {more} more finding{} (`--format json` lists them all).",
            plural(more)
        );
    }
    let suppressed = report.suppressed();
    if suppressed > 0 {
        let _ = writeln!(
            out,
            "\n{suppressed} suppressed finding{} not shown (`--format json` lists them with their reasons).",
            plural(suppressed)
        );
    }
}

fn errors(out: &mut String, report: &Report<'_>) {
    if report.errors.is_empty() {
        return;
    }
    heading(out, "Input errors");
    for e in report.errors {
        let _ = writeln!(
            out,
            "- {}: {}",
            code(&location(&e.file, e.line)),
            text(&e.message)
        );
    }
    let _ = writeln!(out, "\nThe rest of the input was scanned.");
}

/// A section heading, after exactly one blank line.
fn heading(out: &mut String, title: &str) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    let _ = writeln!(out, "\n### {title}\n");
}

fn location(file: &str, line: u32) -> String {
    if line > 0 {
        format!("{file}:{line}")
    } else {
        file.to_string()
    }
}

fn effort(e: rampart_plan::Effort) -> &'static str {
    match e {
        rampart_plan::Effort::Low => "low",
        rampart_plan::Effort::Medium => "medium",
        rampart_plan::Effort::High => "high",
    }
}

/// Inline text: Markdown and HTML metacharacters escaped, on one line.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell: like [`text`], but line breaks are kept as `<br>`.
fn cell(s: &str) -> String {
    s.trim_end()
        .lines()
        .map(text)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A code span that survives tables: backticks inside lengthen the
/// delimiter, `|` is escaped (GitHub splits cells before parsing spans) and
/// line breaks become spaces.
fn code(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let s = s.replace('|', "\\|");
    let ticks = "`".repeat(longest_run(&s, '`') + 1);
    if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        format!("{ticks} {s} {ticks}")
    } else {
        format!("{ticks}{s}{ticks}")
    }
}

/// A code fence longer than any backtick run in `s`.
fn fence(s: &str) -> String {
    "`".repeat((longest_run(s, '`') + 1).max(3))
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(cell("<script>"), "\\<script\\>");
        assert_eq!(code("x|y"), "`x\\|y`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("````"), "`````");
    }
}
