//! Typed views over pod templates, wherever they live.

use crate::node::{Node, Value};
use crate::object::Object;

/// A pod spec found inside an object (a Pod, a workload's template, a
/// CronJob's nested job template, a custom resource embedding a template).
#[derive(Debug, Clone, Copy)]
pub struct PodTemplate<'a> {
    pub object: &'a Object,
    /// The template's metadata (for a Pod, the object's own metadata).
    pub meta: &'a Node,
    /// The pod spec.
    pub spec: &'a Node,
    /// Field path of the pod spec, e.g. `spec.template.spec`.
    pub spec_path: &'static str,
    /// Field path of the template metadata, e.g. `spec.template.metadata`.
    pub meta_path: &'static str,
    /// The spec's `containers`, `initContainers` and `ephemeralContainers`
    /// lists, looked up once: checks walk them hundreds of thousands of times.
    lists: [&'a [Node]; 3],
}

const CONTAINER_KINDS: [ContainerKind; 3] = [
    ContainerKind::Container,
    ContainerKind::Init,
    ContainerKind::Ephemeral,
];

fn container_lists(spec: &Node) -> [&[Node]; 3] {
    CONTAINER_KINDS.map(|kind| spec.get(kind.field()).and_then(Node::as_seq).unwrap_or(&[]))
}

/// Which list of the pod spec a container comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Container,
    Init,
    Ephemeral,
}

impl ContainerKind {
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Container => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// One container of a pod template.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub name: &'a str,
    pub kind: ContainerKind,
    /// Field path of the pod spec holding it, e.g. `spec.template.spec`.
    pub spec_path: &'static str,
    /// Position in its list.
    pub index: usize,
}

impl<'a> Container<'a> {
    /// Field path of the container, e.g. `spec.template.spec.containers[0]`.
    pub fn path(&self) -> String {
        format!("{}.{}[{}]", self.spec_path, self.kind.field(), self.index)
    }

    /// Field path of `field` inside the container (the container's own path
    /// when `field` is empty), in one allocation.
    pub fn field_path(&self, field: &str) -> String {
        if field.is_empty() {
            return self.path();
        }
        format!(
            "{}.{}[{}].{field}",
            self.spec_path,
            self.kind.field(),
            self.index
        )
    }

    pub fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    /// A field of the container's securityContext.
    pub fn sc(&self, field: &str) -> Option<&'a Node> {
        self.security_context()?.get(field)
    }

    pub fn image(&self) -> Option<&'a str> {
        self.node.get("image").and_then(Node::as_str)
    }
}

/// Paths where a pod template can live, in the order tried.
const TEMPLATE_PATHS: [(&[&str], &str, &str); 3] = [
    (
        &["spec", "template"],
        "spec.template.spec",
        "spec.template.metadata",
    ),
    (
        &["spec", "jobTemplate", "spec", "template"],
        "spec.jobTemplate.spec.template.spec",
        "spec.jobTemplate.spec.template.metadata",
    ),
    (&["template"], "template.spec", "template.metadata"),
];

impl<'a> PodTemplate<'a> {
    /// The pod template of `object`, if it has one.
    ///
    /// Known kinds are matched by kind; any other kind (custom resources such
    /// as Argo Rollouts) is recognised by a `spec.template.spec.containers`
    /// list, so CRDs that embed a pod template are checked too.
    pub fn of(object: &'a Object) -> Option<PodTemplate<'a>> {
        let root = &object.root;
        if object.id.kind == "Pod" && is_core(&object.id.api_version) {
            let spec = root.get("spec")?;
            return Some(PodTemplate {
                object,
                meta: root.get("metadata").unwrap_or(Node::null()),
                spec,
                spec_path: "spec",
                meta_path: "metadata",
                lists: container_lists(spec),
            });
        }
        for (path, spec_path, meta_path) in TEMPLATE_PATHS {
            let Some(template) = root.at(path) else {
                continue;
            };
            let Some(spec) = template.get("spec") else {
                continue;
            };
            if !(has_containers(spec) || is_known_workload(object)) {
                continue;
            }
            return Some(PodTemplate {
                object,
                meta: template.get("metadata").unwrap_or(Node::null()),
                spec,
                spec_path,
                meta_path,
                lists: container_lists(spec),
            });
        }
        None
    }

    /// All containers: regular, init and ephemeral, in that order.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        let spec_path = self.spec_path;
        CONTAINER_KINDS
            .into_iter()
            .zip(self.lists)
            .flat_map(move |(kind, list)| {
                list.iter()
                    .enumerate()
                    .filter(|(_, node)| node.as_map().is_some())
                    .map(move |(index, node)| Container {
                        node,
                        name: node.get("name").and_then(Node::as_str).unwrap_or(""),
                        kind,
                        spec_path,
                        index,
                    })
            })
    }

