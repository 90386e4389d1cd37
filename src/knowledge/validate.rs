//! The rules every knowledge folder must keep, checked all at once.

use super::date::{month_name, DatePoint, FuzzyDate, Precision};
use super::error::KnowledgeError;
use super::load::{Located, RawKnowledge};
use super::model::{AnswerKind, Citation, DateBasis, Id, Role};
use super::paths;
use chrono::Datelike;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The longest regular expression an intent may use, in characters.
pub const MAX_PATTERN_LEN: usize = 500;
/// The most memory a compiled intent pattern may take, in bytes.
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Folds what may differ between an evidence string and its article:
/// runs of white space, and curly versus straight quotes.
pub fn fold_for_match(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => '"',
            c => c,
        }));
    }
    out
}

/// Compiles an intent pattern within the size limits moderators are held to.
pub fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    if pattern.chars().count() > MAX_PATTERN_LEN {
        return Err(format!(
            "the pattern is longer than {MAX_PATTERN_LEN} characters"
        ));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

/// Checks the entries read from a folder; returns every problem found.
pub fn validate(raw: &RawKnowledge) -> Vec<KnowledgeError> {
    let mut v = Validator::new(raw);
    v.sources();
    v.people();
    v.events();
    v.figures();
    v.quotes();
    v.intents();
    v.stated_dates_are_written();
    v.role_periods();
    v.prose_dates_within_precision();
    v.errors
}

struct Validator<'a> {
    raw: &'a RawKnowledge,
    /// Folded text of each source, by id.
    texts: HashMap<&'a str, String>,
    people: HashSet<&'a str>,
    events: HashSet<&'a str>,
    errors: Vec<KnowledgeError>,
}

impl<'a> Validator<'a> {
    fn new(raw: &'a RawKnowledge) -> Self {
        Validator {
            raw,
            texts: raw
                .sources
                .iter()
                .filter(|s| !raw.unreadable.covers("source", s.value.id.as_str()))
                .map(|s| (s.value.id.as_str(), fold_for_match(&s.value.text)))
                .collect(),
            people: raw.people.iter().map(|p| p.value.id.as_str()).collect(),
            events: raw.events.iter().map(|e| e.value.id.as_str()).collect(),
            errors: Vec::new(),
        }
    }

    fn ids<T>(&mut self, entries: &[Located<T>], id: impl Fn(&T) -> &Id) {
        let mut seen = HashMap::new();
        for entry in entries {
            let key = id(&entry.value).as_str();
            if let Err(refused) = paths::check_id(key) {
                self.errors
                    .push(entry.error(&paths::shown(key), refused.message, refused.fix));
            }
            if let Some(first) = seen.insert(key, entry.line) {
                self.errors.push(entry.error(
                    key,
                    format!("the id `{key}` is already used by the entry on line {first}"),
                    "give this entry an id of its own",
                ));
            }
        }
    }

    fn required<T>(&mut self, entry: &Located<T>, id: &Id, fields: &[(&str, &str)]) {
        for (name, value) in fields {
            if value.trim().is_empty() {
                self.errors.push(entry.error(
                    id.as_str(),
                    format!("`{name}` is empty"),
                    format!("write the {name}; it is required"),
                ));
            }
        }
    }

