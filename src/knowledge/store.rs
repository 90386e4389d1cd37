//! Safe edits of a knowledge folder: validated, atomic, serialised, audited
//! and undoable. One call per moderator command.
//!
//! Every change is planned in memory, written to a copy of the folder and
//! loaded there with [`Knowledge::load`]: the same rules as at start-up. Only
//! when that load succeeds are the files replaced, each through a temporary
//! file in the same folder that is flushed and renamed over the old one, so a
//! crash leaves either the old file or the new one. The read-modify-write
//! runs under an in-process mutex and an advisory lock on `.kb.lock` in the
//! folder, so processes sharing the folder never lose an edit.
//!
//! Ids and paths are checked against the rule of [`paths`](super::paths)
//! before anything is written, in the copy as in the folder: a refused
//! change leaves every file on the machine as it was.
//!
//! ```no_run
//! use dispute_bot::knowledge::{Actor, Kind, KnowledgeStore};
//! let store = KnowledgeStore::open("knowledge".as_ref());
//! let ann = Actor::new("cli:ann", "ann");
//! let change = store.edit(&ann, Kind::Figure, "postponed-strike-2024-06", &[("value", Some("62000"))]).unwrap();
//! print!("{change}\n{}", change.diff());
//! store.undo(&ann, None).unwrap();
//! ```

use super::audit::{ArticleFile, AuditLog, Change, Op, AUDIT_FILE};
use super::entries::{chunks, insertion_point, separator, slug, Chunk};
use super::limits::{MAX_ARTICLE_BYTES, MAX_ENTRY_BYTES};
use super::paths::{self, Refused};
use super::unanswered::UNANSWERED_FILE;
use super::{Actor, Kind, Knowledge, KnowledgeError, LoadErrors};
use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The advisory lock file taken for every read-modify-write of the folder.
pub const LOCK_FILE: &str = ".kb.lock";

/// Why a change was refused. Nothing was written.
#[derive(Debug)]
pub enum EditError {
    /// The change breaks a rule of the loader; these are its messages.
    Invalid(LoadErrors),
    /// No entry of that kind has that id.
    NotFound {
        /// The kind asked for.
        kind: Kind,
        /// The id asked for.
        id: String,
    },
    /// The request itself cannot be carried out (not TOML, id changed, ...).
    Rejected(String),
    /// Reading or writing the folder failed.
    Io(io::Error),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Invalid(errors) => write!(f, "the change was refused: {errors}"),
            EditError::NotFound { kind, id } => {
                write!(f, "there is no {kind} with id `{id}` in {}", kind.file())
            }
            EditError::Rejected(why) => f.write_str(why),
            EditError::Io(e) => write!(f, "cannot update the knowledge folder: {e}"),
        }
    }
}

impl std::error::Error for EditError {}

impl From<io::Error> for EditError {
    fn from(e: io::Error) -> EditError {
        EditError::Io(e)
    }
}

