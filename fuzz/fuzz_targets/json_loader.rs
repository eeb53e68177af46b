//! Any bytes as a JSON dump (`kubectl get -o json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rampart_load::load_text("fuzz.json", &text, &rampart_load::LoadOptions::default());
});
