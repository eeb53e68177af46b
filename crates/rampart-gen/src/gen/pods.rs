//! Pod templates: containers, images, env, resources, probes, volumes and security settings,
//! good and bad; and the Pod objects a live cluster derives from them.

use serde_json::{json, Map, Value};

use super::{object, sa_automount_off, sa_name, with_labels, Gen};
use crate::plan::{Flavor, Kind, Namespace, Psa, Workload};
use crate::rng::Rng;
use crate::util::{base64, labels};
use crate::vocab::*;

pub struct Template {
    pub labels: Map<String, Value>,
    pub annotations: Map<String, Value>,
    pub selector: Map<String, Value>,
    pub spec: Map<String, Value>,
    /// StatefulSet `volumeClaimTemplates`.
    pub claims: Option<Value>,
    /// Objects that ship with the workload (its ConfigMap and Secret).
    pub extras: Vec<Value>,
    /// Whether the main container names its port (Services may then target it by name).
    pub named_port: bool,
    /// StatefulSet `serviceName`.
    pub service_name: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Profile {
    /// Meets the restricted Pod Security Standard.
    Restricted,
    /// Some hardening, not all.
    Partial,
    /// No securityContext at all.
    Bare,
    /// Something clearly dangerous.
    Bad,
}

/// The main image of a team workload: one of several registries, tags of every kind.
fn app_image(rng: &mut Rng, team: &str, app: &str) -> String {
    let org = rng.pick(GITHUB_ORGS);
    let repo = match rng.weighted(&[35, 25, 12, 10, 10, 8]) {
        0 => format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/{team}/{app}"),
        1 => format!("ghcr.io/{org}/{app}"),
        2 => format!("acmecorp/{app}"),
        3 => format!("quay.io/{org}/{app}"),
        4 => format!("europe-docker.pkg.dev/acme-prod/{team}/{app}"),
        _ => format!("registry.acme.example:5000/{team}/{app}"),
    };
    let version = format!(
        "{}.{}.{}",
        rng.range(0, 4),
        rng.range(0, 30),
        rng.range(0, 12)
    );
    match rng.weighted(&[42, 18, 9, 3, 14, 14]) {
        0 => format!("{repo}:v{version}"),
        1 => format!("{repo}:sha-{}", rng.hex(7)),
        2 => format!("{repo}:latest"),
        3 => repo,
        4 => format!("{repo}@sha256:{}", rng.hex(64)),
        _ => format!("{repo}:v{version}@sha256:{}", rng.hex(64)),
    }
}

/// A vendor image as published (`name:tag`), sometimes retagged `latest`, sometimes pinned.
fn vendor_image(rng: &mut Rng, image: &str) -> String {
    match rng.weighted(&[70, 12, 18]) {
        0 => image.to_string(),
        1 => {
            let repo = image.rsplit_once(':').map_or(image, |(r, _)| r);
            if rng.pct(50) {
                format!("{repo}:latest")
            } else {
                repo.to_string()
            }
        }
        _ => format!("{image}@sha256:{}", rng.hex(64)),
    }
}

fn resources(rng: &mut Rng) -> Option<Value> {
    let cpu = *rng.pick(&["50m", "100m", "250m", "500m", "1", "2"]);
    let mem = *rng.pick(&["64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi"]);
    let cpu_lim = *rng.pick(&["500m", "1", "2", "4"]);
    let mem_lim = *rng.pick(&["256Mi", "512Mi", "1Gi", "2Gi", "4Gi", "8Gi"]);
    match rng.weighted(&[45, 15, 15, 5, 20]) {
        0 => Some(json!({
            "limits": {"cpu": cpu_lim, "memory": mem_lim},
            "requests": {"cpu": cpu, "memory": mem},
        })),
        // Memory limit only: the common "no CPU limits" policy.
        1 => Some(json!({
            "limits": {"memory": mem_lim},
            "requests": {"cpu": cpu, "memory": mem},
        })),
        2 => Some(json!({"requests": {"cpu": cpu, "memory": mem}})),
        3 => Some(json!({"limits": {"cpu": cpu_lim, "memory": mem_lim}})),
        _ => None,
    }
}

fn probe(rng: &mut Rng, port: Option<(u16, &str)>, named: bool, flavor: Flavor) -> Value {
    let port_ref: Value = match port {
        Some((_, name)) if named => name.into(),
        Some((p, _)) => p.into(),
        None => 8080.into(),
    };
    let handler = match (flavor, port) {
        (Flavor::Store(s), _) if STORES[s].name == "redis" => {
            ("exec", json!({"command": ["redis-cli", "ping"]}))
        }
        (Flavor::Store(_), _) => ("tcpSocket", json!({ "port": port_ref })),
        (_, Some((_, "dns"))) => ("httpGet", json!({"path": "/health", "port": 8080})),
        (Flavor::Infra(_) | Flavor::Agent(_), _) => {
            ("httpGet", json!({"path": "/healthz", "port": port_ref}))
        }
        (_, Some((p, "grpc"))) => ("grpc", json!({ "port": p })),
        _ => match rng.weighted(&[75, 15, 10]) {
            0 => (
                "httpGet",
                json!({"path": *rng.pick(&["/healthz", "/ready", "/health", "/actuator/health"]), "port": port_ref}),
            ),
            1 => ("tcpSocket", json!({ "port": port_ref })),
            _ => ("exec", json!({"command": ["cat", "/tmp/healthy"]})),
        },
    };
    let mut m = Map::new();
    m.insert(handler.0.into(), handler.1);
    m.insert(
        "initialDelaySeconds".into(),
        (*rng.pick(&[0, 5, 10, 15, 30])).into(),
    );
    m.insert("periodSeconds".into(), (*rng.pick(&[5, 10, 20])).into());
    if rng.pct(40) {
        m.insert("timeoutSeconds".into(), (*rng.pick(&[1, 2, 5])).into());
        m.insert("failureThreshold".into(), (*rng.pick(&[3, 5, 6])).into());
    }
    Value::Object(m)
}

/// A dangerous setting a Bad pod gets (one or two of these).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bad {
    Privileged,
    DockerSocket,
    HostRoot,
    HostNetwork,
    HostPid,
    HostIpc,
    SysAdmin,
    NetAdmin,
    RunAsRoot,
    Escalation,
    HostPort,
    Unconfined,
}

