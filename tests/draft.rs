//! Drafting the knowledge of a new article (`kb draft`): a leave-one-out
//! test on the shipped articles, speakers across sentences, an article about
//! something else, and applying a draft as one undoable change.

use dispute_bot::knowledge::draft::{draft, read_draft, Draft, DraftOptions};
use dispute_bot::knowledge::{fold_for_match, Knowledge, KnowledgeStore};
use std::collections::HashSet;
use std::path::Path;

fn shipped() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with(".jsonl") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn edit(dir: &Path, file: &str, table: &str, f: impl Fn(&mut toml_edit::Table) -> bool) {
    let path = dir.join(file);
    let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    if let Some(list) = doc.get_mut(table).and_then(|i| i.as_array_of_tables_mut()) {
        let keep: Vec<bool> = list.iter_mut().map(&f).collect();
        let mut at = 0;
        list.retain(|_| {
            at += 1;
            keep[at - 1]
        });
    }
    std::fs::write(path, doc.to_string()).unwrap();
}

fn cites(t: &toml_edit::Table, source: &str) -> bool {
    t.get("source").and_then(|s| s.as_str()) == Some(source)
}

/// A copy of the shipped knowledge as it was before one article: its
/// source and every entry citing it are gone; a person it introduced stays
/// only when another article names them too (then cited by that one).
fn without(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(shipped(), dir.path());
    let full = Knowledge::load(shipped()).unwrap();
    let events: HashSet<&str> = full
        .events
        .iter()
        .filter(|e| e.source.as_str() == source)
        .map(|e| e.id.as_str())
        .collect();
    edit(dir.path(), "sources.toml", "source", |t| {
        t.get("id").and_then(|i| i.as_str()) != Some(source)
    });
    let strip_also = |t: &mut toml_edit::Table| {
        if let Some(list) = t.get_mut("also").and_then(|a| a.as_array_mut()) {
            list.retain(|c| {
                c.as_inline_table()
                    .and_then(|c| c.get("source"))
                    .and_then(|s| s.as_str())
                    != Some(source)
            });
        }
    };
    for (file, table) in [
        ("events.toml", "event"),
        ("figures.toml", "figure"),
        ("quotes.toml", "quote"),
    ] {
        edit(dir.path(), file, table, |t| {
            if let Some(event) = t.get("event").and_then(|e| e.as_str()) {
                if events.contains(event) {
                    t.remove("event");
                }
            }
            strip_also(t);
            !cites(t, source)
        });
    }
    edit(dir.path(), "people.toml", "person", |t| {
        let strip = |item: &mut toml_edit::Item| {
            if let Some(list) = item.as_array_mut() {
                list.retain(|c| {
                    c.as_inline_table()
                        .and_then(|c| c.get("source"))
                        .and_then(|s| s.as_str())
                        != Some(source)
                });
            }
        };
        if let Some(also) = t.get_mut("also") {
            strip(also);
        }
        if let Some(roles) = t.get_mut("role").and_then(|r| r.as_array_of_tables_mut()) {
            for r in roles.iter_mut() {
                if let Some(also) = r.get_mut("also") {
                    strip(also);
                }
            }
            roles.retain(|r| !cites(r, source));
        }
        if !cites(t, source) {
            return true;
        }
        let other = t
            .get("also")
            .and_then(|a| a.as_array())
            .and_then(|a| a.get(0))
            .and_then(|c| c.as_inline_table())
            .map(|c| {
                (
                    c.get("source").unwrap().as_str().unwrap().to_string(),
                    c.get("evidence").unwrap().as_str().unwrap().to_string(),
                )
            });
        match other {
            Some((s, e)) => {
                t.insert("source", toml_edit::value(s));
                t.insert("evidence", toml_edit::value(e));
                true
            }
            _ => false,
        }
    });
    // Anyone left referring to a person the article alone introduced is left out too.
    let names: HashSet<String> = {
        let doc: toml_edit::DocumentMut = std::fs::read_to_string(dir.path().join("people.toml"))
            .unwrap()
            .parse()
            .unwrap();
        doc["person"]
            .as_array_of_tables()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    edit(dir.path(), "quotes.toml", "quote", |t| {
        names.contains(t["speaker"].as_str().unwrap())
    });
    edit(dir.path(), "figures.toml", "figure", |t| {
        if let Some(p) = t.get("stated_by").and_then(|p| p.as_str()) {
            if !names.contains(p) {
                t.remove("stated_by");
            }
        }
        true
    });
    edit(dir.path(), "events.toml", "event", |t| {
        if let Some(people) = t.get_mut("people").and_then(|p| p.as_array_mut()) {
            people.retain(|p| names.contains(p.as_str().unwrap()));
        }
        true
    });
    edit(dir.path(), "people.toml", "person", |t| {
        if let Some(roles) = t.get_mut("role").and_then(|r| r.as_array_of_tables_mut()) {
            for r in roles.iter_mut() {
                if let Some(o) = r.get("organisation").and_then(|o| o.as_str()) {
                    if !names.contains(o) {
                        r.remove("organisation");
                    }
                }
            }
        }
        true
    });
    // Prose that names the date of a removed event is cut, as the article's absence would have it.
    if let Err(errors) = Knowledge::load(dir.path()) {
        let named: HashSet<String> = errors
            .0
            .iter()
            .filter(|e| e.message.contains("finer than"))
            .filter_map(|e| e.entry.clone())
            .collect();
        for (file, table) in [
            ("events.toml", "event"),
            ("figures.toml", "figure"),
            ("quotes.toml", "quote"),
            ("people.toml", "person"),
        ] {
            edit(dir.path(), file, table, |t| {
                if t.get("id")
                    .and_then(|i| i.as_str())
                    .is_some_and(|id| named.contains(id))
                {
                    for field in ["summary", "measure", "title", "context", "description"] {
                        if t.contains_key(field) {
                            t.insert(field, toml_edit::value("(cut for the test)"));
                        }
                    }
                }
                true
            });
        }
    }
    if let Err(e) = Knowledge::load(dir.path()) {
        panic!("the knowledge without `{source}` does not load: {e}");
    }
    dir
}

/// Quoted words compared as the loader compares evidence, and without the
/// punctuation a quote may end with inside or outside its marks.
fn same_words(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        fold_for_match(s)
            .trim_end_matches(['.', ',', '"', ' '])
            .to_lowercase()
    };
    norm(a) == norm(b)
}

