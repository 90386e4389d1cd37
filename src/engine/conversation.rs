//! Follow-up questions: "who said that?", "when was that?", "and the one before?".

use super::{Answer, Engine, FactRef};
use crate::knowledge::AnswerKind;
use regex::Regex;
use std::sync::OnceLock;

/// What a conversation remembers between questions: the last answer given.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    /// The last answer that stated facts.
    pub last: Option<Answer>,
}

impl Conversation {
    /// Remembers an answer, if it stated facts.
    pub fn remember(&mut self, answer: &Answer) {
        if answer.is_answered() && !answer.facts().is_empty() {
            self.last = Some(answer.clone());
        }
    }
}

enum FollowUp {
    Who,
    When,
    Before,
    After,
    Source,
}

/// A follow-up's pattern and what it asks for.
type FollowUpPattern = (Regex, fn() -> FollowUp);

fn follow_ups() -> &'static [FollowUpPattern] {
    static RE: OnceLock<Vec<FollowUpPattern>> = OnceLock::new();
    RE.get_or_init(|| {
        let r = |p: &str| Regex::new(p).expect("valid");
        vec![
            (r(r"^(and |so )?who (said|says|stated|wrote) (that|this|it)\b"), (|| FollowUp::Who) as fn() -> FollowUp),
            (r(r"^(and |so )?when (was|did) (that|this|it)\b"), || FollowUp::When),
            (r(r"^(and |what about |how about )?(the )?(one |strike |event )?(before|previous|earlier)( one| that)?$"), || FollowUp::Before),
            (r(r"^(and |what about |how about )?(the )?(one )?(after|next)( one| that)?$"), || FollowUp::After),
            (r(r"^(and )?(where|what) (is|was) (that|this|it) from|^(source|sources)\b"), || FollowUp::Source),
        ]
    })
}

/// Answers a follow-up from the last answer, or `None` if this is not one.
pub(super) fn follow_up(
    engine: &Engine,
    question: &str,
    cleaned: &str,
    conversation: &Conversation,
) -> Option<Answer> {
    let last = conversation.last.as_ref()?;
    let fact = *last.facts().first()?;
    let (_, make) = follow_ups().iter().find(|(re, _)| re.is_match(cleaned))?;
    let k = engine.knowledge();
    let follow_up = make();
    let kind = match follow_up {
        FollowUp::Who => AnswerKind::Person,
        FollowUp::Source => AnswerKind::Fact,
        FollowUp::When | FollowUp::Before | FollowUp::After => AnswerKind::Date,
    };
    let facts: Vec<FactRef> = match follow_up {
        FollowUp::Who => {
            let person = match fact {
                FactRef::Quote(i) => k.person(&k.quotes[i].speaker),
                FactRef::Figure(i) => k.figures[i].stated_by.as_ref().and_then(|id| k.person(id)),
                FactRef::Event(i) => k.events[i].people.first().and_then(|id| k.person(id)),
                FactRef::Person(i) => Some(&k.people[i]),
            }?;
            vec![FactRef::Person(
                k.people.iter().position(|p| p.id == person.id)?,
            )]
        }
        FollowUp::When | FollowUp::Source => vec![fact],
        direction @ (FollowUp::Before | FollowUp::After) => {
            let event = match fact {
                FactRef::Event(i) => i,
                FactRef::Figure(i) => k.figures[i]
                    .event
                    .as_ref()
                    .and_then(|id| k.events.iter().position(|e| &e.id == id))?,
                FactRef::Quote(i) => k.quotes[i]
                    .event
                    .as_ref()
                    .and_then(|id| k.events.iter().position(|e| &e.id == id))?,
                FactRef::Person(_) => return None,
            };
            let kind = k.events[event].kind;
            // Events are in date order, so the neighbour of the same kind is the nearest one.
            let neighbour = match direction {
                FollowUp::Before => (0..event).rev().find(|&j| k.events[j].kind == kind),
                _ => (event + 1..k.events.len()).find(|&j| k.events[j].kind == kind),
            };
            match neighbour {
                Some(j) => vec![FactRef::Event(j)],
                None => {
                    return Some(Answer::declined(
                        question,
                        super::DeclineReason::NotInKnowledge,
                        "I know of no other event of that kind in that direction.".into(),
                        engine.suggestions(),
                    ))
                }
            }
        }
    };
    let mut answer = engine.state_facts(kind, &facts);
    answer.question = question.to_string();
    answer.intent = Some("follow-up".into());
    answer.confidence = 0.9;
    Some(answer)
}
