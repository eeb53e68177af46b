//! Kubernetes label selectors (`matchLabels` + `matchExpressions`), parsed
//! and validated as the API server does, evaluated one label set at a time
//! or over every workload at once through an inverted index.

use std::collections::{BTreeMap, HashMap};

use rampart_model::Node;

use crate::bitset::Bitset;

/// Labels of a pod or a namespace.
pub type Labels = BTreeMap<String, String>;

/// A selector operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// One `matchExpressions` requirement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    /// Sorted, without duplicates.
    pub values: Vec<String>,
}

/// A label selector. The empty selector matches everything; a *null*
/// selector (an absent field) is represented by the caller as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    /// `matchLabels`, sorted by key.
    pub labels: Vec<(String, String)>,
    /// `matchExpressions`, sorted.
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// Parse a selector mapping. Errors are what the API server would reject
    /// (`validateLabelSelector`): a non-string label value, an unknown
    /// operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with
    /// values. A null node is the empty selector; callers that give null a
    /// different meaning (peers) check for it first.
    pub fn parse(node: &Node) -> Result<Selector, String> {
        if node.is_null() {
            return Ok(Selector::default());
        }
        if node.as_map().is_none() {
            return Err(format!(
                "a label selector must be a mapping, found {}",
                node.type_name()
            ));
        }
        let mut selector = Selector::default();
        if let Some(labels) = node.get("matchLabels").filter(|n| !n.is_null()) {
            let entries = labels.as_map().ok_or_else(|| {
                format!(
                    "`matchLabels` must be a mapping, found {}",
                    labels.type_name()
                )
            })?;
            for (key, value) in entries {
                let value = value.as_str().ok_or_else(|| {
                    format!(
                        "`matchLabels.{key}` must be a string, found {}",
                        value.type_name()
                    )
                })?;
                selector.labels.push((key.to_string(), value.to_string()));
            }
        }
        if let Some(exprs) = node.get("matchExpressions").filter(|n| !n.is_null()) {
            let items = exprs.as_seq().ok_or_else(|| {
                format!(
                    "`matchExpressions` must be a list, found {}",
                    exprs.type_name()
                )
            })?;
            for (i, item) in items.iter().enumerate() {
                selector.requirements.push(parse_requirement(item, i)?);
            }
        }
        selector.labels.sort();
        selector.labels.dedup();
        selector.requirements.sort();
        selector.requirements.dedup();
        Ok(selector)
    }

    /// Whether the selector has no requirement (so it selects everything).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.requirements.is_empty()
    }

    /// Whether `labels` satisfies every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.labels
            .iter()
            .all(|(k, v)| labels.get(k).is_some_and(|have| have == v))
            && self.requirements.iter().all(|r| {
                let have = labels.get(&r.key);
                match r.operator {
                    Operator::In => have.is_some_and(|v| r.values.binary_search(v).is_ok()),
                    // NotIn also matches pods that lack the key.
                    Operator::NotIn => have.is_none_or(|v| r.values.binary_search(v).is_err()),
                    Operator::Exists => have.is_some(),
                    Operator::DoesNotExist => have.is_none(),
                }
            })
    }

    /// `app=web,tier in (a,b)`, the way kubectl prints selectors.
    pub fn describe(&self) -> String {
        if self.is_empty() {
            return "{} (everything)".to_string();
        }
        let mut parts: Vec<String> = self
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.requirements {
            parts.push(match r.operator {
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        parts.join(",")
    }
}

fn parse_requirement(item: &Node, i: usize) -> Result<Requirement, String> {
    let at = format!("matchExpressions[{i}]");
    if item.as_map().is_none() {
        return Err(format!("`{at}` must be a mapping"));
    }
    let key = item
        .get("key")
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| format!("`{at}.key` must be a non-empty string"))?;
    let op_text = item.get("operator").and_then(Node::as_str).unwrap_or("");
    let operator = match op_text {
        "In" => Operator::In,
        "NotIn" => Operator::NotIn,
        "Exists" => Operator::Exists,
        "DoesNotExist" => Operator::DoesNotExist,
        other => {
            return Err(format!(
                "`{at}.operator` \"{other}\" is not one of In, NotIn, Exists, DoesNotExist"
            ))
        }
    };
    let mut values = Vec::new();
    if let Some(list) = item.get("values").filter(|n| !n.is_null()) {
        let list = list
            .as_seq()
            .ok_or_else(|| format!("`{at}.values` must be a list"))?;
        for v in list {
            let v = v.as_str().ok_or_else(|| {
                format!("`{at}.values` must hold strings, found {}", v.type_name())
            })?;
            values.push(v.to_string());
        }
    }
    match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            return Err(format!(
                "`{at}`: operator {op_text} needs at least one value"
            ))
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            return Err(format!("`{at}`: operator {op_text} takes no values"))
        }
        _ => {}
    }
    values.sort();
    values.dedup();
    Ok(Requirement {
        key: key.to_string(),
        operator,
        values,
    })
}

/// An inverted index of the workloads' labels: for each key, the workloads
/// carrying it, and for each value, those carrying that exact pair. Posting
/// lists rather than bitsets keep memory proportional to the labels.
#[derive(Debug, Default)]
pub(crate) struct LabelIndex {
    keys: HashMap<String, KeyPostings>,
}

#[derive(Debug, Default)]
struct KeyPostings {
    all: Vec<u32>,
    values: HashMap<String, Vec<u32>>,
}

