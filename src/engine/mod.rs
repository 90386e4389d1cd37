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
mod compare;
pub mod compose;
pub mod conversation;
pub mod entities;
pub mod ground;
mod holders;
pub mod index;
pub mod intents;
mod lookup;
pub mod normalise;
mod rank;
mod short;
mod sides;
pub mod timeline;

pub use answer::{Answer, Citation, DeclineReason, Outcome};
pub use conversation::Conversation;
pub use index::FactRef;
pub use timeline::TimelineFilter;

use crate::knowledge::{AnswerKind, EventKind, FuzzyDate, Id, Knowledge, PersonKind};
use anchor::Anchor;
use entities::{quoted, When};
use index::{FactIndex, Hit};
use intents::IntentTable;
use normalise::{clean, fold_phrases, term, STOPWORDS};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Below this intent score, the question is answered as a general fact lookup.
const INTENT_THRESHOLD: f32 = 0.42;
/// The most one matching term can add to a BM25 score, per unit of its rarity (k1 + 1).
const BEST_TERM_WEIGHT: f32 = 2.2;
/// Two example-only intent matches closer than this are too close to call.
const AMBIGUITY_MARGIN: f32 = 0.02;
/// Below this retrieval score, the best fact is too weak a match to state.
const MIN_FACT_SCORE: f32 = 4.0;
/// How many of the best matches are searched for one that states a question's premise.
const PREMISE_CANDIDATES: usize = 5;
/// ... and how close to the best of them such a fact must score.
const PREMISE_CANDIDATE_SHARE: f32 = 0.7;
/// A second fact is stated too when it scores at least this share of the first.
const SECOND_FACT_SHARE: f32 = 0.8;
/// A fact restates another when this many tenths of the words of the shorter
/// statement are in the other (see `Engine::restates`).
const RESTATED_TENTHS: usize = 7;

/// Words that place a question inside the dispute, besides names and topics.
const DOMAIN_WORDS: &[&str] = &[
    "strike",
    "walkout",
    "doctor",
    "junior",
    "resident",
    "bma",
    "nhs",
    "pay",
    "salary",
    "talks",
    "negotiations",
    "government",
    "labour",
    "tory",
    "ballot",
    "appointment",
    "postponed",
    "health",
    "secretary",
    "cochair",
    "committee",
    "mediator",
    "mediated",
    "dispute",
    "row",
    "picket",
    "deal",
    "offer",
    "restoration",
    "demand",
    "minister",
    "election",
    "manifesto",
    "consultant",
    "nurse",
    "paramedic",
    "hospital",
    "patient",
    "rota",
    "workforce",
    "rise",
    "union",
    "industrial",
    "medic",
    "trust",
    "deadlock",
    "waiting",
    "backlog",
    "mandate",
    "affordable",
    "conservative",
    "streeting",
    "barclay",
    "strikes",
    "stethoscope",
    "exam",
    "burnout",
    "morale",
    "2008",
];

/// Words that ask who held a position rather than about a named person.
const ROLE_TERMS: &[&str] = &[
    "cochair",
    "chair",
    "secretary",
    "director",
    "leader",
    "minister",
    "spokesperson",
    "chief",
    "executive",
    "ceo",
    "boss",
    "president",
    "chancellor",
    "mediator",
];

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
}

/// What one question was understood to be about.
struct Reading {
    cleaned: String,
    terms: Vec<String>,
    people: Vec<usize>,
    when: When,
    quoted: Option<String>,
    /// The event (or date) a "before / after ..." in the question points at.
    anchor: Option<Anchor>,
    /// Content words that appear nowhere in the knowledge, even after correction.
    unknown: Vec<String>,
}

