//! Properties that hold for any input: an answer is a decline or is cited word
//! for word from its sources; cleaning is idempotent; nothing panics; long
//! input is cut before matching. Generated with proptest, from arbitrary
//! Unicode and from question-like strings built of the knowledge's own words.
//!
//! More cases: `PROPTEST_CASES=20000 cargo test --release --test properties`.

use dispute_bot::engine::normalise::{clean, terms, truncate, MAX_QUESTION_CHARS};
use dispute_bot::engine::{Answer, Conversation, Engine};
use dispute_bot::knowledge::{fold_for_match, parse_entries, Event, Knowledge};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Engine::new(Knowledge::load(&dir).expect("the shipped knowledge loads"))
    })
}

/// The answer declines with a reason, or states facts and cites them; every
/// citation, a decline's correction or latest known state included, is a
/// passage found word for word in the source it names.
fn assert_declined_or_cited(answer: &Answer) -> Result<(), TestCaseError> {
    if answer.is_answered() {
        prop_assert!(answer.decline_reason().is_none());
        prop_assert!(
            !answer.citations().is_empty(),
            "answered without citations: {answer:?}"
        );
    } else {
        prop_assert!(
            answer.decline_reason().is_some(),
            "unanswered without a reason: {answer:?}"
        );
    }
    let knowledge = engine().knowledge();
    for c in answer.citations() {
        let source = knowledge
            .sources
            .iter()
            .find(|s| s.id.as_str() == c.source)
            .ok_or_else(|| TestCaseError::fail(format!("unknown source {}", c.source)))?;
        prop_assert!(!c.quote.trim().is_empty(), "empty quote: {answer:?}");
        prop_assert!(
            fold_for_match(&source.text).contains(&fold_for_match(&c.quote)),
            "quote not in {}: {:?}",
            c.source,
            c.quote
        );
    }
    Ok(())
}

/// Words people use in questions here, names of the knowledge, noise.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let k = engine().knowledge();
        let mut words: Vec<String> = [
            "who",
            "what",
            "when",
            "how",
            "many",
            "much",
            "why",
            "did",
            "said",
            "say",
            "the",
            "a",
            "strike",
            "strikes",
            "walkout",
            "stirke",
            "pay",
            "rise",
            "35%",
            "talks",
            "ballot",
            "junior",
            "resident",
            "doctors",
            "bma",
            "government",
            "labour",
            "tory",
            "before",
            "after",
            "first",
            "last",
            "latest",
            "12th",
            "twelfth",
            "in",
            "july",
            "2024",
            "june",
            "27",
            "march",
            "2023",
            "postponed",
            "appointments",
            "cost",
            "nhs",
            "deal",
            "offer",
            "co-chairs",
            "health",
            "secretary",
            "election",
            "that",
            "one",
            "and",
            "or",
            "?",
            "!",
            "'",
            "\"",
            "“",
            "”",
            "@bot",
            "<@123>",
            "🐙",
            "timeline",
            "list",
            "compare",
            "vs",
            "is",
            "was",
            "it",
            "next",
            "previous",
            "source",
            "mediated",
            "£3bn",
            "61,989",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for p in &k.people {
            words.extend(p.name.split(' ').map(str::to_string));
        }
        for e in k.events.iter().take(20) {
            words.extend(e.title.split(' ').map(str::to_string));
        }
        words.sort();
        words.dedup();
        words
    })
}

/// Questions made of the knowledge's words, sometimes with a typo.
fn question_like() -> impl Strategy<Value = String> {
    let words = vocabulary().to_vec();
    (
        prop::collection::vec(prop::sample::select(words), 0..14),
        any::<u8>(),
        any::<usize>(),
    )
        .prop_map(|(words, typo, at)| {
            let mut q = words.join(" ");
            // Swap two neighbouring characters now and then, as people do.
            if typo % 3 == 0 {
                let mut chars: Vec<char> = q.chars().collect();
                if chars.len() > 2 {
                    let i = at % (chars.len() - 1);
                    chars.swap(i, i + 1);
                }
                q = chars.into_iter().collect();
            }
            q
        })
}

fn any_question() -> impl Strategy<Value = String> {
    prop_oneof![question_like(), any::<String>(), "\\PC{0,300}",]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_answer_is_declined_or_cited_verbatim(q in any_question()) {
        assert_declined_or_cited(&engine().answer(&q))?;
    }

    #[test]
    fn follow_ups_are_declined_or_cited_verbatim(first in question_like(), then in any_question()) {
        let mut conversation = Conversation::default();
        let a = engine().answer_in(&first, &conversation);
        conversation.remember(&a);
        for follow_up in [then.as_str(), "who said that?", "when was that", "and the one before?", "source?"] {
            assert_declined_or_cited(&engine().answer_in(follow_up, &conversation))?;
        }
    }

    #[test]
    fn cleaning_is_idempotent(s in any_question()) {
        let once = clean(&s);
        prop_assert_eq!(clean(&once), once);
    }

    #[test]
    fn cleaning_is_idempotent_near_the_length_limit(s in "[a-z'’ ]{990,1010}") {
        let once = clean(&s);
        prop_assert_eq!(clean(&once), once);
    }

    #[test]
    fn terms_never_panic_and_are_clean(s in any_question()) {
        for t in terms(&s) {
            prop_assert!(!t.is_empty());
            prop_assert!(!t.contains(' '), "{t:?}");
        }
    }

    #[test]
    fn truncation_keeps_at_most_the_limit(s in any::<String>()) {
        let t = truncate(&s);
        prop_assert!(t.chars().count() <= MAX_QUESTION_CHARS);
        prop_assert!(s.starts_with(t));
    }

    #[test]
    fn any_text_as_a_knowledge_file_is_entries_or_errors(text in any::<String>()) {
        let mut errors = Vec::new();
        let entries = parse_entries::<Event>(Path::new("events.toml"), &text, "event", &mut errors);
        prop_assert!(errors.iter().all(|e| e.file == Path::new("events.toml") && !e.message.is_empty()));
        prop_assert!(entries.iter().all(|e| e.line >= 1));
    }
}

