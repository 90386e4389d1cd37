//! An inverted index over every fact, scored with BM25, with typo-tolerant lookup.
//!
//! Built once per knowledge load; a question costs one pass over the postings
//! of its own terms, not a comparison with every fact.

use super::entities::NameIndex;
use super::normalise::{clean, fold_phrases, terms_of_cleaned, word_terms};
use crate::knowledge::{FuzzyDate, Knowledge};
use std::collections::HashMap;

/// One fact the bot can answer from, by its position in the knowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactRef {
    /// An entry of `events`.
    Event(usize),
    /// An entry of `figures`.
    Figure(usize),
    /// An entry of `quotes`.
    Quote(usize),
    /// An entry of `people`.
    Person(usize),
}

/// What the index knows of each fact beyond its words.
#[derive(Debug, Clone)]
pub struct FactMeta {
    /// The fact.
    pub fact: FactRef,
    /// When it happened or was said, where dated.
    pub date: Option<FuzzyDate>,
    /// The people it involves (indexes into `people`).
    pub people: Vec<usize>,
    /// Its topics, as search terms.
    pub topics: Vec<String>,
    /// The event it belongs to (an index into `events`).
    pub event: Option<usize>,
    len: f32,
}

/// The inverted index over all facts.
#[derive(Debug, Clone, Default)]
pub struct FactIndex {
    /// The facts, in index order.
    pub facts: Vec<FactMeta>,
    postings: HashMap<String, Vec<(u32, f32)>>,
    /// Every cleaned word of the knowledge and its term, for typo correction.
    words: HashMap<String, String>,
    /// The same words, bucketed by length, for a fast typo search.
    spelling: Spelling,
    /// Every name and alias, cleaned once.
    names: NameIndex,
    avg_len: f32,
    /// While building: the terms of each word seen, so that the words that
    /// recur across facts are stemmed once. Emptied when the index is built.
    memo: TermMemo,
}

/// BM25 parameters: term saturation and length normalisation.
pub(crate) const K1: f32 = 1.2;
const B: f32 = 0.4;

