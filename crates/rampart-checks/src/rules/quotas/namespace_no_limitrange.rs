use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::{namespace_ref, workload_namespaces};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "namespace-no-limitrange",
        title: "Namespace without a LimitRange",
        area: Area::Quotas,
        severity: Severity::Low,
        rationale: "A LimitRange gives containers that forget them default requests and limits, and bounds \
            what one container may ask for. Without one, every missing limit in the namespace is unbounded.",
        remediation: "Add a LimitRange of type Container with `default` and `defaultRequest` for cpu and memory \
            (and ephemeral-storage) and sensible `max` values.",
        references: &["https://kubernetes.io/docs/concepts/policy/limit-range/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        for (ns, (_, location)) in workload_namespaces(inventory, emit.context().pods()) {
            let has = inventory.of_kind("LimitRange").any(|q| q.id.namespace.as_deref() == Some(ns.as_str()));
            if !has {
                emit.resource(namespace_ref(&ns), String::new(), location,
                    format!("namespace {ns} runs workloads but has no LimitRange"));
            }
        }
    }),
};
