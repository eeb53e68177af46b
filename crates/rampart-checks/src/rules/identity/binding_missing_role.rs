use std::collections::HashSet;

use rampart_model::{Area, Location, Object, ResourceRef, Severity};

use crate::check::{Check, CheckMeta, Logic};

/// Whether the object was read from a cluster: the API server sets
/// `metadata.uid` on everything it stores; manifests do not carry one.
fn live(o: &Object) -> bool {
    o.metadata().get("uid").is_some()
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-binding-missing-role",
        title: "Binding refers to a role that does not exist",
        area: Area::Identity,
        severity: Severity::Low,
        rationale: "A binding whose role does not exist grants nothing today, but it is a standing grant: \
            whoever later creates a role of that name (a chart install, a restored backup, another team) \
            gives its rules to the binding's subjects without anyone reviewing who they are.",
        remediation: "Delete the binding, or recreate the role it was meant to grant on purpose.",
        references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding"],
        pss: None,
    },
    // Only bindings read from a live cluster, and only when the dump holds
    // roles of the kind referred to: a manifest repository often binds roles
    // another repository or the platform creates.
    logic: Logic::Inventory(|inventory, emit| {
        let mut live_bindings: HashSet<&ResourceRef> = HashSet::new();
        let (mut live_roles, mut live_cluster_roles) = (false, false);
        for o in &inventory.objects {
            if o.id.group() != "rbac.authorization.k8s.io" || !live(o) {
                continue;
            }
            match o.kind() {
                "Role" => live_roles = true,
                "ClusterRole" => live_cluster_roles = true,
                "RoleBinding" | "ClusterRoleBinding" => {
                    live_bindings.insert(&o.id);
                }
                _ => {}
            }
        }
        if live_bindings.is_empty() {
            return;
        }
        let model = emit.context().rbac();
        for b in &model.bindings {
            let dumped = match b.role_kind.as_str() {
                "Role" => live_roles,
                "ClusterRole" => live_cluster_roles,
                _ => false,
            };
            if b.role.is_some() || !dumped || !live_bindings.contains(&b.id) {
                continue;
            }
            let Some(origin) = &b.origin else { continue };
            let line = if b.role_ref_line > 0 { b.role_ref_line } else { origin.line };
            let subjects = match b.subjects.len() {
                0 => "no subject".to_string(),
                1 => format!("{} {}", b.subjects[0].kind, b.subjects[0].name),
                n => format!("{n} subjects"),
            };
            emit.resource(
                b.id.clone(),
                "roleRef".to_string(),
                Location { file: origin.file.clone(), line },
                format!(
                    "{} {} refers to {} {}, which does not exist in the cluster: creating a {} of that name grants it to {subjects}",
                    b.id.kind, b.id.name, b.role_kind, b.role_name, b.role_kind
                ),
            );
        }
    }),
};
