//! The `dispute-bot` binary, run as a user or a script would run it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bot() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dispute-bot"));
    // The default knowledge folder, whatever the caller's environment says.
    command.env_remove("DISPUTE_BOT_KNOWLEDGE");
    command
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn check_passes_on_the_shipped_knowledge_and_prints_counts() {
    let output = bot().arg("check").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for kind in [
        "sources: 5",
        "people and organisations: ",
        "events: ",
        "figures: ",
        "quotes: ",
        "intents: ",
        "dates covered: ",
    ] {
        assert!(out.contains(kind), "{kind:?} missing from:\n{out}");
    }
    assert!(!out.contains("events: 0\n"), "{out}");
}

#[test]
fn check_refuses_a_broken_folder_with_file_and_line() {
    let output = bot()
        .args(["check", "--knowledge"])
        .arg(fixture("broken"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("figures.toml:1: entry `postponed-strike-2024-06`"),
        "{err}"
    );
    assert!(
        err.contains("quotes.toml:1: entry `streeting-deal-to-be-done`"),
        "{err}"
    );
    assert!(
        err.contains("sources.toml:4: entry `test-article`"),
        "{err}"
    );
    assert!(err.contains("fix: "), "{err}");
}

#[test]
fn check_names_an_intent_whose_patterns_together_pass_the_size_limit() {
    let dir = shipped_copy();
    // Each pattern compiles alone (just under the 1 MB a pattern may take);
    // nine of them pass the 8 MB of a pattern set, so the intent could never match.
    let patterns: Vec<String> = (0..9).map(|n| format!("'\\w{{1,20}}{n}'")).collect();
    let intents = dir.path().join("intents.toml");
    let mut text = std::fs::read_to_string(&intents).unwrap();
    text.push_str(&format!(
        "\n[[intent]]\nid = \"too-many-words\"\ndescription = \"Too big to compile as one set\"\n\
         answer = \"fact\"\npatterns = [{}]\n",
        patterns.join(", ")
    ));
    std::fs::write(&intents, text).unwrap();
    let output = bot()
        .args(["check", "--knowledge"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("error: intent `too-many-words`"), "{err}");
    assert!(err.contains("size limit"), "{err}");
    assert!(err.contains("fix: "), "{err}");
}

#[test]
fn the_knowledge_folder_can_come_from_the_environment() {
    let output = bot()
        .arg("check")
        .env("DISPUTE_BOT_KNOWLEDGE", fixture("minimal"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("sources: 1"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn ask_answers_one_question_with_its_sources() {
    let output = bot()
        .args(["ask", "when did formal negotiations start?"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("23 July 2024"), "{out}");
    assert!(out.contains("Sources:"), "{out}");
}

#[test]
fn ask_json_reads_stdin_and_prints_one_line_per_question_in_order() {
    let questions = [
        "when did formal negotiations start?",
        "who will win the premier league?",
        "",
        "how many appointments were postponed by the June 2024 strike?",
    ];
    let mut child = bot()
        .args(["ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{}\n", questions.join("\n")).as_bytes())
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), questions.len(), "{out}");
    for (line, question) in lines.iter().zip(questions) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["question"], question);
        assert!(value["citations"].is_array());
    }
    let answered: Vec<bool> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["answered"] == true)
        .collect();
    assert_eq!(answered, [true, false, false, true]);
    assert!(lines[3].contains("61,989"), "{}", lines[3]);
}

#[test]
fn timeline_lists_strikes_in_date_order() {
    let output = bot()
        .args(["timeline", "--topic", "strike"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let position = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{out}"))
    };
    // The three-day strike's article gives no month: "early 2023" (issue 11).
    let march_2023 = position("early 2023");
    let february_2024 = position("24–28 February 2024");
    let june_2024 = position("27 June 2024");
    assert!(
        march_2023 < february_2024 && february_2024 < june_2024,
        "{out}"
    );
}

#[test]
fn timeline_keeps_to_the_dates_asked() {
    let output = bot()
        .args(["timeline", "--from", "2024-07", "--to", "2024-07"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("23 July 2024"), "{out}");
    assert!(!out.contains("March 2023"), "{out}");
    assert!(!out.contains("February 2024"), "{out}");
}

#[test]
fn a_bad_date_option_is_refused() {
    let output = bot()
        .args(["timeline", "--from", "last tuesday"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("is not a date"),
        "{}",
        stderr(&output)
    );
}

/// Copies the shipped knowledge (not its logs) into a new temporary folder.
fn shipped_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.ends_with(".jsonl") {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&*name));
            } else {
                std::fs::copy(entry.path(), to.join(&*name)).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        dir.path(),
    );
    dir
}

#[test]
fn kb_draft_writes_a_draft_that_check_accepts_and_apply_adds_as_one_change() {
    let dir = shipped_copy();
    let article = dir.path().join("article.txt");
    std::fs::write(
        &article,
        "Resident doctors will strike for five days from Monday, the BMA said.\n\n\
         Dr Sam Patel, co-chair of the resident doctors committee, said: “We have no choice.”\n",
    )
    .unwrap();
    let draft = dir.path().join("a.draft.toml");
    let output = bot()
        .args(["kb", "draft", "--date", "2025-06-18", "--out"])
        .arg(&draft)
        .arg(&article)
        .arg("--knowledge")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("1 quotes (0 to check)"), "{err}");
    assert!(err.contains("the draft loads: "), "{err}");
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("speaker = \"sam-patel\""), "{text}");
    assert!(text.contains("date = \"2025-06-23..2025-06-27\""), "{text}");

    let output = bot()
        .args(["check", "--draft"])
        .arg(&draft)
        .arg("--knowledge")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("OK, "), "{}", stdout(&output));
    // Until applied, nothing of it is known.
    assert!(stdout(&output).contains("sources: 5"));

    let output = bot()
        .args(["kb", "draft", "--actor", "ann", "--apply"])
        .arg(&draft)
        .arg("--knowledge")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("entries added as one change"),
        "{}",
        stdout(&output)
    );
    let output = bot()
        .arg("check")
        .arg("--knowledge")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("sources: 6"),
        "{}",
        stdout(&output)
    );
}
