//! Drafts the knowledge of a new article: the source, the people and
//! organisations it introduces, its events, figures and quotes, each with
//! its evidence copied word for word from the text and its date resolved
//! against the article's. The draft is a TOML file in the knowledge format
//! with a `[draft]` table (the article's text and its status); the bot never
//! answers from it until a moderator has reviewed it and applied it with
//! [`KnowledgeStore::add_batch`](crate::knowledge::KnowledgeStore::add_batch).
//!
//! One idea per module: [`text`] cuts the article into paragraphs, sentences
//! and quoted passages; [`dates`] resolves dates; [`numbers`] reads figures;
//! [`people`] finds who is named; [`quotes`] finds who said what; [`events`]
//! recognises happenings; [`file`] writes and reads the draft file.
//!
//! ```
//! use dispute_bot::knowledge::draft::{draft, DraftOptions};
//! use dispute_bot::knowledge::Knowledge;
//! let text = "Junior doctors went on strike for three days. More than 50,000 appointments were postponed.";
//! let options = DraftOptions::new("strike-article", "2025-06-18".parse().unwrap());
//! let d = draft(text, &options, &Knowledge::default());
//! assert!(d.figures.iter().any(|f| f.entry.value == 50000.0 && f.entry.display == "More than 50,000"));
//! assert!(d.to_toml().contains("[draft]"));
//! ```

pub mod dates;
pub mod events;
pub mod file;
pub mod numbers;
pub mod people;
pub mod quotes;
pub mod text;

pub use file::{read_draft, DRAFT_TABLE};

use super::entries::slug;
use super::validate::dates_beyond;
use super::{
    paths, DateBasis, Event, EventKind, Figure, FuzzyDate, Id, Kind, Knowledge, Person, PersonKind,
    Precision, Quote, Role, Source, Unit,
};
use people::{Cast, Who};
use std::collections::HashSet;
use std::ops::Range;
use text::Article;

/// What the moderator tells the drafter about the article.
#[derive(Debug, Clone)]
pub struct DraftOptions {
    /// The id the source will have (see [`KnowledgeStore::propose_id`](crate::knowledge::KnowledgeStore::propose_id)).
    pub source_id: String,
    /// The article's date, as precisely as it is known.
    pub date: FuzzyDate,
    /// Its headline or a title of ours.
    pub title: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
}

impl DraftOptions {
    /// Options with a source id and a date, and nothing else.
    pub fn new(source_id: &str, date: FuzzyDate) -> DraftOptions {
        DraftOptions {
            source_id: source_id.to_string(),
            date,
            title: None,
            publisher: None,
            url: None,
        }
    }
}

/// An entry the drafter proposes, with what a moderator should check.
#[derive(Debug, Clone)]
pub struct Proposed<T> {
    /// The entry, in the knowledge format.
    pub entry: T,
    /// The drafter's doubts, written above the entry as `# check:` comments.
    pub doubts: Vec<String>,
}

/// A draft of the knowledge of one article.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The article as a source.
    pub source: Proposed<Source>,
    /// People and organisations it introduces.
    pub people: Vec<Proposed<Person>>,
    /// Its events.
    pub events: Vec<Proposed<Event>>,
    /// Its figures.
    pub figures: Vec<Proposed<Figure>>,
    /// Its quotes with a speaker.
    pub quotes: Vec<Proposed<Quote>>,
    /// Its quotes whose speaker was not found: written commented out, for a moderator to complete.
    pub unattributed: Vec<Proposed<Quote>>,
    /// The article's text.
    pub article: String,
    /// Where it was published.
    pub url: Option<String>,
}

impl Draft {
    /// Entries per kind, and how many carry a doubt: for a summary line.
    pub fn counts(&self) -> Vec<(&'static str, usize, usize)> {
        fn count<T>(v: &[Proposed<T>]) -> (usize, usize) {
            (v.len(), v.iter().filter(|p| !p.doubts.is_empty()).count())
        }
        let rows = [
            ("people", count(&self.people)),
            ("events", count(&self.events)),
            ("figures", count(&self.figures)),
            ("quotes", count(&self.quotes)),
            ("quotes without a speaker", count(&self.unattributed)),
        ];
        rows.into_iter().map(|(k, (n, d))| (k, n, d)).collect()
    }

