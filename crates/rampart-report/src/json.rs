//! JSON output; the schema is documented in docs/output.md.

use serde_json::{json, Map, Value};

use crate::{meta, Report};

/// Render the report as pretty-printed JSON.
pub fn render_json(report: &Report<'_>) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let m = meta(f);
            let mut o = Map::new();
            o.insert("check".into(), json!(f.check));
            o.insert("title".into(), json!(m.map_or("", |m| m.title)));
            o.insert("severity".into(), json!(f.severity));
            o.insert("area".into(), json!(f.area));
            o.insert("resource".into(), json!(f.resource));
            if let Some(c) = &f.container {
                o.insert("container".into(), json!(c));
            }
            o.insert("path".into(), json!(f.path));
            o.insert("location".into(), json!(f.location));
            o.insert("message".into(), json!(f.message));
            o.insert("remediation".into(), json!(m.map_or("", |m| m.remediation)));
            o.insert(
                "references".into(),
                json!(m.map_or(&[][..], |m| m.references)),
            );
            if let Some(pss) = f.pss {
                o.insert("pss".into(), json!(pss));
            }
            if let Some(s) = &f.suppressed {
                o.insert("suppressed".into(), json!(s));
            }
            Value::Object(o)
        })
        .collect();
    let by_severity: Map<String, Value> = report
        .by_severity()
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), json!(n)))
        .collect();
    let doc = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": findings,
        "errors": report.errors,
        "notes": report.notes,
        "summary": {
            "findings": report.active().count(),
            "suppressed": report.suppressed(),
            "bySeverity": by_severity,
            "objects": report.objects,
            "files": report.files,
            "checks": report.checks,
            "errors": report.errors.len(),
            "failOn": report.fail_on,
            "failed": report.failed(),
            "durationMs": report.duration.as_millis() as u64,
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
