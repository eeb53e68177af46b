//! Any bytes as `.rampart.yaml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (config, _) = rampart_load::config::parse_config("fuzz.yaml".into(), &text);
    let _ = rampart_checks::suppress::validate(&config);
});
