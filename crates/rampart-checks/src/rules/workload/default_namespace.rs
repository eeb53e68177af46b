use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "workload-in-default-namespace",
        title: "Workload runs in the default namespace",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "The default namespace is where everything lands that nobody placed: it rarely has Pod Security \
            labels, quotas or NetworkPolicies, and whatever runs there shares them (and its service accounts' \
            permissions) with every forgotten object.",
        remediation: "Deploy the workload to a namespace of its own (or its team's) with Pod Security labels, a \
            ResourceQuota and default-deny NetworkPolicies. (Manifests applied with `kubectl apply -n NS` are in \
            NS: scan them with `--namespace NS`.)",
        references: &["https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        if pod.object.id.namespace.as_deref() == Some("default") {
            // A manifest without a namespace lands in whatever namespace it is
            // applied to: default only when nobody chooses (`kubectl apply -n`).
            let written = pod.object.metadata().get("namespace").is_some_and(|n| !n.is_null());
            let message = if written {
                "workload runs in the default namespace"
            } else {
                "workload has no namespace: applied as it is, it runs in the default namespace"
            };
            emit.object(pod.object, None, "metadata.namespace".to_string(),
                &[pod.object.metadata().get("namespace"), pod.object.root.get("metadata")],
                message.to_string());
        }
    }),
};
