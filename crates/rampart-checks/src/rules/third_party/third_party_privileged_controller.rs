use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::third_party::{power, Role};

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
    logic: Logic::Inventory(|_, emit| {
        let ctx = emit.context();
        for pod in emit.context().pods() {
            let Some((c, own_image)) = emit.context().component(pod) else { continue };
            // GitOps controllers that are cluster-admin have their own check.
            let (what, admin) = power(ctx, pod);
            if what.is_empty() || (admin && c.role == Role::GitOps) {
                continue;
            }
            // What compromising the component gives is said of the component
            // itself; a helper that only carries its labels (an admission
            // Job, an SSO server) gives its own permissions.
            let consequence = if own_image { c.compromise } else { "whoever compromises this part of it holds these permissions" };
            emit.object(pod.object, None, pod.spec_path.to_string(), &[Some(pod.spec)],
                format!("{} ({}) can {}: {}", c.name, pod.object.id.display(), what.join(", "), consequence));
        }
    }),
};

#[cfg(test)]
mod tests {
    use rampart_model::{Config, Date};

    use crate::run_on;

    #[test]
    fn messages_say_where_and_whose_compromise() {
        let path = format!(
            "{}/fixtures/third-party-privileged-controller/fail.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let inventory = rampart_load::load(&[path], &rampart_load::LoadOptions::default());
        let today = Date {
            year: 2026,
            month: 6,
            day: 1,
        };
        let findings = run_on(&inventory, &Config::default(), today, &[&super::CHECK]);
        let message = |name: &str| {
            findings
                .iter()
                .find(|f| f.resource.name == name)
                .map(|f| f.message.clone())
                .unwrap_or_else(|| panic!("no finding on {name}"))
        };
        let velero = message("velero");
        assert!(velero.contains("read Secrets cluster-wide"), "{velero}");
        assert!(velero.contains("Velero reads every object"), "{velero}");
        let job = message("ingress-nginx-admission-create");
        assert!(
            job.contains("read Secrets in namespace ingress-nginx"),
            "{job}"
        );
        assert!(job.contains("whoever compromises this part of it"), "{job}");
        assert!(!job.contains("faces the internet"), "{job}");
    }
}
