//! YAML the way Kubernetes reads it, into located [`Node`] trees.
//!
//! Kubernetes decodes manifests with go-yaml v2 semantics (through
//! sigs.k8s.io/yaml): YAML 1.1 booleans (`yes`, `on`), legacy octal (`0644`),
//! and `<<` merge keys. serde-saphyr is configured to match; see
//! docs/decisions.md. Each document is parsed on its own, so one broken
//! document never hides the others and documents parse in parallel.

use std::fmt;

use rampart_model::{Node, Text, Value};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

/// One document of a YAML stream, not yet parsed.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub text: &'a str,
    /// Lines before this chunk in the file.
    pub line_offset: u32,
}

/// A problem found while reading one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: u32,
    pub message: String,
    /// `false` for problems after which the document is still usable
    /// (duplicate keys, resolved as the API server does).
    pub fatal: bool,
}

/// Split a YAML stream into documents at `---` markers.
///
/// A document marker at column 0 always ends the previous document (the YAML
/// spec forbids it inside scalars), so splitting on it is exact. A chunk with
/// only comments and directives stays attached to the document that follows.
pub fn split_documents(text: &str) -> Vec<Chunk<'_>> {
    split_from(text.strip_prefix('\u{feff}').unwrap_or(text), 0)
}

/// Piece size for [`split_documents_parallel`] when loading: about 1 MB.
pub const SPLIT_SEGMENT: usize = 1 << 20;

/// [`split_documents`] for a large stream: cut into pieces of about
/// `segment` bytes at document markers where the split is sure to cut too,
/// and split the pieces in parallel. The chunks are exactly
/// [`split_documents`]'s (a test compares them).
pub fn split_documents_parallel(text: &str, segment: usize) -> Vec<Chunk<'_>> {
    use rayon::prelude::*;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let segment = segment.max(1);
    if text.len() < 2 * segment {
        return split_from(text, 0);
    }
    let mut cuts = vec![0];
    let mut from = segment;
    while let Some(cut) = next_cut(text, from) {
        cuts.push(cut);
        from = cut + segment;
    }
    cuts.push(text.len());
    let pieces: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let newlines: Vec<u32> = pieces
        .par_iter()
        .map(|&(a, b)| {
            text.as_bytes()[a..b]
                .iter()
                .filter(|&&c| c == b'\n')
                .count() as u32
        })
        .collect();
    let first_lines: Vec<u32> = newlines
        .iter()
        .scan(0u32, |line, n| {
            let first = *line;
            *line += n;
            Some(first)
        })
        .collect();
    pieces
        .par_iter()
        .zip(first_lines)
        .flat_map_iter(|(&(a, b), first_line)| split_from(&text[a..b], first_line))
        .collect()
}

/// The start of the first line at or after `from` where the split surely
/// cuts: a `---` line whose previous significant line is content (not a
/// marker, directive, comment or blank), so the document before it is
/// complete and nothing carries over.
fn next_cut(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    loop {
        let found = text.get(at..)?.find("\n---")?;
        let line_start = at + found + 1;
        at = line_start;
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        if !is_document_start(line) {
            continue;
        }
        // Walk back over blank and comment lines (a bounded distance).
        let mut end = line_start - 1; // the newline ending the previous line
        let mut verdict = None;
        for _ in 0..64 {
            let start = bytes[..end]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            let previous = text[start..end].trim_end_matches('\r');
            let trimmed = previous.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                if start == 0 {
                    verdict = Some(false);
                    break;
                }
                end = start - 1;
                continue;
            }
            verdict = Some(
                !(previous.starts_with('%')
                    || is_document_start(previous)
                    || is_document_end(previous)),
            );
            break;
        }
        if verdict == Some(true) {
            return Some(line_start);
        }
    }
}

/// Split `text`, whose first line is line `first_line` (0-based) of its file.
fn split_from(text: &str, first_line: u32) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = first_line;
    let mut only_preamble = true;
    let mut has_marker = false;
    let mut line_no = first_line;
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if is_document_end(content) {
            // `...` ends the document; what follows up to the next `---` is
            // a preamble (comments, directives) of the next one.
            if !only_preamble {
                chunks.push(Chunk {
                    text: &text[start..pos],
                    line_offset: start_line,
                });
            }
            pos += line.len();
            line_no += 1;
            start = pos;
            start_line = line_no;
            only_preamble = true;
            has_marker = false;
            continue;
        }
        if is_document_start(content) {
            if !only_preamble {
                chunks.push(Chunk {
                    text: &text[start..pos],
                    line_offset: start_line,
                });
            }
            if !only_preamble || has_marker {
                // An empty document (`---` then only comments) is dropped.
                start = pos;
                start_line = line_no;
                only_preamble = true;
            }
            has_marker = true;
        }
        let trimmed = content.trim_start();
        if !(trimmed.is_empty()
            || trimmed.starts_with('#')
            || content.starts_with('%')
            || is_document_start(content))
        {
            only_preamble = false;
        }
        pos += line.len();
        line_no += 1;
    }
    if start < text.len() {
        chunks.push(Chunk {
            text: &text[start..],
            line_offset: start_line,
        });
    }
    chunks
}

