//! Suppression: disabled checks, waivers and per-object annotations.
//!
//! Suppressed findings are kept and marked, never dropped, so JSON consumers
//! and auditors still see them.

use std::collections::HashMap;

use rampart_model::{Config, Date, Finding, InputError, Inventory, Node, ResourceRef, Suppression};

use crate::REGISTRY;

/// The annotation that suppresses checks on one object:
/// `rampart.dev/suppress: "check-a,check-b: why this is acceptable"`.
pub const ANNOTATION: &str = "rampart.dev/suppress";

/// Configuration problems that need the registry: unknown check ids.
pub fn validate(config: &Config) -> Vec<InputError> {
    let file = config.file.clone().unwrap_or_else(|| "<config>".into());
    let known = |id: &str| REGISTRY.iter().any(|c| c.meta.id == id);
    let mut errors = Vec::new();
    for id in &config.disable {
        if !known(id) {
            errors.push(InputError {
                file: file.clone(),
                line: 1,
                message: format!(
                    "`disable` names unknown check `{id}` (`rampart checks` lists them)"
                ),
            });
        }
    }
    for w in &config.waivers {
        if !known(&w.check) {
            errors.push(InputError {
                file: w.file.clone(),
                line: w.line,
                message: format!("waiver names unknown check `{}`", w.check),
            });
        }
    }
    errors
}

/// Mark suppressed findings. Returns annotation problems as input errors.
pub fn apply(
    findings: &mut [Finding],
    inventory: &Inventory,
    config: &Config,
    today: Date,
) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut by_object: HashMap<&ResourceRef, Vec<(String, String)>> = HashMap::new();
    for object in &inventory.objects {
        let Some(value) = object.annotations().get(ANNOTATION) else {
            continue;
        };
        match parse_annotation(value) {
            Ok(entries) => {
                by_object.entry(&object.id).or_default().extend(entries);
            }
            Err(message) => errors.push(InputError {
                file: object.origin.file.clone(),
                line: object.line_of(value),
                message,
            }),
        }
    }
    for f in findings.iter_mut() {
        if f.suppressed.is_some() {
            continue;
        }
        if config.disable.iter().any(|id| id == f.check) {
            f.suppressed = Some(Suppression {
                by: "config",
                reason: "check disabled in the configuration".to_string(),
            });
            continue;
        }
        if let Some(w) = config.waivers.iter().find(|w| {
            w.check == f.check
                && waiver_matches(w, &f.resource)
                && w.expires.is_none_or(|d| d >= today)
        }) {
            let until = w
                .expires
                .map(|d| format!(" (until {d})"))
                .unwrap_or_default();
            f.suppressed = Some(Suppression {
                by: "waiver",
                reason: format!("{}{until}", w.reason),
            });
            continue;
        }
        if let Some(entries) = by_object.get(&f.resource) {
            if let Some((_, reason)) = entries.iter().find(|(id, _)| id == f.check) {
                f.suppressed = Some(Suppression {
                    by: "annotation",
                    reason: reason.clone(),
                });
            }
        }
    }
    errors
}

/// Whether a waiver's resource pattern matches; an omitted field matches anything.
pub fn waiver_matches(w: &rampart_model::Waiver, r: &ResourceRef) -> bool {
    w.kind.as_deref().is_none_or(|k| k == r.kind)
        && w.namespace
            .as_deref()
            .is_none_or(|ns| Some(ns) == r.namespace.as_deref())
        && w.name.as_deref().is_none_or(|n| n == r.name)
}

fn parse_annotation(value: &Node) -> Result<Vec<(String, String)>, String> {
    let text = value.as_str().unwrap_or("");
    let Some((ids, reason)) = text.split_once(':') else {
        return Err(format!(
            "`{ANNOTATION}` must read `CHECK[,CHECK...]: reason`"
        ));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(format!("`{ANNOTATION}` needs a reason after the colon"));
    }
    let mut out = Vec::new();
    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !REGISTRY.iter().any(|c| c.meta.id == id) {
            return Err(format!("`{ANNOTATION}` names unknown check `{id}`"));
        }
        out.push((id.to_string(), reason.to_string()));
    }
    if out.is_empty() {
        return Err(format!("`{ANNOTATION}` names no check"));
    }
    Ok(out)
}