/// What grounding makes of an answer whose facts do not cover the question.
enum Grounding {
    /// Another fact the question matches covers it, and answers instead.
    Instead(FactRef),
    /// Nothing covers it: decline, keeping what the facts found say.
    Gap(ground::Gap),
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
        let mut engine = Engine {
            ordinal_named: HashMap::new(),
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
        let reading = self.read(question);
        if reading.cleaned.is_empty() {
            return Answer::declined(
                question,
                DeclineReason::Empty,
                "Ask me a question about the resident doctors' pay dispute.".into(),
                self.suggestions(),
            );
        }
        if let Some(answer) =
            conversation::follow_up(self, question, &reading.cleaned, conversation)
        {
            return answer;
        }
        if let Some(answer) = self.holders_then(question, &reading) {
            return answer;
        }
        if let Some(answer) = self.lookup_answer(question, &reading) {
            return answer;
        }
        if let Some(gap) = self.gap_in(&reading) {
            return self.decline_for(question, &gap);
        }
        if let Some(answer) = self.short_answer(question, &reading) {
            return answer;
        }
        // Questions relating two things: two facts compared, or the time between two points.
        if let Some(answer) = self.compare_answer(question, &reading) {
            return answer;
        }
        if let Some(answer) = self.between_answer(question, &reading) {
            return answer;
        }
        let ranked = self.intents.rank(&reading.cleaned);
        if let Some(mut declined) = self.too_close_to_call(question, &ranked) {
            // Two readings fit equally: answer only if the facts themselves leave no doubt.
            let answer = if self.in_domain(&reading) {
                self.fact_answer(AnswerKind::Fact, &reading, &[], false)
            } else {
                declined.clone()
            };
            if answer.is_answered() {
                let mut answer = self.grounded(question, &reading, AnswerKind::Fact, answer);
                if answer.is_answered() {
                    answer.intent = Some("fact".into());
                    answer.confidence = 0.4;
                }
                return answer;
            }
            declined.question = question.to_string();
            return declined;
        }
        let top = ranked
            .first()
            .copied()
            .filter(|s| s.score >= INTENT_THRESHOLD);
        let mut kind = top.map_or(AnswerKind::Fact, |s| self.intents.spec(s.intent).answer);
        if self.asks_what_entity_is(&reading) {
            kind = AnswerKind::Person;
        } else if kind == AnswerKind::Person && !top.is_some_and(|s| s.by_pattern) {
            // A name beside a topic ("streeting 35%?") asks about the topic, not the person.
            kind = AnswerKind::Fact;
        }
        let answer = match kind {
            AnswerKind::Gap => {
                let spec = self
                    .intents
                    .spec(top.expect("gap comes from an intent").intent);
                let mut a = Answer::declined(
                    question,
                    DeclineReason::NotInKnowledge,
                    spec.response.clone().unwrap_or_default(),
                    self.suggestions(),
                );
                a.intent = Some(spec.id.to_string());
                return a;
            }
            AnswerKind::Help => {
                let spec = self
                    .intents
                    .spec(top.expect("help comes from an intent").intent);
                return Answer::declined(
                    question,
                    DeclineReason::Help,
                    spec.response.clone().unwrap_or_default(),
                    self.suggestions(),
                );
            }
            // A timeline of a period is about the dispute by definition.
            AnswerKind::Timeline if !reading.when.is_empty() => self.timeline_answer(&reading),
            _ if !self.in_domain(&reading) => {
                return Answer::declined(
                    question,
                    DeclineReason::OffTopic,
                    "I can only answer questions about the resident (junior) doctors' pay dispute in England, from the news articles I know.".into(),
                    self.suggestions(),
                );
            }
            AnswerKind::Quote | AnswerKind::Person | AnswerKind::Speaker
                if self.unknown_subject(&reading).is_some() =>
            {
                let who = self.unknown_subject(&reading).unwrap_or_default();
                return Answer::declined(
                    question,
                    DeclineReason::NotInKnowledge,
                    format!(
                        "I don't know: the articles I have say nothing from or about \"{who}\"."
                    ),
                    self.suggestions(),
                );
            }
            AnswerKind::Faq => self.faq(top.expect("faq comes from an intent").intent),
            AnswerKind::Timeline => self.timeline_answer(&reading),
            kind => {
                let spec = top.map(|s| self.intents.spec(s.intent));
                let topics = spec.map_or(&[][..], |s| &s.topics[..]);
                let require_topic = spec.is_some_and(|s| s.require_topic);
                self.fact_answer(kind, &reading, topics, require_topic)
            }
        };
        let mut answer = self.grounded(question, &reading, kind, answer);
        if answer.is_answered() {
            answer.intent = Some(top.map_or("fact".to_string(), |s| {
                self.intents.spec(s.intent).id.to_string()
            }));
            answer.confidence = top.map_or(0.5, |s| s.score).min(1.0);
        }
        answer
    }

    /// The events of the timeline that pass a filter, in date order.
    pub fn timeline(&self, filter: &TimelineFilter) -> Vec<&crate::knowledge::Event> {
        timeline::select_with(&self.knowledge, filter, &self.topic_terms)
    }

    /// [`Engine::timeline`] as positions in the knowledge's events.
    fn timeline_indices(&self, filter: &TimelineFilter) -> Vec<usize> {
        timeline::select_indices(&self.knowledge, filter, &self.topic_terms)
    }

