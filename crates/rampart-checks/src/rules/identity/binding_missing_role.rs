use std::collections::HashSet;

use rampart_model::{Area, Location, Object, Severity};

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
    // Only bindings read from a live cluster, and only where the dump holds
    // the roles they could refer to: a manifest repository often binds roles
    // that another repository or the platform creates.
    // - ClusterRoles: the dump must hold the live cluster-admin (every
    //   cluster has it, so a dump without it is not of all ClusterRoles),
    //   and `system:` roles are never judged (the API server and its
    //   controllers create them; rampart models only some of them).
    // - Roles: the dump must hold live Roles of the binding's namespace.
    logic: Logic::Inventory(|inventory, emit| {
        let mut live_bindings: HashSet<(&str, u32)> = HashSet::new();
        let mut role_namespaces: HashSet<&str> = HashSet::new();
        let mut all_cluster_roles = false;
        for o in &inventory.objects {
            if o.id.group() != "rbac.authorization.k8s.io" || !live(o) {
                continue;
            }
            match o.kind() {
                "Role" => {
                    role_namespaces.insert(o.id.namespace.as_deref().unwrap_or(""));
                }
                "ClusterRole" if o.id.name == "cluster-admin" => all_cluster_roles = true,
                "RoleBinding" | "ClusterRoleBinding" => {
                    live_bindings.insert((&*o.origin.file, o.origin.line));
                }
                _ => {}
            }
        }
        if live_bindings.is_empty() {
            return;
        }
        let model = emit.context().rbac();
        for b in &model.bindings {
            let Some(origin) = &b.origin else { continue };
            if b.role.is_some() || !live_bindings.contains(&(&*origin.file, origin.line)) {
                continue;
            }
            let judged = match b.role_kind.as_str() {
                "Role" => b.id.namespace.as_deref().is_some_and(|ns| role_namespaces.contains(ns)),
                "ClusterRole" => all_cluster_roles && !b.role_name.starts_with("system:"),
                _ => false,
            };
            if !judged {
                continue;
            }
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
