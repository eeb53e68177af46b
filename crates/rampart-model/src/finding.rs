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
