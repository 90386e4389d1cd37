//! A fake Discord on 127.0.0.1 for end-to-end tests of the bot.
//!
//! REST: a small HTTP/1.1 server on tokio (Discord's API is plain JSON over
//! HTTP here; hyper's server feature would rebuild serenity's whole HTTP stack
//! for the tests alone). It answers the routes the bot uses and records every
//! call. Gateway: tokio-tungstenite; HELLO, IDENTIFY → READY, RESUME →
//! RESUMED, heartbeats and their ACKs, invalid sessions, and dispatches the
//! test chooses; or, for tests of an unreachable Discord, a gateway that
//! refuses connections or hangs up on each one ([`Gateway`]).
//!
//! Tests never sleep: they wait for recorded calls with [`FakeDiscord::wait_for`].

use dispute_bot::discord::{self, BotConfig, Token};
use dispute_bot::engine::Engine;
use dispute_bot::knowledge::{Knowledge, Live};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::Message;

/// The bot's user id.
pub const BOT_ID: u64 = 1000;
/// The application id.
pub const APP_ID: u64 = 2000;
/// The guild the bot is in.
pub const GUILD_ID: u64 = 3000;
/// A channel of that guild.
pub const CHANNEL_ID: u64 = 4000;
/// How long a test waits for something before failing: a guard against a
/// hang, not a speed requirement, so generous enough for a debug build on a
/// busy 2-core machine. A passing test never waits it out.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct RestCall {
    /// GET, POST, PUT, PATCH, DELETE.
    pub method: String,
    /// The path without the query, e.g. `/api/v10/channels/4000/messages`.
    pub path: String,
    /// The JSON body, or `null`.
    pub body: Value,
}

impl RestCall {
    /// True for this method and path.
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// What the fake's gateway does with a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gateway {
    /// Speaks Discord's gateway protocol.
    Serving,
    /// Nothing listens at the gateway URL: every connection is refused.
    Closed,
    /// Accepts each TCP connection and closes it at once, before the
    /// WebSocket handshake; each is recorded as [`GatewayRecord::Connected`].
    HangsUp,
}

/// What the gateway saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayRecord {
    /// A TCP connection was accepted.
    Connected,
    /// The bot identified (a new session).
    Identify,
    /// The bot resumed its session.
    Resume,
    /// The test's dispatch was sent, with its event name.
    Dispatched(String),
}

enum ToBot {
    Send(Value),
    Drop,
}

#[derive(Default)]
struct Inner {
    calls: Vec<RestCall>,
    gateway: Vec<GatewayRecord>,
    transcript: Vec<String>,
    live: Option<mpsc::UnboundedSender<ToBot>>,
    seq: u64,
    next_id: u64,
    /// Files served at `/attachments/...`, by path.
    attachments: std::collections::HashMap<String, Vec<u8>>,
}

struct State {
    gateway_url: String,
    inner: Mutex<Inner>,
    changed: watch::Sender<u64>,
}

impl State {
    fn update<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let out = f(&mut self.inner.lock().unwrap());
        self.changed.send_modify(|n| *n += 1);
        out
    }

    fn next_id(&self) -> u64 {
        self.update(|i| {
            i.next_id += 1;
            900_000 + i.next_id
        })
    }
}

/// The fake Discord: its base URL and what it recorded.
pub struct FakeDiscord {
    /// The base URL to give the bot's `--api-base`.
    pub api_base: String,
    state: Arc<State>,
}

impl FakeDiscord {
    /// Starts the REST and gateway servers on free ports of 127.0.0.1.
    pub async fn start() -> FakeDiscord {
        FakeDiscord::start_with(Gateway::Serving).await
    }

