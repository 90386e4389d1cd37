//! Lookups: a question that quotes the articles' own words, or names a day,
//! and asks what it is about ("'never left the table' - who said it?",
//! "what's happening on 16 August?").
//!
//! One rule each: words that appear verbatim in what someone said identify
//! that quote, and quoted words that no article contains were never said; a
//! day that a fact is dated to identifies that fact. Neither
//! needs the question to say anything else, so these run before the
//! topic checks that would otherwise find nothing to go on.

use super::{entities, ground, normalise, Answer, AnswerKind, Engine, FactRef, Reading};
use crate::knowledge::{fold_for_match, Knowledge, Precision};

/// The fewest consecutive question words that identify a quote without quotation marks.
const MIN_VERBATIM_RUN: usize = 4;
/// Of those, the fewest that must be content words, so "the junior doctors committee" is not enough.
const MIN_VERBATIM_CONTENT: usize = 2;
/// Questions longer than this are not searched for runs: the search grows with the square of the length.
const MAX_WORDS_FOR_RUNS: usize = 40;
/// Words that ask who said something, or what it means: what an unquoted run needs beside it.
const ASKS_ABOUT_WORDS: &[&str] = &[
    "who", "said", "say", "says", "saying", "quote", "quoted", "words", "meant", "mean", "means",
];

/// The texts a lookup searches, cleaned once when the engine is built rather
/// than again for every quoted phrase and every run of question words.
#[derive(Debug, Clone)]
pub(super) struct LookupTexts {
    /// Each quote's text, cleaned and folded, in the order of `Knowledge::quotes`.
    quotes: Vec<String>,
    /// Each source's bare words with a space either side, so a phrase matches whole words only.
    sources: Vec<String>,
}

impl LookupTexts {
    /// Cleans the quotes and sources of the knowledge for lookups.
    pub(super) fn build(knowledge: &Knowledge) -> LookupTexts {
        LookupTexts {
            quotes: knowledge
                .quotes
                .iter()
                .map(|q| fold_for_match(&normalise::clean(&q.text)))
                .collect(),
            sources: knowledge
                .sources
                .iter()
                .map(|s| format!(" {} ", bare_words(&s.text)))
                .collect(),
        }
    }
}

impl Engine {
    /// The answer to a question that quotes the articles or names a day they date a fact to.
    pub(super) fn lookup_answer(&self, question: &str, reading: &Reading) -> Option<Answer> {
        if let Some(phrase) = &reading.quoted {
            let words = format!(" {} ", bare_words(phrase));
            let in_an_article = self.lookup.sources.iter().any(|s| s.contains(&words));
            if !in_an_article {
                return Some(self.decline_for(question, &ground::Gap::NeverSaid(phrase.clone())));
            }
        }
        let mut answer = self
            .phrase_lookup(reading)
            .or_else(|| self.day_lookup(reading))?;
        answer.question = question.to_string();
        answer.intent = Some("lookup".into());
        answer.confidence = 0.9;
        Some(answer)
    }

    /// Quotes that hold the question's quoted words, or a run of its words.
    fn phrase_lookup(&self, reading: &Reading) -> Option<Answer> {
        let quotes_holding = |phrase: &str| -> Vec<FactRef> {
            let phrase = fold_for_match(&normalise::clean(phrase));
            self.lookup
                .quotes
                .iter()
                .enumerate()
                .filter(|(_, q)| q.contains(&phrase))
                .map(|(i, _)| FactRef::Quote(i))
                .take(2)
                .collect()
        };
        let facts = match &reading.quoted {
            Some(phrase) => quotes_holding(phrase),
            None => {
                let words: Vec<&str> = reading.cleaned.split(' ').collect();
                if words.len() > MAX_WORDS_FOR_RUNS
                    || !words.iter().any(|w| ASKS_ABOUT_WORDS.contains(w))
                {
                    return None;
                }
                let is_name = |w: &str| self.name_words.contains(w);
                let found = longest_runs(&words, &is_name)
                    .map(|run| quotes_holding(&run.join(" ")))
                    .find(|found| !found.is_empty());
                found.unwrap_or_default()
            }
        };
        (!facts.is_empty()).then(|| self.state(AnswerKind::Quote, &facts))
    }

    /// Events dated to the day the question names, when it names nothing else.
    fn day_lookup(&self, reading: &Reading) -> Option<Answer> {
        let [day] = reading.when.months.as_slice() else {
            return None;
        };
        day.day?;
        let names_nothing_else = reading.cleaned.split(' ').all(|w| {
            w.is_empty()
                || normalise::STOPWORDS.contains(&w)
                || ground::frame_word(w)
                || w.starts_with(|c: char| c.is_ascii_digit())
                || entities::is_month_name(w)
        });
        if !names_nothing_else {
            return None;
        }
        let facts: Vec<FactRef> = self
            .knowledge
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.date.start.precision == Precision::Day && day.contains(e.date.first_day())
            })
            .map(|(i, _)| FactRef::Event(i))
            .take(2)
            .collect();
        (!facts.is_empty()).then(|| self.state(AnswerKind::Date, &facts))
    }
}

/// Runs of consecutive words, longest first, that could identify a quote:
/// enough content words that are not names, since a name ("the BMA junior
/// doctors committee") says who, not what was said.
fn longest_runs<'w, 's: 'w>(
    words: &'w [&'s str],
    is_name: &'w dyn Fn(&str) -> bool,
) -> impl Iterator<Item = &'w [&'s str]> + 'w {
    (MIN_VERBATIM_RUN..=words.len()).rev().flat_map(move |len| {
        words.windows(len).filter(move |run| {
            run.iter()
                .filter(|w| {
                    !normalise::STOPWORDS.contains(w)
                        && !ASKS_ABOUT_WORDS.contains(w)
                        && !is_name(w)
                })
                .count()
                >= MIN_VERBATIM_CONTENT
        })
    })
}

/// The words of a text, lower-cased and without punctuation, one space apart,
/// so quoted words match an article however either is punctuated.
fn bare_words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
