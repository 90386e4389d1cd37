//! The two sides of a question that relates two things: "A or B", "A than
//! B", "between A and B", "from A to B", "was A before B".
//!
//! A question is split at its connector, and each side is resolved on its own
//! to an event of the knowledge (by the engine's usual ranking, with the
//! dates, ordinals and people the side names) and to the time it points at.
//! A side that names only a number or a date ("the 11th", "the June one")
//! borrows the kind of event the other side names ("strike").
//!
//! ```text
//! "which strike was longer, the one under Barclay or the one from 27 June?"
//!   left:  "which strike was longer the one under barclay"  -> the three-day strike
//!   right: "the one from 27 june strike"                     -> the strike of 27 June 2024
//! ```

use super::entities::When;
use super::{Engine, Kind, Reading};
use crate::knowledge::{EventKind, FuzzyDate};
use regex::Regex;
use std::sync::OnceLock;

/// The lowest ranking score at which a side counts as naming an event.
const MIN_SIDE_SCORE: f32 = 3.0;

/// Words for kinds of event, and the kind each names.
pub(super) const KIND_WORDS: &[(&str, EventKind)] = &[
    ("strike", EventKind::Strike),
    ("talks", EventKind::Talks),
    ("meeting", EventKind::Meeting),
    ("ballot", EventKind::Ballot),
    ("offer", EventKind::Offer),
    ("deal", EventKind::Deal),
    ("election", EventKind::Election),
];

/// Words meaning "at the time of the newest article".
const NOW_WORDS: &[&str] = &["now", "currently", "today", "still", "present", "nowadays"];

/// How the two sides of a question are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Joint {
    /// "A or B", "A than B", "A vs B", "compare A with B", "A and B".
    Pair,
    /// "between A and B": what lies strictly between.
    Between,
    /// "from A to B": both ends included.
    FromTo,
    /// "was A before B?"
    Before,
    /// "was A after B?"
    After,
}

/// One side of a two-sided question.
pub(super) struct Side {
    /// Its words, cleaned, as split from the question (with any borrowed kind word).
    pub text: String,
    /// The side read on its own: its terms, dates, ordinals, people.
    pub reading: Reading,
    /// The event it names, if one ranks well enough.
    pub event: Option<usize>,
    /// The time it points at: its event's date, or a date it names.
    pub date: Option<FuzzyDate>,
    /// Whether it names only a time ("2024", "December 2022", "now"), not an event.
    pub only_time: bool,
}

impl Side {
    /// The time it stands for when asking who held a role: a date it names
    /// ("2024" of "the co-chairs in 2024"), else its event's date.
    pub fn time(&self) -> Option<FuzzyDate> {
        named_date(&self.reading.when).or(self.date)
    }
}

/// The connectors, each as a pattern over the cleaned question.
fn joints() -> &'static [(Joint, Regex); 5] {
    static RE: OnceLock<[(Joint, Regex); 5]> = OnceLock::new();
    RE.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid");
        [
            (Joint::Between, re(r"^(?P<head>.*?)\bbetween (?P<a>.+?) and (?P<b>.+)$")),
            (
                Joint::FromTo,
                re(r"^(?P<head>.*?)\b(?:from|since|starting with) (?P<a>.+?) (?:up to|up until|right up to|to|until|till|through) (?P<b>.+)$"),
            ),
            (
                Joint::Before,
                re(r"^(?P<head>(?:was|were|did|had|is|does|do) )(?P<a>.+?) (?:before|earlier than|prior to|ahead of) (?P<b>.+)$"),
            ),
            (
                Joint::After,
                re(r"^(?P<head>(?:was|were|did|had|is|does|do) )(?P<a>.+?) (?:after|later than|following) (?P<b>.+)$"),
            ),
            (
                Joint::Pair,
                re(r"^(?P<head>)(?P<a>.+?) (?P<via>than|or|versus|vs|against|compared with|compared to|compare with|compare to|in comparison with|in comparison to) (?P<b>.+)$"),
            ),
        ]
    })
}

/// A question split at its connector.
pub(super) struct Split {
    /// How the sides are joined.
    pub joint: Joint,
    /// The connector's words ("than", "or", "compared with").
    pub via: String,
    /// The first side, with the words before it.
    pub a: String,
    /// The second side.
    pub b: String,
}

/// Splits a cleaned question at the first connector of the allowed kinds.
pub(super) fn split(cleaned: &str, allowed: &[Joint]) -> Option<Split> {
    for (joint, re) in joints() {
        if !allowed.contains(joint) {
            continue;
        }
        if let Some(c) = re.captures(cleaned) {
            let a = format!("{}{}", &c["head"], &c["a"]).trim().to_string();
            let b = c["b"].trim().to_string();
            let via = c.name("via").map_or("", |m| m.as_str()).to_string();
            if !a.is_empty() && !b.is_empty() {
                return Some(Split {
                    joint: *joint,
                    via,
                    a,
                    b,
                });
            }
        }
    }
    None
}

/// "A and B" for questions that relate two things without another connector
/// ("were the 11th and 12th strikes the same length?").
pub(super) fn split_at_and(cleaned: &str) -> Option<(String, String)> {
    let (a, b) = cleaned.split_once(" and ")?;
    (!a.is_empty() && !b.is_empty()).then(|| (a.to_string(), b.to_string()))
}

impl Engine {
    /// Reads both sides of a split question and resolves each. A side that
    /// names no kind of event but a number, date or "one" borrows the kind the
    /// other side names.
    pub(super) fn sides(&self, a: &str, b: &str) -> (Side, Side) {
        let (a, b) = (&amounts_spelt_out(a), &amounts_spelt_out(b));
        let kind_a = kind_word_in(a);
        let kind_b = kind_word_in(b);
        let a = borrow_kind(a, kind_a.or(kind_b));
        let b = borrow_kind(b, kind_b.or(kind_a));
        (self.side(&a), self.side(&b))
    }

