//! Kubernetes label selectors (`matchLabels` and `matchExpressions`).

use crate::node::Node;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A label selector. The empty selector matches everything; a selector
/// with an unknown operator matches nothing (the API server would reject it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
    pub invalid: bool,
}

impl LabelSelector {
    /// Read a `LabelSelector` object (`{matchLabels, matchExpressions}`).
    pub fn from_node(node: &Node) -> LabelSelector {
        let mut sel = LabelSelector::default();
        for (k, v) in node
            .get("matchLabels")
            .map(Node::string_map)
            .into_iter()
            .flatten()
        {
            sel.requirements
                .push(Requirement::Equals(k.to_string(), v.to_string()));
        }
        for expr in node
            .get("matchExpressions")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            let key = expr
                .get("key")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            let values: Vec<String> = expr
                .get("values")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            match expr.get("operator").and_then(Node::as_str).unwrap_or("") {
                "In" => sel.requirements.push(Requirement::In(key, values)),
                "NotIn" => sel.requirements.push(Requirement::NotIn(key, values)),
                "Exists" => sel.requirements.push(Requirement::Exists(key)),
                "DoesNotExist" => sel.requirements.push(Requirement::DoesNotExist(key)),
                _ => sel.invalid = true,
            }
        }
        sel
    }

    /// Whether `labels` (a lookup function) satisfy every requirement.
    pub fn matches<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        !self.invalid
            && self.requirements.iter().all(|r| match r {
                Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
                Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
                Requirement::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
                Requirement::Exists(k) => get(k).is_some(),
                Requirement::DoesNotExist(k) => get(k).is_none(),
            })
    }

    /// Match against a list of `(key, value)` pairs.
    pub fn matches_pairs(&self, labels: &[(String, String)]) -> bool {
        self.matches(|k| {
            labels
                .iter()
                .find(|(lk, _)| lk == k)
                .map(|(_, v)| v.as_str())
        })
    }
}
