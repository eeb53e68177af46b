use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::workload::{host_path_volumes, is_under};

/// Container-runtime sockets and the directories that hold them.
const SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/run/k3s/containerd/containerd.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/run/podman/podman.sock",
    "/var/run/dockershim.sock",
];
const SOCKET_DIRS: &[&str] = &[
    "/var/run",
    "/run",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/crio",
    "/run/crio",
    "/var/run/docker",
    "/run/k3s/containerd",
    "/run/podman",
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "runtime-socket-mount",
        title: "Container runtime socket mounted",
        area: Area::Workload,
        severity: Severity::Critical,
        rationale: "The Docker, containerd or CRI-O socket is the runtime's full API: whoever can write to it \
            starts a privileged container with the node's root filesystem mounted, which is root on the node \
            and every secret of every pod on it. Read-only mounts do not help: a socket is used by connecting.",
        remediation: "Remove the hostPath volume. Build images with a daemonless builder (BuildKit rootless, \
            kaniko, buildah) and let monitoring agents use the kubelet or CRI APIs they are granted instead of \
            the runtime socket.",
        references: &[
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
            "https://attack.mitre.org/techniques/T1610/",
        ],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        for v in host_path_volumes(pod) {
            let socket = SOCKETS.contains(&v.path.as_str());
            let dir = SOCKET_DIRS.iter().any(|d| *d == v.path) || SOCKETS.iter().any(|s| is_under(s, &v.path) && v.path != "/");
            if socket || dir {
                let what = if socket { "the runtime socket" } else { "a directory holding the runtime socket" };
                emit.pod(pod, &format!("volumes[{}].hostPath.path", v.index), &[v.host_path.get("path"), Some(v.volume)],
                    format!("volume \"{}\" mounts {} {} from the node", v.name, what, v.path));
            }
        }
    }),
};