    /// The pod-level securityContext.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.spec.get("securityContext")
    }

    /// A field of the pod-level securityContext.
    pub fn sc(&self, field: &str) -> Option<&'a Node> {
        self.security_context()?.get(field)
    }

    /// `spec.os.name: windows`: Linux-only controls do not apply.
    pub fn is_windows(&self) -> bool {
        self.spec.at(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// The service account the pod runs as, and the field that names it:
    /// `serviceAccountName`, else the deprecated `serviceAccount` (the API
    /// server copies one into the other when only it is set), else
    /// `default`.
    pub fn service_account(&self) -> (&'a str, Option<&'a Node>) {
        for field in ["serviceAccountName", "serviceAccount"] {
            if let Some(n) = self.spec.get(field) {
                if let Some(s) = n.as_str().filter(|s| !s.is_empty()) {
                    return (s, Some(n));
                }
            }
        }
        ("default", None)
    }

    pub fn bool_field(&self, field: &str) -> bool {
        self.spec.get(field).and_then(Node::as_bool) == Some(true)
    }

    /// Template annotations (AppArmor annotations live here).
    pub fn annotations(&self) -> &'a Node {
        self.meta.get("annotations").unwrap_or(Node::null())
    }

    pub fn labels(&self) -> &'a Node {
        self.meta.get("labels").unwrap_or(Node::null())
    }
}

fn is_core(api_version: &str) -> bool {
    api_version == "v1"
}

fn has_containers(spec: &Node) -> bool {
    matches!(
        spec.get("containers").map(|n| &n.value),
        Some(Value::Seq(_))
    )
}

fn is_known_workload(object: &Object) -> bool {
    let group = object.id.group();
    matches!(
        (group, object.id.kind.as_str()),
        (
            "apps",
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet"
        ) | ("", "ReplicationController" | "PodTemplate")
            | ("batch", "Job" | "CronJob")
            | ("extensions", "Deployment" | "DaemonSet" | "ReplicaSet")
            | ("argoproj.io", "Rollout")
    )
}

/// The expected JSON type of a pod field, for the fields checks read.
enum Ty {
    Bool,
    Int,
    Str,
    Map(&'static [(&'static str, Ty)]),
    AnyMap,
    Seq(&'static Ty),
}

