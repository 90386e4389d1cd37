//! The draft file: the knowledge format (`[[source]]`, `[[person]]`,
//! `[[event]]`, `[[figure]]`, `[[quote]]`) with the drafter's doubts as
//! `# check:` comments, and a `[draft]` table holding the article's text, so
//! that the file alone can be reviewed, checked and applied.
//!
//! ```text
//! # check: a strike recognised from its sentence: check the kind, the date and the summary
//! [[event]]
//! id = "strike-2025-06"
//! ...
//! [draft]
//! status = "unreviewed"
//! article = """..."""
//! ```

use super::{Draft, Proposed};
use crate::knowledge::store::{Batch, BatchEntry};
use crate::knowledge::Kind;
use serde::Serialize;

/// The table that marks a file as a draft and holds the article's text.
pub const DRAFT_TABLE: &str = "draft";

/// The kinds a draft may hold, in the order they are written and applied.
const KINDS: [Kind; 5] = [
    Kind::Source,
    Kind::Person,
    Kind::Event,
    Kind::Figure,
    Kind::Quote,
];

/// One entry as `[[kind]]` TOML, numbers that are whole written as such and empty lists left out.
fn render<T: Serialize>(kind: Kind, entry: &T) -> String {
    let mut value = toml::Value::try_from(entry).expect("entries serialise to TOML");
    tidy(&mut value);
    let mut doc = toml::Table::new();
    doc.insert(kind.table().into(), toml::Value::Array(vec![value]));
    let text = toml::to_string(&doc).expect("a table serialises");
    // The id first, as in the knowledge files (the serialiser sorts the keys).
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(at) = lines.iter().position(|l| l.starts_with("id = ")) {
        let id = lines.remove(at);
        lines.insert(1, id);
    }
    lines.join("\n") + "\n"
}

fn tidy(value: &mut toml::Value) {
    match value {
        toml::Value::Table(t) => {
            t.retain(|_, v| !matches!(v, toml::Value::Array(a) if a.is_empty()));
            if let Some(toml::Value::Float(f)) = t.get("value") {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    let whole = *f as i64;
                    t.insert("value".into(), toml::Value::Integer(whole));
                }
            }
            for (_, v) in t.iter_mut() {
                tidy(v);
            }
        }
        toml::Value::Array(a) => a.iter_mut().for_each(tidy),
        _ => {}
    }
}

fn entry_block<T: Serialize>(out: &mut String, kind: Kind, p: &Proposed<T>, commented: bool) {
    for d in &p.doubts {
        out.push_str(&format!("# check: {d}\n"));
    }
    let text = render(kind, &p.entry);
    if commented {
        for line in text.lines() {
            out.push_str(&format!("# {line}\n"));
        }
    } else {
        out.push_str(&text);
    }
    out.push('\n');
}

impl Draft {
    /// The draft as a file: every proposed entry, the doubts as comments, and the `[draft]` table.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# A DRAFT of the knowledge of one article, written by `dispute-bot kb draft`.\n\
             # The bot does not answer from it until it is applied. Review every entry:\n\
             # delete what is wrong or not worth keeping, correct the rest (summaries,\n\
             # measures, kinds, dates and speakers), then apply it with\n\
             # `dispute-bot kb draft --apply FILE` (one change, undone by `kb undo`).\n\
             # `dispute-bot check --draft FILE` checks it first. Lines `# check:` say\n\
             # what the drafter was unsure of; every evidence is copied from the article.\n\n",
        );
        let counts: Vec<String> = self
            .counts()
            .into_iter()
            .map(|(k, n, d)| format!("{n} {k} ({d} to check)"))
            .collect();
        out.push_str(&format!("# Proposed: {}.\n\n", counts.join(", ")));
        entry_block(&mut out, Kind::Source, &self.source, false);
        for p in &self.people {
            entry_block(&mut out, Kind::Person, p, false);
        }
        for p in &self.events {
            entry_block(&mut out, Kind::Event, p, false);
        }
        for p in &self.figures {
            entry_block(&mut out, Kind::Figure, p, false);
        }
        for p in &self.quotes {
            entry_block(&mut out, Kind::Quote, p, false);
        }
        for p in &self.unattributed {
            entry_block(&mut out, Kind::Quote, p, true);
        }
        let mut table = toml_edit::Table::new();
        table.insert("status", toml_edit::value("unreviewed"));
        if let Some(url) = &self.url {
            table.insert("url", toml_edit::value(url.as_str()));
        }
        table.insert("article", toml_edit::value(self.article.as_str()));
        let mut doc = toml_edit::DocumentMut::new();
        doc.insert(DRAFT_TABLE, toml_edit::Item::Table(table));
        out.push_str(
            "# The article's text, saved as the source's file when the draft is applied.\n",
        );
        out.push_str(&doc.to_string());
        out
    }
}

/// Reads a draft file into the entries to add: what
/// [`KnowledgeStore::add_batch`](crate::knowledge::KnowledgeStore::add_batch)
/// applies and [`KnowledgeStore::check_batch`](crate::knowledge::KnowledgeStore::check_batch) checks.
pub fn read_draft(text: &str) -> Result<Batch, String> {
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("the draft is not valid TOML: {e}"))?;
    let draft = doc
        .get(DRAFT_TABLE)
        .and_then(|d| d.as_table())
        .ok_or("this is not a draft: it has no [draft] table (write one with `dispute-bot kb draft ARTICLE.txt --date ...`)")?;
    let article = draft
        .get("article")
        .and_then(|a| a.as_str())
        .map(str::to_string);
    for (key, _) in doc.iter() {
        if key != DRAFT_TABLE && !KINDS.iter().any(|k| k.table() == key) {
            return Err(format!(
                "unexpected `{key}` in the draft: it holds only [[source]], [[person]], [[event]], [[figure]], [[quote]] and [draft]"
            ));
        }
    }
    let mut entries = Vec::new();
    for kind in KINDS {
        let Some(item) = doc.get(kind.table()) else {
            continue;
        };
        let list = item.as_array_of_tables().ok_or_else(|| {
            format!(
                "`{}` must be a list of [[{}]] entries",
                kind.table(),
                kind.table()
            )
        })?;
        for table in list.iter() {
            let mut table = table.clone();
            table.decor_mut().clear();
            entries.push(BatchEntry { kind, table });
        }
    }
    let sources = entries.iter().filter(|e| e.kind == Kind::Source).count();
    if sources > 1 {
        return Err("a draft holds at most one [[source]], the article's".into());
    }
    if sources == 1 && article.is_none() {
        return Err(
            "the [draft] table has no `article`: the source needs its article's text".into(),
        );
    }
    Ok(Batch {
        entries,
        article: if sources == 1 { article } else { None },
    })
}
