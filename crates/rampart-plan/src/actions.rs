//! From findings to actions: which change closes which finding, how much
//! work it is, and the concrete fix.

use std::collections::BTreeSet;
use std::fmt::Write;

use rampart_model::{Area, Finding, Inventory, ResourceRef};
use serde::Serialize;

use crate::Action;

/// The kinds of change the plan proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    RemoveHostAccess,
    HardenWorkload,
    EnforcePodSecurity,
    NarrowRole,
    RemoveBinding,
    MoveCredentials,
    ScopeComponent,
    ServiceAccountToken,
    PinImages,
    NamespaceQuotas,
    DefaultDeny,
    BlockMetadata,
    RestrictExposure,
    RenewWaiver,
    Other,
}

/// How much work an action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    Low,
    Medium,
    High,
}

impl Effort {
    /// Relative cost used in the ranking.
    pub fn cost(self) -> f64 {
        match self {
            Effort::Low => 1.0,
            Effort::Medium => 2.0,
            Effort::High => 4.0,
        }
    }
}

impl ActionKind {
    fn effort(self) -> (Effort, &'static str) {
        match self {
            ActionKind::EnforcePodSecurity => (Effort::Low, "one namespace label, after checking with warn/audit"),
            ActionKind::HardenWorkload => (Effort::Low, "a securityContext patch; test that the image runs as non-root with a read-only filesystem"),
            ActionKind::PinImages => (Effort::Low, "replace tags with digests; automate updates with a bot"),
            ActionKind::ServiceAccountToken => (Effort::Low, "a dedicated service account and one field"),
            ActionKind::NamespaceQuotas => (Effort::Low, "two small manifests per namespace"),
            ActionKind::DefaultDeny => (Effort::Medium, "one policy, plus the allow rules the namespace's traffic needs"),
            ActionKind::BlockMetadata => (Effort::Low, "one egress policy per namespace; nothing in a pod should need the node's credentials"),
            ActionKind::RemoveBinding => (Effort::Medium, "replace the binding with a role scoped to what the subject needs"),
            ActionKind::NarrowRole => (Effort::Medium, "the role's owner must confirm what its subjects need"),
            ActionKind::RemoveHostAccess => (Effort::Medium, "the workload relies on host access; removing it may need a redesign or a dedicated node-agent namespace"),
            ActionKind::RestrictExposure => (Effort::Medium, "change how the service is exposed and check its clients"),
            ActionKind::MoveCredentials => (Effort::Medium, "move the value to a Secret or workload identity, then rotate it"),
            ActionKind::ScopeComponent => (Effort::High, "reinstall or reconfigure a third-party component with narrower options"),
            ActionKind::RenewWaiver => (Effort::Low, "a decision and one line of configuration"),
            ActionKind::Other => (Effort::Medium, "depends on the finding"),
        }
    }
}

