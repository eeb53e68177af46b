use rampart_model::{Area, Node, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secret-in-env",
        title: "Secret injected as environment variables",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "Environment variables leak: they are inherited by every child process, printed by crash \
            handlers and debug endpoints, visible in /proc to anything sharing the PID namespace, and kept in \
            the runtime's container configuration on the node. A Secret mounted as a file is read only by the \
            process that opens it, and is updated in place when the Secret rotates.",
        remediation: "Mount the Secret as a volume and have the application read the file (many support \
            `*_FILE` variables pointing at it).",
        references: &["https://kubernetes.io/docs/concepts/security/secrets-good-practices/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for c in pod.containers() {
            for (i, var) in c.node.get("env").and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let Some(r) = var.at(&["valueFrom", "secretKeyRef"]) else { continue };
                let name = var.get("name").and_then(Node::as_str).unwrap_or("");
                let secret = r.get("name").and_then(Node::as_str).unwrap_or("");
                emit.container(pod, &c, &format!("env[{i}].valueFrom.secretKeyRef"), &[Some(r), Some(var)],
                    format!("{} gets env {name} from Secret {secret}", describe(&c)));
            }
            for (i, from) in c.node.get("envFrom").and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let Some(r) = from.get("secretRef") else { continue };
                let secret = r.get("name").and_then(Node::as_str).unwrap_or("");
                emit.container(pod, &c, &format!("envFrom[{i}].secretRef"), &[Some(r), Some(from)],
                    format!("{} loads all of Secret {secret} into its environment", describe(&c)));
            }
        }
    }),
};