const STRINGS: Ty = Ty::Seq(&Ty::Str);
const SECCOMP: Ty = Ty::Map(&[("type", Ty::Str), ("localhostProfile", Ty::Str)]);
const SELINUX: Ty = Ty::Map(&[
    ("user", Ty::Str),
    ("role", Ty::Str),
    ("type", Ty::Str),
    ("level", Ty::Str),
]);
const WINDOWS: Ty = Ty::Map(&[("hostProcess", Ty::Bool), ("runAsUserName", Ty::Str)]);
const HANDLER: Ty = Ty::Map(&[
    ("httpGet", Ty::Map(&[("host", Ty::Str)])),
    ("tcpSocket", Ty::Map(&[("host", Ty::Str)])),
    ("exec", Ty::AnyMap),
]);
const LIFECYCLE: Ty = Ty::Map(&[("postStart", HANDLER), ("preStop", HANDLER)]);
const CONTAINER_SC: Ty = Ty::Map(&[
    ("privileged", Ty::Bool),
    ("allowPrivilegeEscalation", Ty::Bool),
    ("readOnlyRootFilesystem", Ty::Bool),
    ("runAsNonRoot", Ty::Bool),
    ("runAsUser", Ty::Int),
    ("runAsGroup", Ty::Int),
    ("procMount", Ty::Str),
    (
        "capabilities",
        Ty::Map(&[("add", STRINGS), ("drop", STRINGS)]),
    ),
    ("seccompProfile", SECCOMP),
    ("appArmorProfile", SECCOMP),
    ("seLinuxOptions", SELINUX),
    ("windowsOptions", WINDOWS),
]);
const CONTAINER: Ty = Ty::Map(&[
    ("name", Ty::Str),
    ("image", Ty::Str),
    ("securityContext", CONTAINER_SC),
    (
        "ports",
        Ty::Seq(&Ty::Map(&[
            ("containerPort", Ty::Int),
            ("hostPort", Ty::Int),
        ])),
    ),
    (
        "env",
        Ty::Seq(&Ty::Map(&[("name", Ty::Str), ("value", Ty::Str)])),
    ),
    ("envFrom", Ty::Seq(&Ty::AnyMap)),
    ("volumeMounts", Ty::Seq(&Ty::AnyMap)),
    ("resources", Ty::AnyMap),
    ("livenessProbe", HANDLER),
    ("readinessProbe", HANDLER),
    ("startupProbe", HANDLER),
    ("lifecycle", LIFECYCLE),
]);
const POD_SPEC: Ty = Ty::Map(&[
    ("hostNetwork", Ty::Bool),
    ("hostPID", Ty::Bool),
    ("hostIPC", Ty::Bool),
    ("hostUsers", Ty::Bool),
    ("shareProcessNamespace", Ty::Bool),
    ("automountServiceAccountToken", Ty::Bool),
    ("serviceAccountName", Ty::Str),
    ("containers", Ty::Seq(&CONTAINER)),
    ("initContainers", Ty::Seq(&CONTAINER)),
    ("ephemeralContainers", Ty::Seq(&CONTAINER)),
    ("volumes", Ty::Seq(&Ty::AnyMap)),
    ("hostAliases", Ty::Seq(&Ty::AnyMap)),
    ("os", Ty::Map(&[("name", Ty::Str)])),
    (
        "securityContext",
        Ty::Map(&[
            ("runAsNonRoot", Ty::Bool),
            ("runAsUser", Ty::Int),
            ("runAsGroup", Ty::Int),
            ("fsGroup", Ty::Int),
            ("seccompProfile", SECCOMP),
            ("appArmorProfile", SECCOMP),
            ("seLinuxOptions", SELINUX),
            ("windowsOptions", WINDOWS),
            (
                "sysctls",
                Ty::Seq(&Ty::Map(&[("name", Ty::Str), ("value", Ty::Str)])),
            ),
            ("supplementalGroups", Ty::Seq(&Ty::Int)),
        ]),
    ),
]);

/// A field of a pod spec whose type Kubernetes would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub line: u32,
    pub path: String,
    pub message: String,
}

impl PodTemplate<'_> {
    /// Type errors in the fields rampart reads. The API server would reject
    /// such an object, so the finding-producing checks skip those fields.
    pub fn type_errors(&self) -> Vec<TypeError> {
        let mut out = Vec::new();
        let mut path = self.spec_path.to_string();
        validate(self.spec, &POD_SPEC, &mut path, &mut out);
        out
    }
}

/// `path` is the node's field path; children append to it and restore it,
/// so a well-typed object allocates nothing.
fn validate(node: &Node, ty: &Ty, path: &mut String, out: &mut Vec<TypeError>) {
    use std::fmt::Write as _;
    if node.is_null() {
        return; // null is "unset" for every Kubernetes field
    }
    let ok = match (ty, &node.value) {
        (Ty::Bool, Value::Bool(_)) | (Ty::Str, Value::Str(_)) => true,
        (Ty::Int, Value::Int(_)) => true,
        (Ty::Int, Value::Float(f)) => f.fract() == 0.0,
        (Ty::AnyMap, Value::Map(_)) => true,
        (Ty::Map(fields), Value::Map(entries)) => {
            for (key, child) in entries {
                if let Some((_, child_ty)) = fields.iter().find(|(name, _)| name == key) {
                    let len = path.len();
                    path.push('.');
                    path.push_str(key);
                    validate(child, child_ty, path, out);
                    path.truncate(len);
                }
            }
            true
        }
        (Ty::Seq(item_ty), Value::Seq(items)) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                validate(item, item_ty, path, out);
                path.truncate(len);
            }
            true
        }
        _ => false,
    };
    if !ok {
        let expected = match ty {
            Ty::Bool => "a boolean",
            Ty::Int => "an integer",
            Ty::Str => "a string",
            Ty::Map(_) | Ty::AnyMap => "a mapping",
            Ty::Seq(_) => "a list",
        };
        out.push(TypeError {
            line: node.line,
            message: format!(
                "`{path}` must be {expected}, found {}; Kubernetes would reject this object",
                node.type_name()
            ),
            path: path.clone(),
        });
    }
}
