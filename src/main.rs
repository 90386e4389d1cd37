//! The `dispute-bot` binary: wiring only; see `cli.rs`.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    dispute_bot::cli::run(dispute_bot::cli::Cli::parse())
}