/// A field's value as a form gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormValue<'a> {
    /// Text kept exactly as typed (a summary, evidence), even when it reads as TOML.
    Text(&'a str),
    /// A value read as by [`KnowledgeStore::edit`]: TOML when it reads as
    /// such (`42`, `["pay"]`), else text.
    Read(&'a str),
}

/// Edits one knowledge folder. Cheap to share (`Arc<KnowledgeStore>`); every
/// method may be called from any thread.
#[derive(Debug)]
pub struct KnowledgeStore {
    root: PathBuf,
    audit: AuditLog,
    lock: Mutex<()>,
}

/// A planned change of one entry, not yet validated or written.
struct Plan {
    op: Op,
    kind: Kind,
    id: String,
    /// The whole new text of the kind's file.
    text: String,
    before: Option<String>,
    after: Option<String>,
    prev: Option<String>,
    separator: String,
    article: Option<ArticleFile>,
    undoes: Option<u64>,
}

/// A file's text with the entries found in it.
struct FileEntries {
    text: String,
    chunks: Vec<Chunk>,
}

impl FileEntries {
    fn find(&self, id: &str) -> Option<(usize, &Chunk)> {
        self.chunks.iter().enumerate().find(|(_, c)| c.id == id)
    }

    fn entry(&self, chunk: &Chunk) -> &str {
        &self.text[chunk.range.clone()]
    }
}

impl KnowledgeStore {
    /// A store over the knowledge folder `root`. Nothing is read until used.
    pub fn open(root: &Path) -> KnowledgeStore {
        KnowledgeStore {
            root: root.to_path_buf(),
            audit: AuditLog::new(root),
            lock: Mutex::new(()),
        }
    }

    /// The knowledge folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Loads and validates the folder as it is now.
    pub fn load(&self) -> Result<Knowledge, LoadErrors> {
        Knowledge::load(&self.root)
    }

    /// The entry as it is stored: its TOML text, comments included.
    pub fn show(&self, kind: Kind, id: &str) -> Result<String, EditError> {
        let file = self.read(kind)?;
        let (_, chunk) = file.find(id).ok_or_else(|| not_found(kind, id))?;
        Ok(file.entry(chunk).to_string())
    }

    /// The ids of a kind, in file order (for autocomplete).
    pub fn ids(&self, kind: Kind) -> Result<Vec<String>, EditError> {
        Ok(self.read(kind)?.chunks.into_iter().map(|c| c.id).collect())
    }

    /// An unused id for a new entry with this title, e.g. `talks-collapse-2`.
    pub fn propose_id(&self, kind: Kind, title: &str) -> Result<String, EditError> {
        let taken: HashSet<String> = self.ids(kind)?.into_iter().collect();
        Ok(self.unique_id(kind, title, &taken))
    }

    /// The most recent changes, newest first.
    pub fn history(&self, limit: usize) -> Result<Vec<Change>, EditError> {
        let mut all = self.audit.read()?;
        all.reverse();
        all.truncate(limit);
        Ok(all)
    }

    /// Adds an entry written as TOML: its `key = value` lines, with or
    /// without the `[[kind]]` header. Without an `id`, one is proposed from
    /// its title. A source needs its article's text, saved as `sources/<id>.txt`.
    pub fn add(
        &self,
        actor: &Actor,
        kind: Kind,
        entry: &str,
        article: Option<&str>,
    ) -> Result<Change, EditError> {
        let table = entry_table(kind, entry)?;
        self.add_table(actor, kind, table, article)
    }

    /// Adds an entry given as fields, each value read as by [`KnowledgeStore::edit`].
    pub fn add_fields(
        &self,
        actor: &Actor,
        kind: Kind,
        fields: &[(&str, &str)],
        article: Option<&str>,
    ) -> Result<Change, EditError> {
        let mut table = toml_edit::Table::new();
        for (key, value) in fields {
            table.insert(key, toml_edit::Item::Value(field_value(value)));
        }
        self.add_table(actor, kind, table, article)
    }

    /// Adds an entry filled in as a form (Discord's `/kb add` modal): each
    /// field either text kept as typed, or a value read as by
    /// [`KnowledgeStore::edit`]. A field given twice is refused.
    pub fn add_form(
        &self,
        actor: &Actor,
        kind: Kind,
        fields: &[(&str, FormValue<'_>)],
        article: Option<&str>,
    ) -> Result<Change, EditError> {
        let mut table = toml_edit::Table::new();
        for (key, value) in fields {
            if table.contains_key(key) {
                return Err(EditError::Rejected(format!(
                    "`{key}` is given twice; give each field once"
                )));
            }
            let value = match value {
                FormValue::Text(text) => toml_edit::Value::from(*text),
                FormValue::Read(text) => field_value(text),
            };
            table.insert(key, toml_edit::Item::Value(value));
        }
        self.add_table(actor, kind, table, article)
    }

    fn add_table(
        &self,
        actor: &Actor,
        kind: Kind,
        mut table: toml_edit::Table,
        article: Option<&str>,
    ) -> Result<Change, EditError> {
        // Checked before the lock is even taken: a hostile id or path touches no file.
        if let Some(id) = table.get("id") {
            let id = id.as_str().ok_or_else(|| {
                EditError::Rejected("`id` must be text, e.g. id = \"strike-2024-06\"".into())
            })?;
            self.check_entry(kind, id, None)?;
        }
        if kind == Kind::Source && article.is_none() {
            if let Some(file) = table.get("file") {
                let id = table.get("id").and_then(|v| v.as_str()).unwrap_or("");
                self.check_entry(kind, id, Some(file))?;
            }
        }
        if let Some(text) = article {
            if text.len() > MAX_ARTICLE_BYTES {
                return Err(EditError::Rejected(format!(
                    "the article's text is {} bytes, more than {MAX_ARTICLE_BYTES}; \
                     keep only the article itself",
                    text.len()
                )));
            }
        }
        self.change(actor, |store| {
            let file = store.read(kind)?;
            let id = match table.get("id").and_then(|v| v.as_str()) {
                Some(id) => id.to_string(),
                None => {
                    let title = table
                        .get(kind.title_field())
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string();
                    let taken = file.chunks.iter().map(|c| c.id.clone()).collect();
                    let id = store.unique_id(kind, &title, &taken);
                    table = with_first(table, "id", &id);
                    id
                }
            };
            let article = match (kind, article) {
                (Kind::Source, Some(text)) => {
                    let path = paths::article_file(&id)
                        .map_err(|refused| store.refused(kind, &id, refused))?;
                    if std::fs::symlink_metadata(store.root.join(&path)).is_ok() {
                        return Err(EditError::Rejected(format!(
                            "`{path}` already exists; give the source another id"
                        )));
                    }
                    table.insert("file", toml_edit::value(path.as_str()));
                    Some(ArticleFile {
                        file: path,
                        text: text.to_string(),
                    })
                }
                (Kind::Source, None) if table.get("file").is_none() => {
                    return Err(EditError::Rejected(
                        "a new source needs its article's text (attach it as a .txt file, or `--article FILE`)".into(),
                    ))
                }
                (Kind::Source, None) => None,
                (_, Some(_)) => {
                    return Err(EditError::Rejected(format!(
                        "only a source takes an article text, not a {kind}"
                    )))
                }
                (_, None) => None,
            };
            if file.find(&id).is_some() {
                return Err(EditError::Rejected(format!(
                    "the id `{id}` is already used in {}; choose another, e.g. `{}`",
                    kind.file(),
                    store.unique_id(kind, &id, &file.chunks.iter().map(|c| c.id.clone()).collect())
                )));
            }
            let after = render(kind, table);
            let sep = separator(&file.text);
            let text = format!("{}{sep}{after}", file.text);
            Ok(Plan {
                op: Op::Add,
                kind,
                id,
                text,
                before: None,
                after: Some(after),
                prev: file.chunks.last().map(|c| c.id.clone()),
                separator: sep.to_string(),
                article,
                undoes: None,
            })
        })
    }

    /// Sets fields of an entry (`None` removes the field). A value is TOML
    /// when it reads as a number, boolean, quoted string, array or inline
    /// table (`42`, `true`, `["pay", "strike"]`); anything else is text.
    /// Comments and the layout of the other lines are kept.
    pub fn edit(
        &self,
        actor: &Actor,
        kind: Kind,
        id: &str,
        fields: &[(&str, Option<&str>)],
    ) -> Result<Change, EditError> {
        if fields.iter().any(|(k, _)| *k == "id") {
            return Err(EditError::Rejected(
                "ids never change once used; remove the entry and add a new one instead".into(),
            ));
        }
        self.change(actor, |store| {
            let file = store.read(kind)?;
            let (_, chunk) = file.find(id).ok_or_else(|| not_found(kind, id))?;
            let before = file.entry(chunk).to_string();
            let mut doc: toml_edit::DocumentMut = before
                .parse()
                .map_err(|e| EditError::Rejected(format!("cannot read the entry: {e}")))?;
            let table = doc[kind.table()]
                .as_array_of_tables_mut()
                .and_then(|a| a.get_mut(0))
                .ok_or_else(|| not_found(kind, id))?;
            for (key, value) in fields {
                match value {
                    None => {
                        table.remove(key);
                    }
                    Some(value) => {
                        let mut new = field_value(value);
                        if let Some(old) = table.get(key).and_then(|i| i.as_value()) {
                            // Keep the spacing and trailing comment of the line.
                            *new.decor_mut() = old.decor().clone();
                        }
                        table.insert(key, toml_edit::Item::Value(new));
                    }
                }
            }
            let after = doc.to_string();
            Ok(store.replace_plan(kind, id, &file, chunk, before, after))
        })
    }

    /// Replaces a whole entry with new TOML text; its id must stay the same.
    pub fn replace(
        &self,
        actor: &Actor,
        kind: Kind,
        id: &str,
        entry: &str,
    ) -> Result<Change, EditError> {
        let mut table = entry_table(kind, entry)?;
        match table.get("id").and_then(|v| v.as_str()) {
            Some(new) if new != id => {
                return Err(EditError::Rejected(format!(
                    "the new text has id `{new}`, not `{id}`: ids never change once used"
                )))
            }
            Some(_) => {}
            None => table = with_first(table, "id", id),
        }
        self.change(actor, |store| {
            let file = store.read(kind)?;
            let (_, chunk) = file.find(id).ok_or_else(|| not_found(kind, id))?;
            let before = file.entry(chunk).to_string();
            let mut after = render(kind, table);
            // Keep the blank lines that set the entry apart from the next.
            let trailing = before.len() - before.trim_end_matches('\n').len();
            after = format!(
                "{}{}",
                after.trim_end_matches('\n'),
                "\n".repeat(trailing.max(1))
            );
            Ok(store.replace_plan(kind, id, &file, chunk, before, after))
        })
    }

    /// Removes an entry. A source's article text is left in place.
    pub fn remove(&self, actor: &Actor, kind: Kind, id: &str) -> Result<Change, EditError> {
        self.change(actor, |store| {
            let file = store.read(kind)?;
            let (n, chunk) = file.find(id).ok_or_else(|| not_found(kind, id))?;
            let mut text = file.text.clone();
            text.replace_range(chunk.range.clone(), "");
            Ok(Plan {
                op: Op::Remove,
                kind,
                id: id.to_string(),
                text,
                before: Some(file.entry(chunk).to_string()),
                after: None,
                prev: n.checked_sub(1).map(|p| file.chunks[p].id.clone()),
                separator: String::new(),
                article: None,
                undoes: None,
            })
        })
    }

    /// Reverses a change: the one numbered `change`, or else the latest
    /// change that is not an undo and was not undone. Refused when the
    /// entry changed since; undo the later changes first.
    pub fn undo(&self, actor: &Actor, change: Option<u64>) -> Result<Change, EditError> {
        self.undo_all(actor, change)
            .map(|mut changes| changes.remove(0))
    }

    /// [`KnowledgeStore::undo`], returning every change it made: one, or one
    /// per entry when the change was part of a batch (an applied draft),
    /// which is undone whole.
    pub fn undo_all(&self, actor: &Actor, change: Option<u64>) -> Result<Vec<Change>, EditError> {
        let batch = undo_target(&self.audit.read()?, change)?.batch;
        if let Some(first) = batch {
            return self.undo_batch(actor, first);
        }
        self.change(actor, |store| {
            let log = store.audit.read()?;
            let target = undo_target(&log, change)?;
            if target.batch.is_some() {
                return Err(EditError::Rejected(
                    "that change became part of a batch meanwhile; run undo again".into(),
                ));
            }
            let (kind, id) = (target.kind, target.id.as_str());
            let file = store.read(kind)?;
            let current = file.find(id);
            let later = || {
                log.iter()
                    .rev()
                    .find(|c| c.kind == kind && c.id == id && c.change > target.change)
                    .map_or(String::new(), |c| format!(" by change #{}", c.change))
            };
            let conflict = |state: &str| {
                EditError::Rejected(format!(
                    "cannot undo #{}: {kind} `{id}` {state} since{}; undo that first",
                    target.change,
                    later()
                ))
            };
            let mut text = file.text.clone();
            match (&target.before, &target.after, current) {
                (_, Some(after), Some((_, chunk))) if file.entry(chunk) != after => {
                    return Err(conflict("was changed"))
                }
                (_, Some(_), None) => return Err(conflict("was removed")),
                (_, None, Some(_)) => return Err(conflict("was added again")),
                (None, Some(_), Some((_, chunk))) => {
                    let mut start = chunk.range.start;
                    if text[..start].ends_with(&target.separator) {
                        start -= target.separator.len();
                    }
                    text.replace_range(start..chunk.range.end, "");
                }
                (Some(before), Some(_), Some((_, chunk))) => {
                    text.replace_range(chunk.range.clone(), before);
                }
                (Some(before), None, None) => {
                    let at = insertion_point(&file.chunks, target.prev.as_deref(), text.len());
                    text.insert_str(at, &format!("{}{before}", target.separator));
                }
                (None, None, None) => {
                    return Err(EditError::Rejected(format!(
                        "change #{} records no entry text to restore",
                        target.change
                    )))
                }
            }
            Ok(Plan {
                op: Op::Undo,
                kind,
                id: id.to_string(),
                text,
                before: target.after.clone(),
                after: target.before.clone(),
                prev: target.prev.clone(),
                separator: target.separator.clone(),
                article: target.article.clone(),
                undoes: Some(target.change),
            })
        })
        .map(|c| vec![c])
    }

    /// Adds several entries as one change (a reviewed draft): planned
    /// together, validated together by the loader, written file by file in
    /// the order entries depend on each other (sources, people, events,
    /// figures, quotes), recorded as one batch in the audit log, and undone
    /// whole by [`KnowledgeStore::undo`]. A source takes the batch's article
    /// text, saved as `sources/<id>.txt`.
    pub fn add_batch(&self, actor: &Actor, batch: &Batch) -> Result<Vec<Change>, EditError> {
        self.locked(|| {
            let planned = self.validated_batch(batch)?;
            if let Some((article, _)) = &planned.article {
                write_atomic(&self.root.join(&article.file), article.text.as_bytes())?;
            }
            for (kind, file) in &planned.files {
                write_atomic(&self.root.join(kind.file()), file.text.as_bytes())?;
            }
            self.record_batch(actor, planned.plans)
        })
    }

    /// Checks a batch as [`KnowledgeStore::add_batch`] would, writing
    /// nothing: `Ok` with the number of entries, or the loader's messages.
    pub fn check_batch(&self, batch: &Batch) -> Result<usize, EditError> {
        self.locked(|| Ok(self.validated_batch(batch)?.plans.len()))
    }

    /// A batch planned and validated by the loader, nothing written yet.
    fn validated_batch(&self, batch: &Batch) -> Result<PlannedBatch, EditError> {
        let planned = self.plan_batch(batch)?;
        let files: Vec<(Kind, &str)> = planned
            .files
            .iter()
            .map(|(k, f)| (*k, f.text.as_str()))
            .collect();
        let article = planned
            .article
            .as_ref()
            .map(|(a, id)| (a, true, id.as_str()));
        self.validate_files(&files, article)?;
        Ok(planned)
    }

    /// The new texts of the files a batch adds to, in dependency order, and one plan per entry.
    fn plan_batch(&self, batch: &Batch) -> Result<PlannedBatch, EditError> {
        if batch.entries.is_empty() {
            return Err(EditError::Rejected(
                "there is nothing to add: the draft has no entries left".into(),
            ));
        }
        let mut files: Vec<(Kind, FileEntries)> = Vec::new();
        let mut plans = Vec::new();
        let mut article = None;
        for entry in &batch.entries {
            let kind = entry.kind;
            if kind == Kind::Intent {
                return Err(EditError::Rejected("a draft does not add intents".into()));
            }
            if !files.iter().any(|(k, _)| *k == kind) {
                files.push((kind, self.read(kind)?));
            }
            let file = &mut files
                .iter_mut()
                .find(|(k, _)| *k == kind)
                .expect("read above")
                .1;
            let mut table = entry.table.clone();
            let id = match table.get("id").and_then(|v| v.as_str()) {
                Some(id) => id.to_string(),
                None => {
                    let title = table
                        .get(kind.title_field())
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string();
                    let taken = file.chunks.iter().map(|c| c.id.clone()).collect();
                    let id = self.unique_id(kind, &title, &taken);
                    table = with_first(table, "id", &id);
                    id
                }
            };
            self.check_entry(kind, &id, None)?;
            if file.find(&id).is_some() {
                return Err(EditError::Rejected(format!(
                    "the id `{id}` of a {kind} is already used in {}: rename it in the draft, or delete the entry if it is the same",
                    kind.file()
                )));
            }
            let mut entry_article = None;
            if kind == Kind::Source {
                match &batch.article {
                    Some(text) => {
                        if text.len() > MAX_ARTICLE_BYTES {
                            return Err(EditError::Rejected(format!(
                                "the article's text is {} bytes, more than {MAX_ARTICLE_BYTES}",
                                text.len()
                            )));
                        }
                        let path = paths::article_file(&id)
                            .map_err(|refused| self.refused(kind, &id, refused))?;
                        if std::fs::symlink_metadata(self.root.join(&path)).is_ok() {
                            return Err(EditError::Rejected(format!(
                                "`{path}` already exists; give the source another id"
                            )));
                        }
                        table.insert("file", toml_edit::value(path.as_str()));
                        let file = ArticleFile {
                            file: path,
                            text: text.clone(),
                        };
                        entry_article = Some(file.clone());
                        article = Some((file, id.clone()));
                    }
                    None => self.check_entry(kind, &id, table.get("file"))?,
                }
            }
            let after = render(kind, table);
            if after.len() > MAX_ENTRY_BYTES {
                return Err(EditError::Rejected(format!(
                    "the {kind} `{id}` is {} bytes of TOML, more than {MAX_ENTRY_BYTES}",
                    after.len()
                )));
            }
            let sep = separator(&file.text);
            let prev = file.chunks.last().map(|c| c.id.clone());
            file.text = format!("{}{sep}{after}", file.text);
            file.chunks = chunks(&file.text, kind.table())
                .map_err(|why| EditError::Rejected(format!("{}: {why}", kind.file())))?;
            plans.push(Plan {
                op: Op::Add,
                kind,
                id,
                text: String::new(),
                before: None,
                after: Some(after),
                prev,
                separator: sep.to_string(),
                article: entry_article,
                undoes: None,
            });
        }
        files.sort_by_key(|(k, _)| Kind::ALL.iter().position(|a| a == k));
        Ok(PlannedBatch {
            files,
            plans,
            article,
        })
    }

    /// Appends one audit record per entry of a batch, all naming the first.
    fn record_batch(&self, actor: &Actor, plans: Vec<Plan>) -> Result<Vec<Change>, EditError> {
        let first = self.audit.read()?.last().map_or(1, |c| c.change + 1);
        let at = chrono::Utc::now();
        let mut changes = Vec::new();
        for (n, plan) in plans.into_iter().enumerate() {
            let change = Change {
                change: first + n as u64,
                at,
                actor: actor.clone(),
                op: plan.op,
                kind: plan.kind,
                id: plan.id,
                before: plan.before,
                after: plan.after,
                prev: plan.prev,
                separator: plan.separator,
                article: plan.article,
                undoes: plan.undoes,
                batch: Some(first),
            };
            self.audit.append(&change)?;
            tracing::info!("knowledge {change}");
            changes.push(change);
        }
        Ok(changes)
    }

    /// Removes every entry a batch added, if none changed since, as one batch of undos.
    fn undo_batch(&self, actor: &Actor, first: u64) -> Result<Vec<Change>, EditError> {
        self.locked(|| {
            let log = self.audit.read()?;
            let undone: HashSet<u64> = log.iter().filter_map(|c| c.undoes).collect();
            let members: Vec<&Change> = log
                .iter()
                .filter(|c| c.batch == Some(first) && !undone.contains(&c.change))
                .collect();
            if members.is_empty() {
                return Err(EditError::Rejected(format!(
                    "the entries added with change #{first} were already undone"
                )));
            }
            if members.iter().any(|c| c.op != Op::Add) {
                return Err(EditError::Rejected(format!(
                    "change #{first} undid an applied draft; apply the draft again to add its entries back"
                )));
            }
            let mut files: Vec<(Kind, FileEntries)> = Vec::new();
            let mut plans = Vec::new();
            let mut article = None;
            for target in members.iter().rev() {
                let kind = target.kind;
                if !files.iter().any(|(k, _)| *k == kind) {
                    files.push((kind, self.read(kind)?));
                }
                let file = &mut files.iter_mut().find(|(k, _)| *k == kind).expect("read above").1;
                let conflict = |state: &str| {
                    EditError::Rejected(format!(
                        "cannot undo #{first}: {kind} `{}` {state} since; undo or revert that first",
                        target.id
                    ))
                };
                let (_, chunk) = file.find(&target.id).ok_or_else(|| conflict("was removed"))?;
                if Some(file.entry(chunk)) != target.after.as_deref() {
                    return Err(conflict("was changed"));
                }
                let mut start = chunk.range.start;
                let end = chunk.range.end;
                if file.text[..start].ends_with(&target.separator) {
                    start -= target.separator.len();
                }
                file.text.replace_range(start..end, "");
                file.chunks = chunks(&file.text, kind.table())
                    .map_err(|why| EditError::Rejected(format!("{}: {why}", kind.file())))?;
                if let Some(a) = &target.article {
                    article = Some((a.clone(), target.id.clone()));
                }
                plans.push(Plan {
                    op: Op::Undo,
                    kind,
                    id: target.id.clone(),
                    text: String::new(),
                    before: target.after.clone(),
                    after: None,
                    prev: target.prev.clone(),
                    separator: target.separator.clone(),
                    article: target.article.clone(),
                    undoes: Some(target.change),
                });
            }
            // Removed in the reverse order of their dependencies: quotes first, sources last.
            files.sort_by_key(|(k, _)| std::cmp::Reverse(Kind::ALL.iter().position(|a| a == k)));
            let texts: Vec<(Kind, &str)> = files.iter().map(|(k, f)| (*k, f.text.as_str())).collect();
            let check = article.as_ref().map(|(a, id)| (a, false, id.as_str()));
            self.validate_files(&texts, check)?;
            for (kind, file) in &files {
                write_atomic(&self.root.join(kind.file()), file.text.as_bytes())?;
            }
            if let Some((a, _)) = &article {
                match std::fs::remove_file(self.root.join(&a.file)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
                    _ => {}
                }
            }
            self.record_batch(actor, plans)
        })
    }

    fn replace_plan(
        &self,
        kind: Kind,
        id: &str,
        file: &FileEntries,
        chunk: &Chunk,
        before: String,
        after: String,
    ) -> Plan {
        let mut text = file.text.clone();
        text.replace_range(chunk.range.clone(), &after);
        Plan {
            op: Op::Edit,
            kind,
            id: id.to_string(),
            text,
            before: Some(before),
            after: Some(after),
            prev: None,
            separator: String::new(),
            article: None,
            undoes: None,
        }
    }

    /// Runs one read-modify-write under both locks: plan, validate, write, audit.
    fn change(
        &self,
        actor: &Actor,
        plan: impl FnOnce(&Self) -> Result<Plan, EditError>,
    ) -> Result<Change, EditError> {
        self.locked(|| self.write_plan(actor, plan(self)?))
    }

    /// Runs `f` holding both locks: the in-process mutex and the folder's advisory lock.
    fn locked<T>(&self, f: impl FnOnce() -> Result<T, EditError>) -> Result<T, EditError> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join(LOCK_FILE))?;
        // Called through the trait: std's own `File::lock` is newer than our MSRV.
        fs4::FileExt::lock(&lock)?;
        self.remove_stale_temporaries();
        f()
    }

    /// Validates, writes and audits one planned change; called under the locks.
    fn write_plan(&self, actor: &Actor, plan: Plan) -> Result<Change, EditError> {
        if plan.before == plan.after && plan.article.is_none() {
            return Err(EditError::Rejected(format!(
                "nothing to change in {} `{}`",
                plan.kind, plan.id
            )));
        }
        let write_article = plan.after.is_some();
        self.check_plan(&plan)?;
        self.validate(&plan, write_article)?;

        // The article first and its removal last: a crash in between leaves
        // an unused text file, never a source without its text.
        if let (Some(article), true) = (&plan.article, write_article) {
            write_atomic(&self.root.join(&article.file), article.text.as_bytes())?;
        }
        write_atomic(&self.root.join(plan.kind.file()), plan.text.as_bytes())?;
        if let (Some(article), false) = (&plan.article, write_article) {
            match std::fs::remove_file(self.root.join(&article.file)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }

        let number = self.audit.read()?.last().map_or(1, |c| c.change + 1);
        let change = Change {
            change: number,
            at: chrono::Utc::now(),
            actor: actor.clone(),
            op: plan.op,
            kind: plan.kind,
            id: plan.id,
            before: plan.before,
            after: plan.after,
            prev: plan.prev,
            separator: plan.separator,
            article: plan.article,
            undoes: plan.undoes,
            batch: None,
        };
        self.audit.append(&change)?;
        tracing::info!("knowledge {change}");
        Ok(change)
    }

    /// Removes temporary files left by a writer that died mid-save. Only
    /// called under the folder's lock, when no other save is under way.
    fn remove_stale_temporaries(&self) {
        for dir in [self.root.clone(), self.root.join("sources")] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(".kb-") && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }

    /// Loads a copy of the folder with the planned files in place.
    fn validate(&self, plan: &Plan, write_article: bool) -> Result<(), EditError> {
        let article = plan
            .article
            .as_ref()
            .map(|a| (a, write_article, plan.id.as_str()));
        self.validate_files(&[(plan.kind, plan.text.as_str())], article)
    }

    /// Loads a copy of the folder with these files' new texts in place, and
    /// the article written (or removed) as given, with its source's id.
    fn validate_files(
        &self,
        files: &[(Kind, &str)],
        article: Option<(&ArticleFile, bool, &str)>,
    ) -> Result<(), EditError> {
        let copy = tempfile::Builder::new()
            .prefix("dispute-bot-kb-")
            .tempdir()?;
        copy_knowledge(&self.root, copy.path())?;
        for (kind, text) in files {
            std::fs::write(copy.path().join(kind.file()), text)?;
        }
        if let Some((article, write_article, id)) = article {
            let path = paths::resolve_file(copy.path(), &article.file)
                .map_err(|refused| self.refused(Kind::Source, id, refused))?;
            // Whatever is there (a link copied from the folder) is replaced, never written through.
            let _ = std::fs::remove_file(&path);
            if write_article {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?
                    .write_all(article.text.as_bytes())?;
            }
        }
        Knowledge::load(copy.path())
            .map(drop)
            .map_err(|errors| EditError::Invalid(relocate(errors, copy.path(), &self.root)))
    }

    /// Checks the ids and paths a plan would write or read against the rule
    /// of [`paths`](super::paths), in the folder itself (symbolic links included).
    fn check_plan(&self, plan: &Plan) -> Result<(), EditError> {
        if let Some(article) = &plan.article {
            paths::resolve_file(&self.root, &article.file)
                .map_err(|refused| self.refused(plan.kind, &plan.id, refused))?;
        }
        if plan.op == Op::Add {
            self.check_entry(plan.kind, &plan.id, None)?;
        }
        if let (Kind::Source, Some(after)) = (plan.kind, &plan.after) {
            // An entry this cannot read is still checked: the copy's loader applies the same rule.
            if let Some(file) = entry_table(plan.kind, after)
                .ok()
                .and_then(|t| t.get("file").cloned())
            {
                self.check_entry(plan.kind, &plan.id, Some(&file))?;
            }
        }
        Ok(())
    }

    /// Checks a new entry's id, and a source's `file` when given.
    fn check_entry(
        &self,
        kind: Kind,
        id: &str,
        file: Option<&toml_edit::Item>,
    ) -> Result<(), EditError> {
        if !id.is_empty() {
            paths::check_id(id).map_err(|refused| self.refused(kind, id, refused))?;
        }
        if let Some(file) = file {
            let file = file.as_str().ok_or_else(|| {
                EditError::Rejected(
                    "`file` must be text, e.g. file = \"sources/ballot.txt\"".into(),
                )
            })?;
            paths::resolve_file(&self.root, file)
                .map_err(|refused| self.refused(kind, id, refused))?;
        }
        Ok(())
    }

    /// A path or id refused by the rule, told as the loader tells it.
    fn refused(&self, kind: Kind, id: &str, refused: Refused) -> EditError {
        EditError::Invalid(LoadErrors(vec![KnowledgeError {
            file: self.root.join(kind.file()),
            line: None,
            column: None,
            entry: (!id.is_empty()).then(|| paths::shown(id)),
            message: refused.message,
            fix: refused.fix,
        }]))
    }

    fn read(&self, kind: Kind) -> Result<FileEntries, EditError> {
        let path = self.root.join(kind.file());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e.into()),
        };
        let chunks = chunks(&text, kind.table())
            .map_err(|why| EditError::Rejected(format!("{}: {why}", path.display())))?;
        Ok(FileEntries { text, chunks })
    }

    fn unique_id(&self, kind: Kind, title: &str, taken: &HashSet<String>) -> String {
        let base = match slug(title) {
            s if s.is_empty() => kind.table().to_string(),
            // Room for a `-N` suffix within the longest id allowed.
            s => s[..s.len().min(paths::MAX_ID_LEN - 8)]
                .trim_end_matches('-')
                .to_string(),
        };
        let free = |id: &str| {
            !taken.contains(id)
                && (kind != Kind::Source
                    || paths::article_file(id)
                        .is_ok_and(|file| std::fs::symlink_metadata(self.root.join(file)).is_err()))
        };
        if free(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| free(id))
            .expect("some suffix is free")
    }
}

