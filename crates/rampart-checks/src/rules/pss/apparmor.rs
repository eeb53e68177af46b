use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{present, profile_type, PSS_DOC};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-apparmor",
        title: "AppArmor profile disabled or overridden",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "The runtime's default AppArmor profile blocks mounts, raw kernel interfaces and writes to \
            sensitive /proc and /sys paths that many escapes rely on. Setting the profile to Unconfined (or any \
            value other than the runtime default or a node-local profile) removes that layer.",
        remediation: "Set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (or remove it), and remove \
            `container.apparmor.security.beta.kubernetes.io/*` annotations whose value is not `runtime/default` \
            or `localhost/<profile>`.",
        references: &[PSS_DOC, "https://kubernetes.io/docs/tutorials/security/apparmor/"],
        pss: CheckMeta::pss(PssLevel::Baseline, "AppArmor"),
    },
    logic: Logic::Pod(|pod, emit| {
        let bad = |profile: &Node| !matches!(profile_type(profile), "RuntimeDefault" | "Localhost");
        if let Some(p) = present(pod.sc("appArmorProfile")).filter(|p| bad(p)) {
            emit.pod(pod, "securityContext.appArmorProfile.type", &[p.get("type"), Some(p)],
                format!("pod sets AppArmor profile type \"{}\"", profile_type(p)));
        }
        for c in pod.containers() {
            if let Some(p) = present(c.sc("appArmorProfile")).filter(|p| bad(p)) {
                emit.container(pod, &c, "securityContext.appArmorProfile.type", &[p.get("type"), Some(p)],
                    format!("{} sets AppArmor profile type \"{}\"", describe(&c), profile_type(p)));
            }
        }
        for (key, value) in pod.annotations().as_map().unwrap_or(&[]) {
            let Some(container) = key.strip_prefix(ANNOTATION_PREFIX) else { continue };
            let text = value.as_str().unwrap_or("");
            if !(text.is_empty() || text == "runtime/default" || text.starts_with("localhost/")) {
                emit.object(pod.object, Some(container), format!("{}.annotations.{key}", pod.meta_path),
                    &[Some(value), Some(pod.meta)],
                    format!("annotation sets AppArmor profile \"{text}\" for container \"{container}\""));
            }
        }
    }),
};
