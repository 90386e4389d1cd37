//! The Discord front end (in progress).

use std::path::PathBuf;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

/// Runs the bot until it is stopped.
pub fn serve(_args: ServeArgs, _knowledge: PathBuf) -> anyhow::Result<()> {
    anyhow::bail!("the Discord bot is not built yet")
}
