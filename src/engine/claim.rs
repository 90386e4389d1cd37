//! Claims to check: a question that states a number and asks to have it
//! confirmed ("they'd only done eight rounds, right?", "junior doctors are
//! 10% of doctors, yeah?").
//!
//! One rule: the claim is checked against the figure that best answers the
//! rest of the question, when it has the claim's unit; a number that figure's
//! answer does not give is corrected, "No, not 8: ...", with the figure cited.
//! A number the answer does give is left to the ordinary answer, which states it.

use super::{compare, entities, ground, normalise, Answer, Engine, FactRef, Kind, Reading};
use crate::knowledge::{AnswerKind, Qualifier, Unit};
use regex::Regex;
use std::sync::OnceLock;

/// A number the question states as a fact.
#[derive(Debug, Clone, PartialEq)]
struct Claimed {
    /// Its value.
    value: f64,
    /// Whether it is a percentage.
    percent: bool,
    /// Its search term ("8" for "eight").
    term: String,
    /// The word it counts ("strikes" in "8 strikes"; "doctors" in "10% of doctors").
    noun: Option<String>,
    /// Whether it is a share "of" something.
    of: bool,
}

/// How many of the best matches are tried for a figure of what is claimed.
const CANDIDATES: usize = 8;

/// How far, as a share of the claim, a rough figure may be from it and still agree.
const ROUGH_SHARE: f64 = 0.2;

/// Words after a number that make it a length, which claims do not check.
const LENGTH_WORDS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years",
];

/// Search terms of measures that are a share of something.
const SHARE_TERMS: &[&str] = &["share", "proport", "fraction", "percentag"];

impl Engine {
    /// "No, not N: ..." when a question asks to confirm a number the articles
    /// contradict; `None` for every other question.
    pub(super) fn claim_answer(&self, question: &str, reading: &Reading) -> Option<Answer> {
        if !asks_to_confirm(&reading.cleaned) {
            return None;
        }
        let claimed = claimed_number(&reading.cleaned)?;
        // The claimed number is what is checked, not a word to search by.
        let mut rest = reading.clone();
        rest.terms.retain(|t| *t != claimed.term);
        let fitting: Vec<FactRef> = self
            .rank(&rest, &[Kind::Figure, Kind::Event], &[])
            .into_iter()
            .take(CANDIDATES)
            .map(|h| self.index.facts[h.doc].fact)
            .filter(|&f| self.measures(f, &claimed, &rest.terms))
            .collect();
        // A claim the question does not date is about the latest the articles give.
        let mut fitting = fitting;
        if claimed.noun.as_deref().map(normalise::term) == Some(normalise::term("strikes")) {
            let last = self
                .knowledge
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.ordinal.is_some())
                .max_by_key(|(_, e)| e.ordinal);
            // The count of strikes so far is the number of the last one.
            if reading.when.is_empty() {
                fitting.splice(0..0, last.map(|(i, _)| FactRef::Event(i)));
            }
        }
        let fact = *fitting.first()?;
        let answer = self.state(AnswerKind::Figure, &[fact]);
        // A figure the articles give only roughly ("nearly half") is not
        // contradicted by a claim near it.
        let (given, tolerance) = match fact {
            FactRef::Figure(i) => {
                let f = &self.knowledge.figures[i];
                let rough = f.qualifier != Qualifier::Exact;
                (
                    f.value,
                    if rough {
                        ROUGH_SHARE * f.value.abs()
                    } else {
                        0.5
                    },
                )
            }
            FactRef::Event(i) => (f64::from(self.knowledge.events[i].ordinal?), 0.5),
            _ => return None,
        };
        if (given - claimed.value).abs() <= tolerance {
            return None;
        }
        let shown = if claimed.percent {
            format!("{}%", claimed.term)
        } else {
            compare::number(claimed.value)
        };
        let mut corrected = answer;
        corrected.text = format!("No, not {shown}: {}", corrected.text);
        corrected.question = question.to_string();
        Some(corrected)
    }
}