impl FactIndex {
    /// Indexes every event, figure, quote and person of the knowledge.
    pub fn build(k: &Knowledge) -> FactIndex {
        let mut index = FactIndex::default();
        // By id, not by a scan of all people or events per reference.
        let people_by_id: HashMap<&str, usize> = k
            .people
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let events_by_id: HashMap<&str, usize> = k
            .events
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let person_of = |id: &crate::knowledge::Id| people_by_id.get(id.as_str()).copied();
        let event_of = |id: &crate::knowledge::Id| events_by_id.get(id.as_str()).copied();
        let names = |ids: &[usize]| -> String {
            ids.iter()
                .map(|&i| format!("{} {}", k.people[i].name, k.people[i].aliases.join(" ")))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (i, e) in k.events.iter().enumerate() {
            let people: Vec<usize> = e.people.iter().filter_map(person_of).collect();
            let text = format!(
                "{} {} {} {} {} {} {}",
                e.title,
                e.summary,
                e.evidence,
                also_text(&e.also),
                e.keywords.join(" "),
                e.topics.join(" "),
                names(&people)
            );
            index.add(
                FactRef::Event(i),
                &text,
                Some(e.date),
                people,
                &e.topics,
                Some(i),
            );
        }
        for (i, f) in k.figures.iter().enumerate() {
            let people: Vec<usize> = f.stated_by.iter().filter_map(person_of).collect();
            let event = f.event.as_ref().and_then(event_of);
            let event_title = event.map_or(String::new(), |e| k.events[e].title.clone());
            let text = format!(
                "{} {} {} {} {} {} {} {}",
                f.measure,
                f.summary,
                f.evidence,
                also_text(&f.also),
                f.keywords.join(" "),
                f.topics.join(" "),
                event_title,
                names(&people)
            );
            index.add(
                FactRef::Figure(i),
                &text,
                Some(f.as_of),
                people,
                &f.topics,
                event,
            );
        }
        for (i, q) in k.quotes.iter().enumerate() {
            let people: Vec<usize> = person_of(&q.speaker).into_iter().collect();
            let event = q.event.as_ref().and_then(event_of);
            let text = format!(
                "{} {} {} {} {}",
                q.text,
                q.context,
                q.keywords.join(" "),
                q.topics.join(" "),
                names(&people)
            );
            index.add(
                FactRef::Quote(i),
                &text,
                Some(q.date),
                people,
                &q.topics,
                event,
            );
        }
        for (i, p) in k.people.iter().enumerate() {
            let roles: Vec<String> = p
                .roles
                .iter()
                .map(|r| format!("{} {}", r.title, r.evidence))
                .collect();
            let text = format!(
                "{} {} {} {} {}",
                p.name,
                p.aliases.join(" "),
                p.description,
                p.evidence,
                roles.join(" ")
            );
            index.add(FactRef::Person(i), &text, None, vec![i], &[], None);
        }
        let total: f32 = index.facts.iter().map(|f| f.len).sum();
        index.avg_len = total / index.facts.len().max(1) as f32;
        index.spelling = Spelling::new(index.words.keys().map(String::as_str));
        index.names = NameIndex::build(k);
        index.memo = TermMemo::default();
        index
    }

    /// The people and organisations a question names, best match first: what
    /// [`find_people`](super::entities::find_people) finds, without cleaning
    /// every name of the knowledge again for each question.
    pub fn people_in(&self, question: &str) -> Vec<usize> {
        self.names.find(question)
    }

    fn add(
        &mut self,
        fact: FactRef,
        text: &str,
        date: Option<FuzzyDate>,
        people: Vec<usize>,
        topics: &[String],
        event: Option<usize>,
    ) {
        let doc = self.facts.len() as u32;
        let cleaned = clean(text);
        for word in cleaned.split(' ') {
            if word.len() >= 4 && !self.words.contains_key(word) {
                // A cleaned word has no space, so its terms are `word_terms`.
                if let [t] = self.memo.word_terms(word) {
                    self.words.insert(word.to_string(), t.clone());
                }
            }
        }
        let terms = self.memo.terms_of_cleaned(&cleaned);
        let mut counts: HashMap<&str, f32> = HashMap::new();
        for t in &terms {
            *counts.entry(t).or_default() += 1.0;
        }
        for (t, n) in counts {
            self.postings
                .entry(t.to_string())
                .or_default()
                .push((doc, n));
        }
        self.facts.push(FactMeta {
            fact,
            date,
            people,
            topics: topics
                .iter()
                .flat_map(|t| terms_of_cleaned(&clean(t)))
                .collect(),
            event,
            len: terms.len() as f32,
        });
    }

    /// Whether a term occurs anywhere in the knowledge.
    pub fn knows(&self, term: &str) -> bool {
        self.postings.contains_key(term)
    }

    /// The term a misspelt word most likely stands for, if one is close enough.
    /// Short words are never corrected: "pay" must not become "day".
    pub fn correct(&self, word: &str) -> Option<&str> {
        let n = word.chars().count();
        if n < 5 || word.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let allowed = if n >= 8 { 2 } else { 1 };
        let (_, w) = self.spelling.nearest(word, allowed)?;
        self.words.get(w).map(String::as_str)
    }

    /// How informative a term is: rare terms weigh more.
    pub fn idf(&self, term: &str) -> f32 {
        let n = self.facts.len() as f32;
        let df = self.postings.get(term).map_or(0.0, |p| p.len() as f32);
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// BM25 score of every fact that shares a term with the query, with the
    /// number of distinct query terms each one matched.
    pub fn search(&self, query: &[String]) -> Vec<Hit> {
        let mut scores: HashMap<u32, Hit> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for term in query {
            if !seen.insert(term) {
                continue;
            }
            let Some(postings) = self.postings.get(term) else {
                continue;
            };
            let idf = self.idf(term);
            for &(doc, tf) in postings {
                let len = self.facts[doc as usize].len;
                let s = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_len));
                let hit = scores.entry(doc).or_insert(Hit {
                    doc: doc as usize,
                    score: 0.0,
                    matched: 0,
                });
                hit.score += s;
                hit.matched += 1;
            }
        }
        let mut hits: Vec<Hit> = scores.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }
}

/// [`word_terms`] of each word seen while building the index, computed once.
#[derive(Debug, Clone, Default)]
struct TermMemo(HashMap<String, Vec<String>>);

impl TermMemo {
    /// [`terms_of_cleaned`], with each word's terms from the memo.
    fn terms_of_cleaned(&mut self, cleaned: &str) -> Vec<String> {
        let mut terms = Vec::new();
        for word in fold_phrases(cleaned).split(' ') {
            terms.extend_from_slice(self.word_terms(word));
        }
        terms
    }

    fn word_terms(&mut self, word: &str) -> &[String] {
        if !self.0.contains_key(word) {
            self.0.insert(word.to_string(), word_terms(word));
        }
        &self.0[word]
    }
}

