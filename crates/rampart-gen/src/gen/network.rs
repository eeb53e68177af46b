//! NetworkPolicies: default-deny, DNS egress, allow rules with pod and namespace selectors
//! (in one peer and as separate peers), ipBlock with exceptions, named ports, port ranges,
//! and a few that open everything.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::{object, with_labels, Gen};
use crate::plan::Flavor;
use crate::rng::Rng;
use crate::util::labels;

impl Gen<'_> {
    pub(super) fn ns_network(&self, nsi: usize, rng: &mut Rng) -> Vec<Value> {
        let ns = &self.plan.namespaces[nsi];
        let mut out = Vec::new();
        let mut taken: HashSet<String> = HashSet::new();
        // Pod selectors of the namespace's workloads: (selector, port name).
        let apps: Vec<(Value, Option<&str>)> = ns
            .workloads
            .iter()
            .map(|w| {
                let sel = match w.flavor {
                    Flavor::Infra(i) if crate::vocab::INFRA[i].namespace == 0 => {
                        let k = if w.name == "coredns" {
                            "kube-dns"
                        } else {
                            &w.name
                        };
                        json!({"matchLabels": {"k8s-app": k}})
                    }
                    Flavor::Infra(_) => json!({"matchLabels": {"app.kubernetes.io/name": w.name}}),
                    _ => json!({"matchLabels": {"app": w.name}}),
                };
                (sel, w.port.map(|p| p.1))
            })
            .collect();
        let pick_app = |rng: &mut Rng| -> (Value, Option<&str>) {
            if apps.is_empty() {
                (json!({"matchLabels": {"tier": "backend"}}), Some("http"))
            } else {
                apps[rng.below(apps.len())].clone()
            }
        };
        let port_of = |rng: &mut Rng, name: Option<&str>| -> Value {
            match name {
                Some(n) if rng.pct(60) => json!({"protocol": "TCP", "port": n}),
                _ => json!({"protocol": "TCP", "port": *rng.pick(&[8080, 80, 443, 9090])}),
            }
        };

        for j in 0..ns.policies {
            let first = j == 0 && rng.pct(65);
            let (base, spec) = if first {
                match rng.weighted(&[50, 35, 15]) {
                    0 => (
                        "default-deny-all",
                        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
                    ),
                    1 => (
                        "default-deny-ingress",
                        json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
                    ),
                    _ => (
                        "default-deny-egress",
                        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
                    ),
                }
            } else {
                match rng.weighted(&[14, 16, 12, 10, 12, 10, 8, 6, 5, 7]) {
                    0 => (
                        "allow-dns",
                        json!({
                            "podSelector": {},
                            "policyTypes": ["Egress"],
                            "egress": [{
                                // Both selectors in one peer: kube-dns pods in kube-system.
                                "to": [{
                                    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                                    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                                }],
                                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                            }],
                        }),
                    ),
                    1 => {
                        let (sel, port) = pick_app(rng);
                        // Separate peers: the ingress controller's namespace OR frontends here.
                        let spec = json!({
                            "podSelector": sel,
                            "policyTypes": ["Ingress"],
                            "ingress": [{
                                "from": [
                                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}},
                                    {"podSelector": {"matchLabels": {"tier": "frontend"}}},
                                ],
                                "ports": [port_of(rng, port)],
                            }],
                        });
                        ("allow-from-ingress", spec)
                    }
                    2 => {
                        let (sel, _) = pick_app(rng);
                        (
                            "allow-same-namespace",
                            json!({"podSelector": sel, "ingress": [{"from": [{"podSelector": {}}]}]}),
                        )
                    }
                    3 => {
                        let (sel, _) = pick_app(rng);
                        (
                            "allow-prometheus-scrape",
                            json!({
                                "podSelector": sel,
                                "policyTypes": ["Ingress"],
                                "ingress": [{
                                    "from": [{
                                        "namespaceSelector": {"matchLabels": {"team": "observability"}},
                                        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
                                    }],
                                    "ports": [{"port": "metrics"}],
                                }],
                            }),
                        )
                    }
                    4 => {
                        let (sel, _) = pick_app(rng);
                        let mut except = vec![json!("169.254.169.254/32")];
                        if rng.pct(60) {
                            except.extend([
                                json!("10.0.0.0/8"),
                                json!("172.16.0.0/12"),
                                json!("192.168.0.0/16"),
                            ]);
                        }
                        (
                            "allow-internet-egress",
                            json!({
                                "podSelector": sel,
                                "policyTypes": ["Egress"],
                                "egress": [{
                                    "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": except}}],
                                    "ports": [{"protocol": "TCP", "port": 443}],
                                }],
                            }),
                        )
                    }
                    5 => {
                        let (from, _) = pick_app(rng);
                        let (to, port) = pick_app(rng);
                        (
                            "allow-app-to-app",
                            json!({
                                "podSelector": from,
                                "policyTypes": ["Egress"],
                                "egress": [{"to": [{"podSelector": to}], "ports": [port_of(rng, port)]}],
                            }),
                        )
                    }
                    6 => {
                        let (sel, _) = pick_app(rng);
                        (
                            "allow-nodeports",
                            json!({
                                "podSelector": sel,
                                "policyTypes": ["Egress"],
                                "egress": [{
                                    "to": [{"ipBlock": {"cidr": "10.0.0.0/16"}}],
                                    "ports": [{"protocol": "TCP", "port": 30000, "endPort": 32767}],
                                }],
                            }),
                        )
                    }
                    7 => {
                        let (sel, _) = pick_app(rng);
                        // An empty rule: allows all ingress to the selected pods.
                        (
                            "allow-all-ingress",
                            json!({"podSelector": sel, "policyTypes": ["Ingress"], "ingress": [{}]}),
                        )
                    }
                    8 => (
                        "allow-all-egress",
                        json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{}]}),
                    ),
                    _ => {
                        let (sel, port) = pick_app(rng);
                        // Every namespace: an empty namespaceSelector.
                        (
                            "allow-from-all-namespaces",
                            json!({
                                "podSelector": sel,
                                "ingress": [{
                                    "from": [{"namespaceSelector": {}}],
                                    "ports": [port_of(rng, port)],
                                }],
                            }),
                        )
                    }
                }
            };
            let mut name = base.to_string();
            let mut k = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{k}");
                k += 1;
            }
            let l = if ns.system {
                Map::new()
            } else {
                labels(&[("team", ns.team)])
            };
            let meta = with_labels(
                self.meta("NetworkPolicy", Some(&ns.name), &name),
                l,
                Map::new(),
            );
            out.push(object(
                "networking.k8s.io/v1",
                "NetworkPolicy",
                meta,
                vec![("spec", spec)],
            ));
        }
        out
    }
}
