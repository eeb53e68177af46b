//! Day-2 operations: the hygiene of the review itself.

pub mod expired_waiver;
