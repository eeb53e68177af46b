use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::{present, PSS_DOC};

/// SELinux types allowed at baseline (policy 1.31+ adds container_engine_t).
const ALLOWED_TYPES: [&str; 5] = [
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

fn problems(opts: &Node) -> Vec<(&'static str, String)> {
    let text = |f: &str| opts.get(f).and_then(Node::as_str).unwrap_or("");
    let mut out = Vec::new();
    if !ALLOWED_TYPES.contains(&text("type")) {
        out.push(("type", format!("type \"{}\"", text("type"))));
    }
    for field in ["user", "role"] {
        if !text(field).is_empty() {
            out.push((
                if field == "user" { "user" } else { "role" },
                format!("{field} \"{}\"", text(field)),
            ));
        }
    }
    out
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-selinux",
        title: "Custom SELinux type, user or role",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Setting an SELinux type such as spc_t (super-privileged container) or a custom user or role \
            lifts the SELinux confinement that keeps a compromised container away from host files and \
            processes.",
        remediation: "Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and leave `type` unset or one of \
            container_t, container_init_t, container_kvm_t, container_engine_t.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Baseline, "SELinux"),
    },
    logic: Logic::Pod(|pod, emit| {
        if let Some(opts) = present(pod.sc("seLinuxOptions")) {
            for (field, what) in problems(opts) {
                emit.pod(pod, &format!("securityContext.seLinuxOptions.{field}"), &[opts.get(field), Some(opts)],
                    format!("pod sets SELinux {what}"));
            }
        }
        for c in pod.containers() {
            if let Some(opts) = present(c.sc("seLinuxOptions")) {
                for (field, what) in problems(opts) {
                    emit.container(pod, &c, &format!("securityContext.seLinuxOptions.{field}"),
                        &[opts.get(field), Some(opts)], format!("{} sets SELinux {what}", describe(&c)));
                }
            }
        }
    }),
};
