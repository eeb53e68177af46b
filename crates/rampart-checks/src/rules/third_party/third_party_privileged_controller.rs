use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::third_party::{power, recognise, Role};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "third-party-privileged-controller",
        title: "Third-party component holds dangerous permissions",
        area: Area::ThirdParty,
        severity: Severity::High,
        rationale: "Operators, controllers and agents from other projects run with broad permissions, are \
            exposed to inputs their authors do not control (webhooks, repositories, annotations, CRDs) and ship \
            their own vulnerabilities. Their compromise is a compromise of everything they can do.",
        remediation: "Review the component's RBAC: install it with the least-privileged options its chart \
            offers (namespace-scoped mode, no secret access), isolate it in its own namespace with a \
            NetworkPolicy, and keep it patched.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let ctx = emit.context();
        for pod in crate::pod_templates(inventory) {
            let Some(c) = recognise(&pod) else { continue };
            // GitOps controllers that are cluster-admin have their own check.
            let (what, admin) = power(ctx, &pod);
            if what.is_empty() || (admin && c.role == Role::GitOps) {
                continue;
            }
            emit.object(pod.object, None, pod.spec_path.to_string(), &[Some(pod.spec)],
                format!("{} ({}) can {}: {}", c.name, pod.object.id.display(), what.join(", "), c.compromise));
        }
    }),
};