    /// Starts the REST server, and a gateway that behaves as `mode` says.
    pub async fn start_with(mode: Gateway) -> FakeDiscord {
        let rest = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api_base = format!("http://{}", rest.local_addr().unwrap());
        let state = Arc::new(State {
            gateway_url: format!("ws://{}", gateway.local_addr().unwrap()),
            inner: Mutex::default(),
            changed: watch::channel(0).0,
        });
        // A port just released: nothing listens there, so connecting is refused.
        let gateway = (mode != Gateway::Closed).then_some(gateway);
        let s = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = rest.accept().await {
                tokio::spawn(serve_http(stream, Arc::clone(&s)));
            }
        });
        let s = Arc::clone(&state);
        if let Some(gateway) = gateway {
            tokio::spawn(async move {
                while let Ok((stream, _)) = gateway.accept().await {
                    s.update(|i| i.gateway.push(GatewayRecord::Connected));
                    if mode == Gateway::Serving {
                        tokio::spawn(serve_gateway(stream, Arc::clone(&s)));
                    }
                }
            });
        }
        FakeDiscord { api_base, state }
    }

    /// A bot configuration pointing at this fake: guild commands, no cooldown.
    pub fn config(&self) -> BotConfig {
        let mut config = BotConfig::new(Token::new("fake-token"));
        config.api_base = Some(self.api_base.clone());
        config.guild_id = Some(poise::serenity_prelude::GuildId::new(GUILD_ID));
        config.cooldown = Duration::ZERO;
        config
    }

    /// Every REST call so far.
    pub fn calls(&self) -> Vec<RestCall> {
        self.state.inner.lock().unwrap().calls.clone()
    }

    /// What happened so far, one line per event sent and REST call received.
    pub fn transcript(&self) -> String {
        self.state.inner.lock().unwrap().transcript.join("\n")
    }

    /// The gateway record so far.
    pub fn gateway_log(&self) -> Vec<GatewayRecord> {
        self.state.inner.lock().unwrap().gateway.clone()
    }

    /// Takes the REST calls recorded so far, and forgets them, the
    /// transcript and the gateway's record of dispatches, so that a long
    /// run's records do not grow without bound (nor count as the bot's memory).
    pub fn take_calls(&self) -> Vec<RestCall> {
        self.state.update(|i| {
            i.transcript = Vec::new();
            i.gateway
                .retain(|r| !matches!(r, GatewayRecord::Dispatched(_)));
            std::mem::take(&mut i.calls)
        })
    }

    /// Waits until at least `n` REST calls that `pred` accepts are recorded,
    /// or panics after `patience`; returns how many there are.
    pub async fn wait_count(
        &self,
        what: &str,
        n: usize,
        patience: Duration,
        pred: impl Fn(&RestCall) -> bool,
    ) -> usize {
        self.counter(pred).wait(what, n, patience).await
    }

    /// A running count of the REST calls that `pred` accepts among those
    /// recorded since the last [`take_calls`](Self::take_calls); to be
    /// dropped before the next one.
    pub fn counter<P: Fn(&RestCall) -> bool>(&self, pred: P) -> CallCounter<'_, P> {
        CallCounter {
            fake: self,
            pred,
            changed: self.state.changed.subscribe(),
            seen: 0,
            count: 0,
        }
    }

    /// Waits until `found` holds of the state, or panics after [`PATIENCE`].
    async fn wait_until<T>(&self, what: &str, mut found: impl FnMut(&Inner) -> Option<T>) -> T {
        let mut changed = self.state.changed.subscribe();
        let wait = async {
            loop {
                if let Some(t) = found(&self.state.inner.lock().unwrap()) {
                    return t;
                }
                changed.changed().await.unwrap();
            }
        };
        match tokio::time::timeout(PATIENCE, wait).await {
            Ok(t) => t,
            Err(_) => panic!(
                "timed out waiting for {what}; so far:\n{}",
                self.transcript()
            ),
        }
    }

    /// Waits for the first REST call that `pred` accepts.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&RestCall) -> bool) -> RestCall {
        self.wait_until(what, |i| i.calls.iter().find(|c| pred(c)).cloned())
            .await
    }

    /// Waits for the `n`th gateway record equal to `record`.
    pub async fn wait_gateway(&self, record: GatewayRecord, n: usize) {
        self.wait_until(&format!("{record:?} #{n}"), |i| {
            (i.gateway.iter().filter(|r| **r == record).count() >= n).then_some(())
        })
        .await
    }

    /// Sends a dispatch (`MESSAGE_CREATE`, `INTERACTION_CREATE`...) once the bot has a live session.
    pub async fn dispatch(&self, event: &str, data: Value) {
        let live = self
            .wait_until("a live gateway session", |i| i.live.clone())
            .await;
        let seq = self.state.update(|i| {
            i.seq += 1;
            i.gateway.push(GatewayRecord::Dispatched(event.to_string()));
            i.transcript
                .push(format!("gateway -> {event} {}", summary(&data)));
            i.seq
        });
        live.send(ToBot::Send(
            json!({"op": 0, "t": event, "s": seq, "d": data}),
        ))
        .expect("the gateway connection is open");
    }

    /// Drops the gateway socket without a close frame, as a network failure would.
    pub fn drop_gateway(&self) {
        if let Some(live) = self.state.update(|i| {
            i.transcript.push("gateway: socket dropped".into());
            i.live.take()
        }) {
            let _ = live.send(ToBot::Drop);
        }
    }

    /// Ends the session as Discord does when it cannot be resumed (opcode 9,
    /// INVALID_SESSION, `d: false`): the bot must connect and IDENTIFY again.
    /// Dispatches wait until it has.
    pub fn invalidate_session(&self) {
        if let Some(live) = self.state.update(|i| {
            i.transcript
                .push("gateway -> INVALID_SESSION (not resumable)".into());
            i.live.take()
        }) {
            let _ = live.send(ToBot::Send(json!({"op": 9, "d": false})));
        }
    }

    /// A new snowflake id, for messages and interactions.
    pub fn id(&self) -> u64 {
        self.state.next_id()
    }

    /// An attachment as Discord sends it, whose `url` serves `bytes` from
    /// this fake (as Discord's CDN would). Put it in an interaction's
    /// `data.resolved.attachments` under its `id`.
    pub fn attachment(&self, filename: &str, content_type: &str, bytes: &[u8]) -> Value {
        let id = self.id();
        let path = format!("/attachments/{CHANNEL_ID}/{id}/{filename}");
        let url = format!("{}{path}", self.api_base);
        self.state
            .update(|i| i.attachments.insert(path, bytes.to_vec()));
        json!({"id": id.to_string(), "filename": filename, "size": bytes.len(),
               "url": url, "proxy_url": url, "content_type": content_type})
    }
}

