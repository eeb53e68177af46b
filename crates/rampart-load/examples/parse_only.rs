//! Baseline for the benchmarks: the YAML parser alone on the same bytes and
//! cores as a scan (documents split the same way and parsed in parallel into
//! a plain `serde_json::Value`, with the same Kubernetes options), with no
//! location tracking, object building or checks. It uses the allocator the
//! `rampart` binary uses (mimalloc), which makes it about 4% faster than with
//! the system's.
//!
//! `cargo run --release -p rampart-load --example parse_only -- FILE...`
//! prints `<seconds> <bytes> <documents>`.

use std::time::Instant;

use rayon::prelude::*;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

fn main() {
    let texts = common::read_args();
    let started = Instant::now();
    let chunks = common::documents(&texts);
    let parsed: usize = chunks
        .par_iter()
        .map(|text| {
            let mut options = serde_saphyr::options! { legacy_octal_numbers: true };
            let mut budget = serde_saphyr::Budget::default();
            budget.max_nodes = budget.max_nodes.max(text.len() / 2);
            budget.max_events = budget.max_events.max(text.len());
            budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len() * 2);
            options.budget = Some(budget);
            let value: Result<Option<serde_json::Value>, _> =
                serde_saphyr::from_str_with_options(text, options);
            usize::from(matches!(value, Ok(Some(_))))
        })
        .sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("{:.3} {bytes} {parsed}", started.elapsed().as_secs_f64());
}
