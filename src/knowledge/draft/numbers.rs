//! Numbers in a sentence, with their unit and qualifier as the article
//! writes them: "more than 175,000", "nearly 1.5 million", "£3bn", "35.3%",
//! "a quarter", "five full days", "three-day", "the 11th", "twelfth".
//!
//! ```
//! use dispute_bot::knowledge::draft::numbers::find;
//! use dispute_bot::knowledge::{Qualifier, Unit};
//! let n = &find("It has cost an estimated £3bn.", &[])[0];
//! assert_eq!((n.value, n.unit, n.qualifier), (3e9, Unit::Gbp, Qualifier::Estimated));
//! assert_eq!(n.display, "an estimated £3bn");
//! ```

use crate::engine::normalise::ORDINAL_WORDS;
use crate::knowledge::{Qualifier, Unit};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// A number found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// Its value in its unit (pounds, not billions; 25 for "a quarter").
    pub value: f64,
    /// What it counts.
    pub unit: Unit,
    /// How exact the article says it is.
    pub qualifier: Qualifier,
    /// As written, qualifier included: a slice of the sentence.
    pub display: String,
    /// The bytes of `display` in the sentence.
    pub range: Range<usize>,
}

const WORDS: [(&str, f64); 20] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
];

/// The words before a number that qualify it, longest first.
const QUALIFIERS: [(&str, Qualifier); 14] = [
    ("an estimated", Qualifier::Estimated),
    ("estimated", Qualifier::Estimated),
    ("more than", Qualifier::MoreThan),
    ("as low as", Qualifier::AsLowAs),
    ("up to", Qualifier::UpTo),
    ("nearly", Qualifier::Nearly),
    ("almost", Qualifier::Nearly),
    ("about", Qualifier::About),
    ("around", Qualifier::About),
    ("roughly", Qualifier::About),
    ("approximately", Qualifier::About),
    ("over", Qualifier::Over),
    ("some", Qualifier::Some),
    ("at least", Qualifier::MoreThan),
];

/// Words after an ordinal that make it a number in a series.
const SERIES: [&str; 6] = ["strike", "strikes", "walkout", "round", "since", "time"];

fn pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        let words = WORDS.map(|(w, _)| w).join("|");
        let ordinals = ORDINAL_WORDS.join("|");
        Regex::new(&format!(
            r"(?ix)
            (?P<cur>£)?
            (?:
              (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
              (?P<pair>/\d{{2}})?
              (?P<ord>st|nd|rd|th)?
              (?P<scale>\s?(?:million|billion|bn|thousand)\b|m\b)?
            | \b(?P<word>{words})\b
            | \b(?P<ordword>{ordinals})\b
            | \b(?P<frac>a\ quarter|a\ third|half|a\ year|a\ month|a\ week)\b
            )
            (?P<pct>%|\ per\ ?cent\b)?
            (?P<unit>-day|-week|-month|-year|\ full\ days\b|\ days?\b|\ weeks?\b|\ months?\b|\ years?\b)?"
        ))
        .expect("valid number pattern")
    })
}

