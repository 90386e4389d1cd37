//! Who held a role at a time: "who co-chaired the junior doctors committee
//! during the 2024 talks?", "who was health secretary at the 12th strike?".
//!
//! The time is what the rest of the question names, resolved as one side of
//! a comparison is (a date, or an event by its number, date or kind), and the
//! answer is everyone the articles show in that role then.

use super::compare::{asked_roles, capitalise, join};
use super::sides::names_a_kind;
use super::{Engine, FactRef, Reading};
use crate::engine::answer::Answer;
use crate::knowledge::{FuzzyDate, PersonKind, Role};

/// Verbs that ask who leads an organisation.
const LEAD_VERBS: &[&str] = &[
    "runs", "ran", "run", "leads", "led", "heads", "headed", "charge",
];

/// Verbs that make a who-question ask for a speaker.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "say",
    "says",
    "told",
    "wrote",
    "called",
    "described",
];

impl Engine {
    /// The holders of the role a who-question names, at the time it names;
    /// `None` when it names no role or no time, or nobody is shown then.
    pub(super) fn holders_then(&self, question: &str, reading: &Reading) -> Option<Answer> {
        let words: Vec<&str> = reading.cleaned.split(' ').collect();
        // "Who chaired ...": the role named by its verb.
        let verbs: String = words
            .iter()
            .filter_map(|w| w.strip_suffix("ed"))
            .collect::<Vec<_>>()
            .join(" ");
        let mut roles = asked_roles(&reading.cleaned);
        roles.extend(asked_roles(&verbs));
        // "Who runs the committee ...": any role of the organisation named.
        let leads = words.iter().any(|w| LEAD_VERBS.contains(w));
        let organisations: Vec<&str> = reading
            .people
            .iter()
            .map(|&p| &self.knowledge.people[p])
            .filter(|p| p.kind == PersonKind::Organisation)
            .map(|p| p.id.as_str())
            .collect();
        // "Who said ...?" asks for a speaker, whatever role the words name.
        let asks_who = words.contains(&"who") && !words.iter().any(|w| SPEECH_VERBS.contains(w));
        let w = &reading.when;
        let names_time = w.ordinal.is_some()
            || !w.months.is_empty()
            || !w.years.is_empty()
            || names_a_kind(&reading.cleaned);
        let by_organisation = roles.is_empty() && leads && !organisations.is_empty();
        if (roles.is_empty() && !by_organisation)
            || !reading.unknown.is_empty()
            || !asks_who
            || !names_time
            || reading.anchor.is_some()
        {
            return None;
        }
        let date = self.side(&reading.cleaned).date?;
        let mut holders = if by_organisation {
            self.organisation_roles_at(&organisations, &date)
        } else {
            self.holders_at(&roles, &date)
        };
        // Someone seen in post then outranks someone known only as a former holder.
        if holders.iter().any(|(_, r)| r.seen_in_post()) {
            holders.retain(|(_, r)| r.seen_in_post());
        }
        let (_, role) = holders.first()?;
        let k = &self.knowledge;
        let names = join(
            holders
                .iter()
                .map(|(p, _)| k.people[*p].name.clone())
                .collect(),
        );
        let text = format!(
            "{}: {names}, {} ({}).",
            capitalise(&date.phrase()),
            role.title,
            role.period_phrase()
        );
        let mut answer = Answer::answered(
            text,
            holders
                .iter()
                .filter_map(|(_, r)| self.citation(&r.source, &r.evidence))
                .collect(),
            holders.iter().map(|(p, _)| FactRef::Person(*p)).collect(),
        );
        answer.question = question.to_string();
        answer.intent = Some("role-holders".into());
        answer.confidence = 0.8;
        Some(answer)
    }

    /// Everyone with a role of one of `organisations` shown at `date`.
    fn organisation_roles_at(
        &self,
        organisations: &[&str],
        date: &FuzzyDate,
    ) -> Vec<(usize, &Role)> {
        let k = &self.knowledge;
        k.people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PersonKind::Person)
            .filter_map(|(i, p)| {
                p.roles
                    .iter()
                    .find(|r| {
                        r.organisation
                            .as_ref()
                            .is_some_and(|o| organisations.contains(&o.as_str()))
                            && r.is_dated()
                            && r.shown_at(date)
                    })
                    .map(|r| (i, r))
            })
            .collect()
    }
}
