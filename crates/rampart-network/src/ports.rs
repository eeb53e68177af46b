//! Protocols, container ports, the ports of a rule, and sets of
//! (protocol, port range) used to intersect what each side allows.

use std::fmt;

use serde::Serialize;

/// A NetworkPolicy protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// The API spelling (`TCP`, `UDP`, `SCTP`); the API is case-sensitive.
    pub fn parse(text: &str) -> Option<Protocol> {
        match text {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A port a container declares (`containerPort`, optional `name`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
}

/// A port in a query: a number, or a name resolved on the destination's
/// container ports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

/// The port of a reachability question.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PortQuery {
    pub protocol: Protocol,
    pub port: PortRef,
}

impl PortQuery {
    pub fn tcp(port: u16) -> PortQuery {
        PortQuery {
            protocol: Protocol::Tcp,
            port: PortRef::Number(port),
        }
    }

    pub fn udp(port: u16) -> PortQuery {
        PortQuery {
            protocol: Protocol::Udp,
            port: PortRef::Number(port),
        }
    }

    pub fn named(protocol: Protocol, name: &str) -> PortQuery {
        PortQuery {
            protocol,
            port: PortRef::Name(name.to_string()),
        }
    }

    /// `80`, `80/tcp`, `udp/53`, `53/UDP`, `http`, `tcp/http`: the protocol
    /// defaults to TCP, as it does in a policy.
    pub fn parse(text: &str) -> Result<PortQuery, String> {
        let text = text.trim();
        let (protocol, port) = match text.split_once('/') {
            None => (Protocol::Tcp, text),
            Some((a, b)) => match (protocol_word(a), protocol_word(b)) {
                (Some(p), _) => (p, b),
                (None, Some(p)) => (p, a),
                (None, None) => {
                    return Err(format!(
                        "`{text}`: expected PORT, PORT/PROTOCOL or PROTOCOL/PORT with protocol tcp, udp or sctp"
                    ))
                }
            },
        };
        if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            return match port.parse::<u16>() {
                Ok(n) if n > 0 => Ok(PortQuery {
                    protocol,
                    port: PortRef::Number(n),
                }),
                _ => Err(format!("`{port}` is not a port number between 1 and 65535")),
            };
        }
        if !is_valid_port_name(port) {
            return Err(format!(
                "`{port}` is neither a port number nor a valid port name"
            ));
        }
        Ok(PortQuery::named(protocol, port))
    }
}

fn protocol_word(text: &str) -> Option<Protocol> {
    Protocol::parse(&text.to_ascii_uppercase())
}

impl fmt::Display for PortQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.port {
            PortRef::Number(n) => write!(f, "{} {n}", self.protocol),
            PortRef::Name(name) => write!(f, "{} {name}", self.protocol),
        }
    }
}

/// `IsValidPortName`: an IANA service name, 1 to 15 lowercase letters, digits
/// and dashes, at least one letter, no leading, trailing or double dash.
pub fn is_valid_port_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 15
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

/// What one entry of a rule's `ports` admits, before named ports are
/// resolved on a destination.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RulePortKind {
    /// No `port`: every port of the protocol.
    Any,
    /// `port` (and `endPort`): a numeric range, inclusive.
    Range(u16, u16),
    /// A named port, resolved on the destination pod's container ports.
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RulePort {
    pub protocol: Protocol,
    pub kind: RulePortKind,
}

impl fmt::Display for RulePort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RulePortKind::Any => write!(f, "{} any port", self.protocol),
            RulePortKind::Range(a, b) if a == b => write!(f, "{} {a}", self.protocol),
            RulePortKind::Range(a, b) => write!(f, "{} {a}-{b}", self.protocol),
            RulePortKind::Named(name) => write!(f, "{} {name}", self.protocol),
        }
    }
}

/// A set of (protocol, inclusive port range), kept sorted and merged so that
/// equal sets compare equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PortSet {
    ranges: Vec<(Protocol, u16, u16)>,
}

impl PortSet {
    pub(crate) fn all() -> PortSet {
        PortSet {
            ranges: Protocol::ALL.iter().map(|p| (*p, 1, u16::MAX)).collect(),
        }
    }

