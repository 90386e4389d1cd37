//! Who an article names: the people and organisations already known (by
//! name or alias), and the names it introduces ("Dr Melissa Ryan", "British
//! Medical Association (BMA)"), each with the role the text gives them, if
//! any ("NHS medical director Professor Sir Stephen Powis"). A later short
//! form ("Sir Stephen", "Dr Ryan", "BMA") is the same one, not a new one.

use super::text::{Article, Block};
use crate::knowledge::entries::slug;
use crate::knowledge::{Id, Knowledge, PersonKind};
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// Whom a mention names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Who {
    /// An entry of `people.toml`.
    Known(Id),
    /// A name the article introduces: an index into [`Cast::new`].
    New(usize),
}

/// A place in the article where someone is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The bytes naming them.
    pub range: Range<usize>,
    /// Whom.
    pub who: Who,
    /// Person or organisation.
    pub kind: PersonKind,
}

/// A person or organisation the article introduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    /// The proposed id: the name without titles ("stephen-powis"), or the acronym ("bma").
    pub id: String,
    /// The name as first written, titles included.
    pub name: String,
    /// Person or organisation.
    pub kind: PersonKind,
    /// Shorter forms the article also uses.
    pub aliases: Vec<String>,
    /// The sentence that first names them.
    pub sentence: Range<usize>,
    /// The role the text gives them, and the words that give it.
    pub role: Option<(String, Range<usize>)>,
}

/// Everyone an article names, in order.
#[derive(Debug, Clone, Default)]
pub struct Cast {
    /// Every mention in running text, in order, none overlapping.
    pub mentions: Vec<Mention>,
    /// The people and organisations not yet known.
    pub new: Vec<NewPerson>,
}

const TITLES: [&str; 13] = [
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Sir",
    "Dame",
    "Professor",
    "Prof",
    "Lord",
    "Lady",
    "Baroness",
    "Rev",
];

/// Capitalised words that are not part of anyone's name.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "And",
    "But",
    "However",
    "While",
    "After",
    "Before",
    "Despite",
    "Even",
    "Although",
    "As",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "Our",
    "His",
    "Her",
    "Their",
    "Its",
    "If",
    "When",
    "Shortly",
    "Instead",
    "Many",
    "Several",
    "During",
    "Health",
    "Social",
    "Care",
    "Secretary",
    "State",
    "Government",
    "Labour",
    "Conservative",
    "Tory",
    "Tories",
    "Party",
    "British",
    "Medical",
    "Association",
    "Junior",
    "Doctors",
    "Doctor",
    "Department",
    "Street",
    "Downing",
    "Hospital",
    "University",
    "London",
    "England",
    "English",
    "Scotland",
    "Wales",
    "Britain",
    "European",
    "Europe",
    "Politics",
    "Live",
    "Read",
    "More",
    "Today",
    "Radio",
    "Programme",
    "Industrial",
    "Background",
    "Dispute",
    "Friction",
    "Over",
    "Timing",
    "Trust",
    "Impact",
    "Still",
    "Unclear",
    "Twitter",
    "Covid",
    "Committee",
    "Union",
    "Unions",
    "Minister",
    "Prime",
    "Chancellor",
    "Council",
    "Royal",
    "College",
    "Nursing",
    "General",
    "Election",
    "Parliament",
    "Commons",
    "House",
    "Office",
    "Treasury",
    "National",
    "Service",
    "Services",
    "Foundation",
    "Group",
    "Agency",
    "Board",
    "Authority",
    "Police",
    "Court",
    "Inquiry",
    "Review",
    "Report",
    "St",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Christmas",
    "Easter",
    "Striking",
    "Medics",
    "Leaders",
    "Chief",
    "Executive",
    "Director",
    "Chair",
    "Co",
    "New",
    "Former",
    "Leader",
    "Mayor",
    "President",
];

/// Nouns that end a role ("Health Secretary", "NHS medical director").
const ROLE_NOUNS: &[&str] = &[
    "secretary",
    "director",
    "chair",
    "co-chair",
    "co-chairs",
    "chairs",
    "chairman",
    "chairwoman",
    "chief",
    "executive",
    "minister",
    "leader",
    "president",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "officer",
    "chancellor",
    "editor",
    "correspondent",
    "head",
    "deputy",
    "mp",
    "mayor",
    "general",
];

fn name_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"\b[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)*(?:\s+[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)*)*")
            .expect("valid name pattern")
    })
}

fn acronym_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"((?:[A-Z][\w’']*\s+(?:(?:of|for|and|&)\s+)?){1,6})\(([A-Z]{2,8})\)")
            .expect("valid acronym pattern")
    })
}

