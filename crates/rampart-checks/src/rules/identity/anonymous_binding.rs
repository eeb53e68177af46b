use rampart_model::{Area, Location, Severity};
use rampart_rbac::DEFAULT_PUBLIC_ROLES;

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-anonymous-binding",
        title: "Permissions granted to every authenticated or anonymous user",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "system:authenticated is every user and every service-account token of the cluster (on managed \
            clusters often every account of the cloud provider); system:unauthenticated and system:anonymous are \
            anyone who can reach the API server. Beyond the discovery defaults, anything granted to them is \
            granted to every attacker with any foothold.",
        remediation: "Bind the role to the specific groups or service accounts that need it instead.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        let model = emit.context().rbac();
        for b in &model.bindings {
            let Some(origin) = &b.origin else { continue };
            if b.role_kind == "ClusterRole" && DEFAULT_PUBLIC_ROLES.contains(&b.role_name.as_str()) {
                continue;
            }
            for s in &b.subjects {
                let anonymous = matches!(
                    (s.kind.as_str(), s.name.as_str()),
                    ("Group", "system:unauthenticated") | ("User", "system:anonymous")
                );
                let everyone = s.kind == "Group" && s.name == "system:authenticated";
                if !(anonymous || everyone) {
                    continue;
                }
                let who = if anonymous { "anyone who can reach the API server" } else { "every authenticated user and service account" };
                let scope = b.scope().map_or("cluster-wide".to_string(), |ns| format!("in namespace {ns}"));
                let line = if b.role_ref_line > 0 { b.role_ref_line } else { origin.line };
                emit.severity(anonymous.then_some(Severity::Critical)).resource(
                    b.id.clone(),
                    "subjects".to_string(),
                    Location { file: origin.file.clone(), line },
                    format!("{} {} gives {} {} {scope} to {}", b.id.kind, b.id.name, b.role_kind, b.role_name, who),
                );
            }
        }
    }),
};
