//! Core data types shared by every stage of rampart: the located value tree
//! ([`Node`]), Kubernetes objects and the [`Inventory`], pod-template views,
//! and [`Finding`]s.

pub mod config;
pub mod finding;
pub mod node;
pub mod object;
pub mod pod;
pub mod selector;

pub use config::{Config, Date, Waiver};
pub use finding::{Area, Finding, PssLevel, PssRef, Severity, Suppression};
pub use node::{Node, Text, Value};
pub use object::{InputError, Inventory, InventoryIndex, Location, Note, Object, ResourceRef};
pub use pod::{Container, ContainerKind, PodTemplate};
pub use selector::{LabelSelector, Requirement};
