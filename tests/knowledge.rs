//! The knowledge loader: every validation rule, and the shipped knowledge itself.
//!
//! Each rule is tested by copying the small valid folder `tests/fixtures/minimal`
//! to a temporary folder, breaking one thing in it, and checking that the error
//! names the file, the line, the entry and what to fix.

use dispute_bot::knowledge::{Knowledge, KnowledgeError, LoadErrors};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One change to a file of the minimal fixture.
enum Edit {
    /// Replace the only occurrence of the first text by the second.
    Replace(&'static str, &'static str, String),
    /// Add text at the end of the file.
    Append(&'static str, String),
    /// Delete the file.
    Remove(&'static str),
}

fn replace(file: &'static str, from: &'static str, to: impl Into<String>) -> Edit {
    Edit::Replace(file, from, to.into())
}

fn append(file: &'static str, text: impl Into<String>) -> Edit {
    Edit::Append(file, text.into())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the minimal fixture with the edits applied.
fn edited(edits: &[Edit]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("minimal"), dir.path());
    for edit in edits {
        match edit {
            Edit::Replace(file, from, to) => {
                let path = dir.path().join(file);
                let text = std::fs::read_to_string(&path).unwrap();
                assert_eq!(
                    text.matches(from).count(),
                    1,
                    "the fixture edit must match exactly once in {file}: {from}"
                );
                std::fs::write(&path, text.replace(from, to)).unwrap();
            }
            Edit::Append(file, more) => {
                let path = dir.path().join(file);
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, format!("{text}{more}")).unwrap();
            }
            Edit::Remove(file) => std::fs::remove_file(dir.path().join(file)).unwrap(),
        }
    }
    dir
}

/// Loads a folder that must be refused, returning its errors.
fn errors_of(dir: &Path) -> LoadErrors {
    match Knowledge::load(dir) {
        Ok(_) => panic!("the broken knowledge in {} was accepted", dir.display()),
        Err(errors) => errors,
    }
}

/// Asserts one error is about `file`:`line`, entry `entry`, says `says`, and
/// tells how to fix it; both in its fields and in the printed message.
fn assert_reported(
    errors: &LoadErrors,
    file: &str,
    line: usize,
    entry: Option<&str>,
    says: &str,
) -> KnowledgeError {
    let found = errors.0.iter().find(|e| {
        e.file.file_name().and_then(|n| n.to_str()) == Some(file)
            && e.line == Some(line)
            && e.entry.as_deref() == entry
            && format!("{} {}", e.message, e.fix).contains(says)
    });
    let Some(error) = found else {
        panic!("expected an error in {file}:{line} for {entry:?} saying {says:?}; got:\n{errors}");
    };
    let printed = error.to_string();
    assert!(
        printed.contains(&format!("{file}:{line}")),
        "names file and line: {printed}"
    );
    if let Some(id) = entry {
        assert!(
            printed.contains(&format!("entry `{id}`")),
            "names the entry: {printed}"
        );
    }
    assert!(!error.fix.trim().is_empty(), "says how to fix: {printed}");
    assert!(printed.contains("fix:"), "prints the fix: {printed}");
    error.clone()
}

#[test]
fn the_minimal_fixture_is_valid() {
    let k = Knowledge::load(&fixtures().join("minimal")).unwrap_or_else(|e| panic!("{e}"));
    let stats = k.stats();
    assert_eq!(
        (stats.sources, stats.people, stats.events),
        (1, 2, 1),
        "{stats}"
    );
    assert_eq!((stats.figures, stats.quotes, stats.intents), (1, 1, 2));
}

/// `broken!(test_name, [edits], file, line, entry, words the error must contain);`
macro_rules! broken {
    ($name:ident, [$($edit:expr),+ $(,)?], $file:expr, $line:expr, $entry:expr, $says:expr) => {
        #[test]
        fn $name() {
            let dir = edited(&[$($edit),+]);
            assert_reported(&errors_of(dir.path()), $file, $line, $entry, $says);
        }
    };
}

const ANOTHER_BMA: &str = r#"
[[person]]
id = "bma"
name = "BMA again"
kind = "organisation"
description = "A second entry with the same id."
source = "test-article"
evidence = "the British Medical Association (BMA)"
"#;

// One line per rule, so adding a case is one line.
#[rustfmt::skip]
mod rules {
    use super::*;

