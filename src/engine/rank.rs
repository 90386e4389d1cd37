//! Retrieval: every fact scored for a question, BM25 plus the boosts of
//! [`Weights`] for the people, topics, dates, strike numbers and anchors it
//! names. Ranking orders candidates; the grounding rules decide.

use super::entities::{self, Relation};
use super::index::{self, FactRef, Hit};
use super::normalise::{self, clean, term};
use super::{Engine, Reading};
use crate::knowledge::{EventKind, FuzzyDate};
use chrono::Datelike;

/// How much each thing a question names adds to a fact's BM25 score.
#[derive(Debug, Clone, Copy)]
pub(super) struct Weights {
    /// The fact involves a person the question names.
    pub person: f32,
    /// The fact has a topic of the intent the question matched.
    pub topic: f32,
    /// The question quotes words of this quote.
    pub quoted_words: f32,
    /// The fact's date fits a month or year the question names.
    pub date_fits: f32,
    /// The fact's date misses the month or year the question names.
    pub date_misses: f32,
    /// The fact is the numbered strike the question names.
    pub ordinal: f32,
    /// The fact's statement names the strike number the question names.
    pub ordinal_named: f32,
    /// The fact is the event "before / after" points at, not what came before or after it.
    pub anchor_itself: f32,
    /// The fact is on the side of the anchor asked (added), or the other side (taken off).
    pub anchor_side: f32,
    /// "Right after / just before": at most this much for being nearest, less a year away.
    pub nearness: f32,
    /// "The first / latest": added to the best score for the earliest or latest fact.
    pub extreme: f32,
    /// A fact of the kind the intent asks for goes first when it scores this share of the best.
    pub preferred_kind_share: f32,
    /// "The first / latest" picks among facts scoring this share of the best.
    pub extreme_candidate_share: f32,
}

/// The weights the engine ranks with.
pub(super) const W: Weights = Weights {
    person: 2.0,
    topic: 1.5,
    quoted_words: 10.0,
    date_fits: 2.5,
    date_misses: -1.0,
    ordinal: 4.0,
    ordinal_named: 2.0,
    anchor_itself: -3.0,
    anchor_side: 1.5,
    nearness: 1.0,
    extreme: 3.0,
    preferred_kind_share: 0.75,
    extreme_candidate_share: 0.6,
};

