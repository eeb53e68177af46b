//! JSON output; the schema is documented in docs/output.md.

use std::collections::BTreeMap;

use rampart_model::{Area, Finding, Location, PssRef, ResourceRef, Severity, Suppression};
use std::io::Write;

use serde::Serialize;

use crate::{meta, Report};

#[derive(Serialize)]
struct JsonFinding<'a> {
    check: &'a str,
    title: &'static str,
    severity: Severity,
    area: Area,
    resource: &'a ResourceRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<&'a str>,
    path: &'a str,
    location: &'a Location,
    message: &'a str,
    remediation: &'static str,
    references: &'static [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    pss: Option<PssRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    findings: usize,
    suppressed: usize,
    by_severity: BTreeMap<&'static str, usize>,
    objects: usize,
    files: usize,
    checks: usize,
    errors: usize,
    fail_on: Severity,
    failed: bool,
    duration_ms: u64,
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    let m = meta(f);
    JsonFinding {
        check: f.check,
        title: m.map_or("", |m| m.title),
        severity: f.severity,
        area: f.area,
        resource: &f.resource,
        container: f.container.as_deref(),
        path: &f.path,
        location: &f.location,
        message: &f.message,
        remediation: m.map_or("", |m| m.remediation),
        references: m.map_or(&[], |m| m.references),
        pss: f.pss,
        suppressed: f.suppressed.as_ref(),
    }
}

/// Render the report as pretty-printed JSON.
pub fn render_json(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes UTF-8.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Items serialized per parallel task (see [`crate::write_in_parallel`]).
const TASK: usize = 1024;

/// Write the report as pretty-printed JSON (the same bytes as
/// [`render_json`]), serializing the findings in parallel and streaming them
/// to `out`.
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let summary = Summary {
        findings: report.active().count(),
        suppressed: report.suppressed(),
        by_severity: report
            .by_severity()
            .into_iter()
            .map(|(s, n)| (s.as_str(), n))
            .collect(),
        objects: report.objects,
        files: report.files,
        checks: report.checks,
        errors: report.errors.len(),
        fail_on: report.fail_on,
        failed: report.failed(),
        duration_ms: report.duration.as_millis() as u64,
    };
    write!(
        out,
        "{{\n  \"version\": \"{}\",\n  \"findings\": ",
        env!("CARGO_PKG_VERSION")
    )?;
    write_array(out, 1, report.findings, finding)?;
    out.write_all(b",\n  \"errors\": ")?;
    write_value(out, report.errors)?;
    out.write_all(b",\n  \"notes\": ")?;
    write_value(out, report.notes)?;
    out.write_all(b",\n  \"plan\": ")?;
    write_array(out, 1, report.plan, |a| a)?;
    out.write_all(b",\n  \"scores\": ")?;
    write_value(out, report.scores)?;
    out.write_all(b",\n  \"summary\": ")?;
    write_value(out, &summary)?;
    out.write_all(b"\n}\n")
}

/// A value of the top-level object, pretty-printed at depth 1.
pub(crate) fn write_value<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut buf,
        Indented::at(1),
    ))?;
    out.write_all(&buf)
}

/// An array nested `depth` levels deep, pretty-printed: its items are
/// serialized in parallel, a batch at a time, and streamed to `out`.
pub(crate) fn write_array<'a, T: Sync, S: Serialize>(
    out: &mut dyn Write,
    depth: usize,
    items: &'a [T],
    view: impl Fn(&'a T) -> S + Sync,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let item_indent = format!("\n{}", "  ".repeat(depth + 1));
    out.write_all(b"[")?;
    crate::write_in_parallel(out, items, TASK, |first, chunk| {
        let mut buf = Vec::with_capacity(chunk.len() * 512);
        for (k, item) in chunk.iter().enumerate() {
            if first + k > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(item_indent.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, Indented::at(depth + 1));
            view(item).serialize(&mut ser)?;
        }
        Ok(buf)
    })?;
    write!(out, "\n{}]", "  ".repeat(depth))
}

/// serde_json's pretty layout (two-space indent, `": "`), starting at a
/// given depth, for values nested in a document written piecewise.
pub(crate) struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    pub(crate) fn at(depth: usize) -> Self {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::{
        Area, Finding, InputError, Location, Note, PssLevel, ResourceRef, Severity, Suppression,
    };

    /// The document as one value, serialized the ordinary way.
    #[derive(Serialize)]
    struct Whole<'a> {
        version: &'static str,
        findings: Vec<JsonFinding<'a>>,
        errors: &'a [InputError],
        notes: &'a [Note],
        plan: &'a [rampart_plan::Action],
        scores: &'a [rampart_plan::AreaScore],
        summary: Summary,
    }

    fn findings(n: usize) -> Vec<Finding> {
        (0..n)
            .map(|i| Finding {
                check: if i % 2 == 0 {
                    "pss-privileged"
                } else {
                    "image-latest-tag"
                },
                severity: Severity::High,
                area: Area::Workload,
                resource: ResourceRef {
                    api_version: "apps/v1".into(),
                    kind: "Deployment".into(),
                    namespace: (i % 3 != 0).then(|| format!("ns-{i}")),
                    name: format!("app-\"{i}\"\n"),
                },
                container: (i % 5 == 0).then(|| "main".to_string()),
                path: "spec.template.spec.containers[0]".into(),
                location: Location {
                    file: "a.yaml".into(),
                    line: i as u32,
                },
                message: format!("finding {i} with ünïcode and a \\ backslash"),
                pss: (i % 2 == 0).then_some(rampart_model::PssRef {
                    level: PssLevel::Baseline,
                    control: "Privileged Containers",
                }),
                suppressed: (i % 7 == 0).then(|| Suppression {
                    by: "waiver",
                    reason: "accepted".into(),
                }),
            })
            .collect()
    }

    #[test]
    fn streamed_json_is_the_pretty_printed_document() {
        // Sizes around the task and batch boundaries, and none at all.
        for n in [0, 1, TASK - 1, TASK, TASK + 1, 3 * TASK + 7, 64 * TASK + 5] {
            let found = findings(n);
            let inventory = rampart_model::Inventory::default();
            let plan = rampart_plan::plan(&found, &inventory, &Default::default());
            let scores = rampart_plan::area_scores(&found, &inventory, true, true);
            let errors = vec![InputError {
                file: "b.yaml".into(),
                line: 3,
                message: "bad \"input\"".into(),
            }];
            let notes = vec![Note {
                file: "c.yaml".into(),
                line: 1,
                message: "a note".into(),
            }];
            let report = Report {
                findings: &found,
                errors: &errors,
                notes: &notes,
                objects: n,
                files: 1,
                checks: 2,
                duration: std::time::Duration::from_millis(5),
                fail_on: Severity::High,
                plan: &plan,
                scores: &scores,
                paths: &[],
            };
            let streamed = render_json(&report);
            let whole = Whole {
                version: env!("CARGO_PKG_VERSION"),
                findings: found.iter().map(finding).collect(),
                errors: &errors,
                notes: &notes,
                plan: &plan,
                scores: &scores,
                summary: Summary {
                    findings: report.active().count(),
                    suppressed: report.suppressed(),
                    by_severity: report
                        .by_severity()
                        .into_iter()
                        .map(|(s, n)| (s.as_str(), n))
                        .collect(),
                    objects: n,
                    files: 1,
                    checks: 2,
                    errors: 1,
                    fail_on: Severity::High,
                    failed: report.failed(),
                    duration_ms: 5,
                },
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert!(
                streamed == expected,
                "{n} findings: the streamed document differs"
            );
        }
    }
}
