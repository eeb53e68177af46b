//! Names, images and shapes the generator draws from.

use crate::plan::{Kind, Psa};

pub const TEAMS: &[&str] = &[
    "payments",
    "checkout",
    "search",
    "identity",
    "catalog",
    "shipping",
    "billing",
    "notifications",
    "growth",
    "data",
    "ml",
    "platform",
    "analytics",
    "support",
    "fraud",
];

pub const ENVS: &[&str] = &["prod", "staging", "dev"];

pub const SUBSYSTEMS: &[&str] = &[
    "core", "edge", "batch", "internal", "partner", "legacy", "eu", "us", "apac", "sandbox",
    "canary", "perf",
];

pub const SYSTEM_NAMESPACES: &[(&str, &str, Psa)] = &[
    ("kube-system", "platform", Psa::Privileged),
    ("monitoring", "observability", Psa::Privileged),
    ("ingress-nginx", "platform", Psa::Baseline),
];

pub const PRODUCTS: &[&str] = &[
    "ledger",
    "cart",
    "orders",
    "invoice",
    "profile",
    "auth",
    "session",
    "pricing",
    "inventory",
    "review",
    "recommend",
    "email",
    "sms",
    "push",
    "report",
    "export",
    "import",
    "tracking",
    "refund",
    "wallet",
    "coupon",
    "loyalty",
    "feed",
    "media",
    "upload",
    "geo",
    "tax",
    "audit",
    "consent",
    "risk",
];

pub struct Component {
    pub name: &'static str,
    pub tier: &'static str,
    pub port: Option<(u16, &'static str)>,
}

pub const COMPONENTS: &[Component] = &[
    Component {
        name: "api",
        tier: "backend",
        port: Some((8080, "http")),
    },
    Component {
        name: "web",
        tier: "frontend",
        port: Some((8080, "http")),
    },
    Component {
        name: "frontend",
        tier: "frontend",
        port: Some((3000, "http")),
    },
    Component {
        name: "grpc",
        tier: "backend",
        port: Some((50051, "grpc")),
    },
    Component {
        name: "gateway",
        tier: "frontend",
        port: Some((8443, "https")),
    },
    Component {
        name: "worker",
        tier: "backend",
        port: None,
    },
    Component {
        name: "consumer",
        tier: "backend",
        port: Some((9090, "metrics")),
    },
    Component {
        name: "scheduler",
        tier: "backend",
        port: None,
    },
    Component {
        name: "service",
        tier: "backend",
        port: Some((8080, "http")),
    },
    Component {
        name: "admin",
        tier: "frontend",
        port: Some((8000, "http")),
    },
    Component {
        name: "webhook",
        tier: "backend",
        port: Some((9443, "webhook")),
    },
    Component {
        name: "cache",
        tier: "backend",
        port: Some((11211, "memcache")),
    },
];

pub struct Store {
    pub name: &'static str,
    pub image: &'static str,
    pub port: u16,
    pub port_name: &'static str,
    pub data: &'static str,
}

pub const STORES: &[Store] = &[
    Store {
        name: "postgres",
        image: "postgres:16.2",
        port: 5432,
        port_name: "postgres",
        data: "/var/lib/postgresql/data",
    },
    Store {
        name: "redis",
        image: "redis:7.2-alpine",
        port: 6379,
        port_name: "redis",
        data: "/data",
    },
    Store {
        name: "kafka",
        image: "bitnami/kafka:3.6.1",
        port: 9092,
        port_name: "kafka",
        data: "/bitnami/kafka",
    },
    Store {
        name: "zookeeper",
        image: "zookeeper:3.9",
        port: 2181,
        port_name: "client",
        data: "/data",
    },
    Store {
        name: "elasticsearch",
        image: "docker.elastic.co/elasticsearch/elasticsearch:8.12.2",
        port: 9200,
        port_name: "http",
        data: "/usr/share/elasticsearch/data",
    },
    Store {
        name: "mongodb",
        image: "mongo:7.0",
        port: 27017,
        port_name: "mongodb",
        data: "/data/db",
    },
    Store {
        name: "rabbitmq",
        image: "rabbitmq:3.13-management",
        port: 5672,
        port_name: "amqp",
        data: "/var/lib/rabbitmq",
    },
    Store {
        name: "mysql",
        image: "mysql:8.3",
        port: 3306,
        port_name: "mysql",
        data: "/var/lib/mysql",
    },
];

/// How a node agent or add-on reaches into the host.
pub struct Host {
    pub host_network: bool,
    pub host_pid: bool,
    pub privileged: bool,
    pub run_as_root: bool,
    pub add_caps: &'static [&'static str],
    /// (volume name, host path, mount path, read only)
    pub paths: &'static [(&'static str, &'static str, &'static str, bool)],
}

