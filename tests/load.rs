//! Load through the fake Discord (issue 6): bursts of 10,000 `MESSAGE_CREATE`
//! from 500 users in 20 channels, every one mentioning the bot with a
//! question (answered and declined), against the real `discord::run`.
//!
//! With a cooldown, `events.rs` answers a user's first question and replies
//! to each further question within the period with the polite
//! `cooldown::wait_message` (a plain reply, no embed); nothing goes
//! unanswered. The cooldown here (an hour) covers the whole burst, so each
//! user gets exactly one answer and 19 polite replies, whichever of their
//! messages the bot handles first (events are handled concurrently).
//!
//! A first burst warms up (allocator, caches, connections); the second is
//! measured: messages per second, and the resident memory before and after,
//! which must stay flat. After the bot stops, no task it started is left.
//! The fake's records are taken and dropped after each burst so that they do
//! not count as the bot's memory.

mod support;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use support::fake_discord::*;

const MESSAGES: usize = 10_000;
const USERS: u64 = 500;
const CHANNELS: u64 = 20;
/// Longer than any burst: a user's later questions all fall inside it.
const COOLDOWN: Duration = Duration::from_secs(3600);
/// How long a burst may take to be answered before the test fails.
const BURST_PATIENCE: Duration = Duration::from_secs(120);
/// Allowed growth of the resident memory over the measured burst.
const RSS_GROWTH_LIMIT_KB: u64 = 50 * 1024;
/// What the polite cooldown reply starts with (`cooldown::wait_message`).
const COOLDOWN_REPLY: &str = "You're asking quickly! Please wait";
/// The colour of an answered (not declined) answer's embeds (`embeds.rs`).
const ANSWERED_COLOUR: u64 = 0x2b6cb0;

/// Questions of every kind, answered and declined, as people type them.
const QUESTIONS: &[&str] = &[
    "how many appointments were postponed in the three-day strike?",
    "yo how much have the strikes cost the nhs",
    "what percentage voted to keep striking in the latest ballot?",
    "when did the june strike start and how long was it",
    "what led to the 12th stirke",
    "who is sir stephen powis",
    "health sec during the 3 day strike?",
    "who said 'any trade union worth their salt'?",
    "What pay rise are junior doctors demanding?",
    "what happened in july 2024",
    "what's the basic starting salary for a first-year junior doctor?",
    "when's the next junior doctors strike going to be?",
    "tell me a fun fact about octopuses 🐙",
    "whats the capital of australia",
    "how do i make a proper carbonara without cream",
    "🐙🐙",
    "hi",
];

/// `VmRSS` of this process, in kilobytes.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// A reply of the bot to a message: a message it sent that references one.
fn replied_to(call: &RestCall) -> Option<u64> {
    if call.method != "POST" || !call.path.ends_with("/messages") {
        return None;
    }
    call.body["message_reference"]["message_id"]
        .as_str()?
        .parse()
        .ok()
}

/// One message of a burst: who asked, where.
struct Sent {
    user: u64,
    channel: u64,
}

/// What a burst measured.
struct Burst {
    per_second: f64,
    answered: usize,
    declined: usize,
}