    fn date_note<T>(
        &mut self,
        entry: &Located<T>,
        id: &Id,
        field: &str,
        basis: DateBasis,
        note: &Option<String>,
    ) {
        if basis == DateBasis::Inferred && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            self.errors.push(entry.error(
                id.as_str(),
                format!("`{field}` is inferred but has no note saying how"),
                format!("add `{field}_note = \"...\"` with the reasoning, or set the basis to \"stated\" if the article gives it"),
            ));
        }
    }

    fn citation<T>(
        &mut self,
        entry: &Located<T>,
        id: &Id,
        source: &Id,
        evidence: &str,
        field: &str,
    ) {
        let Some(text) = self.texts.get(source.as_str()) else {
            if self.raw.unreadable.covers("source", source.as_str()) {
                // The source's own error is reported; this entry cannot be checked against it.
                return;
            }
            self.errors.push(entry.error(
                id.as_str(),
                format!("`source = \"{source}\"` names no entry of sources.toml"),
                "use the id of a source listed in sources.toml",
            ));
            return;
        };
        let folded = fold_for_match(evidence);
        if folded.is_empty() {
            self.errors.push(entry.error(
                id.as_str(),
                format!("`{field}` is empty"),
                "copy the supporting words from the article",
            ));
        } else if !text.contains(&folded) {
            let shown: String = evidence.chars().take(80).collect();
            self.errors.push(entry.error(
                id.as_str(),
                format!("`{field}` is not found word for word in source `{source}`: \"{shown}\""),
                "copy the passage from the article exactly (only white space and curly/straight quotes may differ)",
            ));
        }
    }

    fn citations<T>(&mut self, entry: &Located<T>, id: &Id, also: &[Citation]) {
        for c in also {
            self.citation(entry, id, &c.source, &c.evidence, "also.evidence");
        }
    }

    fn reference<T>(&mut self, entry: &Located<T>, id: &Id, field: &str, target: &Id, kind: &str) {
        let known = match kind {
            "person" => self.people.contains(target.as_str()),
            _ => self.events.contains(target.as_str()),
        };
        if !known && !self.raw.unreadable.covers(kind, target.as_str()) {
            let file = if kind == "person" {
                "people.toml"
            } else {
                "events.toml"
            };
            self.errors.push(entry.error(
                id.as_str(),
                format!("`{field}` names `{target}`, which is not an id in {file}"),
                format!("use an existing id of {file}, or add that entry first"),
            ));
        }
    }

    fn sources(&mut self) {
        self.ids(&self.raw.sources, |s| &s.id);
        for entry in &self.raw.sources {
            let s = &entry.value;
            // `file` follows the path rule, checked as the loader reads it.
            self.required(entry, &s.id, &[("title", &s.title)]);
            self.date_note(entry, &s.id, "date", s.date_basis, &s.date_note);
        }
    }

    fn people(&mut self) {
        self.ids(&self.raw.people, |p| &p.id);
        for entry in &self.raw.people {
            let p = &entry.value;
            self.required(
                entry,
                &p.id,
                &[("name", &p.name), ("description", &p.description)],
            );
            self.citation(entry, &p.id, &p.source, &p.evidence, "evidence");
            self.citations(entry, &p.id, &p.also);
            for role in &p.roles {
                self.required(entry, &p.id, &[("role.title", &role.title)]);
                self.citation(entry, &p.id, &role.source, &role.evidence, "role.evidence");
                if let Some(org) = &role.organisation {
                    self.reference(entry, &p.id, "role.organisation", org, "person");
                }
                if let (Some(from), Some(to)) = (role.from, role.to) {
                    if to.last_day() < from.first_day() {
                        self.errors.push(entry.error(
                            p.id.as_str(),
                            format!(
                                "the role `{}` ends ({to}) before it starts ({from})",
                                role.title
                            ),
                            "swap `from` and `to`, or correct one of them",
                        ));
                    }
                }
            }
        }
    }

    fn events(&mut self) {
        self.ids(&self.raw.events, |e| &e.id);
        for entry in &self.raw.events {
            let e = &entry.value;
            self.required(
                entry,
                &e.id,
                &[("title", &e.title), ("summary", &e.summary)],
            );
            self.date_note(entry, &e.id, "date", e.date_basis, &e.date_note);
            self.citation(entry, &e.id, &e.source, &e.evidence, "evidence");
            self.citations(entry, &e.id, &e.also);
            for person in &e.people {
                self.reference(entry, &e.id, "people", person, "person");
            }
        }
    }

    fn figures(&mut self) {
        self.ids(&self.raw.figures, |f| &f.id);
        for entry in &self.raw.figures {
            let f = &entry.value;
            self.required(
                entry,
                &f.id,
                &[
                    ("measure", &f.measure),
                    ("display", &f.display),
                    ("summary", &f.summary),
                ],
            );
            if !f.value.is_finite() {
                self.errors.push(entry.error(
                    f.id.as_str(),
                    "`value` is not a finite number",
                    "write the number, e.g. 61989 or 35.3",
                ));
            }
            self.date_note(entry, &f.id, "as_of", f.as_of_basis, &f.as_of_note);
            self.citation(entry, &f.id, &f.source, &f.evidence, "evidence");
            self.citations(entry, &f.id, &f.also);
            let display = fold_for_match(&f.display).to_lowercase();
            if !fold_for_match(&f.evidence)
                .to_lowercase()
                .contains(&display)
            {
                self.errors.push(entry.error(
                    f.id.as_str(),
                    format!("`display = \"{}\"` is not written that way in its evidence", f.display),
                    "write the figure exactly as the evidence gives it (e.g. \"more than 175,000\")",
                ));
            }
            if let Some(event) = &f.event {
                self.reference(entry, &f.id, "event", event, "event");
            }
            if let Some(person) = &f.stated_by {
                self.reference(entry, &f.id, "stated_by", person, "person");
            }
        }
    }

    fn quotes(&mut self) {
        self.ids(&self.raw.quotes, |q| &q.id);
        for entry in &self.raw.quotes {
            let q = &entry.value;
            self.required(entry, &q.id, &[("context", &q.context)]);
            self.date_note(entry, &q.id, "date", q.date_basis, &q.date_note);
            self.citation(entry, &q.id, &q.source, &q.text, "text");
            self.reference(entry, &q.id, "speaker", &q.speaker, "person");
            if let Some(event) = &q.event {
                self.reference(entry, &q.id, "event", event, "event");
            }
        }
    }

    fn intents(&mut self) {
        self.ids(&self.raw.intents, |i| &i.id);
        for entry in &self.raw.intents {
            let i = &entry.value;
            self.required(entry, &i.id, &[("description", &i.description)]);
            for pattern in &i.patterns {
                if let Err(e) = compile_pattern(pattern) {
                    self.errors.push(entry.error(
                        i.id.as_str(),
                        format!("the pattern `{pattern}` does not compile: {e}"),
                        "fix the regular expression (single-quoted TOML strings keep backslashes as they are)",
                    ));
                }
            }
            if i.patterns.is_empty() && i.examples.is_empty() {
                self.errors.push(entry.error(
                    i.id.as_str(),
                    "the intent has neither `patterns` nor `examples`, so no question can reach it",
                    "add a few example phrasings",
                ));
            }
            let needs_response = matches!(
                i.answer,
                AnswerKind::Faq | AnswerKind::Gap | AnswerKind::Help
            );
            if needs_response && i.response.as_deref().is_none_or(|r| r.trim().is_empty()) {
                self.errors.push(entry.error(
                    i.id.as_str(),
                    "this kind of intent answers with its `response`, which is missing",
                    "add `response = \"...\"`",
                ));
            }
            if i.answer == AnswerKind::Faq && i.citations.is_empty() {
                self.errors.push(entry.error(
                    i.id.as_str(),
                    "a faq answer must cite its source",
                    "add `citations = [{ source = \"...\", evidence = \"...\" }]`",
                ));
            }
            self.citations(entry, &i.id, &i.citations);
        }
    }
}