/// A count of the recorded REST calls a predicate accepts. Each call is
/// looked at once across all waits, so that waiting for each of thousands
/// of replies in turn stays linear.
pub struct CallCounter<'a, P> {
    fake: &'a FakeDiscord,
    pred: P,
    changed: watch::Receiver<u64>,
    seen: usize,
    count: usize,
}

impl<P: Fn(&RestCall) -> bool> CallCounter<'_, P> {
    /// Waits until at least `n` calls are counted, or panics after
    /// `patience`; returns how many there are.
    pub async fn wait(&mut self, what: &str, n: usize, patience: Duration) -> usize {
        let wait = async {
            loop {
                {
                    let inner = self.fake.state.inner.lock().unwrap();
                    let new = &inner.calls[self.seen.min(inner.calls.len())..];
                    self.count += new.iter().filter(|c| (self.pred)(c)).count();
                    self.seen = inner.calls.len();
                }
                if self.count >= n {
                    return self.count;
                }
                self.changed.changed().await.unwrap();
            }
        };
        match tokio::time::timeout(patience, wait).await {
            Ok(count) => count,
            Err(_) => panic!("timed out after {patience:?} waiting for {n} {what}"),
        }
    }
}

/// The bot, running with the real `discord::run` against a fake Discord, on
/// its own copy of the project's knowledge.
pub struct RunningBot {
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    knowledge: tempfile::TempDir,
}

impl RunningBot {
    /// Starts the bot and waits until it has registered its commands (again,
    /// when another bot ran against this fake before).
    pub async fn start(fake: &FakeDiscord, config: BotConfig) -> RunningBot {
        RunningBot::start_in(fake, config, &std::env::temp_dir()).await
    }

    /// [`RunningBot::start`], with the knowledge copied into a new folder of
    /// `parent`, so a test can watch everything beside it.
    pub async fn start_in(fake: &FakeDiscord, config: BotConfig, parent: &Path) -> RunningBot {
        let knowledge = knowledge_copy_in(parent);
        let live = Live::load(knowledge.path(), Engine::new).expect("the copy loads");
        // RUST_LOG=debug shows the bot's logs with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
        let registration = |c: &RestCall| c.method == "PUT" && c.path.ends_with("/commands");
        let before = fake.calls().iter().filter(|c| registration(c)).count();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(discord::run(config, Arc::new(live), async {
            let _ = stopped.await;
        }));
        fake.wait_count("command registration", before + 1, PATIENCE, registration)
            .await;
        RunningBot {
            stop: Some(stop),
            task,
            knowledge,
        }
    }

    /// The bot's knowledge folder, a copy of the project's that tests may edit.
    pub fn knowledge(&self) -> &Path {
        self.knowledge.path()
    }

    /// Asks the bot to stop and waits until it has.
    pub async fn stop(mut self) {
        let _ = self.stop.take().expect("stopped once").send(());
        tokio::time::timeout(PATIENCE, &mut self.task)
            .await
            .expect("the bot stops when asked")
            .expect("the bot task does not panic")
            .expect("the bot stops without error");
    }
}