    // The appended entry starts two lines after the 25 lines of people.toml.
    broken!(duplicate_id, [append("people.toml", ANOTHER_BMA)], "people.toml", 28, Some("bma"), "already used by the entry on line 19");
    broken!(id_with_capitals_and_underscores, [replace("quotes.toml", r#"id = "streeting-deal-to-be-done""#, r#"id = "Streeting_Deal""#)], "quotes.toml", 1, Some("Streeting_Deal"), "lower-case words joined by hyphens");
    broken!(id_with_spaces, [replace("figures.toml", r#"id = "postponed-strike-2024-06""#, r#"id = "postponed strike""#)], "figures.toml", 1, Some("postponed strike"), "use only a-z, 0-9 and '-'");
    broken!(unknown_source, [replace("figures.toml", r#"source = "test-article""#, r#"source = "no-such-article""#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "names no entry of sources.toml");
    broken!(unknown_source_in_also, [append("events.toml", r#"also = [{ source = "elsewhere", evidence = "61,989" }]"#)], "events.toml", 1, Some("strike-2024-06"), "`source = \"elsewhere\"` names no entry of sources.toml");
    broken!(evidence_not_verbatim, [replace("events.toml", "2024, the 11th strike", "2024, the eleventh strike")], "events.toml", 1, Some("strike-2024-06"), "not found word for word in source `test-article`");
    broken!(role_evidence_not_verbatim, [replace("people.toml", "evidence = \"The Health Secretary, Wes Streeting\"\n\n[[person]]", "evidence = \"Health Secretary Wes Streeting\"\n\n[[person]]")], "people.toml", 1, Some("wes-streeting"), "`role.evidence` is not found word for word");
    broken!(quote_text_not_verbatim, [replace("quotes.toml", "I am encouraged that", "I am very encouraged that")], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "`text` is not found word for word");
    broken!(unknown_speaker, [replace("quotes.toml", r#"speaker = "wes-streeting""#, r#"speaker = "wes-streting""#)], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "`speaker` names `wes-streting`, which is not an id in people.toml");
    broken!(unknown_stated_by, [replace("figures.toml", r#"stated_by = "wes-streeting""#, r#"stated_by = "nhs-england""#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "`stated_by` names `nhs-england`");
    broken!(unknown_event_people, [replace("events.toml", r#"people = ["bma"]"#, r#"people = ["bma", "royal-college"]"#)], "events.toml", 1, Some("strike-2024-06"), "`people` names `royal-college`");
    broken!(unknown_role_organisation, [replace("people.toml", r#"organisation = "bma""#, r#"organisation = "dhsc""#)], "people.toml", 1, Some("wes-streeting"), "`role.organisation` names `dhsc`");
    broken!(unknown_figure_event, [replace("figures.toml", r#"event = "strike-2024-06""#, r#"event = "strike-2024-07""#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "`event` names `strike-2024-07`, which is not an id in events.toml");
    broken!(unknown_quote_event, [replace("quotes.toml", r#"event = "strike-2024-06""#, r#"event = "talks""#)], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "`event` names `talks`");
    broken!(inferred_date_without_note, [replace("events.toml", "date_note = \"five days from 27 June\"\n", "")], "events.toml", 1, Some("strike-2024-06"), "add `date_note = ");
    broken!(inferred_source_date_with_blank_note, [replace("sources.toml", r#"date_note = "it reports the June 2024 strike in the past tense""#, r#"date_note = "  ""#)], "sources.toml", 4, Some("test-article"), "`date` is inferred but has no note");
    broken!(inferred_as_of_without_note, [replace("figures.toml", "as_of_note = \"the article's date\"\n", "")], "figures.toml", 1, Some("postponed-strike-2024-06"), "`as_of` is inferred but has no note");
    broken!(malformed_date, [replace("quotes.toml", r#"date = "2024-07""#, r#"date = "July 2024""#)], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "`July 2024` is not a date: write 2024, early 2023, 2024-07, 2024-07-23");
    broken!(date_that_does_not_exist, [replace("sources.toml", r#"date = "2024-07""#, r#"date = "2024-02-30""#)], "sources.toml", 4, Some("test-article"), "is not a day of the calendar");
    broken!(backwards_range, [replace("events.toml", "2024-06-27..2024-07-01", "2024-07-01..2024-06-27")], "events.toml", 1, Some("strike-2024-06"), "ends before it starts: put the earlier date first");
    broken!(backwards_role_period, [replace("people.toml", r#"to = "2024-07""#, r#"to = "2024-05""#)], "people.toml", 1, Some("wes-streeting"), "swap `from` and `to`");
    broken!(empty_summary, [replace("events.toml", r#"summary = "Junior doctors walked out for five days from 27 June 2024.""#, r#"summary = """#)], "events.toml", 1, Some("strike-2024-06"), "`summary` is empty");
    broken!(blank_person_name, [replace("people.toml", r#"name = "Wes Streeting""#, r#"name = "   ""#)], "people.toml", 1, Some("wes-streeting"), "write the name; it is required");
    broken!(empty_evidence, [replace("figures.toml", r#"evidence = "61,989 appointments and operations were postponed""#, r#"evidence = """#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "`evidence` is empty");
    broken!(missing_required_field, [replace("figures.toml", "summary = \"NHS England said 61,989 appointments and operations were postponed.\"\n", "")], "figures.toml", 1, Some("postponed-strike-2024-06"), "missing field `summary`");
    broken!(unknown_field, [replace("events.toml", "ordinal = 11", "ordinal = 11\ncolour = \"red\"")], "events.toml", 1, Some("strike-2024-06"), "unknown field `colour`");
    broken!(misspelt_field, [replace("quotes.toml", "context =", "contxt =")], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "unknown field `contxt`");
    broken!(unknown_unit, [replace("figures.toml", r#"unit = "count""#, r#"unit = "furlongs""#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "unknown variant `furlongs`, expected one of `count`, `percent`");
    broken!(unknown_event_kind, [replace("events.toml", r#"kind = "strike""#, r#"kind = "picnic""#)], "events.toml", 1, Some("strike-2024-06"), "unknown variant `picnic`");
    broken!(figure_display_not_in_evidence, [replace("figures.toml", r#"display = "61,989""#, r#"display = "about 62,000""#)], "figures.toml", 1, Some("postponed-strike-2024-06"), "`display = \"about 62,000\"` is not written that way in its evidence");
    broken!(intent_pattern_that_does_not_compile, [replace("intents.toml", r"'\bhow many\b'", r"'\bhow (many\b'")], "intents.toml", 1, Some("figure"), "does not compile");
    broken!(intent_pattern_too_long, [replace("intents.toml", r"'\bhow many\b'", format!("'{}'", "a".repeat(501)))], "intents.toml", 1, Some("figure"), "longer than 500 characters");
    broken!(faq_without_citations, [replace("intents.toml", r#"citations = [{ source = "test-article", evidence = "would need a 35% pay rise" }]"#, "")], "intents.toml", 7, Some("demand"), "a faq answer must cite its source");
    broken!(faq_citation_not_verbatim, [replace("intents.toml", "would need a 35% pay rise", "would need a 40% pay rise")], "intents.toml", 7, Some("demand"), "`also.evidence` is not found word for word");
    broken!(intent_that_nothing_reaches, [replace("intents.toml", r"patterns = ['\bhow many\b']", "")], "intents.toml", 1, Some("figure"), "neither `patterns` nor `examples`");
    broken!(missing_article_file, [Edit::Remove("sources/article.txt")], "sources.toml", 4, Some("test-article"), "cannot read the article text");
}

const SECOND_HEALTH_SECRETARY_ROLE: &str = r#"
[[person.role]]
title = "health  secretary"
seen = ["2025"]
period_note = "a later article"
source = "test-article"
evidence = "The Health Secretary, Wes Streeting"

[[person]]
id = "bma""#;

// Issue 11: dates, roles and summaries no more precise than the articles.
#[rustfmt::skip]
mod precision_rules {
    use super::*;

    broken!(stated_event_date_not_written_in_evidence, [replace("events.toml", "date_basis = \"inferred\"\ndate_note = \"five days from 27 June\"", "date_basis = \"stated\"")], "events.toml", 1, Some("strike-2024-06"), "`date` is stated, but its evidence does not write 1 July 2024");
    broken!(stated_quote_date_not_written_in_its_text, [replace("quotes.toml", r#"date_basis = "inferred""#, r#"date_basis = "stated""#)], "quotes.toml", 1, Some("streeting-deal-to-be-done"), "does not write July 2024");
    broken!(stated_as_of_not_written_and_not_the_articles_date, [replace("figures.toml", "as_of_basis = \"inferred\"\nas_of_note = \"the article's date\"", "as_of_basis = \"stated\"")], "figures.toml", 1, Some("postponed-strike-2024-06"), "set `as_of_basis = \"inferred\"`");
    broken!(stated_role_period_not_written_in_evidence, [replace("people.toml", "period_note = \"the article's date\"\n", "period_basis = \"stated\"\n")], "people.toml", 1, Some("wes-streeting"), "has `period_basis = \"stated\"`, but its evidence does not write July 2024");
    broken!(inferred_role_period_without_note, [replace("people.toml", "period_note = \"the article's date\"\n", "")], "people.toml", 1, Some("wes-streeting"), "add `period_note = ");
    broken!(second_role_with_the_same_title, [replace("people.toml", "\n[[person]]\nid = \"bma\"", SECOND_HEALTH_SECRETARY_ROLE)], "people.toml", 1, Some("wes-streeting"), "second role titled `health  secretary`");
    broken!(seen_in_post_after_being_former, [replace("people.toml", "to = \"2024-07\"\n", "to = \"2024-07\"\nseen = [\"2024-09\"]\nformer_by = \"2024-08\"\n")], "people.toml", 1, Some("wes-streeting"), "seen in post in September 2024 but a former holder by August 2024");
    broken!(role_also_not_verbatim, [replace("people.toml", "to = \"2024-07\"\n", "to = \"2024-07\"\nalso = [{ source = \"test-article\", evidence = \"Health Secretary Wes Streeting\" }]\n")], "people.toml", 1, Some("wes-streeting"), "`role.also.evidence` is not found word for word");
    broken!(summary_names_a_day_no_date_gives, [replace("figures.toml", "summary = \"NHS England said", "summary = \"On 3 July 2024 NHS England said")], "figures.toml", 1, Some("postponed-strike-2024-06"), "`summary` names 3 July 2024, finer than the entry's date (July 2024)");
    broken!(summary_names_a_month_within_early_in_the_year, [replace("figures.toml", "as_of = \"2024-07\"", "as_of = \"early 2024\""), replace("figures.toml", "summary = \"NHS England said", "summary = \"In March 2024 NHS England said")], "figures.toml", 1, Some("postponed-strike-2024-06"), "names March 2024, finer than the entry's date (early 2024)");
    broken!(description_names_a_month_no_date_gives, [replace("people.toml", "description = \"Wes Streeting is the Health Secretary.\"", "description = \"Wes Streeting was Health Secretary in March 2023.\"")], "people.toml", 1, Some("wes-streeting"), "`description` names March 2023");
    broken!(unknown_qualifier_lists_the_accepted_ones, [replace("figures.toml", "unit = \"count\"", "unit = \"count\"\nqualifier = \"loads of\"")], "figures.toml", 1, Some("postponed-strike-2024-06"), "unknown qualifier `loads of`, expected one of `exact`, `more than`");
}

/// `loads!(test_name, [edits]);`: the edited minimal fixture is accepted.
macro_rules! loads {
    ($name:ident, [$($edit:expr),+ $(,)?]) => {
        #[test]
        fn $name() {
            let dir = edited(&[$($edit),+]);
            Knowledge::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        }
    };
}

#[rustfmt::skip]
mod precision_accepted {
    use super::*;

    loads!(qualifier_with_spaces_and_capitals, [replace("figures.toml", "unit = \"count\"", "unit = \"count\"\nqualifier = \"More Than\"")]);
    loads!(qualifier_with_hyphens, [replace("figures.toml", "unit = \"count\"", "unit = \"count\"\nqualifier = \"as-low-as\"")]);
    loads!(early_in_the_year_and_by_a_date, [replace("quotes.toml", r#"date = "2024-07""#, r#"date = "..2024-07""#), replace("figures.toml", r#"as_of = "2024-07""#, r#"as_of = "early 2024""#)]);
    loads!(a_role_seen_in_post_and_former_by, [replace("people.toml", "from = \"2024-07\"\nto = \"2024-07\"\n", "seen = [\"2024-07\"]\nformer_by = \"2024-08\"\n")]);
    loads!(a_summary_naming_an_events_day, [replace("figures.toml", "summary = \"NHS England said", "summary = \"After the strike from 27 June 2024, NHS England said")]);
    loads!(a_stated_date_the_evidence_writes, [replace("events.toml", "date = \"2024-06-27..2024-07-01\"\ndate_basis = \"inferred\"\ndate_note = \"five days from 27 June\"", "date = \"2024-06-27\"\ndate_basis = \"stated\"")]);
}

#[test]
fn the_qualifier_is_read_whatever_its_spelling() {
    use dispute_bot::knowledge::Qualifier;
    for written in [
        "more than",
        "more-than",
        "More Than",
        "  MORE   than ",
        "more_than",
    ] {
        assert_eq!(
            written.parse::<Qualifier>(),
            Ok(Qualifier::MoreThan),
            "{written:?}"
        );
    }
    assert!("morethan".parse::<Qualifier>().is_err());
}

// ---------------------------------------------------------------- the README's examples

/// The ```toml blocks of `knowledge/README.md`.
fn readme_toml_blocks() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/README.md"))
            .unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim()) {
            (None, "```toml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Every TOML example of the knowledge README loads, added to a copy of the
/// shipped knowledge: a moderator who copies one gets no error. The article
/// of the worked example is made of the examples' own evidence.
#[test]
fn every_toml_example_in_the_knowledge_readme_loads() {
    let blocks = readme_toml_blocks();
    assert!(blocks.len() >= 5, "found only {} examples", blocks.len());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        dir.path(),
    );
    let mut article = String::new();
    for (i, block) in blocks.iter().enumerate() {
        let value: toml::Table = toml::from_str(block)
            .unwrap_or_else(|e| panic!("example {i} is not TOML: {e}\n{block}"));
        let (table, file) = match value.keys().next().map(String::as_str) {
            Some("source") => ("source", "sources.toml"),
            Some("event") => ("event", "events.toml"),
            Some("figure") => ("figure", "figures.toml"),
            Some("quote") => ("quote", "quotes.toml"),
            Some("person") => ("person", "people.toml"),
            other => panic!("example {i} has an unexpected table {other:?}"),
        };
        // `[[person.role]]` alone reads as one `person` table, not an array.
        let entries = match &value[table] {
            toml::Value::Array(entries) => entries.clone(),
            one => vec![one.clone()],
        };
        for entry in &entries {
            let entry = entry.as_table().unwrap();
            let roles = entry
                .get("role")
                .and_then(|r| r.as_array())
                .cloned()
                .unwrap_or_default();
            for cited in std::iter::once(entry).chain(roles.iter().filter_map(|r| r.as_table())) {
                if cited.get("source").and_then(|s| s.as_str()) == Some("talks-collapse") {
                    article.push_str(cited["evidence"].as_str().unwrap());
                    article.push_str(".\n");
                }
            }
        }
        // A role alone belongs to a person: give each one a person of its own.
        let text = if block.trim_start().starts_with("[[person.role]]") {
            format!("\n[[person]]\nid = \"readme-example-{i}\"\nname = \"Readme Example {i}\"\nkind = \"person\"\ndescription = \"An example.\"\nsource = \"mediated-talks\"\nevidence = \"Dr Robert Laurenson\"\n\n{block}")
        } else {
            format!("\n{block}")
        };
        let path = dir.path().join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, before + &text).unwrap();
    }
    std::fs::write(dir.path().join("sources/my-article.txt"), article).unwrap();
    let k = Knowledge::load(dir.path())
        .unwrap_or_else(|e| panic!("the README's examples do not load:\n{e}"));
    let figure = k
        .figures
        .iter()
        .find(|f| f.id.as_str() == "postponed-strike-2024-09")
        .expect("the example figure");
    assert_eq!(
        figure.qualifier,
        dispute_bot::knowledge::Qualifier::MoreThan
    );
}

/// The `/kb` examples of the top-level README work on the shipped knowledge.
#[test]
fn the_readme_kb_examples_work_on_the_shipped_knowledge() {
    use dispute_bot::knowledge::{Actor, Kind, KnowledgeStore};
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        dir.path(),
    );
    let store = KnowledgeStore::open(dir.path());
    let actor = Actor::new("1", "readme");
    let kind_of = |name: &str| match name {
        "figure" => Kind::Figure,
        "quote" => Kind::Quote,
        "event" => Kind::Event,
        "person" => Kind::Person,
        other => panic!("an example of kind {other}"),
    };
    let option = |line: &str, key: &str| -> Option<String> {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{key}:")).map(str::to_string))
    };
    let mut tried = 0;
    for line in readme
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("/kb "))
    {
        let Some(kind) = option(line, "kind") else {
            continue;
        };
        if line.starts_with("/kb add") {
            let Some((_, toml)) = line.split_once(" toml:") else {
                continue;
            };
            if toml.contains("...") && !toml.contains("summary = \"...\"") {
                continue; // an outline ("{ title = \"...\", ... }"), not an entry
            }
            let table: toml::Table = toml::from_str(&format!("entry = {toml}"))
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let fields = toml::to_string(table["entry"].as_table().unwrap()).unwrap();
            store
                .add(&actor, kind_of(&kind), &fields, None)
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        } else if line.starts_with("/kb edit") {
            let id = option(line, "id").unwrap();
            let field = option(line, "field").unwrap();
            // What follows two spaces and a parenthesis is the README's comment.
            let command = line.split("  (").next().unwrap_or(line);
            let value = command.split_once(" value:").map(|(_, v)| v.trim());
            store
                .edit(&actor, kind_of(&kind), &id, &[(field.as_str(), value)])
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        } else if line.starts_with("/kb remove") {
            store
                .remove(&actor, kind_of(&kind), &option(line, "id").unwrap())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        } else if line.starts_with("/kb show") {
            store
                .show(kind_of(&kind), &option(line, "id").unwrap())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        } else {
            continue;
        }
        tried += 1;
    }
    assert!(tried >= 5, "only {tried} /kb examples found");
    Knowledge::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
}

// ---------------------------------------------------------------- issue 11 in the shipped knowledge

#[test]
fn one_role_per_post_in_the_shipped_knowledge() {
    let k = shipped();
    let streeting = k
        .people
        .iter()
        .find(|p| p.id.as_str() == "wes-streeting")
        .unwrap();
    let health: Vec<_> = streeting
        .roles
        .iter()
        .filter(|r| r.title.contains("Secretary"))
        .collect();
    assert_eq!(health.len(), 1, "{health:?}");
    assert_eq!(
        health[0].period_phrase(),
        "from July 2024; still in post in 2025"
    );
}

#[test]
fn role_periods_say_no_more_than_the_articles() {
    let k = shipped();
    let phrase = |id: &str| {
        let p = k.people.iter().find(|p| p.id.as_str() == id).unwrap();
        p.roles[0].period_phrase()
    };
    for (id, expected) in [
        (
            "steve-barclay",
            "seen in post in early 2023; a former holder by July 2024",
        ),
        ("victoria-atkins", "a former holder by July 2024"),
        ("stephen-powis", "seen in post in early 2023"),
        ("melissa-ryan", "seen in post in 2025"),
        ("ross-nieuwoudt", "seen in post in 2025"),
        (
            "vivek-trivedi",
            "seen in post in early 2023, on 15 May 2024 and in July 2024",
        ),
        (
            "robert-laurenson",
            "seen in post on 15 May 2024 and in July 2024",
        ),
    ] {
        assert_eq!(phrase(id), expected, "{id}");
    }
}

#[test]
fn the_early_2023_article_is_dated_early_2023_not_march() {
    let k = shipped();
    let source = k
        .sources
        .iter()
        .find(|s| s.id.as_str() == "three-day-strike-barclay")
        .unwrap();
    assert_eq!(source.date.to_string(), "early 2023");
    assert!(source
        .date_note
        .as_deref()
        .unwrap()
        .contains("so far this winter"));
    let strike = k
        .events
        .iter()
        .find(|e| e.id.as_str() == "strike-2023-03")
        .unwrap();
    assert_eq!(strike.date.to_string(), "early 2023");
    let mut march = Vec::new();
    for e in &k.events {
        if e.summary.contains("March 2023") || e.title.contains("March 2023") {
            march.push(e.id.to_string());
        }
    }
    for f in &k.figures {
        if f.summary.contains("March 2023") || f.measure.contains("March 2023") {
            march.push(f.id.to_string());
        }
    }
    for q in &k.quotes {
        if q.context.contains("March 2023") {
            march.push(q.id.to_string());
        }
    }
    for p in &k.people {
        if p.description.contains("March 2023") {
            march.push(p.id.to_string());
        }
    }
    assert!(march.is_empty(), "still say March 2023: {march:?}");
}

#[test]
fn the_mediated_talks_article_dates_only_itself_15_may_2024() {
    let k = shipped();
    for id in [
        "mediated-talks-2024-05",
        "bma-x-post-2024-05",
        "ballot-2024",
    ] {
        let e = k.event(&dispute_bot::knowledge::Id(id.into())).unwrap();
        assert_eq!(e.date.to_string(), "by 15 May 2024", "{id}");
        assert_eq!(
            e.date_basis,
            dispute_bot::knowledge::DateBasis::Inferred,
            "{id}"
        );
    }
}

#[test]
fn the_2024_co_chairs_statements_are_theirs() {
    let k = shipped();
    for q in k
        .quotes
        .iter()
        .filter(|q| q.source.as_str() != "talks-resume-after-twelfth-strike")
    {
        assert_ne!(
            q.speaker.as_str(),
            "bma-junior-doctors-committee",
            "{}",
            q.id
        );
    }
    assert!(
        !k.quotes.iter().any(|q| q.text == "mediated talks"),
        "a phrase no one is said to have said"
    );
    for id in [
        "streeting-terrible-economic-circumstances",
        "streeting-repeated-that-message",
    ] {
        let q = k.quotes.iter().find(|q| q.id.as_str() == id).unwrap();
        assert_eq!(q.event, None, "{id} is not tied to one meeting");
    }
}

#[test]
fn dates_known_only_by_their_end_have_no_invented_start() {
    let k = shipped();
    for id in [
        "labour-opposition-stance",
        "streeting-rejects-35-percent",
        "previous-government-trust-barrier",
    ] {
        let e = k.event(&dispute_bot::knowledge::Id(id.into())).unwrap();
        assert!(e.date.has_open_start(), "{id}: {}", e.date);
        assert_eq!(e.date.to_string(), "by July 2024");
    }
}

#[test]
fn toml_syntax_error_names_line_and_column() {
    let dir = edited(&[replace(
        "figures.toml",
        r#"measure = "appointments postponed during the June 2024 strike""#,
        r#"measure = "appointments postponed"#,
    )]);
    let errors = errors_of(dir.path());
    let error = assert_reported(&errors, "figures.toml", 3, None, "not valid TOML");
    assert!(error.column.is_some(), "{error}");
    assert!(error.to_string().contains("figures.toml:3:"), "{error}");
}

#[test]
fn a_table_of_the_wrong_kind_is_reported() {
    let dir = edited(&[append("quotes.toml", "\n[[qoute]]\nid = \"typo\"\n")]);
    let errors = errors_of(dir.path());
    let error = errors
        .0
        .iter()
        .find(|e| e.message.contains("unexpected table `[[qoute]]`"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert!(error.fix.contains("only `[[quote]]` entries"), "{error}");
}

#[test]
fn reports_every_error_at_once() {
    let dir = edited(&[
        replace("figures.toml", r#"unit = "count""#, r#"unit = "furlongs""#),
        replace(
            "events.toml",
            "2024, the 11th strike",
            "2024, the 12th strike",
        ),
        replace(
            "quotes.toml",
            r#"speaker = "wes-streeting""#,
            r#"speaker = "someone""#,
        ),
        replace(
            "sources.toml",
            "it reports the June 2024 strike in the past tense",
            "",
        ),
        replace("intents.toml", r"'\bhow many\b'", r"'(('"),
    ]);
    let errors = errors_of(dir.path());
    assert_reported(
        &errors,
        "figures.toml",
        1,
        Some("postponed-strike-2024-06"),
        "furlongs",
    );
    assert_reported(
        &errors,
        "events.toml",
        1,
        Some("strike-2024-06"),
        "not found word for word",
    );
    assert_reported(
        &errors,
        "quotes.toml",
        1,
        Some("streeting-deal-to-be-done"),
        "`speaker` names `someone`",
    );
    assert_reported(
        &errors,
        "sources.toml",
        4,
        Some("test-article"),
        "inferred but has no note",
    );
    assert_reported(
        &errors,
        "intents.toml",
        1,
        Some("figure"),
        "does not compile",
    );
    let printed = errors.to_string();
    assert!(
        printed.starts_with(&format!("{} error(s) in the knowledge", errors.0.len())),
        "{printed}"
    );
}

#[test]
fn the_static_broken_fixture_is_refused_with_several_errors() {
    let errors = errors_of(&fixtures().join("broken"));
    assert!(errors.0.len() >= 3, "{errors}");
    assert_reported(
        &errors,
        "figures.toml",
        1,
        Some("postponed-strike-2024-06"),
        "not written that way in its evidence",
    );
}

// ---------------------------------------------------------------- the shipped knowledge

fn shipped() -> Knowledge {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    Knowledge::load(&dir).unwrap_or_else(|errors| panic!("{errors}"))
}

/// White space runs become one space, curly quotes straight: what the README
/// allows to differ between evidence and article. Written here independently
/// of the loader's own folding, so a bug there cannot hide itself.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
}

#[test]
fn the_shipped_knowledge_loads() {
    shipped();
}

#[test]
fn every_shipped_evidence_and_quote_is_verbatim_in_its_article() {
    let k = shipped();
    let mut cited: Vec<(String, &str, &str)> = Vec::new();
    for p in &k.people {
        cited.push((format!("person {}", p.id), p.source.as_str(), &p.evidence));
        for r in &p.roles {
            cited.push((format!("role of {}", p.id), r.source.as_str(), &r.evidence));
        }
        for c in &p.also {
            cited.push((
                format!("person {} also", p.id),
                c.source.as_str(),
                &c.evidence,
            ));
        }
    }
    for e in &k.events {
        cited.push((format!("event {}", e.id), e.source.as_str(), &e.evidence));
        for c in &e.also {
            cited.push((
                format!("event {} also", e.id),
                c.source.as_str(),
                &c.evidence,
            ));
        }
    }
    for f in &k.figures {
        cited.push((format!("figure {}", f.id), f.source.as_str(), &f.evidence));
        for c in &f.also {
            cited.push((
                format!("figure {} also", f.id),
                c.source.as_str(),
                &c.evidence,
            ));
        }
    }
    for q in &k.quotes {
        cited.push((format!("quote {}", q.id), q.source.as_str(), &q.text));
    }
    for i in &k.intents {
        for c in &i.citations {
            cited.push((format!("intent {}", i.id), c.source.as_str(), &c.evidence));
        }
    }
    assert!(cited.len() > 100, "only {} citations", cited.len());
    let mut missing = Vec::new();
    for (what, source, words) in &cited {
        let source = k
            .sources
            .iter()
            .find(|s| s.id.as_str() == *source)
            .unwrap_or_else(|| panic!("{what} cites unknown source {source}"));
        let article = std::fs::read_to_string(k.root.join(&source.file)).unwrap();
        if words.trim().is_empty() || !normalised(&article).contains(&normalised(words)) {
            missing.push(format!("{what}: {words:?} not in {}", source.file));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_figure_display_is_in_its_evidence() {
    for f in &shipped().figures {
        assert!(
            normalised(&f.evidence)
                .to_lowercase()
                .contains(&normalised(&f.display).to_lowercase()),
            "figure {}: {:?} not in {:?}",
            f.id,
            f.display,
            f.evidence
        );
    }
}

#[test]
fn check_counts_every_kind() {
    let stats = shipped().stats();
    for (kind, count) in [
        ("sources", stats.sources),
        ("people", stats.people),
        ("events", stats.events),
        ("figures", stats.figures),
        ("quotes", stats.quotes),
        ("intents", stats.intents),
    ] {
        assert!(count > 0, "no {kind} in the shipped knowledge");
    }
    assert_eq!(stats.sources, 5, "one source per article");
    assert!(
        stats.first.is_some() && stats.first <= stats.last,
        "{stats}"
    );
}

#[test]
fn every_source_file_is_an_article_of_the_knowledge_folder() {
    let k = shipped();
    for s in &k.sources {
        let text = std::fs::read_to_string(k.root.join(&s.file)).unwrap();
        assert!(text.len() > 500, "{} looks truncated", s.file);
        assert!(!s.title.trim().is_empty());
    }
}

#[test]
fn events_are_in_date_order() {
    let k = shipped();
    for pair in k.events.windows(2) {
        assert!(
            pair[0].date.sort_key() <= pair[1].date.sort_key(),
            "{} before {}",
            pair[0].id,
            pair[1].id
        );
    }
}

/// `reported_once!(test_name, [edits]);`: the broken entry's own error, and no
/// "names no entry" errors at the entries that refer to it.
macro_rules! reported_once {
    ($name:ident, [$($edit:expr),+ $(,)?]) => {
        #[test]
        fn $name() {
            let dir = edited(&[$($edit),+]);
            let errors = errors_of(dir.path());
            assert_eq!(errors.0.len(), 1, "{errors}");
        }
    };
}

#[rustfmt::skip]
mod no_cascades {
    use super::*;

    reported_once!(a_source_with_a_bad_date_does_not_break_its_citations, [replace("sources.toml", r#"date = "2024-07""#, r#"date = "July 2024""#)]);
    reported_once!(a_missing_article_does_not_break_its_citations, [Edit::Remove("sources/article.txt")]);
    reported_once!(an_event_of_unknown_kind_does_not_break_references_to_it, [replace("events.toml", r#"kind = "strike""#, r#"kind = "picnic""#)]);
    reported_once!(a_person_with_an_unknown_field_does_not_break_references_to_it, [replace("people.toml", r#"aliases = ["Streeting"]"#, r#"alias = ["Streeting"]"#)]);
    reported_once!(a_people_file_that_is_not_toml_does_not_break_references_to_it, [replace("people.toml", r#"name = "Wes Streeting""#, r#"name = "Wes Streeting"#)]);
}

// The path rule and the size limits (issue 15): one line per case.
#[rustfmt::skip]
mod paths_and_limits {
    use super::*;
    const FILE: &str = r#"file = "sources/article.txt""#;
    broken!(source_file_absolute, [replace("sources.toml", FILE, r#"file = "/proc/self/environ""#)], "sources.toml", 4, Some("test-article"), "`file = \"/proc/self/environ\"` is an absolute path");
    broken!(source_file_going_up, [replace("sources.toml", FILE, r#"file = "sources/../../outside.txt""#)], "sources.toml", 4, Some("test-article"), "goes up a folder with `..`");
    broken!(source_file_outside_sources, [replace("sources.toml", FILE, r#"file = "people.toml""#)], "sources.toml", 4, Some("test-article"), "is not inside `sources/`");
    broken!(source_file_with_backslashes, [replace("sources.toml", FILE, r#"file = 'sources\..\..\outside.txt'"#)], "sources.toml", 4, Some("test-article"), "contains a backslash");
    broken!(source_file_with_nul, [replace("sources.toml", FILE, r#"file = "sources/article.txt\u0000""#)], "sources.toml", 4, Some("test-article"), "contains a control character");
    broken!(source_file_with_drive, [replace("sources.toml", FILE, r#"file = "C:/sources/article.txt""#)], "sources.toml", 4, Some("test-article"), "drive prefix");
    broken!(source_file_too_long, [replace("sources.toml", FILE, format!(r#"file = "sources/{}.txt""#, "a".repeat(10_000)))], "sources.toml", 4, Some("test-article"), "longer than 200 bytes");
    broken!(id_too_long, [replace("sources.toml", r#"id = "test-article""#, format!(r#"id = "{}""#, "a".repeat(101)))], "sources.toml", 4, Some(format!("{}... (101 characters)", "a".repeat(60)).as_str()), "longer than 100 characters");
    broken!(text_too_long, [replace("figures.toml", "NHS England said 61,989 appointments and operations were postponed.", "a".repeat(2_001))], "figures.toml", 1, Some("postponed-strike-2024-06"), "`summary` is 2001 characters long, more than 2000");
}

#[cfg(unix)]
#[test]
fn a_source_file_linked_out_of_the_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "DISCORD_TOKEN=abc").unwrap();
    let dir = edited(&[replace(
        "sources.toml",
        r#"file = "sources/article.txt""#,
        r#"file = "sources/linked.txt""#,
    )]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("sources/linked.txt"),
    )
    .unwrap();
    let error = assert_reported(
        &errors_of(dir.path()),
        "sources.toml",
        4,
        Some("test-article"),
        "goes through the symbolic link `sources/linked.txt`",
    );
    assert!(!error.to_string().contains("DISCORD_TOKEN"), "{error}");
}
