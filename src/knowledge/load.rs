//! Reads the knowledge folder into typed entries, collecting every error.

use super::error::{line_column, KnowledgeError, LoadErrors};
use super::model::{Event, Figure, IntentSpec, Person, Quote, Source};
use super::Knowledge;
use super::{limits, paths, validate};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// An entry as read from its file, with where it stands there.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The entry.
    pub value: T,
    /// The file it came from.
    pub file: PathBuf,
    /// The 1-based line where it starts.
    pub line: usize,
}

impl<T> Located<T> {
    /// An error about this entry.
    pub fn error(
        &self,
        id: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> KnowledgeError {
        KnowledgeError {
            file: self.file.clone(),
            line: Some(self.line),
            column: None,
            entry: Some(id.to_string()),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// Everything read from the folder, before validation.
#[derive(Debug, Default)]
pub struct RawKnowledge {
    /// `sources.toml`, with each article's text read in.
    pub sources: Vec<Located<Source>>,
    /// `people.toml`.
    pub people: Vec<Located<Person>>,
    /// `events.toml`.
    pub events: Vec<Located<Event>>,
    /// `figures.toml`.
    pub figures: Vec<Located<Figure>>,
    /// `quotes.toml`.
    pub quotes: Vec<Located<Quote>>,
    /// `intents.toml`.
    pub intents: Vec<Located<IntentSpec>>,
    /// What is in the files but could not be read; its own error is already
    /// reported, so references to it are not reported again.
    pub unreadable: Unreadable,
}

/// Entries and files that could not be read, by table name (`"source"`, `"person"`, ...).
#[derive(Debug, Default)]
pub struct Unreadable {
    /// (table, id) of entries that do not fit their type, and of sources whose text is missing.
    pub entries: HashSet<(String, String)>,
    /// Tables whose whole file is not valid TOML.
    pub tables: HashSet<String>,
}

impl Unreadable {
    /// Whether an id of a table may exist but could not be read.
    pub fn covers(&self, table: &str, id: &str) -> bool {
        self.tables.contains(table) || self.entries.contains(&(table.to_string(), id.to_string()))
    }
}

/// The files of a knowledge folder, with the table name each holds.
pub const FILES: [(&str, &str); 6] = [
    ("sources.toml", "source"),
    ("people.toml", "person"),
    ("events.toml", "event"),
    ("figures.toml", "figure"),
    ("quotes.toml", "quote"),
    ("intents.toml", "intent"),
];

/// Loads and validates the folder: the knowledge, or every error found.
pub fn load_dir(dir: &Path) -> Result<Knowledge, LoadErrors> {
    let mut errors = Vec::new();
    let mut unreadable = Unreadable::default();
    let mut raw = RawKnowledge {
        sources: read_entries(dir, "sources.toml", "source", &mut errors, &mut unreadable),
        people: read_entries(dir, "people.toml", "person", &mut errors, &mut unreadable),
        events: read_entries(dir, "events.toml", "event", &mut errors, &mut unreadable),
        figures: read_entries(dir, "figures.toml", "figure", &mut errors, &mut unreadable),
        quotes: read_entries(dir, "quotes.toml", "quote", &mut errors, &mut unreadable),
        intents: read_entries(dir, "intents.toml", "intent", &mut errors, &mut unreadable),
        unreadable,
    };
    for source in &mut raw.sources {
        if !read_source_text(dir, source, &mut errors) {
            let id = source.value.id.as_str().to_string();
            raw.unreadable.entries.insert(("source".into(), id));
        }
    }
    errors.extend(validate::validate(&raw));
    if errors.is_empty() {
        Ok(Knowledge::from_entries(dir.to_path_buf(), raw))
    } else {
        Err(LoadErrors(errors))
    }
}

/// Reads an article's text into its source; false (and an error) when it
/// cannot, or when its `file` breaks the rule of [`paths`](super::paths).
fn read_source_text(
    dir: &Path,
    source: &mut Located<Source>,
    errors: &mut Vec<KnowledgeError>,
) -> bool {
    let id = source.value.id.as_str();
    let path = match paths::resolve_file(dir, &source.value.file) {
        Ok(path) => path,
        Err(refused) => {
            errors.push(source.error(id, refused.message, refused.fix));
            return false;
        }
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            source.value.text = text;
            true
        }
        Err(e) => {
            errors.push(source.error(
                id,
                format!("cannot read the article text `{}`: {e}", path.display()),
                "put the article's text in that file (UTF-8), or correct `file` (it is relative to the knowledge folder)",
            ));
            false
        }
    }
}

fn file_error(file: &Path, message: String, fix: &str) -> KnowledgeError {
    KnowledgeError {
        file: file.to_path_buf(),
        line: None,
        column: None,
        entry: None,
        message,
        fix: fix.to_string(),
    }
}

/// Reads the `[[table]]` entries of one file; a missing file is an empty one.
fn read_entries<T: DeserializeOwned>(
    dir: &Path,
    name: &str,
    table: &str,
    errors: &mut Vec<KnowledgeError>,
    unreadable: &mut Unreadable,
) -> Vec<Located<T>> {
    let path = dir.join(name);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(file_error(
                &path,
                format!("cannot read the file: {e}"),
                "check that it exists and is UTF-8 text",
            ));
            unreadable.tables.insert(table.to_string());
            return Vec::new();
        }
    };
    parse_entries_noting(&path, &text, table, errors, unreadable)
}

/// Parses the text of one file; every entry that does not fit its type is an error of its own.
pub fn parse_entries<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    table: &str,
    errors: &mut Vec<KnowledgeError>,
) -> Vec<Located<T>> {
    parse_entries_noting(path, text, table, errors, &mut Unreadable::default())
}