fn at_word_boundary(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// A name to look for: its text, whom it names, and whether case matters.
struct Name {
    text: String,
    who: Who,
    kind: PersonKind,
    exact_case: bool,
}

fn occurrences(text: &str, names: &[Name], body: &[Range<usize>]) -> Vec<Mention> {
    let lower = text.to_lowercase();
    let same_len = lower.len() == text.len();
    let mut found: Vec<Mention> = Vec::new();
    for name in names {
        if name.text.chars().count() < 2 {
            continue;
        }
        let (hay, needle) = if name.exact_case || !same_len {
            (text, name.text.clone())
        } else {
            (lower.as_str(), name.text.to_lowercase())
        };
        let mut from = 0;
        while let Some(at) = hay[from..].find(&needle) {
            let range = from + at..from + at + needle.len();
            from = range.end;
            if at_word_boundary(text, &range)
                && body
                    .iter()
                    .any(|b| b.start <= range.start && range.end <= b.end)
            {
                found.push(Mention {
                    range,
                    who: name.who.clone(),
                    kind: name.kind,
                });
            }
        }
    }
    // Longest first at each place, then none overlapping.
    found.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.len())));
    let mut kept: Vec<Mention> = Vec::new();
    for m in found {
        if kept.last().is_none_or(|k| k.range.end <= m.range.start) {
            kept.push(m);
        }
    }
    // "The BMA’s junior doctor committee": the committee is meant, not the BMA.
    let mut out: Vec<Mention> = Vec::new();
    for (i, m) in kept.iter().enumerate() {
        let possessive = kept.get(i + 1).is_some_and(|next| {
            let between = &text[m.range.end..next.range.start];
            matches!(between, "’s " | "'s ")
        });
        if !possessive {
            out.push(m.clone());
        }
    }
    out
}

impl Cast {
    /// Finds everyone the article names, linking known ones.
    pub fn find(article: &Article<'_>, known: &Knowledge) -> Cast {
        let text = article.text;
        let body: Vec<Range<usize>> = article
            .paragraphs
            .iter()
            .filter(|p| p.block == Block::Body)
            .map(|p| p.range.clone())
            .collect();
        let mut names: Vec<Name> = Vec::new();
        for p in &known.people {
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                names.push(Name {
                    text: n.clone(),
                    who: Who::Known(p.id.clone()),
                    kind: p.kind,
                    exact_case: n.starts_with(|c: char| c.is_uppercase()),
                });
            }
        }
        let known_ids: HashSet<&str> = known.people.iter().map(|p| p.id.as_str()).collect();
        let mut cast = Cast::default();
        let first_pass = occurrences(text, &names, &body);
        let covered = |r: &Range<usize>, ms: &[Mention]| {
            ms.iter()
                .any(|m| m.range.start < r.end && r.start < m.range.end)
        };

        // Organisations introduced with their acronym: "British Medical Association (BMA)".
        for c in acronym_pattern().captures_iter(text) {
            let (name, acronym) = (c.get(1).expect("name"), c.get(2).expect("acronym"));
            let name_str = name.as_str();
            let mut word_starts: Vec<(usize, &str)> = Vec::new();
            let mut at = 0;
            for w in name_str.split_whitespace() {
                let o = name_str[at..].find(w).map_or(at, |i| at + i);
                word_starts.push((o, w));
                at = o + w.len();
            }
            let spells = |from: usize| {
                let initials: String = word_starts[from..]
                    .iter()
                    .filter(|(_, w)| w.starts_with(|ch: char| ch.is_uppercase()))
                    .filter_map(|(_, w)| w.chars().next())
                    .collect();
                initials == acronym.as_str()
            };
            let Some(from) = (0..word_starts.len()).find(|&i| spells(i)) else {
                continue;
            };
            let start = name.start() + word_starts[from].0;
            let whole = start..acronym.end() + 1;
            let id = acronym.as_str().to_lowercase();
            if covered(&whole, &first_pass) || known_ids.contains(id.as_str()) {
                continue;
            }
            if !body
                .iter()
                .any(|b| b.start <= whole.start && whole.end <= b.end)
            {
                continue;
            }
            if cast.new.iter().any(|n| n.id == id) {
                continue;
            }
            let full = text[start..name.end()].trim().to_string();
            cast.new.push(NewPerson {
                id,
                name: full.clone(),
                kind: PersonKind::Organisation,
                aliases: vec![
                    acronym.as_str().to_string(),
                    text[whole.clone()].to_string(),
                ],
                sentence: article.sentence_at(whole.start).unwrap_or(whole.clone()),
                role: None,
            });
        }

