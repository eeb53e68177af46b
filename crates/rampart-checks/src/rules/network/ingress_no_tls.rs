use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ingress-no-tls",
        title: "Ingress host served without TLS",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "Hosts of an Ingress not listed under `spec.tls` are served over plain HTTP: credentials, \
            session cookies and data cross the internet readable and modifiable by anyone on the path.",
        remediation: "Add the host to `spec.tls` with a certificate Secret (cert-manager can issue it), and \
            redirect HTTP to HTTPS.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Ingress" {
            return;
        }
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let tls = spec.get("tls").and_then(Node::as_seq).unwrap_or(&[]);
        // A TLS entry without hosts applies to the controller's wildcard
        // host (IngressTLS.hosts defaults to it): its certificate decides
        // which hosts it covers, which the manifests do not say.
        if tls.iter().any(|t| t.get("hosts").and_then(Node::as_seq).is_none_or(|h| h.is_empty())) {
            return;
        }
        let tls_hosts: Vec<&str> = tls
            .iter()
            .flat_map(|t| t.get("hosts").and_then(Node::as_seq).unwrap_or(&[]))
            .filter_map(Node::as_str)
            .collect();
        let covered = |host: &str| {
            tls_hosts.iter().any(|t| *t == host || t.strip_prefix("*.").is_some_and(|d| host.split_once('.').is_some_and(|(_, rest)| rest == d)))
        };
        for (i, rule) in spec.get("rules").and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
            let host_node = rule.get("host");
            let host = host_node.and_then(Node::as_str).unwrap_or("");
            if host.is_empty() && !tls_hosts.is_empty() {
                continue; // a host-less rule with TLS configured uses the default certificate
            }
            if !host.is_empty() && covered(host) {
                continue;
            }
            let shown = if host.is_empty() { "every host" } else { host };
            emit.object(object, None, format!("spec.rules[{i}].host"), &[host_node, Some(rule)],
                format!("Ingress serves {shown} without TLS"));
        }
    }),
};
