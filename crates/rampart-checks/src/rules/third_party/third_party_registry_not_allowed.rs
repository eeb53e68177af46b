use rampart_model::{Area, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::third_party::recognise;
use crate::rules::workload::ImageRef;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "third-party-registry-not-allowed",
        title: "Third-party component pulled from a registry outside the allow-list",
        area: Area::ThirdParty,
        severity: Severity::High,
        rationale: "Third-party controllers hold broad permissions; pulled straight from their public \
            registries, a compromised upstream release or registry account runs in the cluster with that power \
            on the next restart, past the organisation's scanning and signing.",
        remediation: "Mirror the component's images into an allowed registry (pinned by digest, scanned, \
            signed) and point its chart at the mirror.",
        references: &["https://kubernetes.io/docs/concepts/containers/images/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        let allow = &emit.config().registries_allow;
        if allow.is_empty() {
            return;
        }
        let Some(component) = recognise(pod) else { return };
        for c in pod.containers() {
            let Some(image) = c.image() else { continue };
            let name = ImageRef::parse(image).full_name();
            if !allow.iter().any(|p| name.starts_with(p.as_str())) {
                emit.container(pod, &c, "image", &[c.node.get("image")],
                    format!("{} of {} uses image {image} from outside the allowed registries", describe(&c), component.name));
            }
        }
    }),
};
