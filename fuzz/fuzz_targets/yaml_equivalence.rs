//! Any bytes as YAML documents: the loader's fast path (a tree built from
//! parser events) and serde-saphyr must read each document the same way,
//! values, types, lines, problems and errors alike; and the parallel split
//! into documents must give the serial split's chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_load::yaml::{
    parse_document, parse_document_reference, split_documents, split_documents_parallel,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let key = |chunks: Vec<rampart_load::yaml::Chunk<'_>>| -> Vec<(usize, usize, u32)> {
        chunks
            .iter()
            .map(|c| (c.text.as_ptr() as usize, c.text.len(), c.line_offset))
            .collect()
    };
    let segment = 1 + data.len() % 64;
    assert_eq!(
        key(split_documents_parallel(&text, segment)),
        key(split_documents(&text)),
        "the parallel split differs with segments of {segment} bytes"
    );
    for chunk in split_documents(&text) {
        let fast = parse_document(chunk);
        let reference = parse_document_reference(chunk);
        assert_eq!(fast, reference, "the two paths disagree on:\n{}", chunk.text);
    }
});
