use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{present, profile_type, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-seccomp-baseline",
        title: "Seccomp explicitly disabled",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Seccomp filters the system calls a container may make; the runtime default profile blocks \
            dozens used in kernel exploits and escapes (unshare, keyctl, bpf, mount). `Unconfined` turns that \
            filter off.",
        remediation: "Set `seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a reviewed profile).",
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/seccomp/"],
        pss: CheckMeta::pss(PssLevel::Baseline, "Seccomp"),
    },
    logic: Logic::Pod(|pod, emit| {
        let bad = |t: &str| !matches!(t, "RuntimeDefault" | "Localhost");
        if let Some(p) = present(pod.sc("seccompProfile")).filter(|p| bad(profile_type(p))) {
            emit.pod(pod, "securityContext.seccompProfile.type", &[p.get("type"), Some(p)],
                format!("pod sets seccomp profile type \"{}\"", profile_type(p)));
        }
        for c in pod.containers() {
            if let Some(p) = present(c.sc("seccompProfile")).filter(|p| bad(profile_type(p))) {
                emit.container(pod, &c, "securityContext.seccompProfile.type", &[p.get("type"), Some(p)],
                    format!("{} sets seccomp profile type \"{}\"", describe(&c), profile_type(p)));
            }
        }
    }),
};
