//! Quoted passages and who said them. The speaker is found from the
//! sentence ("Mr Streeting said", "”, Streeting wrote", "told BBC Radio 4"),
//! from a role ("the health secretary"), from a pronoun back to the last one
//! named ("he said", "they said"), or, for a paragraph that opens with a
//! quote and names no one, from the quote before it.

use super::people::{Cast, Mention, NewPerson, Who};
use super::text::{Article, Quoted};
use crate::knowledge::entries::slug;
use crate::knowledge::{FuzzyDate, Knowledge, PersonKind, Precision};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// A quote the drafter proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedQuote {
    /// The quoted words in the article.
    pub text: Range<usize>,
    /// Who said them, when the drafter could tell.
    pub speaker: Option<Who>,
    /// The reporting verb ("said", "wrote", "told"), when there is one.
    pub verb: Option<String>,
    /// When it was said.
    pub date: FuzzyDate,
    /// How that date was worked out.
    pub date_note: String,
    /// What a moderator should check.
    pub doubts: Vec<String>,
}

const PARTICIPLES: [&str; 7] = [
    "adding",
    "saying",
    "calling",
    "describing",
    "insisting",
    "warning",
    "telling",
];

fn verbs() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(&format!(
            r"\b(said|says|say|told|tells|wrote|writes|added|adds|stated|explained|insisted|warned|announced|argued|claimed|declared|commented|replied|{})\b",
            PARTICIPLES.join("|")
        ))
        .expect("valid verb pattern")
    })
}

fn earlier_marker() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"(?i)\b(previously|has said|have said|promise|promised|while in opposition)\b")
            .expect("valid pattern")
    })
}

/// The article with every quoted passage blanked out (same byte offsets),
/// so that names and verbs are looked for only in the reporter's words.
fn masked(article: &Article<'_>, quotes: &[Quoted]) -> String {
    let mut bytes = article.text.as_bytes().to_vec();
    for q in quotes {
        for b in &mut bytes[q.inner.clone()] {
            *b = b' ';
        }
    }
    String::from_utf8(bytes).expect("quoted passages start and end on character boundaries")
}

struct Finder<'a, 'k> {
    article: &'a Article<'a>,
    known: &'k Knowledge,
    masked: String,
    quotes: Vec<Quoted>,
    date: FuzzyDate,
}

impl Finder<'_, '_> {
    fn in_quote(&self, at: usize) -> bool {
        self.quotes
            .iter()
            .any(|q| q.inner.start <= at && at < q.inner.end)
    }

