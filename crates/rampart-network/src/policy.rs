//! NetworkPolicy objects parsed into rules, with the API server's defaulting
//! and the validation that would make it reject the object.

use rampart_model::{Node, Object};
use serde::Serialize;

use crate::cidr::{Cidr, IpBlock};
use crate::ports::{is_valid_port_name, Protocol, RulePort, RulePortKind};
use crate::selector::Selector;
use crate::PolicyRef;

/// Traffic direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    /// The field holding the rules (`ingress`, `egress`).
    pub fn field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The `policyTypes` value (`Ingress`, `Egress`).
    pub fn policy_type(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    /// The peer list of a rule (`from`, `to`).
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// One entry of `from`/`to`.
#[derive(Debug, Clone)]
pub(crate) enum Peer {
    /// `podSelector` and/or `namespaceSelector`; `None` is "not specified".
    Pods {
        pods: Option<Selector>,
        namespaces: Option<Selector>,
    },
    Block(IpBlock),
}

/// One ingress or egress rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub index: usize,
    pub line: u32,
    /// `None` when `from`/`to` is absent or empty: every peer.
    pub peers: Option<Vec<Peer>>,
    /// Empty when `ports` is absent or empty: every port.
    pub ports: Vec<RulePort>,
}

impl Rule {
    pub(crate) fn has_named_ports(&self) -> bool {
        self.ports
            .iter()
            .any(|p| matches!(p.kind, RulePortKind::Named(_)))
    }
}

/// A NetworkPolicy as the API server would store it.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub reference: PolicyRef,
    pub namespace: String,
    pub selector: Selector,
    /// Effective `policyTypes`, after defaulting.
    pub ingress: bool,
    pub egress: bool,
    /// Whether `policyTypes` was defaulted (for explanations).
    pub defaulted_types: bool,
    pub ingress_rules: Vec<Rule>,
    pub egress_rules: Vec<Rule>,
}

impl Policy {
    pub(crate) fn applies(&self, direction: Direction) -> bool {
        match direction {
            Direction::Ingress => self.ingress,
            Direction::Egress => self.egress,
        }
    }

    pub(crate) fn rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Ingress => &self.ingress_rules,
            Direction::Egress => &self.egress_rules,
        }
    }
}

/// Whether an object is a Kubernetes NetworkPolicy (networking.k8s.io, or
/// the retired extensions/v1beta1 form with the same semantics).
pub(crate) fn is_network_policy(object: &Object) -> bool {
    object.id.kind == "NetworkPolicy"
        && matches!(object.id.group(), "networking.k8s.io" | "extensions")
}

/// A reason the API server would reject the object, with its line.
pub(crate) struct Invalid {
    pub line: u32,
    pub message: String,
}

type Parsed<T> = Result<T, Invalid>;

fn invalid(object: &Object, node: &Node, message: String) -> Invalid {
    Invalid {
        line: object.line_of(node),
        message,
    }
}

/// Parse and validate a NetworkPolicy.
pub(crate) fn parse(object: &Object, reference: PolicyRef) -> Parsed<Policy> {
    let namespace = object
        .id
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let spec = object.root.get("spec").unwrap_or(Node::null());
    if !spec.is_null() && spec.as_map().is_none() {
        return Err(invalid(object, spec, "`spec` must be a mapping".into()));
    }
    // `podSelector` is a struct, not a pointer, in the API: absent or null
    // decodes to the empty selector, which selects every pod.
    let selector_node = spec.get("podSelector").unwrap_or(Node::null());
    let selector = Selector::parse(selector_node)
        .map_err(|m| invalid(object, selector_node, format!("spec.podSelector: {m}")))?;

    let ingress_rules = parse_rules(object, spec, Direction::Ingress)?;
    let egress_rules = parse_rules(object, spec, Direction::Egress)?;

    // SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go): when
    // policyTypes is empty, Ingress always, plus Egress when the egress list
    // is non-empty. `egress: []` therefore does not make a policy egress.
    let types_node = spec.get("policyTypes").unwrap_or(Node::null());
    let mut types = Vec::new();
    if !types_node.is_null() {
        let list = types_node.as_seq().ok_or_else(|| {
            invalid(
                object,
                types_node,
                "`spec.policyTypes` must be a list".into(),
            )
        })?;
        if list.len() > 2 {
            return Err(invalid(
                object,
                types_node,
                "spec.policyTypes: may not specify more than two policyTypes".into(),
            ));
        }
        for item in list {
            match item.as_str() {
                Some("Ingress") => types.push(Direction::Ingress),
                Some("Egress") => types.push(Direction::Egress),
                _ => {
                    return Err(invalid(
                        object,
                        item,
                        "spec.policyTypes: values must be \"Ingress\" or \"Egress\"".into(),
                    ))
                }
            }
        }
    }
    let defaulted_types = types.is_empty();
    if defaulted_types {
        types.push(Direction::Ingress);
        if !egress_rules.is_empty() {
            types.push(Direction::Egress);
        }
    }
    Ok(Policy {
        reference,
        namespace,
        selector,
        ingress: types.contains(&Direction::Ingress),
        egress: types.contains(&Direction::Egress),
        defaulted_types,
        ingress_rules,
        egress_rules,
    })
}

