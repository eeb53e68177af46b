//! Exposure: which workloads the internet (or every node) can reach through
//! Services, Ingresses and Gateway API routes. Data for checks, attack
//! paths and the plan.

use std::collections::BTreeMap;

use rampart_model::{Inventory, Location, Node, Object, PodTemplate, ResourceRef};
use serde::Serialize;

/// How a workload is exposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposedBy {
    /// `LoadBalancer`, `NodePort`, `externalIPs`, `Ingress` or `HTTPRoute`.
    pub via: &'static str,
    /// The Service, Ingress or route that exposes it.
    pub object: ResourceRef,
    pub location: Location,
    /// Ports or hosts, for people (`port 443`, `shop.example.com`).
    pub detail: String,
    /// Reachable from the internet (not only from the nodes' network).
    pub internet: bool,
}

/// Annotations and fields that make a LoadBalancer internal (AWS, GCP, Azure).
fn is_internal_lb(service: &Object) -> bool {
    let a = service.annotations();
    let is = |k: &str, v: &[&str]| {
        a.get(k)
            .and_then(Node::as_str)
            .is_some_and(|x| v.contains(&x))
    };
    is(
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true", "0.0.0.0/0"],
    ) || is(
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ) || is("networking.gke.io/load-balancer-type", &["Internal"])
        || is(
            "cloud.google.com/load-balancer-type",
            &["Internal", "internal"],
        )
        || is(
            "service.beta.kubernetes.io/azure-load-balancer-internal",
            &["true"],
        )
}

/// Workloads selected by a Service's selector, in its namespace.
fn backends<'a>(service: &Object, pods: &'a [PodTemplate<'a>]) -> Vec<&'a PodTemplate<'a>> {
    let Some(selector) = service
        .root
        .at(&["spec", "selector"])
        .and_then(Node::as_map)
    else {
        return Vec::new(); // no selector: endpoints managed by hand
    };
    if selector.is_empty() {
        return Vec::new();
    }
    let ns = service.id.namespace.as_deref();
    pods.iter()
        .filter(|p| p.object.id.namespace.as_deref() == ns)
        .filter(|p| {
            selector
                .iter()
                .all(|(k, v)| p.labels().get(k).and_then(Node::as_str) == v.as_str())
        })
        .collect()
}

/// Every exposed workload, with how it is exposed. Keys are the workloads.
pub fn exposures(
    inventory: &Inventory,
    pods: &[PodTemplate<'_>],
) -> BTreeMap<ResourceRef, Vec<ExposedBy>> {
    let mut out: BTreeMap<ResourceRef, Vec<ExposedBy>> = BTreeMap::new();
    let services: Vec<&Object> = inventory.of_kind("Service").collect();
    let mut add = |pod: &PodTemplate<'_>, e: ExposedBy| {
        let list = out.entry(pod.object.id.clone()).or_default();
        if !list.contains(&e) {
            list.push(e);
        }
    };
    for s in &services {
        let spec = s.root.get("spec").unwrap_or(Node::null());
        let ty = spec
            .get("type")
            .and_then(Node::as_str)
            .unwrap_or("ClusterIP");
        let ports: Vec<String> = spec
            .get("ports")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|p| p.get("port").and_then(Node::as_i64))
            .map(|p| p.to_string())
            .collect();
        let detail = format!(
            "port {}",
            if ports.is_empty() {
                "?".to_string()
            } else {
                ports.join(", ")
            }
        );
        let mut ways: Vec<(&'static str, bool)> = Vec::new();
        match ty {
            "LoadBalancer" => ways.push(("LoadBalancer", !is_internal_lb(s))),
            "NodePort" => ways.push(("NodePort", false)),
            _ => {}
        }
        if spec
            .get("externalIPs")
            .and_then(Node::as_seq)
            .is_some_and(|v| !v.is_empty())
        {
            ways.push(("externalIPs", true));
        }
        if ways.is_empty() {
            continue;
        }
        for pod in backends(s, pods) {
            for (via, internet) in &ways {
                add(
                    pod,
                    ExposedBy {
                        via,
                        object: s.id.clone(),
                        location: s.origin.clone(),
                        detail: detail.clone(),
                        internet: *internet,
                    },
                );
            }
        }
    }
    // Ingresses and HTTPRoutes send outside traffic to Services.
    let service_named = |ns: Option<&str>, name: &str| {
        services
            .iter()
            .copied()
            .find(|s| s.id.namespace.as_deref() == ns && s.id.name == name)
    };
    for ing in inventory.of_kind("Ingress") {
        let ns = ing.id.namespace.as_deref();
        let spec = ing.root.get("spec").unwrap_or(Node::null());
        let mut targets: Vec<(String, String)> = Vec::new(); // (service, host)
        if let Some(name) = spec
            .at(&["defaultBackend", "service", "name"])
            .and_then(Node::as_str)
        {
            targets.push((name.to_string(), "*".to_string()));
        }
        for rule in spec.get("rules").and_then(Node::as_seq).unwrap_or(&[]) {
            let host = rule
                .get("host")
                .and_then(Node::as_str)
                .unwrap_or("*")
                .to_string();
            for path in rule
                .at(&["http", "paths"])
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                let name = path
                    .at(&["backend", "service", "name"])
                    .or_else(|| path.at(&["backend", "serviceName"]))
                    .and_then(Node::as_str);
                if let Some(name) = name {
                    targets.push((name.to_string(), host.clone()));
                }
            }
        }
        for (svc, host) in targets {
            let Some(s) = service_named(ns, &svc) else {
                continue;
            };
            for pod in backends(s, pods) {
                add(
                    pod,
                    ExposedBy {
                        via: "Ingress",
                        object: ing.id.clone(),
                        location: ing.origin.clone(),
                        detail: format!("host {host}"),
                        internet: true,
                    },
                );
            }
        }
    }
    for route in inventory
        .objects
        .iter()
        .filter(|o| o.id.group() == "gateway.networking.k8s.io" && o.kind().ends_with("Route"))
    {
        let ns = route.id.namespace.as_deref();
        let hosts: Vec<&str> = route
            .root
            .at(&["spec", "hostnames"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        for rule in route
            .root
            .at(&["spec", "rules"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            for b in rule
                .get("backendRefs")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                let kind = b.get("kind").and_then(Node::as_str).unwrap_or("Service");
                if kind != "Service" {
                    continue;
                }
                let Some(name) = b.get("name").and_then(Node::as_str) else {
                    continue;
                };
                let bns = b.get("namespace").and_then(Node::as_str).or(ns);
                let Some(s) = service_named(bns, name) else {
                    continue;
                };
                for pod in backends(s, pods) {
                    add(
                        pod,
                        ExposedBy {
                            via: "HTTPRoute",
                            object: route.id.clone(),
                            location: route.origin.clone(),
                            detail: if hosts.is_empty() {
                                "any host".to_string()
                            } else {
                                format!("host {}", hosts.join(", "))
                            },
                            internet: true,
                        },
                    );
                }
            }
        }
    }
    out
}
