//! Attack paths: from entry points (internet-facing workloads, third-party
//! images, or every workload under `--assume-breach`) through containers,
//! tokens, RBAC, nodes and the cloud metadata service to the critical
//! targets, with evidence and ATT&CK techniques on every edge.

mod types;

pub use types::{AttackPath, Cut, Evidence, Step, Target, Technique};
