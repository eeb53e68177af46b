use rampart_model::{Area, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-host-probes",
        title: "Probe or lifecycle hook targets another host",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "The kubelet runs probes and HTTP/TCP lifecycle hooks from the node. A `host` field makes the \
            kubelet send requests to any address it can reach, including the cloud metadata service and \
            internal services, on the pod author's behalf (server-side request forgery from the node).",
        remediation: "Remove the `host` field from httpGet and tcpSocket probes and lifecycle handlers so that \
            they target the pod's own IP.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Baseline, "Host Probes / Lifecycle Hooks"),
    },
    logic: Logic::Pod(|pod, emit| {
        const HANDLERS: [(&str, &[&str]); 5] = [
            ("livenessProbe", &["livenessProbe"]),
            ("readinessProbe", &["readinessProbe"]),
            ("startupProbe", &["startupProbe"]),
            ("lifecycle.postStart", &["lifecycle", "postStart"]),
            ("lifecycle.preStop", &["lifecycle", "preStop"]),
        ];
        for c in pod.containers() {
            for (field, path) in HANDLERS {
                let Some(handler) = c.node.at(path) else { continue };
                for kind in ["httpGet", "tcpSocket"] {
                    let Some(host) = handler.get(kind).and_then(|h| h.get("host")) else { continue };
                    let value = host.as_str().unwrap_or("");
                    if !value.is_empty() {
                        emit.container(pod, &c, &format!("{field}.{kind}.host"), &[Some(host)],
                            format!("{} {field} sends {kind} to host {value}", describe(&c)));
                    }
                }
            }
        }
    }),
};
