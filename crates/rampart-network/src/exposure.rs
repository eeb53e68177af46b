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

/// Whether a LoadBalancer Service gets an internal (VPC-only) load balancer:
/// the annotations of AWS (in-tree provider and AWS Load Balancer
/// Controller), GKE, Azure, OCI, IBM Cloud, Alibaba Cloud and OpenStack.
pub fn is_internal_lb(service: &Object) -> bool {
    let a = service.annotations();
    let get = |k: &str| a.get(k).and_then(Node::as_str).map(str::trim);
    let is = |k: &str, v: &[&str]| get(k).is_some_and(|x| v.contains(&x));
    // The in-tree AWS provider makes any value but "false" internal.
    let aws_internal = get("service.beta.kubernetes.io/aws-load-balancer-internal")
        .is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false"));
    let aws_scheme = get("service.beta.kubernetes.io/aws-load-balancer-scheme");
    // The AWS Load Balancer Controller (type `external`/`nlb-ip`, or its
    // loadBalancerClass) creates internal NLBs unless told `internet-facing`.
    let aws_lbc = is(
        "service.beta.kubernetes.io/aws-load-balancer-type",
        &["external", "nlb-ip"],
    ) || service
        .root
        .at(&["spec", "loadBalancerClass"])
        .and_then(Node::as_str)
        == Some("service.k8s.aws/nlb");
    aws_internal
        || aws_scheme == Some("internal")
        || (aws_lbc && aws_scheme.is_none())
        || is("networking.gke.io/load-balancer-type", &["Internal"])
        || is(
            "cloud.google.com/load-balancer-type",
            &["Internal", "internal"],
        )
        || is(
            "service.beta.kubernetes.io/azure-load-balancer-internal",
            &["true"],
        )
        || is(
            "service.beta.kubernetes.io/oci-load-balancer-internal",
            &["true"],
        )
        || is(
            "oci-network-load-balancer.oraclecloud.com/internal",
            &["true"],
        )
        || is(
            "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
            &["private"],
        )
        || is(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
            &["intranet"],
        )
        || is(
            "service.beta.kubernetes.io/openstack-internal-load-balancer",
            &["true"],
        )
}

/// Whether an Ingress is served by an internal load balancer: GKE's
/// `gce-internal` class, an AWS ALB without `scheme: internet-facing` (the
/// AWS Load Balancer Controller defaults to internal), Azure's Application
/// Gateway on its private address, or a class named as internal or private
/// (`nginx-internal`, `internal-nginx`, `private`), the usual convention for
/// a second, VPC-only controller.
pub fn is_internal_ingress(ingress: &Object) -> bool {
    let a = ingress.annotations();
    let get = |k: &str| a.get(k).and_then(Node::as_str).map(str::trim);
    let class = ingress
        .root
        .at(&["spec", "ingressClassName"])
        .and_then(Node::as_str)
        .or_else(|| get("kubernetes.io/ingress.class"))
        .unwrap_or("")
        .to_ascii_lowercase();
    let alb = class == "alb" || get("alb.ingress.kubernetes.io/scheme").is_some();
    (alb && get("alb.ingress.kubernetes.io/scheme") != Some("internet-facing"))
        || get("appgw.ingress.kubernetes.io/use-private-ip") == Some("true")
        || class.contains("internal")
        || class.contains("private")
}

/// Workloads selected by a Service's selector, in its namespace.
fn backends<'p, 'a>(
    service: &Object,
    by_ns: &BTreeMap<&str, Vec<&'p PodTemplate<'a>>>,
) -> Vec<&'p PodTemplate<'a>> {
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
    let ns = service.id.namespace.as_deref().unwrap_or("");
    by_ns
        .get(ns)
        .map(|pods| {
            pods.iter()
                .copied()
                .filter(|p| {
                    selector
                        .iter()
                        .all(|(k, v)| p.labels().get(k).and_then(Node::as_str) == v.as_str())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every exposed workload, with how it is exposed. Keys are the workloads.
pub fn exposures(
    inventory: &Inventory,
    pods: &[PodTemplate<'_>],
) -> BTreeMap<ResourceRef, Vec<ExposedBy>> {
    let mut out: BTreeMap<ResourceRef, Vec<ExposedBy>> = BTreeMap::new();
    // Services select pods of their own namespace only.
    let mut by_ns: BTreeMap<&str, Vec<&PodTemplate<'_>>> = BTreeMap::new();
    for p in pods {
        by_ns
            .entry(p.object.id.namespace.as_deref().unwrap_or(""))
            .or_default()
            .push(p);
    }
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
        for pod in backends(s, &by_ns) {
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
        let internet = !is_internal_ingress(ing);
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
            for pod in backends(s, &by_ns) {
                add(
                    pod,
                    ExposedBy {
                        via: "Ingress",
                        object: ing.id.clone(),
                        location: ing.origin.clone(),
                        detail: format!("host {host}"),
                        internet,
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
                for pod in backends(s, &by_ns) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(text: &str) -> Inventory {
        let inv = rampart_load::load_text("t.yaml", text, &rampart_load::LoadOptions::default());
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        inv
    }

    fn object<'a>(inv: &'a Inventory, name: &str) -> &'a Object {
        inv.objects.iter().find(|o| o.id.name == name).expect(name)
    }

    #[test]
    fn internal_load_balancers() {
        let inv = inventory(
            r#"
apiVersion: v1
kind: Service
metadata: {name: lbc-default, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external}}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata:
  name: lbc-public
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: in-tree-nlb, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-false, annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "false"}}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-cidr, annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: 10.0.0.0/8}}
spec: {type: LoadBalancer}
"#,
        );
        assert!(is_internal_lb(object(&inv, "lbc-default")));
        assert!(!is_internal_lb(object(&inv, "lbc-public")));
        assert!(!is_internal_lb(object(&inv, "in-tree-nlb")));
        assert!(!is_internal_lb(object(&inv, "legacy-false")));
        assert!(is_internal_lb(object(&inv, "legacy-cidr")));
    }

    #[test]
    fn internal_ingresses_are_not_internet_facing() {
        let inv = inventory(
            r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: shop}
spec: {selector: {app: app}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: internal, namespace: shop}
spec:
  ingressClassName: internal-nginx
  defaultBackend: {service: {name: app, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: alb-default, namespace: shop, annotations: {kubernetes.io/ingress.class: alb}}
spec:
  defaultBackend: {service: {name: app, port: {number: 80}}}
"#,
        );
        let pods: Vec<PodTemplate<'_>> = inv.objects.iter().filter_map(PodTemplate::of).collect();
        let ways = exposures(&inv, &pods);
        let app = ways.values().next().expect("app is exposed");
        assert_eq!(app.len(), 2);
        assert!(app.iter().all(|e| e.via == "Ingress" && !e.internet));
        // A public class (or none) is internet-facing.
        let public = inventory(
            r#"
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop, labels: {app: app}}
spec: {containers: [{name: app, image: app:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: shop}
spec: {selector: {app: app}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: public, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: app, port: {number: 80}}}
"#,
        );
        let pods: Vec<PodTemplate<'_>> =
            public.objects.iter().filter_map(PodTemplate::of).collect();
        let ways = exposures(&public, &pods);
        assert!(ways.values().next().expect("exposed")[0].internet);
    }
}
