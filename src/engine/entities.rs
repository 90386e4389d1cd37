//! Finds what a question is about: people, dates, ordinals, quoted words.
//!
//! ```
//! # use dispute_bot::engine::entities::When;
//! let w = When::find("what happened in july 2024");
//! assert_eq!(w.months[0].month, 7);
//! assert_eq!(w.months[0].year, Some(2024));
//! ```

use crate::knowledge::{Knowledge, PersonKind};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::OnceLock;

use super::index::Spelling;
use super::normalise::{clean, ORDINAL_WORDS};
use std::collections::HashMap;

/// A month named in a question, with its day and year where given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRef {
    /// 1 to 12.
    pub month: u32,
    /// The day of the month, where given ("june 27").
    pub day: Option<u32>,
    /// The year, where given.
    pub year: Option<i32>,
}

impl MonthRef {
    /// Whether a day falls in this month (and on this day and year, where given).
    pub fn contains(&self, date: NaiveDate) -> bool {
        date.month() == self.month
            && self.day.is_none_or(|d| d == date.day())
            && self.year.is_none_or(|y| y == date.year())
    }
}

/// Whether any day of a date falls in a named month (and day and year, where given).
pub fn month_overlaps(m: &MonthRef, date: &crate::knowledge::FuzzyDate) -> bool {
    // A date known only as "by" a day is that day, not every day before it.
    let last = date.last_day();
    let first = if date.has_open_start() {
        last
    } else {
        date.first_day()
    };
    let years = m.year.map_or(first.year()..=last.year(), |y| y..=y);
    years.into_iter().any(|y| {
        let start = NaiveDate::from_ymd_opt(y, m.month, m.day.unwrap_or(1));
        let end = match m.day {
            Some(d) => NaiveDate::from_ymd_opt(y, m.month, d),
            None => NaiveDate::from_ymd_opt(y, m.month, 1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt()),
        };
        matches!((start, end), (Some(s), Some(e)) if s <= last && e >= first)
    })
}

/// Before or after something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Strictly before.
    Before,
    /// On or after.
    After,
}

/// The time a question points at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    /// Months (and days) named.
    pub months: Vec<MonthRef>,
    /// Years named on their own.
    pub years: Vec<i32>,
    /// "the 11th strike": a position in a series.
    pub ordinal: Option<u32>,
    /// "latest", "last", "most recent".
    pub latest: bool,
    /// "first", "earliest".
    pub earliest: bool,
    /// "before / after the election" (or "labour won", "came to power").
    pub around_election: Option<Relation>,
    /// The words that name the change of government ("labour took office"),
    /// which place the answer in time rather than say what it is about.
    pub election_words: Option<String>,
    /// "before / after / by the time of <something>": the relation and the words after it.
    pub relative_to: Option<(Relation, String)>,
    /// "right after", "just before", "the week before": the nearest point on
    /// that side, not the whole span.
    pub nearest: bool,
}

/// Words that start a question, ending a time phrase that comes before it.
const QUESTION_WORDS: &[&str] = &["how", "what", "when", "who", "which", "why", "where"];

/// Verbs that follow a question word when it asks ("when did ...", "when is ...").
const AUXILIARIES: &[&str] = &[
    "did", "does", "do", "is", "was", "were", "are", "will", "would", "has", "had", "have", "can",
    "could",
];

const MONTHS: &str = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*";

fn regexes() -> &'static [Regex; 7] {
    static RE: OnceLock<[Regex; 7]> = OnceLock::new();
    RE.get_or_init(|| {
        [
            Regex::new(&format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{MONTHS}\b(?: (\d{{4}}))?")).expect("valid"),
            Regex::new(&format!(r"\b{MONTHS}(?: (\d{{1,2}})(?:st|nd|rd|th)?\b)?(?: (\d{{4}}))?")).expect("valid"),
            Regex::new(r"\b(19\d\d|20\d\d)\b").expect("valid"),
            Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)\b").expect("valid"),
            Regex::new(r"\b(before|after|since|prior to|until|when|once)\b.{0,30}\b(election|labour (?:[a-z]+ )?(?:won|win|wins|came|come|coming|took|take|taking|got|get|getting|was elected|government|in power)|(?:came|come) to power|(?:took|take|taking) office|new government|change of government)").expect("valid"),
            Regex::new(r"\b(before|after|since|prior to|until|by the time of|by the time|following|ahead of|leading up to)\b (?:the )?((?:[a-z0-9%]+ ?){1,6})").expect("valid"),
            Regex::new(r"\b(?:right|just|immediately|straight|directly|shortly|soon|the (?:day|days|week|weeks|month|fortnight)|a (?:day|week|month|few days|few weeks)) (?:before|after|prior to|following|ahead of)\b").expect("valid"),
        ]
    })
}