    #[cfg(test)]
    pub(crate) fn single(protocol: Protocol, port: u16) -> PortSet {
        PortSet {
            ranges: vec![(protocol, port, port)],
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub(crate) fn is_all(&self) -> bool {
        *self == PortSet::all()
    }

    /// The ports of a rule on a destination whose container ports are
    /// `dest_ports` (`None` when the destination is not a pod, where named
    /// ports resolve to nothing). An empty `ports` list admits everything.
    pub(crate) fn of_rule(ports: &[RulePort], dest_ports: Option<&[ContainerPort]>) -> PortSet {
        if ports.is_empty() {
            return PortSet::all();
        }
        let mut ranges = Vec::with_capacity(ports.len());
        for p in ports {
            match &p.kind {
                RulePortKind::Any => ranges.push((p.protocol, 1, u16::MAX)),
                RulePortKind::Range(a, b) => ranges.push((p.protocol, *a, *b)),
                RulePortKind::Named(name) => {
                    for c in dest_ports.unwrap_or(&[]) {
                        if c.protocol == p.protocol && c.name.as_deref() == Some(name.as_str()) {
                            ranges.push((c.protocol, c.port, c.port));
                        }
                    }
                }
            }
        }
        PortSet::from_ranges(ranges)
    }

    fn from_ranges(mut ranges: Vec<(Protocol, u16, u16)>) -> PortSet {
        ranges.sort_unstable();
        let mut merged: Vec<(Protocol, u16, u16)> = Vec::with_capacity(ranges.len());
        for (p, a, b) in ranges {
            match merged.last_mut() {
                Some((lp, _, lb)) if *lp == p && u32::from(a) <= u32::from(*lb) + 1 => {
                    *lb = (*lb).max(b);
                }
                _ => merged.push((p, a, b)),
            }
        }
        PortSet { ranges: merged }
    }

    pub(crate) fn union_with(&mut self, other: &PortSet) {
        if other.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.ranges);
        all.extend_from_slice(&other.ranges);
        *self = PortSet::from_ranges(all);
    }

    pub(crate) fn contains(&self, protocol: Protocol, port: u16) -> bool {
        self.ranges
            .iter()
            .any(|(p, a, b)| *p == protocol && (*a..=*b).contains(&port))
    }

    /// The lowest (protocol, port) in both sets, if any.
    pub(crate) fn first_common(&self, other: &PortSet) -> Option<(Protocol, u16)> {
        let mut best: Option<(Protocol, u16)> = None;
        for (p, a, b) in &self.ranges {
            for (q, c, d) in &other.ranges {
                if p == q && a.max(c) <= b.min(d) {
                    let candidate = (*p, *a.max(c));
                    if best.is_none_or(|x| candidate < x) {
                        best = Some(candidate);
                    }
                }
            }
        }
        best
    }

    pub(crate) fn intersects(&self, other: &PortSet) -> bool {
        // Both lists are sorted by (protocol, start): a merge walk.
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (p, a, b) = self.ranges[i];
            let (q, c, d) = other.ranges[j];
            if p == q && a.max(c) <= b.min(d) {
                return true;
            }
            if (p, b) < (q, d) {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }
}

impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all ports");
        }
        if self.is_empty() {
            return f.write_str("no port");
        }
        let parts: Vec<String> = self
            .ranges
            .iter()
            .map(|&(p, a, b)| match (a, b) {
                (1, u16::MAX) => format!("{p} any port"),
                _ if a == b => format!("{p} {a}"),
                _ => format!("{p} {a}-{b}"),
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parsing() {
        assert_eq!(PortQuery::parse("80"), Ok(PortQuery::tcp(80)));
        assert_eq!(PortQuery::parse("53/udp"), Ok(PortQuery::udp(53)));
        assert_eq!(PortQuery::parse("UDP/53"), Ok(PortQuery::udp(53)));
        assert_eq!(
            PortQuery::parse("http"),
            Ok(PortQuery::named(Protocol::Tcp, "http"))
        );
        assert!(PortQuery::parse("0").is_err());
        assert!(PortQuery::parse("70000").is_err());
        assert!(PortQuery::parse("icmp/1").is_err());
        assert!(PortQuery::parse("Http").is_err());
    }

    #[test]
    fn port_names() {
        assert!(is_valid_port_name("http"));
        assert!(is_valid_port_name("dns-tcp"));
        assert!(is_valid_port_name("h2c"));
        assert!(!is_valid_port_name("80"));
        assert!(!is_valid_port_name("-http"));
        assert!(!is_valid_port_name("a--b"));
        assert!(!is_valid_port_name("this-name-is-too-long"));
    }

    #[test]
    fn sets_merge_and_intersect() {
        let a = PortSet::from_ranges(vec![
            (Protocol::Tcp, 80, 80),
            (Protocol::Tcp, 81, 90),
            (Protocol::Udp, 53, 53),
        ]);
        assert_eq!(a.to_string(), "TCP 80-90, UDP 53");
        let b = PortSet::single(Protocol::Tcp, 85);
        assert!(a.intersects(&b));
        assert_eq!(a.first_common(&b), Some((Protocol::Tcp, 85)));
        assert!(!a.intersects(&PortSet::single(Protocol::Sctp, 85)));
        assert!(a.intersects(&PortSet::all()));
        assert!(PortSet::of_rule(&[], None).is_all());
        let named = [RulePort {
            protocol: Protocol::Tcp,
            kind: RulePortKind::Named("http".into()),
        }];
        assert!(PortSet::of_rule(&named, None).is_empty());
        let ports = [ContainerPort {
            name: Some("http".into()),
            port: 8080,
            protocol: Protocol::Tcp,
        }];
        assert_eq!(
            PortSet::of_rule(&named, Some(&ports)),
            PortSet::single(Protocol::Tcp, 8080)
        );
        let any = [
            RulePort {
                protocol: Protocol::Tcp,
                kind: RulePortKind::Any,
            },
            RulePort {
                protocol: Protocol::Udp,
                kind: RulePortKind::Any,
            },
            RulePort {
                protocol: Protocol::Sctp,
                kind: RulePortKind::Any,
            },
        ];
        assert!(PortSet::of_rule(&any, None).is_all());
    }
}
