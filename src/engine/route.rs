//! Routing: which path a question takes to its answer (follow-up, role
//! holders, look-up, grounding, short questions, two sides, then the intent
//! table), in the order `Engine::answer_in` tries them.

use super::{conversation, intents, Answer, Conversation, DeclineReason, Engine};
use crate::knowledge::AnswerKind;

/// Below this intent score, the question is answered as a general fact lookup.
pub(super) const INTENT_THRESHOLD: f32 = 0.42;

/// Two example-only intent matches closer than this are too close to call.
pub(super) const AMBIGUITY_MARGIN: f32 = 0.02;

impl Engine {
    /// The answer to a question in a conversation: each path in turn, the
    /// first that answers or declines wins.
    pub(super) fn route(&self, question: &str, conversation: &Conversation) -> Answer {
        let reading = self.read(question);
        if reading.cleaned.is_empty() {
            return Answer::declined(
                question,
                DeclineReason::Empty,
                "Ask me a question about the resident doctors' pay dispute.".into(),
                self.suggestions(),
            );
        }
        if let Some(answer) =
            conversation::follow_up(self, question, &reading.cleaned, conversation)
        {
            return answer;
        }
        if let Some(answer) = self.holders_then(question, &reading) {
            return answer;
        }
        if let Some(answer) = self.lookup_answer(question, &reading) {
            return answer;
        }
        if let Some(gap) = self.gap_in(&reading) {
            return self.decline_for(question, &gap);
        }
        if let Some(answer) = self.short_answer(question, &reading) {
            return answer;
        }
        if let Some(answer) = self.claim_answer(question, &reading) {
            return answer;
        }
        // Questions relating two things: two facts compared, or the time between two points.
        if let Some(answer) = self.compare_answer(question, &reading) {
            return answer;
        }
        if let Some(answer) = self.between_answer(question, &reading) {
            return answer;
        }
        let ranked = self.intents.rank(&reading.cleaned);
        if let Some(mut declined) = self.too_close_to_call(question, &ranked) {
            // Two readings fit equally: answer only if the facts themselves leave no doubt.
            let answer = if self.in_domain(&reading) {
                self.fact_answer(AnswerKind::Fact, &reading, &[], false)
            } else {
                declined.clone()
            };
            if answer.is_answered() {
                let mut answer = self.grounded(question, &reading, AnswerKind::Fact, answer);
                if answer.is_answered() {
                    answer.intent = Some("fact".into());
                    answer.confidence = 0.4;
                }
                return answer;
            }
            declined.question = question.to_string();
            return declined;
        }
        let top = ranked
            .first()
            .copied()
            .filter(|s| s.score >= INTENT_THRESHOLD);
        let mut kind = top.map_or(AnswerKind::Fact, |s| self.intents.spec(s.intent).answer);
        if self.asks_what_entity_is(&reading) {
            kind = AnswerKind::Person;
        } else if kind == AnswerKind::Person && !top.is_some_and(|s| s.by_pattern) {
            // A name beside a topic ("streeting 35%?") asks about the topic, not the person.
            kind = AnswerKind::Fact;
        }
        let answer = match kind {
            AnswerKind::Gap => {
                let spec = self
                    .intents
                    .spec(top.expect("gap comes from an intent").intent);
                let mut a = Answer::declined(
                    question,
                    DeclineReason::NotInKnowledge,
                    spec.response.clone().unwrap_or_default(),
                    self.suggestions(),
                );
                a.intent = Some(spec.id.to_string());
                return a;
            }
            AnswerKind::Help => {
                let spec = self
                    .intents
                    .spec(top.expect("help comes from an intent").intent);
                return Answer::declined(
                    question,
                    DeclineReason::Help,
                    spec.response.clone().unwrap_or_default(),
                    self.suggestions(),
                );
            }
            // A timeline of a period is about the dispute by definition.
            AnswerKind::Timeline if !reading.when.is_empty() => self.timeline_answer(&reading),
            _ if !self.in_domain(&reading) => {
                return Answer::declined(
                    question,
                    DeclineReason::OffTopic,
                    "I can only answer questions about the resident (junior) doctors' pay dispute in England, from the news articles I know.".into(),
                    self.suggestions(),
                );
            }
            AnswerKind::Quote | AnswerKind::Person | AnswerKind::Speaker
                if self.unknown_subject(&reading).is_some() =>
            {
                let who = self.unknown_subject(&reading).unwrap_or_default();
                return Answer::declined(
                    question,
                    DeclineReason::NotInKnowledge,
                    format!(
                        "I don't know: the articles I have say nothing from or about \"{who}\"."
                    ),
                    self.suggestions(),
                );
            }
            AnswerKind::Faq => self.faq(top.expect("faq comes from an intent").intent),
            AnswerKind::Timeline => self.timeline_answer(&reading),
            kind => {
                let spec = top.map(|s| self.intents.spec(s.intent));
                let topics = spec.map_or(&[][..], |s| &s.topics[..]);
                let require_topic = spec.is_some_and(|s| s.require_topic);
                self.fact_answer(kind, &reading, topics, require_topic)
            }
        };
        let mut answer = self.grounded(question, &reading, kind, answer);
        if answer.is_answered() {
            answer.intent = Some(top.map_or("fact".to_string(), |s| {
                self.intents.spec(s.intent).id.to_string()
            }));
            answer.confidence = top.map_or(0.5, |s| s.score).min(1.0);
        }
        answer
    }

    /// Declines when the two best intents, matched only by example, score within
    /// [`AMBIGUITY_MARGIN`] and would answer differently: better to ask than to guess.
    pub(super) fn too_close_to_call(
        &self,
        question: &str,
        ranked: &[intents::IntentScore],
    ) -> Option<Answer> {
        let [a, b, ..] = ranked else { return None };
        let (sa, sb) = (self.intents.spec(a.intent), self.intents.spec(b.intent));
        let close = a.score >= INTENT_THRESHOLD && a.score - b.score < AMBIGUITY_MARGIN;
        if !close || a.by_pattern || b.by_pattern || sa.answer == sb.answer {
            return None;
        }
        let suggestions = [sa, sb]
            .iter()
            .filter_map(|s| s.suggestion.clone())
            .collect();
        Some(Answer::declined(
            question,
            DeclineReason::Ambiguous,
            format!(
                "I'm not sure what you're asking: {} or {}? Try rephrasing.",
                sa.description.to_lowercase(),
                sb.description.to_lowercase()
            ),
            suggestions,
        ))
    }
}
