use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{in_user_namespace, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-proc-mount",
        title: "Unmasked /proc mount",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "The default /proc mount masks and makes read-only the kernel interfaces (such as \
            /proc/sys and /proc/sysrq-trigger) that let a process reconfigure or crash the node. `Unmasked` \
            removes that protection.",
        remediation: "Remove `securityContext.procMount` or set it to `Default`. Only pods in a user namespace \
            (`hostUsers: false`) may use `Unmasked` at the baseline level.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Baseline, "/proc Mount Type"),
    },
    logic: Logic::Pod(|pod, emit| {
        if in_user_namespace(pod) {
            return; // policy 1.35+: baseline allows any procMount in a user namespace
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