    fn read(&self, question: &str) -> Reading {
        let cleaned = clean(question);
        let folded = fold_phrases(&cleaned);
        let terms = folded
            .split(' ')
            .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
            .flat_map(|w| {
                let ts = normalise::word_terms(w);
                ts.into_iter()
                    .map(|t| {
                        if self.index.knows(&t) {
                            t
                        } else {
                            self.index.correct(w).map_or(t, str::to_string)
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let words: Vec<&str> = folded.split(' ').collect();
        let unknown: Vec<bool> = words.iter().map(|w| self.is_unknown_word(w)).collect();
        let known_content = words
            .iter()
            .zip(&unknown)
            .filter(|&(w, &u)| !u && is_content_word(w))
            .count();
        let unknown: Vec<String> = words
            .iter()
            .zip(&unknown)
            .filter(|&(_, &u)| u)
            .map(|(w, _)| w.to_string())
            .collect();
        // One word no article uses is forgiven when the question's other
        // words already say what it asks about.
        let unknown = if unknown.len() == 1 && known_content >= ground::KNOWN_WORDS_TO_FORGIVE_ONE {
            Vec::new()
        } else {
            unknown
        };
        let when = When::find(question);
        let anchor = self.anchor(&when);
        Reading {
            unknown,
            people: self.index.people_in(question),
            when,
            quoted: quoted(question),
            anchor,
            cleaned,
            terms,
        }
    }

    /// The first decline rule a question breaks before any fact is looked up:
    /// a word no article uses, or a reference past what the articles report.
    fn gap_in(&self, reading: &Reading) -> Option<ground::Gap> {
        if let Some(word) = reading.unknown.first() {
            return Some(ground::Gap::UnknownWord(word.clone()));
        }
        if let Some(name) = self.bystander_in(reading) {
            return Some(ground::Gap::NoPartReported(name));
        }
        let about_strikes = reading.terms.iter().any(|t| t == "strike");
        if ground::asks_outcome_of_plan(&reading.cleaned) {
            return Some(ground::Gap::StillToCome);
        }
        self.horizon
            .beyond(&reading.cleaned, &reading.when, about_strikes)
            .or_else(|| {
                self.countables
                    .uncounted(&reading.cleaned, |w| {
                        self.index.correct(w).map(str::to_string)
                    })
                    .map(ground::Gap::NotCounted)
            })
            .or_else(|| {
                self.countables.uncosted(
                    &reading.cleaned,
                    &reading.terms,
                    names_one_strike(reading),
                )
            })
    }

    /// An answer that passed the grounding rules that need the facts found:
    /// the answer itself, another fact that covers the question, or a decline
    /// that keeps what the facts found say.
    fn grounded(
        &self,
        question: &str,
        reading: &Reading,
        kind: AnswerKind,
        mut answer: Answer,
    ) -> Answer {
        answer.question = question.to_string();
        match self.unsupported(reading, &answer) {
            Some(Grounding::Gap(gap)) => self.decline_with_context(question, &gap, answer),
            Some(Grounding::Instead(fact)) => {
                let mut instead = self.state(kind, &[fact]);
                instead.question = question.to_string();
                instead
            }
            None => answer,
        }
    }

    /// The grounding rules that need the facts found: a why- or will-question
    /// whose verb none of them mentions, or an exact date they do not give.
    fn unsupported(&self, reading: &Reading, answer: &Answer) -> Option<Grounding> {
        if answer.facts().is_empty() {
            return None;
        }
        let subject = |w: &str| {
            self.name_words.contains(w)
                || normalise::word_terms(w)
                    .iter()
                    .any(|t| DOMAIN_WORDS.iter().any(|d| term(d) == *t))
        };
        if let Some(premise) = ground::premise(&reading.cleaned, subject) {
            let verb = ground::verb_terms(&premise.verb);
            let numbers = premise.numbers();
            let states = |f: FactRef| {
                let action = match &premise.particle {
                    Some(p) => ground::says_phrasal(&self.words_of(f), &premise.verb, p),
                    None => self.says(f, &verb),
                };
                action
                    && numbers
                        .iter()
                        .all(|n| self.says(f, std::slice::from_ref(n)))
            };
            if !answer.facts().iter().any(|&f| states(f)) {
                return Some(match self.instead(reading, states) {
                    Some(fact) => Grounding::Instead(fact),
                    None => Grounding::Gap(ground::Gap::NotReported(premise)),
                });
            }
        }
        if ground::asks_percentage(&reading.cleaned) {
            let asked = ground::percentages(&reading.cleaned);
            let gives = |f: FactRef| {
                ground::percentages(self.statement(f))
                    .iter()
                    .any(|p| !asked.contains(p))
            };
            // No other fact answers instead: any percentage is not the one asked for.
            if !answer.facts().iter().any(|&f| gives(f)) {
                return Some(Grounding::Gap(ground::Gap::NoPercentage));
            }
        }
        // Only events carry the date something happened; one known to the day answers.
        let events: Vec<usize> = answer
            .facts()
            .iter()
            .filter_map(|f| match *f {
                FactRef::Event(i) => Some(i),
                _ => None,
            })
            .collect();
        let to_the_day = |&i: &usize| {
            let date = &self.knowledge.events[i].date;
            [date.start, date.end]
                .iter()
                .any(|p| p.precision == crate::knowledge::Precision::Day)
        };
        if ground::asks_exact_date(&reading.cleaned)
            && !events.is_empty()
            && !events.iter().any(to_the_day)
        {
            return Some(Grounding::Gap(ground::Gap::NotExact));
        }
        None
    }

    /// Whether one fact says again what another says: the shorter of their
    /// statements gives no number the other does not, and most of its words
    /// are in the other (an event and the figure it reports often say the
    /// same thing). Such a fact is not stated twice.
    fn restates(&self, a: FactRef, b: FactRef) -> bool {
        let words = |f: FactRef| -> HashSet<String> {
            normalise::terms(self.statement(f)).into_iter().collect()
        };
        let (a, b) = (words(a), words(b));
        let (shorter, longer) = if a.len() <= b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let numeric = |t: &&String| t.starts_with(|c: char| c.is_ascii_digit());
        let shared = shorter.intersection(longer).count();
        shorter.iter().filter(numeric).all(|t| longer.contains(t))
            && shared * 10 >= shorter.len().max(1) * RESTATED_TENTHS
    }

    /// The facts, each stated once: of two that say the same thing, the one
    /// of the kind the question asks for is kept, else the quote (the
    /// article's own words, to "what did he announce?"), in the place of the first.
    fn without_restatements(&self, kind: AnswerKind, facts: &[FactRef]) -> Vec<FactRef> {
        let asked = |f: FactRef| match f {
            FactRef::Quote(_) => matches!(kind, AnswerKind::Quote | AnswerKind::Speaker),
            FactRef::Figure(_) => matches!(kind, AnswerKind::Figure | AnswerKind::Compare),
            FactRef::Person(_) => kind == AnswerKind::Person,
            FactRef::Event(_) => false,
        };
        let preference = |f: FactRef| (asked(f), matches!(f, FactRef::Quote(_)));
        let mut kept: Vec<FactRef> = Vec::new();
        for &fact in facts {
            match kept.iter().position(|&k| self.restates(fact, k)) {
                Some(at) if preference(fact) > preference(kept[at]) => kept[at] = fact,
                Some(_) => {}
                None => kept.push(fact),
            }
        }
        kept
    }

    /// What a fact says, in the words an answer states it with.
    fn statement(&self, fact: FactRef) -> &str {
        let k = &self.knowledge;
        match fact {
            FactRef::Event(i) => &k.events[i].summary,
            FactRef::Figure(i) => &k.figures[i].summary,
            FactRef::Quote(i) => &k.quotes[i].text,
            FactRef::Person(i) => &k.people[i].description,
        }
    }

    /// Among the question's best matches, one that passes a test the facts
    /// found failed: it answers instead of them.
    fn instead(&self, reading: &Reading, passes: impl Fn(FactRef) -> bool) -> Option<FactRef> {
        let hits = self.index.search(&reading.terms);
        let floor = hits
            .first()
            .map_or(0.0, |h| h.score * PREMISE_CANDIDATE_SHARE);
        hits.iter()
            .take(PREMISE_CANDIDATES)
            .filter(|h| h.score >= floor)
            .map(|h| self.index.facts[h.doc].fact)
            .find(|&f| passes(f))
    }

    /// Whether the articles' words for a fact (its summary and evidence, not the
    /// keywords added for search) hold any of some terms.
    fn says(&self, fact: FactRef, terms: &[String]) -> bool {
        let stated = normalise::terms(&self.words_of(fact));
        terms.iter().any(|t| stated.contains(t))
    }

    /// The articles' words for a fact: its summary and evidence, not the
    /// keywords added for search.
    fn words_of(&self, fact: FactRef) -> String {
        let k = &self.knowledge;
        match fact {
            FactRef::Event(i) => {
                let e = &k.events[i];
                format!("{} {} {}", e.summary, e.evidence, index::also_text(&e.also))
            }
            FactRef::Figure(i) => {
                let f = &k.figures[i];
                format!("{} {} {}", f.summary, f.evidence, index::also_text(&f.also))
            }
            FactRef::Quote(i) => format!("{} {}", k.quotes[i].text, k.quotes[i].context),
            FactRef::Person(i) => k.people[i].description.clone(),
        }
    }

    /// A decline that keeps what the facts found do say, cited, so the user
    /// learns what is known.
    fn decline_with_context(&self, question: &str, gap: &ground::Gap, found: Answer) -> Answer {
        let mut answer = Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            format!(
                "{}\nWhat they do say:\n{}",
                compose::gap_text(gap, self.horizon.newest_year()),
                found.text
            ),
            self.suggestions(),
        );
        if let Outcome::Declined { correction, .. } = &mut answer.outcome {
            *correction = found.citations().to_vec();
        }
        answer
    }

    /// A decline for a gap; past the articles' horizon it carries the latest
    /// strike they report, cited, so the user learns what is known.
    fn decline_for(&self, question: &str, gap: &ground::Gap) -> Answer {
        let mut answer = Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            compose::gap_text(gap, self.horizon.newest_year()),
            self.suggestions(),
        );
        if matches!(
            gap,
            ground::Gap::NoSuchEvent(_)
                | ground::Gap::AfterTheArticles(_)
                | ground::Gap::StillToCome
        ) {
            let latest = self
                .knowledge
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EventKind::Strike && e.ordinal.is_some())
                .max_by_key(|(_, e)| e.ordinal);
            if let Some((i, _)) = latest {
                let stated = self.state(AnswerKind::Fact, &[FactRef::Event(i)]);
                answer.text = format!("{}\n{}", answer.text, stated.text);
                if let Outcome::Declined { correction, .. } = &mut answer.outcome {
                    *correction = stated.citations().to_vec();
                }
            }
        }
        answer
    }

    /// A word that says what the question is about, yet that no entry of the
    /// knowledge uses, even after synonyms, stems and spelling correction.
    fn is_unknown_word(&self, word: &str) -> bool {
        is_content_word(word)
            && normalise::word_terms(word)
                .iter()
                .all(|t| !self.index.knows(t))
            && self.index.correct(word).is_none()
    }

    /// A named individual the question asks about (other than who they are)
    /// whom the articles mention but neither quote nor place in any event.
    fn bystander_in(&self, reading: &Reading) -> Option<String> {
        if reading.cleaned.starts_with("who ") {
            return None;
        }
        reading.people.iter().find_map(|&p| {
            let person = &self.knowledge.people[p];
            let takes_part = self.knowledge.quotes.iter().any(|q| q.speaker == person.id)
                || self
                    .knowledge
                    .events
                    .iter()
                    .any(|e| e.people.contains(&person.id));
            (person.kind == PersonKind::Person && !takes_part).then(|| person.name.clone())
        })
    }

    /// "What is the BMA?", "who are resident doctors": the rest of the question
    /// is exactly the name of someone or something the knowledge describes.
    fn asks_what_entity_is(&self, reading: &Reading) -> bool {
        let words: Vec<&str> = reading.cleaned.split(' ').collect();
        let rest = match words.as_slice() {
            ["what" | "who", "is" | "are" | "was" | "were", "the", rest @ ..] => rest,
            ["what" | "who", "is" | "are" | "was" | "were", rest @ ..] => rest,
            _ => return false,
        };
        let rest = rest.join(" ");
        reading.people.iter().any(|&p| {
            let person = &self.knowledge.people[p];
            std::iter::once(&person.name)
                .chain(&person.aliases)
                .any(|n| clean(n).trim_start_matches("the ") == rest)
        })
    }

    /// The someone of "what did <someone> say" or "who is <someone>" when the
    /// knowledge has no such person and does not even know the words.
    fn unknown_subject(&self, reading: &Reading) -> Option<String> {
        static SUBJECT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = SUBJECT.get_or_init(|| {
            regex::Regex::new(
                r"^(?:what (?:did|does|has|have) (?P<a>.{2,40}?) (?:say|said|says|tell|told|think|thought|write|wrote)\b|who (?:is|was) (?P<b>.{2,40})$)",
            )
            .expect("valid")
        });
        let caps = re.captures(&reading.cleaned)?;
        let subject = caps
            .name("a")
            .or_else(|| caps.name("b"))?
            .as_str()
            .trim_start_matches("the ")
            .to_string();
        if !self.index.people_in(&subject).is_empty() {
            return None;
        }
        let words: Vec<&str> = subject
            .split(' ')
            .filter(|w| w.len() >= 3 && !STOPWORDS.contains(w))
            .collect();
        let unknown = |w: &&str| {
            normalise::terms_of_cleaned(w)
                .iter()
                .all(|t| !self.index.knows(t))
                && self.index.correct(w).is_none()
        };
        (words.iter().any(unknown)).then_some(subject)
    }

    fn in_domain(&self, reading: &Reading) -> bool {
        let named = reading
            .people
            .iter()
            .any(|&p| self.knowledge.people[p].kind == PersonKind::Person);
        named || reading.terms.iter().any(|t| self.domain.contains(t))
    }

    /// Up to four questions the bot can answer, from the intents' suggestions.
    pub fn suggestions(&self) -> Vec<String> {
        self.intents.suggestions().into_iter().take(4).collect()
    }

    /// Declines when the two best intents, matched only by example, score within
    /// [`AMBIGUITY_MARGIN`] and would answer differently: better to ask than to guess.
    fn too_close_to_call(&self, question: &str, ranked: &[intents::IntentScore]) -> Option<Answer> {
        let [a, b, ..] = ranked else { return None };
        let (sa, sb) = (self.intents.spec(a.intent), self.intents.spec(b.intent));
        let close = a.score >= INTENT_THRESHOLD && a.score - b.score < AMBIGUITY_MARGIN;
        if !close || a.by_pattern || b.by_pattern || sa.answer == sb.answer {
            return None;
        }
        let suggestions = [sa, sb]
            .iter()
            .filter_map(|s| s.suggestion.clone())
            .collect();
        Some(Answer::declined(
            question,
            DeclineReason::Ambiguous,
            format!(
                "I'm not sure what you're asking: {} or {}? Try rephrasing.",
                sa.description.to_lowercase(),
                sb.description.to_lowercase()
            ),
            suggestions,
        ))
    }

    /// The score a fact needs to be stated: [`MIN_FACT_SCORE`], or less when the
    /// question holds only a few common words ("how many strikes have there been?"),
    /// so it can never reach that. Words the knowledge lacks count as rare: a
    /// question about something unknown still needs a strong match.
    fn min_fact_score(&self, terms: &[String]) -> f32 {
        let distinct: HashSet<&String> = terms.iter().collect();
        let reachable: f32 = distinct
            .iter()
            .map(|t| self.index.idf(t) * BEST_TERM_WEIGHT)
            .sum();
        MIN_FACT_SCORE.min(0.3 * reachable)
    }

    /// When figures of one series changed over time (11 strikes, then 12; 1,424,269
    /// postponements, then about 1.5 million), the latest comes first and the one
    /// before it second. Members score at least `floor` times the best match.
    /// `None` when the best match has no such series.
    fn latest_of_series(
        &self,
        reading: &Reading,
        hits: &[Hit],
        topics: &[String],
        floor: f32,
    ) -> Option<Vec<FactRef>> {
        let k = &self.knowledge;
        let best = hits.first()?;
        let FactRef::Figure(first) = self.index.facts[best.doc].fact else {
            return None;
        };
        let measure = |i: usize| -> HashSet<String> {
            normalise::terms(&k.figures[i].measure)
                .into_iter()
                .collect()
        };
        let first_measure = measure(first);
        let same_series = |i: usize| {
            let (a, b) = (&k.figures[first], &k.figures[i]);
            let shared_topic = !topics.is_empty()
                && topics
                    .iter()
                    .all(|t| b.topics.contains(t) && a.topics.contains(t));
            let m = measure(i);
            let overlap = first_measure.intersection(&m).count() as f32
                / first_measure.union(&m).count().max(1) as f32;
            shared_topic || (a.unit == b.unit && overlap >= 0.4)
        };
        let mut series: Vec<usize> = hits
            .iter()
            .take(6)
            .filter(|h| h.score >= floor * best.score)
            .filter_map(|h| match self.index.facts[h.doc].fact {
                FactRef::Figure(i) if same_series(i) => Some(i),
                _ => None,
            })
            .collect();
        series.dedup();
        if series.len() < 2 {
            return None;
        }
        // A date in the question that tells the members apart ("in June") picks
        // one of them; one that fits them all ("since December 2022") does not.
        let boost_of = |i: usize| {
            let doc = self
                .index
                .facts
                .iter()
                .position(|m| m.fact == FactRef::Figure(i));
            doc.map_or(0.0, |d| self.time_boost(reading, &self.index.facts[d]))
        };
        let first_boost = boost_of(series[0]);
        if series
            .iter()
            .any(|&i| (boost_of(i) - first_boost).abs() > f32::EPSILON)
        {
            return None;
        }
        series.sort_by_key(|&i| {
            std::cmp::Reverse((
                k.figures[i].as_of.last_day(),
                k.figures[i].as_of.first_day(),
            ))
        });
        Some(series.into_iter().take(2).map(FactRef::Figure).collect())
    }

    /// For a weak match: the nearest things the knowledge does hold, then the usual suggestions.
    fn did_you_mean(&self, hits: &[Hit]) -> Vec<String> {
        let k = &self.knowledge;
        let mut out: Vec<String> = hits
            .iter()
            .take(2)
            .map(|h| match self.index.facts[h.doc].fact {
                FactRef::Event(i) => k.events[i].title.clone(),
                FactRef::Figure(i) => k.figures[i].measure.clone(),
                FactRef::Quote(i) => k.quotes[i].context.clone(),
                FactRef::Person(i) => k.people[i].name.clone(),
            })
            .map(|about| format!("Did you mean: {}?", about.trim_end_matches('.')))
            .collect();
        out.extend(self.suggestions());
        out.truncate(4);
        out
    }

    fn not_known(&self, question: &str, why: &str) -> Answer {
        Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            why.to_string(),
            self.suggestions(),
        )
    }

    fn faq(&self, intent: usize) -> Answer {
        let spec = self.intents.spec(intent);
        let citations = spec
            .citations
            .iter()
            .filter_map(|c| self.citation(&c.source, &c.evidence))
            .collect();
        Answer::answered(
            spec.response.clone().unwrap_or_default(),
            citations,
            Vec::new(),
        )
    }

    fn fact_answer(
        &self,
        kind: AnswerKind,
        reading: &Reading,
        topics: &[String],
        require_topic: bool,
    ) -> Answer {
        if kind == AnswerKind::Person {
            if let Some(answer) = self.person_answer(reading) {
                return answer;
            }
        }
        let kinds: &[Kind] = match kind {
            AnswerKind::Figure | AnswerKind::Compare => &[Kind::Figure, Kind::Event],
            AnswerKind::Date => &[Kind::Event, Kind::Figure],
            AnswerKind::Person => &[Kind::Person, Kind::Event, Kind::Quote],
            // What someone said may also be a figure they gave ("what did NHS England say").
            AnswerKind::Speaker | AnswerKind::Quote => &[Kind::Quote, Kind::Figure, Kind::Event],
            _ => &[Kind::Event, Kind::Figure, Kind::Quote, Kind::Person],
        };
        let mut hits = self.rank(reading, kinds, topics);
        if require_topic {
            let topic_terms: Vec<String> =
                topics.iter().flat_map(|t| normalise::terms(t)).collect();
            let has_topic = |h: &Hit| {
                self.index.facts[h.doc]
                    .topics
                    .iter()
                    .any(|t| topic_terms.contains(t))
            };
            if hits.iter().any(has_topic) {
                hits.retain(has_topic);
            }
        }
        let Some(best) = hits.first().copied() else {
            return self.not_known(
                &reading.cleaned,
                "I don't know: the articles I have don't say.",
            );
        };
        if best.score < self.min_fact_score(&reading.terms) {
            return Answer::declined(
                &reading.cleaned,
                DeclineReason::NotInKnowledge,
                "I don't know that: none of the articles I have says so.".into(),
                self.did_you_mean(&hits),
            );
        }
        let mut facts = vec![self.index.facts[best.doc].fact];
        if kind == AnswerKind::Figure {
            let floor = if require_topic { 0.0 } else { 0.5 };
            if let Some(series) = self.latest_of_series(reading, &hits, topics, floor) {
                return self.state(kind, &series);
            }
        }
        let first_event = self.index.facts[best.doc].event;
        if kind == AnswerKind::Compare {
            // The other side of a comparison: the same kind of fact about another event.
            let other = hits.iter().skip(1).take(8).find(|h| {
                let meta = &self.index.facts[h.doc];
                Kind::of(meta.fact) == Kind::of(facts[0])
                    && (meta.event.is_none() || meta.event != first_event)
                    && h.score >= 0.4 * best.score
            });
            facts.extend(other.map(|h| self.index.facts[h.doc].fact));
        } else if let Some(h) = hits
            .get(1)
            .filter(|h| h.score >= SECOND_FACT_SHARE * best.score)
        {
            facts.push(self.index.facts[h.doc].fact);
        }
        self.state(kind, &facts)
    }

    /// Who someone named is; or, for a role ("the co-chairs", "health secretary
    /// during the three-day strike"), who held it at the time the question points at.
    fn person_answer(&self, reading: &Reading) -> Option<Answer> {
        let k = &self.knowledge;
        let named: Vec<FactRef> = reading
            .people
            .iter()
            .copied()
            .filter(|&p| k.people[p].kind == PersonKind::Person)
            .take(3)
            .map(FactRef::Person)
            .collect();
        if !named.is_empty() {
            return Some(self.state(AnswerKind::Person, &named));
        }
        let asks_role = fold_phrases(&reading.cleaned).split(' ').any(|w| {
            let singular = w.strip_suffix('s').unwrap_or(w);
            ROLE_TERMS.contains(&w) || ROLE_TERMS.contains(&singular)
        });
        if !asks_role {
            let org = *reading.people.first()?;
            return Some(self.state(AnswerKind::Person, &[FactRef::Person(org)]));
        }
        let when = self.reference_date(reading);
        let mut hits: Vec<(usize, f32)> = self
            .rank(reading, &[Kind::Person], &[])
            .into_iter()
            .filter_map(|h| match self.index.facts[h.doc].fact {
                FactRef::Person(p) if k.people[p].kind == PersonKind::Person => Some((p, h.score)),
                _ => None,
            })
            .collect();
        // Only someone who held a role the question names can answer it:
        // "the chief executive of NHS England" is nobody the articles know.
        let asked_roles: Vec<String> = fold_phrases(&reading.cleaned)
            .split(' ')
            .filter(|w| {
                let singular = w.strip_suffix('s').unwrap_or(w);
                ROLE_TERMS.contains(w) || ROLE_TERMS.contains(&singular)
            })
            .map(term)
            .collect();
        hits.retain(|(p, _)| {
            k.people[*p].roles.iter().any(|role| {
                let title = normalise::terms(&role.title);
                asked_roles.iter().all(|r| title.contains(r))
            })
        });
        if hits.is_empty() {
            return Some(self.not_known(
                &reading.cleaned,
                "I don't know: none of the articles I have says who held that role.",
            ));
        }
        for (p, score) in &mut hits {
            for role in &k.people[*p].roles {
                let title = normalise::terms(&role.title);
                if !reading.terms.iter().any(|t| title.contains(t)) {
                    continue;
                }
                *score += 1.0;
                if let Some(date) = when {
                    if role.shown_at(&date) {
                        *score += 3.0;
                    }
                }
            }
        }
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = hits.first()?.1;
        if best < MIN_FACT_SCORE {
            return None;
        }
        let people: Vec<FactRef> = hits
            .iter()
            .take_while(|h| h.1 >= SECOND_FACT_SHARE * best)
            .take(4)
            .map(|h| FactRef::Person(h.0))
            .collect();
        Some(self.state(AnswerKind::Person, &people))
    }

    /// The date a question points at ("during the three-day strike", "when the
    /// twelfth strike ended", "in 2024"): the date of the event it best matches.
    fn reference_date(&self, reading: &Reading) -> Option<FuzzyDate> {
        let w = &reading.when;
        let has_cue = !w.is_empty()
            || w.ordinal.is_some()
            || [" during ", " when ", " at the time", " under ", " while "]
                .iter()
                .any(|c| format!(" {} ", reading.cleaned).contains(c));
        if !has_cue {
            return None;
        }
        let hit = self.rank(reading, &[Kind::Event], &[]).into_iter().next()?;
        let meta = &self.index.facts[hit.doc];
        (hit.score >= MIN_FACT_SCORE).then_some(meta.date).flatten()
    }

    /// Writes the answer for a list of facts.
    fn state(&self, kind: AnswerKind, facts: &[FactRef]) -> Answer {
        let k = &self.knowledge;
        let mut sentences = Vec::new();
        let mut citations = Vec::new();
        let stated = self.without_restatements(kind, facts);
        for &fact in &stated {
            match fact {
                FactRef::Event(i) => {
                    let e = &k.events[i];
                    let date = e.date.to_string();
                    if kind == AnswerKind::Date || !e.summary.contains(&date) {
                        sentences.push(format!("{date}: {}", e.summary));
                    } else {
                        sentences.push(e.summary.clone());
                    }
                    citations.extend(self.citation(&e.source, &e.evidence));
                    citations.extend(
                        e.also
                            .iter()
                            .filter_map(|c| self.citation(&c.source, &c.evidence)),
                    );
                }
                FactRef::Figure(i) => {
                    let f = &k.figures[i];
                    if kind == AnswerKind::Date {
                        sentences.push(format!("As of {}: {}", f.as_of, f.summary));
                    } else {
                        sentences.push(f.summary.clone());
                    }
                    citations.extend(self.citation(&f.source, &f.evidence));
                    citations.extend(
                        f.also
                            .iter()
                            .filter_map(|c| self.citation(&c.source, &c.evidence)),
                    );
                }
                FactRef::Quote(i) => {
                    let q = &k.quotes[i];
                    let speaker = k
                        .person(&q.speaker)
                        .map_or(q.speaker.as_str(), |p| p.name.as_str());
                    let said = format!(
                        "{speaker} said: “{}” ({})",
                        q.text.trim(),
                        q.context.trim_end_matches('.')
                    );
                    sentences.push(if kind == AnswerKind::Date {
                        format!("{}: {said}", q.date)
                    } else {
                        said
                    });
                    citations.extend(self.citation(&q.source, &q.text));
                }
                FactRef::Person(i) => {
                    let p = &k.people[i];
                    let mut text = p.description.clone();
                    for role in &p.roles {
                        let period = match role.period_phrase() {
                            p if p.is_empty() => p,
                            p => format!(" ({p})"),
                        };
                        if !text.contains(&role.title) {
                            text.push_str(&format!(" Role: {}{period}.", role.title));
                        }
                        citations.extend(self.citation(&role.source, &role.evidence));
                    }
                    citations.insert(
                        0,
                        self.citation(&p.source, &p.evidence)
                            .expect("validated source"),
                    );
                    sentences.push(text);
                }
            }
        }
        citations.dedup_by(|a, b| a.quote == b.quote);
        Answer::answered(sentences.join("\n"), citations, stated)
    }

    fn timeline_answer(&self, reading: &Reading) -> Answer {
        let filter = TimelineFilter::from_question(self, reading);
        let mut events = match reading.anchor.filter(|_| reading.when.nearest) {
            Some(anchor) => self.nearest_events(&filter, &anchor),
            None => self.timeline_indices(&filter),
        };
        // A period in which nothing is known to have started may still hold
        // what was reported by a day in it ("by 15 May 2024").
        if events.is_empty() {
            events = self.timeline_indices(&TimelineFilter {
                states: true,
                ..filter.clone()
            });
        }
        if let Some(a) = reading.anchor {
            // Not the anchor itself; and "since the deal": what the timeline
            // puts after it, when their dates overlap.
            events.retain(|&i| {
                Some(i) != a.event
                    && (a.event.is_none()
                        || self.on_side(&a, &self.knowledge.events[i].date, Some(i)))
            });
        }
        if events.is_empty() {
            return self.not_known(&reading.cleaned, "I know of no events in that period.");
        }
        events.truncate(timeline::MAX_IN_ANSWER);
        let shown: Vec<&crate::knowledge::Event> =
            events.iter().map(|&i| &self.knowledge.events[i]).collect();
        Answer::answered(
            shown
                .iter()
                .map(|e| format!("• {}: {}", e.date, e.title))
                .collect::<Vec<_>>()
                .join("\n"),
            shown
                .iter()
                .filter_map(|e| self.citation(&e.source, &e.evidence))
                .collect(),
            events.into_iter().map(FactRef::Event).collect(),
        )
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

/// The kinds of fact, for restricting a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Event,
    Figure,
    Quote,
    Person,
}

impl Kind {
    fn of(fact: FactRef) -> Kind {
        match fact {
            FactRef::Event(_) => Kind::Event,
            FactRef::Figure(_) => Kind::Figure,
            FactRef::Quote(_) => Kind::Quote,
            FactRef::Person(_) => Kind::Person,
        }
    }
}

/// Whether a word of a question could say what it is about: not a stopword,
/// a number, a word that frames the question, or a fragment of two letters.
/// Whether a question is about one strike: by its number ("the 12th
/// strike"), or a strike in the singular beside a month or a length.
fn names_one_strike(reading: &Reading) -> bool {
    let words: Vec<&str> = reading.cleaned.split(' ').collect();
    let singular = words
        .iter()
        .any(|w| matches!(*w, "strike" | "walkout" | "walk-out"));
    let length = !ground::lengths_in_days(&reading.cleaned).is_empty();
    reading.when.ordinal.is_some() || (singular && (!reading.when.months.is_empty() || length))
}

fn is_content_word(word: &str) -> bool {
    word.chars().count() >= 3
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !normalise::word_terms(word)
            .iter()
            .any(|t| t.starts_with(|c: char| c.is_ascii_digit()))
        && !STOPWORDS.contains(&word)
        && !ground::frame_word(word)
}
