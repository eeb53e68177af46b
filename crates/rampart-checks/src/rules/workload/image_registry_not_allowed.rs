use rampart_model::{Area, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::workload::ImageRef;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-registry-not-allowed",
        title: "Image from a registry outside the allow-list",
        area: Area::Workload,
        severity: Severity::High,
        rationale: "Images from registries the organisation does not control or mirror escape its scanning, \
            signing and provenance checks, and a typo-squatted or hijacked public image runs with whatever the \
            pod can reach.",
        remediation: "Pull the image through an allowed registry (mirror it), or add the registry prefix to \
            `registries.allow` in .rampart.yaml if it is trusted. Enforce the same list at admission.",
        references: &["https://kubernetes.io/docs/concepts/containers/images/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        let allow = &emit.config().registries_allow;
        if allow.is_empty() {
            return; // no allow-list configured
        }
        if crate::rules::third_party::recognise(pod).is_some() {
            return; // reported by third-party-registry-not-allowed
        }
        for c in pod.containers() {
            let Some(image) = c.image() else { continue };
            let name = ImageRef::parse(image).full_name();
            if !allow.iter().any(|prefix| name.starts_with(prefix.as_str())) {
                emit.container(pod, &c, "image", &[c.node.get("image")],
                    format!("{} image {image} ({name}) is not from an allowed registry", describe(&c)));
            }
        }
    }),
};