const BADS: &[(Bad, u32)] = &[
    (Bad::Privileged, 14),
    (Bad::DockerSocket, 8),
    (Bad::HostRoot, 5),
    (Bad::HostNetwork, 10),
    (Bad::HostPid, 5),
    (Bad::HostIpc, 3),
    (Bad::SysAdmin, 9),
    (Bad::NetAdmin, 7),
    (Bad::RunAsRoot, 16),
    (Bad::Escalation, 10),
    (Bad::HostPort, 6),
    (Bad::Unconfined, 7),
];

impl Gen<'_> {
    pub(super) fn pod_template(&self, ns: &Namespace, w: &Workload, rng: &mut Rng) -> Template {
        let live = self.live();
        let host: Option<&Host> = match w.flavor {
            Flavor::Agent(a) => Some(&AGENTS[a].host),
            Flavor::Infra(i) => Some(&INFRA[i].host),
            _ => None,
        };
        let host_access = host.is_some_and(|h| {
            h.host_network || h.host_pid || h.privileged || h.run_as_root || !h.paths.is_empty()
        });

        // Labels and selector.
        let mut selector = Map::new();
        let mut pod_labels = Map::new();
        match w.flavor {
            Flavor::Infra(i) if INFRA[i].namespace == 0 => {
                let k8s_app = if w.name == "coredns" {
                    "kube-dns"
                } else {
                    &w.name
                };
                selector.insert("k8s-app".into(), k8s_app.into());
                pod_labels = selector.clone();
            }
            Flavor::Infra(_) => {
                selector.insert("app.kubernetes.io/name".into(), w.name.as_str().into());
                pod_labels = selector.clone();
                pod_labels.insert("app.kubernetes.io/part-of".into(), ns.name.as_str().into());
            }
            _ => {
                selector.insert("app".into(), w.name.as_str().into());
                pod_labels.insert("app".into(), w.name.as_str().into());
                pod_labels.insert("tier".into(), w.tier.into());
                pod_labels.insert("team".into(), ns.team.into());
                if rng.pct(45) {
                    pod_labels.insert("app.kubernetes.io/name".into(), w.name.as_str().into());
                    pod_labels.insert("app.kubernetes.io/component".into(), w.tier.into());
                }
                if rng.pct(25) {
                    pod_labels.insert("version".into(), format!("v{}", rng.range(1, 9)).into());
                }
            }
        }
        let mut annotations = Map::new();
        if let Some((p, "metrics" | "http-metrics" | "prometheus")) = w.port {
            annotations.insert("prometheus.io/scrape".into(), "true".into());
            annotations.insert("prometheus.io/port".into(), p.to_string().into());
        } else if w.port.is_some() && rng.pct(20) {
            annotations.insert("prometheus.io/scrape".into(), "true".into());
            annotations.insert("prometheus.io/path".into(), "/metrics".into());
        }

        // How hardened is this pod?
        let profile = if host_access {
            Profile::Partial
        } else if host.is_some() {
            Profile::Restricted
        } else {
            let weights: [u32; 4] = match ns.enforce {
                Psa::Restricted => [76, 12, 2, 10],
                Psa::Baseline => [32, 38, 12, 18],
                _ => [27, 30, 9, 34],
            };
            [
                Profile::Restricted,
                Profile::Partial,
                Profile::Bare,
                Profile::Bad,
            ][rng.weighted(&weights)]
        };
        let mut bads: Vec<Bad> = Vec::new();
        if profile == Profile::Bad {
            let weights: Vec<u32> = BADS.iter().map(|b| b.1).collect();
            for _ in 0..if rng.pct(30) { 2 } else { 1 } {
                let b = BADS[rng.weighted(&weights)].0;
                if !bads.contains(&b) {
                    bads.push(b);
                }
            }
        }
        let has = |b: Bad| bads.contains(&b);

        let mut spec = Map::new();
        let mut volumes: Vec<Value> = Vec::new();
        let mut mounts: Vec<Value> = Vec::new();
        let mut extras = Vec::new();
        let team_ns = !ns.system;

        // The workload's own ConfigMap and Secret.
        let batch = matches!(w.kind, Kind::Job | Kind::CronJob);
        let config = (matches!(w.flavor, Flavor::App | Flavor::Batch) && rng.pct(50))
            .then(|| format!("{}-config", w.name));
        let secret = (matches!(w.flavor, Flavor::App | Flavor::Batch | Flavor::Store(_))
            && rng.pct(30))
        .then(|| format!("{}-secrets", w.name));
        if let Some(cm) = &config {
            let mut data = Map::new();
            data.insert(
                "LOG_FORMAT".into(),
                (*rng.pick(&["json", "text", "logfmt"])).into(),
            );
            data.insert(
                "FEATURE_FLAGS".into(),
                (*rng.pick(&["", "new-checkout", "dark-mode,fast-search"])).into(),
            );
            let port = w.port.map_or(8080, |p| p.0);
            data.insert(
                "application.yaml".into(),
                format!(
                    "server:\n  port: {port}\n  shutdown: graceful\nlogging:\n  level: {}\ncache:\n  ttl: {}s\n",
                    rng.pick(&["INFO", "DEBUG", "WARN"]),
                    rng.range(10, 600)
                )
                .into(),
            );
            let meta = with_labels(
                self.meta("ConfigMap", Some(&ns.name), cm),
                labels(&[("app", &w.name)]),
                Map::new(),
            );
            extras.push(object(
                "v1",
                "ConfigMap",
                meta,
                vec![("data", Value::Object(data))],
            ));
        }
        if let Some(s) = &secret {
            let meta = with_labels(
                self.meta("Secret", Some(&ns.name), s),
                labels(&[("app", &w.name)]),
                Map::new(),
            );
            let token = format!("fake-token-{}", rng.hex(24));
            let signing = format!("not-a-real-signing-key-{}", rng.hex(16));
            extras.push(object(
                "v1",
                "Secret",
                meta,
                vec![
                    ("type", "Opaque".into()),
                    (
                        "data",
                        json!({
                            "API_TOKEN": base64(token.as_bytes()),
                            "SIGNING_KEY": base64(signing.as_bytes()),
                        }),
                    ),
                ],
            ));
        }

        // Main container.
        let (cname, image) = match w.flavor {
            Flavor::App | Flavor::Batch => (
                if rng.pct(30) {
                    "app".to_string()
                } else {
                    w.name.clone()
                },
                app_image(rng, ns.team, &w.name),
            ),
            Flavor::Store(s) => (
                STORES[s].name.to_string(),
                vendor_image(rng, STORES[s].image),
            ),
            Flavor::Agent(a) => (
                AGENTS[a].name.to_string(),
                vendor_image(rng, AGENTS[a].image),
            ),
            Flavor::Infra(i) => (INFRA[i].name.to_string(), INFRA[i].image.to_string()),
        };
        let mut main = Map::new();
        main.insert("name".into(), cname.as_str().into());
        main.insert("image".into(), image.as_str().into());
        if batch {
            let job = w.name.rsplit('-').next().unwrap_or("run");
            main.insert("command".into(), json!(["/app/bin/worker"]));
            main.insert(
                "args".into(),
                json!([
                    job,
                    format!("--batch-size={}", rng.pick(&[100, 500, 1000])),
                    "--verbose"
                ]),
            );
        } else if rng.pct(15) && w.flavor == Flavor::App {
            main.insert(
                "args".into(),
                json!(["serve", "--config=/etc/app/application.yaml"]),
            );
        }
        if rng.pct(10) {
            main.insert(
                "imagePullPolicy".into(),
                (*rng.pick(&["Always", "IfNotPresent"])).into(),
            );
        }
        let named_port = rng.pct(85);
        if let Some((p, pname)) = w.port {
            let mut port = Map::new();
            if named_port {
                port.insert("name".into(), pname.into());
            }
            port.insert("containerPort".into(), p.into());
            if pname == "dns" {
                port.insert("protocol".into(), "UDP".into());
            } else if rng.pct(50) {
                port.insert("protocol".into(), "TCP".into());
            }
            if has(Bad::HostPort) {
                port.insert("hostPort".into(), p.into());
            }
            let mut ports = vec![Value::Object(port)];
            if w.flavor == Flavor::App && pname != "metrics" && rng.pct(25) {
                ports.push(json!({"name": "metrics", "containerPort": 9090}));
            }
            if pname == "dns" {
                ports.push(json!({"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"}));
            }
            main.insert("ports".into(), Value::Array(ports));
        }

        // Environment.
        let mut env: Vec<Value> = Vec::new();
        if matches!(w.flavor, Flavor::App | Flavor::Batch) {
            if rng.pct(70) {
                env.push(
                    json!({"name": "LOG_LEVEL", "value": *rng.pick(&["info", "debug", "warn"])}),
                );
            }
            env.push(json!({"name": "ENVIRONMENT", "value": ns.env}));
            if let Some((p, _)) = w.port {
                if rng.pct(40) {
                    env.push(json!({"name": "PORT", "value": p.to_string()}));
                }
            }
            if rng.pct(30) {
                env.push(json!({"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}));
                env.push(json!({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}));
            }
            if rng.pct(10) {
                env.push(json!({"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}));
            }
            if team_ns && rng.pct(45) {
                env.push(json!({"name": "DATABASE_HOST", "value": format!("{}-postgres.{}.svc.cluster.local", rng.pick(PRODUCTS), ns.name)}));
                env.push(json!({"name": "DATABASE_USER", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "username"}}}));
                env.push(json!({"name": "DATABASE_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}));
            }
            if team_ns && rng.pct(20) {
                let mut r =
                    json!({"name": "api-keys", "key": *rng.pick(&["stripe", "sendgrid", "maps"])});
                if rng.pct(30) {
                    r["optional"] = true.into();
                }
                env.push(json!({"name": "THIRD_PARTY_API_KEY", "valueFrom": {"secretKeyRef": r}}));
            }
            if let Some(s) = &secret {
                if rng.pct(60) {
                    env.push(json!({"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": s, "key": "API_TOKEN"}}}));
                }
            }
            if let Some(cm) = &config {
                if rng.pct(40) {
                    env.push(json!({"name": "LOG_FORMAT", "valueFrom": {"configMapKeyRef": {"name": cm, "key": "LOG_FORMAT"}}}));
                }
            }
            if rng.pct(15) {
                env.push(json!({"name": "JAVA_TOOL_OPTIONS", "value": "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"}));
            }
            if rng.pct(20) {
                env.push(json!({"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.monitoring.svc:4317"}));
            }
            // Credentials pasted into the manifest (obviously fake values).
            if rng.pct(8) {
                let (k, v) = *rng.pick(&[
                    ("DB_PASSWORD", "changeme-not-a-real-password"),
                    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
                    (
                        "AWS_SECRET_ACCESS_KEY",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    ),
                    ("API_KEY", "fake-api-key-0000000000000000"),
                    ("GITHUB_TOKEN", "ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE"),
                ]);
                env.push(json!({"name": k, "value": v}));
            }
        } else if let Flavor::Store(s) = w.flavor {
            match STORES[s].name {
                "postgres" => {
                    env.push(json!({"name": "POSTGRES_USER", "value": "app"}));
                    if team_ns && rng.pct(70) {
                        env.push(json!({"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}));
                    } else {
                        env.push(json!({"name": "POSTGRES_PASSWORD", "value": "postgres"}));
                    }
                    env.push(json!({"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"}));
                }
                "mysql" => {
                    env.push(json!({"name": "MYSQL_ROOT_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}));
                }
                "kafka" => {
                    env.push(
                        json!({"name": "KAFKA_CFG_PROCESS_ROLES", "value": "controller,broker"}),
                    );
                    env.push(json!({"name": "ALLOW_PLAINTEXT_LISTENER", "value": "yes"}));
                }
                _ => {}
            }
        } else if matches!(w.flavor, Flavor::Agent(_) | Flavor::Infra(_)) && rng.pct(60) {
            env.push(json!({"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}));
        }
        if !env.is_empty() {
            main.insert("env".into(), Value::Array(env));
        }
        if let Some(cm) = &config {
            if rng.pct(20) {
                let mut from = vec![json!({"configMapRef": {"name": cm}})];
                if let Some(s) = &secret {
                    from.push(json!({"secretRef": {"name": s}}));
                }
                main.insert("envFrom".into(), Value::Array(from));
            }
        }
        let res = if matches!(w.flavor, Flavor::Infra(_)) {
            Some(
                json!({"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}}),
            )
        } else {
            resources(rng)
        };
        if let Some(r) = res {
            main.insert("resources".into(), r);
        }
        if !batch && w.port.is_some() {
            match rng.weighted(&[65, 12, 23]) {
                0 => {
                    main.insert(
                        "livenessProbe".into(),
                        probe(rng, w.port, named_port, w.flavor),
                    );
                    main.insert(
                        "readinessProbe".into(),
                        probe(rng, w.port, named_port, w.flavor),
                    );
                    if rng.pct(10) {
                        main.insert(
                            "startupProbe".into(),
                            probe(rng, w.port, named_port, w.flavor),
                        );
                    }
                }
                1 => {
                    main.insert(
                        "readinessProbe".into(),
                        probe(rng, w.port, named_port, w.flavor),
                    );
                }
                _ => {}
            }
        }

        // Volumes.
        let read_only_root = match profile {
            Profile::Restricted => rng.pct(80),
            Profile::Partial => rng.pct(30),
            _ => false,
        };
        if read_only_root || rng.pct(15) {
            volumes.push(json!({"name": "tmp", "emptyDir": {}}));
            mounts.push(json!({"name": "tmp", "mountPath": "/tmp"}));
        }
        if let Some(cm) = &config {
            if rng.pct(50) {
                volumes.push(json!({"name": "config", "configMap": {"name": cm}}));
                mounts.push(json!({"name": "config", "mountPath": "/etc/app", "readOnly": true}));
            }
        }
        if let Some(s) = &secret {
            if rng.pct(40) {
                volumes.push(
                    json!({"name": "secrets", "secret": {"secretName": s, "defaultMode": 256}}),
                );
                mounts.push(json!({"name": "secrets", "mountPath": "/var/run/secrets/app", "readOnly": true}));
            }
        }
        if w.flavor == Flavor::App && rng.pct(8) {
            volumes.push(
                json!({"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}}),
            );
            mounts.push(json!({"name": "cache", "mountPath": "/var/cache/app"}));
        }
        if w.flavor == Flavor::App && rng.pct(5) {
            volumes.push(json!({"name": "vault-token", "projected": {"sources": [
                {"serviceAccountToken": {"audience": "vault", "expirationSeconds": 3600, "path": "token"}}
            ]}}));
            mounts.push(json!({"name": "vault-token", "mountPath": "/var/run/secrets/vault", "readOnly": true}));
        }
        let mut claims = None;
        if let Flavor::Store(s) = w.flavor {
            mounts.push(json!({"name": "data", "mountPath": STORES[s].data}));
            claims = Some(json!([{
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": *rng.pick(&["gp3", "gp2", "standard"]),
                    "resources": {"requests": {"storage": *rng.pick(&["10Gi", "20Gi", "50Gi", "100Gi"])}},
                },
            }]));
        } else if let (Flavor::Infra(_), Kind::StatefulSet) = (w.flavor, w.kind) {
            mounts.push(json!({"name": "data", "mountPath": "/prometheus"}));
            claims = Some(json!([{
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                         "resources": {"requests": {"storage": "200Gi"}}},
            }]));
        }
        if let Some(h) = host {
            for &(name, path, mount, ro) in h.paths {
                let ty = if path.ends_with(".sock") || path.ends_with(".lock") {
                    if path.ends_with(".sock") {
                        "Socket"
                    } else {
                        "FileOrCreate"
                    }
                } else {
                    "Directory"
                };
                volumes.push(json!({"name": name, "hostPath": {"path": path, "type": ty}}));
                let mut m = json!({"name": name, "mountPath": mount});
                if ro {
                    m["readOnly"] = true.into();
                }
                mounts.push(m);
            }
        }
        if has(Bad::DockerSocket) {
            volumes
                .push(json!({"name": "docker-sock", "hostPath": {"path": "/var/run/docker.sock"}}));
            mounts.push(json!({"name": "docker-sock", "mountPath": "/var/run/docker.sock"}));
        }
        if has(Bad::HostRoot) {
            volumes
                .push(json!({"name": "host-root", "hostPath": {"path": "/", "type": "Directory"}}));
            mounts
                .push(json!({"name": "host-root", "mountPath": "/host", "readOnly": rng.pct(50)}));
        }
        if !mounts.is_empty() {
            main.insert("volumeMounts".into(), Value::Array(mounts));
        }

        // Security contexts.
        let csc = |rng: &mut Rng, main: bool| -> Option<Value> {
            let mut sc = Map::new();
            match profile {
                Profile::Restricted => {
                    sc.insert("allowPrivilegeEscalation".into(), false.into());
                    sc.insert("capabilities".into(), json!({"drop": ["ALL"]}));
                    if main {
                        sc.insert("readOnlyRootFilesystem".into(), read_only_root.into());
                    }
                    if rng.pct(40) {
                        sc.insert("runAsNonRoot".into(), true.into());
                    }
                }
                Profile::Partial | Profile::Bad => match rng.below(6) {
                    0 => {
                        sc.insert("readOnlyRootFilesystem".into(), read_only_root.into());
                    }
                    1 => {
                        sc.insert("capabilities".into(), json!({"drop": ["ALL"]}));
                    }
                    2 => {
                        sc.insert("allowPrivilegeEscalation".into(), false.into());
                    }
                    3 => {
                        sc.insert("runAsUser".into(), 1000.into());
                        sc.insert("runAsGroup".into(), 1000.into());
                    }
                    4 => {
                        sc.insert("allowPrivilegeEscalation".into(), false.into());
                        sc.insert("readOnlyRootFilesystem".into(), read_only_root.into());
                        sc.insert("runAsNonRoot".into(), true.into());
                    }
                    _ => {}
                },
                Profile::Bare => {}
            }
            if main {
                if let Some(h) = host {
                    if h.privileged {
                        sc.insert("privileged".into(), true.into());
                    }
                    if h.run_as_root {
                        sc.insert("runAsUser".into(), 0.into());
                        sc.remove("runAsNonRoot");
                    }
                    if !h.add_caps.is_empty() {
                        sc.insert("capabilities".into(), json!({"add": h.add_caps}));
                    }
                    if !host_access {
                        sc.insert(
                            "capabilities".into(),
                            json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
                        );
                    }
                }
                for b in &bads {
                    match b {
                        Bad::Privileged => {
                            sc.insert("privileged".into(), true.into());
                        }
                        Bad::SysAdmin => {
                            sc.insert("capabilities".into(), json!({"add": ["SYS_ADMIN"]}));
                        }
                        Bad::NetAdmin => {
                            sc.insert(
                                "capabilities".into(),
                                json!({"add": ["NET_ADMIN", "NET_RAW"]}),
                            );
                        }
                        Bad::RunAsRoot => {
                            sc.insert("runAsUser".into(), 0.into());
                            sc.remove("runAsNonRoot");
                        }
                        Bad::Escalation => {
                            sc.insert("allowPrivilegeEscalation".into(), true.into());
                        }
                        _ => {}
                    }
                }
            }
            (!sc.is_empty()).then_some(Value::Object(sc))
        };
        if let Some(sc) = csc(rng, true) {
            main.insert("securityContext".into(), sc);
        }

        let mut containers = vec![Value::Object(main)];
        // Sidecars.
        if w.flavor == Flavor::App && rng.pct(25) {
            for _ in 0..if rng.pct(15) { 2 } else { 1 } {
                let (name, img) = *rng.pick(SIDECARS);
                if containers.iter().any(|c| c["name"] == name) {
                    continue;
                }
                let mut c = Map::new();
                c.insert("name".into(), name.into());
                c.insert("image".into(), vendor_image(rng, img).into());
                if name == "envoy" {
                    c.insert(
                        "ports".into(),
                        json!([{"name": "envoy-admin", "containerPort": 9901}]),
                    );
                }
                if let Some(r) = resources(rng) {
                    c.insert("resources".into(), r);
                }
                if let Some(sc) = csc(rng, false) {
                    c.insert("securityContext".into(), sc);
                }
                containers.push(Value::Object(c));
            }
        }
        spec.insert("containers".into(), Value::Array(containers));

        // Init containers.
        let mut inits = Vec::new();
        if matches!(w.flavor, Flavor::App | Flavor::Store(_)) && rng.pct(15) {
            let mut c = Map::new();
            if w.flavor == Flavor::App && rng.pct(50) {
                c.insert("name".into(), "migrate".into());
                c.insert("image".into(), image.as_str().into());
                c.insert("args".into(), json!(["migrate", "up"]));
            } else if let (Flavor::Store(_), true) = (w.flavor, rng.pct(60)) {
                // The classic chown-as-root init container.
                c.insert("name".into(), "fix-permissions".into());
                c.insert("image".into(), vendor_image(rng, "busybox:1.36").into());
                c.insert(
                    "command".into(),
                    json!(["sh", "-c", "chown -R 999:999 /data"]),
                );
                c.insert("securityContext".into(), json!({"runAsUser": 0}));
            } else {
                c.insert("name".into(), "wait-for-deps".into());
                c.insert("image".into(), vendor_image(rng, "busybox:1.36").into());
                c.insert(
                    "command".into(),
                    json!([
                        "sh",
                        "-c",
                        "until nslookup kubernetes.default.svc; do sleep 2; done"
                    ]),
                );
            }
            if !c.contains_key("securityContext") {
                if let Some(sc) = csc(rng, false) {
                    c.insert("securityContext".into(), sc);
                }
            }
            inits.push(Value::Object(c));
        }
        if !inits.is_empty() {
            spec.insert("initContainers".into(), Value::Array(inits));
        }

        // Pod-level settings.
        if batch {
            spec.insert(
                "restartPolicy".into(),
                (*rng.pick(&["Never", "OnFailure"])).into(),
            );
        }
        if matches!(w.flavor, Flavor::Infra(_) | Flavor::Agent(_)) && rng.pct(85) {
            spec.insert("serviceAccountName".into(), w.name.as_str().into());
        } else if ns.service_accounts > 0 && rng.pct(80) {
            let sa = sa_name(rng.below(ns.service_accounts));
            spec.insert("serviceAccountName".into(), sa.into());
        }
        if rng.pct(18) {
            spec.insert("automountServiceAccountToken".into(), false.into());
        }
        let mut psc = Map::new();
        match profile {
            Profile::Restricted => {
                psc.insert("runAsNonRoot".into(), true.into());
                let uid = *rng.pick(&[10001, 65532, 1000, 101]);
                psc.insert("runAsUser".into(), uid.into());
                if rng.pct(60) {
                    psc.insert("runAsGroup".into(), uid.into());
                }
                psc.insert("fsGroup".into(), uid.into());
                psc.insert("seccompProfile".into(), json!({"type": "RuntimeDefault"}));
            }
            Profile::Partial | Profile::Bad => match rng.below(5) {
                0 => {
                    psc.insert("runAsNonRoot".into(), true.into());
                }
                1 => {
                    psc.insert("fsGroup".into(), 2000.into());
                }
                2 => {
                    psc.insert("seccompProfile".into(), json!({"type": "RuntimeDefault"}));
                }
                3 => {
                    psc.insert("runAsUser".into(), 1000.into());
                    psc.insert("runAsGroup".into(), 3000.into());
                    psc.insert("fsGroup".into(), 2000.into());
                }
                _ => {}
            },
            Profile::Bare => {}
        }
        if has(Bad::Unconfined) {
            psc.insert("seccompProfile".into(), json!({"type": "Unconfined"}));
        }
        if !psc.is_empty() {
            spec.insert("securityContext".into(), Value::Object(psc));
        }
        if has(Bad::HostNetwork) || host.is_some_and(|h| h.host_network) {
            spec.insert("hostNetwork".into(), true.into());
            spec.insert("dnsPolicy".into(), "ClusterFirstWithHostNet".into());
        }
        if has(Bad::HostPid) || host.is_some_and(|h| h.host_pid) {
            spec.insert("hostPID".into(), true.into());
        }
        if has(Bad::HostIpc) {
            spec.insert("hostIPC".into(), true.into());
        }
        if rng.pct(30) {
            spec.insert("nodeSelector".into(), json!({"kubernetes.io/os": "linux"}));
        } else if w.flavor == Flavor::App && rng.pct(5) {
            spec.insert(
                "nodeSelector".into(),
                json!({"node.kubernetes.io/instance-type": *rng.pick(&["m6i.xlarge", "c6i.2xlarge", "r6i.large"])}),
            );
        }
        if matches!(w.flavor, Flavor::Agent(_)) || w.kind == Kind::DaemonSet {
            spec.insert("tolerations".into(), json!([{"operator": "Exists"}]));
        } else if rng.pct(8) {
            spec.insert(
                "tolerations".into(),
                json!([{"key": "dedicated", "operator": "Equal", "value": ns.team, "effect": "NoSchedule"}]),
            );
        }
        if w.pods > 1 && !batch && w.kind != Kind::DaemonSet && rng.pct(15) {
            spec.insert(
                "affinity".into(),
                json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                    "weight": 100,
                    "podAffinityTerm": {
                        "labelSelector": {"matchLabels": Value::Object(selector.clone())},
                        "topologyKey": "kubernetes.io/hostname",
                    },
                }]}}),
            );
        } else if w.pods > 2 && !batch && rng.pct(6) {
            spec.insert(
                "topologySpreadConstraints".into(),
                json!([{
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": Value::Object(selector.clone())},
                }]),
            );
        }
        if team_ns && w.flavor == Flavor::App && rng.pct(15) {
            spec.insert(
                "imagePullSecrets".into(),
                json!([{"name": "registry-credentials"}]),
            );
        }
        match w.flavor {
            Flavor::Infra(i) if INFRA[i].kind == Kind::DaemonSet && INFRA[i].namespace == 0 => {
                spec.insert("priorityClassName".into(), "system-node-critical".into());
            }
            Flavor::Infra(_) if w.name == "coredns" => {
                spec.insert("priorityClassName".into(), "system-cluster-critical".into());
            }
            Flavor::App if rng.pct(5) => {
                spec.insert("priorityClassName".into(), "high-priority".into());
            }
            _ => {}
        }
        if rng.pct(20) {
            spec.insert(
                "terminationGracePeriodSeconds".into(),
                (*rng.pick(&[10, 60, 120])).into(),
            );
        }
        if w.flavor == Flavor::App && rng.pct(2) {
            spec.insert("shareProcessNamespace".into(), true.into());
        }
        if !volumes.is_empty() {
            spec.insert("volumes".into(), Value::Array(volumes));
        }
        if live {
            default_pod_spec(&mut spec);
        }

        Template {
            labels: pod_labels,
            annotations,
            selector,
            spec,
            claims,
            extras,
            named_port,
            service_name: (w.kind == Kind::StatefulSet).then(|| format!("{}-headless", w.name)),
        }
    }

    /// A live Pod's metadata: the template's labels and annotations, the controller's labels,
    /// an owner reference, generateName.
    pub(super) fn pod_meta(
        &self,
        ns: &Namespace,
        name: &str,
        tpl: &Template,
        extra_labels: &[(&str, String)],
        owner: (&str, &str, &str),
    ) -> Map<String, Value> {
        let mut pod_labels = tpl.labels.clone();
        for (k, v) in extra_labels {
            pod_labels.insert((*k).into(), v.as_str().into());
        }
        let mut meta = with_labels(
            self.owned_meta("Pod", &ns.name, name, owner),
            pod_labels,
            tpl.annotations.clone(),
        );
        if owner.1 != "StatefulSet" {
            if let Some((base, _)) = name.rsplit_once('-') {
                meta.insert("generateName".into(), format!("{base}-").into());
            }
        }
        meta
    }

    /// A live Pod's spec: the template plus what the API server, the scheduler and the service
    /// account admission plugin add, with markers for what differs between the pods of one
    /// controller: `NODE` (node name), `KAA` (token volume suffix) and, for StatefulSets,
    /// `HOST` (the pod's name).
    pub(super) fn pod_spec(
        &self,
        ns: &Namespace,
        tpl: &Template,
        owner_kind: &str,
    ) -> Map<String, Value> {
        let mut spec = tpl.spec.clone();
        spec.insert("nodeName".into(), NODE.into());
        if owner_kind == "StatefulSet" {
            if tpl.claims.is_some() {
                let claim = json!({"name": "data", "persistentVolumeClaim": {"claimName": format!("data-{HOST}")}});
                match spec.get_mut("volumes") {
                    Some(Value::Array(v)) => v.insert(0, claim),
                    _ => {
                        spec.insert("volumes".into(), json!([claim]));
                    }
                }
            }
            spec.insert("hostname".into(), HOST.into());
            if let Some(svc) = tpl.service_name.as_deref() {
                spec.insert("subdomain".into(), svc.into());
            }
        }
        let sa = spec
            .get("serviceAccountName")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string();
        spec.insert("serviceAccountName".into(), sa.as_str().into());
        spec.insert("serviceAccount".into(), sa.as_str().into());
        spec.insert("enableServiceLinks".into(), true.into());
        spec.insert("preemptionPolicy".into(), "PreemptLowerPriority".into());
        let priority = match spec.get("priorityClassName").and_then(Value::as_str) {
            Some("system-node-critical") => 2_000_001_000,
            Some("system-cluster-critical") => 2_000_000_000,
            Some(_) => 1_000_000,
            None => 0,
        };
        spec.insert("priority".into(), priority.into());
        let mut tolerations = match spec.remove("tolerations") {
            Some(Value::Array(t)) => t,
            _ => Vec::new(),
        };
        for key in ["not-ready", "unreachable"] {
            tolerations.push(json!({
                "effect": "NoExecute",
                "key": format!("node.kubernetes.io/{key}"),
                "operator": "Exists",
                "tolerationSeconds": 300,
            }));
        }
        spec.insert("tolerations".into(), Value::Array(tolerations));
        if owner_kind == "DaemonSet" {
            spec.insert(
                "affinity".into(),
                json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchFields": [{
                        "key": "metadata.name", "operator": "In", "values": [NODE],
                    }]}],
                }}}),
            );
        }
        // Token volume, unless the pod or its service account opts out.
        let automount = match spec.get("automountServiceAccountToken") {
            Some(Value::Bool(b)) => *b,
            _ => !sa_automount_off(self.cfg.seed, &ns.name, &sa),
        };
        if automount {
            let vol = format!("kube-api-access-{KAA}");
            let mount = json!({
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "name": vol,
                "readOnly": true,
            });
            for key in ["containers", "initContainers"] {
                if let Some(Value::Array(cs)) = spec.get_mut(key) {
                    for c in cs {
                        let c = c.as_object_mut().expect("container is an object");
                        match c.get_mut("volumeMounts") {
                            Some(Value::Array(m)) => m.push(mount.clone()),
                            _ => {
                                c.insert("volumeMounts".into(), json!([mount.clone()]));
                            }
                        }
                    }
                }
            }
            let token_volume = json!({
                "name": vol,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}},
                    ],
                },
            });
            match spec.get_mut("volumes") {
                Some(Value::Array(v)) => v.push(token_volume),
                _ => {
                    spec.insert("volumes".into(), json!([token_volume]));
                }
            }
        }
        let mut v = Value::Object(spec);
        crate::util::sort_keys(&mut v);
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }
}

