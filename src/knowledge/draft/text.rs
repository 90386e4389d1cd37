//! The article cut into paragraphs, sentences and quoted passages, each a
//! byte range of its text, so that everything the drafter proposes is a
//! verbatim slice of the article.
//!
//! ```
//! use dispute_bot::knowledge::draft::text::Article;
//! let article = Article::new("Mr Streeting said: “We will talk.” He left.\n\nHeadline here");
//! assert_eq!(article.sentences().count(), 2);
//! assert_eq!(article.quotes().next().unwrap().words(&article), "We will talk.");
//! ```

use std::ops::Range;

/// What a paragraph is: running text, a headline or sub-heading, or a picture caption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// Running text: the only kind facts are drafted from.
    Body,
    /// A line without closing punctuation: a headline, sub-heading or link.
    Heading,
    /// A picture caption, ending with its credit, e.g. "(Joe Giddens/PA)".
    Caption,
}

/// One paragraph (a non-empty line) and its sentences.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Its bytes in the article.
    pub range: Range<usize>,
    /// Running text, heading or caption.
    pub block: Block,
    /// Its sentences, in order, as byte ranges of the article.
    pub sentences: Vec<Range<usize>>,
}

/// A passage in double quotation marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// The words inside the marks (trimmed, without a trailing comma).
    pub inner: Range<usize>,
    /// The index of its paragraph.
    pub paragraph: usize,
    /// Whether the paragraph ends before the closing mark (the quote goes on in the next one).
    pub open: bool,
    /// Whether the passage opens its paragraph.
    pub opens_paragraph: bool,
}

impl Quoted {
    /// The quoted words.
    pub fn words<'a>(&self, article: &Article<'a>) -> &'a str {
        &article.text[self.inner.clone()]
    }
}

/// An article's text, segmented.
#[derive(Debug, Clone)]
pub struct Article<'a> {
    /// The whole text.
    pub text: &'a str,
    /// Its paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 10] = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Prof", "No", "vs", "Rev", "Gen",
];

impl<'a> Article<'a> {
    /// Segments the text: each non-empty line is a paragraph.
    pub fn new(text: &'a str) -> Article<'a> {
        let mut paragraphs = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at + (line.len() - line.trim_start().len());
            let end = at + line.trim_end().len();
            at += line.len();
            if end <= start {
                continue;
            }
            let body = &text[start..end];
            let block = if is_caption(body) {
                Block::Caption
            } else if body.ends_with(['.', '?', '!', '”', '"', '’', ';']) {
                Block::Body
            } else {
                Block::Heading
            };
            paragraphs.push(Paragraph {
                range: start..end,
                block,
                sentences: sentences(text, start..end),
            });
        }
        Article { text, paragraphs }
    }

    /// The text of a range.
    pub fn slice(&self, range: &Range<usize>) -> &'a str {
        &self.text[range.clone()]
    }

    /// The sentences of running text, each with its paragraph's index.
    pub fn sentences(&self) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
        self.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.block == Block::Body)
            .flat_map(|(i, p)| p.sentences.iter().map(move |s| (i, s.clone())))
    }

    /// The sentence of running text that contains a byte offset.
    pub fn sentence_at(&self, offset: usize) -> Option<Range<usize>> {
        self.sentences()
            .map(|(_, s)| s)
            .find(|s| s.start <= offset && offset < s.end.max(s.start + 1))
    }

    /// The passages in double quotation marks of running text, in order.
    pub fn quotes(&self) -> impl Iterator<Item = Quoted> + '_ {
        self.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.block == Block::Body)
            .flat_map(|(i, p)| quoted(self.text, p.range.clone(), i))
    }
}

fn is_caption(line: &str) -> bool {
    line.ends_with(')')
        && line
            .rfind('(')
            .is_some_and(|open| line[open..].contains("PA") || line[open..].contains('/'))
}

/// Sentence ranges of one paragraph: a break after `.`, `?` or `!` (and any
/// closing marks) that is followed by white space and a capital, an opening
/// mark or a digit, unless the word before is an abbreviation ("Mr.").
fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '?' | '!') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')') {
                j += 1;
            }
            let end = chars.get(j).map_or(para.len(), |(at, _)| *at);
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let spaced = k > j;
            let next_starts = chars.get(k).is_some_and(|(_, n)| {
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '“' | '"' | '‘')
            });
            let word_before = para[..chars[i].0]
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if spaced && next_starts && !ABBREVIATIONS.contains(&word_before) {
                out.push(range.start + start..range.start + end);
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    if start < para.len() {
        out.push(range.start + start..range.end);
    }
    out
}

/// The quoted passages of one paragraph. Curly marks pair by direction;
/// straight ones alternate. A passage left open runs to the paragraph's end.
fn quoted(text: &str, range: Range<usize>, paragraph: usize) -> Vec<Quoted> {
    let para = &text[range.clone()];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in para.char_indices() {
        match (c, open) {
            ('“', _) => open = Some(at + c.len_utf8()),
            ('"', None) => open = Some(at + 1),
            ('”' | '"', Some(from)) => {
                if let Some(q) = passage(text, range.start, from, at, paragraph, false) {
                    out.push(q);
                }
                open = None;
            }
            _ => {}
        }
    }
    if let Some(from) = open {
        if let Some(q) = passage(text, range.start, from, para.len(), paragraph, true) {
            out.push(q);
        }
    }
    out
}

fn passage(
    text: &str,
    base: usize,
    from: usize,
    to: usize,
    paragraph: usize,
    open: bool,
) -> Option<Quoted> {
    let inner = &text[base + from..base + to];
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim().trim_end_matches(',').trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let opens_paragraph = text[base..base + from]
        .trim_start_matches(['“', '"'])
        .trim()
        .is_empty();
    Some(Quoted {
        inner: base + from + lead..base + from + lead + trimmed.len(),
        paragraph,
        open,
        opens_paragraph,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_break_after_closing_marks_but_not_after_titles() {
        let text = "Mr Streeting said it was “fine.” Dr. Who agreed. It ended.";
        let a = Article::new(text);
        let got: Vec<&str> = a.sentences().map(|(_, s)| &text[s]).collect();
        assert_eq!(
            got,
            [
                "Mr Streeting said it was “fine.”",
                "Dr. Who agreed.",
                "It ended."
            ]
        );
    }

    #[test]
    fn captions_and_headings_are_not_running_text() {
        let a = Article::new(
            "Industrial strike\n\nDoctors on a picket line (Joe Giddens/PA)\n\nIt ended.",
        );
        let blocks: Vec<Block> = a.paragraphs.iter().map(|p| p.block).collect();
        assert_eq!(blocks, [Block::Heading, Block::Caption, Block::Body]);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_of_its_paragraph() {
        let text = "He said: “We are ready.\n“We were ready months ago,” he added.";
        let a = Article::new(text);
        let q: Vec<Quoted> = a.quotes().collect();
        assert_eq!(q[0].words(&a), "We are ready.");
        assert!(q[0].open && !q[0].opens_paragraph);
        assert_eq!(q[1].words(&a), "We were ready months ago");
        assert!(!q[1].open && q[1].opens_paragraph);
    }
}
