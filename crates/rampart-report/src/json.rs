//! JSON output; the schema is documented in docs/output.md.

use std::collections::BTreeMap;

use rampart_model::{
    Area, Finding, InputError, Location, Note, PssRef, ResourceRef, Severity, Suppression,
};
use serde::Serialize;

use crate::{meta, Report};

#[derive(Serialize)]
struct Doc<'a> {
    version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    errors: &'a [InputError],
    notes: &'a [Note],
    plan: &'a [rampart_plan::Action],
    scores: &'a [rampart_plan::AreaScore],
    summary: Summary,
}

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
    let doc = Doc {
        version: env!("CARGO_PKG_VERSION"),
        findings: report.findings.iter().map(finding).collect(),
        errors: report.errors,
        notes: report.notes,
        plan: report.plan,
        scores: report.scores,
        summary: Summary {
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
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
