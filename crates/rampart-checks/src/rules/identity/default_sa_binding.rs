use rampart_model::{Area, Location, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-default-sa-binding",
        title: "Permissions granted to a namespace's default service account",
        area: Area::Identity,
        severity: Severity::Medium,
        rationale: "Every pod that names no service account runs as `default`. A role bound to it is granted to all \
            of them, present and future, including pods created by people who never asked for it.",
        remediation: "Create a dedicated service account for the workload that needs the permissions, bind the role \
            to it, and leave `default` without bindings.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let model = emit.context().rbac();
        for b in &model.bindings {
            let Some(origin) = &b.origin else { continue };
            for s in b.subjects.iter().filter(|s| s.kind == "ServiceAccount" && s.name == "default") {
                let ns = s.namespace.as_deref().unwrap_or("");
                let line = if b.role_ref_line > 0 { b.role_ref_line } else { origin.line };
                emit.resource(b.id.clone(), "subjects".to_string(), Location { file: origin.file.clone(), line },
                    format!("{} {} grants {} {} to the default service account of namespace {ns}", b.id.kind, b.id.name, b.role_kind, b.role_name));
            }
        }
    }),
};
