use rampart_model::{Area, Node, PodTemplate, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "mesh-mtls-permissive",
        title: "Service mesh accepts unauthenticated plain-text traffic",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "In PERMISSIVE (or DISABLE) mode the mesh accepts plain-text connections besides mutual TLS: \
            traffic inside the cluster can be read, and any pod, meshed or not, can call the workloads without a \
            workload identity, which defeats identity-based authorization policies.",
        remediation: "Set Istio PeerAuthentication `mtls.mode: STRICT` (mesh-wide in the root namespace), or Linkerd's \
            default inbound policy to `all-authenticated`, once every client is in the mesh.",
        references: &[
            "https://istio.io/latest/docs/reference/config/security/peer_authentication/",
            "https://linkerd.io/2-edge/reference/authorization-policy/",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() == "PeerAuthentication" && object.id.group() == "security.istio.io" {
            let mode = object.root.at(&["spec", "mtls", "mode"]);
            if let Some(m) = mode.and_then(Node::as_str).filter(|m| matches!(*m, "PERMISSIVE" | "DISABLE")) {
                emit.object(object, None, "spec.mtls.mode".to_string(), &[mode],
                    format!("PeerAuthentication {} sets mTLS mode {m}", object.id.name));
            }
            for (port, setting) in object.root.at(&["spec", "portLevelMtls"]).and_then(Node::as_map).unwrap_or(&[]) {
                let m = setting.get("mode").and_then(Node::as_str).unwrap_or("");
                if matches!(m, "PERMISSIVE" | "DISABLE") {
                    emit.object(object, None, format!("spec.portLevelMtls.{port}.mode"), &[setting.get("mode")],
                        format!("PeerAuthentication {} sets mTLS mode {m} on port {port}", object.id.name));
                }
            }
        }
        if object.kind() == "DestinationRule" && object.id.group() == "networking.istio.io" {
            let mode = object.root.at(&["spec", "trafficPolicy", "tls", "mode"]);
            if mode.and_then(Node::as_str) == Some("DISABLE") {
                emit.object(object, None, "spec.trafficPolicy.tls.mode".to_string(), &[mode],
                    format!("DestinationRule {} disables TLS to its host", object.id.name));
            }
        }
        // Linkerd reads its default inbound policy from the pod's annotations,
        // else its namespace's: on a workload, the pod template's count.
        let key = "config.linkerd.io/default-inbound-policy";
        let annotations = if object.kind() == "Namespace" && object.id.group().is_empty() {
            Some((object.annotations(), "metadata".to_string()))
        } else {
            PodTemplate::of(object).map(|pod| (pod.annotations(), pod.meta_path.to_string()))
        };
        if let Some((annotations, meta_path)) = annotations {
            if let Some(v) = annotations.get(key) {
                let policy = v.as_str().unwrap_or("");
                if matches!(policy, "all-unauthenticated" | "cluster-unauthenticated") {
                    emit.object(object, None, format!("{meta_path}.annotations.{key}"), &[Some(v)],
                        format!("Linkerd inbound policy {policy} admits unauthenticated clients"));
                }
            }
        }
    }),
};
