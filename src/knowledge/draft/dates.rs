//! Dates in an article's sentences, absolute ("Tuesday, 23 July", "December
//! 2022") and relative ("on Thursday", "last week", "next Tuesday", "this
//! year", "over 150 days ago"), resolved against the article's date. A
//! resolved date is never more precise than the article's date allows, and
//! every one not written in full says how it was worked out.
//!
//! ```
//! use dispute_bot::knowledge::draft::dates::resolve;
//! let article = "2025-06-18".parse().unwrap(); // a Wednesday
//! let found = resolve("a meeting on Thursday", &article).unwrap();
//! assert_eq!(found.date.to_string(), "12 June 2025");
//! ```

use crate::knowledge::{month_name, DateBasis, FuzzyDate, Precision};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// A date found in a sentence and resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    /// Its bytes in the sentence.
    pub range: Range<usize>,
    /// The date, as precise as the text and the article's date allow.
    pub date: FuzzyDate,
    /// Stated when the words give the whole date, else inferred.
    pub basis: DateBasis,
    /// How it was worked out, quoting the words.
    pub note: String,
    /// True for a calendar date ("23 July"), false for a span of time
    /// counted back ("over 150 days ago"), whose number is also a figure.
    pub calendar: bool,
}

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

struct Patterns {
    iso: Regex,
    day_month: Regex,
    month_day: Regex,
    month_year: Regex,
    early_year: Regex,
    year: Regex,
    in_month: Regex,
    near: Regex,
    weekday: Regex,
    period: Regex,
    ago: Regex,
    before: Regex,
    future: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: String| Regex::new(&s).expect("valid date pattern");
        Patterns {
            iso: r(r"\b(\d{4})-(\d{2})-(\d{2})\b".into()),
            day_month: r(format!(
                r"(?:\b({WEEKDAYS}),?\s+)?\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\b(?:,?\s+(\d{{4}})\b)?"
            )),
            month_day: r(format!(
                r"\b({MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(?:to|-|–)\s+(\d{{1,2}})\b)?(?:,?\s+(\d{{4}})\b)?"
            )),
            month_year: r(format!(r"\b({MONTHS})\s+(\d{{4}})\b")),
            early_year: r(r"(?i)\b(early|late)\s+(\d{4})\b".into()),
            year: r(r"(?i)\b(?:in|since|during|of)\s+((?:19|20)\d{2})\b(?:[^/\-\d]|$)".into()),
            in_month: r(format!(r"\b(?:in|since|during|of)\s+({MONTHS})\b")),
            near: r(r"(?i)\b(today|yesterday|tomorrow)\b".into()),
            weekday: r(format!(
                r"(?i)\b(?:(on|last|next|this|by|from|until)\s+)?({WEEKDAYS})(?:\s+(morning|afternoon|evening|night))?\b"
            )),
            period: r(r"(?i)\b(?:(early|late)\s+)?(last|this|next)\s+(week|month|year)\b".into()),
            ago: r(r"(?i)\b(?:(over|more than|nearly|about|some|almost)\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(days?|weeks?|months?|years?)\s+ago\b".into()),
            before: r(r"(?i)\b(previously|while in opposition|over the past (?:year|month|week)|in the past|has said|have said)\b".into()),
            future: r(r"(?i)\b(will|next|upcoming|expected|due to|is to|are to|shall|set to)\b".into()),
        }
    })
}

/// Whether a word is the name of a month ("March", "june").
pub fn is_month(word: &str) -> bool {
    (1..=12).any(|m| {
        month_name(m).eq_ignore_ascii_case(word.trim_matches(|c: char| !c.is_alphabetic()))
    })
}

fn month_number(name: &str) -> u32 {
    (1..=12)
        .find(|&m| month_name(m).eq_ignore_ascii_case(name))
        .unwrap_or(1)
}

fn weekday(name: &str) -> Weekday {
    name.parse().unwrap_or(Weekday::Mon)
}

