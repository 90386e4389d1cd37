//! Dates as precise as an article allows: a year, a month, a day, or a range.
//!
//! ```
//! use dispute_bot::knowledge::FuzzyDate;
//! let d: FuzzyDate = "2024-02-24..2024-02-28".parse().unwrap();
//! assert_eq!(d.to_string(), "24–28 February 2024");
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

/// A date or range of dates, written `2024`, `2024-07`, `2024-07-23` or `START..END`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    /// Where it starts.
    pub start: DatePoint,
    /// Where it ends; equal to `start` for a single date.
    pub end: DatePoint,
}

impl FuzzyDate {
    /// The first day the date can mean.
    pub fn first_day(&self) -> NaiveDate {
        self.start.first
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
    #[error("`{0}` is not a date: write 2024, 2024-07, 2024-07-23 or a range such as 2024-02-24..2024-02-28")]
    Shape(String),
    /// The shape is right but the day does not exist.
    #[error("`{0}` is not a day of the calendar")]
    NoSuchDay(String),
    /// A range whose end comes before its start.
    #[error("the range `{0}` ends before it starts: put the earlier date first")]
    Backwards(String),
}

fn parse_point(text: &str) -> Result<DatePoint, DateError> {
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
            Precision::Month => write!(f, "{} {}", month_name(d.month()), d.year()),
            Precision::Day => write!(f, "{} {} {}", d.day(), month_name(d.month()), d.year()),
        }
    }
}

impl fmt::Display for FuzzyDate {
    /// Written as a reader would: "23 July 2024", "July 2024", "24–28 February 2024".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        if s == e {
            return write!(f, "{s}");
        }
        let same_month = s.first.year() == e.first.year() && s.first.month() == e.first.month();
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
            Precision::Month => p.first.format("%Y-%m").to_string(),
            Precision::Day => p.first.format("%Y-%m-%d").to_string(),
        };
        if self.is_range() {
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
            ("2023-01..2023-03", "January 2023 to March 2023"),
        ] {
            assert_eq!(input.parse::<FuzzyDate>().unwrap().to_string(), shown);
        }
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
