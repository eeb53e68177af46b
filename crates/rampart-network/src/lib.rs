//! NetworkPolicy engine (being written).