/// Whether a word is the name of a month, in full or shortened ("aug", "sept").
pub fn is_month_name(word: &str) -> bool {
    const NAMES: &[&str] = &[
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
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ];
    NAMES.contains(&word)
}

fn month_number(name: &str) -> Option<u32> {
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|m| name.starts_with(m))
        .map(|i| i as u32 + 1)
}

impl When {
    /// Reads the dates, ordinals and time words of a question.
    pub fn find(question: &str) -> When {
        let q = ordinal_words_to_digits(&clean(question));
        let [day_month, month_day, year, ordinal, relative, relative_to, nearest] = regexes();
        let mut when = When::default();
        let mut covered = Vec::new();
        for c in day_month.captures_iter(&q) {
            let day = c[1].parse().ok().filter(|d| (1..=31).contains(d));
            if let (Some(month), Some(day)) = (month_number(&c[2]), day) {
                when.months.push(MonthRef {
                    month,
                    day: Some(day),
                    year: c.get(3).and_then(|y| y.as_str().parse().ok()),
                });
                covered.push(c.get(0).expect("match").range());
            }
        }
        for c in month_day.captures_iter(&q) {
            let range = c.get(0).expect("match").range();
            if covered
                .iter()
                .any(|r| r.start <= range.start && range.start < r.end)
            {
                continue;
            }
            // "may" is also a verb: count it as a month only with a day or year beside it,
            // or after "in"/"of"/"since"/"during".
            let word = &c[1];
            let has_number = c.get(2).is_some() || c.get(3).is_some();
            let preceded = q[..range.start].trim_end().rsplit(' ').next().unwrap_or("");
            if word == "may"
                && !has_number
                && !["in", "of", "since", "during", "from", "until", "by"].contains(&preceded)
            {
                continue;
            }
            let full = c
                .get(0)
                .expect("match")
                .as_str()
                .split(' ')
                .next()
                .unwrap_or("");
            if full.len() > 3 && month_number(full).is_some() && !is_month_word(full) {
                continue;
            }
            if let Some(month) = month_number(word) {
                when.months.push(MonthRef {
                    month,
                    day: c
                        .get(2)
                        .and_then(|d| d.as_str().parse().ok())
                        .filter(|d| (1..=31).contains(d)),
                    year: c.get(3).and_then(|y| y.as_str().parse().ok()),
                });
            }
        }
        for c in year.captures_iter(&q) {
            let y: i32 = c[1].parse().unwrap_or(0);
            if !when.months.iter().any(|m| m.year == Some(y)) {
                when.years.push(y);
            }
        }
        when.ordinal = ordinal_of(&q, ordinal);
        let words: Vec<&str> = q.split(' ').collect();
        // "the first strike" and "the last one", but not "the first under Labour"
        // or "the last 15 years".
        let next_is = |i: usize, list: &[&str]| {
            words
                .get(i + 1)
                .is_some_and(|n| list.contains(n) || n.bytes().all(|b| b.is_ascii_digit()))
        };
        let qualifiers = [
            "under",
            "since",
            "after",
            "of",
            "time",
            "to",
            "week",
            "month",
            "year",
            "years",
            "few",
            "day",
            "days",
            // "the last government" is the one before this one, not the latest.
            "government",
            "govt",
            "administration",
        ];
        when.latest = words.iter().enumerate().any(|(i, w)| {
            // "did the strike last", "how long did it last for": the verb.
            let verb = *w == "last" && words.get(i + 1).is_none_or(|n| ["for", "long"].contains(n));
            ["latest", "last", "recent", "newest", "current"].contains(w)
                && !next_is(i, &qualifiers)
                && !verb
        });
        when.earliest = words
            .iter()
            .enumerate()
            .any(|(i, w)| ["first", "earliest"].contains(w) && !next_is(i, &qualifiers));
        // "When / once Labour took office" asks about that moment: what came
        // nearest after it, not everything since.
        let mut at_the_moment = false;
        // "When did Labour take office?" asks for the date of the election
        // itself, so it places nothing in time.
        let asks_when = |c: &regex::Captures| {
            &c[1] == "when"
                && q[c.get(1).map_or(0, |m| m.end())..]
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| AUXILIARIES.contains(&w))
        };
        if let Some(c) = relative.captures(&q).filter(|c| !asks_when(c)) {
            when.around_election = Some(match &c[1] {
                "before" | "prior to" | "until" => Relation::Before,
                _ => Relation::After,
            });
            at_the_moment = matches!(&c[1], "when" | "once");
            when.election_words = Some(c[2].to_string());
        }
        if let Some(c) = relative_to.captures(&q) {
            let relation = match &c[1] {
                "before" | "prior to" | "until" | "by the time of" | "by the time" | "ahead of"
                | "leading up to" => Relation::Before,
                _ => Relation::After,
            };
            // "by the time the mediator came in, how many ...": the point ends
            // where the question starts.
            let point: Vec<&str> = c[2]
                .split_whitespace()
                .take_while(|w| !QUESTION_WORDS.contains(w))
                .collect();
            when.relative_to = Some((relation, point.join(" ")));
        }
        when.nearest = nearest.is_match(&q) || at_the_moment;
        when
    }

    /// Whether the question names any time at all.
    pub fn is_empty(&self) -> bool {
        self.months.is_empty()
            && self.years.is_empty()
            && self.around_election.is_none()
            && self.relative_to.is_none()
    }
}