/// One entry of a [`Batch`]: its kind and its fields.
#[derive(Debug, Clone)]
pub struct BatchEntry {
    /// The kind of entry.
    pub kind: Kind,
    /// Its fields, as a TOML table (`id` may be left out: one is proposed).
    pub table: toml_edit::Table,
}

/// Entries added together as one change, such as a reviewed draft.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// The entries, in the order they are added.
    pub entries: Vec<BatchEntry>,
    /// The article text of the batch's source, saved as `sources/<id>.txt`.
    pub article: Option<String>,
}

/// A batch planned in memory: the files' new texts and one plan per entry.
struct PlannedBatch {
    files: Vec<(Kind, FileEntries)>,
    plans: Vec<Plan>,
    article: Option<(ArticleFile, String)>,
}

/// The change an undo reverses: the one numbered, or the latest that is
/// not an undo and was not undone.
fn undo_target(log: &[Change], change: Option<u64>) -> Result<&Change, EditError> {
    match change {
        Some(n) => log
            .iter()
            .find(|c| c.change == n)
            .ok_or_else(|| EditError::Rejected(format!("there is no change #{n}"))),
        None => {
            let undone: HashSet<u64> = log.iter().filter_map(|c| c.undoes).collect();
            log.iter()
                .rev()
                .find(|c| c.op != Op::Undo && !undone.contains(&c.change))
                .ok_or_else(|| EditError::Rejected("there is no change to undo".into()))
        }
    }
}

