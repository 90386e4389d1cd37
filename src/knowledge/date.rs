//! Dates as precise as an article allows: a year, the early months of a year,
//! a month, a day, a range of them, or "by" a date when only the latest
//! possible date is known.
//!
//! ```
//! use dispute_bot::knowledge::FuzzyDate;
//! let d: FuzzyDate = "2024-02-24..2024-02-28".parse().unwrap();
//! assert_eq!(d.to_string(), "24–28 February 2024");
//! let early: FuzzyDate = "early 2023".parse().unwrap();
//! assert_eq!(early.phrase(), "in early 2023");
//! let by: FuzzyDate = "..2024-05-15".parse().unwrap();
//! assert_eq!(by.to_string(), "by 15 May 2024");
//! ```

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How precisely one end of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year is known.
    Year,
    /// Only "early in the year" is known: January to March, written `early 2023`.
    Early,
    /// The year and month are known.
    Month,
    /// The exact day is known.
    Day,
}

/// One point in time at some precision: `2024`, `2024-07` or `2024-07-23`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatePoint {
    /// The first day the point can mean.
    pub first: NaiveDate,
    /// How much of the date is known.
    pub precision: Precision,
}

impl DatePoint {
    /// The last day the point can mean (the end of its year or month).
    pub fn last(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => end_of_month(self.first.year(), self.first.month()),
            Precision::Early => end_of_month(self.first.year(), 3),
            Precision::Year => NaiveDate::from_ymd_opt(self.first.year(), 12, 31).expect("valid"),
        }
    }
}

fn end_of_month(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid") - chrono::Days::new(1)
}

/// The start of a date known only by its end ("by 15 May 2024"): the
/// earliest day there is, at the coarsest precision, so that it never counts
/// as inside a month or a year.
const OPEN_START: DatePoint = DatePoint {
    first: NaiveDate::MIN,
    precision: Precision::Year,
};

/// A date or range of dates, written `2024`, `early 2023`, `2024-07`,
/// `2024-07-23`, `START..END`, or `..END` when only the latest possible date
/// is known ("by 15 May 2024").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    /// Where it starts; unknown (the earliest day there is) for `..END`.
    pub start: DatePoint,
    /// Where it ends; equal to `start` for a single date.
    pub end: DatePoint,
}

impl FuzzyDate {
    /// The first day the date can mean; `NaiveDate::MIN` when only its end is known.
    pub fn first_day(&self) -> NaiveDate {
        self.start.first
    }

    /// Whether only the latest possible date is known (`..END`, "by ...").
    pub fn has_open_start(&self) -> bool {
        self.start == OPEN_START
    }

    /// Where the date stands in a list in date order: its start, or its end
    /// when the start is unknown (a "by 15 May 2024" event is listed at 15 May).
    pub fn sort_key(&self) -> (NaiveDate, NaiveDate) {
        if self.has_open_start() {
            (self.end.first, self.end.last())
        } else {
            (self.start.first, self.end.last())
        }
    }

    /// The coarsest precision of its known ends: what the date claims to know.
    pub fn precision(&self) -> Precision {
        if self.has_open_start() {
            self.end.precision
        } else {
            self.start.precision.min(self.end.precision)
        }
    }

    /// The date with the preposition a sentence needs: "on 23 July 2024",
    /// "in July 2024", "in early 2023", "by 15 May 2024", "from ... to ...".
    pub fn phrase(&self) -> String {
        let (s, e) = (self.start, self.end);
        if self.has_open_start() {
            return self.to_string();
        }
        if s == e {
            let on = if s.precision == Precision::Day {
                "on"
            } else {
                "in"
            };
            return format!("{on} {self}");
        }
        let written = self.to_string();
        if written.contains(" to ") {
            return format!("from {written}");
        }
        if s.precision == Precision::Day && e.precision == Precision::Day {
            return format!("on {written}");
        }
        format!("in {written}")
    }

