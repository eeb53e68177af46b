//! Workload checks beyond the Pod Security Standards: host access, images,
//! secrets and service-account tokens.

use rampart_model::{Node, PodTemplate};

pub mod dangerous_capabilities;
pub mod default_namespace;
pub mod default_service_account;
pub mod host_aliases;
pub mod image_latest_tag;
pub mod image_not_pinned;
pub mod image_registry_not_allowed;
pub mod legacy_sa_token_secret;
pub mod run_as_root_group;
pub mod runtime_socket_mount;
pub mod sa_token_automount;
pub mod secret_in_configmap;
pub mod secret_in_env;
pub mod secret_in_env_literal;
pub mod sensitive_host_path;
pub mod share_process_namespace;
pub mod writable_root_filesystem;

/// A hostPath volume of a pod: index, volume node, normalised path, and
/// whether every mount of it is read-only.
pub(crate) struct HostPathVolume<'a> {
    pub index: usize,
    pub volume: &'a Node,
    pub host_path: &'a Node,
    pub name: &'a str,
    pub path: String,
    pub read_only: bool,
}

pub(crate) fn host_path_volumes<'a>(pod: &PodTemplate<'a>) -> Vec<HostPathVolume<'a>> {
    let Some(volumes) = pod.spec.get("volumes").and_then(Node::as_seq) else {
        return Vec::new();
    };
    let containers: Vec<_> = pod.containers().collect();
    volumes
        .iter()
        .enumerate()
        .filter_map(|(index, volume)| {
            let host_path = volume.get("hostPath").filter(|n| !n.is_null())?;
            let name = volume.get("name").and_then(Node::as_str).unwrap_or("");
            let raw = host_path.get("path").and_then(Node::as_str).unwrap_or("");
            let mounts: Vec<&Node> = containers
                .iter()
                .flat_map(|c| {
                    c.node
                        .get("volumeMounts")
                        .and_then(Node::as_seq)
                        .unwrap_or(&[])
                })
                .filter(|m| m.get("name").and_then(Node::as_str) == Some(name))
                .collect();
            let read_only = !mounts.is_empty()
                && mounts
                    .iter()
                    .all(|m| m.get("readOnly").and_then(Node::as_bool) == Some(true));
            Some(HostPathVolume {
                index,
                volume,
                host_path,
                name,
                path: normalise_path(raw),
                read_only,
            })
        })
        .collect()
}

/// `/var//run/` → `/var/run`; `.` and `..` resolved lexically.
pub(crate) fn normalise_path(raw: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `path` is `base` or below it.
pub(crate) fn is_under(path: &str, base: &str) -> bool {
    path == base
        || (path.starts_with(base) && path.as_bytes().get(base.len()) == Some(&b'/'))
        || base == "/"
}

/// An image reference split the way container runtimes read it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImageRef {
    /// Registry host, Docker Hub normalised to `docker.io`.
    pub registry: String,
    /// Repository path, Docker Hub official images under `library/`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        // A tag is a `:` after the last `/` (a `:` before it is a registry port).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), path.to_string())
            }
            Some(_) => ("docker.io".to_string(), name.to_string()),
            None => ("docker.io".to_string(), format!("library/{name}")),
        };
        let registry = if registry == "index.docker.io" {
            "docker.io".to_string()
        } else {
            registry
        };
        // `docker.io/nginx` is the official image `docker.io/library/nginx`, as with `nginx`.
        let repository = if registry == "docker.io" && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// `registry/repository`, the form allow-list prefixes are matched against.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_are_normalised() {
        let r = ImageRef::parse("nginx");
        assert_eq!(
            (r.full_name().as_str(), r.tag.as_deref()),
            ("docker.io/library/nginx", None)
        );
        let r = ImageRef::parse("bitnami/redis:7.2");
        assert_eq!(
            (r.full_name().as_str(), r.tag.as_deref()),
            ("docker.io/bitnami/redis", Some("7.2"))
        );
        let r = ImageRef::parse("registry.local:5000/team/app@sha256:abc");
        assert_eq!(r.full_name(), "registry.local:5000/team/app");
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some("sha256:abc")));
        let r = ImageRef::parse("docker.io/nginx:1.27");
        assert_eq!(r.full_name(), "docker.io/library/nginx");
        let r = ImageRef::parse("ghcr.io/org/app:1.0@sha256:abc");
        assert_eq!(r.tag.as_deref(), Some("1.0"));
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise_path("/var//run/"), "/var/run");
        assert_eq!(normalise_path("/etc/../"), "/");
        assert!(is_under("/var/lib/kubelet/pods", "/var/lib/kubelet"));
        assert!(!is_under("/var/lib/kubeletx", "/var/lib/kubelet"));
    }
}
