use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::workload::secret_in_env_literal::looks_secret;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secret-in-configmap",
        title: "Credential stored in a ConfigMap",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "ConfigMaps are not secret: RBAC roles such as `view` read them, they are not encrypted at rest \
            by the Secret encryption provider, and they are printed by every tool. A password, token or key in a \
            ConfigMap is readable by far more people and workloads than intended.",
        remediation: "Move the value to a Secret (or an external secret store), reference it from the pod, and \
            rotate it.",
        references: &["https://kubernetes.io/docs/concepts/configuration/secret/"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "ConfigMap" || object.id.api_version != "v1" {
            return;
        }
        for (key, value) in object.root.get("data").and_then(Node::as_map).unwrap_or(&[]) {
            let Some(text) = value.as_str() else { continue };
            // Whole files (multi-line values) are judged by known credential formats only.
            let kind = if text.contains('\n') {
                let format = crate::rules::workload::secret_in_env_literal::credential_format;
                format(text).or_else(|| {
                    text.split(|c: char| c.is_whitespace() || matches!(c, '=' | ':' | '"' | '\'' | ','))
                        .find_map(|token| format(token))
                })
            } else {
                looks_secret(key, text)
            };
            if let Some(kind) = kind {
                emit.object(object, None, format!("data.{key}"), &[Some(value)], format!("ConfigMap key {key} holds {kind}"));
            }
        }
    }),
};
