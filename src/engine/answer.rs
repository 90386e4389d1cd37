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

/// The engine's reply to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// True when the text states facts from the knowledge, with citations.
    pub answered: bool,
    /// The intent that matched, if any.
    pub intent: Option<String>,
    /// How sure the match is, 0 to 1.
    pub confidence: f32,
    /// One to a few plain sentences.
    pub text: String,
    /// The sources of the text; empty when declined.
    pub citations: Vec<Citation>,
    /// Why it declined, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declined: Option<DeclineReason>,
    /// Questions the bot can answer, offered when it declines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// The facts the answer states, for follow-up questions.
    #[serde(skip)]
    pub facts: Vec<FactRef>,
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
            answered: false,
            intent: None,
            confidence: 0.0,
            text,
            citations: Vec::new(),
            declined: Some(reason),
            suggestions,
            facts: Vec::new(),
        }
    }
}
