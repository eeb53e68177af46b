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
            emit.object(pod.object, None, "metadata.namespace".to_string(),
                &[pod.object.metadata().get("namespace"), pod.object.root.get("metadata")],
                "workload runs in the default namespace".to_string());
        }
    }),
};
