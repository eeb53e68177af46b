//! Third-party components: controllers and agents recognised by image and
//! labels, with the power they hold and what their compromise gives.

use std::collections::BTreeSet;

use rampart_model::{Node, PodTemplate};
use rampart_rbac::danger::{is_superuser, Danger};
use rampart_rbac::Subject;

use crate::check::Context;
use crate::rules::workload::default_service_account::service_account;

pub mod ci_runner_privileged_pods;
pub mod gitops_cluster_admin;
pub mod third_party_privileged_controller;
pub mod third_party_registry_not_allowed;

/// What kind of component it is; CI runners and GitOps controllers get checks of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    CiRunner,
    GitOps,
    Other,
}

pub(crate) struct Component {
    pub name: &'static str,
    pub role: Role,
    /// Substrings of the image repository (after the registry) that identify it.
    images: &'static [&'static str],
    /// Value of `app.kubernetes.io/part-of` or `app.kubernetes.io/name` that identifies it.
    labels: &'static [&'static str],
    /// What an attacker who compromises it gets, besides its RBAC power.
    pub compromise: &'static str,
}

const CATALOGUE: &[Component] = &[
    Component { name: "Argo CD", role: Role::GitOps, images: &["argoproj/argocd"], labels: &["argocd"], compromise: "whoever controls Argo CD (its UI and API, a repository it syncs, its repository credentials) deploys anything it is allowed to" },
    Component { name: "Flux", role: Role::GitOps, images: &["fluxcd/"], labels: &["flux"], compromise: "whoever can push to a source Flux reconciles deploys anything Flux is allowed to" },
    Component { name: "GitLab Runner", role: Role::CiRunner, images: &["gitlab-runner", "gitlab-org/gitlab-runner"], labels: &["gitlab-runner"], compromise: "every CI job of every project using the runner runs with the runner's power: a merge request is enough" },
    Component { name: "GitHub Actions Runner Controller", role: Role::CiRunner, images: &["actions/actions-runner", "actions-runner-controller", "actions/gha-runner"], labels: &["gha-runner-scale-set", "actions-runner-controller"], compromise: "every workflow of the repositories using the runners runs with their power" },
    Component { name: "Jenkins", role: Role::CiRunner, images: &["jenkins/jenkins", "jenkins/inbound-agent", "jenkins/agent"], labels: &["jenkins"], compromise: "every pipeline, and anyone with script console access, runs with Jenkins' power" },
    Component { name: "Tekton", role: Role::CiRunner, images: &["tekton-releases/", "tektoncd/"], labels: &["tekton-pipelines"], compromise: "every PipelineRun creates pods with the power granted to pipelines" },
    Component { name: "Buildkite agent", role: Role::CiRunner, images: &["buildkite/agent", "buildkite/agent-stack-k8s"], labels: &["agent-stack-k8s"], compromise: "every pipeline step runs with the agent's power" },
    Component { name: "cert-manager", role: Role::Other, images: &["jetstack/cert-manager"], labels: &["cert-manager"], compromise: "cert-manager holds the keys of every certificate it issues and the credentials of its issuers (DNS, ACME accounts)" },
    Component { name: "ingress-nginx", role: Role::Other, images: &["ingress-nginx/controller"], labels: &["ingress-nginx"], compromise: "the ingress controller faces the internet, reads every TLS Secret and (through snippet annotations) runs configuration written by whoever can create an Ingress" },
    Component { name: "Traefik", role: Role::Other, images: &["traefik"], labels: &["traefik"], compromise: "the ingress controller faces the internet and reads every TLS Secret it serves" },
    Component { name: "Velero", role: Role::Other, images: &["velero/velero"], labels: &["velero"], compromise: "Velero reads every object of the cluster, Secrets included, and holds the cloud credentials of the backup store" },
    Component { name: "Prometheus Operator", role: Role::Other, images: &["prometheus-operator/prometheus-operator"], labels: &["prometheus-operator"], compromise: "the operator creates StatefulSets and reads Secrets across namespaces" },
    Component { name: "External Secrets Operator", role: Role::Other, images: &["external-secrets/external-secrets"], labels: &["external-secrets"], compromise: "the operator holds the credentials of the external secret stores and writes Secrets anywhere" },
    Component { name: "Kyverno", role: Role::Other, images: &["kyverno/kyverno"], labels: &["kyverno"], compromise: "the admission engine sees and can mutate every object, and can be told to generate any resource" },
    Component { name: "Gatekeeper", role: Role::Other, images: &["open-policy-agent/gatekeeper"], labels: &["gatekeeper"], compromise: "the admission engine sees every object; disabling it disables the guard rails" },
    Component { name: "Istio", role: Role::Other, images: &["istio/pilot", "istio/proxyv2"], labels: &["istiod"], compromise: "istiod issues the mesh's workload certificates and reads every Secret of the mesh" },
    Component { name: "Crossplane", role: Role::Other, images: &["crossplane/crossplane"], labels: &["crossplane"], compromise: "Crossplane holds cloud credentials able to create and delete cloud infrastructure" },
    Component { name: "Karpenter", role: Role::Other, images: &["karpenter/controller", "karpenter"], labels: &["karpenter"], compromise: "Karpenter holds a cloud role able to launch nodes" },
    Component { name: "Cluster Autoscaler", role: Role::Other, images: &["autoscaling/cluster-autoscaler"], labels: &["cluster-autoscaler"], compromise: "the autoscaler holds a cloud role able to change node groups" },
    Component { name: "Kubernetes Dashboard", role: Role::Other, images: &["kubernetesui/dashboard", "kubernetes-dashboard"], labels: &["kubernetes-dashboard"], compromise: "the dashboard is a web UI onto the cluster; exposed or over-privileged, it hands its power to whoever reaches it" },
];

