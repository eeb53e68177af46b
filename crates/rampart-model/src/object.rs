//! Kubernetes objects, their origin, and the inventory of everything loaded.

use std::sync::Arc;

use serde::Serialize;

use crate::node::Node;

/// Where an object (or a problem) came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct Location {
    /// File path as given by the user, `<stdin>`, or a rendered source such
    /// as `helm template ./chart`.
    pub file: Arc<str>,
    /// 1-based line; 0 when the source has no line information.
    pub line: u32,
}

/// The identity of an object, as Kubernetes writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    pub api_version: String,
    pub kind: String,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    pub name: String,
}

impl ResourceRef {
    /// `Kind namespace/name` or `Kind name`, for people.
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {}/{}", self.kind, ns, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    /// The API group part of `apiVersion` ("" for the core group).
    pub fn group(&self) -> &str {
        match self.api_version.rsplit_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }
}

/// One Kubernetes object of the inventory.
#[derive(Debug)]
pub struct Object {
    pub id: ResourceRef,
    /// Where the document (or list item) starts.
    pub origin: Location,
    /// The whole object as read.
    pub root: Node,
}

impl Object {
    pub fn kind(&self) -> &str {
        &self.id.kind
    }

    pub fn metadata(&self) -> &Node {
        self.root.get("metadata").unwrap_or(Node::null())
    }

    pub fn labels(&self) -> &Node {
        self.metadata().get("labels").unwrap_or(Node::null())
    }

    pub fn annotations(&self) -> &Node {
        self.metadata().get("annotations").unwrap_or(Node::null())
    }

    /// The line of `node` in this object's file, or the object's own line
    /// when the node has none (JSON input).
    pub fn line_of(&self, node: &Node) -> u32 {
        if node.line > 0 {
            node.line
        } else {
            self.origin.line
        }
    }
}

/// A problem with the input. The scan goes on; the run exits 2 at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub file: Arc<str>,
    pub line: u32,
    pub message: String,
}

/// Something worth telling the user that is not an error, such as a
/// document that was skipped because it is not a Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub file: Arc<str>,
    pub line: u32,
    pub message: String,
}

/// Everything loaded from the sources. Immutable once built.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The objects; not to be changed once looked up through `index`
    /// ([`Inventory::of_kind`], [`Inventory::controlled_copies`]).
    pub objects: Vec<Object>,
    pub errors: Vec<InputError>,
    pub notes: Vec<Note>,
    /// Number of files (or rendered sources) read.
    pub files: usize,
    /// Lookups built on first use (the inventory is immutable once built).
    pub index: InventoryIndex,
}

/// Lookups over [`Inventory::objects`], built on first use.
#[derive(Debug, Default)]
pub struct InventoryIndex {
    kinds: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
    controlled: std::sync::OnceLock<std::collections::HashSet<usize>>,
}

impl Inventory {
    /// Indices of the objects whose controller (an `ownerReferences` entry
    /// with `controller: true`) is also in the inventory: in a live dump a
    /// Deployment's ReplicaSets and Pods repeat its template, and every
    /// analysis lets the controller stand for them.
    pub fn controlled_copies(&self) -> &std::collections::HashSet<usize> {
        self.index
            .controlled
            .get_or_init(|| self.find_controlled_copies())
    }

    fn find_controlled_copies(&self) -> std::collections::HashSet<usize> {
        // The controllers each object names; manifests name none, and then
        // no index of the inventory is needed.
        fn controllers(o: &Object) -> Vec<(&str, &str)> {
            o.metadata()
                .get("ownerReferences")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter(|owner| owner.get("controller").and_then(Node::as_bool) == Some(true))
                .filter_map(|owner| {
                    Some((
                        owner.get("kind").and_then(Node::as_str)?,
                        owner.get("name").and_then(Node::as_str)?,
                    ))
                })
                .collect()
        }
        let owned: Vec<(usize, Vec<(&str, &str)>)> = self
            .objects
            .iter()
            .enumerate()
            .map(|(i, o)| (i, controllers(o)))
            .filter(|(_, c)| !c.is_empty())
            .collect();
        if owned.is_empty() {
            return std::collections::HashSet::new();
        }
        let present: std::collections::HashSet<(&str, Option<&str>, &str)> = self
            .objects
            .iter()
            .map(|o| {
                (
                    o.id.kind.as_str(),
                    o.id.namespace.as_deref(),
                    o.id.name.as_str(),
                )
            })
            .collect();
        owned
            .into_iter()
            .filter(|(i, controllers)| {
                let namespace = self.objects[*i].id.namespace.as_deref();
                controllers
                    .iter()
                    .any(|(kind, name)| present.contains(&(*kind, namespace, *name)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Objects of one kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        let kinds = self.index.kinds.get_or_init(|| {
            let mut kinds: std::collections::HashMap<String, Vec<usize>> =
                std::collections::HashMap::new();
            for (i, o) in self.objects.iter().enumerate() {
                kinds.entry(o.id.kind.clone()).or_default().push(i);
            }
            kinds
        });
        kinds
            .get(kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.objects[i])
    }
}
