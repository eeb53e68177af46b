use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "legacy-sa-token-secret",
        title: "Long-lived service-account token Secret",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "A Secret of type kubernetes.io/service-account-token holds a token that never expires and is \
            not bound to a pod: anyone who can read the Secret, or who finds it in a backup or a Git history, \
            holds the service account's permissions indefinitely.",
        remediation: "Delete the Secret and use bound, expiring tokens: projected service-account volumes in \
            pods, `kubectl create token` or the TokenRequest API for clients outside the cluster.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets",
            "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#auto-generated-legacy-serviceaccount-token-clean-up",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Secret" || object.id.api_version != "v1" {
            return;
        }
        let Some(t) = object.root.get("type").filter(|t| t.as_str() == Some("kubernetes.io/service-account-token")) else {
            return;
        };
        let sa = object
            .annotations()
            .get("kubernetes.io/service-account.name")
            .and_then(Node::as_str)
            .unwrap_or("?");
        emit.object(object, None, "type".to_string(), &[Some(t)],
            format!("Secret holds a non-expiring token of service account {sa}"));
    }),
};
