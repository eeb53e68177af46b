//! The loading step of a scan alone, for the benchmarks: read, split, parse
//! with line tracking and duplicate keys, build and type-check the objects,
//! with the allocator the `rampart` binary uses and no analysis.
//!
//! `cargo run --release -p rampart-load --example load_only -- FILE...`
//! prints `<seconds> <objects>`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let started = std::time::Instant::now();
    let inventory = rampart_load::load(&files, &Default::default());
    println!(
        "{:.3} {}",
        started.elapsed().as_secs_f64(),
        inventory.objects.len()
    );
    // As in the binary: the process ends here, the system reclaims it.
    std::mem::forget(inventory);
}