    /// The uncertain entries: kind, id and the first doubt.
    pub fn doubts(&self) -> Vec<(Kind, String, String)> {
        fn of<T>(
            kind: Kind,
            v: &[Proposed<T>],
            id: impl Fn(&T) -> &Id,
        ) -> Vec<(Kind, String, String)> {
            v.iter()
                .filter_map(|p| {
                    p.doubts
                        .first()
                        .map(|d| (kind, id(&p.entry).to_string(), d.clone()))
                })
                .collect()
        }
        let mut out = of(Kind::Person, &self.people, |p| &p.id);
        out.extend(of(Kind::Event, &self.events, |e| &e.id));
        out.extend(of(Kind::Figure, &self.figures, |f| &f.id));
        out.extend(of(Kind::Quote, &self.quotes, |q| &q.id));
        out.extend(of(Kind::Quote, &self.unattributed, |q| &q.id));
        out
    }
}

/// Ids already used, per kind, so that every proposed id is new.
struct Ids {
    taken: HashSet<(Kind, String)>,
}

impl Ids {
    fn new(known: &Knowledge) -> Ids {
        let mut taken = HashSet::new();
        taken.extend(known.sources.iter().map(|s| (Kind::Source, s.id.0.clone())));
        taken.extend(known.people.iter().map(|s| (Kind::Person, s.id.0.clone())));
        taken.extend(known.events.iter().map(|s| (Kind::Event, s.id.0.clone())));
        taken.extend(known.figures.iter().map(|s| (Kind::Figure, s.id.0.clone())));
        taken.extend(known.quotes.iter().map(|s| (Kind::Quote, s.id.0.clone())));
        Ids { taken }
    }

    fn unique(&mut self, kind: Kind, title: &str) -> Id {
        let base = slug(title);
        let base = base[..base.len().min(60)].trim_end_matches('-').to_string();
        let base = if base.is_empty() {
            kind.table().to_string()
        } else {
            base
        };
        let id = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|id| !self.taken.contains(&(kind, id.clone())))
            .expect("some suffix is free");
        self.taken.insert((kind, id.clone()));
        Id(id)
    }
}