// ---------------------------------------------------------------- dates as precise as the text

impl Validator<'_> {
    /// A date whose basis is `stated` must be written in the entry's evidence:
    /// "stated" means the article gives it, not that we worked it out. A
    /// figure's `as_of` may also be its article's own stated date (a figure
    /// is as of the day it is reported).
    fn stated_dates_are_written(&mut self) {
        let source_dates: HashMap<&str, FuzzyDate> = self
            .raw
            .sources
            .iter()
            .filter(|s| s.value.date_basis == DateBasis::Stated)
            .map(|s| (s.value.id.as_str(), s.value.date))
            .collect();
        let mut errors = Vec::new();
        for entry in &self.raw.events {
            let e = &entry.value;
            if e.date_basis == DateBasis::Stated {
                let texts = cited_texts(&e.evidence, &e.also);
                if let Some(missing) = unwritten(&[e.date], &texts) {
                    errors.push(stated_error(entry, &e.id, "date", missing));
                }
            }
        }
        for entry in &self.raw.figures {
            let f = &entry.value;
            let articles_own = source_dates.get(f.source.as_str()) == Some(&f.as_of);
            if f.as_of_basis == DateBasis::Stated && !articles_own {
                let texts = cited_texts(&f.evidence, &f.also);
                if let Some(missing) = unwritten(&[f.as_of], &texts) {
                    errors.push(stated_error(entry, &f.id, "as_of", missing));
                }
            }
        }
        for entry in &self.raw.quotes {
            let q = &entry.value;
            if q.date_basis == DateBasis::Stated {
                if let Some(missing) = unwritten(&[q.date], &[q.text.as_str()]) {
                    errors.push(stated_error(entry, &q.id, "date", missing));
                }
            }
        }
        for entry in &self.raw.people {
            let p = &entry.value;
            for role in p
                .roles
                .iter()
                .filter(|r| r.period_basis == DateBasis::Stated)
            {
                let texts = cited_texts(&role.evidence, &role.also);
                if let Some(missing) = unwritten(&role_dates(role), &texts) {
                    errors.push(entry.error(
                        p.id.as_str(),
                        format!(
                            "the role `{}` has `period_basis = \"stated\"`, but its evidence does not write {missing}",
                            role.title
                        ),
                        "quote the words that give the date in the role's `evidence` (or `also`), or set `period_basis = \"inferred\"` and say how in `period_note`",
                    ));
                }
            }
        }
        self.errors.extend(errors);
    }

    /// Roles: one per title and person, inferred dates explained, and no
    /// sighting after the date by which the articles call them former.
    fn role_periods(&mut self) {
        let mut errors = Vec::new();
        for entry in &self.raw.people {
            let p = &entry.value;
            let mut titles: HashMap<String, &Role> = HashMap::new();
            for role in &p.roles {
                let key = fold_for_match(&role.title).to_lowercase();
                if titles.insert(key, role).is_some() {
                    errors.push(entry.error(
                        p.id.as_str(),
                        format!("`{}` has a second role titled `{}`", p.id, role.title),
                        "keep one role per post: add the later article's date to the first role's `seen = [...]` and its passage to the role's `also`",
                    ));
                }
                for c in &role.also {
                    self_citation(&mut errors, self, entry, &p.id, c);
                }
                if role.is_dated()
                    && role.period_basis == DateBasis::Inferred
                    && role
                        .period_note
                        .as_deref()
                        .is_none_or(|n| n.trim().is_empty())
                {
                    errors.push(entry.error(
                        p.id.as_str(),
                        format!("the dates of the role `{}` are inferred but have no `period_note` saying how", role.title),
                        "add `period_note = \"...\"` with the reasoning, or set `period_basis = \"stated\"` if the evidence gives the dates",
                    ));
                }
                if let Some(by) = role.former_by {
                    if let Some(late) = role.seen.iter().find(|s| s.sort_key().0 > by.last_day()) {
                        let by = by.to_string();
                        errors.push(entry.error(
                            p.id.as_str(),
                            format!(
                                "the role `{}` is seen in post {} but a former holder by {}",
                                role.title,
                                late.phrase(),
                                by.strip_prefix("by ").unwrap_or(&by)
                            ),
                            "correct the `seen` date or `former_by`",
                        ));
                    }
                }
            }
        }
        self.errors.extend(errors);
    }

    /// A summary, context or description may name a month or a day only as
    /// precisely as some date of the knowledge gives it: its own entry's date,
    /// or the date of an event. "In March 2023" is refused when the entry and
    /// every event are dated no finer than "early 2023".
    fn prose_dates_within_precision(&mut self) {
        let events: Vec<FuzzyDate> = self.raw.events.iter().map(|e| e.value.date).collect();
        // With an event unreadable (its own error is reported), a date it
        // would cover cannot be judged.
        let unreadable = &self.raw.unreadable;
        let events_complete = !unreadable.tables.contains("event")
            && !unreadable.entries.iter().any(|(table, _)| table == "event");
        let mut errors = Vec::new();
        let check = |errors: &mut Vec<KnowledgeError>,
                     error: &dyn Fn(String, String) -> KnowledgeError,
                     field: &str,
                     text: &str,
                     own: &[FuzzyDate]| {
            for mention in date_mentions(text) {
                let allowed = own.iter().chain(&events).any(|d| mention.within(d));
                if !allowed && events_complete {
                    let finest = own
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let finest = if finest.is_empty() {
                        "no date".to_string()
                    } else {
                        finest
                    };
                    errors.push(error(
                        format!(
                            "`{field}` names {}, finer than the entry's date ({finest}) and than any event's date",
                            mention.written
                        ),
                        format!(
                            "write the date only as precisely as the article gives it (e.g. \"in {finest}\"), or date the entry or an event that precisely if the article supports it"
                        ),
                    ));
                }
            }
        };
        for entry in &self.raw.events {
            let e = &entry.value;
            let error = |m: String, f: String| entry.error(e.id.as_str(), m, f);
            check(&mut errors, &error, "summary", &e.summary, &[e.date]);
            check(&mut errors, &error, "title", &e.title, &[e.date]);
        }
        for entry in &self.raw.figures {
            let f = &entry.value;
            let error = |m: String, fix: String| entry.error(f.id.as_str(), m, fix);
            check(&mut errors, &error, "summary", &f.summary, &[f.as_of]);
            check(&mut errors, &error, "measure", &f.measure, &[f.as_of]);
        }
        for entry in &self.raw.quotes {
            let q = &entry.value;
            let error = |m: String, f: String| entry.error(q.id.as_str(), m, f);
            check(&mut errors, &error, "context", &q.context, &[q.date]);
        }
        for entry in &self.raw.people {
            let p = &entry.value;
            let error = |m: String, f: String| entry.error(p.id.as_str(), m, f);
            let own: Vec<FuzzyDate> = p.roles.iter().flat_map(role_dates).collect();
            check(&mut errors, &error, "description", &p.description, &own);
        }
        self.errors.extend(errors);
    }
}

