//! Slices of the timeline: events in date order, filtered by dates and topic,
//! and the answer that lists them.

use super::entities::{month_overlaps, MonthRef, Relation};
use super::normalise::terms;
use super::{Answer, Engine, FactRef, Reading};
use crate::knowledge::{Event, Knowledge, Precision};
use chrono::{Datelike, NaiveDate};

/// The most events a timeline answer lists in one reply.
pub const MAX_IN_ANSWER: usize = 10;

/// Which events a timeline shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// Events ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Events starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Events in any of these months.
    pub months: Vec<MonthRef>,
    /// A word the event's kind, topics or title must contain ("strike", "talks").
    pub topic: Option<String>,
    /// Whether a state reported "by" a day ("by 15 May 2024") counts as of
    /// that day; otherwise only what started in the period is listed.
    pub states: bool,
}

/// Terms too general to narrow a timeline: every event is about them.
const GENERAL: &[&str] = &[
    "doctor",
    "disput",
    "dispute",
    "junior",
    "bma",
    "govern",
    "government",
    "nhs",
    "england",
    "event",
    "timelin",
];

/// The search terms of each event's kind, topics and title, and of every
/// topic a question may name, worked out once per knowledge.
#[derive(Debug, Clone, Default)]
pub struct TopicTerms {
    /// Kind words first, then topics, each once, with their terms.
    candidates: Vec<(String, Vec<String>)>,
    /// Per event, in the knowledge's order.
    per_event: Vec<Vec<String>>,
}

impl TopicTerms {
    /// Works out the terms of every event and topic.
    pub fn build(knowledge: &Knowledge) -> TopicTerms {
        let mut candidates: Vec<(String, Vec<String>)> = Vec::new();
        let kinds = knowledge.events.iter().map(|e| kind_word(e).to_string());
        let topics = knowledge
            .events
            .iter()
            .flat_map(|e| e.topics.iter().cloned());
        for topic in kinds.chain(topics) {
            if !candidates.iter().any(|(t, _)| *t == topic) {
                let words = terms(&topic);
                candidates.push((topic, words));
            }
        }
        let per_event = knowledge
            .events
            .iter()
            .map(|e| {
                terms(&format!(
                    "{} {} {}",
                    kind_word(e),
                    e.topics.join(" "),
                    e.title
                ))
            })
            .collect();
        TopicTerms {
            candidates,
            per_event,
        }
    }
}

/// The events that pass the filter, in date order.
pub fn select<'k>(knowledge: &'k Knowledge, filter: &TimelineFilter) -> Vec<&'k Event> {
    select_with(knowledge, filter, &TopicTerms::build(knowledge))
}

/// [`select`] with the topic terms already worked out.
pub fn select_with<'k>(
    knowledge: &'k Knowledge,
    filter: &TimelineFilter,
    topic_terms: &TopicTerms,
) -> Vec<&'k Event> {
    select_indices(knowledge, filter, topic_terms)
        .into_iter()
        .map(|i| &knowledge.events[i])
        .collect()
}

/// [`select_with`] as positions in `knowledge.events`.
pub(super) fn select_indices(
    knowledge: &Knowledge,
    filter: &TimelineFilter,
    topic_terms: &TopicTerms,
) -> Vec<usize> {
    let topic: Vec<String> = filter.topic.as_deref().map(terms).unwrap_or_default();
    knowledge
        .events
        .iter()
        .zip(&topic_terms.per_event)
        .enumerate()
        // An event counts when it starts inside the period: one dated only "2024"
        // does not belong to a list of what happened in July 2024.
        .filter(|(_, (e, _))| {
            filter
                .from
                .is_none_or(|from| starts_from(e, from, filter.states))
        })
        .filter(|(_, (e, _))| filter.to.is_none_or(|to| e.date.first_day() <= to))
        .filter(|(_, (e, _))| {
            filter.months.is_empty()
                || (known_to(e, filter.states) >= Precision::Month
                    && filter.months.iter().any(|m| month_overlaps(m, &e.date)))
        })
        .filter(|(_, (_, words))| topic.iter().all(|t| words.contains(t)))
        .map(|(i, _)| i)
        .collect()
}

impl TimelineFilter {
    /// The filter a question asks for: its months and years, before/after the
    /// election, and the first specific topic word it uses.
    pub(super) fn from_question(engine: &Engine, reading: &Reading) -> TimelineFilter {
        let mut filter = TimelineFilter {
            months: reading.when.months.clone(),
            ..TimelineFilter::default()
        };
        if let Some(&year) = reading.when.years.first() {
            filter.from = NaiveDate::from_ymd_opt(year, 1, 1);
            filter.to = NaiveDate::from_ymd_opt(year, 12, 31);
        }
        if let Some(anchor) = reading.anchor {
            match anchor.relation {
                Relation::After => filter.from = Some(anchor.day()),
                Relation::Before => filter.to = anchor.day().pred_opt(),
            }
        }
        // The topic is a kind of event ("strikes", "talks") or a whole topic of the
        // knowledge ("waiting lists") that the question names; kinds win.
        let anchor_words = reading
            .when
            .relative_to
            .as_ref()
            .map(|(_, p)| terms(p))
            .unwrap_or_default();
        let asked: Vec<&String> = reading
            .terms
            .iter()
            .filter(|t| !anchor_words.contains(t))
            .collect();
        filter.topic = engine
            .topic_terms
            .candidates
            .iter()
            .find(|(_, words)| {
                !words.is_empty()
                    && words
                        .iter()
                        .all(|w| !GENERAL.contains(&w.as_str()) && asked.contains(&w))
            })
            .map(|(topic, _)| topic.clone());
        filter
    }
}

/// How precisely an event's date is known: by its start, or, when states
/// count, for one known only as "by" a day, by that day.
fn known_to(e: &Event, states: bool) -> Precision {
    if states && e.date.has_open_start() {
        e.date.end.precision
    } else {
        e.date.start.precision
    }
}

/// Whether an event starts on or after a day; one dated only to a month
/// starts within that day's month ("shortly after" a July election is dated
/// "July 2024", and belongs after it).
fn starts_from(e: &Event, from: NaiveDate, states: bool) -> bool {
    let first = if states && e.date.has_open_start() {
        e.date.last_day()
    } else {
        e.date.first_day()
    };
    first >= from
        || (e.date.start.precision == Precision::Month
            && (first.year(), first.month()) == (from.year(), from.month()))
}

fn kind_word(e: &Event) -> &'static str {
    use crate::knowledge::EventKind::*;
    match e.kind {
        Strike => "strike",
        Talks => "talks",
        Meeting => "meeting",
        Offer => "offer",
        Deal => "deal",
        Ballot => "ballot",
        Announcement => "announcement",
        Election => "election",
        Statement => "statement",
        Other => "other",
    }
}

impl Engine {
    pub(super) fn timeline_answer(&self, reading: &Reading) -> Answer {
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
        events.truncate(MAX_IN_ANSWER);
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

    /// [`Engine::timeline`] as positions in the knowledge's events.
    pub(super) fn timeline_indices(&self, filter: &TimelineFilter) -> Vec<usize> {
        select_indices(&self.knowledge, filter, &self.topic_terms)
    }
}
