//! What the engine returns: an answer with its citations, or a decline.

use super::index::FactRef;
use serde::Serialize;

/// A source passage that supports an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The source id.
    pub source: String,
    /// Its title (ours, where the article has none).
    pub title: String,
    /// Its publisher, where the text shows it.
    pub publisher: Option<String>,
    /// Its publication date, as precise as known.
    pub date: String,
    /// The words of the source that support the answer, verbatim.
    pub quote: String,
}

/// Why the bot did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclineReason {
    /// Nothing was asked.
    Empty,
    /// The question is not about the dispute.
    OffTopic,
    /// About the dispute, but the articles do not say.
    NotInKnowledge,
    /// Several readings fit equally well.
    Ambiguous,
    /// A request for help: the answer is the list of what the bot can do.
    Help,
}

/// The engine's reply to one question: what every reply has, and its [`Outcome`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The intent that matched, if any.
    pub intent: Option<String>,
    /// How sure the match is, 0 to 1.
    pub confidence: f32,
    /// One to a few plain sentences.
    pub text: String,
    /// Answered with cited facts, or declined with a reason.
    pub outcome: Outcome,
}

/// Whether the engine answered or declined: the two cannot be mixed up, since
/// only an answer states facts and only a decline has a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The text states facts from the knowledge.
    Answered {
        /// The sources of the text.
        citations: Vec<Citation>,
        /// The facts the answer states, for follow-up questions.
        facts: Vec<FactRef>,
    },
    /// The bot did not answer.
    Declined {
        /// Why it declined.
        reason: DeclineReason,
        /// Questions the bot can answer instead.
        suggestions: Vec<String>,
        /// What the articles do say nearby (the latest strike, the facts found),
        /// cited; often empty.
        correction: Vec<Citation>,
    },
}

impl Answer {
    /// A decline with a reason, a short explanation and suggestions.
    pub fn declined(
        question: &str,
        reason: DeclineReason,
        text: String,
        suggestions: Vec<String>,
    ) -> Answer {
        Answer {
            question: question.to_string(),
            intent: None,
            confidence: 0.0,
            text,
            outcome: Outcome::Declined {
                reason,
                suggestions,
                correction: Vec::new(),
            },
        }
    }

    /// An answer stating facts, with the citations of its text.
    pub fn answered(text: String, citations: Vec<Citation>, facts: Vec<FactRef>) -> Answer {
        Answer {
            question: String::new(),
            intent: None,
            confidence: 0.0,
            text,
            outcome: Outcome::Answered { citations, facts },
        }
    }

    /// True when the text states facts from the knowledge, with citations.
    pub fn is_answered(&self) -> bool {
        matches!(self.outcome, Outcome::Answered { .. })
    }

    /// The sources shown with the text: an answer's citations, or a decline's
    /// cited correction.
    pub fn citations(&self) -> &[Citation] {
        match &self.outcome {
            Outcome::Answered { citations, .. } => citations,
            Outcome::Declined { correction, .. } => correction,
        }
    }

    /// Why it declined, when it did.
    pub fn decline_reason(&self) -> Option<DeclineReason> {
        match self.outcome {
            Outcome::Answered { .. } => None,
            Outcome::Declined { reason, .. } => Some(reason),
        }
    }

    /// The questions offered with a decline; none with an answer.
    pub fn suggestions(&self) -> &[String] {
        match &self.outcome {
            Outcome::Answered { .. } => &[],
            Outcome::Declined { suggestions, .. } => suggestions,
        }
    }

    /// The facts an answer states; none for a decline.
    pub fn facts(&self) -> &[FactRef] {
        match &self.outcome {
            Outcome::Answered { facts, .. } => facts,
            Outcome::Declined { .. } => &[],
        }
    }
}

/// The JSON of an answer, as scripts and the external scorer read it: the
/// outcome flattened into `answered`, `citations`, `declined` and `suggestions`.
#[derive(Serialize)]
struct AnswerJson<'a> {
    question: &'a str,
    answered: bool,
    intent: &'a Option<String>,
    confidence: f32,
    text: &'a str,
    citations: &'a [Citation],
    #[serde(skip_serializing_if = "Option::is_none")]
    declined: Option<DeclineReason>,
    #[serde(skip_serializing_if = "is_empty")]
    suggestions: &'a [String],
}

fn is_empty(suggestions: &&[String]) -> bool {
    suggestions.is_empty()
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AnswerJson {
            question: &self.question,
            answered: self.is_answered(),
            intent: &self.intent,
            confidence: self.confidence,
            text: &self.text,
            citations: self.citations(),
            declined: self.decline_reason(),
            suggestions: self.suggestions(),
        }
        .serialize(serializer)
    }
}
