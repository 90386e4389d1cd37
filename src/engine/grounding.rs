//! Grounding: applying the decline rules of `ground.rs` to a reading,
//! before any fact is looked up and after, with the facts found.

use super::domain::DOMAIN_WORDS;
use super::normalise::{self, term};
use super::{ground, index, Answer, Engine, FactRef, Reading};
use crate::knowledge::{AnswerKind, Knowledge};
use std::collections::HashSet;

/// How many of the best matches are searched for one that states a question's premise.
pub(super) const PREMISE_CANDIDATES: usize = 5;

/// ... and how close to the best of them such a fact must score.
pub(super) const PREMISE_CANDIDATE_SHARE: f32 = 0.7;

/// What grounding makes of an answer whose facts do not cover the question.
pub(super) enum Grounding {
    /// Another fact the question matches covers it, and answers instead.
    Instead(FactRef),
    /// Nothing covers it: decline, keeping what the facts found say.
    Gap(ground::Gap),
}

impl Engine {
    /// The first decline rule a question breaks before any fact is looked up:
    /// a word no article uses, or a reference past what the articles report.
    pub(super) fn gap_in(&self, reading: &Reading) -> Option<ground::Gap> {
        if let Some(word) = reading.unknown.first() {
            return Some(ground::Gap::UnknownWord(word.clone()));
        }
        if let Some(name) = self.bystander_in(reading) {
            return Some(ground::Gap::NoPartReported(name));
        }
        if ground::asks_number(&reading.cleaned) {
            if let Some(name) = self.named_without_figures(reading) {
                return Some(ground::Gap::NoFigureFor(name));
            }
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

    /// Someone or something the question names when no figure is about any
    /// of those it names ("how many operations did St Thomas' cancel?").
    fn named_without_figures(&self, reading: &Reading) -> Option<String> {
        let first = *reading.people.first()?;
        let none = reading.people.iter().all(|p| !self.in_figures.contains(p));
        none.then(|| self.knowledge.people[first].name.clone())
    }

    /// An answer that passed the grounding rules that need the facts found:
    /// the answer itself, another fact that covers the question, or a decline
    /// that keeps what the facts found say.
    pub(super) fn grounded(
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
    pub(super) fn unsupported(&self, reading: &Reading, answer: &Answer) -> Option<Grounding> {
        if answer.facts().is_empty() {
            return None;
        }
        let subject = |w: &str| {
            self.name_words.contains(w)
                || normalise::word_terms(w)
                    .iter()
                    .any(|t| DOMAIN_WORDS.iter().any(|d| term(d) == *t))
        };
        if let Some(premise) = ground::premise(&normalise::fold_phrases(&reading.cleaned), subject)
        {
            // The best fact stating the opposite ("voted to continue") corrects the premise.
            if ground::contradicts(&premise.claim, &self.words_of(answer.facts()[0])) {
                return Some(Grounding::Gap(ground::Gap::NotReported(premise)));
            }
            let verb = ground::verb_terms(&premise.verb);
            let numbers = premise.numbers();
            let states = |f: FactRef| {
                let action = match &premise.particle {
                    Some(p) => ground::says_phrasal(&self.words_of(f), &premise.verb, p),
                    None => self.says(f, &verb) || self.keyed(f, &verb),
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

    /// Among the question's best matches, one that passes a test the facts
    /// found failed: it answers instead of them.
    pub(super) fn instead(
        &self,
        reading: &Reading,
        passes: impl Fn(FactRef) -> bool,
    ) -> Option<FactRef> {
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
    pub(super) fn says(&self, fact: FactRef, terms: &[String]) -> bool {
        let stated = normalise::terms(&self.words_of(fact));
        terms.iter().any(|t| stated.contains(t))
    }

    /// Whether the keywords a fact was given for search hold any of some terms:
    /// what the knowledge says the fact is about ("why did talks fail").
    pub(super) fn keyed(&self, fact: FactRef, terms: &[String]) -> bool {
        let k = &self.knowledge;
        let keywords = match fact {
            FactRef::Event(i) => &k.events[i].keywords,
            FactRef::Figure(i) => &k.figures[i].keywords,
            FactRef::Quote(i) => &k.quotes[i].keywords,
            FactRef::Person(_) => return false,
        };
        let keyed = normalise::terms(&keywords.join(" "));
        terms.iter().any(|t| keyed.contains(t))
    }

    /// The articles' words for a fact: its summary and evidence, not the
    /// keywords added for search.
    pub(super) fn words_of(&self, fact: FactRef) -> String {
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
}

/// The people and organisations some figure is about: the one who stated
/// it, or those its measure, summary or evidence names.
pub(super) fn people_in_figures(k: &Knowledge, index: &index::FactIndex) -> HashSet<usize> {
    let mut found = HashSet::new();
    for f in &k.figures {
        let speaker = f
            .stated_by
            .as_ref()
            .and_then(|id| k.people.iter().position(|p| &p.id == id));
        found.extend(speaker);
        found.extend(index.people_in(&format!("{} {} {}", f.measure, f.summary, f.evidence)));
    }
    found
}

/// Whether a question is about one strike: by its number ("the 12th
/// strike"), or a strike in the singular beside a month or a length.
pub(super) fn names_one_strike(reading: &Reading) -> bool {
    let words: Vec<&str> = reading.cleaned.split(' ').collect();
    let singular = words
        .iter()
        .any(|w| matches!(*w, "strike" | "walkout" | "walk-out"));
    let length = !ground::lengths_in_days(&reading.cleaned).is_empty();
    reading.when.ordinal.is_some() || (singular && (!reading.when.months.is_empty() || length))
}
