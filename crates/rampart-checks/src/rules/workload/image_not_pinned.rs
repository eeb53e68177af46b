use rampart_model::{Area, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::workload::ImageRef;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-not-pinned",
        title: "Image not pinned by digest",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "Tags are mutable: whoever can push to the repository (or compromise it) can replace what a \
            tag points to, and the cluster will run it on the next pull. A digest names exactly one image.",
        remediation: "Reference images by digest (`repo/app:1.4.2@sha256:...`); tools such as Renovate keep \
            pinned digests up to date.",
        references: &["https://kubernetes.io/docs/concepts/containers/images/#image-names"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(image) = c.image() else { continue };
            if ImageRef::parse(image).digest.is_none() {
                emit.container(pod, &c, "image", &[c.node.get("image")],
                    format!("{} image {image} is not pinned by digest", describe(&c)));
            }
        }
    }),
};
