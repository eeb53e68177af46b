//! Quotas: requests and limits, ResourceQuota and LimitRange.

use std::collections::{BTreeMap, HashMap, HashSet};

use rampart_model::{ContainerKind, Inventory, Location, Node, Object, PodTemplate, ResourceRef};

use crate::check::{describe, Emitter};

pub mod bandwidth_annotations_missing;
pub mod cpu_limits_missing;
pub mod cpu_requests_missing;
pub mod ephemeral_storage_limit_missing;
pub mod memory_limits_missing;
pub mod memory_requests_missing;
pub mod namespace_no_limitrange;
pub mod namespace_no_resourcequota;

/// Per namespace, the resources a LimitRange gives containers a default
/// limit for, and a default request for. As the API server defaults a
/// LimitRange of type Container: an unset `default` takes `max`, an unset
/// `defaultRequest` takes `default`, else `min`.
#[derive(Default)]
pub(crate) struct Defaults {
    limits: HashSet<String>,
    requests: HashSet<String>,
}

pub(crate) fn limit_range_defaults(inventory: &Inventory) -> HashMap<String, Defaults> {
    let mut out: HashMap<String, Defaults> = HashMap::new();
    for lr in inventory.of_kind("LimitRange") {
        let Some(ns) = lr.id.namespace.clone() else {
            continue;
        };
        let entry = out.entry(ns).or_default();
        for item in lr
            .root
            .at(&["spec", "limits"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if item.get("type").and_then(Node::as_str) != Some("Container") {
                continue;
            }
            let keys = |field: &str| {
                item.get(field)
                    .and_then(Node::as_map)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(k, _)| k.to_string())
            };
            for key in keys("default").chain(keys("max")) {
                entry.limits.insert(key.clone());
                entry.requests.insert(key);
            }
            for key in keys("defaultRequest").chain(keys("min")) {
                entry.requests.insert(key);
            }
        }
    }
    out
}

/// Report containers (regular and init) missing `kind.resource`
/// (`limits.memory`, `requests.cpu`...) that no LimitRange defaults.
pub(crate) fn missing_resource(
    inventory: &Inventory,
    emit: &mut Emitter<'_>,
    kind: &str,
    resource: &str,
) {
    let defaults = limit_range_defaults(inventory);
    for pod in emit.context().pods() {
        let ns = pod.object.id.namespace.as_deref().unwrap_or("");
        let defaulted = defaults.get(ns).is_some_and(|d| {
            if kind == "limits" {
                d.limits.contains(resource)
            } else {
                d.requests.contains(resource)
            }
        });
        if defaulted {
            continue;
        }
        report_missing(pod, emit, kind, resource);
    }
}

fn report_missing(pod: &PodTemplate<'_>, emit: &mut Emitter<'_>, kind: &str, resource: &str) {
    for c in pod.containers() {
        if c.kind == ContainerKind::Ephemeral {
            continue; // ephemeral containers cannot have resources
        }
        let resources = c.node.get("resources");
        let section = resources.and_then(|r| r.get(kind));
        let set = section
            .and_then(|s| s.get(resource))
            .is_some_and(|v| !v.is_null());
        // A limit without a request defaults the request to the limit.
        let via_limit = kind == "requests"
            && resources
                .and_then(|r| r.get("limits"))
                .and_then(|l| l.get(resource))
                .is_some_and(|v| !v.is_null());
        if !set && !via_limit {
            emit.container(
                pod,
                &c,
                &format!("resources.{kind}.{resource}"),
                &[section, resources],
                format!(
                    "{} sets no {resource} {}",
                    describe(&c),
                    if kind == "limits" { "limit" } else { "request" }
                ),
            );
        }
    }
}

/// Namespaces holding workloads (system namespaces excepted), with the
/// Namespace object when the input has it, else the first workload's origin.
pub(crate) fn workload_namespaces<'a>(
    inventory: &'a Inventory,
    pods: &[rampart_model::PodTemplate<'a>],
) -> BTreeMap<String, (Option<&'a Object>, Location)> {
    let mut out: BTreeMap<String, (Option<&Object>, Location)> = BTreeMap::new();
    for pod in pods {
        let Some(ns) = pod.object.id.namespace.as_deref() else {
            continue;
        };
        if crate::rules::admission::is_system_namespace(ns) {
            continue;
        }
        out.entry(ns.to_string())
            .or_insert((None, pod.object.origin.clone()));
    }
    for ns in inventory.of_kind("Namespace") {
        if let Some(entry) = out.get_mut(&ns.id.name) {
            *entry = (Some(ns), ns.origin.clone());
        }
    }
    out
}

pub(crate) fn namespace_ref(name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "v1".to_string(),
        kind: "Namespace".to_string(),
        namespace: None,
        name: name.to_string(),
    }
}
