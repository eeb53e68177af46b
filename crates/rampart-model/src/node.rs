//! A YAML/JSON value tree in which every node remembers its source line.
//!
//! Kubernetes objects are kept in this form rather than as typed structs so
//! that unknown fields and custom resources survive, and so that a finding can
//! point at the exact line of the field it is about.

/// Keys and string values: inline up to 24 bytes, which covers almost every
/// key and most values of a Kubernetes object, so loading a large dump does
/// not allocate once per string (see docs/decisions.md).
pub type Text = compact_str::CompactString;

/// One node of a document. `line` is 1-based; 0 means "unknown" (JSON input).
///
/// For a mapping entry the line is the line of its key (`privileged: true`),
/// for a sequence element the line of the element itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
    Seq(Vec<Node>),
    /// Entries in source order; keys are unique after loading.
    Map(Vec<(Text, Node)>),
}

static NULL: Node = Node {
    line: 0,
    value: Value::Null,
};

impl Node {
    pub fn new(line: u32, value: Value) -> Self {
        Node { line, value }
    }

    /// A shared null node, for lookups that found nothing.
    pub fn null() -> &'static Node {
        &NULL
    }

    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follow a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        let mut node = self;
        for key in path {
            node = node.get(key)?;
        }
        Some(node)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Text, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The name of the node's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    /// Convert to a `serde_json::Value` (used by renderers and tests).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Build a node tree from JSON; every line is `line`.
    pub fn from_json(value: &serde_json::Value, line: u32) -> Node {
        use serde_json::Value as J;
        let value = match value {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            J::String(s) => Value::Str(Text::from(s.as_str())),
            J::Array(items) => Value::Seq(items.iter().map(|v| Node::from_json(v, line)).collect()),
            J::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (Text::from(k.as_str()), Node::from_json(v, line)))
                    .collect(),
            ),
        };
        Node { line, value }
    }

    /// Labels-style map of string to string (non-string values are skipped).
    pub fn string_map(&self) -> impl Iterator<Item = (&str, &str)> {
        self.as_map()
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)))
    }

    /// Maximum nesting depth of the tree (iterative, so never overflows).
    pub fn depth(&self) -> usize {
        let mut max = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, d)) = stack.pop() {
            max = max.max(d);
            match &node.value {
                Value::Seq(items) => stack.extend(items.iter().map(|n| (n, d + 1))),
                Value::Map(entries) => stack.extend(entries.iter().map(|(_, n)| (n, d + 1))),
                _ => {}
            }
        }
        max
    }
}

impl Drop for Node {
    // Deep trees would recurse once per level when dropped; flatten them so
    // that hostile nesting can never overflow the stack.
    fn drop(&mut self) {
        let mut stack: Vec<Node> = Vec::new();
        let take = |value: &mut Value, stack: &mut Vec<Node>| match value {
            Value::Seq(items) => stack.append(items),
            Value::Map(entries) => stack.extend(entries.drain(..).map(|(_, n)| n)),
            _ => {}
        };
        match &self.value {
            Value::Seq(items) if items.iter().all(Node::is_leaf) => return,
            Value::Map(entries) if entries.iter().all(|(_, n)| n.is_leaf()) => return,
            Value::Seq(_) | Value::Map(_) => {}
            _ => return,
        }
        take(&mut self.value, &mut stack);
        while let Some(mut node) = stack.pop() {
            take(&mut node.value, &mut stack);
        }
    }
}

impl Node {
    fn is_leaf(&self) -> bool {
        !matches!(self.value, Value::Seq(_) | Value::Map(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_paths() {
        let json = serde_json::json!({"spec": {"containers": [{"name": "a"}]}, "n": 3});
        let node = Node::from_json(&json, 7);
        assert_eq!(node.at(&["n"]).and_then(Node::as_i64), Some(3));
        let containers = node.at(&["spec", "containers"]).and_then(Node::as_seq);
        assert_eq!(containers.map(<[Node]>::len), Some(1));
        assert_eq!(node.at(&["spec", "nothing"]), None);
        assert_eq!(node.to_json(), json);
    }

    #[test]
    fn dropping_a_very_deep_tree_does_not_overflow() {
        let mut node = Node::new(1, Value::Null);
        for _ in 0..200_000 {
            node = Node::new(1, Value::Seq(vec![node]));
        }
        assert_eq!(node.depth(), 200_001);
        drop(node);
    }
}