    /// Resolves one side: the event it names (of the kind it names, if any)
    /// and the time it points at.
    pub(super) fn side(&self, text: &str) -> Side {
        let reading = self.read(text);
        let now = text.split(' ').any(|w| NOW_WORDS.contains(&w));
        let has_content = reading.terms.iter().any(|t| !is_time_term(t))
            || !reading.people.is_empty()
            || reading.when.ordinal.is_some();
        let named_date = named_date(&reading.when).or_else(|| now.then(|| self.newest_date()));
        let only_time = !has_content && named_date.is_some()
            || (now && kind_word_in(text).is_none() && reading.people.is_empty());
        let event = if only_time {
            None
        } else {
            self.side_event(text, &reading)
        };
        let date = if only_time {
            named_date
        } else {
            event.map(|e| self.knowledge.events[e].date).or(named_date)
        };
        Side {
            text: text.to_string(),
            reading,
            event,
            date,
            only_time,
        }
    }

    /// The event a side names: the change of government when it speaks of
    /// one, else the best-ranked event (or event of a figure) of its kind.
    fn side_event(&self, text: &str, reading: &Reading) -> Option<usize> {
        let k = &self.knowledge;
        // "Labour coming in", "once Labour took office": the election.
        let as_time = When::find(&format!("when {text}"));
        if as_time.around_election.is_some() && kind_word_in(text).is_none() {
            if let Some(e) = k.events.iter().position(|e| e.kind == EventKind::Election) {
                return Some(e);
            }
        }
        let kind = kind_word_in(text).map(|w| {
            KIND_WORDS
                .iter()
                .find(|(word, _)| *word == w)
                .map(|(_, kind)| *kind)
                .expect("a kind word")
        });
        // Before/after words inside a side ("the first strike after the
        // election") are part of its name, not a relation to rank by.
        let mut plain = self.read(text);
        plain.anchor = None;
        // "The first strike under Labour": the words after "first" say which
        // one; "first" alone would pick the earliest strike of all.
        let extremes =
            ["first", "last", "latest", "earliest", "recent"].map(super::normalise::term);
        let qualified = plain.terms.iter().any(|t| {
            !is_time_term(t)
                && !extremes.contains(t)
                && !KIND_WORDS
                    .iter()
                    .any(|(w, _)| super::normalise::term(w) == *t)
        });
        if qualified {
            plain.when.earliest = false;
            plain.when.latest = false;
        }
        let hits = self.rank(&plain, &[Kind::Event, Kind::Figure], &[]);
        let anchor = reading.anchor;
        hits.into_iter()
            .filter(|h| h.score >= MIN_SIDE_SCORE)
            .filter_map(|h| self.index.facts[h.doc].event)
            .filter(|&e| kind.is_none_or(|kind| k.events[e].kind == kind))
            .find(|&e| {
                anchor.is_none_or(|a| {
                    let d = k.events[e].date;
                    match a.relation {
                        super::entities::Relation::After => d.last_day() >= a.date.first_day(),
                        super::entities::Relation::Before => d.first_day() <= a.date.last_day(),
                    }
                })
            })
    }

    /// The date of the newest article: what "now" means to the bot.
    pub(super) fn newest_date(&self) -> FuzzyDate {
        self.knowledge
            .sources
            .iter()
            .map(|s| s.date)
            .max_by_key(|d| (d.last_day(), d.first_day()))
            .unwrap_or_else(|| "2025".parse().expect("a date"))
    }
}

/// The first word for a kind of event a text uses ("strike", "talks"), folded.
/// Whether a text names a kind of event ("the talks", "the strike").
pub(super) fn names_a_kind(text: &str) -> bool {
    kind_word_in(text).is_some()
}

fn kind_word_in(text: &str) -> Option<&'static str> {
    let terms = super::normalise::terms(text);
    KIND_WORDS
        .iter()
        .map(|(w, _)| *w)
        .find(|w| terms.iter().any(|t| t == &super::normalise::term(w)))
}

/// A side naming only a number or date gets the other side's kind of event
/// ("the 11th" → "the 11th strike"; "the June one" → "the June one strike").
fn borrow_kind(text: &str, kind: Option<&str>) -> String {
    let only_time = super::normalise::terms(text)
        .iter()
        .all(|t| is_time_term(t));
    match (kind_word_in(text), kind) {
        (None, Some(kind)) if only_time => format!("{text} {kind}"),
        _ => text.to_string(),
    }
}

/// "175k" as the articles write it, "175000"; "1.5m" as "1.5 million".
fn amounts_spelt_out(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let number =
                |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            match (w.strip_suffix('k'), w.strip_suffix('m')) {
                (Some(n), _) if number(n) => n.parse::<f64>().map_or(w.to_string(), |x| {
                    format!("{}", (x * 1000.0).round() as u64)
                }),
                (_, Some(n)) if number(n) => format!("{n} million"),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a term only says when: a number, a year, a month.
fn is_time_term(t: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    t.bytes().all(|b| b.is_ascii_digit())
        || MONTHS.iter().any(|m| super::normalise::term(m) == t)
        || t.strip_suffix("th")
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// The date a side names by month or year alone ("December 2022", "2024").
fn named_date(when: &When) -> Option<FuzzyDate> {
    if let Some(m) = when.months.first() {
        let year = m.year.or(when.years.first().copied())?;
        return match m.day {
            Some(d) => format!("{year}-{:02}-{d:02}", m.month).parse().ok(),
            None => format!("{year}-{:02}", m.month).parse().ok(),
        };
    }
    when.years.first().and_then(|y| y.to_string().parse().ok())
}