#[derive(Default, Debug, Clone, Copy)]
struct Recall {
    figures: (usize, usize),
    quotes: (usize, usize),
    speakers: (usize, usize),
    event_dates: (usize, usize),
    events: (usize, usize),
    figure_dates: (usize, usize),
    quote_dates: (usize, usize),
}

fn pct((hit, all): (usize, usize)) -> f64 {
    if all == 0 {
        100.0
    } else {
        100.0 * hit as f64 / all as f64
    }
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

fn row(name: &str, r: &Recall) {
    println!(
        "{name:<34} {:>7.0}% {:>7.0}% {:>7.0}% {:>7.0}% {:>7.0}% {:>7.0}% {:>7.0}%",
        pct(r.figures),
        pct(r.figure_dates),
        pct(r.quotes),
        pct(r.speakers),
        pct(r.quote_dates),
        pct(r.events),
        pct(r.event_dates)
    );
}

fn compare(full: &Knowledge, source: &str, d: &Draft) -> Recall {
    let mut r = Recall::default();
    for f in full.figures.iter().filter(|f| f.source.as_str() == source) {
        let same: Vec<_> = d
            .figures
            .iter()
            .filter(|g| g.entry.value == f.value && g.entry.unit == f.unit)
            .collect();
        let found = !same.is_empty();
        r.figures = add(r.figures, (found as usize, 1));
        let dated = same.iter().any(|g| g.entry.as_of == f.as_of);
        r.figure_dates = add(r.figure_dates, (dated as usize, 1));
        if !found {
            eprintln!("  figure not found: {} {:?} ({})", f.value, f.unit, f.id);
        }
    }
    let drafted: Vec<_> = d
        .quotes
        .iter()
        .chain(&d.unattributed)
        .map(|q| &q.entry)
        .collect();
    for q in full.quotes.iter().filter(|q| q.source.as_str() == source) {
        let found = drafted.iter().find(|g| same_words(&g.text, &q.text));
        r.quotes = add(r.quotes, (found.is_some() as usize, 1));
        let right = found.is_some_and(|g| g.speaker == q.speaker);
        r.speakers = add(r.speakers, (right as usize, 1));
        let dated = found.is_some_and(|g| g.date == q.date);
        r.quote_dates = add(r.quote_dates, (dated as usize, 1));
        match found {
            None => eprintln!("  quote not found: {:?}", q.text),
            Some(g) if !right => eprintln!(
                "  quote {:?}: speaker `{}`, shipped `{}`",
                q.id, g.speaker, q.speaker
            ),
            _ => {}
        }
    }
    for e in full.events.iter().filter(|e| e.source.as_str() == source) {
        let shipped = fold_for_match(&e.evidence);
        let found = d.events.iter().find(|g| {
            let g = fold_for_match(&g.entry.evidence);
            g.contains(&shipped) || shipped.contains(&g)
        });
        r.events = add(r.events, (found.is_some() as usize, 1));
        let right = found.is_some_and(|g| g.entry.date == e.date);
        r.event_dates = add(r.event_dates, (right as usize, 1));
    }
    r
}

/// For each shipped article: the knowledge without it, a draft of it from
/// its text and date, the draft checked by the loader, and its recall
/// against the shipped entries.
#[test]
fn leave_one_out_drafts_recover_the_shipped_entries() {
    let full = Knowledge::load(shipped()).unwrap();
    let mut total = Recall::default();
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "article (recall)",
        "figures",
        "as_of",
        "quotes",
        "speakers",
        "q.dates",
        "events",
        "e.dates"
    );
    for source in &full.sources {
        let dir = without(source.id.as_str());
        let known = Knowledge::load(dir.path()).unwrap();
        let options = DraftOptions::new(&format!("draft-{}", source.id), source.date);
        let d = draft(&source.text, &options, &known);
        let batch = read_draft(&d.to_toml()).expect("the draft reads back");
        let store = KnowledgeStore::open(dir.path());
        if let Err(e) = store.check_batch(&batch) {
            panic!("the draft of `{}` fails the loader: {e}", source.id);
        }
        let r = compare(&full, source.id.as_str(), &d);
        row(source.id.as_str(), &r);
        total.figures = add(total.figures, r.figures);
        total.quotes = add(total.quotes, r.quotes);
        total.speakers = add(total.speakers, r.speakers);
        total.event_dates = add(total.event_dates, r.event_dates);
        total.events = add(total.events, r.events);
        total.figure_dates = add(total.figure_dates, r.figure_dates);
        total.quote_dates = add(total.quote_dates, r.quote_dates);
    }
    row("all", &total);
    println!("{total:?}");
    // Floors a little below what the drafter reaches, so that a regression fails.
    assert!(
        pct(total.figures) >= FLOOR_FIGURES,
        "figures found: {:?}",
        total.figures
    );
    assert!(
        pct(total.quotes) >= FLOOR_QUOTES,
        "quotes found: {:?}",
        total.quotes
    );
    assert!(
        pct(total.speakers) >= FLOOR_SPEAKERS,
        "speakers right: {:?}",
        total.speakers
    );
    assert!(
        pct(total.figure_dates) >= FLOOR_FIGURE_DATES,
        "figure dates right: {:?}",
        total.figure_dates
    );
    assert!(
        pct(total.quote_dates) >= FLOOR_QUOTE_DATES,
        "quote dates right: {:?}",
        total.quote_dates
    );
    assert!(
        pct(total.event_dates) >= FLOOR_EVENT_DATES,
        "event dates right: {:?}",
        total.event_dates
    );
}

