use rampart_model::{Area, Node, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};

/// Name fragments that mark a variable as holding a credential.
const SECRET_NAMES: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "CLIENT_KEY",
    "AUTH_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "CONNECTION_STRING",
    "CONN_STR",
];
/// Name endings that hold a reference to a secret, not the secret.
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_NAME",
    "_REF",
    "_ARN",
    "_ID",
    "_TTL",
    "_TIMEOUT",
    "_HEADER",
    "_LENGTH",
    "_ENABLED",
    "_URL_PATH",
    "_KEY_ID",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_HOST",
    "_PORT",
];

/// Why a literal looks like a credential, if it does. Never returns the value.
pub(crate) fn looks_secret(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if let Some(kind) = credential_format(v) {
        return Some(kind);
    }
    let upper = name.to_ascii_uppercase();
    let named = SECRET_NAMES.iter().any(|s| upper.contains(s))
        || upper == "PWD_HASH"
        || upper.ends_with("_PWD")
        || upper.ends_with("_PASS");
    if !named || REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s)) {
        return None;
    }
    let placeholder =
        v.starts_with("$(") || v.starts_with("${") || v.starts_with("{{") || v.starts_with('<');
    let harmless = v.len() < 4
        || placeholder
        || v.starts_with('/')
        || v.chars().all(|c| c.is_ascii_digit())
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "none" | "null" | "enabled" | "disabled"
        );
    (!harmless).then_some("a literal value in a variable named like a credential")
}

/// Well-known credential formats, recognised whatever the variable is called.
pub(crate) fn credential_format(v: &str) -> Option<&'static str> {
    let alnum_upper = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let token_chars = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if v.len() == 20 && (v.starts_with("AKIA") || v.starts_with("ASIA")) && alnum_upper(v) {
        return Some("an AWS access key id");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if (v.starts_with("ghp_")
        || v.starts_with("gho_")
        || v.starts_with("ghs_")
        || v.starts_with("github_pat_"))
        && v.len() >= 36
        && token_chars(v)
    {
        return Some("a GitHub token");
    }
    if v.starts_with("glpat-") && v.len() >= 26 && token_chars(v) {
        return Some("a GitLab token");
    }
    if (v.starts_with("xoxb-") || v.starts_with("xoxp-") || v.starts_with("xoxa-")) && v.len() > 20
    {
        return Some("a Slack token");
    }
    if (v.starts_with("sk_live_") || v.starts_with("rk_live_")) && v.len() > 20 {
        return Some("a Stripe live key");
    }
    if v.starts_with("AIza") && v.len() == 39 && token_chars(v) {
        return Some("a Google API key");
    }
    if v.contains("AccountKey=") && v.contains("AccountName=") {
        return Some("an Azure storage connection string");
    }
    if v.contains("\"private_key\"") && v.contains("service_account") {
        return Some("a GCP service-account key");
    }
    if let Some(rest) = v.split_once("://").map(|(_, r)| r) {
        let authority = rest.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if userinfo
                .split_once(':')
                .is_some_and(|(_, p)| !p.is_empty() && !p.starts_with("$("))
            {
                return Some("a URL with an embedded password");
            }
        }
    }
    None
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secret-in-env-literal",
        title: "Credential written in plain text in the manifest",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "A password, token or key written as a literal env value lives in Git history, in every \
            rendered manifest, in `kubectl get -o yaml` output readable by anyone who can read the workload, \
            and in the process environment. It cannot be rotated without a deployment and is rarely rotated at \
            all.",
        remediation: "Move the value to a Secret (or an external secret store) and reference it with \
            `valueFrom.secretKeyRef`, or better mount it as a file; then rotate the exposed credential.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://attack.mitre.org/techniques/T1552/001/",
        ],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(env) = c.node.get("env").and_then(Node::as_seq) else { continue };
            for (i, var) in env.iter().enumerate() {
                let name = var.get("name").and_then(Node::as_str).unwrap_or("");
                let Some(value) = var.get("value").and_then(Node::as_str) else { continue };
                if let Some(kind) = looks_secret(name, value) {
                    // The value itself is never reported.
                    emit.container(pod, &c, &format!("env[{i}].value"), &[var.get("value"), Some(var)],
                        format!("{} env {name} holds {kind}", describe(&c)));
                }
            }
        }
    }),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_recognised_by_name_or_format() {
        assert!(looks_secret("DB_PASSWORD", "changeme123").is_some());
        assert!(looks_secret("X", "AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(looks_secret("DATABASE_URL", "postgres://app:hunter2@db:5432/app").is_some());
        assert!(looks_secret("DB_PASSWORD_FILE", "/run/secrets/db").is_none());
        assert!(looks_secret("TOKEN_TTL", "3600").is_none());
        assert!(looks_secret("API_KEY", "$(API_KEY)").is_none());
        assert!(looks_secret("LOG_LEVEL", "debug").is_none());
        assert!(looks_secret("DATABASE_URL", "postgres://db:5432/app").is_none());
    }
}