fn is_document_end(line: &str) -> bool {
    line.strip_prefix("...")
        .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
}

fn is_document_start(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Parse one document. `Ok(None)` for an empty document.
///
/// Most documents are built straight from the parser's events
/// ([`crate::compose`]); the rest, and every document with an error, go
/// through serde-saphyr ([`parse_document_reference`]). Both read the same.
pub fn parse_document(chunk: Chunk<'_>) -> Result<(Option<Node>, Vec<YamlProblem>), YamlProblem> {
    match crate::compose::compose(chunk.text) {
        Some(root) => Ok(finish(root, chunk.line_offset)),
        None => parse_document_reference(chunk),
    }
}

/// Parse one document with serde-saphyr alone: the reference the fast path
/// is tested against, and the path for everything it declines.
#[doc(hidden)]
pub fn parse_document_reference(
    chunk: Chunk<'_>,
) -> Result<(Option<Node>, Vec<YamlProblem>), YamlProblem> {
    let offset = chunk.line_offset;
    let parsed: Result<Option<Spanned<YNode>>, _> =
        serde_saphyr::from_str_with_options(chunk.text, options(chunk.text.len()));
    match parsed {
        Ok(None) => Ok((None, Vec::new())),
        Ok(Some(spanned)) => {
            let line = loc_line(spanned.referenced.line());
            Ok(finish(Node::new(line, spanned.value.0), offset))
        }
        Err(err) => {
            let line = err
                .location()
                .map(|l| loc_line(l.line()) + offset)
                .unwrap_or(offset + 1);
            Err(YamlProblem {
                line,
                message: describe_error(&err),
                fatal: true,
            })
        }
    }
}

/// Shift a parsed document's lines to file lines and resolve duplicate keys.
fn finish(mut node: Node, offset: u32) -> (Option<Node>, Vec<YamlProblem>) {
    node.line += offset;
    let mut problems = Vec::new();
    fix_up(&mut node, offset, &mut problems);
    if node.is_null() {
        return (None, problems);
    }
    (Some(node), problems)
}

/// serde-saphyr's options for a document of `size` bytes.
fn options(size: usize) -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        legacy_octal_numbers: true,
    };
    // Budgets scale with the document: a `kubectl get -o yaml` dump is one
    // document of millions of nodes. Alias expansion keeps its own (default)
    // limits, which is what stops alias bombs.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(size / 2);
    budget.max_events = budget.max_events.max(size);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(size.saturating_mul(2));
    budget.max_depth = 128;
    options.budget = Some(budget);
    options
}

/// Type one plain scalar the way serde-saphyr does, for the fast path's
/// numeric-looking scalars other than small integers. `None` if it does not
/// read back as one scalar (the caller then falls back).
pub(crate) fn resolve_plain_scalar(text: &str) -> Option<Value> {
    match serde_saphyr::from_str_with_options::<Option<YNode>>(text, options(text.len())) {
        Ok(Some(YNode(value))) if !matches!(value, Value::Seq(_) | Value::Map(_)) => Some(value),
        _ => None,
    }
}

/// [`resolve_plain_scalar`] for a mapping key.
pub(crate) fn resolve_plain_key(text: &str) -> Option<Text> {
    serde_saphyr::from_str_with_options::<YKey>(text, options(text.len()))
        .ok()
        .map(|key| key.0)
}

fn loc_line(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// The first line of the parser's message, without its source snippet (which
/// could quote a secret value).
fn describe_error(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Keep only the message before any "at line" suffix; the line is reported separately.
    let msg = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    if msg.contains("budget") {
        format!("{msg} (the document is too large or expands aliases without bound; rampart stopped reading it)")
    } else {
        msg.to_string()
    }
}

/// Shift lines to file lines and resolve duplicate keys (last one wins, as
/// the API server's JSON decoding does), reporting each duplicate.
fn fix_up(root: &mut Node, offset: u32, problems: &mut Vec<YamlProblem>) {
    let mut stack: Vec<&mut Node> = vec![root];
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Seq(items) => {
                for item in items.iter_mut() {
                    if item.line > 0 {
                        item.line += offset;
                    }
                    stack.push(item);
                }
            }
            Value::Map(entries) => {
                for (_, item) in entries.iter_mut() {
                    if item.line > 0 {
                        item.line += offset;
                    }
                }
                if entries.len() > 1 {
                    resolve_duplicates(entries, problems);
                }
                for (_, item) in entries.iter_mut() {
                    stack.push(item);
                }
            }
            _ => {}
        }
    }
}

