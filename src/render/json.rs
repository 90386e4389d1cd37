//! One JSON object per answer, for scripts.

use crate::engine::Answer;

/// `{"question", "answered", "intent", "confidence", "text", "citations": [...]}` on one line.
pub fn to_json(answer: &Answer) -> String {
    serde_json::to_string(answer).expect("an answer always serialises")
}