fn not_found(kind: Kind, id: &str) -> EditError {
    EditError::NotFound {
        kind,
        id: id.to_string(),
    }
}

/// Reads a value as TOML when it is one (not a date: those are written as
/// text, "2024-07-23"), else as text.
fn field_value(value: &str) -> toml_edit::Value {
    match value.trim().parse::<toml_edit::Value>() {
        Ok(v) if !v.is_datetime() => {
            let mut v = v;
            v.decor_mut().clear();
            v
        }
        _ => toml_edit::Value::from(value),
    }
}

/// The table of one entry written as TOML, with or without its header, or
/// on one line as an inline table (`{ measure = "...", value = 42 }`, as a
/// Discord option, which has no line breaks, carries it).
fn entry_table(kind: Kind, entry: &str) -> Result<toml_edit::Table, EditError> {
    if entry.len() > MAX_ENTRY_BYTES {
        return Err(EditError::Rejected(format!(
            "the entry is {} bytes of TOML, more than {MAX_ENTRY_BYTES}; one entry is a few lines",
            entry.len()
        )));
    }
    if entry.trim_start().starts_with('{') {
        return match entry.trim().parse::<toml_edit::Value>() {
            Ok(toml_edit::Value::InlineTable(t)) => Ok(t.into_table()),
            Ok(_) => Err(EditError::Rejected(
                "the entry is not a TOML inline table".into(),
            )),
            Err(e) => Err(EditError::Rejected(format!(
                "the entry is not a valid TOML inline table \
                 (write {{ key = value, ... }}, e.g. {{ measure = \"...\", value = 42 }}): {e}"
            ))),
        };
    }
    let doc: toml_edit::DocumentMut = entry
        .parse()
        .map_err(|e| EditError::Rejected(format!("the entry is not valid TOML: {e}")))?;
    let table = kind.table();
    match doc.get(table).and_then(|i| i.as_array_of_tables()) {
        Some(list) if list.len() == 1 && doc.len() == 1 => {
            Ok(list.get(0).cloned().unwrap_or_default())
        }
        Some(list) => Err(EditError::Rejected(format!(
            "give one `[[{table}]]` entry at a time (found {} and {} other keys)",
            list.len(),
            doc.len() - 1
        ))),
        None => {
            let mut t = doc.as_table().clone();
            t.decor_mut().clear();
            Ok(t)
        }
    }
}

