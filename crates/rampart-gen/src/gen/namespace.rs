//! A namespace's own objects: the Namespace (team/env and Pod Security Admission labels),
//! ResourceQuota, LimitRange, ServiceAccounts, shared Secrets and ConfigMaps.

use serde_json::{json, Map, Value};

use super::pods::fake_pem;
use super::{object, sa_automount_off, sa_name, with_labels, Gen};
use crate::plan::{Flavor, Psa};
use crate::rng::Rng;
use crate::util::{base64, labels};

impl Gen<'_> {
    pub(super) fn ns_core(&self, nsi: usize, rng: &mut Rng) -> Vec<Value> {
        let ns = &self.plan.namespaces[nsi];
        let name = ns.name.as_str();
        let mut out = Vec::new();

        // Namespace.
        let mut nl = Map::new();
        if self.live() {
            nl.insert("kubernetes.io/metadata.name".into(), name.into());
        }
        if name != "kube-system" {
            nl.insert("team".into(), ns.team.into());
            nl.insert("env".into(), ns.env.into());
            let level = |p: Psa| match p {
                Psa::Restricted => "restricted",
                Psa::Baseline => "baseline",
                _ => "privileged",
            };
            let psa = "pod-security.kubernetes.io";
            match ns.enforce {
                Psa::None => {
                    if rng.pct(30) {
                        nl.insert(format!("{psa}/audit"), "restricted".into());
                        nl.insert(
                            format!("{psa}/warn"),
                            (*rng.pick(&["restricted", "baseline"])).into(),
                        );
                    }
                }
                p => {
                    nl.insert(format!("{psa}/enforce"), level(p).into());
                    if rng.pct(40) {
                        nl.insert(
                            format!("{psa}/enforce-version"),
                            (*rng.pick(&["latest", "v1.29"])).into(),
                        );
                    }
                    let stricter = match p {
                        Psa::Privileged => "baseline",
                        _ => "restricted",
                    };
                    if rng.pct(55) {
                        nl.insert(format!("{psa}/audit"), stricter.into());
                        nl.insert(format!("{psa}/warn"), stricter.into());
                    }
                }
            }
        }
        let mut na = Map::new();
        if !ns.system && rng.pct(50) {
            na.insert(
                "owner".into(),
                format!("team-{}@example.com", ns.team).into(),
            );
        }
        let meta = with_labels(self.meta("Namespace", None, name), nl, na);
        let rest = if self.live() {
            vec![("spec", json!({"finalizers": ["kubernetes"]}))]
        } else {
            vec![]
        };
        out.push(object("v1", "Namespace", meta, rest));

        // Quota and limits.
        if !ns.system && rng.pct(40) {
            let cpu = (ns.pods.max(4) as u64).div_ceil(4) * 2;
            let mut hard = Map::new();
            hard.insert("requests.cpu".into(), cpu.to_string().into());
            hard.insert("requests.memory".into(), format!("{}Gi", cpu * 4).into());
            hard.insert("limits.cpu".into(), (cpu * 2).to_string().into());
            hard.insert("limits.memory".into(), format!("{}Gi", cpu * 8).into());
            hard.insert("pods".into(), (ns.pods * 2 + 10).to_string().into());
            if rng.pct(50) {
                hard.insert("services.loadbalancers".into(), "2".into());
                hard.insert("services.nodeports".into(), "0".into());
            }
            if rng.pct(30) {
                hard.insert("count/secrets".into(), "200".into());
                hard.insert("persistentvolumeclaims".into(), "20".into());
            }
            let meta = self.meta("ResourceQuota", Some(name), "compute-quota");
            out.push(object(
                "v1",
                "ResourceQuota",
                meta,
                vec![("spec", json!({ "hard": hard }))],
            ));
        }
        if !ns.system && rng.pct(35) {
            let meta = self.meta("LimitRange", Some(name), "default-limits");
            let mut limit = Map::new();
            limit.insert("type".into(), "Container".into());
            limit.insert("default".into(), json!({"cpu": "500m", "memory": "512Mi"}));
            limit.insert(
                "defaultRequest".into(),
                json!({"cpu": "100m", "memory": "128Mi"}),
            );
            if rng.pct(50) {
                limit.insert("max".into(), json!({"cpu": "4", "memory": "8Gi"}));
                limit.insert("min".into(), json!({"cpu": "10m", "memory": "16Mi"}));
            }
            out.push(object(
                "v1",
                "LimitRange",
                meta,
                vec![("spec", json!({"limits": [Value::Object(limit)]}))],
            ));
        }

        // Service accounts.
        let mut sas: Vec<String> = Vec::new();
        if self.live() {
            sas.push("default".into());
        }
        sas.extend((0..ns.service_accounts).map(sa_name));
        for w in &ns.workloads {
            if matches!(w.flavor, Flavor::Infra(_) | Flavor::Agent(_)) && !sas.contains(&w.name) {
                sas.push(w.name.clone());
            }
        }
        let mut token_secrets = Vec::new();
        for sa in &sas {
            let mut ann = Map::new();
            if sa != "default" && rng.pct(30) {
                ann.insert(
                    "eks.amazonaws.com/role-arn".into(),
                    format!("arn:aws:iam::123456789012:role/{name}-{sa}").into(),
                );
            }
            let sl = if sa == "default" {
                Map::new()
            } else {
                labels(&[("app.kubernetes.io/name", sa)])
            };
            let meta = with_labels(self.meta("ServiceAccount", Some(name), sa), sl, ann);
            let mut rest = Vec::new();
            if sa_automount_off(self.cfg.seed, name, sa) {
                rest.push(("automountServiceAccountToken", false.into()));
            }
            if !ns.system && sa != "default" && rng.pct(10) {
                rest.push((
                    "imagePullSecrets",
                    json!([{"name": "registry-credentials"}]),
                ));
            }
            if sa != "default" && rng.pct(8) {
                token_secrets.push(sa.clone());
            }
            out.push(object("v1", "ServiceAccount", meta, rest));
        }

        // Shared secrets.
        if !ns.system {
            let meta = self.meta("Secret", Some(name), "db-credentials");
            let pw = format!("fake-db-password-{}", rng.hex(12));
            if !self.live() && rng.pct(10) {
                // Plain text in the manifest.
                out.push(object(
                    "v1",
                    "Secret",
                    meta,
                    vec![
                        ("type", "Opaque".into()),
                        ("stringData", json!({"username": "app", "password": pw})),
                    ],
                ));
            } else {
                out.push(object(
                    "v1",
                    "Secret",
                    meta,
                    vec![
                        ("type", "Opaque".into()),
                        (
                            "data",
                            json!({"username": base64(b"app"), "password": base64(pw.as_bytes())}),
                        ),
                    ],
                ));
            }
            let meta = self.meta("Secret", Some(name), "api-keys");
            let keys: Map<String, Value> = ["stripe", "sendgrid", "maps"]
                .iter()
                .map(|k| {
                    let v = format!("fake-{k}-key-{}", rng.hex(16));
                    (k.to_string(), base64(v.as_bytes()).into())
                })
                .collect();
            out.push(object(
                "v1",
                "Secret",
                meta,
                vec![("type", "Opaque".into()), ("data", Value::Object(keys))],
            ));
            let meta = self.meta("Secret", Some(name), "registry-credentials");
            let auth = base64(format!("robot:fake-{}", rng.hex(20)).as_bytes());
            let cfg = format!(
                "{{\"auths\":{{\"registry.acme.example:5000\":{{\"username\":\"robot\",\"password\":\"fake\",\"auth\":\"{auth}\"}}}}}}"
            );
            out.push(object(
                "v1",
                "Secret",
                meta,
                vec![
                    ("type", "kubernetes.io/dockerconfigjson".into()),
                    ("data", json!({".dockerconfigjson": base64(cfg.as_bytes())})),
                ],
            ));
        }
        for sa in token_secrets {
            let secret = format!("{sa}-token");
            let mut ann = Map::new();
            ann.insert(
                "kubernetes.io/service-account.name".into(),
                sa.as_str().into(),
            );
            if self.live() {
                ann.insert(
                    "kubernetes.io/service-account.uid".into(),
                    self.uid("ServiceAccount", name, &sa).into(),
                );
            }
            let meta = with_labels(self.meta("Secret", Some(name), &secret), Map::new(), ann);
            let mut rest = vec![("type", "kubernetes.io/service-account-token".into())];
            if self.live() {
                let jwt = format!(
                    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZmFrZSJ9.{}",
                    rng.hex(40)
                );
                rest.push((
                    "data",
                    json!({
                        "ca.crt": base64(fake_pem(rng, "CERTIFICATE").as_bytes()),
                        "namespace": base64(name.as_bytes()),
                        "token": base64(jwt.as_bytes()),
                    }),
                ));
            }
            out.push(object("v1", "Secret", meta, rest));
        }

        // ConfigMaps.
        if self.live() {
            let meta = with_labels(
                self.meta("ConfigMap", Some(name), "kube-root-ca.crt"),
                Map::new(),
                labels(&[(
                    "kubernetes.io/description",
                    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
                )]),
            );
            out.push(object(
                "v1",
                "ConfigMap",
                meta,
                vec![(
                    "data",
                    json!({"ca.crt": fake_pem(&mut Rng::new(self.cfg.seed), "CERTIFICATE")}),
                )],
            ));
        }
        if !ns.system && rng.pct(40) {
            let cm = format!("{}-shared-config", ns.team);
            let meta = with_labels(
                self.meta("ConfigMap", Some(name), &cm),
                labels(&[("team", ns.team)]),
                Map::new(),
            );
            out.push(object(
                "v1",
                "ConfigMap",
                meta,
                vec![(
                    "data",
                    json!({
                        "REGION": "eu-west-1",
                        "TRACING_SAMPLE_RATE": "0.1",
                        "KAFKA_BROKERS": format!("kafka-0.kafka-headless.{name}.svc:9092"),
                    }),
                )],
            ));
        }
        out
    }
}