    fn spoken_mentions<'c>(&self, cast: &'c Cast, range: &Range<usize>) -> Vec<&'c Mention> {
        cast.within(range)
            .filter(|m| !self.in_quote(m.range.start))
            .collect()
    }

    fn name_of(&self, cast: &Cast, who: &Who) -> String {
        match who {
            Who::Known(id) => self
                .known
                .person(id)
                .or_else(|| self.known.people.iter().find(|p| &p.id == id))
                .map_or(id.to_string(), |p| p.name.clone()),
            Who::New(i) => cast.new[*i].name.clone(),
        }
    }

    fn kind_of(&self, cast: &Cast, who: &Who) -> PersonKind {
        match who {
            Who::Known(id) => self
                .known
                .people
                .iter()
                .find(|p| &p.id == id)
                .map_or(PersonKind::Person, |p| p.kind),
            Who::New(i) => cast.new[*i].kind,
        }
    }

    /// Two people named together ("Dr Robert Laurenson and Dr Vivek
    /// Trivedi"): the known entry for both, or a new one.
    fn joint(&self, cast: &mut Cast, a: &Mention, b: &Mention) -> Who {
        let text = self.article.text;
        let whole = a.range.start..b.range.end;
        let written = &text[whole.clone()];
        let surname = |who: &Who| {
            self.name_of(cast, who)
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string()
        };
        let (sa, sb) = (surname(&a.who), surname(&b.who));
        let pair = format!("{sa} and {sb}").to_lowercase();
        let full = format!(
            "{} and {}",
            self.name_of(cast, &a.who),
            self.name_of(cast, &b.who)
        );
        if let Some(p) = self.known.people.iter().find(|p| {
            p.name.eq_ignore_ascii_case(written)
                || p.name.eq_ignore_ascii_case(&full)
                || p.aliases.iter().any(|al| al.to_lowercase() == pair)
        }) {
            return Who::Known(p.id.clone());
        }
        let id = slug(&pair);
        if let Some(i) = cast.new.iter().position(|n| n.id == id) {
            return Who::New(i);
        }
        cast.new.push(NewPerson {
            id,
            name: written.to_string(),
            kind: PersonKind::Organisation,
            aliases: vec![format!("{sa} and {sb}")],
            sentence: self.article.sentence_at(whole.start).unwrap_or(whole),
            role: None,
        });
        Who::New(cast.new.len() - 1)
    }

    /// Who a clause of reporter's words names as its subject.
    fn subject(&self, cast: &mut Cast, clause: Range<usize>) -> Option<Who> {
        let text = &self.masked[clause.clone()];
        let mut mentions: Vec<Mention> = self
            .spoken_mentions(cast, &clause)
            .into_iter()
            .cloned()
            .collect();
        // An apposition after the first name ("Dr Trivedi, co-chair of the BMA’s committee,") names no one else.
        if let Some(first) = mentions.first().cloned() {
            let rest = &self.masked[first.range.end..clause.end];
            if let Some(rest_body) = rest.strip_prefix(", ") {
                if let Some(end) = rest_body.find(',') {
                    let cut = first.range.end + 2 + end;
                    mentions.retain(|m| m.range.start < first.range.end || m.range.start > cut);
                }
            }
        }
        // The one named nearest the verb is its subject ("BMA committee co-chairs Dr A and Dr B said").
        if let Some(last) = mentions.last().cloned() {
            if mentions.len() >= 2 && last.kind == PersonKind::Person {
                let before = mentions[mentions.len() - 2].clone();
                let between = &self.article.text[before.range.end..last.range.start];
                if between == " and " && before.kind == PersonKind::Person && before.who != last.who
                {
                    return Some(self.joint(cast, &before, &last));
                }
            }
            return Some(last.who);
        }
        let lower = text.to_lowercase();
        let has = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == w);
        if has("he") || has("she") {
            return self.last(cast, clause.start, |k| k == PersonKind::Person);
        }
        if has("they") {
            return self.previous_subject(cast, clause.start);
        }
        if has("it") {
            return self.last(cast, clause.start, |k| k == PersonKind::Organisation);
        }
        if lower.contains("the union") || lower.contains("the association") {
            return self.last_union(cast, clause.start);
        }
        if lower.contains("secretary") {
            return self.holder(cast, &lower);
        }
        let sentence = self.article.sentence_at(clause.start)?;
        if sentence.start == clause.start {
            return cast.group_subject(self.article, &sentence);
        }
        None
    }

    /// The latest one named before an offset, outside quotes, of a kind.
    fn last(&self, cast: &Cast, offset: usize, kind: impl Fn(PersonKind) -> bool) -> Option<Who> {
        cast.before(offset)
            .find(|m| !self.in_quote(m.range.start) && kind(m.kind))
            .map(|m| m.who.clone())
    }

    fn last_union(&self, cast: &Cast, offset: usize) -> Option<Who> {
        cast.before(offset)
            .filter(|m| !self.in_quote(m.range.start) && m.kind == PersonKind::Organisation)
            .find(|m| {
                let name = self.name_of(cast, &m.who);
                name.contains("Association") || name.contains("Union") || name.contains("union")
            })
            .map(|m| m.who.clone())
    }

    /// "They": the subject of the sentence before, when it is more than one
    /// person; else the latest organisation named.
    fn previous_subject(&self, cast: &mut Cast, offset: usize) -> Option<Who> {
        let current = self.article.sentence_at(offset)?;
        let previous = self
            .article
            .sentences()
            .map(|(_, s)| s)
            .take_while(|s| s.end <= current.start)
            .last()?;
        let clause = match verbs().find(&self.masked[previous.clone()]) {
            Some(v) => previous.start..previous.start + v.start(),
            None => previous.clone(),
        };
        match self.subject(cast, clause) {
            Some(who) if self.kind_of(cast, &who) == PersonKind::Organisation => Some(who),
            _ => self.last(cast, offset, |k| k == PersonKind::Organisation),
        }
    }

    /// "The health secretary": whoever holds the post at the article's date.
    fn holder(&self, cast: &Cast, words: &str) -> Option<Who> {
        let post: Vec<&str> = ["health", "secretary", "state"]
            .into_iter()
            .filter(|w| words.contains(w))
            .collect();
        let fits = |title: &str| {
            let title = title.to_lowercase();
            post.iter().all(|w| title.contains(w) || *w == "state")
        };
        if let Some(p) = self.known.people.iter().find(|p| {
            p.roles
                .iter()
                .any(|r| fits(&r.title) && r.shown_at(&self.date) && r.seen_in_post())
        }) {
            return Some(Who::Known(p.id.clone()));
        }
        cast.new
            .iter()
            .position(|n| n.role.as_ref().is_some_and(|(t, _)| fits(t)))
            .map(Who::New)
    }
}

