use rampart_model::{Area, Node, Severity};

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::admission::{label, Level, ENFORCE};
use crate::rules::third_party::Role;
use crate::rules::workload::default_service_account::service_account;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ci-runner-privileged-pods",
        title: "CI runner can start privileged pods",
        area: Area::ThirdParty,
        severity: Severity::Critical,
        rationale: "CI jobs run code from every branch and merge request. A runner that starts job pods where \
            Pod Security admission allows privileged pods (or whose configuration asks for privileged jobs) \
            lets any job take the node it lands on, with every other pod's secrets on it.",
        remediation: "Run job pods in a dedicated namespace enforcing the restricted (or at least baseline) Pod \
            Security level, disable privileged mode in the runner configuration, and build images with a \
            rootless builder.",
        references: &[
            "https://docs.gitlab.com/runner/security/",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        ],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        let ctx = emit.context();
        let model = ctx.rbac();
        let namespaces: std::collections::HashMap<&str, Level> = inventory
            .of_kind("Namespace")
            .map(|ns| (ns.id.name.as_str(), label(ns, ENFORCE).1.unwrap_or(Level::Privileged)))
            .collect();
        // Runner configuration asking for privileged jobs (GitLab's config.toml).
        let privileged_config: Vec<&str> = inventory
            .of_kind("ConfigMap")
            .filter(|cm| {
                cm.root.get("data").and_then(Node::as_map).unwrap_or(&[]).iter().any(|(_, v)| {
                    v.as_str().is_some_and(|t| t.lines().any(|l| l.trim().replace(' ', "") == "privileged=true"))
                })
            })
            .filter_map(|cm| cm.id.namespace.as_deref())
            .collect();
        for pod in emit.context().pods() {
            let Some(c) = emit.context().component(pod).map(|(c, _)| c).filter(|c| c.role == Role::CiRunner) else { continue };
            let ns = pod.object.id.namespace.as_deref().unwrap_or("default");
            let (sa, _) = service_account(pod);
            let request = rampart_rbac::Request { verb: "create", group: "", resource: "pods", subresource: None, name: None, url: None };
            let sa_subject = rampart_rbac::Subject::service_account(ns, sa);
            let identities = sa_subject.identities();
            let grants = model.who_can(&request, Some("*"));
            let mine: Vec<_> = grants.iter().filter(|g| identities.contains(g.subject) && g.binding.origin.is_some()).collect();
            if mine.is_empty() {
                continue;
            }
            // Namespaces where it can create pods and admission allows privileged ones.
            let cluster_wide = mine.iter().any(|g| g.binding.cluster);
            let open: Vec<String> = if cluster_wide {
                let mut v: Vec<String> = namespaces.iter().filter(|(_, l)| **l == Level::Privileged).map(|(n, _)| n.to_string()).collect();
                v.sort();
                if v.is_empty() { vec!["any namespace without a Pod Security label".to_string()] } else { v }
            } else {
                mine.iter()
                    .filter_map(|g| g.binding.scope())
                    .filter(|n| namespaces.get(n).is_none_or(|l| *l == Level::Privileged))
                    .map(str::to_string)
                    .collect()
            };
            let config = privileged_config.contains(&ns);
            if open.is_empty() && !config {
                continue;
            }
            let why = match (open.is_empty(), config) {
                (false, true) => format!("its configuration enables privileged jobs and it can create pods in {}", open.join(", ")),
                (false, false) => format!("it can create pods in {}, where admission allows privileged pods", open.join(", ")),
                _ => "its configuration enables privileged jobs".to_string(),
            };
            emit.object(pod.object, None, pod.spec_path.to_string(), &[pod.spec.get("serviceAccountName"), Some(pod.spec)],
                format!("{} ({}): {why}; any CI job can take a node", c.name, pod.object.id.display()));
        }
    }),
};