/// Markers in a live pod spec (see `Gen::pod_spec`); plain YAML scalars, so values that are
/// plain scalars too can replace them in rendered text.
pub const NODE: &str = "QQNODEQQ";
pub const KAA: &str = "QQKAAQQ";
pub const HOST: &str = "QQHOSTQQ";
pub const MARKERS: [&str; 3] = [NODE, KAA, HOST];
/// Marker for a controller's pod template spec (see `emit::Raw`).
pub const TPL: &str = "QQTPLQQ";

/// Fields the API server defaults in every pod spec (templates included).
fn default_pod_spec(spec: &mut Map<String, Value>) {
    for key in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(key) {
            for c in cs {
                let c = c.as_object_mut().expect("container is an object");
                let image = c["image"].as_str().unwrap_or_default();
                let tag = image.rsplit('/').next().unwrap_or(image);
                let policy =
                    if !image.contains('@') && (!tag.contains(':') || tag.ends_with(":latest")) {
                        "Always"
                    } else {
                        "IfNotPresent"
                    };
                c.entry("imagePullPolicy").or_insert(policy.into());
                c.entry("resources").or_insert(json!({}));
                c.entry("terminationMessagePath")
                    .or_insert("/dev/termination-log".into());
                c.entry("terminationMessagePolicy").or_insert("File".into());
                if let Some(Value::Array(ports)) = c.get_mut("ports") {
                    for p in ports {
                        if let Some(p) = p.as_object_mut() {
                            p.entry("protocol").or_insert("TCP".into());
                        }
                    }
                }
            }
        }
    }
    spec.entry("dnsPolicy").or_insert("ClusterFirst".into());
    spec.entry("restartPolicy").or_insert("Always".into());
    spec.entry("schedulerName")
        .or_insert("default-scheduler".into());
    spec.entry("securityContext").or_insert(json!({}));
    spec.entry("terminationGracePeriodSeconds")
        .or_insert(30.into());
}

/// Base64 of a fake PEM block, for certificate-shaped data.
pub fn fake_pem(rng: &mut Rng, kind: &str) -> String {
    let body: String = (0..4).map(|_| format!("FAKE{}\n", rng.hex(60))).collect();
    format!("-----BEGIN {kind}-----\n{body}-----END {kind}-----\n")
}
