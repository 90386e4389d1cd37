//! Time between two points: "what happened between the 11th and the 12th
//! strike?", "from December 2022 up to the first strike under Labour", "was
//! the 27 June walkout before the mediated talks?", and the holders of a role
//! in order ("list the health secretaries").
//!
//! Rules: both ends are resolved to events or dates (ordinals, dates, named
//! events through the fact index, the change of government); the events
//! strictly between them are listed in the timeline's order (date order, as
//! the loader sorts events; the files' order decides where dates tie),
//! each with its date and citation, the ends themselves included only for
//! "from ... to". An ordering question answers before or after, with both
//! dates. Every end must name a time (a date, an ordinal, a kind of event,
//! the election, "now"), so "between the BMA and the government" is no span.
//!
//! ```text
//! "what happened between the 22% deal and the 12th strike?"
//!   ends: Temporary deal: 22% pay rise over two years · Five-day twelfth strike
//!   → Additional average 5.4% pay increase announced; Talks break down ...
//! ```

use super::compare::{asked_roles, capitalise, join};
use super::sides::{self, Joint, Side};
use super::{Answer, Citation, Engine, FactRef, Reading};
use crate::knowledge::{Event, EventKind, Role};
use chrono::NaiveDate;

/// The most events a span lists before it keeps only the main ones.
const MAX_IN_SPAN: usize = 15;
/// The kinds of event a long span keeps: what moved the dispute, not what was said about it.
const MAIN_KINDS: &[EventKind] = &[
    EventKind::Strike,
    EventKind::Talks,
    EventKind::Deal,
    EventKind::Offer,
    EventKind::Ballot,
    EventKind::Election,
];
/// Words that ask for every holder of a role, not the one at a time.
const LIST_WORDS: &[&str] = &[
    "list",
    "all",
    "every",
    "each",
    "order",
    "succession",
    "been",
    "had",
    "many",
];

impl Engine {
    /// The answer to a question about the time between two points, about the
    /// order of two events, or about a role's holders in order; `None` when
    /// the question is none of these.
    pub(super) fn between_answer(&self, question: &str, reading: &Reading) -> Option<Answer> {
        let mut answer = self
            .holders_in_order(reading)
            .or_else(|| self.order_answer(reading))
            .or_else(|| self.span_answer(reading))?;
        answer.question = question.to_string();
        if answer.is_answered() {
            answer.confidence = 0.8;
        }
        Some(answer)
    }

    /// "Was A before B?": before or after, with both dates.
    fn order_answer(&self, reading: &Reading) -> Option<Answer> {
        let split = sides::split(&reading.cleaned, &[Joint::Before, Joint::After])?;
        let joint = split.joint;
        let (left, right) = self.sides(&split.a, &split.b);
        // "Was Streeting optimistic after ...?" asks about a state, not an order.
        if !names_a_time(&left) || !names_a_time(&right) {
            return None;
        }
        // "Did the union agree to talks after ...?" asks whether something
        // happened; "did the strike come after ...?" asks the order.
        let asks_did = ["did", "does", "do"]
            .iter()
            .any(|w| reading.cleaned.starts_with(&format!("{w} ")));
        let orders = split
            .a
            .split(' ')
            .any(|w| ORDER_VERBS.iter().any(|v| w.starts_with(v)));
        if asks_did && !orders {
            return None;
        }
        let a = left.event?;
        let Some(b_date) = right.date else {
            let mut declined = self.not_known(
                "",
                &format!(
                    "I can't order those: I found {}, but nothing in the articles matches \"{}\".",
                    self.knowledge.events[a].title, right.text
                ),
            );
            declined.intent = Some("order".into());
            return Some(declined);
        };
        let k = &self.knowledge;
        let ea = &k.events[a];
        let earlier = if ea.date.last_day() < b_date.first_day() {
            Some(true)
        } else if ea.date.first_day() > b_date.last_day() {
            Some(false)
        } else {
            // Overlapping dates: the timeline's order decides, when both are events.
            right.event.filter(|&b| b != a).map(|b| a < b)
        }?;
        let asked_before = joint == Joint::Before;
        let b_label = right.event.map_or_else(
            || b_date.to_string(),
            |b| format!("{} ({})", k.events[b].title, k.events[b].date),
        );
        let text = format!(
            "{}: {} ({}) came {} {}.",
            if earlier == asked_before { "Yes" } else { "No" },
            ea.title,
            ea.date,
            if earlier { "before" } else { "after" },
            b_label
        );
        let mut citations: Vec<Citation> = self
            .citation(&ea.source, &ea.evidence)
            .into_iter()
            .collect();
        let mut facts = vec![FactRef::Event(a)];
        if let Some(b) = right.event {
            let eb = &k.events[b];
            citations.extend(self.citation(&eb.source, &eb.evidence));
            facts.push(FactRef::Event(b));
        }
        let mut answer = Answer::answered(text, citations, facts);
        answer.intent = Some("order".into());
        Some(answer)
    }

