//! How cost grows with the knowledge: generates folders 1, 10, 100 and 1,000
//! times the shipped one and, for each in a fresh process, measures loading,
//! compiling the engine, every question of the mix (median and p99) and memory.
//!
//! ```text
//! cargo bench --bench scale                      # 1x, 10x, 100x, 1000x
//! SCALES=1,10 cargo bench --bench scale          # a quicker run
//! FIXED_INTENTS=1 cargo bench --bench scale      # synthetic intents left out
//! ```
//! Folders are written once under `target/bench-knowledge/` and reused.

mod support;

use dispute_bot::engine::Engine;
use dispute_bot::knowledge::Knowledge;
use std::path::{Path, PathBuf};
use std::process::Command;
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
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-knowledge");
    println!(
        "| scale | folder MB | entries | load | engine build | question median | question p99 | question max | RSS after load | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
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
        "{entries} | {} | {} | {} | {} | {} | {} MB | {} MB |",
        show(load),
        show(build),
        show(median),
        show(p99),
        show(max),
        rss / 1024,
        peak / 1024
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