/// The files of the project's knowledge folder (no logs, locks or dotfiles),
/// read once, so that every test sees the same knowledge even while
/// someone edits `knowledge/`.
fn knowledge_files() -> &'static [(PathBuf, Vec<u8>)] {
    static FILES: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"));
        let mut files = Vec::new();
        let mut dirs = vec![PathBuf::new()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(root.join(&dir)).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = dir.join(&name);
                if entry.file_type().unwrap().is_dir() {
                    dirs.push(path);
                } else if !name.starts_with('.') && !name.ends_with(".jsonl") {
                    files.push((path, std::fs::read(entry.path()).unwrap()));
                }
            }
        }
        files
    })
}

/// A new copy of the project's knowledge folder in a temporary folder.
pub fn knowledge_copy() -> tempfile::TempDir {
    knowledge_copy_in(&std::env::temp_dir())
}

/// A new copy of the project's knowledge folder in a new folder of `parent`.
pub fn knowledge_copy_in(parent: &Path) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dispute-bot-discord-")
        .tempdir_in(parent)
        .unwrap();
    for (path, bytes) in knowledge_files() {
        let to = dir.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    dir
}

/// The project's knowledge (as the bots are given it), loaded once for all tests.
pub fn knowledge() -> Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE
        .get_or_init(|| {
            let copy = knowledge_copy();
            Knowledge::load(copy.path()).expect("the project's knowledge is valid")
        })
        .clone()
}

/// An engine over the project's knowledge.
pub fn engine() -> Engine {
    Engine::new(knowledge())
}

/// A Discord user.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name,
           "avatar": null, "bot": bot})
}

/// The bot's own user.
pub fn bot_user() -> Value {
    user(BOT_ID, "dispute-bot", true)
}

/// A message as the gateway sends it in `MESSAGE_CREATE`.
pub fn message(id: u64, channel: u64, guild: Option<u64>, author: Value, content: &str) -> Value {
    let mentions: Vec<Value> = if content.contains(&format!("<@{BOT_ID}>")) {
        vec![bot_user()]
    } else {
        Vec::new()
    };
    let mut m = message_object(id, channel, author, content);
    m["mentions"] = Value::Array(mentions);
    m["mention_everyone"] = json!(content.contains("@everyone"));
    if let Some(g) = guild {
        m["guild_id"] = json!(g.to_string());
    }
    m
}

fn message_object(id: u64, channel: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": author,
        "content": content, "timestamp": "2024-07-23T12:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0,
    })
}

/// Every permission, Manage Server and Administrator included.
pub const ALL_PERMISSIONS: u64 = 2147483647;
/// View Channels, Send Messages, Read Message History: an ordinary member.
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 16);

/// A guild member with these roles and (channel) permissions, as interactions carry them.
pub fn member_with(user_id: u64, roles: &[u64], permissions: u64) -> Value {
    let roles: Vec<String> = roles.iter().map(u64::to_string).collect();
    json!({"user": user(user_id, &format!("user{user_id}"), false), "roles": roles,
           "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
           "flags": 0, "permissions": permissions.to_string()})
}

fn interaction(id: u64, kind: u8, data: Value, user_id: u64) -> Value {
    json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": kind, "data": data,
        "guild_id": GUILD_ID.to_string(), "channel_id": CHANNEL_ID.to_string(),
        "member": member_with(user_id, &[], ALL_PERMISSIONS),
        "token": token(id), "version": 1, "app_permissions": "2147483647",
        "locale": "en-GB", "guild_locale": "en-GB", "entitlements": [],
        "attachment_size_limit": 10_485_760,
    })
}

/// The token of the interaction with this id.
pub fn token(id: u64) -> String {
    format!("token-{id}")
}

/// The path of the callback of the interaction with this id.
pub fn callback_path(id: u64) -> String {
    format!("/api/v10/interactions/{id}/{}/callback", token(id))
}

/// A slash command invocation; `options` as Discord sends them.
pub fn slash(id: u64, name: &str, options: Value, user_id: u64) -> Value {
    interaction(
        id,
        2,
        json!({"id": "7000", "name": name, "type": 1, "options": options}),
        user_id,
    )
}

/// A slash command invocation by `member` (see [`member_with`]).
pub fn slash_by(id: u64, name: &str, options: Value, member: Value) -> Value {
    let mut i = slash(id, name, options, 0);
    i["member"] = member;
    i
}

