use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::third_party::{power, Role};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "gitops-cluster-admin",
        title: "GitOps controller is cluster-admin",
        area: Area::ThirdParty,
        severity: Severity::Critical,
        rationale: "A GitOps controller applies whatever its sources say. If it is cluster-admin, then write \
            access to any repository or chart it syncs, its UI or API, or a flaw in it, is cluster-admin: the \
            cluster is only as safe as the weakest of those.",
        remediation: "Give the controller a role scoped to the namespaces and kinds it manages (Argo CD: \
            namespaced install or AppProject destination and resource restrictions; Flux: per-tenant service \
            accounts with `serviceAccountName` on Kustomizations and HelmReleases).",
        references: &[
            "https://argo-cd.readthedocs.io/en/stable/operator-manual/security/",
            "https://fluxcd.io/flux/security/",
        ],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let ctx = emit.context();
        for pod in emit.context().pods() {
            let Some(c) = emit.context().component(pod).map(|(c, _)| c).filter(|c| c.role == Role::GitOps) else { continue };
            if power(ctx, pod).1 {
                emit.object(pod.object, None, pod.spec_path.to_string(), &[pod.spec.get("serviceAccountName"), Some(pod.spec)],
                    format!("{} ({}) is cluster-admin: {}, cluster-wide", c.name, pod.object.id.display(), c.compromise));
            }
        }
    }),
};
