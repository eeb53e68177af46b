use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{in_user_namespace, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-proc-mount-restricted",
        title: "Unmasked /proc mount in a user-namespaced pod",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Since policy 1.35 the baseline level lets pods in a user namespace (`hostUsers: false`) use \
            an unmasked /proc; the restricted level still forbids it, because the unmasked kernel interfaces \
            remain an attack surface even inside a user namespace.",
        remediation: "Remove `securityContext.procMount` or set it to `Default`.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "/proc Mount Type"),
    },
    logic: Logic::Pod(|pod, emit| {
        // Outside a user namespace the baseline check already reports it.
        if !in_user_namespace(pod) {
            return;
        }
        for c in pod.containers() {
            if let Some(n) = c.sc("procMount").filter(|n| !n.is_null()) {
                let value = n.as_str().unwrap_or("");
                if value != "Default" {
                    emit.container(pod, &c, "securityContext.procMount", &[Some(n)],
                        format!("{} sets procMount \"{value}\"", describe(&c)));
                }
            }
        }
    }),
};
