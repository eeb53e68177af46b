use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::where_is;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "metadata-reachable",
        title: "Workload can reach the cloud metadata service",
        area: Area::Network,
        severity: Severity::High,
        rationale: "The cloud metadata service (169.254.169.254) hands out the node's cloud credentials to any \
            process that asks, unless IMDSv2 with a hop limit of 1 (or the provider's equivalent) blocks pods. A \
            compromised pod that reaches it becomes the node's cloud role: the first step of the SCARLETEEL attack \
            from a container to the cloud account.",
        remediation: "Block 169.254.169.254/32 (and fd00:ec2::254/128) in an egress NetworkPolicy for every \
            namespace (ipBlock `0.0.0.0/0` with `except`), and require IMDSv2 with hop limit 1 on the nodes; give \
            pods that need the cloud workload identity instead.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html",
            "https://attack.mitre.org/techniques/T1552/005/",
        ],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let ctx = emit.context();
        let model = ctx.network();
        let Ok(metadata) = model.find("metadata") else { return };
        let matrix = ctx.matrix();
        let exposures = ctx.exposures();
        let mut explained: std::collections::HashMap<Vec<usize>, String> =
            std::collections::HashMap::new();
        for e in model.endpoints().iter().filter(|e| e.is_workload()) {
            if !matrix.allowed(e.id, metadata) {
                continue;
            }
            let Some((resource, location)) = where_is(e) else { continue };
            let how = if e.host_network {
                "it uses the node's network, outside NetworkPolicy".to_string()
            } else {
                // An egress policy that admits it (the IPv6 address left open
                // by `0.0.0.0/0 except 169.254.169.254/32` plus `::/0`) is
                // named, so that nobody looks for a missing policy.
                // The egress side depends only on the policies selecting
                // the workload: each set of policies is explained once.
                let policies = model.selecting(e.id, rampart_network::Direction::Egress);
                explained
                    .entry(policies)
                    .or_insert_with(|| {
                        let verdict = model.reach(e.id, metadata, None);
                        match verdict.egress.allowing.first() {
                            Some(r) if verdict.egress.isolated => format!(
                                "rule {} of NetworkPolicy {} admits it: {}",
                                r.index, r.policy.resource.name, r.peer
                            ),
                            _ => "no egress policy blocks it".to_string(),
                        }
                    })
                    .clone()
            };
            let exposed = exposures.get(&resource).is_some_and(|v| v.iter().any(|x| x.internet));
            let severity = exposed.then_some(Severity::Critical);
            let tail = if exposed { "; the workload is internet-facing" } else { "" };
            emit.severity(severity).resource(resource, "spec".to_string(), location,
                format!("pods can reach the cloud metadata service ({how}){tail}"));
        }
    }),
};
