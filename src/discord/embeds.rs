//! Answers as Discord embeds, split to fit Discord's limits.
//!
//! Serenity checks only the 6,000-character total of an embed; the per-part
//! limits (description, field name and value, number of fields) are kept here.
//! Text is split at paragraph boundaries first, then at lines, then at words.
//! Text comes from [`render::to_markdown`], which escapes markup and breaks
//! mentions, so knowledge text is shown as written and pings no one.

use crate::engine::{Answer, Citation, DeclineReason};
use crate::render;
use poise::serenity_prelude as serenity;

/// Discord's limits, in characters.
pub mod limits {
    /// Message content.
    pub const CONTENT: usize = 2000;
    /// Embed title.
    pub const TITLE: usize = 256;
    /// Embed description.
    pub const DESCRIPTION: usize = 4096;
    /// Fields per embed.
    pub const FIELDS: usize = 25;
    /// Field name.
    pub const FIELD_NAME: usize = 256;
    /// Field value.
    pub const FIELD_VALUE: usize = 1024;
    /// Embed footer.
    pub const FOOTER: usize = 2048;
    /// Title, description, field names and values and footer together.
    pub const EMBED_TOTAL: usize = 6000;
}

/// Accent colour of an answer.
const ANSWERED: u32 = 0x2b6cb0;
/// Accent colour of a decline.
const DECLINED: u32 = 0x718096;

/// One field of an embed: a citation's source line and its quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// At most [`limits::FIELD_NAME`] characters.
    pub name: String,
    /// At most [`limits::FIELD_VALUE`] characters.
    pub value: String,
}

/// An embed within Discord's limits, before it becomes serenity's builder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embed {
    /// At most [`limits::TITLE`] characters.
    pub title: Option<String>,
    /// At most [`limits::DESCRIPTION`] characters.
    pub description: String,
    /// At most [`limits::FIELDS`] fields.
    pub fields: Vec<Field>,
    /// At most [`limits::FOOTER`] characters.
    pub footer: Option<String>,
    /// The accent colour.
    pub colour: u32,
}

impl Embed {
    /// The characters Discord counts toward [`limits::EMBED_TOTAL`].
    pub fn total_chars(&self) -> usize {
        chars(self.title.as_deref().unwrap_or(""))
            + chars(&self.description)
            + self
                .fields
                .iter()
                .map(|f| chars(&f.name) + chars(&f.value))
                .sum::<usize>()
            + chars(self.footer.as_deref().unwrap_or(""))
    }

    /// Sets the footer, cut to its limit.
    pub fn with_footer(mut self, footer: &str) -> Embed {
        self.footer = Some(truncate(footer, limits::FOOTER));
        self
    }

    /// Serenity's builder for this embed.
    pub fn to_builder(&self) -> serenity::CreateEmbed {
        let mut e = serenity::CreateEmbed::new().colour(self.colour);
        if let Some(t) = &self.title {
            e = e.title(t);
        }
        if !self.description.is_empty() {
            e = e.description(&self.description);
        }
        for f in &self.fields {
            e = e.field(&f.name, &f.value, false);
        }
        if let Some(footer) = &self.footer {
            e = e.footer(serenity::CreateEmbedFooter::new(footer));
        }
        e
    }
}

/// An answer as one or more embeds: the answer text, then one field per
/// citation (source title, publisher, date, and the quoted evidence).
/// Each embed keeps every Discord limit; send one embed per message.
pub fn answer_embeds(answer: &Answer, title: Option<&str>) -> Vec<Embed> {
    let md = render::to_markdown(answer);
    let colour = if answer.is_answered() {
        ANSWERED
    } else {
        DECLINED
    };
    let mut embeds: Vec<Embed> = split_text(&md.body, limits::DESCRIPTION)
        .into_iter()
        .map(|description| Embed {
            description,
            colour,
            ..Embed::default()
        })
        .collect();
    if embeds.is_empty() {
        embeds.push(Embed {
            colour,
            ..Embed::default()
        });
    }
    if let Some(title) = title {
        // Title (256) and description (4,096) always fit the 6,000 total.
        embeds[0].title = Some(truncate(title, limits::TITLE));
    }
    for field in citation_fields(&md.citations) {
        let last = embeds.last_mut().expect("at least one embed");
        let size = chars(&field.name) + chars(&field.value);
        if last.fields.len() < limits::FIELDS && last.total_chars() + size <= limits::EMBED_TOTAL {
            last.fields.push(field);
        } else {
            embeds.push(Embed {
                title: Some("Sources (continued)".into()),
                fields: vec![field],
                colour,
                ..Embed::default()
            });
        }
    }
    embeds
}

/// The fields of the citations, numbered; a quote longer than a field value
/// continues in further fields.
fn citation_fields(citations: &[(String, String)]) -> Vec<Field> {
    let mut fields = Vec::new();
    for (n, (source, quote)) in citations.iter().enumerate() {
        let name = truncate(&format!("[{}] {source}", n + 1), limits::FIELD_NAME);
        for (i, value) in split_text(quote, limits::FIELD_VALUE)
            .into_iter()
            .enumerate()
        {
            let name = if i == 0 {
                name.clone()
            } else {
                format!("[{}] (continued)", n + 1)
            };
            fields.push(Field { name, value });
        }
    }
    fields
}

