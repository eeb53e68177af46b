//! The Pod Security Standards, with the semantics of Kubernetes' own
//! pod-security-admission at policy version 1.37 (the newest).
//!
//! Each control is one check. Where the restricted level replaces a baseline
//! control (volume types over hostPath volumes, restricted seccomp and
//! capabilities over their baseline forms, restricted /proc mount over the
//! baseline one), the restricted check reports only what the baseline check
//! does not, so one problem yields one finding. Every per-container control
//! covers init, regular and ephemeral containers, as admission does.

use rampart_model::{Node, PodTemplate};

pub mod apparmor;
pub mod capabilities_baseline;
pub mod capabilities_restricted;
pub mod host_namespaces;
pub mod host_path;
pub mod host_ports;
pub mod host_probes;
pub mod host_process;
pub mod privilege_escalation;
pub mod privileged;
pub mod proc_mount;
pub mod proc_mount_restricted;
pub mod run_as_non_root;
pub mod run_as_user;
pub mod seccomp_baseline;
pub mod seccomp_restricted;
pub mod selinux;
pub mod sysctls;
pub mod volume_types;

pub(crate) const PSS_DOC: &str =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

/// `spec.hostUsers: false` set explicitly: the pod runs in a user namespace,
/// and policy 1.35+ relaxes runAsNonRoot, runAsUser and baseline procMount.
pub(crate) fn in_user_namespace(pod: &PodTemplate<'_>) -> bool {
    pod.spec.get("hostUsers").and_then(Node::as_bool) == Some(false)
}

/// Windows pods are exempt from some restricted controls (policy 1.25+).
pub(crate) fn windows_exempt(pod: &PodTemplate<'_>) -> bool {
    pod.is_windows()
}

/// The `type` of a seccompProfile/appArmorProfile mapping, `""` when absent
/// (Go's zero value, which admission treats as an invalid type).
pub(crate) fn profile_type(profile: &Node) -> &str {
    profile.get("type").and_then(Node::as_str).unwrap_or("")
}

/// A mapping-valued field that is present (not absent, not null).
pub(crate) fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| !n.is_null())
}