pub const NO_HOST: Host = Host {
    host_network: false,
    host_pid: false,
    privileged: false,
    run_as_root: false,
    add_caps: &[],
    paths: &[],
};

pub struct Agent {
    pub name: &'static str,
    pub image: &'static str,
    pub port: Option<(u16, &'static str)>,
    pub host: Host,
}

pub const AGENTS: &[Agent] = &[
    Agent {
        name: "fluent-bit",
        image: "cr.fluentbit.io/fluent/fluent-bit:2.2.2",
        port: Some((2020, "http")),
        host: Host {
            run_as_root: true,
            paths: &[
                ("varlog", "/var/log", "/var/log", true),
                (
                    "containers",
                    "/var/lib/docker/containers",
                    "/var/lib/docker/containers",
                    true,
                ),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "datadog-agent",
        image: "gcr.io/datadoghq/agent:7.51.0",
        port: Some((8126, "traceport")),
        host: Host {
            host_pid: true,
            run_as_root: true,
            paths: &[
                (
                    "dockersocket",
                    "/var/run/docker.sock",
                    "/var/run/docker.sock",
                    false,
                ),
                ("procdir", "/proc", "/host/proc", true),
                ("cgroups", "/sys/fs/cgroup", "/host/sys/fs/cgroup", true),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "falco",
        image: "docker.io/falcosecurity/falco-no-driver:0.37.1",
        port: Some((8765, "http")),
        host: Host {
            privileged: true,
            host_pid: true,
            run_as_root: true,
            paths: &[
                ("root", "/", "/host", true),
                ("dev", "/dev", "/host/dev", false),
                (
                    "containerd",
                    "/run/containerd/containerd.sock",
                    "/host/run/containerd/containerd.sock",
                    false,
                ),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "node-problem-detector",
        image: "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19",
        port: Some((20257, "exporter")),
        host: Host {
            privileged: true,
            paths: &[
                ("kmsg", "/dev/kmsg", "/dev/kmsg", true),
                ("log", "/var/log", "/var/log", true),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "cni-agent",
        image: "quay.io/cilium/cilium:v1.15.1",
        port: Some((9962, "prometheus")),
        host: Host {
            host_network: true,
            privileged: false,
            run_as_root: true,
            add_caps: &["NET_ADMIN", "SYS_ADMIN", "SYS_MODULE", "NET_RAW"],
            paths: &[
                ("bpf-maps", "/sys/fs/bpf", "/sys/fs/bpf", false),
                ("cni-path", "/opt/cni/bin", "/host/opt/cni/bin", false),
                (
                    "etc-cni-netd",
                    "/etc/cni/net.d",
                    "/host/etc/cni/net.d",
                    false,
                ),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "promtail",
        image: "grafana/promtail:2.9.4",
        port: Some((3101, "http-metrics")),
        host: Host {
            run_as_root: true,
            paths: &[
                ("logs", "/var/log", "/var/log", true),
                ("run", "/run/promtail", "/run/promtail", false),
            ],
            ..NO_HOST
        },
    },
    Agent {
        name: "nvidia-device-plugin",
        image: "nvcr.io/nvidia/k8s-device-plugin:v0.14.5",
        port: None,
        host: Host {
            paths: &[(
                "device-plugin",
                "/var/lib/kubelet/device-plugins",
                "/var/lib/kubelet/device-plugins",
                false,
            )],
            ..NO_HOST
        },
    },
];

pub struct Infra {
    pub name: &'static str,
    /// Index into `SYSTEM_NAMESPACES`.
    pub namespace: usize,
    pub kind: Kind,
    pub replicas: u32,
    pub port: Option<(u16, &'static str)>,
    pub image: &'static str,
    pub host: Host,
}

pub const INFRA: &[Infra] = &[
    Infra {
        name: "kube-proxy",
        namespace: 0,
        kind: Kind::DaemonSet,
        replicas: 0,
        port: None,
        image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.29.0-minimal-eksbuild.1",
        host: Host {
            host_network: true,
            privileged: true,
            paths: &[
                ("varlog", "/var/log", "/var/log", false),
                ("xtables-lock", "/run/xtables.lock", "/run/xtables.lock", false),
                ("lib-modules", "/lib/modules", "/lib/modules", true),
            ],
            ..NO_HOST
        },
    },
    Infra {
        name: "aws-node",
        namespace: 0,
        kind: Kind::DaemonSet,
        replicas: 0,
        port: Some((61678, "metrics")),
        image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.16.2-eksbuild.1",
        host: Host {
            host_network: true,
            add_caps: &["NET_ADMIN", "NET_RAW"],
            paths: &[
                ("cni-bin-dir", "/opt/cni/bin", "/host/opt/cni/bin", false),
                ("cni-net-dir", "/etc/cni/net.d", "/host/etc/cni/net.d", false),
                ("run-dir", "/var/run/aws-node", "/var/run/aws-node", false),
            ],
            ..NO_HOST
        },
    },
    Infra {
        name: "coredns",
        namespace: 0,
        kind: Kind::Deployment,
        replicas: 2,
        port: Some((53, "dns")),
        image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4",
        host: NO_HOST,
    },
    Infra {
        name: "ebs-csi-controller",
        namespace: 0,
        kind: Kind::Deployment,
        replicas: 2,
        port: Some((9808, "healthz")),
        image: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.28.0",
        host: NO_HOST,
    },
    Infra {
        name: "node-exporter",
        namespace: 1,
        kind: Kind::DaemonSet,
        replicas: 0,
        port: Some((9100, "metrics")),
        image: "quay.io/prometheus/node-exporter:v1.7.0",
        host: Host {
            host_network: true,
            host_pid: true,
            paths: &[
                ("proc", "/proc", "/host/proc", true),
                ("sys", "/sys", "/host/sys", true),
                ("root", "/", "/host/root", true),
            ],
            ..NO_HOST
        },
    },
    Infra {
        name: "prometheus",
        namespace: 1,
        kind: Kind::StatefulSet,
        replicas: 2,
        port: Some((9090, "web")),
        image: "quay.io/prometheus/prometheus:v2.50.1",
        host: NO_HOST,
    },
    Infra {
        name: "grafana",
        namespace: 1,
        kind: Kind::Deployment,
        replicas: 1,
        port: Some((3000, "grafana")),
        image: "grafana/grafana:10.3.3",
        host: NO_HOST,
    },
    Infra {
        name: "kube-state-metrics",
        namespace: 1,
        kind: Kind::Deployment,
        replicas: 1,
        port: Some((8080, "http-metrics")),
        image: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1",
        host: NO_HOST,
    },
    Infra {
        name: "ingress-nginx-controller",
        namespace: 2,
        kind: Kind::Deployment,
        replicas: 3,
        port: Some((80, "http")),
        image: "registry.k8s.io/ingress-nginx/controller:v1.10.0@sha256:42b3f0e5d0846876b1791cd3afeb5f1cbbe4259d6f35651dcc1b5c980925379c",
        host: NO_HOST,
    },
];

pub const JOBS: &[&str] = &[
    "migrate",
    "backfill",
    "seed",
    "reindex",
    "import",
    "rebuild-cache",
];

pub const CRONJOBS: &[&str] = &[
    "nightly-report",
    "cleanup",
    "backup",
    "sync",
    "rotate-keys",
    "digest-email",
    "compact",
];

pub const SCHEDULES: &[&str] = &[
    "*/5 * * * *",
    "*/15 * * * *",
    "0 * * * *",
    "30 2 * * *",
    "0 3 * * 0",
    "0 */6 * * *",
    "@daily",
];

pub const GITHUB_ORGS: &[&str] = &["acme-corp", "acme-platform", "acme-labs"];

pub const SIDECARS: &[(&str, &str)] = &[
    ("envoy", "envoyproxy/envoy:v1.29.1"),
    ("log-shipper", "cr.fluentbit.io/fluent/fluent-bit:2.2.2"),
    (
        "cloud-sql-proxy",
        "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.2",
    ),
    ("oauth2-proxy", "quay.io/oauth2-proxy/oauth2-proxy:v7.6.0"),
    ("vault-agent", "hashicorp/vault:1.15.5"),
    (
        "otel-collector",
        "otel/opentelemetry-collector-contrib:0.95.0",
    ),
];

pub const USERS: &[&str] = &[
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
    "erin@example.com",
    "frank@example.com",
    "ci-bot",
    "oncall@example.com",
];

pub const SA_NAMES: &[&str] = &[
    "app",
    "deployer",
    "backend",
    "worker",
    "reader",
    "operator",
    "ci",
    "metrics",
    "migrations",
    "batch",
    "frontend",
    "gateway",
];

pub const ROLE_NAMES: &[&str] = &[
    "pod-reader",
    "config-reader",
    "leader-election",
    "deployer",
    "secret-reader",
    "debugger",
    "app-operator",
    "job-runner",
    "event-writer",
    "service-viewer",
];

pub const CLUSTER_ROLE_NAMES: &[&str] = &[
    "namespace-viewer",
    "ci-deployer",
    "monitoring-scraper",
    "secret-reader",
    "node-debugger",
    "external-dns",
    "cert-manager-controller",
    "cluster-autoscaler",
    "platform-admin",
    "argo-application-controller",
    "security-auditor",
    "crd-viewer",
];

/// The base name of the `index`-th item of a name list, suffixed once the list runs out.
pub fn nth_name(list: &[&str], index: usize) -> String {
    let base = list[index % list.len()];
    match index / list.len() {
        0 => base.to_string(),
        n => format!("{base}-{}", n + 1),
    }
}