/// A citation as an answer of its own, for listings built by commands.
pub fn listing(text: String, citations: Vec<Citation>) -> Answer {
    Answer {
        confidence: 1.0,
        ..Answer::answered(text, citations, Vec::new())
    }
}

/// The embeds of `/help`: what the bot does and questions to try. It states
/// no fact, so it is a decline for help, yet it is shown in the colour of an
/// answer, since it answers the command.
pub fn help_embeds(text: String, suggestions: Vec<String>) -> Vec<Embed> {
    let help = Answer {
        confidence: 1.0,
        ..Answer::declined("", DeclineReason::Help, text, suggestions)
    };
    let mut embeds = answer_embeds(&help, Some("Help"));
    for embed in &mut embeds {
        embed.colour = ANSWERED;
    }
    embeds
}

/// Splits text into chunks of at most `limit` characters, at paragraph
/// boundaries where possible, else at lines, else at spaces, else anywhere.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    assert!(limit > 0, "a split limit is at least one character");
    let mut out = Vec::new();
    split_into(text.trim(), limit, &["\n\n", "\n", " "], &mut out);
    out
}

fn split_into(text: &str, limit: usize, seps: &[&str], out: &mut Vec<String>) {
    if text.is_empty() {
        return;
    }
    if chars(text) <= limit {
        out.push(text.to_string());
        return;
    }
    let Some((sep, finer)) = seps.split_first() else {
        let all: Vec<char> = text.chars().collect();
        out.extend(all.chunks(limit).map(|c| c.iter().collect::<String>()));
        return;
    };
    let mut current = String::new();
    for piece in text.split(sep).filter(|p| !p.trim().is_empty()) {
        if chars(piece) > limit {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            split_into(piece, limit, finer, out);
        } else if current.is_empty() {
            current = piece.to_string();
        } else if chars(&current) + chars(sep) + chars(piece) <= limit {
            current.push_str(sep);
            current.push_str(piece);
        } else {
            out.push(std::mem::replace(&mut current, piece.to_string()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
}

/// Cuts text to `limit` characters, ending with an ellipsis when cut.
pub fn truncate(text: &str, limit: usize) -> String {
    if chars(text) <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit - 1).collect();
    out.push('…');
    out
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(n: usize, quote: &str) -> Citation {
        Citation {
            source: format!("s{n}"),
            title: format!("Article {n}"),
            publisher: Some("PA Media".into()),
            date: "2024-07".into(),
            quote: quote.into(),
        }
    }

    fn assert_within_limits(embeds: &[Embed]) {
        for e in embeds {
            assert!(e.title.as_deref().map_or(0, chars) <= limits::TITLE);
            assert!(
                chars(&e.description) <= limits::DESCRIPTION,
                "description too long"
            );
            assert!(e.fields.len() <= limits::FIELDS, "too many fields");
            for f in &e.fields {
                assert!(chars(&f.name) <= limits::FIELD_NAME, "field name too long");
                assert!(
                    chars(&f.value) <= limits::FIELD_VALUE,
                    "field value too long"
                );
                assert!(!f.value.is_empty());
            }
            assert!(e.total_chars() <= limits::EMBED_TOTAL, "embed too long");
        }
    }

    #[test]
    fn a_10000_character_answer_is_split_at_paragraphs() {
        let paragraph = "The BMA said resident doctors would strike. ".repeat(9); // 396 chars
        let paragraphs: Vec<String> = (0..25).map(|i| format!("{i}: {paragraph}")).collect();
        let text = paragraphs.join("\n\n");
        assert!(chars(&text) >= 10_000);
        let answer = listing(text, (0..30).map(|n| citation(n, "a quote")).collect());

        let embeds = answer_embeds(&answer, Some("Answer"));

        assert_within_limits(&embeds);
        assert!(embeds.len() >= 3);
        let descriptions: Vec<&str> = embeds.iter().map(|e| e.description.as_str()).collect();
        let rejoined = descriptions
            .iter()
            .filter(|d| !d.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        assert_eq!(
            rejoined,
            paragraphs.join("\n\n").trim(),
            "nothing lost, split only between paragraphs"
        );
        let fields: usize = embeds.iter().map(|e| e.fields.len()).sum();
        assert_eq!(fields, 30, "every citation shown once");
        assert_eq!(embeds[0].title.as_deref(), Some("Answer"));
    }

    #[test]
    fn text_without_spaces_is_split_anywhere() {
        let text = "x".repeat(10_000);
        let parts = split_text(&text, limits::DESCRIPTION);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn a_long_quote_continues_in_further_fields() {
        let quote = "word ".repeat(500);
        let embeds = answer_embeds(&listing("Short.".into(), vec![citation(1, &quote)]), None);
        assert_within_limits(&embeds);
        let names: Vec<&str> = embeds[0].fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 3);
        assert!(names[0].starts_with("[1] Article 1 (PA Media, 2024-07)"));
        assert_eq!(names[1], "[1] (continued)");
    }

    #[test]
    fn mentions_in_knowledge_text_are_broken() {
        let embeds = answer_embeds(&listing("Hello @everyone".into(), Vec::new()), None);
        assert!(!embeds[0].description.contains("@everyone"));
    }

    #[test]
    fn long_names_are_truncated() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }

    #[test]
    fn split_keeps_lines_together_when_it_can() {
        assert_eq!(split_text("a\nb\n\nc", 3), vec!["a\nb", "c"]);
        assert_eq!(split_text("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert!(split_text("  ", 5).is_empty());
    }
}
