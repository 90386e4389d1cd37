//! The bot at rest on Discord: `dispute-bot serve` (the binary `cargo bench`
//! builds) on the shipped knowledge, connected to the fake Discord of the
//! tests (`tests/support/fake_discord.rs`), its commands registered, then left
//! idle; its resident memory, read from `/proc/<pid>/status`.
//!
//! `cargo bench --bench at_rest`; figures in BENCHMARKS.md.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code)]
mod fake_discord;
mod support;

use fake_discord::{knowledge_copy, FakeDiscord, GUILD_ID};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::process_status_kb;

/// How long the connected bot is left idle before its memory is read: long
/// enough for start-up allocations to settle and a few heartbeats to pass.
const REST: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() {
    let fake = FakeDiscord::start().await;
    let files = tempfile::tempdir().expect("a temporary folder");
    let config = files.path().join("bot.toml");
    std::fs::write(&config, format!("guild_id = {GUILD_ID}\n")).expect("the config is written");
    let knowledge = knowledge_copy();
    let mut child = fake
        .serve_command(knowledge.path(), &config, "fake-token")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    fake.wait_for("command registration", |c| {
        c.method == "PUT" && c.path.ends_with("/commands")
    })
    .await;
    let connected = process_status_kb(&child.id().to_string(), "VmRSS:");
    tokio::time::sleep(REST).await;
    let rss = process_status_kb(&child.id().to_string(), "VmRSS:");
    let peak = process_status_kb(&child.id().to_string(), "VmHWM:");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = tokio::task::spawn_blocking(move || child.wait()).await;
    println!(
        "bot at rest on Discord, shipped knowledge: {} MB resident after {REST:?} idle ({} MB when connected, {} MB peak)",
        mb(rss),
        mb(connected),
        mb(peak)
    );
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("?".into(), |kb| format!("{:.1}", kb as f64 / 1024.0))
}