    /// The last day the date can mean.
    pub fn last_day(&self) -> NaiveDate {
        self.end.last()
    }

    /// Whether the date is a range of two different points.
    pub fn is_range(&self) -> bool {
        self.start != self.end
    }

    /// Whether any day of this date falls within `from..=to`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.first_day() <= to && self.last_day() >= from
    }
}

/// Why a date string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of one of the accepted shapes.
    #[error("`{0}` is not a date: write 2024, early 2023, 2024-07, 2024-07-23, a range such as 2024-02-24..2024-02-28, or ..2024-05-15 for \"by 15 May 2024\"")]
    Shape(String),
    /// The shape is right but the day does not exist.
    #[error("`{0}` is not a day of the calendar")]
    NoSuchDay(String),
    /// A range whose end comes before its start.
    #[error("the range `{0}` ends before it starts: put the earlier date first")]
    Backwards(String),
}

fn parse_point(text: &str) -> Result<DatePoint, DateError> {
    if let Some(year) = text.trim().strip_prefix("early ") {
        let year = year.trim();
        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
            let first = NaiveDate::from_ymd_opt(year.parse().expect("digits"), 1, 1)
                .ok_or_else(|| DateError::NoSuchDay(text.to_string()))?;
            return Ok(DatePoint {
                first,
                precision: Precision::Early,
            });
        }
        return Err(DateError::Shape(text.to_string()));
    }
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str, len: usize| -> Result<u32, DateError> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| DateError::Shape(text.to_string()))
        } else {
            Err(DateError::Shape(text.to_string()))
        }
    };
    let (year, month, day, precision) = match parts.as_slice() {
        [y] => (number(y, 4)?, 1, 1, Precision::Year),
        [y, m] => (number(y, 4)?, number(m, 2)?, 1, Precision::Month),
        [y, m, d] => (number(y, 4)?, number(m, 2)?, number(d, 2)?, Precision::Day),
        _ => return Err(DateError::Shape(text.to_string())),
    };
    let first = NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| DateError::NoSuchDay(text.to_string()))?;
    Ok(DatePoint { first, precision })
}

impl FromStr for FuzzyDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.split_once("..") {
            Some((a, b)) if a.trim().is_empty() => {
                let end = parse_point(b)?;
                Ok(FuzzyDate {
                    start: OPEN_START,
                    end,
                })
            }
            Some((a, b)) => {
                let (start, end) = (parse_point(a)?, parse_point(b)?);
                if end.last() < start.first {
                    return Err(DateError::Backwards(text.to_string()));
                }
                Ok(FuzzyDate { start, end })
            }
            None => {
                let point = parse_point(text)?;
                Ok(FuzzyDate {
                    start: point,
                    end: point,
                })
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of a month, 1-based.
pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

impl fmt::Display for DatePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first;
        match self.precision {
            Precision::Year => write!(f, "{}", d.year()),
            Precision::Early => write!(f, "early {}", d.year()),
            Precision::Month => write!(f, "{} {}", month_name(d.month()), d.year()),
            Precision::Day => write!(f, "{} {} {}", d.day(), month_name(d.month()), d.year()),
        }
    }
}

