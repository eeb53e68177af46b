//! The check registry of rampart and the runner that applies it to an
//! [`Inventory`].
//!
//! A check is one file under `rules/`: its metadata (which is also its
//! documentation) and one function. Adding a check means adding that file,
//! one line in [`REGISTRY`], and its fixtures under `fixtures/<id>/`.

pub mod check;
pub mod docs;
pub mod rules;
pub mod suppress;

use rampart_model::{Config, Finding, Inventory, PodTemplate};
use rayon::prelude::*;

pub use check::{Check, CheckMeta, Context, Emitter, Logic};

use rules::{admission, day2, identity, network, pss, quotas, third_party, workload};

/// Every check, in documentation order.
pub static REGISTRY: &[&Check] = &[
    &pss::host_process::CHECK,
    &pss::host_namespaces::CHECK,
    &pss::privileged::CHECK,
    &pss::capabilities_baseline::CHECK,
    &pss::host_path::CHECK,
    &pss::host_ports::CHECK,
    &pss::host_probes::CHECK,
    &pss::apparmor::CHECK,
    &pss::selinux::CHECK,
    &pss::proc_mount::CHECK,
    &pss::seccomp_baseline::CHECK,
    &pss::sysctls::CHECK,
    &pss::volume_types::CHECK,
    &pss::privilege_escalation::CHECK,
    &pss::run_as_non_root::CHECK,
    &pss::run_as_user::CHECK,
    &pss::seccomp_restricted::CHECK,
    &pss::capabilities_restricted::CHECK,
    &pss::proc_mount_restricted::CHECK,
    &workload::runtime_socket_mount::CHECK,
    &workload::sensitive_host_path::CHECK,
    &workload::dangerous_capabilities::CHECK,
    &workload::writable_root_filesystem::CHECK,
    &workload::image_latest_tag::CHECK,
    &workload::image_not_pinned::CHECK,
    &workload::image_registry_not_allowed::CHECK,
    &workload::secret_in_env_literal::CHECK,
    &workload::secret_in_env::CHECK,
    &workload::sa_token_automount::CHECK,
    &workload::default_service_account::CHECK,
    &workload::legacy_sa_token_secret::CHECK,
    &workload::share_process_namespace::CHECK,
    &workload::host_aliases::CHECK,
    &workload::secret_in_configmap::CHECK,
    &workload::run_as_root_group::CHECK,
    &workload::default_namespace::CHECK,
    &admission::psa_enforce_missing::CHECK,
    &admission::psa_enforce_weak::CHECK,
    &admission::psa_audit_warn_missing::CHECK,
    &admission::psa_free_hardening::CHECK,
    &quotas::cpu_requests_missing::CHECK,
    &quotas::memory_requests_missing::CHECK,
    &quotas::cpu_limits_missing::CHECK,
    &quotas::memory_limits_missing::CHECK,
    &quotas::ephemeral_storage_limit_missing::CHECK,
    &quotas::namespace_no_resourcequota::CHECK,
    &quotas::namespace_no_limitrange::CHECK,
    &identity::secrets_read::CHECK,
    &identity::pod_create::CHECK,
    &identity::pod_exec::CHECK,
    &identity::escalate_bind::CHECK,
    &identity::impersonate::CHECK,
    &identity::nodes_proxy::CHECK,
    &identity::sa_token_create::CHECK,
    &identity::csr_approve::CHECK,
    &identity::webhook_write::CHECK,
    &identity::pv_create::CHECK,
    &identity::namespace_write::CHECK,
    &identity::events_delete::CHECK,
    &identity::wildcard::CHECK,
    &identity::anonymous_binding::CHECK,
    &identity::cluster_admin_binding::CHECK,
    &identity::default_sa_binding::CHECK,
    &identity::binding_missing_role::CHECK,
    &identity::aws_auth_write::CHECK,
    &identity::cloud_static_credentials::CHECK,
    &network::netpol_default_deny_ingress::CHECK,
    &network::netpol_default_deny_egress::CHECK,
    &network::metadata_reachable::CHECK,
    &network::egress_internet_unrestricted::CHECK,
    &network::reachable_from_all_namespaces::CHECK,
    &network::netpol_selects_nothing::CHECK,
    &network::netpol_allows_all::CHECK,
    &network::service_nodeport::CHECK,
    &network::service_external_ips::CHECK,
    &network::loadbalancer_no_source_ranges::CHECK,
    &network::ingress_no_tls::CHECK,
    &network::ingress_wildcard_host::CHECK,
    &network::gateway_listener_no_tls::CHECK,
    &network::gateway_routes_from_all_namespaces::CHECK,
    &network::ingress_nginx_snippets::CHECK,
    &network::mesh_mtls_permissive::CHECK,
    &quotas::bandwidth_annotations_missing::CHECK,
    &third_party::third_party_privileged_controller::CHECK,
    &third_party::gitops_cluster_admin::CHECK,
    &third_party::ci_runner_privileged_pods::CHECK,
    &third_party::third_party_registry_not_allowed::CHECK,
    &day2::expired_waiver::CHECK,
];