/// Checks a role's further citation like any other (the borrow of the
/// validator's texts is shared, the error list is the caller's).
fn self_citation<T>(
    errors: &mut Vec<KnowledgeError>,
    v: &Validator<'_>,
    entry: &Located<T>,
    id: &Id,
    c: &Citation,
) {
    let Some(text) = v.texts.get(c.source.as_str()) else {
        if !v.raw.unreadable.covers("source", c.source.as_str()) {
            errors.push(entry.error(
                id.as_str(),
                format!(
                    "`role.also` cites `source = \"{}\"`, which names no entry of sources.toml",
                    c.source
                ),
                "use the id of a source listed in sources.toml",
            ));
        }
        return;
    };
    let folded = fold_for_match(&c.evidence);
    if folded.is_empty() || !text.contains(&folded) {
        let shown: String = c.evidence.chars().take(80).collect();
        errors.push(entry.error(
            id.as_str(),
            format!("`role.also.evidence` is not found word for word in source `{}`: \"{shown}\"", c.source),
            "copy the passage from the article exactly (only white space and curly/straight quotes may differ)",
        ));
    }
}

/// The months and days a text names more precisely than any of `dates`
/// gives them, as written: what [`validate`] refuses in a summary, title,
/// measure, context or description. The drafter uses it to keep its prose
/// within the dates it proposes.
pub(crate) fn dates_beyond(text: &str, dates: &[FuzzyDate]) -> Vec<String> {
    date_mentions(text)
        .into_iter()
        .filter(|m| !dates.iter().any(|d| m.within(d)))
        .map(|m| m.written)
        .collect()
}

