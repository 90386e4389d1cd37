//! The `dispute-bot` binary: wiring only; see `cli.rs`.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    match dispute_bot::cli::run(dispute_bot::cli::Cli::parse()) {
        // A closed pipe (`dispute-bot ask ... | head`) is the reader's choice, not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}
