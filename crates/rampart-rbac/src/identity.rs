//! Workload identity: which workloads hold which cloud role, through IRSA,
//! EKS Pod Identity, GKE Workload Identity or Azure Workload Identity.

use std::collections::HashMap;

use rampart_model::{Inventory, Node, PodTemplate, ResourceRef};

/// A workload that can act as a cloud identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudIdentity {
    pub workload: ResourceRef,
    pub service_account: (String, String),
    /// `aws`, `gcp` or `azure`.
    pub provider: &'static str,
    pub mechanism: &'static str,
    /// Role ARN, Google service account or Azure client id.
    pub role: String,
}

/// (provider, mechanism, role) of a service account.
type Grant = (&'static str, &'static str, String);

/// Every workload with a cloud identity, found from service-account
/// annotations and EKS Pod Identity associations in the inventory.
/// `pods` are the pod templates to consider (controllers, not their copies).
pub fn cloud_identities(inventory: &Inventory, pods: &[PodTemplate<'_>]) -> Vec<CloudIdentity> {
    // (namespace, service account) -> (provider, mechanism, role)
    let mut by_sa: HashMap<(String, String), Vec<Grant>> = HashMap::new();
    for sa in inventory.of_kind("ServiceAccount") {
        let key = (
            sa.id.namespace.clone().unwrap_or_default(),
            sa.id.name.clone(),
        );
        let ann = sa.annotations();
        let text = |k: &str| {
            ann.get(k)
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(arn) = text("eks.amazonaws.com/role-arn") {
            by_sa
                .entry(key.clone())
                .or_default()
                .push(("aws", "IRSA", arn));
        }
        if let Some(gsa) = text("iam.gke.io/gcp-service-account") {
            by_sa
                .entry(key.clone())
                .or_default()
                .push(("gcp", "GKE Workload Identity", gsa));
        }
        if let Some(client) = text("azure.workload.identity/client-id") {
            by_sa.entry(key.clone()).or_default().push((
                "azure",
                "Azure Workload Identity",
                client,
            ));
        }
    }
    for assoc in inventory.of_kind("PodIdentityAssociation") {
        let spec = assoc.root.get("spec").unwrap_or(Node::null());
        let text = |k: &str| spec.get(k).and_then(Node::as_str).map(str::to_string);
        if let (Some(ns), Some(sa), Some(role)) =
            (text("namespace"), text("serviceAccount"), text("roleARN"))
        {
            by_sa
                .entry((ns, sa))
                .or_default()
                .push(("aws", "EKS Pod Identity", role));
        }
    }
    let mut out = Vec::new();
    for pod in pods {
        let ns = pod.object.id.namespace.clone().unwrap_or_default();
        let sa = pod.service_account().0.to_string();
        let Some(ids) = by_sa.get(&(ns.clone(), sa.clone())) else {
            continue;
        };
        for (provider, mechanism, role) in ids {
            // Azure injects credentials only into pods that opt in with a label.
            if *provider == "azure"
                && pod
                    .labels()
                    .get("azure.workload.identity/use")
                    .and_then(Node::as_str)
                    != Some("true")
            {
                continue;
            }
            out.push(CloudIdentity {
                workload: pod.object.id.clone(),
                service_account: (ns.clone(), sa.clone()),
                provider,
                mechanism,
                role: role.clone(),
            });
        }
    }
    out
}
