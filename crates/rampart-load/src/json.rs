//! JSON input (`kubectl get -o json` dumps): one or more concatenated values.
//!
//! serde_json is an order of magnitude faster than any YAML parser, which
//! matters for dumps of whole clusters. It keeps no positions inside a value,
//! so nodes carry the line where their top-level document starts.

use std::collections::HashSet;
use std::fmt;

use rampart_model::{Node, Text, Value};
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed top-level JSON document and the line it starts on.
pub struct JsonDoc {
    pub line: u32,
    pub node: Node,
}

/// What parsing a JSON source gave.
pub struct Parsed {
    pub docs: Vec<JsonDoc>,
    /// A syntax error (line, message); the documents before it are kept.
    pub error: Option<(u32, String)>,
    /// Items of a `kind: List` dump not kept because their controller is
    /// in the same List (their pod template is the controller's).
    pub skipped: usize,
}

/// Parse a JSON source. A single `kubectl get -o json` List is read twice:
/// a light first pass finds the items whose controller is in the same List
/// (the Pods of a ReplicaSet of a Deployment), and the second keeps every
/// other item. Analyses skip such copies anyway; not holding them divides the
/// memory of a live-cluster dump by two to three.
pub fn parse(text: &str) -> Parsed {
    if let Some(parsed) = parse_list(text) {
        return parsed;
    }
    let (docs, error) = parse_json(text);
    Parsed {
        docs,
        error,
        skipped: 0,
    }
}

/// Identity of an item, as the checks match owners: kind, namespace, name.
type Identity = (String, Option<String>, String);

#[derive(serde::Deserialize)]
struct LiteList {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    items: Vec<LiteItem>,
}

#[derive(serde::Deserialize)]
struct LiteItem {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: LiteMeta,
}

#[derive(serde::Deserialize, Default)]
struct LiteMeta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default, rename = "ownerReferences")]
    owners: Vec<LiteOwner>,
}

#[derive(serde::Deserialize)]
struct LiteOwner {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    controller: Option<bool>,
}

/// The single-List fast path; `None` when the text is anything else (or the
/// first pass cannot read it), so the general path takes over.
fn parse_list(text: &str) -> Option<Parsed> {
    let lite: LiteList = serde_json::from_str(text).ok()?;
    if !lite.kind.ends_with("List") || lite.items.is_empty() {
        return None;
    }
    let present: HashSet<(&str, Option<&str>, &str)> = lite
        .items
        .iter()
        .map(|i| {
            (
                i.kind.as_str(),
                i.metadata.namespace.as_deref(),
                i.metadata.name.as_str(),
            )
        })
        .collect();
    let skip: HashSet<Identity> = lite
        .items
        .iter()
        .filter(|i| {
            i.metadata.owners.iter().any(|o| {
                o.controller == Some(true)
                    && present.contains(&(
                        o.kind.as_str(),
                        i.metadata.namespace.as_deref(),
                        o.name.as_str(),
                    ))
            })
        })
        .map(|i| {
            (
                i.kind.clone(),
                i.metadata.namespace.clone(),
                i.metadata.name.clone(),
            )
        })
        .collect();
    if skip.is_empty() {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut skipped = 0usize;
    let mut kept = Vec::new();
    let value = DocSeed {
        skip: &skip,
        skipped: &mut skipped,
        kept: &mut kept,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    let lead = text.len() - text.trim_start().len();
    let line = 1 + count_lines(&text[..lead]);
    let mut node = Node::new(line, value);
    set_lines(&mut node, line);
    apply_item_lines(&mut node, &item_lines(&text[lead..], line), Some(&kept));
    Some(Parsed {
        docs: vec![JsonDoc { line, node }],
        error: None,
        skipped,
    })
}

/// The top-level List object: `items` through [`ItemsSeed`], the rest as is.
struct DocSeed<'s> {
    skip: &'s HashSet<Identity>,
    skipped: &'s mut usize,
    kept: &'s mut Vec<usize>,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a List object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Text, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Text>()? {
            let value = if key == "items" {
                map.next_value_seed(ItemsSeed {
                    skip: self.skip,
                    skipped: &mut *self.skipped,
                    kept: &mut *self.kept,
                })?
            } else {
                map.next_value::<JNode>()?.0
            };
            entries.push((key, Node::new(0, value)));
        }
        Ok(Value::Map(entries))
    }
}

