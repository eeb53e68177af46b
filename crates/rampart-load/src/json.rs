//! JSON input (`kubectl get -o json` dumps): one or more concatenated values.
//!
//! serde_json is an order of magnitude faster than any YAML parser, which
//! matters for dumps of whole clusters. It keeps no positions inside a value,
//! so nodes carry the line where their top-level document starts.

use std::fmt;

use rampart_model::{Node, Text, Value};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed top-level JSON document and the line it starts on.
pub struct JsonDoc {
    pub line: u32,
    pub node: Node,
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
    fn errors_keep_earlier_documents() {
        let (docs, err) = parse_json("{\"a\": 1}\n{\"b\": \n");
        assert_eq!(docs.len(), 1);
        let (line, msg) = err.expect("error");
        assert_eq!(line, 3);
        assert!(msg.starts_with("invalid JSON"), "{msg}");
    }
}