/// The table with `key = value` as its first line.
fn with_first(table: toml_edit::Table, key: &str, value: &str) -> toml_edit::Table {
    let mut out = toml_edit::Table::new();
    out.insert(key, toml_edit::value(value));
    for (k, item) in table.iter() {
        out.insert(k, item.clone());
    }
    out
}

/// One entry as the text of its chunk: `[[kind]]` and its lines.
fn render(kind: Kind, mut table: toml_edit::Table) -> String {
    table.set_implicit(false);
    table.decor_mut().clear();
    let mut list = toml_edit::ArrayOfTables::new();
    list.push(table);
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert(kind.table(), toml_edit::Item::ArrayOfTables(list));
    let mut text = doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Copies what the loader reads: everything but the logs, the lock and hidden files.
fn copy_knowledge(from: &Path, to: &Path) -> io::Result<()> {
    let sources = from.canonicalize()?.join(paths::SOURCES_DIR);
    copy_tree(from, to, &sources)
}

fn copy_tree(from: &Path, to: &Path, sources: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == AUDIT_FILE || name == UNANSWERED_FILE {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(to.join(&*name))?;
            copy_tree(&entry.path(), &to.join(&*name), sources)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&*name))?;
        } else if kind.is_symlink() {
            copy_link(&entry.path(), &to.join(&*name), sources)?;
        }
    }
    Ok(())
}

