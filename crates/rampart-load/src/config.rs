//! Reading `.rampart.yaml`.

use std::path::Path;
use std::sync::Arc;

use rampart_model::{Config, Date, InputError, Node, Waiver};

/// The name of the configuration file discovered in scanned directories.
pub const CONFIG_FILE: &str = ".rampart.yaml";

/// Find the configuration: `explicit` if given, else `.rampart.yaml` in the
/// first scanned directory that has one.
pub fn discover(explicit: Option<&str>, paths: &[String]) -> Option<String> {
    if let Some(p) = explicit {
        return Some(p.to_string());
    }
    paths
        .iter()
        .map(|p| Path::new(p).join(CONFIG_FILE))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

/// Read and validate a configuration file. Problems are input errors naming
/// the line; the valid parts still apply.
pub fn load_config(path: &str) -> (Config, Vec<InputError>) {
    let file: Arc<str> = Arc::from(path);
    match std::fs::read_to_string(path) {
        Ok(text) => parse_config(file, &text),
        Err(e) => (
            Config::default(),
            vec![InputError {
                file,
                line: 0,
                message: format!("cannot read configuration: {e}"),
            }],
        ),
    }
}

/// Parse configuration text.
pub fn parse_config(file: Arc<str>, text: &str) -> (Config, Vec<InputError>) {
    let mut config = Config {
        file: Some(file.clone()),
        ..Config::default()
    };
    let mut errors = Vec::new();
    let mut error = |line: u32, message: String| {
        errors.push(InputError {
            file: file.clone(),
            line,
            message,
        })
    };
    let chunks = crate::yaml::split_documents(text);
    let root = match chunks.first().map(|c| crate::yaml::parse_document(*c)) {
        None | Some(Ok((None, _))) => return (config, errors),
        Some(Ok((Some(node), problems))) => {
            for p in problems {
                error(p.line, p.message);
            }
            node
        }
        Some(Err(p)) => {
            error(p.line, p.message);
            return (config, errors);
        }
    };
    let Some(entries) = root.as_map() else {
        error(root.line, "the configuration must be a mapping".to_string());
        return (config, errors);
    };
    let strings = |node: &Node, what: &str, error: &mut dyn FnMut(u32, String)| -> Vec<String> {
        match node.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        error(i.line, format!("`{what}` entries must be strings"));
                        None
                    }
                })
                .collect(),
            None => {
                error(node.line, format!("`{what}` must be a list"));
                Vec::new()
            }
        }
    };
    for (key, value) in entries {
        match key.as_str() {
            "disable" => config.disable = strings(value, "disable", &mut error),
            "registries" => match value.get("allow") {
                Some(allow) => {
                    config.registries_allow = strings(allow, "registries.allow", &mut error)
                }
                None => error(
                    value.line,
                    "`registries` takes `allow: [PREFIX...]`".to_string(),
                ),
            },
            "waivers" => {
                for item in value.as_seq().unwrap_or(&[]) {
                    if let Some(w) = waiver(item, &file, &mut error) {
                        config.waivers.push(w);
                    }
                }
                if value.as_seq().is_none() {
                    error(value.line, "`waivers` must be a list".to_string());
                }
            }
            other => error(
                value.line,
                format!("unknown setting `{other}` (expected disable, registries, waivers)"),
            ),
        }
    }
    (config, errors)
}

fn waiver(item: &Node, file: &Arc<str>, error: &mut dyn FnMut(u32, String)) -> Option<Waiver> {
    let text = |n: &Node, key: &str| n.get(key).and_then(Node::as_str).map(str::to_string);
    let Some(check) = text(item, "check") else {
        error(item.line, "a waiver needs `check`".to_string());
        return None;
    };
    let Some(reason) = text(item, "reason").filter(|r| !r.trim().is_empty()) else {
        error(
            item.line,
            format!("the waiver of `{check}` needs a `reason`"),
        );
        return None;
    };
    let resource = item.get("resource").unwrap_or(Node::null());
    let expires = match item.get("expires") {
        None => None,
        Some(n) => match n.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => {
                error(
                    n.line,
                    format!("the waiver of `{check}` has an invalid `expires` (use YYYY-MM-DD)"),
                );
                return None;
            }
        },
    };
    Some(Waiver {
        check,
        kind: text(resource, "kind"),
        namespace: text(resource, "namespace"),
        name: text(resource, "name"),
        reason,
        expires,
        file: file.clone(),
        line: item.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_configuration_is_read() {
        let text = "disable: [image-not-pinned]\nregistries:\n  allow: [ghcr.io/acme/]\nwaivers:\n- check: pss-privileged\n  resource: {kind: DaemonSet, namespace: monitoring, name: agent}\n  reason: needs the host\n  expires: 2027-01-31\n";
        let (config, errors) = parse_config(Arc::from("c.yaml"), text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(config.disable, vec!["image-not-pinned"]);
        assert_eq!(config.registries_allow, vec!["ghcr.io/acme/"]);
        let w = &config.waivers[0];
        assert_eq!(w.line, 5);
        assert_eq!(w.kind.as_deref(), Some("DaemonSet"));
        assert_eq!(
            w.expires.map(|d| d.to_string()).as_deref(),
            Some("2027-01-31")
        );
    }

    #[test]
    fn mistakes_are_reported_with_lines() {
        let text =
            "disabled: [x]\nwaivers:\n- check: a\n- check: b\n  reason: r\n  expires: soon\n";
        let (_, errors) = parse_config(Arc::from("c.yaml"), text);
        let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 3, 6]);
    }
}
