//! Any bytes as YAML documents: the loader's fast path (a tree built from
//! parser events) and serde-saphyr must read each document the same way,
//! values, types, lines, problems and errors alike.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_load::yaml::{parse_document, parse_document_reference, split_documents};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for chunk in split_documents(&text) {
        let fast = parse_document(chunk);
        let reference = parse_document_reference(chunk);
        assert_eq!(fast, reference, "the two paths disagree on:\n{}", chunk.text);
    }
});