/// Look a check up by id.
pub fn find(id: &str) -> Option<&'static Check> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static Check>> =
        std::sync::OnceLock::new();
    BY_ID
        .get_or_init(|| REGISTRY.iter().map(|c| (c.meta.id, *c)).collect())
        .get(id)
        .copied()
}

/// Run `checks` over the inventory. Findings come back sorted by file, line
/// and check, whatever the order of the parallel analysis.
pub fn run(inventory: &Inventory, config: &Config, checks: &[&'static Check]) -> Vec<Finding> {
    run_on(inventory, config, rampart_model::Date::today(), checks)
}

/// [`run`] with an explicit date for waiver expiry.
pub fn run_on(
    inventory: &Inventory,
    config: &Config,
    today: rampart_model::Date,
    checks: &[&'static Check],
) -> Vec<Finding> {
    run_in(&Context::new(inventory, config, today), checks)
}

/// [`run`] in a context the caller keeps, to reuse its analyses (RBAC
/// model, network matrix) afterwards.
pub fn run_in(ctx: &Context<'_>, checks: &[&'static Check]) -> Vec<Finding> {
    let inventory = ctx.inventory;
    let started = std::time::Instant::now();
    ctx.prepare();
    // The context's pod templates are in object order: give each object
    // its template, if any (controllers' copies have none).
    let mut pod_of: Vec<Option<&PodTemplate<'_>>> = vec![None; inventory.objects.len()];
    let mut next = 0;
    for pod in ctx.pods() {
        while next < inventory.objects.len() && !std::ptr::eq(&inventory.objects[next], pod.object)
        {
            next += 1;
        }
        if let Some(slot) = pod_of.get_mut(next) {
            *slot = Some(pod);
        }
    }
    let mut findings: Vec<Finding> = inventory
        .objects
        .par_iter()
        .zip(pod_of.par_iter())
        .flat_map_iter(|(object, pod)| {
            let mut out = Vec::new();
            for check in checks {
                let mut emit = Emitter::new(&check.meta, ctx, &mut out);
                match &check.logic {
                    Logic::Pod(f) => {
                        if let Some(pod) = pod {
                            f(pod, &mut emit);
                        }
                    }
                    Logic::Object(f) => f(object, &mut emit),
                    Logic::Inventory(_) => {}
                }
            }
            out
        })
        .collect();
    let timing = std::env::var_os("RAMPART_TIMING").is_some();
    if timing {
        eprintln!(
            "timing: per-object checks {:.3}s",
            started.elapsed().as_secs_f64()
        );
    }
    // Cross-object checks are independent of each other: run them in
    // parallel too (shared analyses are built once, by whichever needs them
    // first). The sort below makes the output order independent of this.
    let inventory_findings: Vec<Vec<Finding>> = checks
        .par_iter()
        .filter_map(|check| match &check.logic {
            Logic::Inventory(f) => Some((check, f)),
            _ => None,
        })
        .map(|(check, f)| {
            let started = std::time::Instant::now();
            let mut out = Vec::new();
            let mut emit = Emitter::new(&check.meta, ctx, &mut out);
            f(inventory, &mut emit);
            if timing {
                eprintln!(
                    "timing: check {} {:.3}s",
                    check.meta.id,
                    started.elapsed().as_secs_f64()
                );
            }
            out
        })
        .collect();
    if timing {
        eprintln!(
            "timing: cross-object checks {:.3}s",
            started.elapsed().as_secs_f64()
        );
    }
    findings.extend(inventory_findings.into_iter().flatten());
    findings.par_sort_by(Finding::cmp_key);
    if timing {
        eprintln!("timing: sorted {:.3}s", started.elapsed().as_secs_f64());
    }
    findings
}

/// Every pod template of the inventory, except those of objects whose
/// controller is also in the inventory (see [`run`]).
pub fn pod_templates(inventory: &Inventory) -> Vec<PodTemplate<'_>> {
    let owned = inventory.controlled_copies();
    inventory
        .objects
        .par_iter()
        .enumerate()
        .filter(|(i, _)| !owned.contains(i))
        .filter_map(|(_, o)| PodTemplate::of(o))
        .collect()
}

