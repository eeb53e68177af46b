//! Parsed documents to Kubernetes objects: `List` flattening, identity,
//! namespace defaulting and type validation of the fields checks read.

use std::collections::HashSet;
use std::sync::Arc;

use rampart_model::{
    InputError, Inventory, Location, Node, Note, Object, PodTemplate, ResourceRef, Value,
};

use rayon::prelude::*;

use crate::sources::{err, LoadOptions};
use crate::Doc;

/// Kinds that are cluster-scoped in Kubernetes and common add-ons. Custom
/// resources are looked up in the CustomResourceDefinitions of the input.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "CustomResourceDefinition",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "CertificateSigningRequest",
    "ClusterTrustBundle",
    "PodSecurityPolicy",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ComponentStatus",
    "GatewayClass",
    "VolumeSnapshotClass",
    "VolumeSnapshotContent",
    "IPAddress",
    "ServiceCIDR",
    "DeviceClass",
    "ClusterIssuer",
    "ClusterPolicy",
    "ClusterPolicyReport",
    "CiliumClusterwideNetworkPolicy",
    "GlobalNetworkPolicy",
    "GlobalNetworkSet",
    "ClusterSecretStore",
    "ClusterTask",
    "ClusterInterceptor",
    "ClusterTriggerBinding",
];

/// How deep `List`s may nest (a List item that is itself a List).
const MAX_LIST_DEPTH: u32 = 4;

struct Candidate {
    file: Arc<str>,
    line: u32,
    node: Node,
}

pub(crate) fn build(
    docs: Vec<Doc>,
    options: &LoadOptions,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Note>,
) -> Inventory {
    let mut candidates = Vec::with_capacity(docs.len());
    for doc in docs {
        flatten(doc.file, doc.line, doc.node, 0, &mut candidates, errors);
    }

    // Scope of custom kinds, from the CRDs in the input.
    let mut cluster_kinds: HashSet<String> = CLUSTER_SCOPED.iter().map(|k| k.to_string()).collect();
    for c in &candidates {
        let root = &c.node;
        if root.get("kind").and_then(Node::as_str) == Some("CustomResourceDefinition")
            && root.at(&["spec", "scope"]).and_then(Node::as_str) == Some("Cluster")
        {
            if let Some(kind) = root.at(&["spec", "names", "kind"]).and_then(Node::as_str) {
                cluster_kinds.insert(kind.to_string());
            }
        }
    }

    // Each candidate on its own, in parallel; errors and notes keep the
    // input's order.
    type Identified = (Option<Object>, Vec<InputError>, Vec<Note>);
    let identified: Vec<Identified> = candidates
        .into_par_iter()
        .map(|c| {
            let (mut errs, mut ns) = (Vec::new(), Vec::new());
            let object = identify(c, options, &cluster_kinds, &mut errs, &mut ns);
            if let Some(object) = &object {
                if let Some(pod) = PodTemplate::of(object) {
                    for e in pod.type_errors() {
                        errs.push(err(
                            &object.origin.file,
                            object.line_of_raw(e.line),
                            e.message,
                        ));
                    }
                }
            }
            (object, errs, ns)
        })
        .collect();
    let mut objects = Vec::with_capacity(identified.len());
    for (object, errs, ns) in identified {
        objects.extend(object);
        errors.extend(errs);
        notes.extend(ns);
    }
    Inventory {
        objects,
        ..Inventory::default()
    }
}

trait LineOf {
    fn line_of_raw(&self, line: u32) -> u32;
}

impl LineOf for Object {
    fn line_of_raw(&self, line: u32) -> u32 {
        if line > 0 {
            line
        } else {
            self.origin.line
        }
    }
}

fn flatten(
    file: Arc<str>,
    line: u32,
    mut node: Node,
    depth: u32,
    out: &mut Vec<Candidate>,
    errors: &mut Vec<InputError>,
) {
    let is_list = node
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && matches!(node.get("items").map(|n| &n.value), Some(Value::Seq(_)));
    if !is_list {
        out.push(Candidate { file, line, node });
        return;
    }
    if depth >= MAX_LIST_DEPTH {
        errors.push(err(
            &file,
            line,
            format!("Lists nested more than {MAX_LIST_DEPTH} deep; skipped"),
        ));
        return;
    }
    let items = match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k == "items")
            .map(|(_, v)| std::mem::replace(&mut v.value, Value::Null)),
        _ => None,
    };
    if let Some(Value::Seq(items)) = items {
        for mut item in items {
            let item_line = if item.line > 0 { item.line } else { line };
            let value = std::mem::replace(&mut item.value, Value::Null);
            let node = Node::new(item_line, value);
            flatten(file.clone(), item_line, node, depth + 1, out, errors);
        }
    }
}