/// The number in a series a text names ("the 12th strike", "the twelfth"),
/// not a day of a month ("24th February"); the last one when it names several.
pub fn ordinal_in(text: &str) -> Option<u32> {
    let [.., ordinal, _, _, _] = regexes();
    ordinal_of(&ordinal_words_to_digits(&clean(text)), ordinal)
}

/// [`ordinal_in`] over a question already cleaned, its ordinal words in digits.
fn ordinal_of(q: &str, ordinal: &Regex) -> Option<u32> {
    let mut found = None;
    for c in ordinal.captures_iter(q) {
        let n: u32 = c[1].parse().unwrap_or(0);
        let after = &q[c.get(0).expect("match").end()..];
        let is_day = after
            .trim_start()
            .split(' ')
            .next()
            .is_some_and(|w| month_number(w).is_some() && is_month_word(w))
            || q[..c.get(0).expect("match").start()]
                .trim_end()
                .rsplit(' ')
                .next()
                .is_some_and(|w| month_number(w).is_some() && is_month_word(w));
        if !is_day && n > 0 {
            found = Some(n);
        }
    }
    found
}

/// "the twelfth strike" reads as "the 12th strike"; "first" stays a word, as it
/// usually means "earliest" rather than a number in a series.
pub(super) fn ordinal_words_to_digits(q: &str) -> String {
    q.split(' ')
        .map(|w| match ORDINAL_WORDS[1..].iter().position(|o| *o == w) {
            Some(i) => format!("{}th", i + 2),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_month_word(word: &str) -> bool {
    const FULL: [&str; 12] = [
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
    const SHORT: [&str; 13] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ];
    FULL.contains(&word) || SHORT.contains(&word)
}

/// The people and organisations a question names, by index into `people`,
/// found by name, alias or a close misspelling of a long name.
pub fn find_people(knowledge: &Knowledge, question: &str) -> Vec<usize> {
    NameIndex::build(knowledge).find(question)
}

/// The names and aliases of everyone in the knowledge, cleaned once, so that a
/// question is matched against the few names that share a word with it rather
/// than against every name. Build it once per knowledge; see [`find_people`].
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// The first word of each cleaned name, with its person and all its words.
    by_first_word: HashMap<String, Vec<(usize, Vec<String>)>>,
    /// Single-word names of people, five bytes or longer, which may be misspelt.
    misspellable: Spelling,
    /// Who bears each misspellable name.
    misspellable_owners: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    /// Cleans and indexes every name and alias of the knowledge.
    pub fn build(knowledge: &Knowledge) -> NameIndex {
        let mut index = NameIndex::default();
        for (i, p) in knowledge.people.iter().enumerate() {
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let name = clean(name);
                if name.is_empty() {
                    continue;
                }
                let words: Vec<String> = name.split(' ').map(str::to_string).collect();
                // A single long word may be misspelt; short ones and acronyms must be exact.
                if p.kind == PersonKind::Person && words.len() == 1 && name.len() >= 5 {
                    let owners = index.misspellable_owners.entry(name.clone()).or_default();
                    if !owners.contains(&i) {
                        owners.push(i);
                    }
                }
                index
                    .by_first_word
                    .entry(words[0].clone())
                    .or_default()
                    .push((i, words));
            }
        }
        index.misspellable = Spelling::new(index.misspellable_owners.keys().map(String::as_str));
        index
    }

    /// The people and organisations a question names, best match first: whole
    /// names before misspelt ones, longer names before shorter.
    pub fn find(&self, question: &str) -> Vec<usize> {
        let q = clean(question);
        let words: Vec<&str> = q.split(' ').collect();
        let mut best: HashMap<usize, usize> = HashMap::new();
        let mut note = |person: usize, score: usize| {
            let b = best.entry(person).or_default();
            *b = (*b).max(score);
        };
        for (at, word) in words.iter().enumerate() {
            for (person, name) in self.by_first_word.get(*word).into_iter().flatten() {
                let follows = words
                    .get(at..at + name.len())
                    .is_some_and(|ws| ws.iter().zip(name).all(|(w, n)| w == n));
                if follows {
                    let bytes = name.iter().map(String::len).sum::<usize>() + name.len() - 1;
                    note(*person, bytes + 100);
                }
            }
            if word.len() < 5 {
                continue;
            }
            for (distance, name) in self.misspellable.within(word, 2) {
                let allowed = if name.len() >= 8 { 2 } else { 1 };
                if distance <= allowed {
                    for &person in &self.misspellable_owners[name] {
                        note(person, name.len());
                    }
                }
            }
        }
        let mut found: Vec<(usize, usize)> = best.into_iter().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(i, _)| i).collect()
    }
}