/// Every date a role carries.
fn role_dates(role: &Role) -> Vec<FuzzyDate> {
    role.from
        .iter()
        .chain(&role.to)
        .chain(&role.seen)
        .chain(&role.former_by)
        .copied()
        .collect()
}

fn cited_texts<'a>(evidence: &'a str, also: &'a [Citation]) -> Vec<&'a str> {
    std::iter::once(evidence)
        .chain(also.iter().map(|c| c.evidence.as_str()))
        .collect()
}

fn stated_error<T>(entry: &Located<T>, id: &Id, field: &str, missing: String) -> KnowledgeError {
    entry.error(
        id.as_str(),
        format!("`{field}` is stated, but its evidence does not write {missing}"),
        format!("quote the words that give the date in `evidence` (or `also`), or set `{field}_basis = \"inferred\"` and say how in `{field}_note`"),
    )
}

/// The first known end of the dates that none of the texts writes, as it
/// should be written.
fn unwritten(dates: &[FuzzyDate], texts: &[&str]) -> Option<String> {
    let texts: Vec<String> = texts
        .iter()
        .map(|t| fold_for_match(t).to_lowercase())
        .collect();
    for date in dates {
        let ends = if date.has_open_start() {
            vec![date.end]
        } else {
            vec![date.start, date.end]
        };
        for point in ends {
            if !texts.iter().any(|t| point_written(point, t)) {
                return Some(point.to_string());
            }
        }
    }
    None
}