impl LabelIndex {
    pub(crate) fn add(&mut self, item: u32, labels: &Labels) {
        for (k, v) in labels {
            let postings = self.keys.entry(k.clone()).or_default();
            postings.all.push(item);
            postings.values.entry(v.clone()).or_default().push(item);
        }
    }

    /// The items of `universe` that `selector` matches.
    pub(crate) fn select(&self, selector: &Selector, universe: &Bitset) -> Bitset {
        let mut out = universe.clone();
        let empty: &[u32] = &[];
        let pair = |k: &str, v: &str| -> &[u32] {
            self.keys
                .get(k)
                .and_then(|p| p.values.get(v))
                .map_or(empty, Vec::as_slice)
        };
        for (k, v) in &selector.labels {
            keep_only(&mut out, pair(k, v));
            if out.is_empty() {
                return out;
            }
        }
        for r in &selector.requirements {
            match r.operator {
                Operator::In => {
                    let mut any = Bitset::new(universe.len());
                    for v in &r.values {
                        for &i in pair(&r.key, v) {
                            any.set(i as usize);
                        }
                    }
                    out.and_assign(&any);
                }
                Operator::NotIn => {
                    for v in &r.values {
                        for &i in pair(&r.key, v) {
                            out.clear(i as usize);
                        }
                    }
                }
                Operator::Exists => {
                    let all = self.keys.get(&r.key).map_or(empty, |p| p.all.as_slice());
                    keep_only(&mut out, all);
                }
                Operator::DoesNotExist => {
                    let all = self.keys.get(&r.key).map_or(empty, |p| p.all.as_slice());
                    for &i in all {
                        out.clear(i as usize);
                    }
                }
            }
        }
        out
    }
}

/// Intersect `set` with a posting list.
fn keep_only(set: &mut Bitset, postings: &[u32]) {
    let mut kept = Bitset::new(set.len());
    for &i in postings {
        if set.get(i as usize) {
            kept.set(i as usize);
        }
    }
    *set = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::Node;

    fn sel(json: serde_json::Value) -> Result<Selector, String> {
        Selector::parse(&Node::from_json(&json, 1))
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_selector_matches_everything() {
        let s = sel(serde_json::json!({})).unwrap_or_default();
        assert!(s.is_empty());
        assert!(s.matches(&labels(&[])));
        assert!(s.matches(&labels(&[("a", "b")])));
        let null = Selector::parse(Node::null());
        assert_eq!(null, Ok(Selector::default()));
    }

    #[test]
    fn operators_follow_kubernetes() {
        let s = sel(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "staging"]}
        ]}))
        .unwrap_or_default();
        assert!(s.matches(&labels(&[("env", "prod")])));
        assert!(!s.matches(&labels(&[("env", "dev")])));
        assert!(!s.matches(&labels(&[])));

        let s = sel(serde_json::json!({"matchExpressions": [
            {"key": "env", "operator": "NotIn", "values": ["prod"]}
        ]}))
        .unwrap_or_default();
        assert!(s.matches(&labels(&[])), "NotIn matches an absent key");
        assert!(s.matches(&labels(&[("env", "dev")])));
        assert!(!s.matches(&labels(&[("env", "prod")])));

        let s =
            sel(serde_json::json!({"matchExpressions": [{"key": "team", "operator": "Exists"}]}))
                .unwrap_or_default();
        assert!(s.matches(&labels(&[("team", "")])));
        assert!(!s.matches(&labels(&[("x", "y")])));

        let s = sel(
            serde_json::json!({"matchExpressions": [{"key": "team", "operator": "DoesNotExist"}]}),
        )
        .unwrap_or_default();
        assert!(!s.matches(&labels(&[("team", "a")])));
        assert!(s.matches(&labels(&[])));
    }

    #[test]
    fn match_labels_and_expressions_are_anded() {
        let s = sel(serde_json::json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]
        }))
        .unwrap_or_default();
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "a")])));
        assert!(!s.matches(&labels(&[("app", "web")])));
        assert!(!s.matches(&labels(&[("tier", "a")])));
        assert_eq!(s.describe(), "app=web,tier in (a)");
    }

    #[test]
    fn invalid_selectors_are_rejected() {
        for bad in [
            serde_json::json!({"matchLabels": {"a": 1}}),
            serde_json::json!({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]}),
            serde_json::json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
            serde_json::json!({"matchExpressions": [{"key": "a", "operator": "In"}]}),
            serde_json::json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["b"]}]}),
            serde_json::json!({"matchExpressions": [{"operator": "Exists"}]}),
            serde_json::json!(["a"]),
        ] {
            assert!(sel(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn index_agrees_with_direct_matching() {
        let sets = [
            labels(&[("app", "web"), ("env", "prod")]),
            labels(&[("app", "db")]),
            labels(&[("env", "dev"), ("team", "x")]),
            labels(&[]),
        ];
        let mut index = LabelIndex::default();
        for (i, l) in sets.iter().enumerate() {
            index.add(i as u32, l);
        }
        let selectors = [
            serde_json::json!({}),
            serde_json::json!({"matchLabels": {"app": "web"}}),
            serde_json::json!({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}),
            serde_json::json!({"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}]}),
            serde_json::json!({"matchExpressions": [{"key": "team", "operator": "Exists"}]}),
            serde_json::json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}),
        ];
        let universe = Bitset::full(sets.len());
        for json in selectors {
            let s = sel(json.clone()).unwrap_or_default();
            let got = index.select(&s, &universe);
            for (i, l) in sets.iter().enumerate() {
                assert_eq!(got.get(i), s.matches(l), "{json} on {i}");
            }
        }
    }
}
