use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::quotas::{namespace_ref, workload_namespaces};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "namespace-no-resourcequota",
        title: "Namespace without a ResourceQuota",
        area: Area::Quotas,
        severity: Severity::Medium,
        rationale: "A ResourceQuota caps what a namespace can consume: CPU, memory, storage and object counts \
            (pods, services, load balancers). Without one, a compromised CI token or a runaway controller in the \
            namespace can exhaust the cluster for everyone.",
        remediation: "Add a ResourceQuota to the namespace with limits on requests.cpu, requests.memory, \
            limits.memory, pods and services.loadbalancers.",
        references: &["https://kubernetes.io/docs/concepts/policy/resource-quotas/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        for (ns, (_, location)) in workload_namespaces(inventory, emit.context().pods()) {
            let has = inventory.of_kind("ResourceQuota").any(|q| q.id.namespace.as_deref() == Some(ns.as_str()));
            if !has {
                emit.resource(namespace_ref(&ns), String::new(), location,
                    format!("namespace {ns} runs workloads but has no ResourceQuota"));
            }
        }
    }),
};