/// Every number in a sentence that is not part of a date in `dates`
/// (byte ranges of the sentence, from [`dates::find`](super::dates::find)).
pub fn find(sentence: &str, dates: &[Range<usize>]) -> Vec<Number> {
    let mut out = Vec::new();
    for c in pattern().captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if dates.iter().any(|d| d.start < m.end() && m.start() < d.end) {
            continue;
        }
        let before = &sentence[..m.start()];
        let after = &sentence[m.end()..];
        let prev_char = before.chars().next_back();
        if c.name("digits").is_some()
            && prev_char.is_some_and(|p| p.is_alphanumeric() || p == '-' || p == '.' || p == '/')
        {
            continue;
        }
        if after.starts_with(['-', '/']) && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        // "40mm", "5G": a number run into a word is a measurement or a name, not a figure of ours.
        if m.as_str().ends_with(|ch: char| ch.is_ascii_digit())
            && after.starts_with(|ch: char| ch.is_alphabetic())
        {
            continue;
        }
        let next_word = after
            .trim_start()
            .split(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let unit_text = c.name("unit").map(|u| u.as_str().trim().to_lowercase());
        let time_unit = unit_text.as_deref().map(|u| {
            if u.contains("day") {
                Unit::Days
            } else if u.contains("week") {
                Unit::Weeks
            } else if u.contains("month") {
                Unit::Months
            } else {
                Unit::Years
            }
        });
        let qualifier = QUALIFIERS.iter().find(|(words, _)| {
            let b = before.trim_end().to_lowercase();
            b.ends_with(words)
                && b[..b.len() - words.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|ch| !ch.is_alphanumeric())
        });
        let (value, unit) = if let Some(d) = c.name("digits") {
            let mut value: f64 = d.as_str().replace(',', "").parse().unwrap_or(f64::NAN);
            let scale = c.name("scale").map(|s| s.as_str().trim().to_lowercase());
            match scale.as_deref() {
                Some("million" | "m") => value *= 1e6,
                Some("billion" | "bn") => value *= 1e9,
                Some("thousand") => value *= 1e3,
                _ => {}
            }
            let plain = scale.is_none() && c.name("pct").is_none() && c.name("cur").is_none();
            if let Some(pair) = c.name("pair") {
                // "23/24" is a financial year; "2008/09" is a date, not a figure.
                let second: f64 = pair.as_str()[1..].parse().unwrap_or(-1.0);
                if d.as_str().len() != 2 || second != value + 1.0 || !plain {
                    continue;
                }
                (2000.0 + value, Unit::Year)
            } else if c.name("ord").is_some() {
                if !SERIES.contains(&next_word.as_str()) {
                    continue;
                }
                (value, Unit::Ordinal)
            } else if c.name("pct").is_some() {
                (value, Unit::Percent)
            } else if c.name("cur").is_some() {
                (value, Unit::Gbp)
            } else if let Some(unit) = time_unit {
                (value, unit)
            } else if plain && d.as_str().len() == 4 && (1900.0..2100.0).contains(&value) {
                // A year is a figure only as a level ("2008 levels", "2008 equivalent salaries").
                let follows = after.starts_with(' ')
                    && after[1..].starts_with(|ch: char| ch.is_lowercase())
                    && !["and", "to", "the", "when", "was", "is", "in", "on", "that"]
                        .contains(&next_word.as_str());
                if !follows {
                    continue;
                }
                (value, Unit::Year)
            } else {
                let capital_before = before
                    .trim_end()
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.starts_with(|ch: char| ch.is_uppercase()))
                    && !before.trim().is_empty()
                    && qualifier.is_none();
                if plain && value < 100.0 && capital_before {
                    // "Radio 4", "Covid 19": part of a name.
                    continue;
                }
                (value, Unit::Count)
            }
        } else if let Some(w) = c.name("word") {
            // A number in words counts only with its unit ("five full days", "two years").
            let (Some(unit), false) = (time_unit, c.name("pct").is_some()) else {
                continue;
            };
            let value = WORDS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(w.as_str()))
                .map_or(f64::NAN, |(_, v)| *v);
            (value, unit)
        } else if let Some(o) = c.name("ordword") {
            if !SERIES.contains(&next_word.as_str()) {
                continue;
            }
            let n = ORDINAL_WORDS
                .iter()
                .position(|name| name.eq_ignore_ascii_case(o.as_str()))
                .unwrap_or(0);
            ((n + 1) as f64, Unit::Ordinal)
        } else if let Some(f) = c.name("frac") {
            let text = f.as_str().to_lowercase();
            // "a year" or "half" alone is too common to be a figure: only qualified ones count.
            let qualified = qualifier.is_some() || (text == "half" && next_word == "of");
            if !qualified || c.name("unit").is_some() {
                continue;
            }
            match text.as_str() {
                "a quarter" => (25.0, Unit::Percent),
                "a third" => (33.3, Unit::Percent),
                "half" => (50.0, Unit::Percent),
                "a year" => (1.0, Unit::Years),
                "a month" => (1.0, Unit::Months),
                _ => (1.0, Unit::Weeks),
            }
        } else {
            continue;
        };
        if !value.is_finite() {
            continue;
        }
        let start = qualifier.map_or(m.start(), |(words, _)| {
            let b = before.trim_end();
            b.len() - words.len()
        });
        let end = m.end();
        out.push(Number {
            value,
            unit,
            qualifier: qualifier.map_or(Qualifier::Exact, |(_, q)| *q),
            display: sentence[start..end].to_string(),
            range: start..end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line per case: the sentence, then each number's value, unit, qualifier and display.
    #[test]
    fn numbers_with_their_units_and_qualifiers() {
        use Qualifier::*;
        use Unit::*;
        type Want<'a> = (f64, Unit, Qualifier, &'a str);
        let cases: &[(&str, &[Want])] = &[
            (
                "More than 175,000 appointments were postponed.",
                &[(175000.0, Count, MoreThan, "More than 175,000")],
            ),
            (
                "nearly 1.5 million appointments",
                &[(1.5e6, Count, Nearly, "nearly 1.5 million")],
            ),
            (
                "About 1.5 million appointments",
                &[(1.5e6, Count, About, "About 1.5 million")],
            ),
            (
                "an estimated £3bn.",
                &[(3e9, Gbp, Estimated, "an estimated £3bn")],
            ),
            (
                "of more than £3 billion.",
                &[(3e9, Gbp, MoreThan, "more than £3 billion")],
            ),
            (
                "cut by more than a quarter over the last 15 years",
                &[
                    (25.0, Percent, MoreThan, "more than a quarter"),
                    (15.0, Years, Exact, "15 years"),
                ],
            ),
            (
                "nearly half of the workforce",
                &[(50.0, Percent, Nearly, "nearly half")],
            ),
            (
                "would require a 35.3% pay rise",
                &[(35.3, Percent, Exact, "35.3%")],
            ),
            (
                "went on strike for five full days from June 27",
                &[(5.0, Days, Exact, "five full days")],
            ),
            (
                "during the three-day strike",
                &[(3.0, Days, Exact, "three-day")],
            ),
            ("a 20-month row", &[(20.0, Months, Exact, "20-month")]),
            (
                "the 11th strike by junior doctors",
                &[(11.0, Ordinal, Exact, "11th")],
            ),
            (
                "was the twelfth since early 2023 and the first under Labour",
                &[(12.0, Ordinal, Exact, "twelfth")],
            ),
            (
                "a credible pay offer for 23/24",
                &[(2023.0, Year, Exact, "23/24")],
            ),
            (
                "2008 equivalent salaries, since 2008/09",
                &[(2008.0, Year, Exact, "2008")],
            ),
            (
                "for more than a year",
                &[(1.0, Years, MoreThan, "more than a year")],
            ),
            ("on BBC Radio 4’s Today programme", &[]),
            ("one of the biggest barriers over the past year", &[]),
            (
                "some 1,424,269 appointments",
                &[(1424269.0, Count, Some, "some 1,424,269")],
            ),
            (
                "as low as 50%.",
                &[(50.0, Percent, AsLowAs, "as low as 50%")],
            ),
        ];
        for (sentence, want) in cases {
            let got: Vec<(f64, Unit, Qualifier, String)> = find(sentence, &[])
                .into_iter()
                .map(|n| (n.value, n.unit, n.qualifier, n.display))
                .collect();
            let want: Vec<(f64, Unit, Qualifier, String)> = want
                .iter()
                .map(|(v, u, q, d)| (*v, *u, *q, d.to_string()))
                .collect();
            assert_eq!(got, want, "{sentence}");
        }
    }

    #[test]
    fn numbers_inside_dates_are_not_figures() {
        let s = "formal negotiations will begin on Tuesday, 23 July.";
        let at = s.find("23 July").unwrap();
        let date = at..at + 7;
        assert!(find(s, std::slice::from_ref(&date)).is_empty());
    }
}