/// Sends a burst of [`MESSAGES`] from users `first_user..first_user + USERS`
/// and checks its replies: every message answered once, in its channel; per
/// user one answer and the rest polite cooldown replies.
async fn burst(fake: &FakeDiscord, first_user: u64) -> Burst {
    let users: Vec<Value> = (0..USERS)
        .map(|u| user(first_user + u, &format!("user{}", first_user + u), false))
        .collect();
    let mut sent = HashMap::with_capacity(MESSAGES);
    let start = Instant::now();
    for i in 0..MESSAGES {
        let u = i as u64 % USERS;
        // Users and channels cross: a user asks in several channels.
        let channel = CHANNEL_ID + 1 + (i as u64 / USERS + u) % CHANNELS;
        let question = QUESTIONS[i % QUESTIONS.len()];
        let id = fake.id();
        let content = format!("<@{BOT_ID}> {question}");
        let m = message(
            id,
            channel,
            Some(GUILD_ID),
            users[u as usize].clone(),
            &content,
        );
        fake.dispatch("MESSAGE_CREATE", m).await;
        sent.insert(
            id,
            Sent {
                user: first_user + u,
                channel,
            },
        );
    }
    let sent_in = start.elapsed();
    fake.wait_count("replies", MESSAGES, BURST_PATIENCE, |c| {
        replied_to(c).is_some()
    })
    .await;
    let elapsed = start.elapsed();
    let calls = fake.take_calls();

    let mut replies: HashMap<u64, Vec<&RestCall>> = HashMap::new();
    for call in &calls {
        if let Some(id) = replied_to(call) {
            replies.entry(id).or_default().push(call);
        }
    }
    let mut answers_per_user: HashMap<u64, usize> = HashMap::new();
    let (mut answered, mut declined, mut polite) = (0, 0, 0);
    for (id, m) in &sent {
        let got = replies.remove(id).unwrap_or_default();
        assert_eq!(got.len(), 1, "message {id} has {} replies", got.len());
        let reply = got[0];
        assert_eq!(
            reply.path,
            format!("/api/v10/channels/{}/messages", m.channel),
            "the reply to {id} is in its channel"
        );
        if let Some(embed) = reply.body["embeds"].get(0) {
            *answers_per_user.entry(m.user).or_default() += 1;
            if embed["color"] == json!(ANSWERED_COLOUR) {
                answered += 1;
            } else {
                declined += 1;
            }
        } else {
            let text = reply.body["content"].as_str().unwrap_or("");
            assert!(
                text.starts_with(COOLDOWN_REPLY),
                "reply to {id} is neither an answer nor the cooldown reply: {text:?}"
            );
            polite += 1;
        }
    }
    assert!(
        replies.is_empty(),
        "replies to messages of no burst: {:?}",
        replies.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        answers_per_user.len(),
        USERS as usize,
        "every user answered"
    );
    assert!(
        answers_per_user.values().all(|&n| n == 1),
        "one answer per user within the cooldown"
    );
    assert_eq!(polite, MESSAGES - USERS as usize);
    let per_second = MESSAGES as f64 / elapsed.as_secs_f64();
    println!(
        "burst: {MESSAGES} messages sent in {sent_in:.2?}, all replied in {elapsed:.2?} \
         ({per_second:.0} messages/s): {answered} answered, {declined} declined, \
         {polite} cooldown replies"
    );
    Burst {
        per_second,
        answered,
        declined,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_10_000_questions_is_answered_once_each_with_flat_memory() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let fake = FakeDiscord::start().await;
    let tasks_before = metrics.num_alive_tasks();
    let mut config = fake.config();
    config.cooldown = COOLDOWN;
    let bot = RunningBot::start(&fake, config).await;
    fake.take_calls();

    let warm_up = burst(&fake, 100_000).await;
    let rss_before = rss_kb();
    let measured = burst(&fake, 200_000).await;
    let rss_after = rss_kb();
    for b in [&warm_up, &measured] {
        assert!(b.answered > 0 && b.declined > 0, "a mix of answers");
    }
    let growth = rss_after.saturating_sub(rss_before);
    println!(
        "load: {:.0} messages/s (warm-up {:.0}); RSS {} MB before, {} MB after, growth {} KB",
        measured.per_second,
        warm_up.per_second,
        rss_before / 1024,
        rss_after / 1024,
        growth
    );
    assert!(
        growth < RSS_GROWTH_LIMIT_KB,
        "resident memory grew by {growth} KB over a burst"
    );

    let stopping = Instant::now();
    bot.stop().await;
    // No event tells when the fake's connection tasks have seen the bot's
    // sockets close: poll the task count, within a deadline.
    let deadline = Instant::now() + Duration::from_secs(10);
    while metrics.num_alive_tasks() > tasks_before && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!(
        "stopped in {:.2?}; tasks alive {} (before the bot {tasks_before})",
        stopping.elapsed(),
        metrics.num_alive_tasks()
    );
    assert!(
        metrics.num_alive_tasks() <= tasks_before,
        "{} tasks left behind",
        metrics.num_alive_tasks() - tasks_before
    );
    let late: Vec<u64> = fake.take_calls().iter().filter_map(replied_to).collect();
    assert!(late.is_empty(), "replies after the bursts: {late:?}");
}
