//! IPv4/IPv6 CIDR ranges and `ipBlock` evaluation.
//!
//! Written here rather than taken from a crate because NetworkPolicy needs
//! three small things: the API server's parsing (Go's sloppy IPv4 form with
//! leading zeros is accepted, host bits are masked as the network plugins
//! do), containment for the `except` validation, and "does this block admit
//! some address of that range", which `cidr` minus `except` answers with an
//! interval sweep.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A CIDR range; the address is stored with host bits cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    v6: bool,
    addr: u128,
    prefix: u8,
}

impl Cidr {
    /// Parse `a.b.c.d/n` or `x::y/n` the way the API server does
    /// (`netutils.ParseCIDRSloppy`): IPv4 octets may have leading zeros, and
    /// host bits are allowed and ignored.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let bad = || format!("`{text}` is not a valid CIDR (e.g. 10.0.0.0/8)");
        let (ip, prefix) = text.split_once('/').ok_or_else(bad)?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || prefix.len() > 3 {
            return Err(bad());
        }
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        let ip = parse_ip(ip).ok_or_else(bad)?;
        let cidr = Cidr::host(ip);
        if prefix > cidr.width() {
            return Err(bad());
        }
        Ok(Cidr {
            prefix,
            addr: cidr.addr & mask(cidr.width(), prefix),
            ..cidr
        })
    }

    /// The single-address range of `ip`.
    pub fn host(ip: IpAddr) -> Cidr {
        match ip {
            IpAddr::V4(v4) => Cidr {
                v6: false,
                addr: u128::from(u32::from(v4)),
                prefix: 32,
            },
            IpAddr::V6(v6) => Cidr {
                v6: true,
                addr: u128::from(v6),
                prefix: 128,
            },
        }
    }

    pub fn is_v6(&self) -> bool {
        self.v6
    }

    fn width(&self) -> u8 {
        if self.v6 {
            128
        } else {
            32
        }
    }

    fn first(&self) -> u128 {
        self.addr
    }

    fn last(&self) -> u128 {
        self.addr | (!mask(self.width(), self.prefix) & family_max(self.v6))
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Cidr) -> bool {
        self.v6 == other.v6
            && self.prefix <= other.prefix
            && other.addr & mask(self.width(), self.prefix) == self.addr
    }

    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        self.contains(&Cidr::host(ip))
    }

    /// Whether the two ranges share an address (CIDR ranges either nest or
    /// are disjoint).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    fn ip(v6: bool, addr: u128) -> IpAddr {
        if v6 {
            IpAddr::V6(Ipv6Addr::from(addr))
        } else {
            // The address came from a u32, so it fits.
            IpAddr::V4(Ipv4Addr::from(addr as u32))
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Cidr::ip(self.v6, self.addr), self.prefix)
    }
}

fn family_max(v6: bool) -> u128 {
    if v6 {
        u128::MAX
    } else {
        u128::from(u32::MAX)
    }
}

/// The network mask of a prefix within a family of `width` bits.
fn mask(width: u8, prefix: u8) -> u128 {
    let all = family_max(width == 128);
    let host_bits = width.saturating_sub(prefix);
    if prefix == 0 {
        0
    } else if host_bits == 0 {
        all
    } else {
        all & !((1u128 << host_bits) - 1)
    }
}

/// An IP address as the API server reads one: IPv4 octets may carry leading
/// zeros (read as decimal), IPv6 in any standard form.
fn parse_ip(text: &str) -> Option<IpAddr> {
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// A NetworkPolicy `ipBlock`: `cidr` minus the `except` ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IpBlock {
    pub cidr: Cidr,
    pub except: Vec<Cidr>,
}

impl IpBlock {
    /// An address of `range` that the block admits (inside `cidr`, outside
    /// every `except`), or `None` when it admits none of them.
    pub fn admits_some(&self, range: &Cidr) -> Option<IpAddr> {
        if !self.cidr.overlaps(range) {
            return None;
        }
        // Nested or equal: the intersection is the narrower range.
        let inter = if self.cidr.prefix >= range.prefix {
            self.cidr
        } else {
            *range
        };
        let mut holes: Vec<(u128, u128)> = self
            .except
            .iter()
            .filter(|e| e.overlaps(&inter))
            .map(|e| (e.first().max(inter.first()), e.last().min(inter.last())))
            .collect();
        holes.sort_unstable();
        let mut cursor = inter.first();
        for (start, end) in holes {
            if start > cursor {
                return Some(Cidr::ip(inter.v6, cursor));
            }
            match end.checked_add(1) {
                Some(next) => cursor = cursor.max(next),
                None => return None,
            }
        }
        (cursor <= inter.last()).then(|| Cidr::ip(inter.v6, cursor))
    }

