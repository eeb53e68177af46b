//! Any bytes as a YAML manifest: the loader must return errors, never panic,
//! and keep memory bounded (alias bombs, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rampart_load::load_text("fuzz.yaml", &text, &rampart_load::LoadOptions::default());
});