        // People introduced by name: two capitalised words, or a title and one.
        for b in &body {
            for m in name_pattern().find_iter(&text[b.clone()]) {
                let run = b.start + m.start()..b.start + m.end();
                for (range, titled) in name_runs(text, run) {
                    if covered(&range, &first_pass) {
                        continue;
                    }
                    let full = &text[range.clone()];
                    let bare: Vec<&str> = full
                        .split_whitespace()
                        .filter(|w| !TITLES.contains(w))
                        .collect();
                    if bare.len() < 2 && !titled {
                        continue;
                    }
                    // A short form of someone already named ("Sir Stephen", "Dr Ryan").
                    let linked = cast.new.iter().any(|n| {
                        let theirs: Vec<&str> = n.name.split_whitespace().collect();
                        bare.iter().all(|w| theirs.contains(w))
                    });
                    if linked || (bare.len() < 2 && titled) {
                        continue;
                    }
                    let id = slug(&bare.join(" "));
                    if id.is_empty()
                        || known_ids.contains(id.as_str())
                        || cast.new.iter().any(|n| n.id == id)
                    {
                        continue;
                    }
                    let sentence = article.sentence_at(range.start).unwrap_or(range.clone());
                    let role = role_of(text, &sentence, &range);
                    let surname = bare.last().copied().unwrap_or_default().to_string();
                    let mut aliases = vec![bare.join(" ")];
                    if bare.len() > 1 {
                        aliases.push(surname.clone());
                        for t in TITLES {
                            aliases.push(format!("{t} {surname}"));
                        }
                        aliases.push(format!("Sir {}", bare[0]));
                    }
                    aliases.retain(|a| a != full);
                    cast.new.push(NewPerson {
                        id,
                        name: full.to_string(),
                        kind: PersonKind::Person,
                        aliases,
                        sentence,
                        role,
                    });
                }
            }
        }

        for (i, n) in cast.new.iter().enumerate() {
            for t in std::iter::once(&n.name).chain(&n.aliases) {
                names.push(Name {
                    text: t.clone(),
                    who: Who::New(i),
                    kind: n.kind,
                    exact_case: true,
                });
            }
        }
        cast.mentions = occurrences(text, &names, &body);
        // Aliases that were only guesses ("Mr Powis") are kept only if the article uses them.
        for (i, n) in cast.new.iter_mut().enumerate() {
            let used: Vec<&str> = cast
                .mentions
                .iter()
                .filter(|m| m.who == Who::New(i))
                .map(|m| &text[m.range.clone()])
                .collect();
            n.aliases
                .retain(|a| used.contains(&a.as_str()) || n.kind == PersonKind::Organisation);
        }
        cast
    }

    /// The mentions inside a range, in order.
    pub fn within(&self, range: &Range<usize>) -> impl Iterator<Item = &Mention> + '_ {
        let range = range.clone();
        self.mentions
            .iter()
            .filter(move |m| range.start <= m.range.start && m.range.end <= range.end)
    }

    /// The mentions before an offset, latest first.
    pub fn before(&self, offset: usize) -> impl Iterator<Item = &Mention> + '_ {
        self.mentions
            .iter()
            .rev()
            .filter(move |m| m.range.end <= offset)
    }

    /// Adds a group named by the words that open a sentence ("Health leaders
    /// have urged ..."), unless it is known; returns it.
    pub fn group_subject(&mut self, article: &Article<'_>, sentence: &Range<usize>) -> Option<Who> {
        static P: OnceLock<Regex> = OnceLock::new();
        let p = P.get_or_init(|| {
            Regex::new(r"^([A-Z][a-z]+(?:\s+[a-z]+){1,2}?)\s+(?:have|has|had|are|were|said|say|says|urged|warned|called|told|wrote|remain|want)\b")
                .expect("valid subject pattern")
        });
        let text = article.slice(sentence);
        let c = p.captures(text)?;
        let words = c.get(1)?;
        let name = words.as_str();
        if !name.ends_with('s')
            || NOT_NAMES.contains(&name.split(' ').next().unwrap_or(""))
                && !name.starts_with("Health")
        {
            return None;
        }
        let id = slug(name);
        if let Some(i) = self.new.iter().position(|n| n.id == id) {
            return Some(Who::New(i));
        }
        let range = sentence.start + words.start()..sentence.start + words.end();
        self.new.push(NewPerson {
            id,
            name: name.to_string(),
            kind: PersonKind::Organisation,
            aliases: Vec::new(),
            sentence: sentence.clone(),
            role: None,
        });
        let who = Who::New(self.new.len() - 1);
        let at = self
            .mentions
            .partition_point(|m| m.range.start < range.start);
        self.mentions.insert(
            at,
            Mention {
                range,
                who: who.clone(),
                kind: PersonKind::Organisation,
            },
        );
        Some(who)
    }
}