/// Whether lower-cased text writes a date point: its ISO form, or its year,
/// month name and day number as far as its precision goes.
fn point_written(point: DatePoint, text: &str) -> bool {
    let d = point.first;
    let iso = match point.precision {
        Precision::Day => d.format("%Y-%m-%d").to_string(),
        Precision::Month => d.format("%Y-%m").to_string(),
        Precision::Year | Precision::Early => d.format("%Y").to_string(),
    };
    if text.contains(&iso) {
        return true;
    }
    let has_word = |w: &str| {
        text.split(|c: char| !c.is_alphanumeric()).any(|t| {
            t == w
                || (w.chars().all(|c| c.is_ascii_digit())
                    && t.strip_prefix(w)
                        .is_some_and(|s| ["st", "nd", "rd", "th"].contains(&s)))
        })
    };
    let year = has_word(&d.year().to_string());
    let month = || {
        let name = month_name(d.month()).to_lowercase();
        has_word(&name) || has_word(&name[..3])
    };
    match point.precision {
        Precision::Year => year,
        Precision::Early => year && text.contains("early"),
        Precision::Month => year && month(),
        Precision::Day => year && month() && has_word(&d.day().to_string()),
    }
}

/// A month or day named in prose: "March 2023", "15 May 2024", "16 August".
#[derive(Debug, Clone, PartialEq, Eq)]
struct DateMention {
    year: Option<i32>,
    month: u32,
    day: Option<u32>,
    written: String,
}

impl DateMention {
    fn precision(&self) -> Precision {
        if self.day.is_some() {
            Precision::Day
        } else {
            Precision::Month
        }
    }

    /// Whether a date gives this mention at least as precisely: one of its
    /// known ends, or inside a range whose ends are both that precise.
    fn within(&self, date: &FuzzyDate) -> bool {
        let matches = |p: &DatePoint| {
            p.precision >= self.precision()
                && self.year.is_none_or(|y| y == p.first.year())
                && self.month == p.first.month()
                && self.day.is_none_or(|d| d == p.first.day())
        };
        if date.has_open_start() {
            return matches(&date.end);
        }
        if matches(&date.start) || matches(&date.end) {
            return true;
        }
        let Some(year) = self.year else { return false };
        let Some(first) = chrono::NaiveDate::from_ymd_opt(year, self.month, self.day.unwrap_or(1))
        else {
            return false;
        };
        date.precision() >= self.precision() && date.overlaps(first, first)
    }
}

