//! The rules every knowledge folder must keep, checked all at once.

use super::error::KnowledgeError;
use super::load::{Located, RawKnowledge};
use super::model::{AnswerKind, Citation, DateBasis, Id};
use super::paths;
use std::collections::{HashMap, HashSet};

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
