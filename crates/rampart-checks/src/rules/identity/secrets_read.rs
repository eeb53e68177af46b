use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{any_binding, report, secrets_severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-secrets-read",
        title: "Role can read Secrets",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "Reading Secrets is reading every credential they hold, service-account tokens included: get, list or watch on secrets lets the holder become any service account whose token Secret it can read. Cluster-wide, that includes the controllers of kube-system, which is cluster-admin.",
        remediation: "Grant get on the few Secrets the workload needs by name (resourceNames), in its own namespace; never list or watch secrets cluster-wide. Mount Secrets into pods instead of reading them through the API.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::SecretsRead, any_binding, secrets_severity, |cluster| {
            if cluster {
                "an attacker holding it reads every Secret in the cluster, tokens of the most powerful service accounts included, and becomes them"
            } else {
                "an attacker holding it reads every Secret of the namespace, service-account tokens included, and becomes those accounts"
            }
        })
    }),
};