/// The quotes of an article, with their speakers where they can be found.
pub fn find(
    article: &Article<'_>,
    cast: &mut Cast,
    known: &Knowledge,
    date: &FuzzyDate,
) -> Vec<ProposedQuote> {
    let quotes: Vec<Quoted> = article.quotes().collect();
    let finder = Finder {
        article,
        known,
        masked: masked(article, &quotes),
        quotes: quotes.clone(),
        date: *date,
    };
    let mut out: Vec<ProposedQuote> = Vec::new();
    let mut last_speaker: Option<(usize, Who)> = None;
    for q in &quotes {
        let mut doubts = Vec::new();
        let para = &article.paragraphs[q.paragraph];
        let start_sentence = article
            .sentence_at(q.inner.start)
            .unwrap_or(para.range.clone());
        let end_sentence = article
            .sentence_at(q.inner.end.saturating_sub(1))
            .unwrap_or(para.range.clone());
        let window =
            start_sentence.start.min(end_sentence.start)..end_sentence.end.max(start_sentence.end);
        let window = window.start.max(para.range.start)..window.end.min(para.range.end);
        let found: Vec<(Range<usize>, String)> = verbs()
            .find_iter(&finder.masked[window.clone()])
            .map(|m| {
                (
                    window.start + m.start()..window.start + m.end(),
                    m.as_str().to_string(),
                )
            })
            .collect();
        let closing = q.inner.end
            + finder.article.text[q.inner.end..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        let after = found
            .iter()
            .find(|(r, _)| r.start >= q.inner.end && r.start - q.inner.end <= 40);
        let before = found.iter().rev().find(|(r, _)| r.end <= q.inner.start);
        let mut verb = after.or(before).or(found.first()).cloned();
        if let Some((_, v)) = &verb {
            if PARTICIPLES.contains(&v.as_str()) {
                verb = found
                    .iter()
                    .find(|(_, v)| !PARTICIPLES.contains(&v.as_str()))
                    .cloned();
            }
        }
        let mut speaker = None;
        if let Some((range, _)) = &verb {
            let clause = if range.start >= q.inner.end {
                closing.min(range.start)..range.start
            } else {
                window.start..range.start
            };
            speaker = finder.subject(cast, clause);
            if speaker.is_none() && range.start >= q.inner.end {
                let tail = range.end..(range.end + 60).min(window.end);
                let tail = tail.start..article.text.floor_char_boundary_compat(tail.end);
                speaker = finder
                    .spoken_mentions(cast, &tail)
                    .first()
                    .map(|m| m.who.clone());
            }
        }
        if speaker.is_none() && q.opens_paragraph {
            if let Some((para_at, who)) = &last_speaker {
                if q.paragraph - para_at <= 3 {
                    speaker = Some(who.clone());
                }
            }
        }
        if speaker.is_none() && verb.is_none() {
            let lead = article.slice(&start_sentence);
            let skip = ["However, ", "But ", "And "]
                .iter()
                .find(|p| lead.starts_with(*p))
                .map_or(0, |p| p.len());
            let at_start = cast
                .within(&start_sentence)
                .find(|m| !finder.in_quote(m.range.start))
                .filter(|m| m.range.start == start_sentence.start + skip)
                .map(|m| m.who.clone());
            speaker = at_start
                .or_else(|| cast.group_subject(article, &start_sentence))
                .or_else(|| {
                    finder
                        .spoken_mentions(cast, &start_sentence)
                        .into_iter()
                        .find(|m| m.kind == PersonKind::Person)
                        .map(|m| m.who.clone())
                });
            if let Some(who) = &speaker {
                doubts.push(format!(
                    "no reporting verb: check that {} is said to have said these words, and that they are a quote at all",
                    finder.name_of(cast, who)
                ));
            }
        }
        let words = article.slice(&q.inner);
        if words.split_whitespace().count() <= 3 && speaker.is_some() && verb.is_some() {
            doubts.push(
                "a short phrase in quotation marks: check it is a quote, not a name or a term"
                    .into(),
            );
        }
        if let Some(who) = &speaker {
            last_speaker = Some((q.paragraph, who.clone()));
        }
        let earlier = earlier_marker().is_match(&finder.masked[window.clone()]);
        let (date, date_note) = quote_date(date, earlier);
        out.push(ProposedQuote {
            text: q.inner.clone(),
            speaker,
            verb: verb.map(|(_, v)| v),
            date,
            date_note,
            doubts,
        });
    }
    out
}

/// When a quote was said: by the article's date when that is a day or the
/// sentence says it was said before ("has said previously"), else within
/// the article's date.
fn quote_date(article: &FuzzyDate, earlier: bool) -> (FuzzyDate, String) {
    let single = !article.is_range() && !article.has_open_start();
    let by = match article.precision() {
        Precision::Day if single => Some(format!("..{}", article.end.first.format("%Y-%m-%d"))),
        Precision::Month if single && earlier => {
            Some(format!("..{}", article.end.first.format("%Y-%m")))
        }
        _ => None,
    };
    match by {
        Some(by) => {
            let why = if earlier {
                "the article reports it as said before"
            } else {
                "reported in the article"
            };
            (
                by.parse().expect("a well-formed date"),
                format!("{why} of {article}; it does not say on which day it was said"),
            )
        }
        None => (
            *article,
            format!("reported in the article of {article}, which is dated no more precisely"),
        ),
    }
}

/// `str::floor_char_boundary`, which is newer than our MSRV.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut at: usize) -> usize {
        at = at.min(self.len());
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}
