use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "bandwidth-annotations-missing",
        title: "Exposed or third-party workload without bandwidth limits",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "Internet-facing workloads and third-party agents are the likeliest to be abused for floods and \
            exfiltration. Without `kubernetes.io/ingress-bandwidth` and `kubernetes.io/egress-bandwidth` on their \
            pods, one of them can saturate the node's network for every neighbour.",
        remediation: "Annotate the pod template with `kubernetes.io/ingress-bandwidth` and \
            `kubernetes.io/egress-bandwidth` (for example `50M`); the CNI bandwidth plugin enforces them.",
        references: &["https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/#support-traffic-shaping"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let exposures = emit.context().exposures();
        for pod in emit.context().pods() {
            let internet = exposures.get(&pod.object.id).is_some_and(|v| v.iter().any(|e| e.internet));
            let third = emit.context().component(pod).is_some();
            // Host-network pods get no CNI interface, so the bandwidth plugin
            // cannot shape them: the annotations would do nothing.
            if !(internet || third) || pod.bool_field("hostNetwork") {
                continue;
            }
            let a = pod.annotations();
            let missing: Vec<&str> = ["kubernetes.io/ingress-bandwidth", "kubernetes.io/egress-bandwidth"]
                .into_iter()
                .filter(|k| a.get(k).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let what = if internet { "internet-facing" } else { "third-party" };
            emit.object(pod.object, None, format!("{}.annotations", pod.meta_path), &[pod.meta.get("annotations"), Some(pod.meta), Some(pod.spec)],
                format!("{what} workload sets no {}", missing.join(" or ")));
        }
    }),
};
