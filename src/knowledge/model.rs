//! The typed entries of the knowledge base, as they stand in the TOML files.
//!
//! Every fact (person, role, event, figure, quote) carries a [`Citation`]: the
//! source it comes from and a passage of that source, word for word.

use super::date::FuzzyDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The id of an entry: lower-case words joined by hyphens, unique in its kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a date was given by the article or worked out by us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// The article states it: the date is written in the entry's evidence.
    Stated,
    /// We inferred it; a note says how.
    #[default]
    Inferred,
}

/// A source and the passage of it that supports a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The id of the source in `sources.toml`.
    pub source: Id,
    /// Words copied verbatim from the source.
    pub evidence: String,
}

/// A news article the knowledge is built from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id.
    pub id: Id,
    /// The article's text, relative to the knowledge folder.
    pub file: String,
    /// A descriptive title.
    pub title: String,
    /// True when the title is ours, not the article's headline.
    #[serde(default)]
    pub title_is_ours: bool,
    /// The publisher, only when the text shows it.
    #[serde(default)]
    pub publisher: Option<String>,
    /// How we know the publisher.
    #[serde(default)]
    pub publisher_note: Option<String>,
    /// When it was published.
    pub date: FuzzyDate,
    /// Whether the article states its date.
    pub date_basis: DateBasis,
    /// How an inferred date was worked out.
    #[serde(default)]
    pub date_note: Option<String>,
    /// The article's text, read from `file` by the loader.
    #[serde(skip)]
    pub text: String,
}

/// Whether an entry of `people.toml` is a person or a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    /// A named individual.
    Person,
    /// A union, party, government, department, committee or group.
    Organisation,
}

/// A position someone held, dated no more precisely than the articles allow.
///
/// Two kinds of date, kept apart: a *held period* (`from`, `to`) is claimed
/// only where an article shows when the post was taken or left; a *sighting*
/// (`seen`) only says an article shows them in post at that date, and nothing
/// about before, after or between. `former_by` is a date by which an article
/// calls them a former holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The position, e.g. "co-chair of the BMA junior doctors committee".
    pub title: String,
    /// The organisation, an id of `people.toml`.
    #[serde(default)]
    pub organisation: Option<Id>,
    /// When they took the post, where an article shows it.
    #[serde(default)]
    pub from: Option<FuzzyDate>,
    /// When they left it, where an article shows it.
    #[serde(default)]
    pub to: Option<FuzzyDate>,
    /// Dates at which an article shows them in post, in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<FuzzyDate>,
    /// A date by which an article calls them a former holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_by: Option<FuzzyDate>,
    /// Whether the articles state these dates (then the evidence gives them) or we inferred them.
    #[serde(default)]
    pub period_basis: DateBasis,
    /// What the dates rest on; required when they are inferred.
    #[serde(default)]
    pub period_note: Option<String>,
    /// The source.
    pub source: Id,
    /// Verbatim passage of the source.
    pub evidence: String,
    /// Further citations, e.g. the article of each later sighting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Citation>,
}

impl Role {
    /// Whether the role carries any date at all.
    pub fn is_dated(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || !self.seen.is_empty()
            || self.former_by.is_some()
    }

    /// The dates of the role as an answer words them, without the title:
    /// "from July 2024; still in post in 2025", "seen in post in early 2023; a
    /// former holder by July 2024", "seen in post on 15 May 2024 and in July
    /// 2024"; empty when the articles date it not at all.
    pub fn period_phrase(&self) -> String {
        let mut parts = Vec::new();
        let held = match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => Some(format!("held {}", a.phrase())),
            (Some(a), Some(b)) => Some(format!("from {a} to {b}")),
            (Some(a), None) => Some(format!("from {a}")),
            (None, Some(b)) => Some(format!("until {b}")),
            (None, None) => None,
        };
        let seen = join_phrases(self.seen.iter().map(|d| d.phrase()).collect());
        match (held, seen.is_empty()) {
            (Some(held), true) => parts.push(held),
            (Some(held), false) => parts.push(format!("{held}; still in post {seen}")),
            (None, false) => parts.push(format!("seen in post {seen}")),
            (None, true) => {}
        }
        if let Some(by) = self.former_by {
            let by = by.to_string();
            let by = by.strip_prefix("by ").unwrap_or(&by);
            parts.push(format!("a former holder by {by}"));
        }
        parts.join("; ")
    }

    /// Whether the articles show the role in post at some date (a held
    /// period or a sighting), not only as "former by".
    pub fn seen_in_post(&self) -> bool {
        !self.seen.is_empty() || self.from.is_some() || self.to.is_some()
    }

    /// Whether the articles show the role held at some time within `date`:
    /// a held period or a sighting overlapping it. An undated role (a party,
    /// a profession) counts at any date; one known only as "former by" counts
    /// before that date.
    pub fn shown_at(&self, date: &FuzzyDate) -> bool {
        if !self.is_dated() {
            return true;
        }
        let (first, last) = (date.first_day(), date.last_day());
        if self.from.is_some() || self.to.is_some() {
            let starts = self.from.map_or(chrono::NaiveDate::MIN, |d| d.first_day());
            let ends = self.to.map_or(chrono::NaiveDate::MAX, |d| d.last_day());
            if first <= ends && last >= starts {
                return true;
            }
        }
        if self.seen.iter().any(|s| s.overlaps(first, last)) {
            return true;
        }
        !self.seen_in_post() && self.former_by.is_some_and(|by| first < by.sort_key().0)
    }
}

