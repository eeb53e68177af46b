//! Findings and the vocabulary they use: severities and areas.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::object::{Location, ResourceRef};

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity `{s}` (expected critical, high, medium, low or info)")
            })
    }
}

/// The areas of Kubernetes security; slugs are stable (output, docs, report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    CloudConfig,
    Network,
    Admission,
    Runtime,
    ThirdParty,
    Monitoring,
    Quotas,
    Identity,
    Workload,
    LandingZone,
    Day2,
    AttackPaths,
    Fleet,
}

impl Area {
    pub const ALL: [Area; 13] = [
        Area::CloudConfig,
        Area::Network,
        Area::Admission,
        Area::Runtime,
        Area::ThirdParty,
        Area::Monitoring,
        Area::Quotas,
        Area::Identity,
        Area::Workload,
        Area::LandingZone,
        Area::Day2,
        Area::AttackPaths,
        Area::Fleet,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Area::CloudConfig => "cloud-config",
            Area::Network => "network",
            Area::Admission => "admission",
            Area::Runtime => "runtime",
            Area::ThirdParty => "third-party",
            Area::Monitoring => "monitoring",
            Area::Quotas => "quotas",
            Area::Identity => "identity",
            Area::Workload => "workload",
            Area::LandingZone => "landing-zone",
            Area::Day2 => "day2",
            Area::AttackPaths => "attack-paths",
            Area::Fleet => "fleet",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for Area {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::ALL
            .into_iter()
            .find(|a| a.slug() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Area::ALL.iter().map(|a| a.slug()).collect();
                format!("unknown area `{s}` (expected one of: {})", all.join(", "))
            })
    }
}

/// Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    Baseline,
    Restricted,
}

impl PssLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

/// The Pod Security Standards control a check implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PssRef {
    pub level: PssLevel,
    /// The official control name, e.g. "Privileged Containers".
    pub control: &'static str,
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `config`, `waiver` or `annotation`.
    pub by: &'static str,
    pub reason: String,
}

/// One thing found wrong with one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub resource: ResourceRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Field path inside the object, such as
    /// `spec.template.spec.containers[0].securityContext.privileged`.
    pub path: String,
    pub location: Location,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<PssRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// The order of [`Finding::sort_key`], comparing shared strings (the
    /// file, the check id) by address first: a large scan sorts hundreds of
    /// thousands of findings that mostly share both.
    pub fn cmp_key(&self, other: &Finding) -> std::cmp::Ordering {
        fn text(a: &str, b: &str) -> std::cmp::Ordering {
            if std::ptr::eq(a, b) {
                std::cmp::Ordering::Equal
            } else {
                a.cmp(b)
            }
        }
        text(&self.location.file, &other.location.file)
            .then(self.location.line.cmp(&other.location.line))
            .then_with(|| text(self.check, other.check))
            .then_with(|| self.resource.name.cmp(&other.resource.name))
            .then_with(|| self.container.cmp(&other.container))
    }

    /// Sort key: file, line, check; stable output whatever the order of analysis.
    pub fn sort_key(&self) -> (&str, u32, &str, &str, Option<&str>) {
        (
            &self.location.file,
            self.location.line,
            self.check,
            &self.resource.name,
            self.container.as_deref(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_comparison_orders_as_the_sort_key() {
        let file_a: std::sync::Arc<str> = "a.yaml".into();
        let make =
            |file: &std::sync::Arc<str>, line, check, name: &str, container: Option<&str>| {
                Finding {
                    check,
                    severity: Severity::Low,
                    area: Area::Workload,
                    resource: ResourceRef {
                        api_version: "v1".into(),
                        kind: "Pod".into(),
                        namespace: None,
                        name: name.into(),
                    },
                    container: container.map(str::to_string),
                    path: String::new(),
                    location: Location {
                        file: file.clone(),
                        line,
                    },
                    message: String::new(),
                    pss: None,
                    suppressed: None,
                }
            };
        let other_a: std::sync::Arc<str> = "a.yaml".into();
        let b: std::sync::Arc<str> = "b.yaml".into();
        let all = [
            make(&file_a, 3, "x", "n", None),
            make(&other_a, 3, "x", "n", Some("c")),
            make(&b, 1, "a", "n", None),
            make(&file_a, 2, "y", "m", None),
            make(&other_a, 2, "x", "z", None),
            make(&file_a, 2, "x", "a", Some("b")),
        ];
        for x in &all {
            for y in &all {
                assert_eq!(x.cmp_key(y), x.sort_key().cmp(&y.sort_key()));
            }
        }
    }
}
