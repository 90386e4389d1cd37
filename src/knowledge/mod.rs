//! The knowledge base: typed entries loaded from the TOML files of a folder.
//!
//! This is the only module that knows about files and TOML. It hands the
//! engine a validated [`Knowledge`], or every [`KnowledgeError`] at once.
//!
//! ```no_run
//! let knowledge = dispute_bot::knowledge::Knowledge::load("knowledge".as_ref()).unwrap();
//! println!("{}", knowledge.stats());
//! ```

mod date;
mod error;
mod load;
mod model;
mod validate;

// Editing, audit, unanswered questions and hot reload (issue 5).
pub mod audit;
pub mod draft;
mod entries;
pub mod limits;
pub mod paths;
pub mod store;
pub mod unanswered;
pub mod watch;
pub use audit::{Actor, Change, Op};
pub use store::{Batch, BatchEntry, EditError, FormValue, KnowledgeStore};
pub use unanswered::{UnansweredLog, UnansweredSummary};
pub use watch::{Live, Reload, Watcher};

pub use date::{month_name, DateError, DatePoint, FuzzyDate, Precision};
pub use error::{line_column, KnowledgeError, LoadErrors};
pub use load::{parse_entries, Located, RawKnowledge, Unreadable, FILES};
pub use model::*;
pub use validate::{compile_pattern, fold_for_match, MAX_PATTERN_LEN, PATTERN_SIZE_LIMIT};

use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A validated knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// The folder it was loaded from.
    pub root: PathBuf,
    /// The articles.
    pub sources: Vec<Source>,
    /// People and organisations.
    pub people: Vec<Person>,
    /// Dated happenings, in date order.
    pub events: Vec<Event>,
    /// Numbers.
    pub figures: Vec<Figure>,
    /// Quotations.
    pub quotes: Vec<Quote>,
    /// The kinds of question recognised.
    pub intents: Vec<IntentSpec>,
    by_id: HashMap<(Kind, String), usize>,
}

/// The kinds of entry, for looking one up by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `sources.toml`.
    Source,
    /// `people.toml`.
    Person,
    /// `events.toml`.
    Event,
    /// `figures.toml`.
    Figure,
    /// `quotes.toml`.
    Quote,
    /// `intents.toml`.
    Intent,
}

impl Knowledge {
    /// Loads and validates a knowledge folder.
    pub fn load(dir: &Path) -> Result<Knowledge, LoadErrors> {
        load::load_dir(dir)
    }

    fn from_entries(root: PathBuf, raw: RawKnowledge) -> Knowledge {
        fn strip<T>(v: Vec<Located<T>>) -> Vec<T> {
            v.into_iter().map(|l| l.value).collect()
        }
        let mut k = Knowledge {
            root,
            sources: strip(raw.sources),
            people: strip(raw.people),
            events: strip(raw.events),
            figures: strip(raw.figures),
            quotes: strip(raw.quotes),
            intents: strip(raw.intents),
            by_id: HashMap::new(),
        };
        // A "by 15 May 2024" event stands at 15 May, not before everything.
        k.events.sort_by_key(|e| e.date.sort_key());
        let mut index = |kind, ids: Vec<&Id>| {
            for (i, id) in ids.into_iter().enumerate() {
                k.by_id.insert((kind, id.0.clone()), i);
            }
        };
        index(Kind::Source, k.sources.iter().map(|s| &s.id).collect());
        index(Kind::Person, k.people.iter().map(|s| &s.id).collect());
        index(Kind::Event, k.events.iter().map(|s| &s.id).collect());
        index(Kind::Figure, k.figures.iter().map(|s| &s.id).collect());
        index(Kind::Quote, k.quotes.iter().map(|s| &s.id).collect());
        index(Kind::Intent, k.intents.iter().map(|s| &s.id).collect());
        k
    }

    fn find(&self, kind: Kind, id: &Id) -> Option<usize> {
        self.by_id.get(&(kind, id.0.clone())).copied()
    }

    /// The source with this id.
    pub fn source(&self, id: &Id) -> Option<&Source> {
        self.find(Kind::Source, id).map(|i| &self.sources[i])
    }

    /// The person or organisation with this id.
    pub fn person(&self, id: &Id) -> Option<&Person> {
        self.find(Kind::Person, id).map(|i| &self.people[i])
    }

    /// The event with this id.
    pub fn event(&self, id: &Id) -> Option<&Event> {
        self.find(Kind::Event, id).map(|i| &self.events[i])
    }

    /// Counts and dates covered, for `check` and `/about`.
    pub fn stats(&self) -> Stats {
        let dates = self
            .events
            .iter()
            .map(|e| e.date)
            .chain(self.figures.iter().map(|f| f.as_of))
            .chain(self.quotes.iter().map(|q| q.date));
        let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
        for d in dates {
            // A date known only by its end does not stretch the range back.
            let start = d.sort_key().0;
            first = Some(first.map_or(start, |f| f.min(start)));
            last = Some(last.map_or(d.last_day(), |l| l.max(d.last_day())));
        }
        Stats {
            sources: self.sources.len(),
            people: self.people.len(),
            events: self.events.len(),
            figures: self.figures.len(),
            quotes: self.quotes.len(),
            intents: self.intents.len(),
            first,
            last,
        }
    }
}

/// How much the knowledge holds and the dates it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Number of sources.
    pub sources: usize,
    /// Number of people and organisations.
    pub people: usize,
    /// Number of events.
    pub events: usize,
    /// Number of figures.
    pub figures: usize,
    /// Number of quotes.
    pub quotes: usize,
    /// Number of intents.
    pub intents: usize,
    /// The earliest day any entry is dated.
    pub first: Option<NaiveDate>,
    /// The latest day any entry is dated.
    pub last: Option<NaiveDate>,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "sources: {}", self.sources)?;
        writeln!(f, "people and organisations: {}", self.people)?;
        writeln!(f, "events: {}", self.events)?;
        writeln!(f, "figures: {}", self.figures)?;
        writeln!(f, "quotes: {}", self.quotes)?;
        writeln!(f, "intents: {}", self.intents)?;
        match (self.first, self.last) {
            (Some(a), Some(b)) => write!(f, "dates covered: {a} to {b}"),
            _ => write!(f, "dates covered: none"),
        }
    }
}