/// The `items` array: each item is read, and dropped at once when it is a
/// copy of a controller in the List.
struct ItemsSeed<'s> {
    skip: &'s HashSet<Identity>,
    skipped: &'s mut usize,
    /// Source positions of the items kept.
    kept: &'s mut Vec<usize>,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let mut index = 0usize;
        while let Some(JNode(v)) = seq.next_element::<JNode>()? {
            let position = index;
            index += 1;
            let node = Node::new(0, v);
            let text = |n: Option<&Node>| n.and_then(Node::as_str).map(str::to_string);
            let identity = (
                text(node.get("kind")).unwrap_or_default(),
                text(node.at(&["metadata", "namespace"])),
                text(node.at(&["metadata", "name"])).unwrap_or_default(),
            );
            if self.skip.contains(&identity) {
                *self.skipped += 1;
            } else {
                self.kept.push(position);
                items.push(node);
            }
        }
        items.shrink_to_fit();
        Ok(Value::Seq(items))
    }
}

/// Parse every concatenated JSON value of `text`. On a syntax error, the
/// documents before it are kept and the error (line, message) is returned.
pub fn parse_json(text: &str) -> (Vec<JsonDoc>, Option<(u32, String)>) {
    let mut docs = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<JNode>();
    let mut start = 0usize;
    let mut line = 1u32;
    loop {
        // Line of the first non-whitespace byte after the previous value.
        let rest = &text[start..];
        let skipped = rest.len() - rest.trim_start().len();
        let doc_line = line + count_lines(&rest[..skipped]);
        match stream.next() {
            None => break,
            Some(Ok(JNode(value))) => {
                let end = stream.byte_offset();
                let mut node = Node::new(doc_line, value);
                set_lines(&mut node, doc_line);
                if node.get("items").is_some() {
                    let begin = start + skipped;
                    let lines = item_lines(&text[begin..end], doc_line);
                    apply_item_lines(&mut node, &lines, None);
                }
                docs.push(JsonDoc {
                    line: doc_line,
                    node,
                });
                line += count_lines(&text[start..end]);
                start = end;
            }
            Some(Err(err)) => {
                let err_line = u32::try_from(err.line()).unwrap_or(u32::MAX).max(1);
                let msg = err.to_string();
                let msg = match msg.find(" at line ") {
                    Some(i) => msg[..i].to_string(),
                    None => msg,
                };
                return (docs, Some((err_line, format!("invalid JSON: {msg}"))));
            }
        }
    }
    (docs, None)
}

fn count_lines(s: &str) -> u32 {
    u32::try_from(s.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX)
}

/// The line each element of the top-level `items` array starts on, found
/// by a structural scan of the JSON text (strings and nesting only; the text
/// was already validated by the parser). `first_line` is the line of
/// `text[0]`.
fn item_lines(text: &str, first_line: u32) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut line) = (0u32, first_line);
    let (mut in_string, mut escaped) = (false, false);
    let mut string_start = 0usize;
    let mut last_key: &str = "";
    let mut items_next = false; // the value after `"items":` is next
    let mut in_items = false;
    let mut expecting = false; // an element of items starts at the next token
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line = line.saturating_add(1);
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    last_key = text.get(string_start..i).unwrap_or("");
                }
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if in_items && depth == 2 && expecting && b != b']' {
            out.push(line);
            expecting = false;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if b == b'[' && depth == 2 && items_next {
                    in_items = true;
                    expecting = true;
                }
                items_next = false;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if in_items && depth == 1 {
                    return out;
                }
                if depth == 0 {
                    break;
                }
            }
            b',' if in_items && depth == 2 => expecting = true,
            b':' if depth == 1 => items_next = last_key == "items",
            _ => {}
        }
    }
    out
}

/// Give each kept item of a List document the line it starts on.
/// `indices` are the items' positions in the source (some may be skipped).
fn apply_item_lines(doc: &mut Node, lines: &[u32], indices: Option<&[usize]>) {
    let Value::Map(entries) = &mut doc.value else {
        return;
    };
    let Some((_, items)) = entries.iter_mut().find(|(k, _)| k == "items") else {
        return;
    };
    let Value::Seq(items) = &mut items.value else {
        return;
    };
    for (pos, item) in items.iter_mut().enumerate() {
        let source = indices.map_or(Some(pos), |ix| ix.get(pos).copied());
        if let Some(&line) = source.and_then(|i| lines.get(i)) {
            set_lines(item, line);
        }
    }
}

