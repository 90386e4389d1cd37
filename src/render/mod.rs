//! Answers written out for people and programs: plain text, Markdown, JSON.
//!
//! Renderers only format; they never decide what is said.

mod json;
mod markdown;
mod text;

pub use json::to_json;
pub use markdown::{to_markdown, MarkdownAnswer};
pub use text::to_text;

use crate::engine::Citation;

/// "Title (Publisher, date)" for a citation; the publisher only where known.
pub fn source_line(c: &Citation) -> String {
    match &c.publisher {
        Some(p) => format!("{} ({p}, {})", c.title, c.date),
        None => format!("{} ({})", c.title, c.date),
    }
}
