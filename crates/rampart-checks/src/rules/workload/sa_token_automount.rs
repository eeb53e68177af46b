use std::collections::{HashMap, HashSet};

use rampart_model::{Area, Inventory, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::workload::default_service_account::service_account;

/// Service accounts that some binding of the inventory grants permissions,
/// and namespaces all of whose service accounts are granted (group subjects).
fn bound_service_accounts(
    inventory: &Inventory,
) -> (HashSet<(String, String)>, HashSet<String>, bool) {
    let mut accounts = HashSet::new();
    let mut namespaces = HashSet::new();
    let mut all = false;
    for o in inventory
        .of_kind("RoleBinding")
        .chain(inventory.of_kind("ClusterRoleBinding"))
    {
        for s in o.root.get("subjects").and_then(Node::as_seq).unwrap_or(&[]) {
            let kind = s.get("kind").and_then(Node::as_str).unwrap_or("");
            let name = s.get("name").and_then(Node::as_str).unwrap_or("");
            match kind {
                "ServiceAccount" => {
                    let ns = s
                        .get("namespace")
                        .and_then(Node::as_str)
                        .or(o.id.namespace.as_deref())
                        .unwrap_or("default");
                    accounts.insert((ns.to_string(), name.to_string()));
                }
                "Group" if name == "system:serviceaccounts" => all = true,
                "Group" => {
                    if let Some(ns) = name.strip_prefix("system:serviceaccounts:") {
                        namespaces.insert(ns.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    (accounts, namespaces, all)
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sa-token-automount",
        title: "Service-account token mounted where nothing uses it",
        area: Area::Workload,
        severity: Severity::Medium,
        rationale: "Kubernetes mounts an API token into every pod unless told otherwise. When the pod's service \
            account has no permissions of its own, nothing in the pod needs that token, but an attacker who gets \
            code execution gets it for free: it authenticates to the API server, gains whatever is granted to \
            all authenticated users, and is the first step of most in-cluster attacks.",
        remediation: "Set `automountServiceAccountToken: false` on the pod (or on its service account), and mount \
            a projected token only in pods that call the API.",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
        ],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let (bound, bound_namespaces, all_bound) = bound_service_accounts(inventory);
        if all_bound {
            return; // every service account is granted something
        }
        let has_rbac = inventory.of_kind("RoleBinding").chain(inventory.of_kind("ClusterRoleBinding")).next().is_some();
        let automount: HashMap<(&str, &str), bool> = inventory
            .of_kind("ServiceAccount")
            .filter_map(|sa| {
                let value = sa.root.get("automountServiceAccountToken").and_then(Node::as_bool)?;
                Some(((sa.id.namespace.as_deref().unwrap_or(""), sa.id.name.as_str()), value))
            })
            .collect();
        for pod in emit.context().pods() {
            let ns = pod.object.id.namespace.as_deref().unwrap_or("default");
            let (sa, sa_node) = service_account(pod);
            let pod_setting = pod.spec.get("automountServiceAccountToken");
            let mounted = match pod_setting.and_then(Node::as_bool) {
                Some(v) => v,
                None => automount.get(&(ns, sa)).copied().unwrap_or(true),
            };
            if !mounted || bound.contains(&(ns.to_string(), sa.to_string())) || bound_namespaces.contains(ns) {
                continue;
            }
            // Without any RBAC in the input we cannot know what a named
            // account is granted; the default account is rarely granted anything.
            if !has_rbac && sa != "default" {
                continue;
            }
            emit.pod(pod, "automountServiceAccountToken", &[pod_setting, sa_node],
                format!("pod mounts the token of service account {sa}, which no binding in the input grants anything"));
        }
    }),
};