/// [`parse_entries`], noting in `unreadable` what could not be read.
fn parse_entries_noting<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    table: &str,
    errors: &mut Vec<KnowledgeError>,
    unreadable: &mut Unreadable,
) -> Vec<Located<T>> {
    type Tables = BTreeMap<String, Vec<toml::Spanned<toml::Table>>>;
    let tables: Tables = match toml::from_str(text) {
        Ok(tables) => tables,
        Err(e) => {
            let (line, column) = e.span().map(|s| line_column(text, s.start)).unzip();
            errors.push(KnowledgeError {
                file: path.to_path_buf(),
                line,
                column,
                entry: None,
                message: format!("this is not valid TOML here: {}", e.message()),
                fix: format!("each entry is a `[[{table}]]` table of `key = value` lines; strings are in double quotes"),
            });
            unreadable.tables.insert(table.to_string());
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    // Offsets of the line breaks, so that each entry's line is a binary search
    // rather than a count from the top of the file (quadratic in large files).
    let breaks: Vec<usize> = text.match_indices('\n').map(|(at, _)| at).collect();
    let line_of = |offset: usize| breaks.partition_point(|&b| b < offset) + 1;
    for (key, values) in tables {
        if key != table {
            errors.push(file_error(
                path,
                format!("unexpected table `[[{key}]]`"),
                &format!("this file holds only `[[{table}]]` entries"),
            ));
            continue;
        }
        for spanned in values {
            let line = line_of(spanned.span().start);
            let table_value = spanned.into_inner();
            let id = table_value
                .get("id")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            for (message, fix) in limits::oversized(&table_value) {
                errors.push(KnowledgeError {
                    file: path.to_path_buf(),
                    line: Some(line),
                    column: None,
                    entry: id.as_deref().map(paths::shown),
                    message,
                    fix,
                });
            }
            match T::deserialize(toml::Value::Table(table_value)) {
                Ok(value) => entries.push(Located {
                    value,
                    file: path.to_path_buf(),
                    line,
                }),
                Err(e) => {
                    if let Some(id) = &id {
                        unreadable.entries.insert((table.to_string(), id.clone()));
                    }
                    errors.push(KnowledgeError {
                        file: path.to_path_buf(),
                        line: Some(line),
                        column: None,
                        entry: id,
                        message: e.message().trim().to_string(),
                        fix:
                            "see knowledge/README.md for the fields of this entry and their values"
                                .into(),
                    })
                }
            }
        }
    }
    entries
}
