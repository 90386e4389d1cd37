//! Markdown for chat front ends, split to fit their message limits.

use super::source_line;
use crate::engine::Answer;

/// An answer as Markdown: the body and one entry per citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownAnswer {
    /// The answer text (or the decline and its suggestions).
    pub body: String,
    /// (source line, quoted evidence) per citation.
    pub citations: Vec<(String, String)>,
}

/// Renders an answer as Markdown parts; mentions and markup in knowledge text are escaped.
pub fn to_markdown(answer: &Answer) -> MarkdownAnswer {
    let mut body = escape(&answer.text);
    if !answer.suggestions().is_empty() {
        body.push_str("\n\n**You could ask:**");
        for s in answer.suggestions() {
            body.push_str(&format!("\n• {}", escape(s)));
        }
    }
    MarkdownAnswer {
        body,
        citations: answer
            .citations()
            .iter()
            .map(|c| (escape(&source_line(c)), format!("> {}", escape(&c.quote))))
            .collect(),
    }
}

/// Escapes Markdown markup and breaks mentions, so text is shown as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
        if c == '@' {
            out.push('\u{200b}');
        }
    }
    out
}