// Measured: figures 36/36 (as_of 33/36), quotes 32/32, speakers 32/32 (dates 32/32),
// events 38/41, event dates 32/41.
const FLOOR_FIGURES: f64 = 95.0;
const FLOOR_QUOTES: f64 = 95.0;
const FLOOR_SPEAKERS: f64 = 90.0;
const FLOOR_EVENT_DATES: f64 = 75.0;
const FLOOR_FIGURE_DATES: f64 = 85.0;
const FLOOR_QUOTE_DATES: f64 = 95.0;

/// A draft of `text` against the shipped knowledge, dated 18 June 2025.
fn draft_of(text: &str, known: &Knowledge) -> Draft {
    draft(
        text,
        &DraftOptions::new("new-article", "2025-06-18".parse().unwrap()),
        known,
    )
}

fn speakers(d: &Draft) -> Vec<(String, String)> {
    d.quotes
        .iter()
        .map(|q| (q.entry.text.clone(), q.entry.speaker.to_string()))
        .collect()
}

#[test]
fn speakers_are_found_across_sentences_and_paragraphs() {
    let text = "Dr Jane Okafor, chair of the Example Medical Committee, spoke after the vote.\n\n\
                She said: “We will not give up.\n\n\
                “Our members are ready.”\n\n\
                “There is a deal to be done,” she added, saying it was “close”.\n\n\
                The nurses’ leaders met the minister. “We hope for more,” they said.\n";
    let d = draft_of(text, &Knowledge::default());
    let got = speakers(&d);
    let want = [
        ("We will not give up.", "jane-okafor"),
        ("Our members are ready.", "jane-okafor"),
        ("There is a deal to be done", "jane-okafor"),
        ("close", "jane-okafor"),
    ];
    for (words, speaker) in want {
        assert!(
            got.iter().any(|(t, s)| t == words && s == speaker),
            "{words:?} by {speaker}: {got:?}"
        );
    }
    let okafor = d
        .people
        .iter()
        .find(|p| p.entry.id.as_str() == "jane-okafor")
        .unwrap();
    assert_eq!(
        okafor.entry.roles[0].title,
        "chair of the Example Medical Committee"
    );
}