/// Copies a symbolic link so that the copy's loader judges it as the
/// folder's would: a link to a file that the path rule allows (anywhere but
/// under `sources/`, or to a file inside `sources/`) becomes that file's
/// text; any other link is copied as the link itself, which the rule refuses
/// in the copy as in the folder.
#[cfg(unix)]
fn copy_link(from: &Path, to: &Path, sources: &Path) -> io::Result<()> {
    let under_sources = from
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .is_some_and(|p| p.starts_with(sources));
    match from.canonicalize() {
        Ok(real) if real.is_file() && (!under_sources || real.starts_with(sources)) => {
            std::fs::copy(real, to).map(drop)
        }
        _ => std::os::unix::fs::symlink(std::fs::read_link(from)?, to),
    }
}

#[cfg(not(unix))]
fn copy_link(from: &Path, to: &Path, _sources: &Path) -> io::Result<()> {
    std::fs::copy(from, to).map(drop)
}

/// The loader's errors about the copy, told about the real folder.
fn relocate(errors: LoadErrors, copy: &Path, root: &Path) -> LoadErrors {
    let (copy_text, root_text) = (copy.display().to_string(), root.display().to_string());
    LoadErrors(
        errors
            .0
            .into_iter()
            .map(|e| KnowledgeError {
                file: e
                    .file
                    .strip_prefix(copy)
                    .map_or(e.file.clone(), |rel| root.join(rel)),
                message: e.message.replace(&copy_text, &root_text),
                ..e
            })
            .collect(),
    )
}