/// The action a finding belongs to, and its target.
fn classify(f: &Finding) -> (ActionKind, String) {
    let r = &f.resource;
    let namespace = || format!("Namespace/{}", r.namespace.as_deref().unwrap_or(&r.name));
    let kind = match f.check {
        "pss-privilege-escalation"
        | "pss-run-as-non-root"
        | "pss-run-as-user"
        | "pss-seccomp-restricted"
        | "pss-capabilities-restricted"
        | "writable-root-filesystem" => ActionKind::HardenWorkload,
        c if c.starts_with("pss-") => ActionKind::RemoveHostAccess,
        "sensitive-host-path"
        | "runtime-socket-mount"
        | "dangerous-capabilities"
        | "share-process-namespace"
        | "host-aliases" => ActionKind::RemoveHostAccess,
        c if c.starts_with("psa-") => {
            return (
                ActionKind::EnforcePodSecurity,
                format!("Namespace/{}", r.name),
            )
        }
        c if c.starts_with("rbac-") && r.kind.ends_with("Binding") => ActionKind::RemoveBinding,
        c if c.starts_with("rbac-") => ActionKind::NarrowRole,
        "cloud-static-credentials" | "secret-in-env-literal" | "secret-in-env" => {
            ActionKind::MoveCredentials
        }
        "image-latest-tag" | "image-not-pinned" | "image-registry-not-allowed" => {
            ActionKind::PinImages
        }
        "sa-token-automount" | "default-service-account" | "legacy-sa-token-secret" => {
            ActionKind::ServiceAccountToken
        }
        "cpu-requests-missing"
        | "memory-requests-missing"
        | "cpu-limits-missing"
        | "memory-limits-missing"
        | "ephemeral-storage-limit-missing"
        | "namespace-no-resourcequota"
        | "namespace-no-limitrange" => {
            return (ActionKind::NamespaceQuotas, namespace());
        }
        c if c.starts_with("third-party-")
            || c == "gitops-cluster-admin"
            || c == "ci-runner-privileged-pods" =>
        {
            ActionKind::ScopeComponent
        }
        c if c.starts_with("netpol-default-deny") => return (ActionKind::DefaultDeny, namespace()),
        // Host-network pods are outside NetworkPolicy: the fix is on the pod.
        "metadata-reachable" if f.message.contains("node's network") => {
            ActionKind::RemoveHostAccess
        }
        "metadata-reachable" => return (ActionKind::BlockMetadata, namespace()),
        "expired-waiver" => ActionKind::RenewWaiver,
        _ if f.area == Area::Network => ActionKind::RestrictExposure,
        _ => ActionKind::Other,
    };
    (kind, key(r))
}

pub(crate) fn key(r: &ResourceRef) -> String {
    match &r.namespace {
        Some(ns) => format!("{}/{}/{}", r.kind, ns, r.name),
        None => format!("{}/{}", r.kind, r.name),
    }
}

fn display(target: &str) -> String {
    let mut parts = target.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(kind), Some(ns), Some(name)) => format!("{kind} {ns}/{name}"),
        (Some(kind), Some(name), None) => format!("{kind} {name}"),
        _ => target.to_string(),
    }
}

pub(crate) fn group(findings: &[Finding], _inventory: &Inventory) -> Vec<Action> {
    use rayon::prelude::*;
    let classes: Vec<Option<(ActionKind, String)>> = findings
        .par_iter()
        .map(|f| f.suppressed.is_none().then(|| classify(f)))
        .collect();
    // Grouped by hash, then put in key order (the order a BTreeMap gave).
    let mut groups: std::collections::HashMap<(ActionKind, String), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, class) in classes.into_iter().enumerate() {
        if let Some(class) = class {
            groups.entry(class).or_default().push(i);
        }
    }
    let mut groups: Vec<((ActionKind, String), Vec<usize>)> = groups.into_iter().collect();
    groups.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_par_iter()
        .map(|((kind, target), idx)| {
            let fs: Vec<&Finding> = idx.iter().map(|&i| &findings[i]).collect();
            let checks: Vec<&'static str> = fs.iter().map(|f| f.check).collect::<BTreeSet<_>>().into_iter().collect();
            let (mut effort, mut effort_rule) = kind.effort();
            if kind == ActionKind::MoveCredentials && checks.contains(&"cloud-static-credentials") {
                effort = Effort::High;
                effort_rule = "set up workload identity for the cloud account, then delete and rotate the keys";
            }
            if kind == ActionKind::RemoveBinding && checks == ["rbac-binding-missing-role"] {
                effort = Effort::Low;
                effort_rule = "delete one binding that grants nothing today";
            }
            let (title, fix, fix_language) = describe(kind, &target, &fs);
            Action {
                id: format!("{}:{target}", serde_plain(kind)),
                kind,
                title,
                target,
                findings: idx,
                checks,
                paths_cut: 0,
                effort,
                effort_rule,
                risk: 0.0,
                score: 0.0,
                fix,
                fix_language,
            }
        })
        .collect()
}

fn serde_plain(kind: ActionKind) -> String {
    format!("{kind:?}")
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if c.is_uppercase() && i > 0 {
                vec!['-', c.to_ascii_lowercase()]
            } else {
                vec![c.to_ascii_lowercase()]
            }
        })
        .collect()
}

