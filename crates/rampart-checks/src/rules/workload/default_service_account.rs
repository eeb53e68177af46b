use rampart_model::{Area, Node, PodTemplate, Severity};

use crate::check::{Check, CheckMeta, Logic};

/// The service account a pod runs as (`default` when unset).
pub(crate) fn service_account<'a>(pod: &PodTemplate<'a>) -> (&'a str, Option<&'a Node>) {
    pod.service_account()
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "default-service-account",
        title: "Pod runs as the namespace's default service account",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "Every pod that names no service account runs as `default`, so they all share one identity: \
            a permission granted to `default` for one workload is granted to all of them, and audit logs cannot \
            tell them apart.",
        remediation: "Create a service account per workload and set `serviceAccountName`; if the workload never \
            calls the API, also set `automountServiceAccountToken: false`.",
        references: &["https://kubernetes.io/docs/concepts/security/service-accounts/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        let (sa, node) = service_account(pod);
        // The pod's setting wins; unset, the service account's (when the input has it) applies.
        let ns = pod.object.id.namespace.as_deref();
        let automount = pod.spec.get("automountServiceAccountToken").and_then(Node::as_bool).or_else(|| {
            emit.inventory()
                .of_kind("ServiceAccount")
                .find(|a| a.id.name == sa && a.id.namespace.as_deref() == ns)
                .and_then(|a| a.root.get("automountServiceAccountToken").and_then(Node::as_bool))
        });
        if sa == "default" && automount != Some(false) {
            emit.pod(pod, "serviceAccountName", &[node], "pod runs as the default service account with its token mounted".into());
        }
    }),
};
