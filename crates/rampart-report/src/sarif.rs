//! SARIF 2.1.0 output for code-scanning tools.

use std::collections::BTreeMap;

use rampart_model::Severity;
use serde_json::{json, Value};

use crate::Report;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF `level` for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0.0–10.0, CVSS-like bands).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// Percent-encode a file path into a relative URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Render the report as a SARIF 2.1.0 log with one run.
pub fn render_sarif(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes UTF-8.
    let _ = write_sarif(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// One SARIF result.
fn result(f: &rampart_model::Finding, rule_index: &BTreeMap<&str, usize>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri(&f.location.file)}});
    if f.location.line > 0 {
        physical["region"] = json!({"startLine": f.location.line});
    }
    let r = &f.resource;
    let qualified = match &r.namespace {
        Some(ns) => format!("{}/{}/{}", r.kind, ns, r.name),
        None => format!("{}/{}", r.kind, r.name),
    };
    let mut result = json!({
        "ruleId": f.check,
        "ruleIndex": rule_index.get(f.check).copied().unwrap_or(0),
        "level": level(f.severity),
        "message": {"text": format!("{}: {}", r.display(), f.message)},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": qualified, "kind": "resource"}],
        }],
        "partialFingerprints": {
            "rampart/v1": format!("{}|{}|{}|{}", f.check, qualified, f.container.as_deref().unwrap_or(""), f.path),
        },
        "properties": {"area": f.area.slug(), "path": f.path},
    });
    if let Some(s) = &f.suppressed {
        result["suppressions"] = json!([{"kind": "external", "justification": s.reason}]);
    }
    result
}

/// Write the report as SARIF (the same bytes as [`render_sarif`]), the
/// results serialized in parallel and streamed to `out`.
pub fn write_sarif(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Rules: every check that produced a finding, in id order.
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    for f in report.findings {
        let next = rule_index.len();
        rule_index.entry(f.check).or_insert(next);
    }
    let mut rules: Vec<(usize, Value)> = rule_index
        .iter()
        .filter_map(|(id, &i)| rampart_checks::find(id).map(|c| (i, c)))
        .map(|(i, c)| {
            let m = &c.meta;
            let mut tags = vec![json!("security"), json!(m.area.slug())];
            if let Some(pss) = m.pss {
                tags.push(json!(format!("pss-{}", pss.level.as_str())));
            }
            let rule = json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.rationale},
                "help": {
                    "text": m.remediation,
                    "markdown": format!("{}\n\n**Fix:** {}", m.rationale, m.remediation),
                },
                "helpUri": m.references.first().copied().unwrap_or("https://kubernetes.io/docs/concepts/security/"),
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {
                    "tags": tags,
                    "security-severity": security_severity(m.severity),
                    "precision": "high",
                },
            });
            (i, rule)
        })
        .collect();
    rules.sort_by_key(|(i, _)| *i);
    let rules: Vec<Value> = rules.into_iter().map(|(_, r)| r).collect();

    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut physical = json!({"artifactLocation": {"uri": uri(&e.file)}});
            if e.line > 0 {
                physical["region"] = json!({"startLine": e.line});
            }
            json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rampart",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://kubernetes.io/docs/concepts/security/",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": [],
        }],
    });
    // Everything but the results, which are the run's last member: write
    // what comes before them, stream them, then the closing brackets.
    let text = serde_json::to_vec_pretty(&log)?;
    let placeholder: &[u8] = b"\"results\": []";
    let at = text
        .windows(placeholder.len())
        .rposition(|w| w == placeholder)
        .map_or(text.len(), |i| i + placeholder.len() - 2);
    out.write_all(&text[..at])?;
    crate::json::write_array(out, 3, report.findings, |f| result(f, &rule_index))?;
    out.write_all(&text[(at + 2).min(text.len())..])?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(super::uri("a b/c(1).yaml"), "a%20b/c%281%29.yaml");
    }
}
