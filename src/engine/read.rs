//! Reading a question: cleaned text, search terms, people, dates, the
//! "before / after" anchor, and the content words no entry uses.

use super::anchor::Anchor;
use super::entities::{quoted, When};
use super::normalise::{self, clean, fold_phrases, STOPWORDS};
use super::{ground, Engine};

/// What one question was understood to be about.
#[derive(Clone)]
pub(super) struct Reading {
    pub(super) cleaned: String,
    pub(super) terms: Vec<String>,
    pub(super) people: Vec<usize>,
    pub(super) when: When,
    pub(super) quoted: Option<String>,
    /// The event (or date) a "before / after ..." in the question points at.
    pub(super) anchor: Option<Anchor>,
    /// Content words that appear nowhere in the knowledge, even after correction.
    pub(super) unknown: Vec<String>,
}

impl Engine {
    pub(super) fn read(&self, question: &str) -> Reading {
        let cleaned = clean(question);
        let folded = fold_phrases(&cleaned);
        let when = When::find(question);
        let terms: Vec<String> = folded
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
        // "When Labour took office" says when, not what: its words are not
        // matched against the facts when the question has others.
        let time_words = when
            .election_words
            .as_deref()
            .map(normalise::terms)
            .unwrap_or_default();
        let rest: Vec<String> = terms
            .iter()
            .filter(|t| !time_words.contains(t))
            .cloned()
            .collect();
        let terms = if rest.is_empty() { terms } else { rest };
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

    /// A word that says what the question is about, yet that no entry of the
    /// knowledge uses, even after synonyms, stems and spelling correction.
    pub(super) fn is_unknown_word(&self, word: &str) -> bool {
        is_content_word(word)
            && normalise::word_terms(word)
                .iter()
                .all(|t| !self.index.knows(t))
            && self.index.correct(word).is_none()
    }
}

/// Whether a word of a question could say what it is about: not a stopword,
/// a number, a word that frames the question, or a fragment of two letters.
pub(super) fn is_content_word(word: &str) -> bool {
    word.chars().count() >= 3
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !normalise::word_terms(word)
            .iter()
            .any(|t| t.starts_with(|c: char| c.is_ascii_digit()))
        && !STOPWORDS.contains(&word)
        && !ground::frame_word(word)
}
