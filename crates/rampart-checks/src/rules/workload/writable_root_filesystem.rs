use rampart_model::{Area, ContainerKind, Node, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "writable-root-filesystem",
        title: "Writable root filesystem",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "An attacker who gets code execution in a container with a writable root filesystem can drop \
            tools, modify binaries and persist across restarts of the process. A read-only root filesystem \
            turns many exploits into dead ends and makes tampering visible.",
        remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the \
            application needs to write (such as /tmp).",
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            if c.kind == ContainerKind::Ephemeral {
                continue; // debugging containers are short-lived by design
            }
            let value = c.sc("readOnlyRootFilesystem");
            if value.and_then(Node::as_bool) != Some(true) {
                emit.container(pod, &c, "securityContext.readOnlyRootFilesystem", &[value, c.security_context()],
                    format!("{} has a writable root filesystem", describe(&c)));
            }
        }
    }),
};
