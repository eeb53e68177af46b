//! Output of the RBAC queries: `who-can` and `access`.

use std::fmt::Write;

use rampart_rbac::{Binding, Grant, Role, Rule, Subject};
use serde_json::{json, Value};

/// What was asked, for the header and the JSON `query`.
#[derive(Debug, Clone)]
pub struct WhoCanQuery {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: Option<String>,
    pub name: Option<String>,
    /// `None`: cluster-scoped; `Some("*")`: any namespace.
    pub namespace: Option<String>,
    pub url: Option<String>,
}

fn location(binding: &Binding) -> Value {
    match &binding.origin {
        Some(o) => json!({"file": o.file, "line": o.line}),
        None => Value::Null,
    }
}

fn scope(binding: &Binding) -> String {
    binding
        .scope()
        .map_or("cluster".to_string(), str::to_string)
}

fn where_from(binding: &Binding) -> String {
    match &binding.origin {
        Some(o) => format!("{}:{}", o.file, o.line),
        None => "built in".to_string(),
    }
}

fn role_line(role: &Role, rule: &Rule) -> String {
    match &role.origin {
        Some(o) => format!(
            "{}:{}",
            o.file,
            if rule.line > 0 { rule.line } else { o.line }
        ),
        None => "built in".to_string(),
    }
}

fn describe_query(q: &WhoCanQuery) -> String {
    if let Some(url) = &q.url {
        return format!("{} {url}", q.verb);
    }
    let res = match &q.subresource {
        Some(sub) => format!("{}/{sub}", q.resource),
        None => q.resource.clone(),
    };
    let group = if q.group.is_empty() {
        String::new()
    } else {
        format!(".{}", q.group)
    };
    let name = q
        .name
        .as_deref()
        .map(|n| format!(" named {n}"))
        .unwrap_or_default();
    let ns = match q.namespace.as_deref() {
        None => " (cluster-scoped)".to_string(),
        Some("*") => " in any namespace".to_string(),
        Some(ns) => format!(" in namespace {ns}"),
    };
    format!("{} {res}{group}{name}{ns}", q.verb)
}

/// `who-can` as text.
pub fn who_can_text(q: &WhoCanQuery, grants: &[Grant<'_>]) -> String {
    let mut out = format!("Who can {}:\n", describe_query(q));
    if grants.is_empty() {
        out.push_str(
            "  nobody in the input (beyond subjects the API server authorizes without RBAC)\n",
        );
        return out;
    }
    for g in grants {
        let scope = match g.binding.scope() {
            None => "cluster-wide".to_string(),
            Some(ns) => format!("in {ns}"),
        };
        let _ = writeln!(
            out,
            "  {:<48} {:<16} via {} {} -> {} {} ({}; rule at {})",
            g.subject.display(),
            scope,
            g.binding.id.kind,
            g.binding.id.name,
            g.role.id.kind,
            g.role.id.name,
            where_from(g.binding),
            role_line(g.role, g.rule),
        );
    }
    let _ = writeln!(
        out,
        "{} grant{}",
        grants.len(),
        if grants.len() == 1 { "" } else { "s" }
    );
    out
}

/// `who-can` as JSON: the query, and one entry per (subject, binding).
pub fn who_can_json(q: &WhoCanQuery, grants: &[Grant<'_>]) -> String {
    let grants: Vec<Value> = grants
        .iter()
        .map(|g| {
            json!({
                "subject": g.subject,
                "scope": scope(g.binding),
                "binding": g.binding.id,
                "role": g.role.id,
                "location": location(g.binding),
                "ruleLine": g.rule.line,
            })
        })
        .collect();
    let doc = json!({
        "query": {
            "verb": q.verb, "group": q.group, "resource": q.resource, "subresource": q.subresource,
            "name": q.name, "namespace": q.namespace, "nonResourceURL": q.url,
        },
        "grants": grants,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn rule_json(r: &Rule) -> Value {
    let mut o = json!({"verbs": r.verbs});
    if !r.non_resource_urls.is_empty() {
        o["nonResourceURLs"] = json!(r.non_resource_urls);
    } else {
        o["apiGroups"] = json!(r.api_groups);
        o["resources"] = json!(r.resources);
    }
    if !r.resource_names.is_empty() {
        o["resourceNames"] = json!(r.resource_names);
    }
    o
}

fn rule_text(r: &Rule) -> String {
    let what = if !r.non_resource_urls.is_empty() {
        r.non_resource_urls.join(", ")
    } else {
        let groups: Vec<&str> = r
            .api_groups
            .iter()
            .map(|g| if g.is_empty() { "core" } else { g.as_str() })
            .collect();
        format!("{} [{}]", r.resources.join(", "), groups.join(", "))
    };
    let names = if r.resource_names.is_empty() {
        String::new()
    } else {
        format!(" named {}", r.resource_names.join(", "))
    };
    format!("{:<32} {what}{names}", r.verbs.join(", "))
}

/// `access` as text: every binding that applies to the subject, with its rules.
pub fn access_text(subject: &Subject, bindings: &[(&Subject, &Binding, Option<&Role>)]) -> String {
    let mut out = format!("Effective permissions of {}:\n", subject.display());
    if bindings.is_empty() {
        out.push_str("  none in the input\n");
    }
    for (via, b, role) in bindings {
        let scope = match b.scope() {
            None => "cluster-wide".to_string(),
            Some(ns) => format!("in namespace {ns}"),
        };
        let via = if *via == subject {
            String::new()
        } else {
            format!(" (as {})", via.display())
        };
        let _ = writeln!(
            out,
            "\n  {scope} via {} {} -> {} {}{via} ({})",
            b.id.kind,
            b.id.name,
            b.role_kind,
            b.role_name,
            where_from(b)
        );
        match role {
            Some(role) => {
                for r in &role.rules {
                    // Non-resource rules only apply through ClusterRoleBindings.
                    if !r.non_resource_urls.is_empty() && !b.cluster {
                        continue;
                    }
                    let _ = writeln!(out, "    {}", rule_text(r));
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "    ({} {} is not defined in the input: it grants nothing)",
                    b.role_kind, b.role_name
                );
            }
        }
    }
    out
}

/// `access` as JSON.
pub fn access_json(subject: &Subject, bindings: &[(&Subject, &Binding, Option<&Role>)]) -> String {
    let grants: Vec<Value> = bindings
        .iter()
        .map(|(via, b, role)| {
            json!({
                "as": via,
                "scope": scope(b),
                "binding": b.id,
                "location": location(b),
                "role": role.map(|r| json!(r.id)).unwrap_or_else(|| json!({"kind": b.role_kind, "name": b.role_name, "missing": true})),
                "rules": role.map(|r| r.rules.iter().filter(|x| x.non_resource_urls.is_empty() || b.cluster).map(rule_json).collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({"subject": subject, "grants": grants})).unwrap_or_default()
        + "\n"
}
