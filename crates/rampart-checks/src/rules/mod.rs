//! Check implementations, one file per check, grouped by family.

pub mod pss;