#[test]
fn the_health_secretary_is_whoever_the_knowledge_shows_in_post_at_the_date() {
    let known = Knowledge::load(shipped()).unwrap();
    let text = "The health secretary said: “Talks will resume next week.”\n\nMr Streeting met the BMA on Thursday. He said: “It went well.”\n";
    let d = draft_of(text, &known);
    assert_eq!(
        speakers(&d),
        [
            (
                "Talks will resume next week.".to_string(),
                "wes-streeting".to_string()
            ),
            ("It went well.".to_string(), "wes-streeting".to_string()),
        ]
    );
    // Known people are linked, not proposed again.
    assert!(
        d.people.is_empty(),
        "{:?}",
        d.people.iter().map(|p| &p.entry.id).collect::<Vec<_>>()
    );
    let meeting = d
        .events
        .iter()
        .find(|e| e.entry.kind == dispute_bot::knowledge::EventKind::Meeting)
        .unwrap();
    assert_eq!(meeting.entry.date.to_string(), "12 June 2025");
    assert!(meeting
        .entry
        .people
        .iter()
        .any(|p| p.as_str() == "wes-streeting"));
}

#[test]
fn a_quote_whose_speaker_is_not_found_is_proposed_commented_out() {
    let d = draft_of(
        "“It is a scandal” was painted on a banner outside the hospital.\n",
        &Knowledge::default(),
    );
    assert!(d.quotes.is_empty());
    assert_eq!(d.unattributed.len(), 1);
    let toml = d.to_toml();
    assert!(toml.contains("# check: no speaker found"), "{toml}");
    assert!(toml.contains("# text = \"It is a scandal\""), "{toml}");
}

