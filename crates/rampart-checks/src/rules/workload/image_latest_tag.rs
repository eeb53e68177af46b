use rampart_model::{Area, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::workload::ImageRef;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "image-latest-tag",
        title: "Image without a tag or tagged latest",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "`latest` (or no tag, which means latest) changes under you: two nodes can run different code \
            for the same pod, a compromised or broken upstream push reaches production on the next restart, and \
            nobody can tell which version a vulnerability report applies to.",
        remediation: "Use an explicit version tag, and preferably pin the digest: `image: repo/app:1.4.2@sha256:...`.",
        references: &["https://kubernetes.io/docs/concepts/containers/images/#image-names"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            let Some(image) = c.image() else { continue };
            let r = ImageRef::parse(image);
            if r.digest.is_some() {
                continue;
            }
            let problem = match r.tag.as_deref() {
                None => "has no tag (latest is pulled)",
                Some("latest") => "uses the latest tag",
                Some(_) => continue,
            };
            emit.container(pod, &c, "image", &[c.node.get("image")], format!("{} image {image} {problem}", describe(&c)));
        }
    }),
};