fn resolve_duplicates(entries: &mut Vec<(Text, Node)>, problems: &mut Vec<YamlProblem>) {
    let mut drop = vec![false; entries.len()];
    let mut any = false;
    if entries.len() <= 32 {
        for i in 0..entries.len() {
            for j in (i + 1)..entries.len() {
                if entries[i].0 == entries[j].0 {
                    if !drop[i] {
                        report_duplicate(&entries[i], &entries[j], problems);
                    }
                    drop[i] = true;
                    any = true;
                    break;
                }
            }
        }
    } else {
        let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, (key, _)) in entries.iter().enumerate() {
            if let Some(prev) = last.insert(key.as_str(), i) {
                report_duplicate(&entries[prev], &entries[i], problems);
                drop[prev] = true;
                any = true;
            }
        }
    }
    if any {
        let mut i = 0;
        entries.retain(|_| {
            let keep = !drop[i];
            i += 1;
            keep
        });
    }
}

fn report_duplicate(first: &(Text, Node), second: &(Text, Node), problems: &mut Vec<YamlProblem>) {
    problems.push(YamlProblem {
        line: second.1.line,
        message: format!(
            "duplicate key `{}` (also at line {}): Kubernetes clients disagree on which value wins, \
             so a setting can hide from one reader; rampart checked the last one",
            first.0, first.1.line
        ),
        fatal: false,
    });
}

/// A node's value; its line is carried by the enclosing `Spanned`.
struct YNode(Value);

impl<'de> Deserialize<'de> for YNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YVisitor)
    }
}

struct YVisitor;