/// The parts of a run of capitalised words that can be a name: the words
/// after the last one that is never a name, with the titles just before them.
fn name_runs(text: &str, run: Range<usize>) -> Vec<(Range<usize>, bool)> {
    let words: Vec<(usize, &str)> = text[run.clone()]
        .split_whitespace()
        .scan(run.start, |at, w| {
            let start = text[*at..].find(w).map_or(*at, |i| *at + i);
            *at = start + w.len();
            Some((start, w))
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let titled_from = i;
        while i < words.len() && TITLES.contains(&words[i].1) {
            i += 1;
        }
        let titled = i > titled_from;
        let from = i;
        while i < words.len() && !NOT_NAMES.contains(&words[i].1) && !TITLES.contains(&words[i].1) {
            i += 1;
        }
        if i > from {
            let start = if titled {
                words[titled_from].0
            } else {
                words[from].0
            };
            let (last_at, last) = words[i - 1];
            out.push((start..last_at + last.len(), titled));
        } else if i == titled_from {
            i += 1;
        }
    }
    out
}

/// The role the sentence gives a name: the words before it ending in a role
/// noun ("Health Secretary Steve Barclay"), or an apposition after it
/// ("Dr Vivek Trivedi, co-chair of the BMA’s junior doctors committee,").
fn role_of(
    text: &str,
    sentence: &Range<usize>,
    name: &Range<usize>,
) -> Option<(String, Range<usize>)> {
    let before = &text[sentence.start..name.start];
    let words: Vec<&str> = before.split_whitespace().collect();
    let stops = [
        "the", "a", "an", "with", "by", "and", "said", "to", "as", "from", "for", "between", "that",
    ];
    if let Some(pos) = words
        .iter()
        .rposition(|w| ROLE_NOUNS.contains(&w.to_lowercase().as_str()))
    {
        if words.len() - pos <= 4 && !words[pos..].iter().any(|w| w.ends_with([',', '.', ':'])) {
            let mut start = pos;
            while start > 0 {
                let w = words[start - 1];
                if stops.contains(&w.to_lowercase().as_str()) || w.ends_with([',', '.', ':', ';']) {
                    break;
                }
                start -= 1;
            }
            let phrase = words[start..].join(" ");
            let at = before.rfind(words[start]).map(|i| sentence.start + i)?;
            let title = singular(&phrase);
            if at_word_boundary(text, &(at..name.end)) {
                return Some((title, at..name.end));
            }
        }
    }
    let after = &text[name.end..sentence.end];
    if let Some(rest) = after.strip_prefix(", ") {
        if let Some(end) = rest.find(',') {
            let phrase = &rest[..end];
            let first = phrase
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            if ROLE_NOUNS.contains(&first.as_str()) {
                let evidence = name.start..name.end + 2 + end;
                return Some((phrase.to_string(), evidence));
            }
        }
    }
    None
}

fn singular(phrase: &str) -> String {
    let mut words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
    if let Some(i) = words
        .iter()
        .position(|w| ROLE_NOUNS.contains(&w.to_lowercase().as_str()) && w.ends_with("chairs"))
    {
        words[i].pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introduces_people_with_their_roles_and_links_short_forms() {
        let text = "NHS medical director Professor Sir Stephen Powis said it was bad.\n\nSir Stephen said more.\n\nThe British Medical Association (BMA) agreed. The BMA said so.";
        let article = Article::new(text);
        let cast = Cast::find(&article, &Knowledge::default());
        let ids: Vec<&str> = cast.new.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["bma", "stephen-powis"]);
        let powis = &cast.new[1];
        assert_eq!(powis.name, "Professor Sir Stephen Powis");
        assert_eq!(powis.role.as_ref().unwrap().0, "NHS medical director");
        let named: Vec<&str> = cast
            .mentions
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect();
        assert_eq!(
            named,
            [
                "Professor Sir Stephen Powis",
                "Sir Stephen",
                "British Medical Association (BMA)",
                "BMA"
            ]
        );
    }

    #[test]
    fn photo_credits_headings_and_places_are_not_people() {
        let text = "Politics Live: Starmer Hosts Leaders\n\nDoctors at St Thomas’ Hospital (Joe Giddens/PA)\n\nThey met in Downing Street on Monday.";
        let cast = Cast::find(&Article::new(text), &Knowledge::default());
        assert!(cast.new.is_empty(), "{:?}", cast.new);
    }
}