/// "a", "a and b", "a, b and c".
fn join_phrases(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A person or organisation named in the articles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Stable id.
    pub id: Id,
    /// The name as the articles write it.
    pub name: String,
    /// Person or organisation.
    pub kind: PersonKind,
    /// Other names and common misspellings, for matching.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One sentence the bot can say about them.
    pub description: String,
    /// Positions held.
    #[serde(default, rename = "role")]
    pub roles: Vec<Role>,
    /// The source of the description.
    pub source: Id,
    /// Verbatim passage supporting the description.
    pub evidence: String,
    /// Further citations.
    #[serde(default)]
    pub also: Vec<Citation>,
}

/// What kind of happening an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A walkout.
    Strike,
    /// Negotiations, mediated or formal.
    Talks,
    /// A meeting or call.
    Meeting,
    /// An offer made.
    Offer,
    /// A deal agreed.
    Deal,
    /// A vote of members.
    Ballot,
    /// An announcement.
    Announcement,
    /// An election.
    Election,
    /// A statement, letter or interview.
    Statement,
    /// Anything else.
    Other,
}

/// A dated happening.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Stable id.
    pub id: Id,
    /// What kind of happening.
    pub kind: EventKind,
    /// A short title.
    pub title: String,
    /// When.
    pub date: FuzzyDate,
    /// Whether the article states the date.
    pub date_basis: DateBasis,
    /// How an inferred date was worked out.
    #[serde(default)]
    pub date_note: Option<String>,
    /// Its number in a series, where an article states it ("the 11th strike").
    #[serde(default)]
    pub ordinal: Option<u32>,
    /// Who took part (ids of `people.toml`).
    #[serde(default)]
    pub people: Vec<Id>,
    /// Topic words, for filtering and matching.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Extra words people use for it, for matching.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// One to three sentences the bot can say.
    pub summary: String,
    /// The source.
    pub source: Id,
    /// Verbatim passage of the source.
    pub evidence: String,
    /// Further citations.
    #[serde(default)]
    pub also: Vec<Citation>,
}

/// The unit a figure is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A number of things.
    Count,
    /// A percentage.
    Percent,
    /// Pounds sterling.
    Gbp,
    /// A number of days.
    Days,
    /// A number of weeks.
    Weeks,
    /// A number of months.
    Months,
    /// A number of years.
    Years,
    /// A position in a series (11 for "the 11th").
    Ordinal,
    /// A year, such as 2008.
    Year,
}

/// How exact a figure is. Written in any case, with hyphens or spaces:
/// `"more-than"`, `"more than"` and `"More Than"` are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// Exactly this.
    #[default]
    Exact,
    /// More than this.
    MoreThan,
    /// Over this.
    Over,
    /// Nearly this.
    Nearly,
    /// About this.
    About,
    /// Some (roughly) this.
    Some,
    /// At most this.
    UpTo,
    /// An estimate.
    Estimated,
    /// As low as this.
    AsLowAs,
}

