//! The answering engine: a question in, a cited [`Answer`] out.
//!
//! Pure: it reads a [`Knowledge`] and a question and does no I/O, so every
//! front end (terminal, Discord) shares it and tests need no files.
//!
//! ```no_run
//! use dispute_bot::{engine::Engine, knowledge::Knowledge};
//! let engine = Engine::new(Knowledge::load("knowledge".as_ref()).unwrap());
//! let answer = engine.answer("how many strikes have there been?");
//! println!("{}", answer.text);
//! ```

mod anchor;
pub mod answer;
mod between;
mod claim;
mod compare;
pub mod compose;
pub mod conversation;
mod domain;
pub mod entities;
mod find;
pub mod ground;
mod grounding;
mod holders;
pub mod index;
pub mod intents;
mod listing;
mod lookup;
pub mod normalise;
mod people;
mod rank;
mod read;
mod route;
mod short;
mod sides;
mod state;
pub mod timeline;

pub use answer::{Answer, Citation, DeclineReason, Outcome};
pub use conversation::Conversation;
pub use index::FactRef;
pub use timeline::TimelineFilter;

use crate::knowledge::{AnswerKind, EventKind, FuzzyDate, Id, Knowledge};
use domain::DOMAIN_WORDS;
use index::FactIndex;
use intents::IntentTable;
use normalise::{clean, term};
use people::ROLE_TERMS;
use rank::Kind;
use read::Reading;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The engine: the knowledge, compiled for answering.
#[derive(Debug, Clone)]
pub struct Engine {
    knowledge: Arc<Knowledge>,
    index: FactIndex,
    intents: IntentTable,
    domain: HashSet<String>,
    election: Option<FuzzyDate>,
    topic_terms: timeline::TopicTerms,
    horizon: ground::Horizon,
    countables: ground::Countables,
    /// The words of every name and alias, which make up a question's subject.
    name_words: HashSet<String>,
    /// The number of the strike each fact's statement names ("twelfth"), if any.
    ordinal_named: HashMap<FactRef, u32>,
    /// The quotes and sources, cleaned once for quote lookups.
    lookup: lookup::LookupTexts,
    /// The people and organisations some figure is about: its speaker, or named in its words.
    in_figures: HashSet<usize>,
}

impl Engine {
    /// Compiles the knowledge for answering: indexes, intent table, vocabulary.
    pub fn new(knowledge: impl Into<Arc<Knowledge>>) -> Engine {
        let knowledge: Arc<Knowledge> = knowledge.into();
        let index = FactIndex::build(&knowledge);
        let intents = IntentTable::compile(&knowledge.intents);
        let mut domain: HashSet<String> = DOMAIN_WORDS.iter().map(|w| term(w)).collect();
        for p in &knowledge.people {
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                domain.extend(normalise::terms(name));
            }
        }
        for topic in knowledge.events.iter().flat_map(|e| &e.topics) {
            domain.extend(normalise::terms(topic));
        }
        // Distinctive numbers of the figures ("5.4", "61989") place a question in the
        // dispute; small numbers and years are too common to.
        for figure in &knowledge.figures {
            domain.extend(normalise::terms(&figure.display).into_iter().filter(|t| {
                let distinctive = t.contains('.') || t.len() >= 5;
                distinctive && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            }));
        }
        let election = knowledge
            .events
            .iter()
            .find(|e| e.kind == EventKind::Election)
            .map(|e| e.date);
        let topic_terms = timeline::TopicTerms::build(&knowledge);
        let horizon = ground::Horizon::build(&knowledge);
        let countables = ground::Countables::build(&knowledge);
        let name_words = knowledge
            .people
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
            .flat_map(|n| clean(n).split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let lookup = lookup::LookupTexts::build(&knowledge);
        let in_figures = grounding::people_in_figures(&knowledge, &index);
        let mut engine = Engine {
            ordinal_named: HashMap::new(),
            in_figures,
            lookup,
            horizon,
            countables,
            name_words,
            knowledge,
            index,
            intents,
            domain,
            election,
            topic_terms,
        };
        engine.ordinal_named = engine
            .index
            .facts
            .iter()
            .filter_map(|m| Some((m.fact, entities::ordinal_in(engine.statement(m.fact))?)))
            .collect();
        engine
    }

    /// The knowledge this engine answers from.
    pub fn knowledge(&self) -> &Arc<Knowledge> {
        &self.knowledge
    }

    /// The compiled intent table.
    pub fn intents(&self) -> &IntentTable {
        &self.intents
    }

    /// Answers one question on its own.
    pub fn answer(&self, question: &str) -> Answer {
        self.answer_in(question, &Conversation::default())
    }

    /// Answers a question in a conversation, so follow-ups can refer to the last answer.
    pub fn answer_in(&self, question: &str, conversation: &Conversation) -> Answer {
        self.route(question, conversation)
    }

    /// The events of the timeline that pass a filter, in date order.
    pub fn timeline(&self, filter: &TimelineFilter) -> Vec<&crate::knowledge::Event> {
        timeline::select_with(&self.knowledge, filter, &self.topic_terms)
    }

    /// Up to four questions the bot can answer, from the intents' suggestions.
    pub fn suggestions(&self) -> Vec<String> {
        self.intents.suggestions().into_iter().take(4).collect()
    }

    /// The citation of a passage of a source.
    pub fn citation(&self, source: &Id, quote: &str) -> Option<Citation> {
        let s = self.knowledge.source(source)?;
        Some(Citation {
            source: s.id.to_string(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.to_string(),
            quote: quote.trim().to_string(),
        })
    }

    /// The fact index, for follow-ups and tools.
    pub fn index(&self) -> &FactIndex {
        &self.index
    }

    /// States given facts as an answer (used by follow-ups).
    pub fn state_facts(&self, kind: AnswerKind, facts: &[FactRef]) -> Answer {
        self.state(kind, facts)
    }
}