/// Words past the limit do not change what a question is understood to ask.
#[test]
fn words_past_the_length_limit_are_ignored() {
    let question = "how many appointments were postponed in the three-day strike?";
    let padded = format!("{question}{}", " lorem".repeat(MAX_QUESTION_CHARS));
    let long = format!("{padded} who is wes streeting");
    let (a, b) = (engine().answer(&padded), engine().answer(&long));
    assert_eq!(
        (a.is_answered(), &a.text, &a.citations()),
        (b.is_answered(), &b.text, &b.citations())
    );
}

/// A megabyte of text is answered or declined, without a panic, as its first
/// [`MAX_QUESTION_CHARS`] characters are: it is cut before matching. How fast
/// is measured by `cargo bench --bench answer -- answer_megabyte`, not here.
#[test]
fn a_megabyte_question_is_answered_as_its_first_characters_are() {
    for filler in ["strike ", "🐙", "a'", "ﬁ", "<@1>", "\u{301}"] {
        let question = filler.repeat((1 << 20) / filler.len());
        let answer = engine().answer(&question);
        assert!(
            answer.is_answered() || answer.decline_reason().is_some(),
            "{filler:?}: neither answered nor declined"
        );
        assert!(answer.text.len() < 10_000, "{filler:?}");
        let cut = engine().answer(truncate(&question));
        assert_eq!(
            (answer.is_answered(), &answer.text, &answer.citations()),
            (cut.is_answered(), &cut.text, &cut.citations()),
            "{filler:?}"
        );
    }
}

/// Pieces that hostile paths and ids are made of.
fn path_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "..", ".", "/", "sources", "article", ".txt", "\\", "\0", "victim", "C:", "a-b", "~",
        "\u{e9}", " ", "\n", "%2e",
    ]);
    prop_oneof![
        prop::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
        "[a-z0-9-]{1,12}",
        "\\PC{0,30}",
    ]
}

/// A copy of the editing fixture at `<sandbox>/knowledge`, with `victim.txt`
/// beside it, and the lock file every edit takes (as after the first edit).
fn sandbox() -> (tempfile::TempDir, std::path::PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("knowledge");
    copy(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/editing"
        )),
        &root,
    );
    std::fs::write(root.join(".kb.lock"), "").unwrap();
    std::fs::write(sandbox.path().join("victim.txt"), "the victim's own text").unwrap();
    (sandbox, root)
}

/// Every file and folder under `dir`, links not followed, with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let path = entry.path();
            let bytes = if entry.file_type().unwrap().is_dir() {
                dirs.push(path.clone());
                Vec::new()
            } else {
                std::fs::read(&path).unwrap_or_default()
            };
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
        }
    }
    out
}

proptest! {
    // Each case copies a folder and loads it twice: a few dozen keep it quick.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn an_added_source_lands_inside_sources_or_nothing_changes(
        id in prop::option::of(path_like()),
        file in prop::option::of(path_like()),
        article in any::<bool>(),
    ) {
        use dispute_bot::knowledge::{paths, Actor, Kind, KnowledgeStore};
        let (sandbox, root) = sandbox();
        let before = snapshot(sandbox.path());
        let mut entry = toml::Table::new();
        entry.insert("title".into(), "A source".into());
        entry.insert("date".into(), "2024-09".into());
        entry.insert("date_basis".into(), "stated".into());
        if let Some(id) = &id {
            entry.insert("id".into(), id.as_str().into());
        }
        if let Some(file) = &file {
            entry.insert("file".into(), file.as_str().into());
        }
        let store = KnowledgeStore::open(&root);
        let added = store.add(
            &Actor::new("1", "prop"),
            Kind::Source,
            &toml::to_string(&entry).unwrap(),
            article.then_some("an article"),
        );
        let after = snapshot(sandbox.path());
        match added {
            Err(_) => prop_assert_eq!(after, before, "a refused add changes nothing"),
            Ok(change) => {
                let knowledge = store.load().expect("the folder still loads");
                let source = knowledge.sources.iter().find(|s| s.id.as_str() == change.id).unwrap();
                prop_assert!(paths::check_file(&source.file).is_ok(), "{:?}", source.file);
                let sources = root.join("sources").canonicalize().unwrap();
                prop_assert!(root.join(&source.file).canonicalize().unwrap().starts_with(&sources));
                for (path, bytes) in &after {
                    if before.get(path) != Some(bytes) {
                        let inside = path.starts_with("knowledge/sources")
                            || ["knowledge/sources.toml", "knowledge/audit.jsonl"]
                                .iter()
                                .any(|p| path == Path::new(p));
                        prop_assert!(inside, "{} changed", path.display());
                    }
                }
            }
        }
    }
}
