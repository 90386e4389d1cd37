//! Writes a synthetic knowledge folder N times the size of the shipped one,
//! for benchmarks and load tests (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example generate_knowledge -- 100 target/knowledge-100x
//! cargo run --release --example generate_knowledge -- 1000 target/knowledge-1000x --fixed-intents
//! ```

#[allow(dead_code)]
#[path = "../benches/support/generate.rs"]
mod generate;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(scale), Some(out)) = (
        positional.first().and_then(|s| s.parse::<usize>().ok()),
        positional.get(1),
    ) else {
        eprintln!("usage: generate_knowledge SCALE OUT_DIR [--fixed-intents] [--shipped DIR]");
        std::process::exit(2);
    };
    let shipped = args
        .iter()
        .position(|a| a == "--shipped")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| PathBuf::from("knowledge"), PathBuf::from);
    let options = generate::Options {
        scale,
        scale_intents: !args.iter().any(|a| a == "--fixed-intents"),
        ..generate::Options::default()
    };
    match generate::generate(&shipped, out.as_ref(), &options) {
        Ok(w) => println!(
            "wrote {out}: the shipped knowledge and {} synthetic disputes, {} bytes",
            w.disputes, w.bytes
        ),
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            std::process::exit(1);
        }
    }
}