fn word_number(word: &str) -> Option<u64> {
    let words = [
        "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    word.parse().ok().or_else(|| {
        words
            .iter()
            .position(|w| w.eq_ignore_ascii_case(word))
            .map(|i| i.max(1) as u64)
    })
}

fn parse(text: &str) -> FuzzyDate {
    text.parse()
        .expect("a date the drafter writes is well formed")
}

/// A day as a date.
pub fn on_day(day: NaiveDate) -> FuzzyDate {
    parse(&day.format("%Y-%m-%d").to_string())
}

fn days(from: NaiveDate, to: NaiveDate) -> FuzzyDate {
    if from == to {
        on_day(from)
    } else {
        parse(&format!(
            "{}..{}",
            from.format("%Y-%m-%d"),
            to.format("%Y-%m-%d")
        ))
    }
}

fn by(date: FuzzyDate) -> FuzzyDate {
    if date.has_open_start() {
        return date;
    }
    let end = date.end;
    let text = match end.precision {
        Precision::Day => end.first.format("%Y-%m-%d").to_string(),
        Precision::Month => end.first.format("%Y-%m").to_string(),
        Precision::Early => format!("{}-03", end.first.year()),
        Precision::Year => end.first.format("%Y").to_string(),
    };
    parse(&format!("..{text}"))
}

/// The coarsest single point (day, month or year) that covers both days,
/// or the two months when they are in different years.
fn covering(lo: NaiveDate, hi: NaiveDate) -> FuzzyDate {
    if lo == hi {
        on_day(lo)
    } else if (lo.year(), lo.month()) == (hi.year(), hi.month()) {
        parse(&lo.format("%Y-%m").to_string())
    } else if lo.year() == hi.year() {
        parse(&lo.format("%Y").to_string())
    } else {
        parse(&format!("{}..{}", lo.format("%Y-%m"), hi.format("%Y-%m")))
    }
}

/// The day of the article, when its date is that precise.
fn article_day(article: &FuzzyDate) -> Option<NaiveDate> {
    (!article.is_range() && !article.has_open_start() && article.precision() == Precision::Day)
        .then_some(article.start.first)
}

/// The year of the article, when it has one year.
fn article_year(article: &FuzzyDate) -> i32 {
    if article.has_open_start() {
        article.end.first.year()
    } else {
        article.start.first.year()
    }
}

fn coarse(article: &FuzzyDate, phrase: &str, range: Range<usize>) -> FoundDate {
    FoundDate {
        range,
        date: *article,
        basis: DateBasis::Inferred,
        note: format!(
            "'{phrase}' in the article, which is dated only {}: no more precise than that",
            article.phrase()
        ),
        calendar: true,
    }
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(day.weekday().num_days_from_monday() as u64)
}

