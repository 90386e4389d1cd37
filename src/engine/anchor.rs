//! Anchors: the event or date a "before / after ..." in a question points at,
//! which side of it a fact lies on, and how near it is.

use super::entities::{Relation, When};
use super::index::FactRef;
use super::normalise;
use super::timeline::TimelineFilter;
use super::Engine;
use crate::knowledge::{EventKind, FuzzyDate};

/// The most events "right after / just before ..." lists: the nearest ones.
const NEAREST_EVENTS: usize = 4;

/// How well the words after "before / after" must match an event for it to be the anchor.
const MIN_ANCHOR_SCORE: f32 = 3.0;

/// A point in time a question is relative to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Anchor {
    /// Whether the question asks what came before it or after it.
    pub relation: Relation,
    /// Its date.
    pub date: FuzzyDate,
    /// The event it is, when it is one.
    pub event: Option<usize>,
}

impl Anchor {
    /// The day it stands for: its first, or for a date known only as "by" a
    /// day ("by 15 May 2024"), that day.
    pub(super) fn day(&self) -> chrono::NaiveDate {
        if self.date.has_open_start() {
            self.date.last_day()
        } else {
            self.date.first_day()
        }
    }
}

impl Engine {
    /// Resolves "before / after <something>" to the date of the event it names.
    pub(super) fn anchor(&self, when: &When) -> Option<Anchor> {
        if let Some(relation) = when.around_election {
            let event = self
                .knowledge
                .events
                .iter()
                .position(|e| e.kind == EventKind::Election);
            return self.election.map(|date| Anchor {
                relation,
                date,
                event,
            });
        }
        let (relation, phrase) = when.relative_to.as_ref()?;
        // "before the 12th strike": the event with that number, when one has it.
        let numbered = When::find(phrase).ordinal.and_then(|n| {
            self.knowledge
                .events
                .iter()
                .position(|e| e.ordinal == Some(n))
        });
        if let Some(i) = numbered {
            return Some(Anchor {
                relation: *relation,
                date: self.knowledge.events[i].date,
                event: Some(i),
            });
        }
        let hit = self
            .index
            .search(&normalise::terms(phrase))
            .into_iter()
            .find(|h| matches!(self.index.facts[h.doc].fact, FactRef::Event(_)))
            .filter(|h| h.score >= MIN_ANCHOR_SCORE)?;
        let FactRef::Event(i) = self.index.facts[hit.doc].fact else {
            return None;
        };
        Some(Anchor {
            relation: *relation,
            date: self.knowledge.events[i].date,
            event: Some(i),
        })
    }

    /// Whether something dated `date` (the event `event`, if it is one) lies on
    /// the side of the anchor the question asks about. Dates that overlap (two
    /// events known only to the year) are ordered as the timeline orders them.
    pub(super) fn on_side(&self, anchor: &Anchor, date: &FuzzyDate, event: Option<usize>) -> bool {
        let overlaps = date.last_day() >= anchor.date.first_day()
            && date.first_day() <= anchor.date.last_day();
        match (event, anchor.event) {
            (Some(e), Some(a)) if overlaps && e != a => match anchor.relation {
                Relation::Before => e < a,
                Relation::After => e > a,
            },
            // A figure or quote of the anchor's own day is a state by then.
            _ => match anchor.relation {
                Relation::Before if event.is_none() => date.last_day() <= anchor.day(),
                Relation::Before => date.last_day() < anchor.day(),
                Relation::After => date.first_day() >= anchor.day(),
            },
        }
    }

    /// How far something dated `date` is from the anchor: days between them
    /// (none when they overlap), then places apart on the timeline.
    pub(super) fn distance(
        &self,
        anchor: &Anchor,
        date: &FuzzyDate,
        event: Option<usize>,
    ) -> (i64, usize) {
        // A date known only to the year is taken at its middle, one known
        // only "by" a day at that day, so "2024" is not a day away from "2025".
        let middle = |d: &FuzzyDate| {
            if d.has_open_start() {
                d.last_day()
            } else {
                d.first_day() + (d.last_day() - d.first_day()) / 2
            }
        };
        let overlaps = date.last_day() >= anchor.date.first_day()
            && date.first_day() <= anchor.date.last_day();
        let days = if overlaps && !date.has_open_start() {
            0
        } else {
            (middle(date) - middle(&anchor.date)).num_days().abs()
        };
        let places = match (event, anchor.event) {
            (Some(e), Some(a)) => e.abs_diff(a),
            _ => usize::MAX,
        };
        (days, places)
    }

    /// The events nearest the anchor on the side asked ("right after the
    /// election"), as positions in the timeline, in its order. A topic the filter names narrows them when an
    /// event's kind, topics, title or summary has it: what happened to strikes
    /// right after the election may be a deal that paused them.
    pub(super) fn nearest_events(&self, filter: &TimelineFilter, anchor: &Anchor) -> Vec<usize> {
        let topic: Vec<String> = filter
            .topic
            .as_deref()
            .map(normalise::terms)
            .unwrap_or_default();
        let span = TimelineFilter {
            topic: None,
            from: None,
            to: None,
            ..filter.clone()
        };
        let tagged = self.timeline_indices(&TimelineFilter {
            topic: filter.topic.clone(),
            ..TimelineFilter::default()
        });
        let events = &self.knowledge.events;
        let mut near: Vec<usize> = self
            .timeline_indices(&span)
            .into_iter()
            .filter(|&i| Some(i) != anchor.event && self.on_side(anchor, &events[i].date, Some(i)))
            // A state reported "by" a day did not happen after anything.
            .filter(|&i| anchor.relation == Relation::Before || !events[i].date.has_open_start())
            .filter(|&i| {
                let mentioned =
                    normalise::terms(&format!("{} {}", events[i].title, events[i].summary));
                topic.iter().all(|t| mentioned.contains(t)) || tagged.contains(&i)
            })
            .collect();
        near.sort_by_key(|&i| self.distance(anchor, &events[i].date, Some(i)));
        near.truncate(NEAREST_EVENTS);
        near.sort_unstable();
        near
    }
}
