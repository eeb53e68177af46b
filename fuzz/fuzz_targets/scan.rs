//! Any bytes through the loader and every check: analyses must cope with
//! whatever the loader accepts (wrong types, missing fields, odd values).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let inventory = rampart_load::load_text("fuzz.yaml", &text, &rampart_load::LoadOptions::default());
    let config = rampart_model::Config::default();
    let _ = rampart_checks::run(&inventory, &config, rampart_checks::REGISTRY);
});