impl fmt::Display for FuzzyDate {
    /// Written as a reader would: "23 July 2024", "July 2024", "early 2023",
    /// "24–28 February 2024", "July–December 2024", "by 15 May 2024".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        if self.has_open_start() {
            return write!(f, "by {e}");
        }
        if s == e {
            return write!(f, "{s}");
        }
        let same_year = s.first.year() == e.first.year();
        let same_month = same_year && s.first.month() == e.first.month();
        if s.precision == Precision::Month && e.precision == Precision::Month && same_year {
            return write!(
                f,
                "{}–{} {}",
                month_name(s.first.month()),
                month_name(e.first.month()),
                s.first.year()
            );
        }
        if s.precision == Precision::Day && e.precision == Precision::Day && same_month {
            return write!(
                f,
                "{}–{} {} {}",
                s.first.day(),
                e.first.day(),
                month_name(s.first.month()),
                s.first.year()
            );
        }
        write!(f, "{s} to {e}")
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let point = |p: DatePoint| match p.precision {
            Precision::Year => p.first.format("%Y").to_string(),
            Precision::Early => p.first.format("early %Y").to_string(),
            Precision::Month => p.first.format("%Y-%m").to_string(),
            Precision::Day => p.first.format("%Y-%m-%d").to_string(),
        };
        if self.has_open_start() {
            serializer.serialize_str(&format!("..{}", point(self.end)))
        } else if self.is_range() {
            serializer.serialize_str(&format!("{}..{}", point(self.start), point(self.end)))
        } else {
            serializer.serialize_str(&point(self.start))
        }
    }
}

impl<'de> Deserialize<'de> for FuzzyDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_precision_and_writes_it_back() {
        for (input, shown) in [
            ("2024", "2024"),
            ("2024-07", "July 2024"),
            ("2024-07-23", "23 July 2024"),
            ("2024-02-24..2024-02-28", "24–28 February 2024"),
            ("2023-01..2023-03", "January–March 2023"),
            ("2022-11..2023-03", "November 2022 to March 2023"),
            ("early 2023", "early 2023"),
            ("..2024-05-15", "by 15 May 2024"),
            ("..2024-07", "by July 2024"),
        ] {
            let date = input.parse::<FuzzyDate>().unwrap();
            assert_eq!(date.to_string(), shown);
            let written = toml::Value::try_from(date).unwrap();
            assert_eq!(written.as_str().unwrap().parse::<FuzzyDate>(), Ok(date));
        }
    }

    #[test]
    fn phrases_carry_the_right_preposition() {
        for (input, phrase) in [
            ("2024-07-23", "on 23 July 2024"),
            ("2024-07", "in July 2024"),
            ("2025", "in 2025"),
            ("early 2023", "in early 2023"),
            ("..2024-05-15", "by 15 May 2024"),
            ("2024-02-24..2024-02-28", "on 24–28 February 2024"),
            ("2024-07..2024-12", "in July–December 2024"),
            ("2022-11..2023-03", "from November 2022 to March 2023"),
            ("2024-06-27..2024-07-01", "from 27 June 2024 to 1 July 2024"),
        ] {
            assert_eq!(input.parse::<FuzzyDate>().unwrap().phrase(), phrase);
        }
    }

    #[test]
    fn early_is_january_to_march_and_coarser_than_a_month() {
        let d: FuzzyDate = "early 2023".parse().unwrap();
        assert_eq!(d.first_day(), NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
        assert_eq!(d.last_day(), NaiveDate::from_ymd_opt(2023, 3, 31).unwrap());
        assert!(d.precision() < Precision::Month && d.precision() > Precision::Year);
    }

    #[test]
    fn a_date_known_by_its_end_sorts_at_its_end() {
        let d: FuzzyDate = "..2024-05-15".parse().unwrap();
        assert!(d.has_open_start());
        assert_eq!(
            d.sort_key().0,
            NaiveDate::from_ymd_opt(2024, 5, 15).unwrap()
        );
        assert_eq!(d.precision(), Precision::Day);
        assert!(d.overlaps(
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()
        ));
    }

    #[test]
    fn refuses_impossible_and_backwards_dates() {
        assert!(matches!(
            "2024-02-30".parse::<FuzzyDate>(),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            "24 July".parse::<FuzzyDate>(),
            Err(DateError::Shape(_))
        ));
        assert!(matches!(
            "2024-03..2024-02".parse::<FuzzyDate>(),
            Err(DateError::Backwards(_))
        ));
    }

    #[test]
    fn a_month_covers_all_its_days() {
        let d: FuzzyDate = "2024-02".parse().unwrap();
        assert_eq!(d.last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    }
}
