use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "host-aliases",
        title: "Pod overrides name resolution with hostAliases",
        area: Area::Workload,
        severity: Severity::Low,
        rationale: "hostAliases writes entries into the pod's /etc/hosts, silently sending traffic for a name to \
            another address: it hides dependencies from DNS-based policy and monitoring, and is a way to redirect \
            a workload's calls (for example to an attacker-controlled endpoint) that no DNS log shows.",
        remediation: "Remove `hostAliases` and publish the name in DNS (a Service, an ExternalName Service or a \
            private zone) where it is visible and controlled.",
        references: &["https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"],
        pss: None,
    },
    logic: Logic::Pod(|pod, emit| {
        let Some(aliases) = pod.spec.get("hostAliases").filter(|n| n.as_seq().is_some_and(|s| !s.is_empty())) else {
            return;
        };
        let names: Vec<&str> = aliases
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .flat_map(|a| a.get("hostnames").and_then(Node::as_seq).unwrap_or(&[]))
            .filter_map(Node::as_str)
            .collect();
        emit.pod(pod, "hostAliases", &[Some(aliases)], format!("pod maps {} to fixed addresses in /etc/hosts", names.join(", ")));
    }),
};