/// Words in quotation marks in the question, if any ("who said 'worth their salt'").
pub fn quoted(question: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"["“”]([^"“”]{3,})["“”]|(?:^|\s)['‘]([^'‘’]{3,})['’](?:\s|$|\?)"#)
            .expect("valid")
    });
    re.captures(question)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The linear search `NameIndex` replaced, kept as the reference it must agree with.
    fn find_people_linearly(knowledge: &Knowledge, question: &str) -> Vec<usize> {
        let q = clean(question);
        let words: Vec<&str> = q.split(' ').collect();
        let padded = format!(" {q} ");
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (i, p) in knowledge.people.iter().enumerate() {
            let mut best = 0usize;
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let name = clean(name);
                if name.is_empty() {
                    continue;
                }
                if padded.contains(&format!(" {name} ")) {
                    best = best.max(name.len() + 100);
                    continue;
                }
                let name_words: Vec<&str> = name.split(' ').collect();
                if p.kind == PersonKind::Person && name_words.len() == 1 && name.len() >= 5 {
                    let allowed = if name.len() >= 8 { 2 } else { 1 };
                    if words
                        .iter()
                        .any(|w| w.len() >= 5 && strsim::damerau_levenshtein(w, &name) <= allowed)
                    {
                        best = best.max(name.len());
                    }
                }
            }
            if best > 0 {
                found.push((i, best));
            }
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn name_index_finds_what_a_linear_search_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let knowledge = Knowledge::load(&dir).expect("shipped knowledge loads");
        let index = NameIndex::build(&knowledge);
        let mut questions: Vec<String> = knowledge
            .people
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
            .map(|n| format!("what did {n} say about the strike?"))
            .collect();
        questions.extend(
            [
                "what did streting and barcley say",
                "who is the health secretary",
                "Wes Streeting Streeting streeting",
                "trivedy laurensen nieuwoudtt",
                "",
                "🐙",
                "the bma and the government and nhs england",
            ]
            .map(String::from),
        );
        for q in &questions {
            assert_eq!(index.find(q), find_people_linearly(&knowledge, q), "{q}");
        }
    }

    #[test]
    fn reads_days_months_years_and_ordinals() {
        let w = When::find("the strike that started on June 27");
        assert_eq!(
            w.months,
            vec![MonthRef {
                month: 6,
                day: Some(27),
                year: None
            }]
        );
        let w = When::find("from 24th February 2024");
        assert_eq!(
            w.months,
            vec![MonthRef {
                month: 2,
                day: Some(24),
                year: Some(2024)
            }]
        );
        assert_eq!(When::find("the 11th walkout").ordinal, Some(11));
        assert_eq!(When::find("the twelfth walkout").ordinal, Some(12));
        assert_eq!(When::find("in 2023").years, vec![2023]);
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        assert!(When::find("what may happen next").months.is_empty());
        assert_eq!(When::find("talks in may").months.len(), 1);
    }

    #[test]
    fn reads_before_and_after_the_election() {
        assert_eq!(
            When::find("what happened after labour won").around_election,
            Some(Relation::After)
        );
        assert_eq!(
            When::find("before the election, what did labour say").around_election,
            Some(Relation::Before)
        );
        assert_eq!(
            When::find("what changed once labour got in").around_election,
            Some(Relation::After)
        );
        // "When ... took office" is the moment itself; "when did ..." asks its date.
        assert!(When::find("what did he say when labour first came in").nearest);
        assert!(!When::find("what has he said since labour came in").nearest);
        assert_eq!(
            When::find("when did labour take office").around_election,
            None
        );
    }

    #[test]
    fn finds_words_in_quotes() {
        assert_eq!(
            quoted("who said 'worth their salt'?").as_deref(),
            Some("worth their salt")
        );
        assert_eq!(
            quoted("who said “never left the table”").as_deref(),
            Some("never left the table")
        );
        assert_eq!(quoted("what's the bma's view"), None);
    }
}