fn set_lines(root: &mut Node, line: u32) {
    let mut stack: Vec<&mut Node> = vec![root];
    while let Some(node) = stack.pop() {
        node.line = line;
        match &mut node.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => stack.extend(entries.iter_mut().map(|(_, n)| n)),
            _ => {}
        }
    }
}

struct JNode(Value);

impl<'de> Deserialize<'de> for JNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = JNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<JNode, E> {
        Ok(JNode(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JNode, E> {
        Ok(JNode(Value::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JNode, E> {
        Ok(JNode(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<JNode, E> {
        Ok(JNode(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<JNode, E> {
        Ok(JNode(Value::Str(Text::from(v))))
    }
    fn visit_string<E>(self, v: String) -> Result<JNode, E> {
        Ok(JNode(Value::Str(Text::from(v))))
    }
    fn visit_unit<E>(self) -> Result<JNode, E> {
        Ok(JNode(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JNode, A::Error> {
        let mut items = Vec::new();
        while let Some(JNode(v)) = seq.next_element::<JNode>()? {
            items.push(Node::new(0, v));
        }
        // Growth leaves up to half of a Vec unused; a dump keeps millions of them.
        items.shrink_to_fit();
        Ok(JNode(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JNode, A::Error> {
        let mut entries: Vec<(Text, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Text>()? {
            let JNode(v) = map.next_value::<JNode>()?;
            // encoding/json semantics: the last duplicate wins.
            if let Some(slot) = entries.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = Node::new(0, v);
            } else {
                entries.push((key, Node::new(0, v)));
            }
        }
        entries.shrink_to_fit();
        Ok(JNode(Value::Map(entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenated_documents_keep_their_lines() {
        let text = "{\"a\": 1}\n\n{\n \"b\": [true]\n}\n";
        let (docs, err) = parse_json(text);
        assert!(err.is_none());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].line, 1);
        assert_eq!(docs[1].line, 3);
        assert_eq!(docs[1].node.get("b").map(|n| n.line), Some(3));
    }

    #[test]
    fn list_items_owned_by_a_controller_in_the_list_are_not_kept() {
        let owned = |kind: &str, name: &str, owner_kind: &str, owner: &str| {
            format!(
                "{{\"apiVersion\": \"v1\", \"kind\": \"{kind}\", \"metadata\": {{\"name\": \"{name}\", \"namespace\": \"shop\", \"ownerReferences\": [{{\"kind\": \"{owner_kind}\", \"name\": \"{owner}\", \"controller\": true}}]}}}}"
            )
        };
        let text = format!(
            "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {{\"name\": \"web\", \"namespace\": \"shop\"}}}}, {}, {}, {}]}}",
            owned("ReplicaSet", "web-1", "Deployment", "web"),
            owned("Pod", "web-1-a", "ReplicaSet", "web-1"),
            owned("Pod", "orphan", "ReplicaSet", "gone"),
        );
        let parsed = parse(&text);
        assert!(parsed.error.is_none());
        assert_eq!(parsed.skipped, 2);
        let items = parsed.docs[0]
            .node
            .get("items")
            .and_then(Node::as_seq)
            .expect("items");
        let names: Vec<&str> = items
            .iter()
            .filter_map(|i| i.at(&["metadata", "name"]).and_then(Node::as_str))
            .collect();
        assert_eq!(names, vec!["web", "orphan"]);
        // Without any owned item, the general path reads it unchanged.
        let plain = "{\"kind\": \"List\", \"items\": [{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}]}";
        assert_eq!(parse(plain).skipped, 0);
        assert_eq!(parse(plain).docs.len(), 1);
    }

    #[test]
    fn errors_keep_earlier_documents() {
        let (docs, err) = parse_json("{\"a\": 1}\n{\"b\": \n");
        assert_eq!(docs.len(), 1);
        let (line, msg) = err.expect("error");
        assert_eq!(line, 3);
        assert!(msg.starts_with("invalid JSON"), "{msg}");
    }
}
