use rampart_model::{Area, Node, PodTemplate, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::workload::{host_path_volumes, is_under};

/// Host paths and what mounting them gives; `exact` entries match only the
/// path itself (subpaths such as /etc/ssl/certs are routine and harmless).
struct Sensitive {
    path: &'static str,
    exact: bool,
    severity: Severity,
    gives: &'static str,
    /// Only dangerous when writable (programs and plugins the node runs).
    writable_only: bool,
}

const PATHS: &[Sensitive] = &[
    Sensitive { path: "/", exact: true, severity: Severity::Critical, gives: "the whole node filesystem: kubelet credentials, every pod's tokens and secrets, and (writable) the node itself", writable_only: false },
    Sensitive { path: "/etc", exact: true, severity: Severity::Critical, gives: "the node's configuration: password hashes, cron, systemd units, kubelet and Kubernetes configuration", writable_only: false },
    Sensitive { path: "/etc/kubernetes", exact: false, severity: Severity::Critical, gives: "Kubernetes credentials and PKI of the node (kubelet kubeconfig; on control-plane nodes, admin credentials and CA keys)", writable_only: false },
    Sensitive { path: "/var/lib/kubelet", exact: false, severity: Severity::Critical, gives: "the kubelet's data: the service-account tokens and secret volumes of every pod on the node, and the kubelet's own credentials", writable_only: false },
    Sensitive { path: "/root", exact: false, severity: Severity::Critical, gives: "root's home: SSH keys and credentials of the node's administrator", writable_only: false },
    Sensitive { path: "/home", exact: false, severity: Severity::High, gives: "users' home directories on the node: SSH keys and credentials", writable_only: false },
    Sensitive { path: "/proc", exact: false, severity: Severity::Critical, gives: "the host's /proc: other processes' environment and memory, and kernel settings", writable_only: false },
    Sensitive { path: "/sys", exact: false, severity: Severity::Critical, gives: "the host's /sys: cgroup and kernel interfaces used by known container escapes", writable_only: false },
    Sensitive { path: "/dev", exact: false, severity: Severity::Critical, gives: "the host's devices: raw disks and memory", writable_only: false },
    Sensitive { path: "/boot", exact: false, severity: Severity::Critical, gives: "the node's kernel and boot loader", writable_only: false },
    Sensitive { path: "/var/lib/docker/containers", exact: false, severity: Severity::High, gives: "every container's logs and configuration, environment variables (and their secrets) included", writable_only: false },
    Sensitive { path: "/var/lib/docker", exact: false, severity: Severity::Critical, gives: "the Docker data root: every container's filesystem and configuration", writable_only: false },
    Sensitive { path: "/var/lib/containerd", exact: false, severity: Severity::Critical, gives: "the containerd data root: every container's filesystem", writable_only: false },
    Sensitive { path: "/usr", exact: false, severity: Severity::High, gives: "the node's programs and libraries: written to, every process on the node runs the attacker's code", writable_only: true },
    Sensitive { path: "/lib", exact: false, severity: Severity::High, gives: "the node's libraries: written to, every process on the node runs the attacker's code", writable_only: true },
    Sensitive { path: "/bin", exact: false, severity: Severity::High, gives: "the node's programs: written to, root runs the attacker's code", writable_only: true },
    Sensitive { path: "/sbin", exact: false, severity: Severity::High, gives: "the node's system programs: written to, root runs the attacker's code", writable_only: true },
    Sensitive { path: "/opt/cni/bin", exact: false, severity: Severity::High, gives: "the CNI plugins the kubelet runs as root for every new pod", writable_only: true },
    Sensitive { path: "/etc/cni", exact: false, severity: Severity::High, gives: "the CNI configuration, which chooses the plugins run as root for every new pod", writable_only: true },
    Sensitive { path: "/var/log", exact: false, severity: Severity::High, gives: "the node's logs, which hold other workloads' data; written to, it lets a container plant symlinks that the kubelet's log endpoint follows to any file on the node", writable_only: false },
];

/// Whether every container mounting volume `name` does so unable to write
/// through it: read-only and either recursively so (`recursiveReadOnly`),
/// or as a non-root user. A plain `readOnly` bind of /proc or /sys leaves
/// their sub-mounts (/sys/fs/cgroup, /proc/sys/fs/binfmt_misc) writable,
/// which is what the known escapes write to, but only root can write there.
fn cannot_write(pod: &PodTemplate<'_>, name: &str) -> bool {
    let pod_user = pod
        .security_context()
        .and_then(|sc| sc.get("runAsUser"))
        .and_then(Node::as_i64);
    let pod_non_root = pod
        .security_context()
        .and_then(|sc| sc.get("runAsNonRoot"))
        .and_then(Node::as_bool);
    let mut mounted = false;
    for c in pod.containers() {
        for m in c
            .node
            .get("volumeMounts")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if m.get("name").and_then(Node::as_str) != Some(name) {
                continue;
            }
            mounted = true;
            let recursive = matches!(
                m.get("recursiveReadOnly").and_then(Node::as_str),
                Some("Enabled" | "IfPossible")
            );
            let sc = c.security_context();
            let user = sc
                .and_then(|sc| sc.get("runAsUser"))
                .and_then(Node::as_i64)
                .or(pod_user);
            let non_root = sc
                .and_then(|sc| sc.get("runAsNonRoot"))
                .and_then(Node::as_bool)
                .or(pod_non_root);
            let privileged = sc
                .and_then(|sc| sc.get("privileged"))
                .and_then(Node::as_bool)
                == Some(true);
            let read_only = m.get("readOnly").and_then(Node::as_bool) == Some(true);
            let unprivileged_user = user.map_or(non_root == Some(true), |u| u != 0);
            if !read_only || privileged || !(recursive || unprivileged_user) {
                return false;
            }
        }
    }
    mounted
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sensitive-host-path",
        title: "Sensitive host path mounted",
        area: Area::Workload,
        severity: Severity::Critical,
        rationale: "Some host paths are the node: its root filesystem, /etc, the kubelet's directory with every \
            pod's tokens, /etc/kubernetes with cluster credentials, /proc and /sys with kernel interfaces. A \
            container that mounts them can read other workloads' secrets or take the node over; /var/log gives \
            other workloads' logs and, writable, a known escape through the kubelet's log endpoint.",
        remediation: "Remove the hostPath volume, or narrow it to the one file the agent needs, mounted \
            read-only, in a namespace reserved for node agents.",
        references: &[
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
            "https://attack.mitre.org/techniques/T1611/",
        ],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for v in host_path_volumes(pod) {
            // The most specific entry wins (/var/lib/docker/containers over /var/lib/docker).
            let hit = PATHS
                .iter()
                .filter(|s| !(s.writable_only && v.read_only))
                .filter(|s| if s.exact { v.path == s.path } else { is_under(&v.path, s.path) && s.path != "/" })
                .max_by_key(|s| s.path.len());
            // A parent directory (/var, /var/lib) exposes the sensitive paths below it;
            // the most severe of them is reported. `/` is its own entry above.
            let contained = || {
                PATHS
                    .iter()
                    .filter(|s| !(s.writable_only && v.read_only))
                    .filter(|s| v.path != "/" && s.path != v.path && is_under(s.path, &v.path))
                    .rev() // on equal severity, the first listed wins
                    .max_by_key(|s| s.severity)
            };
            let ro = if v.read_only { " read-only" } else { "" };
            let message = match (hit, contained()) {
                // Kernel interfaces that the container cannot write to: what
                // is left is reading the node's processes and settings.
                (Some(s), _) if matches!(s.path, "/proc" | "/sys") && v.read_only && cannot_write(pod, v.name) => Some((
                    Severity::High,
                    format!(
                        "volume \"{}\" mounts {}{ro}, and no container can write through it: it shows the node's processes, kernel settings and devices (written to, it is a known container escape)",
                        v.name, v.path
                    ),
                )),
                (Some(s), _) => Some((s.severity, format!("volume \"{}\" mounts {}{ro}: {}", v.name, v.path, s.gives))),
                (None, Some(s)) => Some((s.severity, format!(
                    "volume \"{}\" mounts {}{ro}, which contains {}: {}", v.name, v.path, s.path, s.gives))),
                (None, None) => None,
            };
            if let Some((severity, message)) = message {
                emit.severity(Some(severity)).pod(
                    pod,
                    &format!("volumes[{}].hostPath.path", v.index),
                    &[v.host_path.get("path"), Some(v.volume)],
                    message,
                );
            }
        }
    }),
};