const MONTHS_PATTERN: &str =
    "(January|February|March|April|May|June|July|August|September|October|November|December)";

/// The months and days named in a text; a month alone ("in February", "may")
/// is too ambiguous to count.
fn date_mentions(text: &str) -> Vec<DateMention> {
    static DAY: OnceLock<regex::Regex> = OnceLock::new();
    static MONTH: OnceLock<regex::Regex> = OnceLock::new();
    let day = DAY.get_or_init(|| {
        regex::Regex::new(&format!(
            r"\b(\d{{1,2}})(?:\s*[–-]\s*\d{{1,2}})?\s+{MONTHS_PATTERN}(?:\s+(\d{{4}}))?\b"
        ))
        .expect("valid")
    });
    let month = MONTH.get_or_init(|| {
        regex::Regex::new(&format!(r"\b{MONTHS_PATTERN}\s+(\d{{4}})\b")).expect("valid")
    });
    let month_number = |name: &str| (1..=12).find(|&m| month_name(m) == name).expect("a month");
    let mut found = Vec::new();
    let mut taken = Vec::new();
    for c in day.captures_iter(text) {
        let whole = c.get(0).expect("match");
        taken.push(whole.range());
        found.push(DateMention {
            year: c.get(3).and_then(|y| y.as_str().parse().ok()),
            month: month_number(&c[2]),
            day: c[1].parse().ok(),
            written: whole.as_str().to_string(),
        });
    }
    for c in month.captures_iter(text) {
        let whole = c.get(0).expect("match");
        if taken
            .iter()
            .any(|r| r.start <= whole.start() && whole.end() <= r.end)
        {
            continue;
        }
        found.push(DateMention {
            year: c[2].parse().ok(),
            month: month_number(&c[1]),
            day: None,
            written: whole.as_str().to_string(),
        });
    }
    found
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn finds_months_and_days_named_in_prose() {
        let found: Vec<String> = date_mentions(
            "On Thursday 18 July 2024, after the strike of 24–28 February 2024 and in March 2023; by 16 August. It may help in February.",
        )
        .into_iter()
        .map(|m| m.written)
        .collect();
        assert_eq!(
            found,
            [
                "18 July 2024",
                "24–28 February 2024",
                "16 August",
                "March 2023"
            ]
        );
    }

    #[test]
    fn a_month_is_not_within_early_in_the_year() {
        let early: FuzzyDate = "early 2023".parse().unwrap();
        let march = &date_mentions("in March 2023")[0];
        assert!(!march.within(&early));
        let range: FuzzyDate = "2024-07..2024-12".parse().unwrap();
        assert!(date_mentions("the July 2024 election")[0].within(&range));
        let by: FuzzyDate = "..2024-05-15".parse().unwrap();
        assert!(date_mentions("on 15 May 2024")[0].within(&by));
        assert!(!date_mentions("in April 2024")[0].within(&by));
    }

    #[test]
    fn a_stated_date_must_be_written() {
        let d: FuzzyDate = "2022-12".parse().unwrap();
        assert_eq!(unwritten(&[d], &["since December 2022"]), None);
        let d: FuzzyDate = "2024-02-24..2024-02-28".parse().unwrap();
        assert_eq!(
            unwritten(&[d], &["from February 24 to 28 this year"]),
            Some("24 February 2024".into())
        );
        let d: FuzzyDate = "2024-05-15".parse().unwrap();
        assert_eq!(unwritten(&[d], &["date 2024-05-15 Junior doctors"]), None);
    }
}