    /// "What happened between A and B", "from A to B": the events in between, in order.
    fn span_answer(&self, reading: &Reading) -> Option<Answer> {
        let split = sides::split(&reading.cleaned, &[Joint::Between, Joint::FromTo])?;
        let joint = split.joint;
        let (from, to) = self.sides(&split.a, &split.b);
        if !names_a_time(&from) || !names_a_time(&to) {
            return None;
        }
        let inclusive = joint == Joint::FromTo;
        let k = &self.knowledge;
        let missing = [(&from, &to), (&to, &from)]
            .into_iter()
            .find(|(s, _)| s.date.is_none());
        if let Some((gone, other)) = missing {
            let found = other
                .date
                .map_or("neither end".to_string(), |d| d.to_string());
            let mut declined = self.not_known(
                "",
                &format!(
                    "I can't list that: I found {found}, but nothing in the articles matches \"{}\".",
                    gone.text
                ),
            );
            declined.intent = Some("timeline".into());
            return Some(declined);
        }
        let lo = match from.event {
            Some(e) => e + usize::from(!inclusive),
            None => {
                let start = from.date?.first_day();
                k.events
                    .iter()
                    .position(|e| e.date.sort_key().0 >= start)
                    .unwrap_or(k.events.len())
            }
        };
        let hi = match to.event {
            Some(e) if inclusive => e + 1,
            Some(e) => e,
            None => {
                let end = to.date?.last_day();
                k.events
                    .iter()
                    .rposition(|e| e.date.sort_key().0 <= end)
                    .map_or(0, |i| i + 1)
            }
        };
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let mut events: Vec<(usize, &Event)> = k.events[lo..hi]
            .iter()
            .enumerate()
            .map(|(i, e)| (lo + i, e))
            .collect();
        if events.len() > MAX_IN_SPAN {
            let keep_end = |i: usize| inclusive && (Some(i) == from.event || Some(i) == to.event);
            events.retain(|(i, e)| MAIN_KINDS.contains(&e.kind) || keep_end(*i));
            events.truncate(MAX_IN_SPAN);
        }
        let label = |s: &Side| {
            s.event.map_or_else(
                || s.date.map_or_else(String::new, |d| d.to_string()),
                |e| k.events[e].title.clone(),
            )
        };
        if events.is_empty() {
            let mut declined = self.not_known(
                "",
                &format!(
                    "The articles report nothing between {} and {}.",
                    label(&from),
                    label(&to)
                ),
            );
            declined.intent = Some("timeline".into());
            return Some(declined);
        }
        let mut text = format!(
            "{} {} {} {}, in order:\n",
            if inclusive { "From" } else { "Between" },
            label(&from),
            if inclusive { "to" } else { "and" },
            label(&to)
        );
        text.push_str(
            &events
                .iter()
                .map(|(_, e)| format!("• {}: {}", e.date, e.title))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let mut answer = Answer::answered(
            text,
            events
                .iter()
                .filter_map(|(_, e)| self.citation(&e.source, &e.evidence))
                .collect(),
            events.iter().map(|(i, _)| FactRef::Event(*i)).collect(),
        );
        answer.intent = Some("timeline".into());
        Some(answer)
    }

    /// "List the health secretaries": everyone the articles show in a role,
    /// in the order of their periods; with "before/after X", only those in
    /// post on that side of it.
    fn holders_in_order(&self, reading: &Reading) -> Option<Answer> {
        let words: Vec<&str> = reading.cleaned.split(' ').collect();
        let roles = asked_roles(&reading.cleaned);
        let plural = words.iter().any(|w| {
            w.ends_with('s')
                && !asked_roles(w).is_empty()
                && asked_roles(w.trim_end_matches('s')).is_empty()
                || w.ends_with("ies")
        });
        let listing = words.iter().any(|w| LIST_WORDS.contains(w));
        let w = &reading.when;
        let lists_a_role = !roles.is_empty() && plural && listing;
        if !lists_a_role || !w.months.is_empty() || !w.years.is_empty() {
            return None;
        }
        let mut holders: Vec<(usize, &Role, (NaiveDate, u8))> = self
            .role_holders(&roles)
            .into_iter()
            .filter(|(_, r)| r.is_dated())
            .map(|(p, r)| (p, r, start_of(r)))
            .collect();
        if let Some(anchor) = reading.anchor {
            let cut = anchor.day();
            holders.retain(|(_, r, start)| match anchor.relation {
                super::entities::Relation::Before => start.0 < cut,
                super::entities::Relation::After => end_of(r) >= cut,
            });
        }
        if holders.len() < 2 {
            return None;
        }
        holders.sort_by_key(|(p, _, start)| (*start, *p));
        let k = &self.knowledge;
        let names = join(
            holders
                .iter()
                .map(|(p, _, _)| k.people[*p].name.clone())
                .collect(),
        );
        let mut text = format!("In order: {names}.\n");
        text.push_str(
            &holders
                .iter()
                .map(|(p, r, _)| {
                    format!(
                        "• {}: {} ({})",
                        k.people[*p].name,
                        r.title,
                        r.period_phrase()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let mut answer = Answer::answered(
            capitalise(&text),
            holders
                .iter()
                .filter_map(|(_, r, _)| self.citation(&r.source, &r.evidence))
                .collect(),
            holders
                .iter()
                .map(|(p, _, _)| FactRef::Person(*p))
                .collect(),
        );
        answer.intent = Some("role-holders".into());
        Some(answer)
    }
}

/// Verbs (as word beginnings) with which "did A ... before B?" asks the order
/// of A and B rather than whether A happened.
const ORDER_VERBS: &[&str] = &[
    "come", "came", "happen", "take", "took", "occur", "start", "begin", "began", "end", "precede",
    "follow",
];

/// Whether a side names a point in time: a date, an ordinal, a kind of
/// event, the change of government, or "now".
pub(super) fn names_a_time(side: &Side) -> bool {
    let w = &side.reading.when;
    side.only_time
        || w.ordinal.is_some()
        || !w.months.is_empty()
        || !w.years.is_empty()
        || side.event.is_some_and(|_| {
            sides::KIND_WORDS
                .iter()
                .any(|(word, _)| side.reading.terms.contains(&super::normalise::term(word)))
        })
        || super::entities::When::find(&format!("when {}", side.text))
            .around_election
            .is_some()
}

/// Where a role's known period starts, for ordering holders: its start, its
/// first sighting, or (known only as "former by") just before that date.
fn start_of(r: &Role) -> (NaiveDate, u8) {
    if let Some(from) = r.from {
        return (from.sort_key().0, 1);
    }
    if let Some(seen) = r.seen.first() {
        return (seen.sort_key().0, 1);
    }
    r.former_by
        .map_or((NaiveDate::MAX, 1), |by| (by.sort_key().0, 0))
}

/// The last day the articles show a role held (open when it has no end).
fn end_of(r: &Role) -> NaiveDate {
    if r.from.is_some() && r.to.is_none() {
        return NaiveDate::MAX;
    }
    let to = r.to.map(|d| d.last_day());
    let seen = r.seen.last().map(|d| d.last_day());
    to.max(seen).unwrap_or(NaiveDate::MIN)
}