fn parse_rules(object: &Object, spec: &Node, direction: Direction) -> Parsed<Vec<Rule>> {
    let field = direction.field();
    let Some(node) = spec.get(field).filter(|n| !n.is_null()) else {
        return Ok(Vec::new());
    };
    let items = node
        .as_seq()
        .ok_or_else(|| invalid(object, node, format!("`spec.{field}` must be a list")))?;
    let mut rules = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = format!("spec.{field}[{index}]");
        // A null element decodes to the zero rule, which admits everything.
        if !item.is_null() && item.as_map().is_none() {
            return Err(invalid(object, item, format!("`{at}` must be a mapping")));
        }
        let peers_field = direction.peers_field();
        let peers = match item.get(peers_field).filter(|n| !n.is_null()) {
            None => None,
            Some(list) => {
                let list = list.as_seq().ok_or_else(|| {
                    invalid(object, list, format!("`{at}.{peers_field}` must be a list"))
                })?;
                let mut peers = Vec::with_capacity(list.len());
                for (i, peer) in list.iter().enumerate() {
                    peers.push(parse_peer(
                        object,
                        peer,
                        &format!("{at}.{peers_field}[{i}]"),
                    )?);
                }
                (!peers.is_empty()).then_some(peers)
            }
        };
        let ports = match item.get("ports").filter(|n| !n.is_null()) {
            None => Vec::new(),
            Some(list) => {
                let list = list
                    .as_seq()
                    .ok_or_else(|| invalid(object, list, format!("`{at}.ports` must be a list")))?;
                let mut ports = Vec::with_capacity(list.len());
                for (i, port) in list.iter().enumerate() {
                    ports.push(parse_port(object, port, &format!("{at}.ports[{i}]"))?);
                }
                ports
            }
        };
        rules.push(Rule {
            index,
            line: object.line_of(item),
            peers,
            ports,
        });
    }
    Ok(rules)
}

/// `ValidateNetworkPolicyPeer`: at least one of the three, and `ipBlock`
/// alone.
fn parse_peer(object: &Object, peer: &Node, at: &str) -> Parsed<Peer> {
    if peer.as_map().is_none() {
        return Err(invalid(
            object,
            peer,
            format!("`{at}`: must specify a peer"),
        ));
    }
    let selector = |name: &str| -> Parsed<Option<Selector>> {
        match peer.get(name).filter(|n| !n.is_null()) {
            None => Ok(None),
            Some(node) => Selector::parse(node)
                .map(Some)
                .map_err(|m| invalid(object, node, format!("{at}.{name}: {m}"))),
        }
    };
    let pods = selector("podSelector")?;
    let namespaces = selector("namespaceSelector")?;
    let block = peer.get("ipBlock").filter(|n| !n.is_null());
    match (block, pods.is_some() || namespaces.is_some()) {
        (Some(_), true) => Err(invalid(
            object,
            peer,
            format!("`{at}`: may not specify both ipBlock and another peer"),
        )),
        (Some(node), false) => {
            parse_ip_block(object, node, &format!("{at}.ipBlock")).map(Peer::Block)
        }
        (None, true) => Ok(Peer::Pods { pods, namespaces }),
        (None, false) => Err(invalid(
            object,
            peer,
            format!("`{at}`: must specify a peer"),
        )),
    }
}

