//! The user's configuration (`.rampart.yaml`): disabled checks, the registry
//! allow-list and waivers.

use std::sync::Arc;

/// A calendar date (`YYYY-MM-DD`), enough for waiver expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// The date `days` days after 1970-01-01 (proleptic Gregorian).
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil-from-days algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A waiver: one check silenced for matching resources, with a reason and
/// usually an expiry date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub check: String,
    /// `None` matches any kind / namespace / name.
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub reason: String,
    pub expires: Option<Date>,
    /// Where the waiver is written.
    pub file: Arc<str>,
    pub line: u32,
}

/// The configuration in force for a scan.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub file: Option<Arc<str>>,
    /// Checks whose findings are reported as suppressed.
    pub disable: Vec<String>,
    /// Image prefixes allowed (`registries.allow`); empty means no allow-list.
    pub registries_allow: Vec<String>,
    pub waivers: Vec<Waiver>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_convert() {
        assert_eq!(
            Date::from_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Date::from_days(20_784),
            Date {
                year: 2026,
                month: 11,
                day: 27
            }
        );
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert!(Date::parse("2026-01-02") > Date::parse("2025-12-31"));
    }
}
