//! Happenings recognised from their sentences: strikes (with their length
//! and number in the series), talks, meetings, offers, deals, ballots,
//! elections and announcements, each dated by the sentence's own date words.

use super::dates::{self, on_day, FoundDate};
use super::numbers::Number;
use crate::knowledge::{DateBasis, EventKind, FuzzyDate, Precision, Unit};
use chrono::Days;
use regex::Regex;
use std::sync::OnceLock;

/// An event the drafter proposes from one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedEvent {
    /// What kind of happening.
    pub kind: EventKind,
    /// When.
    pub date: FuzzyDate,
    /// Stated or inferred.
    pub basis: DateBasis,
    /// How the date was worked out.
    pub note: String,
    /// Its number in a series ("the 11th strike").
    pub ordinal: Option<u32>,
    /// Its length in days, for a strike.
    pub days: Option<u32>,
    /// What a moderator should check.
    pub doubts: Vec<String>,
}

/// The words that make a sentence report each kind, in the order they are tried.
fn kinds() -> &'static [(EventKind, Regex)] {
    static P: OnceLock<Vec<(EventKind, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: &str| Regex::new(&format!(r"(?i)\b(?:{s})\b")).expect("valid event pattern");
        vec![
            (EventKind::Ballot, r("ballot|balloted|voted")),
            (
                EventKind::Statement,
                r("in a letter|letter sent|joint statement|in a statement|interview"),
            ),
            (
                EventKind::Talks,
                r("talks|negotiations|negotiating table|mediation|mediated"),
            ),
            (
                EventKind::Meeting,
                r("meeting|(?-i:met)|spoken over the phone|phone call"),
            ),
            (EventKind::Offer, r("offer|offered")),
            (EventKind::Deal, r("deal|agreement")),
            (
                EventKind::Strike,
                r("walkout|walk-?outs?|strike|strikes|went on strike|industrial action"),
            ),
            (EventKind::Election, r("election")),
            (
                EventKind::Announcement,
                r("announced|announce|announcement"),
            ),
            (EventKind::Other, r("began|begun|started")),
        ]
    })
}

/// The event a sentence reports, if it reports one it dates, or a strike it numbers or measures.
pub fn recognise(sentence: &str, article: &FuzzyDate, numbers: &[Number]) -> Option<ProposedEvent> {
    let found: Vec<FoundDate> = dates::find(sentence, article)
        .into_iter()
        .filter(|d| d.calendar)
        .collect();
    let ordinal = numbers
        .iter()
        .find(|n| n.unit == Unit::Ordinal)
        .map(|n| n.value as u32);
    let length = numbers
        .iter()
        .find(|n| n.unit == Unit::Days)
        .map(|n| n.value as u32);
    let strike = kinds()
        .iter()
        .any(|(k, r)| *k == EventKind::Strike && r.is_match(sentence));
    let measured_strike = strike && (ordinal.is_some() || length.is_some());
    // A sentence naming no kind of happening reports none, dated or not.
    if !measured_strike && !kinds().iter().any(|(_, r)| r.is_match(sentence)) {
        return None;
    }
    let kind = if measured_strike {
        EventKind::Strike
    } else {
        // The first kind named, in the order of the table (a ballot on strikes is a ballot).
        kinds()
            .iter()
            .find(|(_, r)| r.is_match(sentence))
            .map(|(k, _)| *k)?
    };
    let mut doubts = Vec::new();
    let (mut date, basis, mut note) = match found.first() {
        Some(d) => (d.date, d.basis, d.note.clone()),
        None => {
            doubts.push("the sentence gives no date: the article's date is used".into());
            // Reported as done by an article of a known day: by that day.
            let by_day = article.precision() == Precision::Day && !article.is_range();
            let date = if by_day {
                format!("..{}", article.start.first.format("%Y-%m-%d"))
                    .parse()
                    .expect("a well-formed date")
            } else {
                *article
            };
            (
                date,
                DateBasis::Inferred,
                format!("reported in the article of {article}, which gives no date for it"),
            )
        }
    };
    // "for five full days from June 27": the strike runs from that day for its length.
    if let (Some(n), EventKind::Strike) = (length, kind) {
        if date.precision() == Precision::Day && !date.is_range() && n > 1 {
            let first = date.start.first;
            let last = first + Days::new(u64::from(n) - 1);
            date = format!("{}..{}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
                .parse()
                .expect("a well-formed range");
            note = format!(
                "{note}; {n} days from {}, so to {}",
                on_day(first),
                on_day(last)
            );
        }
    }
    if found.len() > 1 {
        doubts.push("the sentence has more than one date: check which one is the event's".into());
    }
    Some(ProposedEvent {
        kind,
        date,
        basis,
        note,
        ordinal: if kind == EventKind::Strike {
            ordinal
        } else {
            None
        },
        days: if kind == EventKind::Strike {
            length
        } else {
            None
        },
        doubts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::draft::numbers;

    #[test]
    fn recognises_dated_and_measured_events() {
        let article: FuzzyDate = "2024-07".parse().unwrap();
        type Case<'a> = (&'a str, Option<(EventKind, &'a str, Option<u32>)>);
        let cases: &[Case] = &[
            (
                "Medics went on strike for five full days from June 27.",
                Some((EventKind::Strike, "2024-06-27..2024-07-01", None)),
            ),
            (
                "The latest walkout was the 11th strike by junior doctors in 20 months.",
                Some((EventKind::Strike, "2024-07", Some(11))),
            ),
            (
                "Formal negotiations will begin on Tuesday, 23 July.",
                Some((EventKind::Talks, "2024-07-23", None)),
            ),
            ("Junior doctors want a 35% pay rise.", None),
            (
                "Talks have stalled.",
                Some((EventKind::Talks, "2024-07", None)),
            ),
        ];
        for (sentence, want) in cases {
            let numbers = numbers::find(sentence, &[]);
            let got = recognise(sentence, &article, &numbers).map(|e| (e.kind, e.date, e.ordinal));
            let want = want.map(|(k, d, o)| (k, d.parse::<FuzzyDate>().unwrap(), o));
            assert_eq!(got, want, "{sentence}");
        }
    }
}
