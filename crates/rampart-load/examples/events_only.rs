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

mod common;

fn main() {
    let texts = common::read_args();
    let started = Instant::now();
    let chunks = common::documents(&texts);
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
