//! The bot at rest on Discord: `dispute-bot serve` (the binary `cargo bench`
//! builds) on the shipped knowledge, connected to the fake Discord of the
//! tests (`tests/support/fake_discord.rs`), its commands registered, then left
//! idle; its resident memory, read from `/proc/<pid>/status`.
//!
//! `cargo bench --bench at_rest`; figures in BENCHMARKS.md.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code)]
mod fake_discord;

use fake_discord::{knowledge_copy, FakeDiscord, GUILD_ID};
use std::process::{Command, Stdio};
use std::time::Duration;

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_dispute-bot"))
        .arg("serve")
        .arg("--knowledge")
        .arg(knowledge.path())
        .arg("--config")
        .arg(&config)
        .arg("--api-base")
        .arg(&fake.api_base)
        .env("DISCORD_TOKEN", "fake-token")
        .env_remove("DISCORD_TOKEN_FILE")
        .env_remove("DISPUTE_BOT_CONFIG")
        .env_remove("DISPUTE_BOT_API_BASE")
        .env_remove("DISPUTE_BOT_KNOWLEDGE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    fake.wait_for("command registration", |c| {
        c.method == "PUT" && c.path.ends_with("/commands")
    })
    .await;
    let connected = status_kb(child.id(), "VmRSS:");
    tokio::time::sleep(REST).await;
    let rss = status_kb(child.id(), "VmRSS:");
    let peak = status_kb(child.id(), "VmHWM:");
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

/// A field of another process's /proc status in kilobytes.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
