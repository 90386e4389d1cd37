//! Finding the facts that answer a question: the best matches of the kinds
//! its intent asks for, a series of figures latest first, and the nearest
//! things known when the match is weak.

use super::index::Hit;
use super::rank::Kind;
use super::{normalise, Answer, DeclineReason, Engine, FactRef, Reading};
use crate::knowledge::{AnswerKind, FuzzyDate};
use std::collections::HashSet;

/// The most one matching term can add to a BM25 score, per unit of its rarity (k1 + 1).
pub(super) const BEST_TERM_WEIGHT: f32 = 2.2;

/// Below this retrieval score, the best fact is too weak a match to state.
pub(super) const MIN_FACT_SCORE: f32 = 4.0;

/// A second fact is stated too when it scores at least this share of the first.
pub(super) const SECOND_FACT_SHARE: f32 = 0.8;

/// Words that ask about the present: the time of the newest article.
const NOW_WORDS: &[&str] = &[
    "now",
    "currently",
    "current",
    "today",
    "at the moment",
    "these days",
    "at present",
    "right now",
];

impl Engine {
    pub(super) fn fact_answer(
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

    /// The date a question points at ("during the three-day strike", "when the
    /// twelfth strike ended", "in 2024"): the date of the event it best matches.
    pub(super) fn reference_date(&self, reading: &Reading) -> Option<FuzzyDate> {
        let w = &reading.when;
        let has_cue = !w.is_empty()
            || w.ordinal.is_some()
            || [" during ", " when ", " at the time", " under ", " while "]
                .iter()
                .any(|c| format!(" {} ", reading.cleaned).contains(c));
        if !has_cue {
            // "Who chairs it now?": now is the newest the articles report.
            let words = format!(" {} ", reading.cleaned);
            let asks_now = NOW_WORDS.iter().any(|n| words.contains(&format!(" {n} ")));
            return asks_now
                .then(|| {
                    self.knowledge
                        .events
                        .iter()
                        .map(|e| e.date)
                        .max_by_key(|d| d.last_day())
                })
                .flatten();
        }
        let hit = self.rank(reading, &[Kind::Event], &[]).into_iter().next()?;
        let meta = &self.index.facts[hit.doc];
        (hit.score >= MIN_FACT_SCORE).then_some(meta.date).flatten()
    }

    /// The score a fact needs to be stated: [`MIN_FACT_SCORE`], or less when the
    /// question holds only a few common words ("how many strikes have there been?"),
    /// so it can never reach that. Words the knowledge lacks count as rare: a
    /// question about something unknown still needs a strong match.
    pub(super) fn min_fact_score(&self, terms: &[String]) -> f32 {
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
    pub(super) fn latest_of_series(
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
    pub(super) fn did_you_mean(&self, hits: &[Hit]) -> Vec<String> {
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
}
