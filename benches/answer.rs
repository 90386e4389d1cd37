//! Benchmarks on the shipped knowledge: answering each question of a fixed
//! mix and 1 MB questions, loading and validating the folder, compiling the
//! engine, rendering.
//!
//! `cargo bench --bench answer`; figures in BENCHMARKS.md.

mod support;

use dispute_bot::engine::Engine;
use dispute_bot::knowledge::Knowledge;
use dispute_bot::render::{to_json, to_markdown, to_text};
use divan::{black_box, Bencher};
use std::path::Path;
use std::sync::OnceLock;
use support::QUESTIONS;

fn main() {
    divan::main();
}

fn folder() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"))
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Knowledge::load(folder()).expect("shipped knowledge loads")))
}

/// One question, by its place in the mix (see `support::QUESTIONS`).
#[divan::bench(args = QUESTIONS)]
fn answer(bencher: Bencher, question: &str) {
    let engine = engine();
    bencher.bench(|| engine.answer(black_box(question)));
}

/// The whole mix, one question after another.
#[divan::bench]
fn answer_mix(bencher: Bencher) {
    let engine = engine();
    bencher.bench(|| {
        for q in QUESTIONS {
            black_box(engine.answer(black_box(q)));
        }
    });
}

/// A 1 MB question of each filler cleaning has to handle (words, emoji,
/// contractions, a ligature, mentions, combining marks): cut to
/// `MAX_QUESTION_CHARS` before matching, so about as fast as a short one.
#[divan::bench(args = ["strike ", "🐙", "a'", "ﬁ", "<@1>", "\u{301}"])]
fn answer_megabyte(bencher: Bencher, filler: &str) {
    let engine = engine();
    let question = filler.repeat((1 << 20) / filler.len());
    bencher.bench(|| engine.answer(black_box(&question)));
}

/// Reading and validating the shipped folder.
#[divan::bench(sample_count = 30)]
fn load() -> Knowledge {
    Knowledge::load(black_box(folder())).expect("loads")
}

/// Compiling the engine: fact index, intent table, vocabulary.
#[divan::bench(sample_count = 30)]
fn engine_new(bencher: Bencher) {
    let knowledge = Knowledge::load(folder()).expect("loads");
    bencher.bench(|| Engine::new(black_box(knowledge.clone())));
}

/// Rendering answers of the mix for the terminal, Discord and scripts.
#[divan::bench(args = ["text", "markdown", "json"])]
fn render(bencher: Bencher, format: &str) {
    let answers: Vec<_> = QUESTIONS.iter().map(|q| engine().answer(q)).collect();
    bencher.bench(|| {
        for a in &answers {
            match format {
                "text" => drop(black_box(to_text(a))),
                "markdown" => drop(black_box(to_markdown(a))),
                _ => drop(black_box(to_json(a))),
            }
        }
    });
}
