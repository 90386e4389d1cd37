//! Questions without a content word: a greeting, "what's the latest?", "give
//! me the timeline", or a bare number ("35%?", "26%?? what's that").
//!
//! Each is read by one rule: with nothing to look up, the words that frame
//! the question say what is wanted; a number alone asks what it refers to.

use super::{ground, normalise, Answer, AnswerKind, DeclineReason, Engine, FactRef, Reading};

/// Words that ask for the newest state of the dispute.
const LATEST_WORDS: &[&str] = &[
    "latest", "news", "update", "recent", "recently", "now", "new",
];
/// Words that ask for the whole story in date order.
const TIMELINE_WORDS: &[&str] = &[
    "timeline",
    "chronology",
    "history",
    "recap",
    "overview",
    "summary",
];
/// Words that only say a number is a number.
const UNIT_WORDS: &[&str] = &["percent", "£", "billion", "million", "k", "bn", "m"];

impl Engine {
    /// The answer to a question that names nothing to look up, if it is one.
    pub(super) fn short_answer(&self, question: &str, reading: &Reading) -> Option<Answer> {
        let words: Vec<&str> = reading.cleaned.split(' ').collect();
        let content: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| {
                !w.is_empty()
                    && !normalise::STOPWORDS.contains(w)
                    && !ground::frame_word(w)
                    && !UNIT_WORDS.contains(w)
                    && !LATEST_WORDS.contains(w)
                    && !TIMELINE_WORDS.contains(w)
            })
            .collect();
        let numbers = content
            .iter()
            .filter(|w| {
                w.trim_start_matches('£')
                    .starts_with(|c: char| c.is_ascii_digit())
            })
            .count();
        if !content.is_empty() && numbers == content.len() && reading.when.years.is_empty() {
            return self.number_lookup(question, &words);
        }
        if !content.is_empty() || reading.quoted.is_some() || !reading.when.is_empty() {
            return None;
        }
        let says = |list: &[&str]| words.iter().any(|w| list.contains(w));
        let mut answer = if says(TIMELINE_WORDS) {
            self.timeline_answer(reading)
        } else if says(LATEST_WORDS) {
            self.latest_answer()
        } else {
            Answer::declined(
                question,
                DeclineReason::Help,
                "Hi! I answer questions about the pay dispute between resident (junior) doctors in England, the BMA and the government, from five news articles, and I cite each answer. Ask about strikes and their dates, figures such as postponed appointments or the 35% demand, who said what, or the people involved.".into(),
                self.suggestions(),
            )
        };
        answer.question = question.to_string();
        Some(answer)
    }

    /// The newest event the articles report, said to be the latest they know.
    fn latest_answer(&self) -> Answer {
        let latest = self
            .knowledge
            .events
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| (e.date.last_day(), e.date.first_day()));
        let Some((i, _)) = latest else {
            return self.not_known("", "I know of no events yet.");
        };
        let mut answer = self.state(AnswerKind::Date, &[FactRef::Event(i)]);
        answer.text = format!("The latest the articles I have report:\n{}", answer.text);
        answer.intent = Some("latest".into());
        answer
    }

    /// "35%?": the facts whose own words hold that number.
    fn number_lookup(&self, question: &str, words: &[&str]) -> Option<Answer> {
        let numbers: Vec<&str> = words
            .iter()
            .map(|w| w.trim_start_matches('£').trim_end_matches('%'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        let holds = |text: &str| {
            let cleaned = normalise::clean(text);
            numbers.iter().all(|n| {
                cleaned
                    .split(' ')
                    .any(|w| w.trim_start_matches('£').trim_end_matches('%') == *n)
            })
        };
        let k = &self.knowledge;
        let facts: Vec<FactRef> = k
            .figures
            .iter()
            .enumerate()
            .filter(|(_, f)| holds(&f.evidence) || holds(&f.display))
            .map(|(i, _)| FactRef::Figure(i))
            .chain(
                k.quotes
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| holds(&q.text))
                    .map(|(i, _)| FactRef::Quote(i)),
            )
            .take(2)
            .collect();
        if facts.is_empty() {
            return None;
        }
        let mut answer = self.state(AnswerKind::Figure, &facts);
        answer.question = question.to_string();
        answer.intent = Some("number".into());
        Some(answer)
    }
}
