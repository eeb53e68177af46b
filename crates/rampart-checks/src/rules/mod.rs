//! Check implementations, one file per check, grouped by family.

pub mod admission;
pub mod day2;
pub mod identity;
pub mod network;
pub mod pss;
pub mod quotas;
pub mod third_party;
pub mod workload;