/// The first words of a text, at most `n`.
fn head(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a figure measures: the words after it up to a break, else the words before it.
fn measure(sentence: &str, range: &Range<usize>) -> String {
    let stop = [
        "since", "from", "in", "at", "by", "to", "as", "after", "before", "during", "of", "and",
        "over", "on", "for", "that", "which", "with", "the", "a", "is", "was", "were", "has",
        "have", "had", "will", "would", "ago",
    ];
    let clean = |w: &&str| {
        !w.chars().any(|c| c.is_ascii_digit()) && !crate::knowledge::draft::dates::is_month(w)
    };
    let rest = sentence[range.end..].trim_start();
    // "60% of members": what follows "of" is what is counted.
    let rest = rest.strip_prefix("of ").unwrap_or(rest);
    let after: Vec<&str> = rest
        .split([',', '.', ';', ':', '—', '–', '(', '”', '“'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take_while(|w| !stop.contains(&w.to_lowercase().as_str()))
        .filter(clean)
        .take(6)
        .collect();
    if !after.is_empty() {
        return after.join(" ");
    }
    let before: Vec<&str> = sentence[..range.start]
        .rsplit([',', '.', ';', ':', '—', '–', '(', '”', '“'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .filter(clean)
        .collect();
    let from = before.len().saturating_sub(8);
    let words = before[from..].join(" ");
    if words.is_empty() {
        "the number the article gives".into()
    } else {
        words
    }
}

fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Strike => "Strike",
        EventKind::Talks => "Talks",
        EventKind::Meeting => "Meeting",
        EventKind::Offer => "Offer",
        EventKind::Deal => "Deal",
        EventKind::Ballot => "Ballot",
        EventKind::Announcement => "Announcement",
        EventKind::Election => "Election",
        EventKind::Statement => "Statement",
        EventKind::Other => "Event",
    }
}

fn topic(kind: EventKind) -> Vec<String> {
    let t = match kind {
        EventKind::Strike => "strike",
        EventKind::Talks | EventKind::Meeting => "talks",
        EventKind::Offer | EventKind::Deal => "pay",
        EventKind::Ballot => "ballot",
        EventKind::Election => "election",
        _ => return Vec::new(),
    };
    vec![t.to_string()]
}

fn figure_topics(unit: Unit, sentence: &str) -> Vec<String> {
    let s = sentence.to_lowercase();
    let mut t = Vec::new();
    for (word, topic) in [
        ("postpon", "postponements"),
        ("reschedul", "postponements"),
        ("cost", "cost"),
        ("pay", "pay"),
        ("strike", "strike"),
        ("walkout", "strike"),
        ("ballot", "ballot"),
        ("voted", "ballot"),
        ("workforce", "workforce"),
    ] {
        if s.contains(word) && !t.iter().any(|x: &String| x == topic) {
            t.push(topic.to_string());
        }
    }
    if unit == Unit::Gbp && !t.iter().any(|x| x == "cost") {
        t.push("cost".into());
    }
    t
}

/// Drafts the entries of an article against what is already known.
pub fn draft(text: &str, options: &DraftOptions, known: &Knowledge) -> Draft {
    let article = Article::new(text);
    let mut cast = Cast::find(&article, known);
    let found_quotes = quotes::find(&article, &mut cast, known, &options.date);
    let source_id = Id(options.source_id.clone());
    let date = options.date;
    let mut ids = Ids::new(known);
    let (source, stated) = source_entry(text, options);

    let mut events = Vec::new();
    let mut figures = Vec::new();
    let mut event_sentences: Vec<Range<usize>> = Vec::new();
    let who_id = |cast: &Cast, who: &Who| -> Id {
        match who {
            Who::Known(id) => id.clone(),
            Who::New(i) => Id(cast.new[*i].id.clone()),
        }
    };
    for (_, sentence) in article.sentences() {
        let s = article.slice(&sentence);
        let found = dates::find(s, &date);
        let calendar: Vec<Range<usize>> = found
            .iter()
            .filter(|d| d.calendar)
            .map(|d| d.range.clone())
            .collect();
        let numbers = numbers::find(s, &calendar);
        let first_figure = figures.len();
        for n in &numbers {
            let strike = ["strike", "walkout"]
                .iter()
                .any(|w| s.to_lowercase().contains(w));
            let measure = match n.unit {
                Unit::Ordinal if strike => "the strike's number in the series".to_string(),
                Unit::Days if strike => "the length of the strike".to_string(),
                _ => measure(s, &n.range),
            };
            let in_month = found.iter().find(|d| {
                d.calendar && d.note.contains("the latest") && s[d.range.clone()].starts_with("in ")
            });
            let (as_of, basis, note) = match in_month {
                Some(d) => (d.date, d.basis, d.note.clone()),
                None if stated => (date, DateBasis::Stated, String::new()),
                None => (date, DateBasis::Inferred, "the article's date".to_string()),
            };
            let mut doubts = vec![format!(
                "check what it measures: \"{measure}\" was read from its sentence"
            )];
            if n.unit == Unit::Count && n.value < 100.0 {
                doubts.push("a small plain number: check that it is a figure worth keeping".into());
            }
            let id = ids.unique(Kind::Figure, &format!("{measure} {}", n.display));
            figures.push(Proposed {
                entry: Figure {
                    id,
                    measure: measure.clone(),
                    value: n.value,
                    unit: n.unit,
                    qualifier: n.qualifier,
                    display: n.display.clone(),
                    as_of,
                    as_of_basis: basis,
                    as_of_note: (!note.is_empty()).then_some(note),
                    event: None,
                    stated_by: None,
                    topics: figure_topics(n.unit, s),
                    keywords: Vec::new(),
                    summary: s.to_string(),
                    source: source_id.clone(),
                    evidence: s.to_string(),
                    also: Vec::new(),
                },
                doubts,
            });
        }
        if let Some(e) = events::recognise(s, &date, &numbers) {
            let mut people: Vec<Id> = Vec::new();
            for m in cast.within(&sentence) {
                let id = who_id(&cast, &m.who);
                if !people.contains(&id) && people.len() < 5 {
                    people.push(id);
                }
            }
            let mut title = kind_label(e.kind).to_string();
            if let Some(o) = e.ordinal {
                title.push_str(&format!(" number {o}"));
            }
            if let Some(d) = e.days {
                title.push_str(&format!(" of {d} days"));
            }
            title.push_str(&format!(" {}", e.date.phrase()));
            let id = ids.unique(Kind::Event, &format!("{} {}", kind_label(e.kind), e.date));
            // The figures of a strike's sentence are of that strike ("175,000 postponed during the strike").
            if e.kind == EventKind::Strike {
                for f in &mut figures[first_figure..] {
                    f.entry.event = Some(id.clone());
                }
            }
            let mut doubts = e.doubts.clone();
            doubts.insert(
                0,
                format!(
                    "a {} recognised from its sentence: check the kind, the date and the summary",
                    kind_label(e.kind).to_lowercase()
                ),
            );
            event_sentences.push(sentence.clone());
            events.push(Proposed {
                entry: Event {
                    id,
                    kind: e.kind,
                    title,
                    date: e.date,
                    date_basis: e.basis,
                    date_note: Some(e.note.clone()),
                    ordinal: e.ordinal,
                    people,
                    topics: topic(e.kind),
                    keywords: Vec::new(),
                    summary: s.to_string(),
                    source: source_id.clone(),
                    evidence: s.to_string(),
                    also: Vec::new(),
                },
                doubts,
            });
        }
    }

    let mut quotes_out = Vec::new();
    let mut unattributed = Vec::new();
    for q in &found_quotes {
        let words = article.slice(&q.text).to_string();
        let speaker = q.speaker.as_ref().map(|w| who_id(&cast, w));
        let name = q.speaker.as_ref().map(|w| match w {
            Who::Known(id) => known
                .people
                .iter()
                .find(|p| &p.id == id)
                .map_or(id.to_string(), |p| p.name.clone()),
            Who::New(i) => cast.new[*i].name.clone(),
        });
        let surname = name
            .as_deref()
            .and_then(|n| n.split_whitespace().last())
            .unwrap_or("unattributed")
            .to_string();
        let id = ids.unique(Kind::Quote, &format!("{surname} {}", head(&words, 5)));
        let context = match (&name, &q.verb) {
            (Some(n), Some(v)) => format!("{n} {v} this, as the article reports."),
            (Some(n), None) => format!("The article gives these words as {n}'s."),
            (None, _) => "Quoted in the article; the speaker was not found.".to_string(),
        };
        let entry = Quote {
            id,
            speaker: speaker.clone().unwrap_or(Id(String::new())),
            text: words,
            date: q.date,
            date_basis: DateBasis::Inferred,
            date_note: Some(q.date_note.clone()),
            context,
            event: None,
            topics: Vec::new(),
            keywords: Vec::new(),
            source: source_id.clone(),
        };
        if speaker.is_some() {
            quotes_out.push(Proposed {
                entry,
                doubts: q.doubts.clone(),
            });
        } else {
            let mut doubts = vec!["no speaker found: write `speaker = \"...\"` (an id of people.toml, or of a person above) and remove the `#` of each line, or delete it".to_string()];
            doubts.extend(q.doubts.clone());
            unattributed.push(Proposed { entry, doubts });
        }
    }

    let people = people_entries(&article, &cast, &source_id, &date);

    // Prose may name a date only as precisely as the knowledge dates it.
    let mut event_dates: Vec<FuzzyDate> = known.events.iter().map(|e| e.date).collect();
    event_dates.extend(events.iter().map(|e: &Proposed<Event>| e.entry.date));
    for e in &mut events {
        let mut own = event_dates.clone();
        own.push(e.entry.date);
        if !dates_beyond(&e.entry.summary, &own).is_empty() {
            e.entry.summary = format!(
                "{} reported in the article; see its evidence.",
                e.entry.title
            );
            e.doubts.push(
                "the summary was cut: its sentence names a date finer than the event's".into(),
            );
        }
        // The title says which sentence it comes from, if that names no finer date.
        let words = head(&e.entry.evidence, 8);
        let titled = format!(
            "{}: {}…",
            e.entry.title,
            words.trim_end_matches(['.', ',', ';', ':'])
        );
        if dates_beyond(&titled, &own).is_empty() {
            e.entry.title = titled;
        }
    }
    for f in &mut figures {
        let mut own = event_dates.clone();
        own.push(f.entry.as_of);
        if !dates_beyond(&f.entry.summary, &own).is_empty() {
            f.entry.summary = format!(
                "The article gives {} for {}.",
                f.entry.display, f.entry.measure
            );
        }
    }

    Draft {
        source: Proposed {
            entry: source,
            doubts: Vec::new(),
        },
        people,
        events,
        figures,
        quotes: quotes_out,
        unattributed,
        article: text.to_string(),
        url: options.url.clone(),
    }
}

/// The source entry, and whether the text itself writes the article's date.
fn source_entry(text: &str, options: &DraftOptions) -> (Source, bool) {
    let date = options.date;
    let written = {
        let d = date.start.first;
        let forms = match date.precision() {
            Precision::Day => vec![
                d.format("%Y-%m-%d").to_string(),
                d.format("%-d %B %Y").to_string(),
                d.format("%B %-d, %Y").to_string(),
            ],
            Precision::Month => vec![d.format("%B %Y").to_string()],
            _ => Vec::new(),
        };
        !date.is_range()
            && !date.has_open_start()
            && forms.iter().any(|f| text.contains(f.as_str()))
    };
    let (title, ours) = match &options.title {
        Some(t) => (t.clone(), false),
        None => {
            let first = Article::new(text)
                .sentences()
                .next()
                .map(|(_, s)| text[s].to_string())
                .unwrap_or_else(|| "Untitled article".into());
            (
                head(&first, 14).trim_end_matches(['.', ',']).to_string(),
                true,
            )
        }
    };
    let credit = ["/PA)", "(PA)"].iter().find(|c| text.contains(*c));
    let (publisher, publisher_note) = match (&options.publisher, credit) {
        (Some(p), _) => (Some(p.clone()), None),
        (None, Some(c)) => (
            Some("PA Media".to_string()),
            Some(format!(
                "a picture credit reads '{}'",
                c.trim_start_matches('/')
                    .trim_end_matches(')')
                    .trim_start_matches('(')
            )),
        ),
        (None, None) => (None, None),
    };
    let source = Source {
        id: Id(options.source_id.clone()),
        file: paths::article_file(&options.source_id)
            .unwrap_or_else(|_| format!("sources/{}.txt", options.source_id)),
        title,
        title_is_ours: ours,
        publisher,
        publisher_note,
        date,
        date_basis: if written {
            DateBasis::Stated
        } else {
            DateBasis::Inferred
        },
        date_note: (!written).then(|| {
            "the date given to `kb draft`; the text does not write it, so check it".to_string()
        }),
        text: text.to_string(),
    };
    (source, written)
}

/// The new people and organisations, each cited by the sentence that first names them.
fn people_entries(
    article: &Article<'_>,
    cast: &Cast,
    source: &Id,
    date: &FuzzyDate,
) -> Vec<Proposed<Person>> {
    cast.new
        .iter()
        .map(|n| {
            let sentence = article.slice(&n.sentence).to_string();
            let roles: Vec<Role> = n
                .role
                .iter()
                .map(|(title, evidence)| Role {
                    title: title.clone(),
                    organisation: None,
                    from: None,
                    to: None,
                    seen: vec![*date],
                    former_by: None,
                    period_basis: DateBasis::Inferred,
                    period_note: Some(format!("seen in post in the article of {date}")),
                    source: source.clone(),
                    evidence: article.slice(evidence).to_string(),
                    also: Vec::new(),
                })
                .collect();
            let description = match &n.role {
                Some((title, _)) => format!("{}, {title}, as the article names them.", n.name),
                None => format!("{}, named in the article.", n.name),
            };
            let mut doubts = vec![format!("new {}: check the name, and that it is not someone already known under another name", match n.kind {
                PersonKind::Person => "person",
                PersonKind::Organisation => "organisation",
            })];
            if n.role.is_none() && n.kind == PersonKind::Person {
                doubts.push("no role found in the text".into());
            }
            Proposed {
                entry: Person {
                    id: Id(n.id.clone()),
                    name: n.name.clone(),
                    kind: n.kind,
                    aliases: n.aliases.clone(),
                    description,
                    roles,
                    source: source.clone(),
                    evidence: sentence,
                    also: Vec::new(),
                },
                doubts,
            }
        })
        .collect()
}