/// In a `List` (a `kubectl get -o yaml` dump), drop the items whose
/// controller (an `ownerReferences` entry with `controller: true`) is also an
/// item: a Deployment's ReplicaSets and their Pods repeat its pod template,
/// and every analysis reads the controller's. JSON Lists get the same
/// treatment while they are parsed (`json.rs`). Returns how many were dropped.
pub(crate) fn drop_controlled_items(list: &mut Node) -> usize {
    if !list
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k.ends_with("List"))
    {
        return 0;
    }
    let Value::Map(entries) = &mut list.value else {
        return 0;
    };
    let Some((_, items)) = entries.iter_mut().find(|(k, _)| k == "items") else {
        return 0;
    };
    let Value::Seq(items) = &mut items.value else {
        return 0;
    };
    let namespace = |item: &Node| -> Option<String> {
        item.at(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let text = |item: &Node, path: &[&str]| -> String {
        item.at(path)
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let present: HashSet<(String, Option<String>, String)> = items
        .iter()
        .map(|i| {
            (
                text(i, &["kind"]),
                namespace(i),
                text(i, &["metadata", "name"]),
            )
        })
        .collect();
    let drop: Vec<bool> = items
        .iter()
        .map(|i| {
            let ns = namespace(i);
            i.at(&["metadata", "ownerReferences"])
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .any(|o| {
                    o.get("controller").and_then(Node::as_bool) == Some(true)
                        && present.contains(&(text(o, &["kind"]), ns.clone(), text(o, &["name"])))
                })
        })
        .collect();
    let dropped = drop.iter().filter(|d| **d).count();
    if dropped > 0 {
        let mut i = 0;
        items.retain(|_| {
            let keep = !drop[i];
            i += 1;
            keep
        });
    }
    dropped
}

/// Drop what the API server adds and no analysis reads: `status`,
/// `metadata.managedFields` and the last-applied-configuration annotation
/// (a second copy of the object). In live dumps they are often half the
/// bytes; keeping them would double the memory of a large scan.
fn strip_server_fields(node: &mut Node) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    entries.retain(|(k, _)| k != "status");
    if let Some((_, metadata)) = entries.iter_mut().find(|(k, _)| k == "metadata") {
        if let Value::Map(meta) = &mut metadata.value {
            meta.retain(|(k, _)| k != "managedFields");
            if let Some((_, annotations)) = meta.iter_mut().find(|(k, _)| k == "annotations") {
                if let Value::Map(a) = &mut annotations.value {
                    a.retain(|(k, _)| k != "kubectl.kubernetes.io/last-applied-configuration");
                }
            }
        }
    }
}

/// Configuration files that look like objects but are read by components,
/// not served by the API: kubeconfig, component configs, kubeadm, Kustomize.
fn is_config_file(api_version: Option<&Node>, kind: Option<&Node>) -> bool {
    let api_version = api_version.and_then(Node::as_str).unwrap_or("");
    let kind = kind.and_then(Node::as_str).unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    group.ends_with("config.k8s.io")
        || group.ends_with("kubeadm.k8s.io")
        || group == "audit.k8s.io"
        || matches!(
            kind,
            "Config"
                | "Policy"
                | "EncryptionConfiguration"
                | "AdmissionConfiguration"
                | "Kustomization"
                | "Component"
        )
}

fn identify(
    c: Candidate,
    options: &LoadOptions,
    cluster_kinds: &HashSet<String>,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Note>,
) -> Option<Object> {
    let Candidate { file, line, node } = c;
    if node.as_map().is_none() {
        notes.push(Note {
            file,
            line,
            message: format!(
                "document is a {}, not a Kubernetes object; skipped",
                node.type_name()
            ),
        });
        return None;
    }
    let api_version = node.get("apiVersion");
    let kind = node.get("kind");
    if node.get("auditID").is_some()
        || api_version
            .and_then(Node::as_str)
            .is_some_and(|v| v.starts_with("audit.k8s.io/"))
    {
        notes.push(Note {
            file,
            line,
            message: "Kubernetes audit event, not an object; skipped".to_string(),
        });
        return None;
    }
    if node.get("metadata").is_none() && is_config_file(api_version, kind) {
        // Configuration files (kubeconfig, scheduler and kubelet config)
        // carry apiVersion and kind but are not API objects.
        notes.push(Note {
            file,
            line,
            message: "document has no metadata, so it is a configuration file rather than a Kubernetes object; skipped"
                .to_string(),
        });
        return None;
    }
    if api_version.is_none() && kind.is_none() {
        notes.push(Note {
            file,
            line,
            message: "document has neither apiVersion nor kind, so it is not a Kubernetes object; skipped"
                .to_string(),
        });
        return None;
    }
    let text_field =
        |field: Option<&Node>, name: &str, errors: &mut Vec<InputError>| -> Option<String> {
            match field {
                None => {
                    errors.push(err(&file, line, format!("object has no `{name}`; skipped")));
                    None
                }
                Some(n) => match n.as_str() {
                    Some(s) if !s.is_empty() => Some(s.to_string()),
                    _ => {
                        errors.push(err(
                            &file,
                            if n.line > 0 { n.line } else { line },
                            format!(
                                "`{name}` must be a non-empty string, found {}; skipped",
                                n.type_name()
                            ),
                        ));
                        None
                    }
                },
            }
        };
    let api_version = text_field(api_version, "apiVersion", errors);
    let kind = text_field(kind, "kind", errors);
    let (api_version, kind) = (api_version?, kind?);

    let metadata = node.get("metadata");
    if let Some(m) = metadata {
        if !m.is_null() && m.as_map().is_none() {
            errors.push(err(
                &file,
                m.line.max(line),
                format!(
                    "`metadata` must be a mapping, found {}; skipped",
                    m.type_name()
                ),
            ));
            return None;
        }
    }
    let meta_str = |key: &str| {
        metadata
            .and_then(|m| m.get(key))
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
    };
    let name = match meta_str("name").or_else(|| meta_str("generateName")) {
        Some(n) => n.to_string(),
        None => {
            errors.push(err(
                &file,
                line,
                format!("{kind} has no metadata.name; skipped"),
            ));
            return None;
        }
    };
    let namespace = if cluster_kinds.contains(&kind) {
        None
    } else {
        Some(
            meta_str("namespace")
                .unwrap_or(&options.namespace)
                .to_string(),
        )
    };
    let mut node = node;
    strip_server_fields(&mut node);
    Some(Object {
        id: ResourceRef {
            api_version,
            kind,
            namespace,
            name,
        },
        origin: Location { file, line },
        root: node,
    })
}

#[cfg(test)]
mod tests {
    use crate::{load_text, LoadOptions};

    #[test]
    fn lists_are_flattened_and_namespaces_defaulted() {
        let text = r#"
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: r}
- apiVersion: v1
  kind: PodList
  items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p, namespace: shop}
"#;
        let inv = load_text("list.yaml", text, &LoadOptions::default());
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        let ids: Vec<_> = inv
            .objects
            .iter()
            .map(|o| (o.id.kind.as_str(), o.id.namespace.as_deref(), o.origin.line))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("ConfigMap", Some("default"), 5),
                ("ClusterRole", None, 8),
                ("Pod", Some("shop"), 14)
            ]
        );
    }

    #[test]
    fn yaml_list_items_owned_by_a_controller_in_the_list_are_not_kept() {
        let text = r#"apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-1
    namespace: shop
    ownerReferences: [{kind: Deployment, name: web, controller: true}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-1-a
    namespace: shop
    ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: orphan
    namespace: shop
    ownerReferences: [{kind: ReplicaSet, name: gone, controller: true}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: elsewhere
    namespace: other
    ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: not-controlled
    namespace: shop
    ownerReferences: [{kind: ReplicaSet, name: web-1}]
"#;
        let inv = load_text("live.yaml", text, &LoadOptions::default());
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        let names: Vec<&str> = inv.objects.iter().map(|o| o.id.name.as_str()).collect();
        // The owner must be in the same namespace and be the controller.
        assert_eq!(names, vec!["web", "orphan", "elsewhere", "not-controlled"]);
        assert_eq!(inv.notes.len(), 1);
        assert!(
            inv.notes[0].message.starts_with("2 items not kept"),
            "{:?}",
            inv.notes
        );
        // Line numbers of the items kept are unchanged.
        assert_eq!(inv.objects[1].origin.line, 19);
    }

    #[test]
    fn the_service_account_falls_back_to_the_deprecated_field_when_the_name_is_empty() {
        let pod = |spec: &str| {
            let text = format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: x}}]\n{spec}"
            );
            let inv = load_text("p.yaml", &text, &LoadOptions::default());
            let object = &inv.objects[0];
            let pod = rampart_model::PodTemplate::of(object).expect("a pod");
            let (name, node) = pod.service_account();
            (name.to_string(), node.map(|n| n.line))
        };
        assert_eq!(pod(""), ("default".to_string(), None));
        assert_eq!(pod("  serviceAccountName: a\n"), ("a".to_string(), Some(6)));
        assert_eq!(pod("  serviceAccount: b\n"), ("b".to_string(), Some(6)));
        assert_eq!(
            pod("  serviceAccountName: \"\"\n  serviceAccount: b\n"),
            ("b".to_string(), Some(7))
        );
        assert_eq!(
            pod("  serviceAccountName: a\n  serviceAccount: b\n"),
            ("a".to_string(), Some(6))
        );
    }

    #[test]
    fn non_objects_are_noted_and_broken_objects_are_errors() {
        let text = "replicaCount: 3\n---\nkind: Pod\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\n";
        let inv = load_text("x.yaml", text, &LoadOptions::default());
        assert_eq!(inv.objects.len(), 0);
        assert_eq!(inv.notes.len(), 1);
        let lines: Vec<u32> = inv.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 6]);
    }

    #[test]
    fn custom_cluster_scoped_kinds_follow_their_crd() {
        let text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  scope: Cluster\n  names: {kind: Widget}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
        let inv = load_text("crd.yaml", text, &LoadOptions::default());
        assert_eq!(inv.objects[1].id.namespace, None);
    }

    #[test]
    fn wrong_types_in_pod_fields_are_errors_with_lines() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: x\n";
        let inv = load_text("p.yaml", text, &LoadOptions::default());
        assert_eq!(inv.objects.len(), 1);
        assert_eq!(inv.errors.len(), 1);
        assert_eq!(inv.errors[0].line, 5);
        assert!(inv.errors[0].message.contains("must be a list"));
    }
}