impl Engine {
    /// Whether a fact gives a number of what is claimed: a figure of the
    /// claim's unit whose measure names the claim's noun (a share, for "N% of
    /// X"), or a numbered strike for a number of strikes.
    fn measures(&self, fact: FactRef, claimed: &Claimed, rest_terms: &[String]) -> bool {
        let noun = claimed.noun.as_deref().map(normalise::term);
        match fact {
            FactRef::Figure(i) => {
                let f = &self.knowledge.figures[i];
                let measure = normalise::clean(&f.measure);
                let head = normalise::terms(&ground::measure_head(&measure));
                if claimed.percent {
                    // "N% of X": a share whose measure names X; "N%": a
                    // percentage whose measure shares a word with the question.
                    let of_what = normalise::terms(&measure);
                    let share = head.iter().any(|t| SHARE_TERMS.contains(&t.as_str()));
                    let named = if claimed.of {
                        share && noun.as_ref().is_some_and(|n| of_what.contains(n))
                    } else {
                        rest_terms.iter().any(|t| of_what.contains(t))
                    };
                    f.unit == Unit::Percent && named
                } else {
                    // "N strikes": a count whose head is strikes.
                    matches!(f.unit, Unit::Count | Unit::Ordinal)
                        && noun.as_ref().is_some_and(|n| head.contains(n))
                }
            }
            FactRef::Event(i) => {
                !claimed.percent
                    && self.knowledge.events[i].ordinal.is_some()
                    && noun.is_some_and(|n| n == normalise::term("strikes"))
            }
            _ => false,
        }
    }
}

/// Whether a question asks to have what it says confirmed: "..., right?",
/// "didn't they?", "is it true that ...".
fn asks_to_confirm(cleaned: &str) -> bool {
    static CONFIRM: OnceLock<Regex> = OnceLock::new();
    let re = CONFIRM.get_or_init(|| {
        Regex::new(concat!(
            r"(?:\b(?:right|yeah|yea|yh|innit|correct|true)\W*$)",
            r"|\b(?:is|was|did|does|do|are|were|have|has|had) not (?:they|he|she|it|we|you|there)\W*$",
            r"|^(?:so )?(?:is it true|it is true|am i right|correct me)\b",
        ))
        .expect("valid confirm pattern")
    });
    re.is_match(cleaned)
}

/// The one number a question states, if it states exactly one that is neither
/// a year, a position ("12th") nor part of a date or pay year ("23/24").
fn claimed_number(cleaned: &str) -> Option<Claimed> {
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let (digits, percent_sign) = match word.strip_suffix('%') {
            Some(d) => (d, true),
            None => (*word, false),
        };
        let term = normalise::term(digits);
        let Ok(value) = term.parse::<f64>() else {
            continue;
        };
        let is_year = (1990.0..2100.0).contains(&value) && term.len() == 4;
        let next = words.get(i + 1).copied().unwrap_or("");
        let previous = i.checked_sub(1).map_or("", |j| words[j]);
        let is_length = LENGTH_WORDS.contains(&next.trim_start_matches('-'));
        if is_year
            || is_length
            || entities::is_month_name(next)
            || entities::is_month_name(previous)
        {
            continue;
        }
        let percent = percent_sign
            || ["%", "percent"].contains(&next)
            || (next == "per" && words.get(i + 2) == Some(&"cent"));
        let after: Vec<&str> = words[i + 1..]
            .iter()
            .copied()
            .filter(|w| !["percent", "per", "cent", "%"].contains(w))
            .collect();
        let of = percent && after.first() == Some(&"of");
        let noun = after
            .iter()
            .skip(usize::from(of))
            .find(|w| !normalise::STOPWORDS.contains(w))
            .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.to_string());
        found.push(Claimed {
            value,
            percent,
            term,
            noun,
            of,
        });
    }
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_request_to_confirm() {
        assert!(asks_to_confirm("they only did 8 strikes right"));
        assert!(asks_to_confirm("the bma wanted 35% did not they"));
        assert!(asks_to_confirm(
            "is it true that 98% voted for more strikes"
        ));
        assert!(asks_to_confirm("the deal was worth 30 percent was not it"));
        assert!(!asks_to_confirm("how many strikes have there been"));
    }

    #[test]
    fn reads_the_one_number_claimed() {
        let claimed = claimed_number("they only did 8 strikes right").expect("a number");
        assert_eq!((claimed.value, claimed.percent), (8.0, false));
        let claimed = claimed_number("junior doctors are 10% of doctors right").expect("a number");
        assert_eq!((claimed.value, claimed.percent), (10.0, true));
        assert_eq!(claimed_number("the strike in 2024 was long right"), None);
        assert_eq!(claimed_number("was it 3 days or 5 days right"), None);
    }
}