    /// Whether the block admits this exact address.
    pub fn admits(&self, ip: IpAddr) -> bool {
        self.admits_some(&Cidr::host(ip)).is_some()
    }
}

impl fmt::Display for IpBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.cidr)?;
        if !self.except.is_empty() {
            let except: Vec<String> = self.except.iter().map(Cidr::to_string).collect();
            write!(f, " except {}", except.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Cidr {
        Cidr::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parses_and_masks() {
        assert_eq!(c("10.1.2.3/8").to_string(), "10.0.0.0/8");
        assert_eq!(c("0.0.0.0/0").to_string(), "0.0.0.0/0");
        assert_eq!(c("169.254.169.254/32").to_string(), "169.254.169.254/32");
        assert_eq!(c("010.000.0.1/8").to_string(), "10.0.0.0/8");
        assert_eq!(c("fd00:ec2::254/128").to_string(), "fd00:ec2::254/128");
        assert_eq!(c("2001:db8::1/32").to_string(), "2001:db8::/32");
        assert_eq!(c("::/0").to_string(), "::/0");
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.256/8",
            "::/129",
            "x/8",
            "1.2.3.4/",
            "1.2.3.4/-1",
            "",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn containment() {
        assert!(c("10.0.0.0/8").contains(&c("10.20.0.0/16")));
        assert!(!c("10.20.0.0/16").contains(&c("10.0.0.0/8")));
        assert!(c("0.0.0.0/0").contains_ip(ip("8.8.8.8")));
        assert!(!c("0.0.0.0/0").contains_ip(ip("2001:4860:4860::8888")));
        assert!(c("::/0").contains_ip(ip("fd00:ec2::254")));
        assert!(c("172.16.0.0/12").contains_ip(ip("172.31.255.255")));
        assert!(!c("172.16.0.0/12").contains_ip(ip("172.32.0.0")));
        assert!(c("1.2.3.4/32").contains_ip(ip("1.2.3.4")));
        assert!(!c("1.2.3.4/32").contains_ip(ip("1.2.3.5")));
        assert!(c("10.0.0.0/8").overlaps(&c("10.1.0.0/16")));
        assert!(!c("10.0.0.0/8").overlaps(&c("11.0.0.0/8")));
    }

    #[test]
    fn except_carves_holes() {
        let block = IpBlock {
            cidr: c("0.0.0.0/0"),
            except: vec![c("169.254.169.254/32"), c("10.0.0.0/8")],
        };
        assert!(block.admits(ip("8.8.8.8")));
        assert!(!block.admits(ip("169.254.169.254")));
        assert!(!block.admits(ip("10.1.2.3")));
        assert!(block.admits(ip("169.254.169.253")));
        assert_eq!(block.admits_some(&c("10.0.0.0/8")), None);
        assert_eq!(
            block.admits_some(&c("172.16.0.0/12")),
            Some(ip("172.16.0.0"))
        );
        // Holes that together cover the range.
        let split = IpBlock {
            cidr: c("10.0.0.0/8"),
            except: vec![c("10.0.0.0/9"), c("10.128.0.0/9")],
        };
        assert_eq!(split.admits_some(&c("10.0.0.0/8")), None);
        let partial = IpBlock {
            cidr: c("10.0.0.0/8"),
            except: vec![c("10.0.0.0/9")],
        };
        assert_eq!(
            partial.admits_some(&c("10.0.0.0/8")),
            Some(ip("10.128.0.0"))
        );
        // A narrower block inside a wide range admits part of it.
        let narrow = IpBlock {
            cidr: c("10.20.0.0/16"),
            except: vec![],
        };
        assert_eq!(narrow.admits_some(&c("10.0.0.0/8")), Some(ip("10.20.0.0")));
    }

    #[test]
    fn ipv6_blocks() {
        let block = IpBlock {
            cidr: c("::/0"),
            except: vec![c("fd00:ec2::254/128")],
        };
        assert!(block.admits(ip("2001:4860:4860::8888")));
        assert!(!block.admits(ip("fd00:ec2::254")));
        assert!(!block.admits(ip("8.8.8.8")));
        let all = IpBlock {
            cidr: c("::/0"),
            except: vec![c("::/1"), c("8000::/1")],
        };
        assert_eq!(all.admits_some(&c("::/0")), None);
    }
}
