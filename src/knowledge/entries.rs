//! Where each entry of a knowledge file stands in its text, so edits touch
//! only that entry and leave every other byte (comments, blank lines,
//! formatting) as it was.
//!
//! An entry's *chunk* runs from the comment lines directly above its
//! `[[table]]` header (no blank line between) to the start of the next
//! entry's chunk, or the end of the file. Blank lines after an entry belong
//! to it; a file's opening comment, separated by a blank line, belongs to
//! no entry.

use super::Kind;
use std::ops::Range;
use std::str::FromStr;

/// One entry of a file: its id and the bytes it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The entry's `id` ("" when it has none).
    pub id: String,
    /// Its bytes in the file's text.
    pub range: Range<usize>,
}

impl Kind {
    /// Every kind, in the order the loader reads them.
    pub const ALL: [Kind; 6] = [
        Kind::Source,
        Kind::Person,
        Kind::Event,
        Kind::Figure,
        Kind::Quote,
        Kind::Intent,
    ];

    /// The table name of the kind's entries (`figure` for `[[figure]]`).
    pub fn table(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Person => "person",
            Kind::Event => "event",
            Kind::Figure => "figure",
            Kind::Quote => "quote",
            Kind::Intent => "intent",
        }
    }

    /// The file, relative to the knowledge folder, that holds the kind's entries.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Source => "sources.toml",
            Kind::Person => "people.toml",
            Kind::Event => "events.toml",
            Kind::Figure => "figures.toml",
            Kind::Quote => "quotes.toml",
            Kind::Intent => "intents.toml",
        }
    }

    /// The field a new entry's id is proposed from.
    pub fn title_field(self) -> &'static str {
        match self {
            Kind::Source | Kind::Event => "title",
            Kind::Person => "name",
            Kind::Figure => "measure",
            Kind::Quote => "text",
            Kind::Intent => "description",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.table())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Kind, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "source" | "sources" | "article" => Ok(Kind::Source),
            "person" | "people" | "organisation" => Ok(Kind::Person),
            "event" | "events" => Ok(Kind::Event),
            "figure" | "figures" => Ok(Kind::Figure),
            "quote" | "quotes" => Ok(Kind::Quote),
            "intent" | "intents" | "faq" => Ok(Kind::Intent),
            other => Err(format!(
                "unknown kind `{other}`: use source, event, figure, quote, person or intent (faq)"
            )),
        }
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.table())
    }
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Whether a line is the header `[[table]]` (spaces and a trailing comment allowed).
fn is_header(line: &str, table: &str) -> bool {
    let line = line.split('#').next().unwrap_or("").trim();
    line.strip_prefix("[[")
        .and_then(|l| l.strip_suffix("]]"))
        .is_some_and(|name| name.trim() == table)
}

/// Finds the chunks of the `[[table]]` entries of a file's text.
///
/// Headers are found line by line, skipping multi-line strings, and checked
/// against a real TOML parse: when the two disagree the file is refused
/// rather than edited at the wrong place.
pub fn chunks(text: &str, table: &str) -> Result<Vec<Chunk>, String> {
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the file is not valid TOML: {e}"))?;
    let ids: Vec<String> = match doc.get(table) {
        None => Vec::new(),
        Some(item) => item
            .as_array_of_tables()
            .ok_or_else(|| format!("`{table}` is not a list of `[[{table}]]` entries"))?
            .iter()
            .map(|t| {
                t.get("id")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect(),
    };

    // (byte offset of line start, line) for every line.
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    let mut starts = Vec::new();
    let mut in_basic = false;
    let mut in_literal = false;
    for (i, (_, line)) in lines.iter().enumerate() {
        if !in_basic && !in_literal && is_header(line, table) {
            let mut first = i;
            while first > 0 && lines[first - 1].1.trim_start().starts_with('#') {
                first -= 1;
            }
            starts.push(first);
        }
        // A multi-line string opens or closes on an odd count of its delimiter.
        if !in_literal && line.matches("\"\"\"").count() % 2 == 1 {
            in_basic = !in_basic;
        }
        if !in_basic && line.matches("'''").count() % 2 == 1 {
            in_literal = !in_literal;
        }
    }
    if starts.len() != ids.len() {
        return Err(format!(
            "found {} `[[{table}]]` header lines but {} entries; edit this file by hand",
            starts.len(),
            ids.len()
        ));
    }
    let mut out = Vec::with_capacity(ids.len());
    for (n, id) in ids.into_iter().enumerate() {
        let start = lines[starts[n]].0;
        let end = starts.get(n + 1).map_or(text.len(), |&l| lines[l].0);
        out.push(Chunk {
            id,
            range: start..end,
        });
    }
    Ok(out)
}

/// Where an entry goes back in: after the entry `prev`, or before the
/// first entry when `prev` is none, or at the end when `prev` is gone.
pub fn insertion_point(chunks: &[Chunk], prev: Option<&str>, len: usize) -> usize {
    match prev {
        Some(prev) => chunks
            .iter()
            .find(|c| c.id == prev)
            .map_or(len, |c| c.range.end),
        None => chunks.first().map_or(len, |c| c.range.start),
    }
}

/// What to put before an entry appended to `text` so it stands apart from the last one.
pub fn separator(text: &str) -> &'static str {
    if text.is_empty() || text.ends_with("\n\n") {
        ""
    } else if text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    }
}

/// An id proposed from a title: lower-case words joined by hyphens, at most six words.
pub fn slug(title: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = title
        .nfkd()
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_ascii_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Little words make long ids that say no more; keep them only when there is nothing else.
    const LITTLE: &[&str] = &[
        "a", "an", "the", "of", "to", "is", "are", "was", "were", "in", "on", "for", "and", "by",
        "at", "its", "it", "that", "this", "be",
    ];
    let content: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LITTLE.contains(w))
        .collect();
    let chosen = if content.is_empty() { words } else { content };
    chosen.into_iter().take(6).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Figures.\n\n[[figure]]\nid = \"a\"\nx = 1\n\n# about b\n[[figure]] # b\nid = \"b\"\ns = \"\"\"\n[[figure]]\n\"\"\"\n";

    #[test]
    fn chunks_include_comments_above_and_blank_lines_after() {
        let c = chunks(FILE, "figure").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(
            &FILE[c[0].range.clone()],
            "[[figure]]\nid = \"a\"\nx = 1\n\n"
        );
        assert!(FILE[c[1].range.clone()].starts_with("# about b\n[[figure]] # b\n"));
        assert_eq!(c[1].range.end, FILE.len());
        assert_eq!(c[1].id, "b");
    }

    #[test]
    fn insertion_points() {
        let c = chunks(FILE, "figure").unwrap();
        assert_eq!(insertion_point(&c, None, FILE.len()), c[0].range.start);
        assert_eq!(insertion_point(&c, Some("a"), FILE.len()), c[1].range.start);
        assert_eq!(insertion_point(&c, Some("gone"), FILE.len()), FILE.len());
    }

    #[test]
    fn slugs() {
        for (title, id) in [
            (
                "Junior doctors' talks collapse",
                "junior-doctors-talks-collapse",
            ),
            ("Café  strike -- 2024!", "cafe-strike-2024"),
            (
                "one two three four five six seven",
                "one-two-three-four-five-six",
            ),
            ("¿?", ""),
        ] {
            assert_eq!(slug(title), id, "{title}");
        }
    }

    #[test]
    fn separators() {
        assert_eq!(separator(""), "");
        assert_eq!(separator("a\n"), "\n");
        assert_eq!(separator("a\n\n"), "");
        assert_eq!(separator("a"), "\n\n");
    }
}