fn containers(fs: &[&Finding]) -> Vec<String> {
    fs.iter()
        .filter_map(|f| f.container.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn template_prefix(fs: &[&Finding]) -> &'static str {
    let path = fs.first().map_or("", |f| f.path.as_str());
    if path.starts_with("spec.jobTemplate.") {
        "spec.jobTemplate.spec.template.spec"
    } else if path.starts_with("spec.template.") {
        "spec.template.spec"
    } else {
        "spec"
    }
}

/// Nest a pod-spec fragment under the template path (`spec.template.spec`).
fn nest(prefix: &str, body: &str) -> String {
    let mut out = String::new();
    let parts: Vec<&str> = prefix.split('.').collect();
    for (depth, p) in parts.iter().enumerate() {
        let _ = writeln!(out, "{}{p}:", "  ".repeat(depth));
    }
    let indent = "  ".repeat(parts.len());
    for line in body.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

fn describe(kind: ActionKind, target: &str, fs: &[&Finding]) -> (String, String, &'static str) {
    let who = display(target);
    let ns = target.strip_prefix("Namespace/").unwrap_or("");
    match kind {
        ActionKind::HardenWorkload => {
            let mut body = String::from("securityContext:\n  runAsNonRoot: true\n  seccompProfile:\n    type: RuntimeDefault\ncontainers:\n");
            for c in containers(fs) {
                let _ = write!(
                    body,
                    "- name: {c}\n  securityContext:\n    allowPrivilegeEscalation: false\n    readOnlyRootFilesystem: true\n    capabilities:\n      drop: [\"ALL\"]\n"
                );
            }
            (
                format!("Apply the restricted security context to {who}"),
                format!("# strategic-merge patch for {who}\n{}", nest(template_prefix(fs), &body)),
                "yaml",
            )
        }
        ActionKind::RemoveHostAccess => {
            let mut fix = format!("In {who}, remove:\n");
            for f in fs {
                let _ = writeln!(fix, "- {} ({})", f.path, f.message);
            }
            fix.push_str("If it is a node agent that needs them, run it in a namespace reserved for node agents, enforcing baseline everywhere else.");
            (format!("Remove host access and privileges from {who}"), fix, "text")
        }
        ActionKind::EnforcePodSecurity => {
            let level = if fs.iter().any(|f| f.check == "psa-free-hardening" && f.message.contains("satisfy baseline")) {
                "baseline"
            } else {
                "restricted"
            };
            (
                format!("Enforce Pod Security {level} on namespace {ns}"),
                format!(
                    "kubectl label --overwrite namespace {ns} \\\n  pod-security.kubernetes.io/enforce={level} \\\n  pod-security.kubernetes.io/warn=restricted \\\n  pod-security.kubernetes.io/audit=restricted"
                ),
                "shell",
            )
        }
        ActionKind::NarrowRole => {
            let mut fix = format!("Edit {who} and remove or narrow these rules (then re-run `rampart who-can` to confirm):\n");
            for f in fs {
                let _ = writeln!(fix, "- {} at {}:{} ({})", f.path, f.location.file, f.location.line, f.check);
            }
            (format!("Reduce the permissions of {who}"), fix, "text")
        }
        ActionKind::RemoveBinding => {
            let (k, name) = target.split_once('/').unwrap_or(("", target));
            let cmd = match name.split_once('/') {
                Some((ns, n)) => format!("kubectl delete {} {n} -n {ns}", k.to_ascii_lowercase()),
                None => format!("kubectl delete {} {name}", k.to_ascii_lowercase()),
            };
            if fs.iter().all(|f| f.check == "rbac-binding-missing-role") {
                (format!("Delete {who}: the role it grants does not exist"), cmd, "shell")
            } else {
                (
                    format!("Remove {who} (replace it with a narrowly scoped role)"),
                    format!("# after granting the subjects a role with only what they need:\n{cmd}"),
                    "shell",
                )
            }
        }
        ActionKind::MoveCredentials => (
            format!("Take the credentials out of {who}"),
            "Move each value to a Secret mounted as a file (or, for cloud keys, switch to workload identity: IRSA / EKS Pod Identity, GKE Workload Identity, Azure Workload Identity), then rotate the exposed credential.".to_string(),
            "text",
        ),
        ActionKind::PinImages => {
            let mut fix = String::from("Pin each image by digest, for example:\n");
            for c in containers(fs) {
                let _ = writeln!(fix, "  crane digest <image of container {c}>   # then image: repo:tag@sha256:<digest>");
            }
            (format!("Pin the images of {who} by digest from an allowed registry"), fix, "text")
        }
        ActionKind::ServiceAccountToken => (
            format!("Give {who} its own service account and stop mounting unused tokens"),
            nest(template_prefix(fs), "serviceAccountName: <dedicated-service-account>\nautomountServiceAccountToken: false"),
            "yaml",
        ),
        ActionKind::NamespaceQuotas => (
            format!("Add a ResourceQuota and default limits to namespace {ns}"),
            format!(
                "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: {ns}\nspec:\n  limits:\n  - type: Container\n    default: {{cpu: 500m, memory: 512Mi, ephemeral-storage: 1Gi}}\n    defaultRequest: {{cpu: 100m, memory: 128Mi}}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: {ns}\nspec:\n  hard:\n    requests.cpu: \"8\"\n    requests.memory: 16Gi\n    limits.memory: 32Gi\n    pods: \"100\"\n    services.loadbalancers: \"2\"\n"
            ),
            "yaml",
        ),
        ActionKind::DefaultDeny => (
            format!("Add default-deny NetworkPolicies to namespace {ns}"),
            format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n---\n# keep DNS working\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels: {{kubernetes.io/metadata.name: kube-system}}\n      podSelector:\n        matchLabels: {{k8s-app: kube-dns}}\n    ports:\n    - {{port: 53, protocol: UDP}}\n    - {{port: 53, protocol: TCP}}\n"
            ),
            "yaml",
        ),
        ActionKind::BlockMetadata => (
            format!("Block the cloud metadata service for namespace {ns}"),
            format!(
                "# Egress policies add up: this one lets pods reach everything but the metadata service.\n# Tighten `0.0.0.0/0` to what the namespace needs when you can.\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: block-cloud-metadata\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [169.254.169.254/32]\n    - namespaceSelector: {{}}\n"
            ),
            "yaml",
        ),
        ActionKind::ScopeComponent => {
            let mut fix = format!("Reconfigure {who} with its least-privileged install options:\n");
            for f in fs {
                let _ = writeln!(fix, "- {}", f.message);
            }
            (format!("Reduce the power of {who}"), fix, "text")
        }
        ActionKind::RestrictExposure | ActionKind::RenewWaiver | ActionKind::Other => {
            let mut fix = String::new();
            for f in fs {
                let _ = writeln!(fix, "- {} ({}:{})", f.message, f.location.file, f.location.line);
            }
            let title = match kind {
                ActionKind::RestrictExposure => format!("Restrict the exposure of {who}"),
                ActionKind::RenewWaiver => format!("Renew or resolve {who}"),
                _ => format!("Fix {who}"),
            };
            (title, fix, "text")
        }
    }
}

/// An action known only from the attack paths it cuts.
pub(crate) fn from_cut(id: &str, description: &str) -> Action {
    let (kind_text, target) = id.split_once(':').unwrap_or((id, ""));
    let kind = [
        ActionKind::RemoveHostAccess,
        ActionKind::ServiceAccountToken,
        ActionKind::BlockMetadata,
        ActionKind::MoveCredentials,
        ActionKind::NarrowRole,
        ActionKind::RemoveBinding,
        ActionKind::EnforcePodSecurity,
    ]
    .into_iter()
    .find(|k| serde_plain(*k) == kind_text)
    .unwrap_or(ActionKind::Other);
    let (effort, effort_rule) = kind.effort();
    let mut title = description.to_string();
    if let Some(first) = title.get(0..1) {
        title = first.to_uppercase() + &title[1..];
    }
    Action {
        id: id.to_string(),
        kind,
        title,
        target: target.to_string(),
        findings: Vec::new(),
        checks: Vec::new(),
        paths_cut: 0,
        effort,
        effort_rule,
        risk: 0.0,
        score: 0.0,
        fix: format!("{description}: this breaks the attack paths listed by `rampart paths` that go through it."),
        fix_language: "text",
    }
}
