use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-sa-token-create",
        title: "Role can mint service-account tokens",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "create on serviceaccounts/token issues a token for a service account; so does creating a Secret of type kubernetes.io/service-account-token and reading it back once the token controller has filled it. The holder becomes any service account it can mint for, with all its permissions.",
        remediation: "Remove create on serviceaccounts/token, or restrict it to the named service accounts a controller must issue tokens for. Do not grant create on Secrets together with get, list or watch on every Secret; reads restricted with resourceNames are safe only while those Secrets exist and the holder cannot delete them.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::SaTokenCreate, any_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it mints tokens for any service account in the cluster, kube-system controllers included"
            } else {
                "an attacker holding it mints tokens for the namespace's service accounts and holds their permissions"
            }
        })
    }),
};