impl<'de> Visitor<'de> for YVisitor {
    type Value = YNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<YNode, E> {
        Ok(YNode(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YNode, E> {
        Ok(YNode(Value::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<YNode, E> {
        Ok(YNode(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_i128<E>(self, v: i128) -> Result<YNode, E> {
        Ok(YNode(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_u128<E>(self, v: u128) -> Result<YNode, E> {
        Ok(YNode(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YNode, E> {
        Ok(YNode(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<YNode, E> {
        Ok(YNode(Value::Str(Text::from(v))))
    }
    fn visit_string<E>(self, v: String) -> Result<YNode, E> {
        Ok(YNode(Value::Str(Text::from(v))))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<YNode, E> {
        Ok(YNode(Value::Str(Text::from(String::from_utf8_lossy(v)))))
    }
    fn visit_unit<E>(self) -> Result<YNode, E> {
        Ok(YNode(Value::Null))
    }
    fn visit_none<E>(self) -> Result<YNode, E> {
        Ok(YNode(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YNode, D::Error> {
        YNode::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YNode, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Spanned<YNode>>()? {
            items.push(Node::new(loc_line(item.referenced.line()), item.value.0));
        }
        items.shrink_to_fit();
        Ok(YNode(Value::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YNode, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(key) = map.next_key::<Spanned<YKey>>()? {
            let value: YNode = map.next_value()?;
            entries.push((
                key.value.0,
                Node::new(loc_line(key.referenced.line()), value.0),
            ));
        }
        entries.shrink_to_fit();
        Ok(YNode(Value::Map(entries)))
    }
}

/// A mapping key. Kubernetes objects are JSON, so scalar keys become strings.
struct YKey(Text);

impl<'de> Deserialize<'de> for YKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = YKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<YKey, E> {
        Ok(YKey(Text::from(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YKey, E> {
        Ok(YKey(Text::from(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<YKey, E> {
        Ok(YKey(Text::from(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YKey, E> {
        Ok(YKey(Text::from(v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<YKey, E> {
        Ok(YKey(Text::from(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<YKey, E> {
        Ok(YKey(Text::from(v)))
    }
    fn visit_unit<E>(self) -> Result<YKey, E> {
        Ok(YKey(Text::from("null")))
    }
    fn visit_none<E>(self) -> Result<YKey, E> {
        Ok(YKey(Text::from("null")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<YKey, A::Error> {
        Err(de::Error::custom(
            "a list cannot be a mapping key in a Kubernetes object",
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<YKey, A::Error> {
        Err(de::Error::custom(
            "a mapping cannot be a mapping key in a Kubernetes object",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Node, Vec<YamlProblem>) {
        let chunk = Chunk {
            text,
            line_offset: 0,
        };
        let (node, problems) = parse_document(chunk).expect("parses");
        (node.expect("not empty"), problems)
    }

    #[test]
    fn yaml_1_1_booleans_and_legacy_octal_are_read_as_kubernetes_does() {
        let (node, _) = parse("a: yes\nb: on\nc: off\nmode: 0644\nplain: 0\n");
        assert_eq!(node.get("a").and_then(Node::as_bool), Some(true));
        assert_eq!(node.get("b").and_then(Node::as_bool), Some(true));
        assert_eq!(node.get("c").and_then(Node::as_bool), Some(false));
        assert_eq!(node.get("mode").and_then(Node::as_i64), Some(420));
        assert_eq!(node.get("plain").and_then(Node::as_i64), Some(0));
    }

    #[test]
    fn merge_keys_are_expanded() {
        let (node, _) = parse("base: &b\n  privileged: true\nsc:\n  <<: *b\n  runAsUser: 0\n");
        let sc = node.get("sc").expect("sc");
        assert_eq!(sc.get("privileged").and_then(Node::as_bool), Some(true));
        assert_eq!(sc.get("runAsUser").and_then(Node::as_i64), Some(0));
    }

    #[test]
    fn lines_point_at_keys() {
        let (node, _) = parse("a:\n  b:\n    - x: 1\n    - z: 2\n");
        let items = node.at(&["a", "b"]).and_then(Node::as_seq).expect("list");
        assert_eq!(node.get("a").map(|n| n.line), Some(1));
        assert_eq!(node.at(&["a", "b"]).map(|n| n.line), Some(2));
        assert_eq!(items[1].line, 4);
        assert_eq!(items[1].get("z").map(|n| n.line), Some(4));
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_last_wins() {
        let (node, problems) = parse("sc:\n  privileged: true\n  privileged: false\n");
        assert_eq!(
            node.at(&["sc", "privileged"]).and_then(Node::as_bool),
            Some(false)
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].message.contains("duplicate key `privileged`"));
    }

    #[test]
    fn splitting_keeps_line_offsets_and_attaches_preambles() {
        let text = "# header\n---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n";
        let chunks = split_documents(text);
        let parsed: Vec<_> = chunks
            .iter()
            .filter_map(|c| parse_document(*c).expect("ok").0)
            .collect();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].get("a").map(|n| n.line), Some(3));
        assert_eq!(parsed[1].get("b").map(|n| n.line), Some(7));
    }

    #[test]
    fn the_parallel_split_gives_the_same_chunks() {
        let pieces = [
            "# header\n---\na: 1\n",
            "---\n# only a comment\n",
            "---\nb: 2\n...\n",
            "# preamble after an end marker\n%YAML 1.2\n---\nc: 3\n",
            "--- # a comment on the marker\nd: |\n  ---not a marker\n  text\n",
            "---\r\ne: 5\r\n",
            "---\n\n\n# trailing comments\n\n",
            "---\n- list\n- items\n",
            "---\nf: 6\n---\n---\ng: 7\n",
            "...\n# comment\n---\nh: 8\n",
            "---\n  %indented: content\n",
            "---\nkey: value\n#---\nnot: a marker\n",
            "---\nname: café ☕ 東京\n",
        ];
        let mut text = String::from("\u{feff}");
        for round in 0..40 {
            for (i, piece) in pieces.iter().enumerate() {
                if (round + i) % 3 != 0 {
                    text.push_str(piece);
                }
            }
        }
        let key = |chunks: Vec<Chunk<'_>>| -> Vec<(usize, usize, u32)> {
            chunks
                .iter()
                .map(|c| (c.text.as_ptr() as usize, c.text.len(), c.line_offset))
                .collect()
        };
        let serial = key(split_documents(&text));
        assert!(serial.len() > 200, "{} chunks", serial.len());
        for segment in [1, 7, 40, 64, 100, 333, 1000, text.len()] {
            assert_eq!(
                key(split_documents_parallel(&text, segment)),
                serial,
                "segment {segment}"
            );
        }
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let refs = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = parse_document(Chunk {
            text: &text,
            line_offset: 0,
        })
        .expect_err("must be refused");
        assert!(err.fatal);
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let text = "a: 1\nb: [1, 2\nc: 3\n";
        let err = parse_document(Chunk {
            text,
            line_offset: 10,
        })
        .expect_err("invalid");
        assert!(err.line > 10, "line {}", err.line);
    }
}
