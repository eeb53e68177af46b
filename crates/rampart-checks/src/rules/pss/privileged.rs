use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-privileged",
        title: "Privileged container",
        area: Area::Workload,
        severity: Severity::Critical,
        rationale: "A privileged container has every capability and every device of the node, with no seccomp, \
            AppArmor or SELinux confinement: mounting the node's disk or loading a kernel module gives the node \
            in one command.",
        remediation: "Remove `securityContext.privileged: true`; grant the specific capability the workload \
            needs instead, or move node agents to a dedicated privileged namespace.",
        references: &[PSS_DOC, "https://attack.mitre.org/techniques/T1611/"],
        pss: CheckMeta::pss(PssLevel::Baseline, "Privileged Containers"),
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            if let Some(n) = c.sc("privileged").filter(|n| n.as_bool() == Some(true)) {
                emit.container(pod, &c, "securityContext.privileged", &[Some(n)],
                    format!("{} runs privileged", describe(&c)));
            }
        }
    }),
};