/// An autocomplete request for option `option` of `command`, typed so far `partial`.
pub fn autocomplete(id: u64, command: &str, option: &str, partial: &str, user_id: u64) -> Value {
    interaction(
        id,
        4,
        json!({"id": "7000", "name": command, "type": 1,
               "options": [{"name": option, "type": 3, "value": partial, "focused": true}]}),
        user_id,
    )
}

/// A press on the button `custom_id` of the bot's message `message_id`.
pub fn button_press(id: u64, custom_id: &str, message_id: u64, user_id: u64) -> Value {
    let mut i = interaction(
        id,
        3,
        json!({"custom_id": custom_id, "component_type": 2}),
        user_id,
    );
    i["message"] = message_object(message_id, CHANNEL_ID, bot_user(), "");
    i
}

/// A short account of a payload for the transcript: who said what, which
/// command, which embed, and the allowed mentions.
fn summary(v: &Value) -> String {
    let data = if v["data"].is_object() { &v["data"] } else { v };
    let mut parts = Vec::new();
    if let Some(name) = v["author"]["username"].as_str() {
        parts.push(format!("from {name}"));
    }
    if let Some(name) = v["data"]["name"].as_str() {
        parts.push(format!("/{name} {}", v["data"]["options"]));
    }
    if let Some(id) = v["data"]["custom_id"].as_str() {
        parts.push(format!("button {id} by user {}", v["member"]["user"]["id"]));
    }
    if let Some(kind) = v["type"].as_u64().filter(|_| v.get("token").is_none()) {
        parts.push(format!("type {kind}"));
    }
    if let Some(content) = data["content"].as_str().filter(|c| !c.is_empty()) {
        parts.push(format!("content {content:?}"));
    }
    if let Some(embed) = data["embeds"].get(0) {
        let text: String = embed["description"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(70)
            .collect();
        parts.push(format!(
            "embed {:?}{} {text:?}… {} fields",
            embed["title"].as_str().unwrap_or(""),
            embed["footer"]["text"]
                .as_str()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default(),
            embed["fields"].as_array().map_or(0, Vec::len)
        ));
    }
    if let Some(choices) = data["choices"].as_array() {
        parts.push(format!("choices {}", Value::Array(choices.clone())));
    }
    if let Some(reply_to) = v["message_reference"]["message_id"].as_str() {
        parts.push(format!("replying to {reply_to}"));
    }
    if let Some(m) = data.get("allowed_mentions") {
        parts.push(format!("allowed_mentions {m}"));
    }
    if let Some(commands) = v.as_array() {
        let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
        parts.push(format!("commands {names:?}"));
    }
    parts.join(", ")
}

async fn serve_gateway(stream: TcpStream, state: Arc<State>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut to_bot, mut from_bot) = ws.split();
    let send = |v: Value| Message::Text(v.to_string());
    if to_bot
        .send(send(json!({"op": 10, "d": {"heartbeat_interval": 41250}})))
        .await
        .is_err()
    {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    loop {
        tokio::select! {
            msg = from_bot.next() => {
                let Some(Ok(Message::Text(text))) = msg else {
                    if matches!(msg, Some(Ok(_))) { continue } else { break }
                };
                let payload: Value = serde_json::from_str(&text).unwrap_or_default();
                let reply = match payload["op"].as_u64() {
                    Some(1) => Some(json!({"op": 11})),
                    Some(2) => Some(state.update(|i| {
                        i.gateway.push(GatewayRecord::Identify);
                        i.transcript.push("gateway <- IDENTIFY; -> READY".into());
                        i.live = Some(tx.clone());
                        i.seq += 1;
                        json!({"op": 0, "t": "READY", "s": i.seq, "d": {
                            "v": 10, "user": bot_user(),
                            "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
                            "session_id": "session-1", "resume_gateway_url": state.gateway_url,
                            "shard": [0, 1],
                            "application": {"id": APP_ID.to_string(), "flags": 0},
                        }})
                    })),
                    Some(6) => Some(state.update(|i| {
                        i.gateway.push(GatewayRecord::Resume);
                        i.transcript.push("gateway <- RESUME; -> RESUMED".into());
                        i.live = Some(tx.clone());
                        i.seq += 1;
                        json!({"op": 0, "t": "RESUMED", "s": i.seq, "d": {}})
                    })),
                    _ => None,
                };
                if let Some(reply) = reply {
                    if to_bot.send(send(reply)).await.is_err() { break }
                }
            }
            command = rx.recv() => match command {
                Some(ToBot::Send(v)) => if to_bot.send(send(v)).await.is_err() { break },
                // Dropping both halves closes the TCP stream with no close frame.
                Some(ToBot::Drop) | None => break,
            }
        }
    }
}

/// A multipart body (a message with files) as its `payload_json`, with the
/// files under `"files"`: `[{"filename", "text"}]`.
fn multipart(body: &[u8], boundary: &str) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut payload = Value::Null;
    let mut files = Vec::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        if head.contains("name=\"payload_json\"") {
            payload = serde_json::from_str(content).unwrap_or(Value::Null);
        } else if let Some(name) = head
            .split("filename=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        {
            files.push(json!({"filename": name, "text": content}));
        }
    }
    if let Value::Object(map) = &mut payload {
        map.insert("files".into(), Value::Array(files));
    }
    payload
}

