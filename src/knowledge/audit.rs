//! The audit log: every change to the knowledge, who made it, when, and the
//! entry's text before and after. One JSON object per line, appended only,
//! in `audit.jsonl` of the knowledge folder; `undo` works from it.
//!
//! ```text
//! {"change":3,"at":"2024-09-02T10:00:00Z","actor":{"id":"cli:ann","name":"ann"},"op":"edit","kind":"figure","id":"x","before":"[[figure]]\n...","after":"[[figure]]\n..."}
//! ```

use super::Kind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The name of the audit log in the knowledge folder.
pub const AUDIT_FILE: &str = "audit.jsonl";

/// Who made a change: a stable id (a Discord user id, `cli:NAME`) and a display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable id, e.g. a Discord user id or `cli:ann`.
    pub id: String,
    /// The name shown in the history.
    pub name: String,
}

impl Actor {
    /// An actor with this id and name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
        }
    }
}

/// What a change did to its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// A new entry.
    Add,
    /// Fields of an entry set, removed, or the whole entry replaced.
    Edit,
    /// An entry removed.
    Remove,
    /// An earlier change reversed.
    Undo,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Add => "add",
            Op::Edit => "edit",
            Op::Remove => "remove",
            Op::Undo => "undo",
        })
    }
}

/// An article text written along with its source, kept so undo can restore it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFile {
    /// Relative to the knowledge folder, e.g. `sources/talks-collapse.txt`.
    pub file: String,
    /// The article's text.
    pub text: String,
}

/// One change, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Its number, counting from 1 in this folder.
    pub change: u64,
    /// When it was saved.
    pub at: DateTime<Utc>,
    /// Who made it.
    pub actor: Actor,
    /// What it did.
    pub op: Op,
    /// The kind of entry.
    pub kind: Kind,
    /// The entry's id.
    pub id: String,
    /// The entry's TOML text before (none when it was added).
    pub before: Option<String>,
    /// The entry's TOML text after (none when it was removed).
    pub after: Option<String>,
    /// The id of the entry just before it in its file, where it goes back on undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// Blank lines put before an added entry, removed again on undo.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub separator: String,
    /// The article text a new source came with: written when the entry
    /// exists after the change, deleted when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleFile>,
    /// For an undo, the change it reversed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<u64>,
    /// For one of several entries changed together (an applied draft), the
    /// number of the first: the batch is undone as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
}

impl Change {
    /// A short line diff of the entry: `-` lines before, `+` lines after.
    pub fn diff(&self) -> String {
        let before: Vec<&str> = self
            .before
            .as_deref()
            .map_or(Vec::new(), |t| t.lines().collect());
        let after: Vec<&str> = self
            .after
            .as_deref()
            .map_or(Vec::new(), |t| t.lines().collect());
        let mut out = String::new();
        for line in before
            .iter()
            .filter(|l| !after.contains(l) && !l.trim().is_empty())
        {
            out.push_str(&format!("- {line}\n"));
        }
        for line in after
            .iter()
            .filter(|l| !before.contains(l) && !l.trim().is_empty())
        {
            out.push_str(&format!("+ {line}\n"));
        }
        if out.is_empty() {
            out.push_str("(no change in the entry's text)\n");
        }
        out
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} {} {} `{}` by {} ({}) at {}",
            self.change,
            self.op,
            self.kind,
            self.id,
            self.actor.name,
            self.actor.id,
            self.at.format("%Y-%m-%d %H:%M:%S UTC")
        )?;
        if let Some(n) = self.undoes {
            write!(f, ", undoing #{n}")?;
        }
        if let Some(n) = self.batch.filter(|n| *n != self.change) {
            write!(f, ", with #{n}")?;
        }
        Ok(())
    }
}

/// The append-only log of changes of one knowledge folder.
#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    /// The log of the folder `root`.
    pub fn new(root: &Path) -> AuditLog {
        AuditLog {
            path: root.join(AUDIT_FILE),
        }
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every change recorded, oldest first. A line that cannot be read (the
    /// tail of a write cut short by a crash) is skipped with a warning.
    pub fn read(&self) -> io::Result<Vec<Change>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut changes = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(change) => changes.push(change),
                Err(e) => tracing::warn!(
                    "{}:{}: skipping an unreadable audit line: {e}",
                    self.path.display(),
                    n + 1
                ),
            }
        }
        Ok(changes)
    }

    /// Appends one change and flushes it to disk. The caller holds the folder's lock.
    pub fn append(&self, change: &Change) -> io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&self.path)?;
        let mut line = serde_json::to_string(change).map_err(io::Error::other)?;
        line.push('\n');
        // A line cut short by a crash must not swallow this one.
        let len = file.metadata()?.len();
        if len > 0 {
            use std::io::{Read, Seek, SeekFrom};
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                line.insert(0, '\n');
            }
        }
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_changed_lines_only() {
        let change = Change {
            change: 1,
            at: Utc::now(),
            actor: Actor::new("1", "ann"),
            op: Op::Edit,
            kind: Kind::Figure,
            id: "x".into(),
            before: Some("[[figure]]\nid = \"x\"\nvalue = 1\n".into()),
            after: Some("[[figure]]\nid = \"x\"\nvalue = 2\n".into()),
            prev: None,
            separator: String::new(),
            article: None,
            undoes: None,
            batch: None,
        };
        assert_eq!(change.diff(), "- value = 1\n+ value = 2\n");
        let json = serde_json::to_string(&change).unwrap();
        assert!(json.contains("\"kind\":\"figure\""), "{json}");
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), change);
    }
}
