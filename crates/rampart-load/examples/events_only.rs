//! The lowest layer for the benchmarks: granit-parser (the event parser under
//! serde-saphyr) reading the same documents on the same cores as a scan,
//! building nothing. No tree, no lines kept, no typing of scalars: a floor,
//! not a loader.
//!
//! `cargo run --release -p rampart-load --example events_only -- FILE...`
//! prints `<seconds> <events>`.

use std::time::Instant;

use rayon::prelude::*;
use serde_saphyr::granit_parser::Parser;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let started = Instant::now();
    let chunks: Vec<&str> = texts
        .iter()
        .flat_map(|t| rampart_load::yaml::split_documents(t))
        .map(|c| c.text)
        .collect();
    let events: usize = chunks
        .par_iter()
        .map(|text| {
            let mut parser = Parser::new_from_str(text);
            let mut count = 0;
            while let Some(Ok(event)) = parser.next_event() {
                std::hint::black_box(event);
                count += 1;
            }
            count
        })
        .sum();
    println!("{:.3} {events}", started.elapsed().as_secs_f64());
}
