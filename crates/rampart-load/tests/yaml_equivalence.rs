//! The loader's fast path (a tree built straight from parser events) must
//! read every document exactly as serde-saphyr does: the same values, types,
//! lines, duplicate-key problems and errors. Checked on every YAML file of
//! the corpus, the bundled example, the check fixtures and the fuzz seeds,
//! and on generated documents full of scalars that YAML types in surprising
//! ways.

use std::path::{Path, PathBuf};

use rampart_load::yaml::{parse_document, parse_document_reference, split_documents, Chunk};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            || path.parent().is_some_and(|p| p.ends_with("yaml_loader"))
        {
            out.push(path);
        }
    }
}

/// Compare both paths on every document of `text`; returns the number of
/// documents compared.
fn compare(name: &str, text: &str) -> usize {
    let chunks = split_documents(text);
    for chunk in &chunks {
        let fast = parse_document(*chunk);
        let reference = parse_document_reference(*chunk);
        assert_eq!(
            fast, reference,
            "{name}: the fast path and serde-saphyr disagree on the document at line {}:\n{}",
            chunk.line_offset, chunk.text
        );
    }
    chunks.len()
}

#[test]
fn every_real_document_reads_the_same_on_both_paths() {
    on_big_stack(every_real_document);
}

fn every_real_document() {
    let root = repo();
    let mut files = Vec::new();
    for dir in [
        "../shared/corpus",
        "examples",
        "crates/rampart-checks/fixtures",
        "fuzz/corpus/yaml_loader",
        "fuzz/corpus/scan",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    if !root.join("../shared/corpus").is_dir() {
        eprintln!("../shared/corpus is absent: comparing on the repository's own files only");
    }
    let mut documents = 0;
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        documents += compare(&file.display().to_string(), &text);
    }
    assert!(documents > 100, "only {documents} documents found");
}

/// Plain scalars whose type depends on YAML's resolution rules.
const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRuE",
    "false",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "y",
    "Y",
    "n",
    "N",
    "yEs",
    "nO",
    "0",
    "-0",
    "+0",
    "00",
    "007",
    "0644",
    "-0644",
    "08",
    "09",
    "0o17",
    "0O17",
    "0x1F",
    "0X1f",
    "0b101",
    "0B1",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "12",
    "-12",
    "+12",
    "123456789012345678",
    "1234567890123456789",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1.5",
    "-1.5",
    "+1.5",
    ".5",
    "5.",
    "1e3",
    "1E3",
    "1e-3",
    "-1e+3",
    "1e999",
    "-1e999",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".INF",
    ".nan",
    ".NaN",
    "-.nan",
    "+.nan",
    "inf",
    "nan",
    "infinity",
    "NaN",
    "1.2.3",
    "1.21",
    "v1.2",
    "1h",
    "500m",
    "0.5Gi",
    "1Gi",
    "2024-01-01",
    "12:30",
    "1:2",
    "10.0.0.1",
    "10.0.0.0/8",
    "-",
    "-a",
    "--x",
    "-.",
    ".",
    "..",
    "+",
    "+-1",
    "1-2",
    "0x",
    "0o",
    "0b",
    "0xG",
    "0.0.0.0",
    "1e",
    "e1",
    "-e",
    "3.14159265358979323846",
    "0.1e-400",
    "1,000",
    "x y",
    "1 2",
    "- - x",
    "a b c",
    "*.example.com",
    "/var/run/docker.sock",
    "$(VAR)",
    "${VAR}",
    "%x",
    "@x",
    "`x",
    "héllo",
    "東京",
    "1.0",
    "-1.0",
    "0.0",
    "-0.0",
    "1.",
    "-.5",
];

fn generated_documents() -> Vec<String> {
    let mut docs = Vec::new();
    for scalar in SCALARS {
        let flow_safe = !scalar.contains([',', '[', ']', '{', '}']);
        // As a value, a key, a sequence item and inside flow collections.
        docs.push(format!("a: {scalar}\nb: [x]\n"));
        docs.push(format!("{scalar}: 1\nz: 2\n"));
        docs.push(format!("- {scalar}\n- x\n"));
        docs.push(format!("k:\n  - {scalar}\n  - name: {scalar}\n"));
        if flow_safe {
            docs.push(format!("f: [{scalar}, {{k: {scalar}}}]\n"));
            docs.push(format!("{{{scalar}: v, w: {scalar}}}\n"));
        }
        // Quoted forms are always strings.
        docs.push(format!("q: '{scalar}'\nd: \"{scalar}\"\n"));
    }
    docs.extend(
        [
            // Structure, lines and duplicates.
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b, c: d}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n",
            "a: 1\na: 2\nb:\n  c: 1\n  c: x\n",
            "a:\n  b:\n    - x: 1\n    - z: 2\n",
            "a: |\n  line one\n  line two\nb: >\n  folded\n  text\nc: |-\n  x\n",
            "a: 'it''s'\nb: \"tab\\tnew\\nline\"\n",
            "a: multi\n  line plain\nb: 1\n",
            "a:\nb: ~\nc: []\nd: {}\n",
            "? complex\n: value\n",
            "? [a, b]\n: value\n",
            "a: &x 1\nb: *x\n",
            "base: &b\n  k: v\nuse:\n  <<: *b\n  j: w\n",
            "'<<': literal\n",
            "a: !!str 1\nb: !custom x\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "--- \na: 1\n...\n",
            "just a scalar\n",
            "# only a comment\n",
            "- 1\n- - 2\n  - [3, [4, {5: 6}]]\n",
            "a: [1, 2\nb: 3\n",
            "a: b: c\n",
            "\ta: 1\n",
            "a:\n  - b\n  c: d\n",
            "key with spaces: v\n\"quoted key\": 1\n'single': 2\n",
            "a: 1 # comment\n# comment\nb: 2\n",
            "empty_flow: { }\nempty_seq: [ ]\n",
            "a: \"\\u00e9\\x41\"\n",
        ]
        .map(String::from),
    );
    let deep = (0..140).fold(String::from("x"), |inner, _| format!("[{inner}]"));
    docs.push(format!("d: {deep}\n"));
    let deep_block = (0..110).fold(String::new(), |mut doc, depth| {
        doc.push_str(&" ".repeat(depth));
        doc.push_str("k:\n");
        doc
    });
    docs.push(deep_block);
    docs
}

#[test]
fn tricky_scalars_and_structures_read_the_same_on_both_paths() {
    on_big_stack(|| {
        for doc in generated_documents() {
            compare("generated", &doc);
            // Also after a preamble, so line offsets matter.
            compare("generated with offset", &format!("# x\n---\n{doc}"));
        }
    });
}

/// serde-saphyr recurses once per nesting level; unoptimised test builds
/// need more than a test thread's stack for the 128 levels it allows.
fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no disagreement");
}

#[test]
fn the_fast_path_keeps_lines_and_types() {
    let chunk = Chunk {
        text: "a: yes\nb: 0644\nc: 1.5\nd: '1'\ne:\n  - x\n",
        line_offset: 10,
    };
    let (node, problems) = parse_document(chunk).expect("parses");
    let node = node.expect("a document");
    assert!(problems.is_empty());
    assert_eq!(node.get("a").and_then(|n| n.as_bool()), Some(true));
    assert_eq!(node.get("b").and_then(|n| n.as_i64()), Some(420));
    assert_eq!(node.get("d").and_then(|n| n.as_str()), Some("1"));
    assert_eq!(node.get("e").map(|n| n.line), Some(15));
    let items = node.get("e").and_then(|n| n.as_seq()).expect("list");
    assert_eq!(items[0].line, 16);
}