/// Replaces a file so that a crash at any moment leaves the old or the new one:
/// write a temporary file beside it, flush it, rename it over, flush the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".kb-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    match std::fs::metadata(path) {
        Ok(meta) => std::fs::set_permissions(tmp.path(), meta.permissions())?,
        Err(_) => set_new_file_permissions(tmp.path())?,
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// A new file is readable by all, as files written by hand are (tempfile makes it private).
#[cfg(unix)]
fn set_new_file_permissions(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_permissions(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values() {
        let cases: &[(&str, &str)] = &[
            ("42", "42"),
            ("true", "true"),
            ("[\"pay\", \"strike\"]", "[\"pay\", \"strike\"]"),
            ("\"quoted\"", "\"quoted\""),
            ("2024-07-23", "\"2024-07-23\""),
            ("2024-07", "\"2024-07\""),
            ("more than 50,000", "\"more than 50,000\""),
        ];
        for (input, toml) in cases {
            assert_eq!(field_value(input).to_string(), *toml, "{input}");
        }
    }

    #[test]
    fn entry_with_or_without_header() {
        let a = entry_table(Kind::Figure, "[[figure]]\nid = \"x\"\n").unwrap();
        let b = entry_table(Kind::Figure, "id = \"x\"\n").unwrap();
        assert_eq!(a.get("id").unwrap().as_str(), Some("x"));
        assert_eq!(b.get("id").unwrap().as_str(), Some("x"));
        assert!(entry_table(Kind::Figure, "[[figure]]\n[[figure]]\n").is_err());
        let inline = entry_table(Kind::Figure, r#" { id = "x", topics = ["pay"] } "#).unwrap();
        assert_eq!(
            render(Kind::Figure, inline),
            "[[figure]]\nid = \"x\"\ntopics = [\"pay\"]\n"
        );
        assert!(entry_table(Kind::Figure, "{ id = ").is_err());
        assert_eq!(
            render(Kind::Figure, with_first(b, "measure", "m")),
            "[[figure]]\nmeasure = \"m\"\nid = \"x\"\n"
        );
    }
}