/// The evidence of further citations, which is searchable like the first.
pub fn also_text(citations: &[crate::knowledge::Citation]) -> String {
    citations
        .iter()
        .map(|c| c.evidence.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words bucketed by length in characters, each with a letter signature, so
/// that a typo search computes the edit distance of only the few words that
/// can be close: a word within `k` edits differs in length by at most `k`, and
/// each edit changes at most two bits of the signature.
#[derive(Debug, Clone, Default)]
pub struct Spelling {
    /// `by_len[n]`: the words of `n` characters, sorted, with their signatures.
    by_len: Vec<Vec<(u64, String)>>,
}

impl Spelling {
    /// Indexes a set of words.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Spelling {
        let mut by_len: Vec<Vec<(u64, String)>> = Vec::new();
        for w in words {
            let n = w.chars().count();
            if by_len.len() <= n {
                by_len.resize_with(n + 1, Vec::new);
            }
            by_len[n].push((signature(w), w.to_string()));
        }
        for bucket in &mut by_len {
            bucket.sort_by(|a, b| a.1.cmp(&b.1));
        }
        Spelling { by_len }
    }

    /// The closest word within `allowed` Damerau-Levenshtein edits and its
    /// distance; of equally close words, the first in alphabetical order.
    pub fn nearest<'s>(&'s self, word: &'s str, allowed: usize) -> Option<(usize, &'s str)> {
        self.within(word, allowed)
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
    }

    /// Every word within `allowed` edits of `word`, with its distance.
    pub fn within<'s>(
        &'s self,
        word: &'s str,
        allowed: usize,
    ) -> impl Iterator<Item = (usize, &'s str)> + 's {
        let n = word.chars().count();
        let sig = signature(word);
        let lengths = n.saturating_sub(allowed)..=n + allowed;
        lengths
            .filter_map(|len| self.by_len.get(len))
            .flatten()
            .filter(move |(s, _)| ((s ^ sig).count_ones() as usize) <= 2 * allowed)
            .map(move |(_, w)| (strsim::damerau_levenshtein(word, w), w.as_str()))
            .filter(move |(d, _)| *d <= allowed)
    }
}

/// Which characters a word holds, one bit per letter or digit (other characters
/// share bits): a lower bound on edit distance that costs one XOR to check.
fn signature(word: &str) -> u64 {
    word.chars().fold(0u64, |sig, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            c => 36 + (c as u32 % 28),
        };
        sig | 1 << bit
    })
}

/// One fact's score for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The position in [`FactIndex::facts`].
    pub doc: usize,
    /// Its BM25 score.
    pub score: f32,
    /// How many distinct query terms it contains.
    pub matched: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn memoised_terms_are_the_terms(texts in proptest::collection::vec(
            "(walk out|strikes|the union|35%|£3bn|doctors|co chairs| |[a-z]{1,6}){0,8}",
            1..6,
        )) {
            let mut memo = TermMemo::default();
            for text in &texts {
                let cleaned = clean(text);
                prop_assert_eq!(memo.terms_of_cleaned(&cleaned), terms_of_cleaned(&cleaned));
            }
        }
    }

    /// The old linear search, kept as the reference the index must agree with.
    fn brute_force<'a>(words: &[&'a str], word: &str, allowed: usize) -> Option<(usize, &'a str)> {
        words
            .iter()
            .map(|w| (strsim::damerau_levenshtein(word, w), *w))
            .filter(|(d, _)| *d <= allowed)
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
    }

    #[test]
    fn spelling_index_finds_what_a_linear_search_finds() {
        let words = [
            "streeting",
            "strike",
            "strikes",
            "barclay",
            "trivedi",
            "appointments",
            "postponed",
            "mediated",
            "negotiations",
            "ballot",
            "bellot",
            "ballots",
            "laurenson",
            "nieuwoudt",
            "résumé",
            "naïve",
            "2024",
            "twelfth",
            "stirke",
            "barkley",
        ];
        let spelling = Spelling::new(words);
        for query in [
            "streting",
            "stirke",
            "barcley",
            "trivedy",
            "apointments",
            "postponned",
            "ballto",
            "resume",
            "naive",
            "twelth",
            "zzzzz",
            "laurensen",
            "nieuwoudtt",
            "mediatde",
        ] {
            for allowed in 1..=2 {
                assert_eq!(
                    spelling.nearest(query, allowed),
                    brute_force(&words, query, allowed),
                    "{query} within {allowed}"
                );
            }
        }
    }
}