/// Every date in a sentence, in order, none overlapping.
pub fn find(sentence: &str, article: &FuzzyDate) -> Vec<FoundDate> {
    let p = patterns();
    let year = article_year(article);
    let future = p.future.is_match(sentence);
    let mut found: Vec<FoundDate> = Vec::new();
    let push = |found: &mut Vec<FoundDate>, f: FoundDate| {
        if !found
            .iter()
            .any(|g| g.range.start < f.range.end && f.range.start < g.range.end)
        {
            found.push(f);
        }
    };
    let inferred = |range: Range<usize>, date: FuzzyDate, note: String| FoundDate {
        range,
        date,
        basis: DateBasis::Inferred,
        note,
        calendar: true,
    };
    let stated = |range: Range<usize>, date: FuzzyDate, phrase: &str| FoundDate {
        range,
        date,
        basis: DateBasis::Stated,
        note: format!("the article writes '{phrase}'"),
        calendar: true,
    };
    let this_year = sentence.to_lowercase().contains("this year");

    for c in p.iso.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if let Ok(date) = m.as_str().parse() {
            push(&mut found, stated(m.range(), date, m.as_str()));
        }
    }
    for c in p.day_month.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let (dnum, month) = (c[2].parse().unwrap_or(1), month_number(&c[3]));
        let y = c.get(4).and_then(|y| y.as_str().parse().ok());
        let Some(day) = NaiveDate::from_ymd_opt(y.unwrap_or(year), month, dnum) else {
            continue;
        };
        let weekday_note = c.get(1).map_or(String::new(), |w| {
            if day.weekday() == weekday(w.as_str()) {
                format!(" ({} was a {})", on_day(day), w.as_str())
            } else {
                format!(
                    " (check: {} was not a {}, so the year may be another)",
                    on_day(day),
                    w.as_str()
                )
            }
        });
        let f = match y {
            Some(_) => stated(m.range(), on_day(day), m.as_str()),
            None => inferred(
                m.range(),
                on_day(day),
                format!(
                    "the article gives '{}'; the year is the article's, {year}{weekday_note}",
                    m.as_str()
                ),
            ),
        };
        push(&mut found, f);
    }
    for c in p.month_day.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let month = month_number(&c[1]);
        let y = c.get(4).and_then(|y| y.as_str().parse().ok());
        let first = c[2].parse().unwrap_or(1);
        let last = c
            .get(3)
            .and_then(|d| d.as_str().parse().ok())
            .unwrap_or(first);
        let (Some(a), Some(b)) = (
            NaiveDate::from_ymd_opt(y.unwrap_or(year), month, first),
            NaiveDate::from_ymd_opt(y.unwrap_or(year), month, last),
        ) else {
            continue;
        };
        if b < a {
            continue;
        }
        let f = match y {
            Some(_) => stated(m.range(), days(a, b), m.as_str()),
            None => {
                let why = if this_year { " ('this year')" } else { "" };
                inferred(
                    m.range(),
                    days(a, b),
                    format!(
                        "the article gives '{}'; the year is the article's, {year}{why}",
                        m.as_str()
                    ),
                )
            }
        };
        push(&mut found, f);
    }
    for c in p.month_year.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let date = parse(&format!("{}-{:02}", &c[2], month_number(&c[1])));
        push(&mut found, stated(m.range(), date, m.as_str()));
    }
    for c in p.early_year.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let (kind, y) = (c[1].to_lowercase(), &c[2]);
        let (date, basis) = if kind == "early" {
            (parse(&format!("early {y}")), DateBasis::Stated)
        } else {
            (parse(y), DateBasis::Stated)
        };
        push(
            &mut found,
            FoundDate {
                range: m.range(),
                date,
                basis,
                note: format!("the article writes '{}'", m.as_str()),
                calendar: true,
            },
        );
    }
    for c in p.year.captures_iter(sentence) {
        let m = c.get(1).expect("year");
        push(&mut found, stated(m.range(), parse(m.as_str()), m.as_str()));
    }
    for c in p.in_month.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let month = month_number(&c[1]);
        // A month after the article's own is last year's.
        let y = match article_day(article)
            .map(|d| d.month())
            .or((article.precision() == Precision::Month).then_some(article.start.first.month()))
        {
            Some(now) if month > now => year - 1,
            _ => year,
        };
        let date = parse(&format!("{y}-{month:02}"));
        push(
            &mut found,
            inferred(
                m.range(),
                date,
                format!(
                    "'{}' in the article dated {}: the latest {} up to then",
                    m.as_str(),
                    article,
                    month_name(month)
                ),
            ),
        );
    }
    for c in p.near.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let word = c[1].to_lowercase();
        let Some(day) = article_day(article) else {
            push(&mut found, coarse(article, m.as_str(), m.range()));
            continue;
        };
        let date = match word.as_str() {
            "yesterday" => day - Days::new(1),
            "tomorrow" => day + Days::new(1),
            _ => day,
        };
        let note = format!("'{}' in the article dated {}", m.as_str(), on_day(day));
        push(&mut found, inferred(m.range(), on_day(date), note));
    }
    for c in p.weekday.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let wd = weekday(&c[2]);
        let lead = c.get(1).map(|l| l.as_str().to_lowercase());
        let Some(day) = article_day(article) else {
            push(&mut found, coarse(article, m.as_str(), m.range()));
            continue;
        };
        // "said on Monday" is past even in a sentence about what will happen.
        let word_before = sentence[..m.start()]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        let past_verb = [
            "said", "met", "told", "wrote", "held", "began", "sent", "took", "gave",
        ]
        .contains(&word_before.as_str())
            || (word_before.ends_with("ed") && word_before.len() > 3);
        let ahead = match lead.as_deref() {
            Some("next") => true,
            Some("last") => false,
            _ => future && !past_verb,
        };
        let date = if ahead {
            (1..=7)
                .map(|n| day + Days::new(n))
                .find(|d| d.weekday() == wd)
        } else if lead.as_deref() == Some("last") {
            (1..=7)
                .map(|n| day - Days::new(n))
                .find(|d| d.weekday() == wd)
        } else {
            (0..7)
                .map(|n| day - Days::new(n))
                .find(|d| d.weekday() == wd)
        }
        .expect("a weekday within a week");
        let which = if ahead { "the first" } else { "the latest" };
        let note = format!(
            "'{}' in the article dated {} ({}): {which} {} {} it",
            m.as_str(),
            on_day(day),
            day.weekday(),
            &c[2],
            if ahead { "after" } else { "up to" }
        );
        push(&mut found, inferred(m.range(), on_day(date), note));
    }
    for c in p.period.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let (part, which, unit) = (
            c.get(1).map(|x| x.as_str().to_lowercase()),
            c[2].to_lowercase(),
            c[3].to_lowercase(),
        );
        let shift: i32 = match which.as_str() {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        let note =
            |what: String| format!("'{}' in the article dated {}: {what}", m.as_str(), article);
        let f = match (unit.as_str(), article_day(article)) {
            ("year", _) => inferred(
                m.range(),
                parse(&(year + shift).to_string()),
                note(format!("the year {}", year + shift)),
            ),
            ("month", Some(day)) => {
                let first = NaiveDate::from_ymd_opt(day.year(), day.month(), 1).expect("valid");
                let first = match shift {
                    -1 => first - Months::new(1),
                    1 => first + Months::new(1),
                    _ => first,
                };
                inferred(
                    m.range(),
                    parse(&first.format("%Y-%m").to_string()),
                    note(format!("{} {}", month_name(first.month()), first.year())),
                )
            }
            ("week", Some(day)) => {
                let start = match shift {
                    -1 => monday(day) - Days::new(7),
                    1 => monday(day) + Days::new(7),
                    _ => monday(day),
                };
                let (from, to) = match part.as_deref() {
                    Some("early") => (start, start + Days::new(2)),
                    Some("late") => (start + Days::new(4), start + Days::new(6)),
                    _ => (start, start + Days::new(6)),
                };
                let (from, to) = if shift == 0 && !future {
                    (from, to.min(day))
                } else {
                    (from, to)
                };
                inferred(
                    m.range(),
                    days(from, to),
                    note(format!(
                        "the week of Monday {} (Monday to Sunday)",
                        on_day(start)
                    )),
                )
            }
            _ => coarse(article, m.as_str(), m.range()),
        };
        push(&mut found, f);
    }
    for c in p.ago.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let qualifier = c.get(1).map(|q| q.as_str().to_lowercase());
        let n = word_number(&c[2]).unwrap_or(1);
        let unit = c[3].trim_end_matches('s').to_lowercase();
        let back = |d: NaiveDate| match unit.as_str() {
            "day" => d - Days::new(n),
            "week" => d - Days::new(7 * n),
            "month" => d - Months::new(n as u32),
            _ => d - Months::new(12 * n as u32),
        };
        let (lo, hi) = (back(article.sort_key().0), back(article.last_day()));
        let earlier = matches!(qualifier.as_deref(), Some("over" | "more than"));
        let date = if earlier && article_day(article).is_some() {
            by(on_day(hi))
        } else {
            covering(lo, hi)
        };
        let note = format!(
            "'{}' in the article dated {}: {} {}{}",
            m.as_str(),
            article,
            n,
            unit,
            if earlier {
                "s or more before it"
            } else {
                "s before it"
            }
        );
        push(
            &mut found,
            FoundDate {
                range: m.range(),
                date,
                basis: DateBasis::Inferred,
                note,
                calendar: false,
            },
        );
    }
    for c in p.before.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let note = format!(
            "'{}' in the article dated {}: before then, the article does not say when",
            m.as_str(),
            article
        );
        push(&mut found, inferred(m.range(), by(*article), note));
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// The first date of a phrase, resolved against the article's date.
pub fn resolve(phrase: &str, article: &FuzzyDate) -> Option<FoundDate> {
    find(phrase, article).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line per phrase: the phrase, the article's date, the date it resolves to.
    #[test]
    fn relative_and_absolute_dates_resolve_against_the_article() {
        // 18 June 2025 is a Wednesday.
        let cases: &[(&str, &str, &str)] = &[
            ("they met on Thursday", "2025-06-18", "2025-06-12"),
            ("the letter sent on Wednesday", "2025-06-18", "2025-06-18"),
            ("talks will resume on Monday", "2025-06-18", "2025-06-23"),
            (
                "doctors will ballot, the BMA said on Monday",
                "2025-06-18",
                "2025-06-16",
            ),
            ("it is due next Tuesday", "2025-06-18", "2025-06-24"),
            ("it ended last Friday", "2025-06-18", "2025-06-13"),
            (
                "a breakdown in talks last week",
                "2025-06-18",
                "2025-06-09..2025-06-15",
            ),
            (
                "talks begin next week",
                "2025-06-18",
                "2025-06-23..2025-06-29",
            ),
            (
                "the talks begin early next week",
                "2025-06-18",
                "2025-06-23..2025-06-25",
            ),
            ("a rise announced this year", "2025-06-18", "2025"),
            ("the deal of last year", "2025-06-18", "2024"),
            ("the strike last month", "2025-06-18", "2025-05"),
            ("it started over 150 days ago", "2025-06-18", "..2025-01-19"),
            ("it started 10 days ago", "2025-06-18", "2025-06-08"),
            ("yesterday’s announcement", "2025-06-18", "2025-06-17"),
            ("begin on Tuesday, 23 July", "2024-07-20", "2024-07-23"),
            (
                "from February 24 to 28 this year",
                "2024-05-15",
                "2024-02-24..2024-02-28",
            ),
            ("since December 2022", "2024-05-15", "2022-12"),
            ("NHS England said in March", "2024-05-15", "2024-03"),
            ("said in November", "2024-05-15", "2023-11"),
            (
                "the dispute started over 150 days ago",
                "early 2023",
                "2022",
            ),
            ("a meeting on Thursday", "2024-07", "2024-07"),
            ("Mr Streeting has said previously", "2024-07", "..2024-07"),
            ("date 2024-05-15 Junior doctors", "2024-05-15", "2024-05-15"),
        ];
        for (phrase, article, want) in cases {
            let article: FuzzyDate = article.parse().unwrap();
            let got = resolve(phrase, &article).unwrap_or_else(|| panic!("no date in {phrase:?}"));
            assert_eq!(
                got.date,
                want.parse::<FuzzyDate>().unwrap(),
                "{phrase:?}: {}",
                got.note
            );
        }
    }

    #[test]
    fn a_stated_date_is_one_the_words_write_in_full() {
        let article: FuzzyDate = "2024-07".parse().unwrap();
        assert_eq!(
            resolve("since December 2022", &article).unwrap().basis,
            DateBasis::Stated
        );
        let tuesday = resolve("on Tuesday, 23 July", &article).unwrap();
        assert_eq!(tuesday.basis, DateBasis::Inferred);
        assert!(tuesday.note.contains("was a Tuesday"), "{}", tuesday.note);
    }

    #[test]
    fn a_sentence_without_dates_has_none() {
        let article: FuzzyDate = "2024-07".parse().unwrap();
        assert!(find("Junior doctors want a 35% pay rise.", &article).is_empty());
        assert!(find("It may rain and doctors may strike.", &article).is_empty());
    }
}
