use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, fixed, report_detailed};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-impersonate",
        title: "Role can impersonate users, groups or service accounts",
        area: Area::Identity,
        severity: Severity::Critical,
        rationale: "impersonate lets the holder send requests as another user, group or service account; impersonating a member of system:masters, or any cluster-admin account, is cluster-admin.",
        remediation: "Remove impersonate, or restrict it with resourceNames to the few identities a support tool must act as, and audit its use.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report_detailed(emit, Danger::Impersonate, any_binding, fixed, |cluster, detail| {
            // Impersonating service accounts alone (the built-in edit and
            // admin roles) does not reach users or groups such as
            // system:masters: it is every service account in scope.
            let accounts_only = !detail.contains("users") && !detail.contains("groups");
            match (accounts_only, cluster) {
                (true, true) => "an attacker holding it acts as any service account of the cluster, kube-system controllers included",
                (false, true) => "an attacker holding it acts as any user or group, system:masters included, which is cluster-admin",
                (_, false) => "an attacker holding it acts as the service accounts of the namespace",
            }
        })
    }),
};