/// The component a pod template belongs to, if it is a known one.
pub(crate) fn recognise(pod: &PodTemplate<'_>) -> Option<&'static Component> {
    recognise_how(pod).map(|(c, _)| c)
}

/// The component, and whether the pod runs its own image (the controller
/// itself) rather than only carrying its labels (a helper Job, a bundled
/// database, an SSO server), to which `compromise` does not apply as such.
pub(crate) fn recognise_how(pod: &PodTemplate<'_>) -> Option<(&'static Component, bool)> {
    let labels = [pod.labels(), pod.object.labels()];
    let label_of = |key: &str| {
        labels
            .iter()
            .find_map(|l| l.get(key).and_then(Node::as_str))
    };
    let part_of = label_of("app.kubernetes.io/part-of");
    let name = label_of("app.kubernetes.io/name");
    let images: Vec<String> = pod
        .containers()
        .filter_map(|c| c.image())
        .map(|i| crate::rules::workload::ImageRef::parse(i).repository)
        .collect();
    let by_image = |c: &Component| {
        c.images
            .iter()
            .any(|pat| images.iter().any(|i| i.contains(pat)))
    };
    CATALOGUE
        .iter()
        .find(|c| {
            by_image(c)
                || c.labels
                    .iter()
                    .any(|l| part_of == Some(*l) || name == Some(*l))
        })
        .map(|c| (c, by_image(c)))
}

/// What the pod's service account may do that matters, in a few words with
/// where (`read Secrets in namespace argocd`, `reach kubelets cluster-wide`),
/// and whether it is cluster-admin (or equivalent) cluster-wide.
pub(crate) fn power(ctx: &Context<'_>, pod: &PodTemplate<'_>) -> (Vec<String>, bool) {
    let model = ctx.rbac();
    let dangers = ctx.dangers();
    let ns = pod.object.id.namespace.as_deref().unwrap_or("default");
    let (sa, _) = service_account(pod);
    // Each capability, whether some grant is cluster-wide, and the
    // namespaces of the others.
    let mut found: Vec<(&'static str, bool, BTreeSet<String>)> = Vec::new();
    let mut admin = false;
    for (via, b, role) in model.bindings_of(&Subject::service_account(ns, sa)) {
        let Some(role) = role else { continue };
        // Built-in grants, and grants to every account (system:authenticated,
        // system:serviceaccounts), are not this component's own power; the
        // latter are reported by rbac-anonymous-binding.
        if b.origin.is_none()
            || (via.kind == "Group" && !via.name.starts_with("system:serviceaccounts:"))
        {
            continue;
        }
        if is_superuser(role) && b.cluster {
            admin = true;
        }
        let Some(ri) = b.role else { continue };
        for d in &dangers[ri] {
            let what = match d.danger {
                Danger::SecretsRead => "read Secrets",
                Danger::PodCreate => "create pods",
                Danger::PodExec => "exec into pods",
                Danger::EscalateBind => "escalate or bind roles",
                Danger::Impersonate => "impersonate",
                Danger::NodesProxy => "reach kubelets",
                Danger::SaTokenCreate => "mint tokens",
                Danger::CsrApprove => "approve certificates",
                Danger::WebhookWrite => "rewrite admission",
                Danger::Wildcard if d.broad => "hold wildcard permissions",
                _ => continue,
            };
            let i = match found.iter().position(|f| f.0 == what) {
                Some(i) => i,
                None => {
                    found.push((what, false, BTreeSet::new()));
                    found.len() - 1
                }
            };
            match b.scope() {
                None => found[i].1 = true,
                Some(ns) => {
                    found[i].2.insert(ns.to_string());
                }
            }
        }
    }
    let described = found
        .into_iter()
        .map(|(what, cluster, namespaces)| {
            if cluster {
                format!("{what} cluster-wide")
            } else {
                let list: Vec<String> = namespaces.into_iter().collect();
                let s = if list.len() > 1 { "s" } else { "" };
                format!("{what} in namespace{s} {}", list.join(", "))
            }
        })
        .collect();
    (described, admin)
}