/// `Kind/namespace/name` (`Kind/name` when cluster-scoped), the form the
/// plan's exposure sets use.
fn qualified(r: &rampart_model::ResourceRef) -> String {
    match &r.namespace {
        Some(ns) => format!("{}/{}/{}", r.kind, ns, r.name),
        None => format!("{}/{}", r.kind, r.name),
    }
}

/// `Kind/namespace/name` of every workload recognised as a third-party
/// component (for the plan's exposure weighting).
pub fn third_party_workloads(ctx: &Context<'_>) -> std::collections::BTreeSet<String> {
    ctx.pods()
        .iter()
        .filter(|p| ctx.component(p).is_some())
        .map(|p| qualified(&p.object.id))
        .collect()
}

/// `Kind/namespace/name` of every workload exposed to the internet (through
/// a public LoadBalancer, externalIPs, an Ingress or a Gateway route).
pub fn internet_facing_workloads(ctx: &Context<'_>) -> std::collections::BTreeSet<String> {
    ctx.exposures()
        .iter()
        .filter(|(_, ways)| ways.iter().any(|w| w.internet))
        .map(|(r, _)| qualified(r))
        .collect()
}

/// Workloads that are entry points through their supply chain: recognised
/// third-party components, and workloads running a mutable (`latest` or
/// untagged) image. Values say why.
pub fn supply_chain_entries(
    inventory: &Inventory,
) -> std::collections::BTreeMap<rampart_model::ResourceRef, String> {
    let config = Config::default();
    supply_chain_entries_in(&Context::new(
        inventory,
        &config,
        rampart_model::Date::today(),
    ))
}

/// [`supply_chain_entries`] over the analyses of a scan.
pub fn supply_chain_entries_in(
    ctx: &Context<'_>,
) -> std::collections::BTreeMap<rampart_model::ResourceRef, String> {
    let mut out = std::collections::BTreeMap::new();
    for pod in ctx.pods() {
        if let Some((c, _)) = ctx.component(pod) {
            out.insert(
                pod.object.id.clone(),
                format!("third-party component {}", c.name),
            );
            continue;
        }
        let mutable = pod.containers().filter_map(|c| c.image()).find(|i| {
            let r = rules::workload::ImageRef::parse(i);
            r.digest.is_none() && matches!(r.tag.as_deref(), None | Some("latest"))
        });
        if let Some(image) = mutable {
            out.insert(
                pod.object.id.clone(),
                format!("runs the mutable image {image}"),
            );
        }
    }
    out
}
