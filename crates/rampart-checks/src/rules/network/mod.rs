//! Network: NetworkPolicy coverage and reachability (exact semantics from
//! rampart-network), the metadata service and the internet, and exposure
//! through Services, Ingresses and Gateways.

use std::collections::BTreeSet;

use rampart_model::{Inventory, Location, Node, ResourceRef};

use crate::rules::quotas::{namespace_ref, workload_namespaces};

pub mod egress_internet_unrestricted;
pub mod gateway_listener_no_tls;
pub mod gateway_routes_from_all_namespaces;
pub mod ingress_nginx_snippets;
pub mod ingress_no_tls;
pub mod ingress_wildcard_host;
pub mod loadbalancer_no_source_ranges;
pub mod mesh_mtls_permissive;
pub mod metadata_reachable;
pub mod netpol_allows_all;
pub mod netpol_default_deny_egress;
pub mod netpol_default_deny_ingress;
pub mod netpol_selects_nothing;
pub mod reachable_from_all_namespaces;
pub mod service_external_ips;
pub mod service_nodeport;

/// Namespaces whose traffic another policy engine (Cilium, Calico,
/// AdminNetworkPolicy) governs; `None` when a cluster-wide policy of such
/// an engine exists, which may cover every namespace.
pub(crate) fn other_engine_namespaces(inventory: &Inventory) -> Option<BTreeSet<String>> {
    let mut namespaces = BTreeSet::new();
    for o in &inventory.objects {
        let group = o.id.group();
        let other = match o.kind() {
            "CiliumNetworkPolicy" => group == "cilium.io",
            "CiliumClusterwideNetworkPolicy"
            | "GlobalNetworkPolicy"
            | "AdminNetworkPolicy"
            | "BaselineAdminNetworkPolicy" => {
                return None;
            }
            "NetworkPolicy" => group.ends_with("projectcalico.org"),
            _ => false,
        };
        if other {
            if let Some(ns) = &o.id.namespace {
                namespaces.insert(ns.clone());
            }
        }
    }
    Some(namespaces)
}

/// Reports every namespace with workloads that no all-pods policy isolates in
/// `direction` (the shared logic of the two default-deny checks). Nothing is
/// reported when a cluster-wide policy of another engine may cover the
/// cluster, nor for namespaces that hold another engine's policies.
pub(crate) fn missing_default_deny(
    inventory: &Inventory,
    emit: &mut crate::check::Emitter<'_>,
    direction: rampart_network::Direction,
    consequence: &str,
) {
    let Some(other) = other_engine_namespaces(inventory) else {
        return;
    };
    let model = emit.context().network();
    let word = direction.field();
    for (ns, (_, location)) in workload_namespaces(inventory, emit.context().pods()) {
        let (ingress, egress) = model.isolation(&ns);
        let isolated = match direction {
            rampart_network::Direction::Ingress => ingress,
            rampart_network::Direction::Egress => egress,
        };
        if other.contains(&ns) || isolated {
            continue;
        }
        emit.resource(
            namespace_ref(&ns),
            String::new(),
            location,
            format!("namespace {ns} has no default-deny {word} policy: {consequence}"),
        );
    }
}

/// A workload endpoint's resource and location, for findings.
pub(crate) fn where_is(e: &rampart_network::Endpoint) -> Option<(ResourceRef, Location)> {
    Some((e.resource.clone()?, e.location.clone()?))
}

/// The `ingress`/`egress` entry of the policy that a rule reference of the
/// engine points at, to read what the rule says (its peers, its ports).
pub(crate) fn rule_node<'a>(
    inventory: &'a Inventory,
    r: &rampart_network::RuleRef,
) -> Option<&'a Node> {
    let policy = inventory
        .objects
        .iter()
        .find(|o| o.id == r.policy.resource && o.origin == r.policy.location)?;
    policy
        .root
        .at(&["spec", r.direction.field()])
        .and_then(Node::as_seq)?
        .get(r.index)
}
