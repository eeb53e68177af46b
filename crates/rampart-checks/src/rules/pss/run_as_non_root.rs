use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{in_user_namespace, PSS_DOC};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-run-as-non-root",
        title: "Container may run as root",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Without `runAsNonRoot: true` the container runs as whatever user the image chooses, often \
            root. Root in a container is one kernel bug or one misconfigured mount away from root on the node.",
        remediation: "Set `securityContext.runAsNonRoot: true` at the pod level (or on every container) and \
            make sure the image runs as a non-zero UID. A `runAsUser` alone does not satisfy this control.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Restricted, "Running as Non-root"),
    },
    logic: Logic::Pod(|pod, emit| {
        if in_user_namespace(pod) {
            return; // policy 1.35+: pods with hostUsers: false are exempt
        }
        let pod_value = pod.sc("runAsNonRoot").and_then(Node::as_bool);
        if pod_value == Some(false) {
            emit.pod(pod, "securityContext.runAsNonRoot", &[pod.sc("runAsNonRoot")],
                "pod sets runAsNonRoot=false".into());
        }
        for c in pod.containers() {
            let node = c.sc("runAsNonRoot");
            match node.and_then(Node::as_bool) {
                Some(true) => {}
                Some(false) => emit.container(pod, &c, "securityContext.runAsNonRoot", &[node],
                    format!("{} sets runAsNonRoot=false", describe(&c))),
                None if pod_value == Some(true) => {}
                None => emit.container(pod, &c, "securityContext.runAsNonRoot", &[node, c.security_context()],
                    format!("{} does not set runAsNonRoot=true, and neither does the pod", describe(&c))),
            }
        }
    }),
};
