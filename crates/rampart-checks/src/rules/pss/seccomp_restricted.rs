use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{present, profile_type, windows_exempt, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-seccomp-restricted",
        title: "No seccomp profile",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "A container without a seccomp profile runs Unconfined on most runtimes: every system call \
            is available, including those used by kernel exploits and container escapes.",
        remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` at the pod level (or on every \
            container).",
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/seccomp/"],
        pss: CheckMeta::pss(PssLevel::Restricted, "Seccomp"),
    },
    logic: Logic::Pod(|pod, emit| {
        if windows_exempt(pod) {
            return;
        }
        // Explicitly invalid types are reported by pss-seccomp-baseline; here
        // only containers left without any valid profile.
        let valid = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
        let pod_profile = present(pod.sc("seccompProfile"));
        if pod_profile.is_some_and(|p| valid(profile_type(p))) {
            return;
        }
        for c in pod.containers() {
            if present(c.sc("seccompProfile")).is_none() {
                emit.container(pod, &c, "securityContext.seccompProfile", &[c.sc("seccompProfile"), c.security_context()],
                    format!("{} has no seccomp profile, and the pod sets none", describe(&c)));
            }
        }
    }),
};