#[cfg(test)]
mod tests {
    use rampart_model::{Config, Date, Severity};

    use crate::run_on;

    #[test]
    fn read_only_kernel_interfaces_without_write_access_are_high() {
        let path = format!(
            "{}/fixtures/sensitive-host-path/fail.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let inventory = rampart_load::load(&[path], &rampart_load::LoadOptions::default());
        let today = Date {
            year: 2026,
            month: 6,
            day: 1,
        };
        let findings = run_on(&inventory, &Config::default(), today, &[&super::CHECK]);
        let of = |name: &str, volume: &str| {
            findings
                .iter()
                .find(|f| f.resource.name == name && f.message.contains(&format!("\"{volume}\"")))
                .unwrap_or_else(|| panic!("no finding on {name} {volume}"))
        };
        // node-exporter: read-only, as nobody; /proc and /sys only show.
        for v in ["proc", "sys"] {
            let f = of("node-exporter", v);
            assert_eq!(f.severity, Severity::High, "{}", f.message);
            assert!(
                f.message.contains("no container can write"),
                "{}",
                f.message
            );
        }
        // ...but the node's root filesystem is read access to every token.
        assert_eq!(of("node-exporter", "root").severity, Severity::Critical);
        // Read-only as root, not recursively: sub-mounts stay writable.
        assert_eq!(of("node-inspector", "proc").severity, Severity::Critical);
    }
}