/// The qualifiers as written in the files, in the order the README lists them.
const QUALIFIERS: [(&str, Qualifier); 9] = [
    ("exact", Qualifier::Exact),
    ("more-than", Qualifier::MoreThan),
    ("over", Qualifier::Over),
    ("nearly", Qualifier::Nearly),
    ("about", Qualifier::About),
    ("some", Qualifier::Some),
    ("up-to", Qualifier::UpTo),
    ("estimated", Qualifier::Estimated),
    ("as-low-as", Qualifier::AsLowAs),
];

impl std::str::FromStr for Qualifier {
    type Err = String;

    /// Reads a qualifier in any case, words joined by hyphens, spaces or underscores.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
            .to_lowercase();
        QUALIFIERS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, q)| *q)
            .ok_or_else(|| {
                let names: Vec<String> = QUALIFIERS
                    .iter()
                    .map(|(n, _)| format!("`{}`", n.replace('-', " ")))
                    .collect();
                format!(
                    "unknown qualifier `{text}`, expected one of {} (hyphens or spaces, any case)",
                    names.join(", ")
                )
            })
    }
}

impl<'de> Deserialize<'de> for Qualifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A number and what it measures.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Stable id.
    pub id: Id,
    /// What it measures.
    pub measure: String,
    /// The value.
    pub value: f64,
    /// The unit.
    pub unit: Unit,
    /// How exact it is.
    #[serde(default)]
    pub qualifier: Qualifier,
    /// The figure as the article writes it ("more than 175,000").
    pub display: String,
    /// The date it is as of.
    pub as_of: FuzzyDate,
    /// Whether the article states that date.
    pub as_of_basis: DateBasis,
    /// How an inferred date was worked out.
    #[serde(default)]
    pub as_of_note: Option<String>,
    /// The event it belongs to.
    #[serde(default)]
    pub event: Option<Id>,
    /// Who stated it.
    #[serde(default)]
    pub stated_by: Option<Id>,
    /// Topic words.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Extra words people use for it.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// One to three sentences the bot can say.
    pub summary: String,
    /// The source.
    pub source: Id,
    /// Verbatim passage of the source.
    pub evidence: String,
    /// Further citations.
    #[serde(default)]
    pub also: Vec<Citation>,
}

/// Words someone said, verbatim.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Stable id.
    pub id: Id,
    /// Who said it (an id of `people.toml`).
    pub speaker: Id,
    /// The words, verbatim; also the evidence.
    pub text: String,
    /// When.
    pub date: FuzzyDate,
    /// Whether the article states the date.
    pub date_basis: DateBasis,
    /// How an inferred date was worked out.
    #[serde(default)]
    pub date_note: Option<String>,
    /// Where and why it was said.
    pub context: String,
    /// The event it belongs to.
    #[serde(default)]
    pub event: Option<Id>,
    /// Topic words.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Extra words people use for it.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The source.
    pub source: Id,
}

/// How an intent is answered: which kind of knowledge query it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerKind {
    /// A number (how many, how much, what share).
    Figure,
    /// The date of an event.
    Date,
    /// Who someone is, or who held a role.
    Person,
    /// Who said some words.
    Speaker,
    /// What someone said.
    Quote,
    /// The best-matching fact of any kind (demands, causes, yes/no questions).
    Fact,
    /// Two or more figures side by side.
    Compare,
    /// A slice of the timeline.
    Timeline,
    /// A fixed answer written in the intent, with its citations.
    Faq,
    /// A question the knowledge cannot answer: decline with the intent's response.
    Gap,
    /// Help: what the bot can answer.
    Help,
}

/// One kind of question the bot recognises, as written in `intents.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentSpec {
    /// Stable id.
    pub id: Id,
    /// What the intent is for, in a sentence.
    pub description: String,
    /// How it is answered.
    pub answer: AnswerKind,
    /// Regular expressions over the normalised question (lower case, plain ASCII quotes).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Phrasings people use, for fuzzy matching.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Phrasings that look alike but mean something else.
    #[serde(default)]
    pub negative: Vec<String>,
    /// Topics whose facts this intent prefers.
    #[serde(default)]
    pub topics: Vec<String>,
    /// When true, only facts with one of `topics` can answer (if any matches at all).
    #[serde(default)]
    pub require_topic: bool,
    /// The fixed reply, for `faq`, `gap` and `help` intents.
    #[serde(default)]
    pub response: Option<String>,
    /// The citations of a `faq` reply.
    #[serde(default)]
    pub citations: Vec<Citation>,
    /// A question to suggest when the bot declines.
    #[serde(default)]
    pub suggestion: Option<String>,
}
