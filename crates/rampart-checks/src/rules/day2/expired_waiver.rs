use rampart_model::{Area, Location, ResourceRef, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "expired-waiver",
        title: "Waiver past its expiry date",
        area: Area::Day2,
        severity: Severity::Low,
        rationale: "A waiver records an accepted risk until a date. Past that date it no longer suppresses \
            anything: the findings it covered are reported again, and the decision to accept them needs to be \
            renewed or the problem fixed.",
        remediation: "Fix the waived findings, or renew the waiver with a new `expires` date and a reason that \
            still holds.",
        references: &[],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let today = emit.context().today;
        for w in &emit.config().waivers {
            let Some(expires) = w.expires.filter(|d| *d < today) else { continue };
            let target = format!(
                "{}/{}/{}",
                w.kind.as_deref().unwrap_or("*"),
                w.namespace.as_deref().unwrap_or("*"),
                w.name.as_deref().unwrap_or("*")
            );
            emit.resource(
                ResourceRef {
                    api_version: "rampart.dev/v1".to_string(),
                    kind: "Waiver".to_string(),
                    namespace: w.namespace.clone(),
                    name: format!("{} {}", w.check, target),
                },
                "waivers".to_string(),
                Location { file: w.file.clone(), line: w.line },
                format!("the waiver of {} for {target} expired on {expires} and no longer suppresses", w.check),
            );
        }
    }),
};