async fn serve_http(stream: TcpStream, state: Arc<State>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if read.read_line(&mut request_line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let mut length = 0;
        let mut boundary = None;
        loop {
            let mut header = String::new();
            if read.read_line(&mut header).await.unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if name.eq_ignore_ascii_case("content-type") {
                    boundary = value
                        .split(';')
                        .find_map(|p| p.trim().strip_prefix("boundary="))
                        .map(|b| b.trim_matches('"').to_string());
                }
            }
        }
        let mut body = vec![0; length];
        if read.read_exact(&mut body).await.is_err() {
            return;
        }
        let path = target.split('?').next().unwrap_or("").to_string();
        if method == "GET" && path.starts_with("/attachments/") {
            if !serve_attachment(&state, &path, &mut write).await {
                return;
            }
            continue;
        }
        let body: Value = match &boundary {
            Some(boundary) => multipart(&body, boundary),
            None => serde_json::from_slice(&body).unwrap_or(Value::Null),
        };
        let (status, response) = route(&state, &method, &path, &body);
        state.update(|i| {
            i.transcript
                .push(format!("REST {method} {path} {}", summary(&body)));
            i.calls.push(RestCall { method, path, body })
        });
        let text = response.map(|v| v.to_string()).unwrap_or_default();
        let reason = match status {
            200 => "OK",
            204 => "No Content",
            _ => "Not Found",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            text.len()
        );
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(text.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

/// Serves an attachment's bytes (404 if unknown) and records the call;
/// false when the connection is gone.
async fn serve_attachment(
    state: &State,
    path: &str,
    write: &mut tokio::net::tcp::OwnedWriteHalf,
) -> bool {
    let bytes = state.update(|i| {
        i.transcript.push(format!("REST GET {path}"));
        i.calls.push(RestCall {
            method: "GET".into(),
            path: path.to_string(),
            body: Value::Null,
        });
        i.attachments.get(path).cloned()
    });
    let (status, bytes) = match bytes {
        Some(bytes) => ("200 OK", bytes),
        None => ("404 Not Found", Vec::new()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\n\r\n",
        bytes.len()
    );
    write.write_all(head.as_bytes()).await.is_ok() && write.write_all(&bytes).await.is_ok()
}

/// The fake's answer to one REST call: a status and a JSON body.
fn route(state: &State, method: &str, path: &str, body: &Value) -> (u16, Option<Value>) {
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let sent_message = |channel: &str| {
        let id = state.next_id();
        let mut m = message_object(id, channel.parse().unwrap_or(CHANNEL_ID), bot_user(), "");
        m["content"] = body["content"].clone();
        if m["content"].is_null() {
            m["content"] = json!("");
        }
        m
    };
    match (method, segments.as_slice()) {
        ("GET", ["gateway"]) => (200, Some(json!({"url": state.gateway_url}))),
        ("GET", ["gateway", "bot"]) => (
            200,
            Some(
                json!({"url": state.gateway_url, "shards": 1, "session_start_limit":
                {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}),
            ),
        ),
        ("GET", ["users", "@me"]) => (200, Some(bot_user())),
        ("PUT", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]) => {
            (200, Some(json!([])))
        }
        ("POST", ["channels", channel, "messages"]) => (200, Some(sent_message(channel))),
        ("POST", ["channels", _, "typing"]) => (204, None),
        ("POST", ["interactions", _, _, "callback"]) => (204, None),
        ("POST" | "PATCH", ["webhooks", _, _, ..]) => {
            (200, Some(sent_message(&CHANNEL_ID.to_string())))
        }
        _ => (404, Some(json!({"message": "404: Not Found", "code": 0}))),
    }
}