impl Engine {
    /// Scores every fact for the question, with boosts for the people, dates and
    /// topics it names, keeping only the kinds the answer can use.
    pub(super) fn rank(&self, reading: &Reading, kinds: &[Kind], topics: &[String]) -> Vec<Hit> {
        let topic_terms: Vec<String> = topics.iter().flat_map(|t| normalise::terms(t)).collect();
        let mut hits: Vec<Hit> = self
            .index
            .search(&reading.terms)
            .into_iter()
            .filter(|h| kinds.contains(&Kind::of(self.index.facts[h.doc].fact)))
            .collect();
        for hit in &mut hits {
            let meta = &self.index.facts[hit.doc];
            if reading.people.iter().any(|p| meta.people.contains(p)) {
                hit.score += W.person;
            }
            if meta.topics.iter().any(|t| topic_terms.contains(t)) {
                hit.score += W.topic;
            }
            hit.score += self.time_boost(reading, meta);
            if let (Some(q), FactRef::Quote(i)) = (&reading.quoted, meta.fact) {
                let words = crate::knowledge::fold_for_match(&clean(q));
                if clean(&self.knowledge.quotes[i].text).contains(&words) {
                    hit.score += W.quoted_words;
                }
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        // Prefer the kind the intent asks for when it is nearly as good and
        // matches as many of the question's words.
        let preferred = kinds[0];
        if let Some(best_pref) = hits
            .iter()
            .position(|h| Kind::of(self.index.facts[h.doc].fact) == preferred)
        {
            if best_pref > 0
                && hits[best_pref].score >= W.preferred_kind_share * hits[0].score
                && hits[best_pref].matched >= hits[0].matched
            {
                let h = hits.remove(best_pref);
                hits.insert(0, h);
            }
        }
        let w = &reading.when;
        if (w.earliest || w.latest) && reading.anchor.is_none() {
            self.prefer_extreme_date(
                &mut hits,
                w.latest,
                self.asked_event_kind(reading),
                preferred,
            );
        }
        hits
    }

    /// The kind of event a question names ("strikes", "talks", "ballot"), if any.
    pub(super) fn asked_event_kind(&self, reading: &Reading) -> Option<EventKind> {
        super::sides::KIND_WORDS
            .iter()
            .find(|(word, _)| reading.terms.contains(&term(word)))
            .map(|(_, kind)| *kind)
    }

    /// "The first strike", "the latest figure": among the good matches, the
    /// earliest (or latest) dated one goes first.
    fn prefer_extreme_date(
        &self,
        hits: &mut Vec<Hit>,
        latest: bool,
        asked_kind: Option<EventKind>,
        preferred: Kind,
    ) {
        let Some(best) = hits.first().map(|h| h.score) else {
            return;
        };
        let most_matched = hits.iter().take(8).map(|h| h.matched).max().unwrap_or(0);
        let event_of = |h: &Hit| {
            self.index.facts[h.doc]
                .event
                .map(|e| &self.knowledge.events[e])
        };
        let date_of = |h: &Hit| event_of(h).map(|e| e.date).or(self.index.facts[h.doc].date);
        // "The first strike": among events of the kind named; otherwise among the best matches.
        let candidate = |(i, h): &(usize, &Hit)| match asked_kind {
            Some(kind) => event_of(h).is_some_and(|e| e.kind == kind),
            None => {
                *i < 8 && h.score >= W.extreme_candidate_share * best && h.matched >= most_matched
            }
        };
        let has_preferred = hits
            .iter()
            .enumerate()
            .filter(candidate)
            .any(|(_, h)| Kind::of(self.index.facts[h.doc].fact) == preferred);
        let pick = hits
            .iter()
            .enumerate()
            .filter(candidate)
            .filter(|(_, h)| !has_preferred || Kind::of(self.index.facts[h.doc].fact) == preferred)
            .filter_map(|(i, h)| date_of(h).map(|d| (i, d)))
            .min_by_key(|(i, d)| {
                let key = if latest {
                    -d.last_day().num_days_from_ce()
                } else {
                    d.first_day().num_days_from_ce()
                };
                (key, *i)
            })
            .map(|(i, _)| i);
        if let Some(i) = pick {
            // Being the earliest (or latest) is what the question asks for, so it counts as a match.
            let mut h = hits.remove(i);
            h.score = h.score.max(best) + W.extreme;
            hits.insert(0, h);
        }
    }

    pub(super) fn time_boost(&self, reading: &Reading, meta: &index::FactMeta) -> f32 {
        let when = &reading.when;
        let mut boost = 0.0;
        let event_date = meta.event.map(|e| self.knowledge.events[e].date);
        let Some(date) = event_date.or(meta.date) else {
            return 0.0;
        };
        if !when.months.is_empty() || !when.years.is_empty() {
            let fits = |d: &FuzzyDate| {
                when.months.iter().any(|m| entities::month_overlaps(m, d))
                    || when
                        .years
                        .iter()
                        .any(|y| d.first_day().year() <= *y && *y <= d.last_day().year())
            };
            // A date known only to the year neither fits nor misses a month.
            let vague =
                date.start.precision == crate::knowledge::Precision::Year && when.years.is_empty();
            boost += if vague {
                0.0
            } else if fits(&date) {
                W.date_fits
            } else {
                W.date_misses
            };
        }
        if let Some(n) = when.ordinal {
            let ordinal = meta.event.and_then(|e| self.knowledge.events[e].ordinal);
            if ordinal == Some(n) {
                boost += W.ordinal;
            } else if self.ordinal_named.get(&meta.fact) == Some(&n) {
                // "The letter after the twelfth strike" is about that strike too.
                boost += W.ordinal_named;
            }
        }
        if let Some(anchor) = reading.anchor {
            if meta.event.is_some() && meta.event == anchor.event {
                return boost + W.anchor_itself;
            }
            let fits = self.on_side(&anchor, &date, meta.event);
            boost += if fits { W.anchor_side } else { -W.anchor_side };
            // "Right after Y", "the last X before Y": the nearer to Y, the better.
            let nearest = when.nearest || (when.latest && anchor.relation == Relation::Before);
            if fits && nearest {
                let (days, _) = self.distance(&anchor, &date, meta.event);
                boost += W.nearness * (1.0 - days as f32 / 365.0).clamp(0.0, 1.0);
            }
        }
        boost
    }
}

/// The kinds of fact, for restricting a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Event,
    Figure,
    Quote,
    Person,
}

impl Kind {
    pub(super) fn of(fact: FactRef) -> Kind {
        match fact {
            FactRef::Event(_) => Kind::Event,
            FactRef::Figure(_) => Kind::Figure,
            FactRef::Quote(_) => Kind::Quote,
            FactRef::Person(_) => Kind::Person,
        }
    }
}
