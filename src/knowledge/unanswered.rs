//! Questions the bot declined, kept for a while so moderators see what to add
//! (`/kb unanswered`, `dispute-bot kb unanswered`).
//!
//! What is kept: the question's text (at most 300 characters) and when it was
//! asked, nothing about who asked or where. For how long: the latest 500
//! questions of the last 30 days; older ones are dropped when read and when
//! the file is compacted. The file is `unanswered.jsonl` in the knowledge
//! folder, one JSON object per line; delete it at any time.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The name of the store in the knowledge folder.
pub const UNANSWERED_FILE: &str = "unanswered.jsonl";
/// How many declined questions are kept.
pub const MAX_KEPT: usize = 500;
/// How long a declined question is kept, in days.
pub const MAX_AGE_DAYS: i64 = 30;
/// The longest question kept, in characters; the rest is cut.
pub const MAX_QUESTION_CHARS: usize = 300;

/// One declined question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declined {
    /// When it was asked.
    pub at: DateTime<Utc>,
    /// The question as asked (cut to [`MAX_QUESTION_CHARS`]).
    pub question: String,
}

/// What `/kb unanswered` shows: how many, and the most asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredSummary {
    /// Declined questions kept (within the last 30 days, at most 500).
    pub count: usize,
    /// When the oldest of them was asked.
    pub since: Option<DateTime<Utc>>,
    /// Distinct questions (compared ignoring case and spacing), most asked
    /// first, then most recent: (question, times asked).
    pub examples: Vec<(String, usize)>,
}

/// The bounded store of declined questions of one knowledge folder.
#[derive(Debug)]
pub struct UnansweredLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl UnansweredLog {
    /// The store in the knowledge folder `root`.
    pub fn new(root: &Path) -> UnansweredLog {
        UnansweredLog {
            path: root.join(UNANSWERED_FILE),
            lock: Mutex::new(()),
        }
    }

    /// Where the store is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps a declined question; the file is compacted when it holds twice
    /// the questions kept.
    pub fn record(&self, question: &str, at: DateTime<Utc>) -> io::Result<()> {
        let question: String = question.trim().chars().take(MAX_QUESTION_CHARS).collect();
        if question.is_empty() {
            return Ok(());
        }
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut line =
            serde_json::to_string(&Declined { at, question }).map_err(io::Error::other)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())?;
        drop(file);
        let lines = std::fs::read(&self.path)?
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        if lines > 2 * MAX_KEPT {
            let kept = keep(self.read_all()?, at);
            let mut text = String::new();
            for d in &kept {
                text.push_str(&serde_json::to_string(d).map_err(io::Error::other)?);
                text.push('\n');
            }
            super::store::write_atomic(&self.path, text.as_bytes())?;
        }
        Ok(())
    }

    /// The questions kept as of `now`, oldest first.
    pub fn recent(&self, now: DateTime<Utc>) -> io::Result<Vec<Declined>> {
        Ok(keep(self.read_all()?, now))
    }

    /// How many questions were declined recently and the most asked of them.
    pub fn summary(&self, now: DateTime<Utc>, examples: usize) -> io::Result<UnansweredSummary> {
        self.summary_by(now, examples, |_| String::new())
    }

    /// [`UnansweredLog::summary`] with questions grouped by `key` (the
    /// engine's normalised terms, say, so that "when's the next strike" and
    /// "next strike when?" count together); a question whose key is empty is
    /// grouped by its text, ignoring case and spacing. Each group shows its
    /// latest question.
    pub fn summary_by(
        &self,
        now: DateTime<Utc>,
        examples: usize,
        key: impl Fn(&str) -> String,
    ) -> io::Result<UnansweredSummary> {
        let recent = self.recent(now)?;
        // (times asked, latest position, question as last asked), by key.
        let mut by_text: HashMap<String, (usize, usize, &str)> = HashMap::new();
        for (i, d) in recent.iter().enumerate() {
            let key = match key(&d.question) {
                k if k.trim().is_empty() => d
                    .question
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase(),
                k => format!("\u{0}{k}"),
            };
            let e = by_text.entry(key).or_insert((0, i, &d.question));
            e.0 += 1;
            e.1 = i;
            e.2 = &d.question;
        }
        let mut list: Vec<_> = by_text.into_values().collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        Ok(UnansweredSummary {
            count: recent.len(),
            since: recent.first().map(|d| d.at),
            examples: list
                .into_iter()
                .take(examples)
                .map(|(n, _, q)| (q.to_string(), n))
                .collect(),
        })
    }

    fn read_all(&self) -> io::Result<Vec<Declined>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => Ok(text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

/// The latest [`MAX_KEPT`] questions not older than [`MAX_AGE_DAYS`].
fn keep(mut all: Vec<Declined>, now: DateTime<Utc>) -> Vec<Declined> {
    let oldest = now - Duration::days(MAX_AGE_DAYS);
    all.retain(|d| d.at >= oldest);
    let extra = all.len().saturating_sub(MAX_KEPT);
    all.drain(..extra);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_500_of_the_last_30_days() {
        let dir = tempfile::tempdir().unwrap();
        let log = UnansweredLog::new(dir.path());
        let now = Utc::now();
        log.record("an old question", now - Duration::days(31))
            .unwrap();
        for i in 0..1100 {
            log.record(&format!("question {}", i % 3), now).unwrap();
        }
        log.record("  When is the NEXT strike? ", now).unwrap();
        log.record("when is the next   strike?", now).unwrap();
        let s = log.summary(now, 2).unwrap();
        assert_eq!(s.count, MAX_KEPT);
        assert_eq!(s.examples.len(), 2);
        assert!(s.examples.iter().all(|(q, _)| q.starts_with("question")));
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text.lines().count() <= 2 * MAX_KEPT + 1);
        assert!(!text.contains("an old question"));
        let s = log.summary(now, 10).unwrap();
        assert!(s
            .examples
            .contains(&("when is the next   strike?".into(), 2)));
    }

    #[test]
    fn questions_with_the_same_key_are_counted_together() {
        let dir = tempfile::tempdir().unwrap();
        let log = UnansweredLog::new(dir.path());
        let now = Utc::now();
        for q in [
            "when is the next strike?",
            "next strike when",
            "why did he resign?",
            "hmm",
        ] {
            log.record(q, now).unwrap();
        }
        let key = |q: &str| {
            let mut words: Vec<&str> = q
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| ["next", "strike", "resign"].contains(w))
                .collect();
            words.sort();
            words.join(" ")
        };
        let s = log.summary_by(now, 10, key).unwrap();
        assert_eq!(s.count, 4);
        assert_eq!(s.examples[0], ("next strike when".to_string(), 2));
        assert_eq!(s.examples.len(), 3);
    }
}
