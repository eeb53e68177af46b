use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{windows_exempt, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-privilege-escalation",
        title: "Privilege escalation not disabled",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Unless `allowPrivilegeEscalation` is false, a process in the container can gain more \
            privileges than its parent through setuid binaries or file capabilities, turning a foothold as an \
            unprivileged user into root inside the container.",
        remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container (init and \
            ephemeral containers included).",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "Privilege Escalation"),
    },
    logic: Logic::Pod(|pod, emit| {
        if windows_exempt(pod) {
            return;
        }
        for c in pod.containers() {
            let value = c.sc("allowPrivilegeEscalation");
            if value.and_then(|n| n.as_bool()) != Some(false) {
                let what = if value.and_then(|n| n.as_bool()) == Some(true) { "sets" } else { "does not set" };
                let msg = if what == "sets" {
                    format!("{} sets allowPrivilegeEscalation=true", describe(&c))
                } else {
                    format!("{} does not set allowPrivilegeEscalation=false", describe(&c))
                };
                emit.container(pod, &c, "securityContext.allowPrivilegeEscalation",
                    &[value, c.security_context()], msg);
            }
        }
    }),
};
