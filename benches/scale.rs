//! How cost grows with the knowledge: generates folders 1, 10, 100 and 1,000
//! times the shipped one and, for each in a fresh process, measures loading,
//! compiling the engine, every question of the mix (median and p99) and memory.
//! First, on the shipped knowledge, the whole process (`dispute-bot ask
//! --json` fed many questions against one, the difference per question) and
//! the work of one execution of the `question` fuzz target without its
//! instrumentation.
//!
//! ```text
//! cargo bench --bench scale                      # 1x, 10x, 100x, 1000x
//! SCALES=1,10 cargo bench --bench scale          # a quicker run
//! FIXED_INTENTS=1 cargo bench --bench scale      # synthetic intents left out
//! ```
//! Folders are written once under `target/bench-knowledge/` and reused.

mod support;

use dispute_bot::engine::{Conversation, Engine};
use dispute_bot::knowledge::{fold_for_match, Knowledge};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::generate::{self, Options};
use support::{percentiles, status_kb, QUESTIONS};

/// Rounds of the whole question mix per scale: fewer on large folders, where
/// each round takes long.
fn rounds(scale: usize) -> usize {
    match scale {
        0..=10 => 40,
        11..=100 => 10,
        _ => 3,
    }
}

fn main() {
    if let Ok(dir) = std::env::var("DISPUTE_BENCH_PROBE") {
        probe(Path::new(&dir));
        return;
    }
    let scales: Vec<usize> = std::env::var("SCALES")
        .unwrap_or_else(|_| "1,10,100,1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let fixed = std::env::var_os("FIXED_INTENTS").is_some();
    whole_process();
    fuzz_like();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-knowledge");
    println!(
        "| scale | folder MB | entries | load | engine build | load + build | question median | question p99 | question max | RSS after load | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for scale in scales {
        let dir = root.join(format!(
            "x{scale}{}",
            if fixed { "-fixed-intents" } else { "" }
        ));
        if !dir.join(".complete").exists() {
            let options = Options {
                scale,
                scale_intents: !fixed,
                ..Options::default()
            };
            let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
            generate::generate(&shipped, &dir, &options).expect("writes the folder");
            std::fs::write(dir.join(".complete"), "").expect("marks the folder");
        }
        let mb = generate::folder_bytes(&dir).expect("folder") as f64 / 1e6;
        let out = Command::new(std::env::current_exe().expect("own path"))
            .env("DISPUTE_BENCH_PROBE", &dir)
            .env("DISPUTE_BENCH_ROUNDS", rounds(scale).to_string())
            .output()
            .expect("runs the probe");
        let report = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            eprintln!(
                "{scale}x failed:\n{report}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        }
        println!("| {scale}x | {mb:.1} | {}", report.trim());
    }
}

/// Runs in a fresh process so that memory is measured for one folder alone.
fn probe(dir: &Path) {
    let started = Instant::now();
    let knowledge = Knowledge::load(dir).unwrap_or_else(|e| panic!("{e}"));
    let load = started.elapsed();
    let entries = knowledge.people.len()
        + knowledge.events.len()
        + knowledge.figures.len()
        + knowledge.quotes.len()
        + knowledge.intents.len()
        + knowledge.sources.len();
    let started = Instant::now();
    let engine = Engine::new(knowledge);
    let build = started.elapsed();
    let rss = status_kb("VmRSS:").unwrap_or(0);
    for q in QUESTIONS {
        std::hint::black_box(engine.answer(q));
    }
    let rounds: usize = std::env::var("DISPUTE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    let mut samples = Vec::with_capacity(rounds * QUESTIONS.len());
    for _ in 0..rounds {
        for q in QUESTIONS {
            let t = Instant::now();
            std::hint::black_box(engine.answer(std::hint::black_box(q)));
            samples.push(t.elapsed());
        }
    }
    let (median, p99, max) = percentiles(samples);
    let peak = status_kb("VmHWM:").unwrap_or(0);
    println!(
        "{entries} | {} | {} | {} | {} | {} | {} | {} MB | {} MB |",
        show(load),
        show(build),
        show(load + build),
        show(median),
        show(p99),
        show(max),
        rss / 1024,
        peak / 1024
    );
}

/// Questions fed to the whole process in the long run of [`whole_process`].
const PROCESS_QUESTIONS: usize = 2400;
/// Runs of each length, alternately; the fastest of each counts.
const PROCESS_RUNS: usize = 7;

/// The release binary, `ask --json` on the shipped knowledge, fed
/// [`PROCESS_QUESTIONS`] questions of the mix (one a line) against fed one:
/// the difference per question is what a question costs the whole process
/// (reading, answering, rendering JSON, writing), start-up left out.
fn whole_process() {
    let run = |n: usize| {
        let input: String = QUESTIONS
            .iter()
            .cycle()
            .take(n)
            .map(|q| format!("{q}\n"))
            .collect();
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dispute-bot"))
            .args(["ask", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().expect("the binary runs");
        let took = started.elapsed();
        writer.join().expect("writer").expect("questions written");
        assert!(out.status.success(), "ask --json failed");
        assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), n);
        took
    };
    let (mut one, mut many) = (Duration::MAX, Duration::MAX);
    for _ in 0..PROCESS_RUNS {
        one = one.min(run(1));
        many = many.min(run(PROCESS_QUESTIONS));
    }
    let per = many.saturating_sub(one) / (PROCESS_QUESTIONS as u32 - 1);
    println!(
        "whole process, shipped knowledge, `ask --json` ({PROCESS_QUESTIONS} questions against 1, fastest of {PROCESS_RUNS} each): {} per question; start-up and one question {}",
        show(per),
        show(one)
    );
}

/// What one execution of `fuzz/fuzz_targets/question.rs` does (an answer, a
/// follow-up after a fixed first answer, every citation checked against its
/// source), over the mix, in this uninstrumented build: an upper bound of the
/// fuzzer's executions per second, which sanitizer and coverage divide.
fn fuzz_like() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let engine = Engine::new(Knowledge::load(&dir).expect("the shipped knowledge loads"));
    let exec = |question: &str| {
        let first = engine.answer(question);
        let mut conversation = Conversation::default();
        conversation.remember(
            &engine.answer("how many appointments were postponed in the three-day strike"),
        );
        let follow_up = engine.answer_in(question, &conversation);
        for c in first.citations().iter().chain(follow_up.citations()) {
            let id = dispute_bot::knowledge::Id(c.source.clone());
            let text = &engine.knowledge().source(&id).expect("cited").text;
            assert!(fold_for_match(text).contains(&fold_for_match(&c.quote)));
        }
    };
    let rounds = 10;
    let started = Instant::now();
    for _ in 0..rounds {
        for q in QUESTIONS {
            exec(std::hint::black_box(q));
        }
    }
    let per = started.elapsed() / (rounds * QUESTIONS.len()) as u32;
    println!(
        "fuzz target `question`, uninstrumented, shipped knowledge: {} per execution, {:.0} exec/s on one core",
        show(per),
        1.0 / per.as_secs_f64()
    );
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}