/// `ValidateIPBlock`: a valid `cidr`, and every `except` a strict subset.
fn parse_ip_block(object: &Object, node: &Node, at: &str) -> Parsed<IpBlock> {
    let cidr_node = node.get("cidr").unwrap_or(Node::null());
    let text = cidr_node.as_str().unwrap_or("");
    if text.is_empty() {
        return Err(invalid(object, node, format!("`{at}.cidr` is required")));
    }
    let cidr =
        Cidr::parse(text).map_err(|m| invalid(object, cidr_node, format!("{at}.cidr: {m}")))?;
    let mut except = Vec::new();
    if let Some(list) = node.get("except").filter(|n| !n.is_null()) {
        let list = list
            .as_seq()
            .ok_or_else(|| invalid(object, list, format!("`{at}.except` must be a list")))?;
        for (i, item) in list.iter().enumerate() {
            let text = item.as_str().unwrap_or("");
            let e = Cidr::parse(text)
                .map_err(|m| invalid(object, item, format!("{at}.except[{i}]: {m}")))?;
            if !(cidr.contains(&e) && e != cidr) {
                return Err(invalid(
                    object,
                    item,
                    format!("{at}.except[{i}]: `{text}` must be a strict subset of `cidr` {cidr}"),
                ));
            }
            except.push(e);
        }
    }
    Ok(IpBlock { cidr, except })
}

/// `ValidateNetworkPolicyPort` plus the TCP default of
/// `SetDefaults_NetworkPolicyPort`.
fn parse_port(object: &Object, node: &Node, at: &str) -> Parsed<RulePort> {
    if !node.is_null() && node.as_map().is_none() {
        return Err(invalid(object, node, format!("`{at}` must be a mapping")));
    }
    let protocol = match node.get("protocol").filter(|n| !n.is_null()) {
        None => Protocol::Tcp,
        Some(p) => p.as_str().and_then(Protocol::parse).ok_or_else(|| {
            invalid(
                object,
                p,
                format!("{at}.protocol: must be \"TCP\", \"UDP\" or \"SCTP\""),
            )
        })?,
    };
    let end = match node.get("endPort").filter(|n| !n.is_null()) {
        None => None,
        Some(e) => Some((
            e,
            e.as_i64()
                .ok_or_else(|| invalid(object, e, format!("{at}.endPort: must be an integer")))?,
        )),
    };
    let valid_number = |n: i64| (1..=65535).contains(&n);
    let kind = match node.get("port").filter(|n| !n.is_null()) {
        None => {
            if let Some((e, _)) = end {
                return Err(invalid(
                    object,
                    e,
                    format!("{at}.endPort: may not be specified when `port` is not specified"),
                ));
            }
            RulePortKind::Any
        }
        Some(p) => match (p.as_i64(), p.as_str()) {
            (Some(n), _) => {
                if !valid_number(n) {
                    return Err(invalid(
                        object,
                        p,
                        format!("{at}.port: {n} must be between 1 and 65535"),
                    ));
                }
                let hi = match end {
                    None => n,
                    Some((e, m)) => {
                        if !valid_number(m) || m < n {
                            return Err(invalid(
                                object,
                                e,
                                format!("{at}.endPort: {m} must be between `port` ({n}) and 65535"),
                            ));
                        }
                        m
                    }
                };
                // Both are within 1..=65535 here.
                RulePortKind::Range(n as u16, hi as u16)
            }
            (None, Some(name)) => {
                if let Some((e, _)) = end {
                    return Err(invalid(
                        object,
                        e,
                        format!("{at}.endPort: may not be specified when `port` is non-numeric"),
                    ));
                }
                if !is_valid_port_name(name) {
                    return Err(invalid(
                        object,
                        p,
                        format!(
                            "{at}.port: \"{name}\" is not a valid port name (a quoted number is a name, not a port)"
                        ),
                    ));
                }
                RulePortKind::Named(name.to_string())
            }
            _ => {
                return Err(invalid(
                    object,
                    p,
                    format!("{at}.port: must be a number or a port name"),
                ))
            }
        },
    };
    Ok(RulePort { protocol, kind })
}
