use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::network::where_is;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "egress-internet-unrestricted",
        title: "Egress policy still allows the whole internet",
        area: Area::Network,
        severity: Severity::Medium,
        rationale: "The workload has an egress policy, but one of its rules admits any public address: data can \
            leave and tools can come in as if there were no policy. (Workloads without any egress policy are \
            reported per namespace by netpol-default-deny-egress.)",
        remediation: "Replace `0.0.0.0/0` (and `::/0`) with the addresses or egress gateway the workload really \
            needs, or route outbound traffic through an egress proxy.",
        references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let ctx = emit.context();
        let model = ctx.network();
        let Ok(internet) = model.find("internet") else { return };
        let matrix = ctx.matrix();
        for e in model.endpoints().iter().filter(|e| e.is_workload() && !e.host_network) {
            if !matrix.allowed(e.id, internet) {
                continue;
            }
            let verdict = model.reach(e.id, internet, None);
            if !verdict.egress.isolated {
                continue;
            }
            let Some((resource, location)) = where_is(e) else { continue };
            let (location, rule) = match verdict.egress.allowing.first() {
                Some(r) => (
                    rampart_model::Location { file: r.policy.location.file.clone(), line: if r.line > 0 { r.line } else { r.policy.location.line } },
                    format!(" (rule {} of NetworkPolicy {})", r.index, r.policy.resource.name),
                ),
                None => (location, String::new()),
            };
            emit.resource(resource, "spec".to_string(), location,
                format!("pods can reach any internet address despite their egress policy{rule}"));
        }
    }),
};