#[test]
fn an_article_about_something_else_drafts_little_and_invents_nothing() {
    let known = Knowledge::load(shipped()).unwrap();
    let text = "Heavy rain is expected across much of southern England this weekend, the Met Office said.\n\n\
                Forecasters warned that up to 40mm could fall in some places, and drivers were told to take care.\n\n\
                The warning runs until Sunday evening.\n";
    let d = draft_of(text, &known);
    let kinds: Vec<_> = d.events.iter().map(|e| e.entry.kind).collect();
    assert!(
        d.figures.is_empty(),
        "{:?}",
        d.figures
            .iter()
            .map(|f| &f.entry.display)
            .collect::<Vec<_>>()
    );
    assert!(d.quotes.is_empty() && d.unattributed.is_empty());
    assert!(
        d.people.is_empty(),
        "{:?}",
        d.people.iter().map(|p| &p.entry.name).collect::<Vec<_>>()
    );
    assert!(kinds.is_empty(), "{kinds:?}");
    // And what there is loads, every evidence in the text.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(shipped(), dir.path());
    let batch = read_draft(&d.to_toml()).unwrap();
    assert_eq!(
        KnowledgeStore::open(dir.path())
            .check_batch(&batch)
            .unwrap(),
        1
    );
}

#[test]
fn a_draft_in_the_folder_is_not_answered_from_until_applied_and_undo_removes_it_whole() {
    use dispute_bot::knowledge::Actor;
    let dir = tempfile::tempdir().unwrap();
    copy_dir(shipped(), dir.path());
    let before = Knowledge::load(dir.path()).unwrap().stats();
    let texts = |dir: &Path| -> Vec<String> {
        [
            "sources.toml",
            "people.toml",
            "events.toml",
            "figures.toml",
            "quotes.toml",
        ]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
        .collect()
    };
    let original = texts(dir.path());
    let known = Knowledge::load(dir.path()).unwrap();
    let text = "Resident doctors in England will ballot on further strikes, the BMA said on Monday.\n\n\
                Dr Sam Patel, co-chair of the resident doctors committee, said: “Members have lost patience.”\n\n\
                More than 60% of members backed the move in a survey last week.\n";
    let d = draft(
        text,
        &DraftOptions::new("ballot-article", "2025-06-18".parse().unwrap()),
        &known,
    );
    let file = d.to_toml();
    // Saved in the knowledge folder, a draft is not knowledge.
    std::fs::write(dir.path().join("ballot.draft.toml"), &file).unwrap();
    assert_eq!(Knowledge::load(dir.path()).unwrap().stats(), before);

    let store = KnowledgeStore::open(dir.path());
    let ann = Actor::new("cli:ann", "ann");
    let changes = store.add_batch(&ann, &read_draft(&file).unwrap()).unwrap();
    let after = Knowledge::load(dir.path()).unwrap();
    assert_eq!(after.sources.len(), before.sources + 1);
    assert!(after
        .quotes
        .iter()
        .any(|q| q.speaker.as_str() == "sam-patel" && q.text == "Members have lost patience."));
    assert!(after
        .figures
        .iter()
        .any(|f| f.value == 60.0 && f.display == "More than 60%"));
    let ballot = after
        .events
        .iter()
        .find(|e| {
            e.kind == dispute_bot::knowledge::EventKind::Ballot
                && e.source.as_str() == "ballot-article"
        })
        .unwrap();
    assert_eq!(ballot.date.to_string(), "16 June 2025");
    assert!(dir.path().join("sources/ballot-article.txt").exists());
    assert!(changes.iter().all(|c| c.batch == Some(changes[0].change)));

    let undone = store.undo_all(&ann, None).unwrap();
    assert_eq!(undone.len(), changes.len());
    assert_eq!(texts(dir.path()), original);
    assert!(!dir.path().join("sources/ballot-article.txt").exists());
    assert_eq!(Knowledge::load(dir.path()).unwrap().stats(), before);
}
