//! Plain text for the terminal.

use super::source_line;
use crate::engine::Answer;

/// The answer, then its sources with their quotes, or the suggestions when declined.
pub fn to_text(answer: &Answer) -> String {
    let mut out = answer.text.clone();
    if !answer.citations().is_empty() {
        out.push_str("\n\nSources:");
        for (n, c) in answer.citations().iter().enumerate() {
            out.push_str(&format!(
                "\n  [{}] {}\n      “{}”",
                n + 1,
                source_line(c),
                c.quote
            ));
        }
    }
    if !answer.suggestions().is_empty() {
        out.push_str("\n\nYou could ask:");
        for s in answer.suggestions() {
            out.push_str(&format!("\n  - {s}"));
        }
    }
    out
}
