//! Editing the knowledge: validated, atomic, serialised, audited, undoable
//! changes (`KnowledgeStore`, `dispute-bot kb`), and hot reload (`Live`).

use dispute_bot::engine::Engine;
use dispute_bot::knowledge::{
    Actor, EditError, FormValue, Kind, Knowledge, KnowledgeStore, Live, Op,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

#[path = "support/folders.rs"]
mod folders;
use folders::snapshot;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/editing");
const BIN: &str = env!("CARGO_BIN_EXE_dispute-bot");

/// A figure the fixture's article supports, not yet in the fixture.
const PAY_RISE: &str = r#"
measure = "pay rise the BMA says is needed to restore pay to 2008 levels"
value = 35
unit = "percent"
display = "35%"
as_of = "2024-07"
as_of_basis = "inferred"
as_of_note = "the article's date"
stated_by = "bma"
topics = ["pay", "demand"]
keywords = ["pay rise", "restore", "2008"]
summary = "The BMA says restoring pay to 2008 levels would need a 35% pay rise."
source = "test-article"
evidence = "would need a 35% pay rise"
"#;

/// A copy of the editing fixture in a fresh temporary folder.
fn knowledge() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(Path::new(FIXTURE), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file of the folder but the audit log and the lock, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out.retain(|p, _| p != Path::new("audit.jsonl") && p != Path::new(".kb.lock"));
    out
}

fn ann() -> Actor {
    Actor::new("1001", "Ann")
}

fn figure(measure: &str) -> String {
    PAY_RISE.replace(
        "pay rise the BMA says is needed to restore pay to 2008 levels",
        measure,
    )
}

#[test]
fn an_added_figure_is_used_by_the_next_answer() {
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let change = store.add(&ann(), Kind::Figure, PAY_RISE, None).unwrap();
    assert_eq!(change.op, Op::Add);
    assert_eq!(change.id, "pay-rise-bma-says-needed-restore");
    assert!(
        change.diff().contains("+ display = \"35%\""),
        "{}",
        change.diff()
    );

    let engine = Engine::new(store.load().unwrap());
    let answer = engine.answer("how many percent pay rise does the BMA say is needed?");
    assert!(answer.is_answered(), "{answer:?}");
    assert!(answer.text.contains("35%"), "{}", answer.text);
    assert_eq!(
        store.show(Kind::Figure, &change.id).unwrap(),
        change.after.clone().unwrap()
    );
}

#[test]
fn ids_are_proposed_from_titles_and_made_unique() {
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let first = store
        .add(&ann(), Kind::Figure, &figure("Pay rise, needed!"), None)
        .unwrap();
    let second = store
        .add(&ann(), Kind::Figure, &figure("Pay rise needed"), None)
        .unwrap();
    assert_eq!(first.id, "pay-rise-needed");
    assert_eq!(second.id, "pay-rise-needed-2");
    assert_eq!(
        store.propose_id(Kind::Figure, "Pay rise needed").unwrap(),
        "pay-rise-needed-3"
    );
    let taken = store.add(
        &ann(),
        Kind::Figure,
        &format!("id = \"pay-rise-needed\"\n{PAY_RISE}"),
        None,
    );
    assert!(
        matches!(taken, Err(EditError::Rejected(ref m)) if m.contains("already used")),
        "{taken:?}"
    );
}

#[test]
fn an_invalid_change_is_refused_with_the_loaders_message_and_nothing_is_written() {
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let before = files(dir.path());
    let cases: &[(Kind, &str, &str, &str)] = &[
        (
            Kind::Figure,
            "postponed-strike-2024-06",
            "evidence",
            "words the article never says",
        ),
        (
            Kind::Figure,
            "postponed-strike-2024-06",
            "event",
            "no-such-event",
        ),
        (Kind::Figure, "postponed-strike-2024-06", "unit", "bananas"),
        (Kind::Intent, "figure", "patterns", r#"['(unclosed']"#),
        (Kind::Person, "bma", "colour", "red"),
    ];
    for (kind, id, field, value) in cases {
        let result = store.edit(&ann(), *kind, id, &[(field, Some(value))]);
        let Err(EditError::Invalid(errors)) = result else {
            panic!("{field} = {value}: expected a validation error, got {result:?}")
        };
        let file = dir.path().join(kind.file());
        assert!(
            errors.0.iter().all(|e| e.file == file),
            "errors name the real file: {errors}"
        );
        assert_eq!(
            files(dir.path()),
            before,
            "{field} = {value} wrote something"
        );
    }
    let long = format!("['{}']", "a".repeat(501));
    let result = store.edit(
        &ann(),
        Kind::Intent,
        "figure",
        &[("patterns", Some(long.as_str()))],
    );
    assert!(
        matches!(&result, Err(EditError::Invalid(e)) if e.to_string().contains("longer than 500")),
        "{result:?}"
    );
    let result = store.remove(&ann(), Kind::Person, "bma");
    assert!(
        matches!(result, Err(EditError::Invalid(_))),
        "bma is still referred to: {result:?}"
    );
    assert_eq!(files(dir.path()), before);
    assert!(!dir.path().join("audit.jsonl").exists());
}

#[test]
fn a_form_keeps_text_as_typed_reads_other_values_and_refuses_a_field_given_twice() {
    use FormValue::{Read, Text};
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let before = files(dir.path());
    let twice = store
        .add_form(
            &ann(),
            Kind::Person,
            &[("name", Text("Dr Sam Patel")), ("name", Read("Sam Patel"))],
            None,
        )
        .unwrap_err();
    assert!(
        twice.to_string().contains("`name` is given twice"),
        "{twice}"
    );
    assert_eq!(files(dir.path()), before, "nothing written");

    // A description that reads as TOML (a quoted string) stays as typed; a
    // role, one line of TOML, is read as such.
    let change = store
        .add_form(
            &ann(),
            Kind::Person,
            &[
                ("name", Text("Wes Streeting's office")),
                ("kind", Read("organisation")),
                ("description", Text("\"The Health Secretary\"")),
                ("source", Text("test-article")),
                ("evidence", Text("The Health Secretary, Wes Streeting")),
                (
                    "role",
                    Read(r#"[{ title = "office of the Health Secretary", seen = ["2024-07"], period_basis = "inferred", period_note = "the article's date", source = "test-article", evidence = "The Health Secretary, Wes Streeting" }]"#),
                ),
            ],
            None,
        )
        .unwrap();
    let after = change.after.unwrap();
    assert!(
        after.contains("description = '\"The Health Secretary\"'\n")
            || after.contains("description = \"\\\"The Health Secretary\\\"\"\n"),
        "{after}"
    );
    let knowledge = Knowledge::load(dir.path()).unwrap();
    let office = knowledge
        .people
        .iter()
        .find(|p| p.name == "Wes Streeting's office")
        .unwrap();
    assert_eq!(office.description, "\"The Health Secretary\"");
    assert_eq!(office.roles[0].title, "office of the Health Secretary");
}

#[test]
fn edits_keep_comments_and_layout() {
    let dir = knowledge();
    let path = dir.path().join("figures.toml");
    let original = std::fs::read_to_string(&path)
        .unwrap()
        .replace("unit = \"count\"", "unit = \"count\"   # how it is counted")
        .replace("[[figure]]", "# The June strike.\n[[figure]]");
    std::fs::write(&path, &original).unwrap();
    let store = KnowledgeStore::open(dir.path());
    store
        .edit(
            &ann(),
            Kind::Figure,
            "postponed-strike-2024-06",
            &[("value", Some("62000")), ("unit", Some("count"))],
        )
        .unwrap();
    let edited = std::fs::read_to_string(&path).unwrap();
    assert_eq!(edited, original.replace("value = 61989", "value = 62000"));
}

#[test]
fn undo_restores_the_files_exactly() {
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let original = files(dir.path());
    let article = "The BMA said on Monday that 90% of members who voted backed more strikes.";
    let source = store
        .add(
            &ann(),
            Kind::Source,
            "title = \"BMA ballot result\"\ndate = \"2024-09\"\ndate_basis = \"stated\"\n",
            Some(article),
        )
        .unwrap();
    assert_eq!(source.id, "bma-ballot-result");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sources/bma-ballot-result.txt")).unwrap(),
        article
    );
    store.add(&ann(), Kind::Figure, PAY_RISE, None).unwrap();
    store
        .edit(
            &ann(),
            Kind::Figure,
            "postponed-strike-2024-06",
            &[
                ("summary", Some("NHS England said 61,989 were postponed.")),
                ("stated_by", None),
            ],
        )
        .unwrap();
    store
        .remove(&ann(), Kind::Quote, "streeting-deal-to-be-done")
        .unwrap();
    store
        .add_fields(
            &ann(),
            Kind::Intent,
            &[
                ("description", "What the BMA wants, asked another way"),
                ("answer", "faq"),
                ("examples", r#"["what is the bma asking for"]"#),
                ("response", "A 35% pay rise."),
                (
                    "citations",
                    r#"[{ source = "test-article", evidence = "would need a 35% pay rise" }]"#,
                ),
            ],
            None,
        )
        .unwrap();
    let edited = files(dir.path());

    let mut undos = Vec::new();
    for _ in 0..5 {
        undos.push(store.undo(&Actor::new("1002", "Bo"), None).unwrap());
    }
    assert_eq!(files(dir.path()), original, "every byte as before");
    assert_eq!(
        undos.iter().map(|u| u.undoes.unwrap()).collect::<Vec<_>>(),
        vec![5, 4, 3, 2, 1]
    );
    let nothing = store.undo(&ann(), None);
    assert!(
        matches!(nothing, Err(EditError::Rejected(_))),
        "{nothing:?}"
    );

    // Undoing the undos redoes the changes.
    for n in (6..=10).rev() {
        store.undo(&ann(), Some(n)).unwrap();
    }
    assert_eq!(files(dir.path()), edited);
    Knowledge::load(dir.path()).unwrap();

    let history = store.history(100).unwrap();
    assert_eq!(history.len(), 15);
    assert_eq!(history[0].change, 15);
    assert_eq!(history[14].actor, ann());
}

#[test]
fn undo_refuses_when_the_entry_changed_since() {
    let dir = knowledge();
    let store = KnowledgeStore::open(dir.path());
    let figure = "postponed-strike-2024-06";
    store
        .edit(&ann(), Kind::Figure, figure, &[("value", Some("1"))])
        .unwrap();
    store
        .edit(&ann(), Kind::Figure, figure, &[("value", Some("2"))])
        .unwrap();
    let before = files(dir.path());
    let result = store.undo(&ann(), Some(1));
    assert!(
        matches!(&result, Err(EditError::Rejected(m)) if m.contains("by change #2")),
        "{result:?}"
    );
    assert_eq!(files(dir.path()), before);
}

/// Ids of the figures in the folder.
fn figure_ids(dir: &Path) -> Vec<String> {
    Knowledge::load(dir)
        .unwrap()
        .figures
        .iter()
        .map(|f| f.id.0.clone())
        .collect()
}

#[test]
fn fifty_concurrent_edits_all_land() {
    let dir = knowledge();
    let shared = Arc::new(KnowledgeStore::open(dir.path()));
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let root = dir.path().to_path_buf();
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                // Half share one store, half open their own: the lock file
                // serialises them as it does separate processes.
                let own;
                let store = if i % 2 == 0 {
                    &*shared
                } else {
                    own = KnowledgeStore::open(&root);
                    &own
                };
                let actor = Actor::new(format!("{i}"), format!("moderator {i}"));
                store
                    .add(
                        &actor,
                        Kind::Figure,
                        &figure(&format!("thread figure {i}")),
                        None,
                    )
                    .unwrap()
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let ids = figure_ids(dir.path());
    let history = shared.history(1000).unwrap();
    assert_eq!(history.len(), 50);
    let mut numbers: Vec<u64> = history.iter().map(|c| c.change).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=50).collect::<Vec<_>>());
    for i in 0..50 {
        let id = format!("thread-figure-{i}");
        assert!(ids.contains(&id), "{id} missing");
        assert!(history
            .iter()
            .any(|c| c.id == id && c.actor.id == i.to_string()));
    }
}

fn kb(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--knowledge")
        .arg(dir)
        .arg("kb")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn processes_editing_at_once_all_land() {
    let dir = knowledge();
    let inputs = tempfile::tempdir().unwrap();
    let workers: Vec<_> = (0..3)
        .map(|p| {
            let root = dir.path().to_path_buf();
            let inputs = inputs.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..4 {
                    let entry = inputs.join(format!("{p}-{i}.toml"));
                    std::fs::write(&entry, figure(&format!("process {p} figure {i}"))).unwrap();
                    let actor = format!("p{p}");
                    let out = kb(
                        &root,
                        &[
                            "add",
                            "figure",
                            "--file",
                            entry.to_str().unwrap(),
                            "--actor",
                            &actor,
                        ],
                    );
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let expected = format!("add figure `process-{p}-figure-{i}` by p{p}");
                    assert!(stdout.contains(&expected), "{stdout}");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let ids = figure_ids(dir.path());
    for p in 0..3 {
        for i in 0..4 {
            assert!(ids.contains(&format!("process-{p}-figure-{i}")));
        }
    }
    let out = kb(dir.path(), &["history", "--limit", "100"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 12);
}

#[test]
fn the_kb_command_shows_edits_refuses_and_undoes() {
    let dir = knowledge();
    let original = files(dir.path());
    let id = "postponed-strike-2024-06";
    let out = kb(
        dir.path(),
        &[
            "edit",
            "figure",
            id,
            "--set",
            "summary=NHS England said 61,989 were postponed.",
            "--set",
            r#"topics=["postponements", "impact"]"#,
            "--actor",
            "ann",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("#1 edit figure `{id}` by ann (cli:ann)")),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ summary = \"NHS England said 61,989 were postponed.\"\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- topics = [\"postponements\"]\n"),
        "{stdout}"
    );

    let out = kb(dir.path(), &["show", "figure", id]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("topics = [\"postponements\", \"impact\"]")
    );

    let out = kb(
        dir.path(),
        &["edit", "figure", id, "--set", "evidence=not in the article"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("figures.toml") && stderr.contains("evidence"),
        "{stderr}"
    );

    let out = kb(dir.path(), &["undo", "--actor", "bo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("undoing #1"));
    assert_eq!(files(dir.path()), original);

    let out = kb(dir.path(), &["history"]);
    let history = String::from_utf8_lossy(&out.stdout);
    assert!(
        history.starts_with("#2 undo figure") && history.contains("\n#1 edit figure"),
        "{history}"
    );
}

/// How long to wait for a reload before failing: a guard against a hang, not
/// a speed requirement (a reload takes milliseconds after the 200 ms debounce).
const PATIENCE: Duration = Duration::from_secs(60);

/// Waits for a reload outcome that `done` accepts; fails after [`PATIENCE`].
fn wait_for(
    reloads: &mpsc::Receiver<dispute_bot::knowledge::Reload>,
    what: &str,
    done: impl Fn(&dispute_bot::knowledge::Reload) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match reloads.recv_timeout(left) {
            Ok(outcome) if done(&outcome) => return,
            Ok(_) => continue,
            Err(_) => panic!("no reload {what} within {PATIENCE:?}"),
        }
    }
}

/// Replaces a file the way editors that save safely do.
fn hand_edit(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

#[test]
fn hot_reload_picks_up_hand_edits_and_keeps_the_last_good_knowledge() {
    let dir = knowledge();
    let live = Arc::new(Live::load(dir.path(), Engine::new).unwrap());
    let (tx, rx) = mpsc::channel();
    let _watcher = live.watch(move |outcome| drop(tx.send(outcome))).unwrap();
    let figures = |live: &Live<Engine>| live.current().knowledge().figures.len();
    assert_eq!(figures(&live), 1);

    let path = dir.path().join("figures.toml");
    let good = format!(
        "{}\n[[figure]]\nid = \"pay-rise\"{PAY_RISE}",
        std::fs::read_to_string(&path).unwrap()
    );
    hand_edit(&path, &good);
    wait_for(&rx, "with the new figure", |o| {
        o.as_ref().is_ok_and(|s| s.figures == 2)
    });
    assert_eq!(figures(&live), 2);
    let answer = live
        .current()
        .answer("how many percent pay rise does the BMA say is needed?");
    assert!(answer.text.contains("35%"), "{}", answer.text);

    hand_edit(
        &path,
        &good.replace("value = 35", "value = \"thirty-five\""),
    );
    wait_for(&rx, "failing", |o| o.is_err());
    assert_eq!(figures(&live), 2, "the last good knowledge stays");
    let errors = live.reload().unwrap_err();
    assert!(errors.to_string().contains("pay-rise"), "{errors}");

    // A change through the store is picked up the same way.
    hand_edit(&path, &good);
    wait_for(&rx, "after the fix", |o| o.is_ok());
    let store = KnowledgeStore::open(dir.path());
    store.remove(&ann(), Kind::Figure, "pay-rise").unwrap();
    wait_for(&rx, "after the removal", |o| {
        o.as_ref().is_ok_and(|s| s.figures == 1)
    });
    assert_eq!(figures(&live), 1);
}

/// A small deterministic generator for the kill delays (no rand dependency).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn a_writer_killed_at_random_points_leaves_valid_knowledge() {
    let dir = knowledge();
    let path = dir.path().join("figures.toml");
    let id = "postponed-strike-2024-06";
    let edit = |value: u64| {
        Command::new(BIN)
            .arg("--knowledge")
            .arg(dir.path())
            .args([
                "kb",
                "edit",
                "figure",
                id,
                "--set",
                &format!("value={value}"),
                "--actor",
                "crash",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long one save takes, so kills fall anywhere in it.
    let started = Instant::now();
    assert!(edit(1).wait().unwrap().success());
    let full = started.elapsed().as_micros() as u64;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut random = XorShift(seed);
    let mut value = 1;
    let (mut killed, mut finished) = (0, 0);
    for n in 2..32u64 {
        let before = std::fs::read_to_string(&path).unwrap();
        let after = before.replace(&format!("value = {value}\n"), &format!("value = {n}\n"));
        let mut child = edit(n);
        let delay = Duration::from_micros(random.below(full + full / 5));
        let deadline = Instant::now() + delay;
        // Poll rather than sleep the whole delay, so a fast child is not killed after it is done.
        while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            std::thread::yield_now();
        }
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
        }
        let k = Knowledge::load(dir.path())
            .unwrap_or_else(|e| panic!("seed {seed}, edit {n}: invalid after a kill: {e}"));
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(
            now == before || now == after,
            "seed {seed}, edit {n}: figures.toml is neither the state before nor after:\n{now}"
        );
        if now == after {
            value = n;
        }
        assert_eq!(k.figures[0].value, value as f64);
    }
    eprintln!("seed {seed}: {killed} killed, {finished} finished, one save takes {full} µs");
    // The lock is free again and the folder still editable.
    let store = KnowledgeStore::open(dir.path());
    store
        .edit(&ann(), Kind::Figure, id, &[("value", Some("7"))])
        .unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// A sandbox holding `knowledge/` (the editing fixture), `victim.txt` and
/// `secret.txt` beside it, `tmp/` for temporary copies, and (on Unix) the
/// link `knowledge/sources/leak.txt` to the secret.
fn sandbox() -> (tempfile::TempDir, PathBuf) {
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("knowledge");
    std::fs::create_dir(&root).unwrap();
    copy(Path::new(FIXTURE), &root);
    std::fs::create_dir(sandbox.path().join("tmp")).unwrap();
    std::fs::write(sandbox.path().join("victim.txt"), "the victim's own text").unwrap();
    std::fs::write(sandbox.path().join("secret.txt"), "DISCORD_TOKEN=abc123").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        sandbox.path().join("secret.txt"),
        root.join("sources/leak.txt"),
    )
    .unwrap();
    (sandbox, root)
}

/// An id that, as `sources/<id>.txt` inside a temporary copy made in
/// `temp`, names `<sandbox>/victim.txt`: what an unchecked id could overwrite.
fn id_aimed_from(temp: &Path, sandbox: &Path) -> String {
    let up = "../".repeat(temp.components().count() + 1);
    let target = sandbox.join("victim");
    format!("{up}{}", target.strip_prefix("/").unwrap().display())
}

/// A new source as TOML, with `id` and `file` when given.
fn hostile_source(id: Option<&str>, file: Option<&str>) -> String {
    let mut entry =
        String::from("title = \"A hostile source\"\ndate = \"2024-09\"\ndate_basis = \"stated\"\n");
    for (key, value) in [("id", id), ("file", file)] {
        if let Some(value) = value {
            let quoted = toml::Value::String(value.to_string()).to_string();
            entry.push_str(&format!("{key} = {quoted}\n"));
        }
    }
    entry
}

/// Hostile ids (sent with an article) and what the refusal says.
fn hostile_ids(temp: &Path, sandbox: &Path) -> Vec<(String, &'static str)> {
    vec![
        (
            "../victim".into(),
            "is not lower-case words joined by hyphens",
        ),
        (
            "../../victim".into(),
            "is not lower-case words joined by hyphens",
        ),
        (
            id_aimed_from(temp, sandbox),
            "is not lower-case words joined by hyphens",
        ),
        (
            "/tmp/victim".into(),
            "is not lower-case words joined by hyphens",
        ),
        (
            "..\\..\\victim".into(),
            "is not lower-case words joined by hyphens",
        ),
        (
            "victim\0".into(),
            "is not lower-case words joined by hyphens",
        ),
        ("a".repeat(10_000), "longer than 100 characters"),
    ]
}

/// Hostile `file` values (sent without an article) and what the refusal says.
fn hostile_files() -> Vec<(String, &'static str)> {
    let mut files = vec![
        ("/proc/self/environ".to_string(), "is an absolute path"),
        ("../victim.txt".into(), "goes up a folder with `..`"),
        (
            "sources/../../victim.txt".into(),
            "goes up a folder with `..`",
        ),
        (
            "sources/../../../../../../etc/passwd".into(),
            "goes up a folder with `..`",
        ),
        ("sources\\..\\..\\victim.txt".into(), "contains a backslash"),
        ("C:/victim.txt".into(), "drive prefix"),
        ("sources/article.txt\0".into(), "control character"),
        (
            format!("sources/{}.txt", "a".repeat(10_000)),
            "longer than 200 bytes",
        ),
        ("people.toml".into(), "is not inside `sources/`"),
    ];
    if cfg!(unix) {
        files.push(("sources/leak.txt".into(), "symbolic link"));
    }
    files
}

#[test]
fn hostile_ids_and_files_are_refused_and_nothing_changes_anywhere() {
    let (sandbox, root) = sandbox();
    let store = KnowledgeStore::open(&root);
    let before = snapshot(sandbox.path());
    let temp = std::env::temp_dir();
    let ids = hostile_ids(&temp, sandbox.path());
    let with_article = ids
        .iter()
        .map(|(id, says)| (hostile_source(Some(id), None), Some("x"), *says));
    let files = hostile_files();
    let without = files
        .iter()
        .map(|(file, says)| (hostile_source(Some("hostile"), Some(file)), None, *says));
    for (entry, article, says) in with_article.chain(without) {
        let refused = match store.add(&ann(), Kind::Source, &entry, article) {
            Ok(change) => panic!("accepted: {change}\n{entry:?}"),
            Err(e) => e.to_string(),
        };
        assert!(refused.contains(says), "{refused}");
        assert!(
            refused.contains("sources.toml") && refused.contains("fix:"),
            "{refused}"
        );
        assert!(
            !refused.contains("abc123"),
            "the secret is not shown: {refused}"
        );
        assert!(refused.len() < 1_000, "the refusal is short: {refused}");
    }
    assert_eq!(
        snapshot(sandbox.path()),
        before,
        "no file created or changed anywhere"
    );
    assert_eq!(store.history(10).unwrap().len(), 0);

    // The folder still takes a good source, link and all.
    let added = store
        .add(
            &ann(),
            Kind::Source,
            &hostile_source(None, None),
            Some("text"),
        )
        .unwrap();
    assert_eq!(added.id, "hostile-source");
    assert!(root.join("sources/hostile-source.txt").exists());
}

#[test]
fn the_kb_command_refuses_hostile_ids_and_files_and_changes_nothing_anywhere() {
    let (sandbox, root) = sandbox();
    let temp = sandbox.path().join("tmp");
    let inputs = tempfile::tempdir().unwrap();
    let article = inputs.path().join("article.txt");
    std::fs::write(&article, "an article").unwrap();
    let before = snapshot(sandbox.path());
    let ids = hostile_ids(&temp, sandbox.path());
    let files = hostile_files();
    // The command line takes no NUL; the store test covers it.
    let with_article = ids
        .iter()
        .filter(|(id, _)| !id.contains('\0'))
        .map(|(id, says)| (hostile_source(Some(id), None), true, *says));
    let without = files
        .iter()
        .map(|(file, says)| (hostile_source(Some("hostile"), Some(file)), false, *says));
    for (n, (entry, attach, says)) in with_article.chain(without).enumerate() {
        let path = inputs.path().join(format!("{n}.toml"));
        std::fs::write(&path, &entry).unwrap();
        let mut command = Command::new(BIN);
        command
            .env("TMPDIR", &temp)
            .arg("--knowledge")
            .arg(&root)
            .args(["kb", "add", "source", "--file"])
            .arg(&path);
        if attach {
            command.arg("--article").arg(&article);
        }
        let out = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "accepted: {entry:?}");
        assert!(stderr.contains(says), "{stderr}");
    }
    assert_eq!(
        snapshot(sandbox.path()),
        before,
        "no file created or changed anywhere"
    );
}

#[test]
fn check_refuses_a_hand_edited_source_file_outside_the_folder() {
    let (_sandbox, root) = sandbox();
    let sources = root.join("sources.toml");
    let text = std::fs::read_to_string(&sources).unwrap();
    for (file, says) in [
        (
            "/proc/self/environ",
            "`file = \"/proc/self/environ\"` is an absolute path",
        ),
        ("../secret.txt", "goes up a folder with `..`"),
        (
            "sources/leak.txt",
            "goes through the symbolic link `sources/leak.txt`",
        ),
    ] {
        if file.contains("leak") && !cfg!(unix) {
            continue;
        }
        std::fs::write(&sources, text.replace("sources/article.txt", file)).unwrap();
        let out = Command::new(BIN)
            .arg("--knowledge")
            .arg(&root)
            .arg("check")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains("sources.toml:4: entry `test-article`"),
            "{stderr}"
        );
        assert!(stderr.contains(says) && stderr.contains("fix:"), "{stderr}");
        assert!(!stderr.contains("abc123"), "{stderr}");
    }
}

#[test]
fn editing_a_sources_file_to_a_path_outside_sources_is_refused() {
    let (sandbox, root) = sandbox();
    let store = KnowledgeStore::open(&root);
    let before = files(&root);
    for (file, says) in [
        ("/proc/self/environ", "is an absolute path"),
        ("sources/../../secret.txt", "goes up a folder with `..`"),
    ] {
        let refused = store
            .edit(
                &ann(),
                Kind::Source,
                "test-article",
                &[("file", Some(file))],
            )
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains(says) && refused.contains("`test-article`"),
            "{refused}"
        );
    }
    assert_eq!(files(&root), before);
    assert_eq!(
        std::fs::read_to_string(sandbox.path().join("secret.txt")).unwrap(),
        "DISCORD_TOKEN=abc123"
    );
}
