//! A fake Discord on 127.0.0.1 for end-to-end tests of the bot.
//!
//! REST: a small HTTP/1.1 server on tokio (Discord's API is plain JSON over
//! HTTP here; hyper's server feature would rebuild serenity's whole HTTP stack
//! for the tests alone). It answers the routes the bot uses and records every
//! call; on demand it answers 429 Too Many Requests instead, for a route or
//! as Discord's global limit ([`FakeDiscord::rate_limit`]).
//!
//! Gateway: tokio-tungstenite; HELLO, IDENTIFY → READY, RESUME → RESUMED
//! (or, on demand, INVALID_SESSION), heartbeats and their ACKs, invalid
//! sessions, close codes, and dispatches the test chooses, each sent on the
//! shard Discord would send it on (several shards, of one bot process or of
//! several, identify with `shard: [id, count]`); or, for tests of an
//! unreachable Discord, a gateway that refuses connections or hangs up on
//! each one ([`Gateway`]).
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
    /// When the fake received it.
    pub at: std::time::Instant,
    /// GET, POST, PUT, PATCH, DELETE.
    pub method: String,
    /// The path without the query, e.g. `/api/v10/channels/4000/messages`.
    pub path: String,
    /// The JSON body, or `null`.
    pub body: Value,
    /// The `Authorization` header, e.g. `Bot fake-token`.
    pub authorization: String,
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

/// Which of Discord's rate limits a 429 of the fake reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The route's bucket is used up (`global: false`, scope `user`).
    Route,
    /// The bot's global limit (`global: true`, `X-RateLimit-Global`); as on
    /// Discord, it does not apply to interaction responses and follow-ups.
    Global,
}

/// How long the fake's 429s tell the bot to wait, in seconds: short, so
/// that tests stay quick. The fake answers the request after it whatever
/// the time, so nothing depends on the bot waiting exactly this long.
pub const RETRY_AFTER: f64 = 0.05;

/// Which REST calls (by method and path) a pending 429 is for.
type Applies = Box<dyn Fn(&str, &str) -> bool + Send>;

/// 429s the fake still has to answer.
struct PendingLimit {
    limit: Limit,
    times: usize,
    applies: Applies,
}

/// One IDENTIFY the gateway received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    /// The shard, `[shard_id, num_shards]` (`[0, 1]` when the bot sent none).
    pub shard: [u32; 2],
    /// The token it identified with.
    pub token: String,
}

/// The shard that Discord sends a guild's events on:
/// `shard_id = (guild_id >> 22) % num_shards`.
pub fn shard_of(guild: u64, shards: u32) -> u32 {
    ((guild >> 22) % u64::from(shards)) as u32
}

/// A guild id that Discord's formula puts on shard `shard` of `shards`:
/// `(shard << 22) + GUILD_ID`.
pub fn guild_on_shard(shard: u32, shards: u32) -> u64 {
    let guild = (u64::from(shard) << 22) + GUILD_ID;
    assert_eq!(shard_of(guild, shards), shard);
    guild
}

enum ToBot {
    Send(Value),
    Drop,
    Close(u16),
}

#[derive(Default)]
struct Inner {
    calls: Vec<RestCall>,
    gateway: Vec<GatewayRecord>,
    transcript: Vec<String>,
    /// The live session of each shard, by shard id.
    live: std::collections::BTreeMap<u32, mpsc::UnboundedSender<ToBot>>,
    /// The last sequence number sent on each shard's session.
    seq: std::collections::HashMap<u32, u64>,
    /// The number of shards the bot identified with (Discord's `shard[1]`).
    shard_count: Option<u32>,
    /// Every IDENTIFY, in order.
    identified: Vec<Identified>,
    /// How many RESUMEs still to answer with INVALID_SESSION.
    refuse_resumes: usize,
    next_id: u64,
    /// The REST calls answered with 429, which `calls` leaves out.
    refused: Vec<RestCall>,
    /// The 429s still to answer, in the order they were asked for.
    limits: Vec<PendingLimit>,
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
    /// Where the same REST API is served over TLS as https://discord.com
    /// (see [`FakeDiscord::discord_com_client`]).
    tls: std::net::SocketAddr,
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
        let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let tls_addr = tls.local_addr().unwrap();
        let s = Arc::clone(&state);
        tokio::spawn(async move {
            let acceptor = discord_com_acceptor();
            while let Ok((stream, _)) = tls.accept().await {
                let (acceptor, s) = (acceptor.clone(), Arc::clone(&s));
                tokio::spawn(async move {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_http(stream, s).await;
                    }
                });
            }
        });
        FakeDiscord {
            api_base,
            tls: tls_addr,
            state,
        }
    }

    /// An HTTP client for which this fake is https://discord.com: the name
    /// resolves to its TLS port on 127.0.0.1, and only the tests' own CA
    /// (`tests/fixtures/tls/`) is trusted. With it, the bot needs no
    /// `--api-base`, and serenity's own rate limiter is on.
    pub fn discord_com_client(&self) -> reqwest::Client {
        let ca = std::fs::read(tls_fixture("ca.pem")).unwrap();
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .resolve("discord.com", self.tls)
            .build()
            .unwrap()
    }

    /// [`FakeDiscord::config`] without `--api-base`: the bot sends its
    /// requests to https://discord.com, which [`discord_com_client`](Self::discord_com_client) makes this fake.
    pub fn config_at_discord_com(&self) -> BotConfig {
        let mut config = self.config();
        config.api_base = None;
        config.http_client = Some(self.discord_com_client());
        config
    }

    /// `dispute-bot serve`, the built binary, against this fake, with this
    /// knowledge folder, configuration file and token, and no setting taken
    /// from the caller's environment.
    pub fn serve_command(
        &self,
        knowledge: &Path,
        config: &Path,
        token: &str,
    ) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dispute-bot"));
        command
            .arg("serve")
            .arg("--knowledge")
            .arg(knowledge)
            .arg("--config")
            .arg(config)
            .arg("--api-base")
            .arg(&self.api_base)
            .env("DISCORD_TOKEN", token)
            .env_remove("DISCORD_TOKEN_FILE")
            .env_remove("DISPUTE_BOT_CONFIG")
            .env_remove("DISPUTE_BOT_API_BASE")
            .env_remove("DISPUTE_BOT_KNOWLEDGE");
        command
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

    /// Sends a dispatch (`MESSAGE_CREATE`, `INTERACTION_CREATE`...) once the
    /// bot has a live session on the shard Discord would send it on: the
    /// guild's by [`shard_of`], or shard 0 for direct messages.
    pub async fn dispatch(&self, event: &str, data: Value) {
        let guild = data["guild_id"]
            .as_str()
            .and_then(|g| g.parse::<u64>().ok());
        let (shard, live) = self
            .wait_until("a live gateway session", |i| {
                let shard = guild.map_or(0, |g| shard_of(g, i.shard_count.unwrap_or(1)));
                Some((shard, i.live.get(&shard)?.clone()))
            })
            .await;
        let seq = self.state.update(|i| {
            let seq = i.seq.entry(shard).or_default();
            *seq += 1;
            i.gateway.push(GatewayRecord::Dispatched(event.to_string()));
            i.transcript.push(format!(
                "gateway (shard {shard}) -> {event} {}",
                summary(&data)
            ));
            *seq
        });
        live.send(ToBot::Send(
            json!({"op": 0, "t": event, "s": seq, "d": data}),
        ))
        .expect("the gateway connection is open");
    }

    /// Drops the gateway sockets without a close frame, as a network failure would.
    pub fn drop_gateway(&self) {
        for live in self.state.update(|i| {
            i.transcript.push("gateway: socket dropped".into());
            std::mem::take(&mut i.live).into_values()
        }) {
            let _ = live.send(ToBot::Drop);
        }
    }

    /// Closes the gateway sockets with this close code, as Discord does
    /// (4000, "unknown error", lets the bot reconnect and resume).
    pub fn close_gateway(&self, code: u16) {
        for live in self.state.update(|i| {
            i.transcript.push(format!("gateway: closed with {code}"));
            std::mem::take(&mut i.live).into_values()
        }) {
            let _ = live.send(ToBot::Close(code));
        }
    }

    /// Answers the next `n` RESUMEs as Discord does when the session is
    /// gone: INVALID_SESSION (opcode 9), `d: false`, so the bot must IDENTIFY.
    pub fn refuse_resumes(&self, n: usize) {
        self.state.update(|i| i.refuse_resumes += n);
    }

    /// Every IDENTIFY the gateway received, in order.
    pub fn identified(&self) -> Vec<Identified> {
        self.state.inner.lock().unwrap().identified.clone()
    }

    /// Ends the session as Discord does when it cannot be resumed (opcode 9,
    /// INVALID_SESSION, `d: false`): the bot must connect and IDENTIFY again.
    /// Dispatches wait until it has.
    pub fn invalidate_session(&self) {
        for live in self.state.update(|i| {
            i.transcript
                .push("gateway -> INVALID_SESSION (not resumable)".into());
            std::mem::take(&mut i.live).into_values()
        }) {
            let _ = live.send(ToBot::Send(json!({"op": 9, "d": false})));
        }
    }

    /// Answers the next `times` REST calls that `applies` accepts (given
    /// the method and the path) with 429 Too Many Requests, as Discord
    /// reports the `limit` being hit; those calls are then in
    /// [`refused`](Self::refused), not in [`calls`](Self::calls).
    pub fn rate_limit(
        &self,
        limit: Limit,
        times: usize,
        applies: impl Fn(&str, &str) -> bool + Send + 'static,
    ) {
        self.state.update(|i| {
            i.limits.push(PendingLimit {
                limit,
                times,
                applies: Box::new(applies),
            })
        });
    }

    /// Every REST call answered with 429 so far.
    pub fn refused(&self) -> Vec<RestCall> {
        self.state.inner.lock().unwrap().refused.clone()
    }

    /// Waits until at least `n` REST calls have been answered with 429.
    pub async fn wait_refused(&self, n: usize) {
        self.wait_until(&format!("{n} calls answered with 429"), |i| {
            (i.refused.len() >= n).then_some(())
        })
        .await
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

/// A submitted form (MODAL_SUBMIT, interaction type 5) by `member`: the
/// modal's `custom_id` and each text input's custom id and value, as Discord
/// sends them (one input per action row, only `custom_id` and `value`).
pub fn modal_submit(id: u64, custom_id: &str, values: &[(&str, &str)], member: Value) -> Value {
    let rows: Vec<Value> = values
        .iter()
        .map(|(input, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": input, "value": value}]})
        })
        .collect();
    let mut i = interaction(
        id,
        5,
        json!({"custom_id": custom_id, "components": rows}),
        0,
    );
    i["member"] = member;
    i
}

/// The modal a callback opens (interaction response type 9, MODAL), or `None`.
pub fn opened_modal(callback: &RestCall) -> Option<&Value> {
    (callback.body["type"] == 9).then_some(&callback.body["data"])
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
        let what = match (v["type"].as_u64(), v.get("token")) {
            (Some(5), Some(_)) => "form",
            (Some(9), None) => "modal",
            _ => "button",
        };
        parts.push(format!("{what} {id} by user {}", v["member"]["user"]["id"]));
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
                    Some(2) => Some(state.update(|i| identify(i, &state.gateway_url, &payload["d"], &tx))),
                    Some(6) => Some(state.update(|i| {
                        i.gateway.push(GatewayRecord::Resume);
                        if i.refuse_resumes > 0 {
                            i.refuse_resumes -= 1;
                            i.transcript
                                .push("gateway <- RESUME; -> INVALID_SESSION (not resumable)".into());
                            return json!({"op": 9, "d": false});
                        }
                        let shard = payload["d"]["session_id"]
                            .as_str()
                            .and_then(|s| s.strip_prefix("session-"))
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0);
                        i.transcript
                            .push(format!("gateway <- RESUME (shard {shard}); -> RESUMED"));
                        i.live.insert(shard, tx.clone());
                        let seq = i.seq.entry(shard).or_default();
                        *seq += 1;
                        json!({"op": 0, "t": "RESUMED", "s": *seq, "d": {}})
                    })),
                    _ => None,
                };
                if let Some(reply) = reply {
                    if to_bot.send(send(reply)).await.is_err() { break }
                }
            }
            command = rx.recv() => match command {
                Some(ToBot::Send(v)) => if to_bot.send(send(v)).await.is_err() { break },
                Some(ToBot::Close(code)) => {
                    use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
                    let frame = CloseFrame { code: CloseCode::from(code), reason: "".into() };
                    let _ = to_bot.send(Message::Close(Some(frame))).await;
                    break;
                }
                // Dropping both halves closes the TCP stream with no close frame.
                Some(ToBot::Drop) | None => break,
            }
        }
    }
}

/// Answers an IDENTIFY with READY: a new session (`session-SHARD`) on the
/// shard it names, whose guilds (of the fake's one) are listed unavailable.
fn identify(
    i: &mut Inner,
    gateway_url: &str,
    identify: &Value,
    tx: &mpsc::UnboundedSender<ToBot>,
) -> Value {
    let shard = match identify["shard"].as_array().map(Vec::as_slice) {
        Some([id, count]) => [id, count].map(|n| n.as_u64().unwrap_or(0) as u32),
        _ => [0, 1],
    };
    let [id, count] = shard;
    i.gateway.push(GatewayRecord::Identify);
    i.identified.push(Identified {
        shard,
        token: identify["token"].as_str().unwrap_or("").to_string(),
    });
    i.transcript.push(format!(
        "gateway <- IDENTIFY (shard {id} of {count}); -> READY"
    ));
    i.shard_count = Some(count);
    i.live.insert(id, tx.clone());
    i.seq.insert(id, 1);
    let guilds: Vec<Value> = [GUILD_ID]
        .into_iter()
        .filter(|g| shard_of(*g, count) == id)
        .map(|g| json!({"id": g.to_string(), "unavailable": true}))
        .collect();
    json!({"op": 0, "t": "READY", "s": 1, "d": {
        "v": 10, "user": bot_user(), "guilds": guilds,
        "session_id": format!("session-{id}"), "resume_gateway_url": gateway_url,
        "shard": shard,
        "application": {"id": APP_ID.to_string(), "flags": 0},
    }})
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

async fn serve_http(
    stream: impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
    state: Arc<State>,
) {
    let (read, mut write) = tokio::io::split(stream);
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
        let mut authorization = String::new();
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
                } else if name.eq_ignore_ascii_case("authorization") {
                    authorization = value.trim().to_string();
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
            if !serve_attachment(&state, &path, authorization, &mut write).await {
                return;
            }
            continue;
        }
        let body: Value = match &boundary {
            Some(boundary) => multipart(&body, boundary),
            None => serde_json::from_slice(&body).unwrap_or(Value::Null),
        };
        if let Some(limit) = take_limit(&state, &method, &path, &body, &authorization) {
            if write
                .write_all(too_many_requests(limit).as_bytes())
                .await
                .is_err()
            {
                return;
            }
            continue;
        }
        let (status, response) = route(&state, &method, &path, &body);
        state.update(|i| {
            i.transcript
                .push(format!("REST {method} {path} {}", summary(&body)));
            i.calls.push(RestCall {
                at: std::time::Instant::now(),
                method,
                path,
                body,
                authorization,
            })
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

/// A file of `tests/fixtures/tls/`: a test CA (`ca.pem`, its key thrown
/// away) and the certificate it signed for discord.com, valid until 2126,
/// with its key (`discord.com.pem`, `discord.com.key`). For tests only.
fn tls_fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls")).join(name)
}

/// Accepts TLS connections as discord.com, with the fixture's certificate.
fn discord_com_acceptor() -> tokio_rustls::TlsAcceptor {
    use tokio_rustls::rustls::{self, pki_types::pem::PemObject};
    let certs = rustls::pki_types::CertificateDer::pem_file_iter(tls_fixture("discord.com.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key =
        rustls::pki_types::PrivateKeyDer::from_pem_file(tls_fixture("discord.com.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// The rate limit that refuses this call, if one is pending; the call is
/// then recorded as refused.
fn take_limit(
    state: &State,
    method: &str,
    path: &str,
    body: &Value,
    authorization: &str,
) -> Option<Limit> {
    // Discord: interaction endpoints are not bound to the global rate limit.
    let interaction = path.starts_with("/api/v10/interactions/")
        || path.starts_with(&format!("/api/v10/webhooks/{APP_ID}/"));
    state.update(|i| {
        let pending = i.limits.iter_mut().find(|l| {
            l.times > 0 && !(l.limit == Limit::Global && interaction) && (l.applies)(method, path)
        })?;
        pending.times -= 1;
        let limit = pending.limit;
        i.transcript.push(format!(
            "REST {method} {path} -> 429 ({limit:?} rate limit)"
        ));
        i.refused.push(RestCall {
            at: std::time::Instant::now(),
            method: method.to_string(),
            path: path.to_string(),
            body: body.clone(),
            authorization: authorization.to_string(),
        });
        Some(limit)
    })
}

/// A 429 response as Discord sends it
/// (<https://discord.com/developers/docs/topics/rate-limits>): the body's
/// `retry_after` in seconds, the headers' `Retry-After` rounded up to whole
/// seconds, and for a route, its bucket's `X-RateLimit-*` headers.
fn too_many_requests(limit: Limit) -> String {
    let global = limit == Limit::Global;
    let body = json!({"message": "You are being rate limited.", "retry_after": RETRY_AFTER,
                      "global": global})
    .to_string();
    let mut headers = format!("Retry-After: {}\r\n", RETRY_AFTER.ceil());
    if global {
        headers.push_str("X-RateLimit-Global: true\r\nX-RateLimit-Scope: global\r\n");
    } else {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        headers.push_str(&format!(
            "X-RateLimit-Limit: 5\r\nX-RateLimit-Remaining: 0\r\n\
             X-RateLimit-Reset: {:.3}\r\nX-RateLimit-Reset-After: {RETRY_AFTER:.3}\r\n\
             X-RateLimit-Bucket: 0123456789abcdef0123456789abcdef\r\nX-RateLimit-Scope: user\r\n",
            now + RETRY_AFTER
        ));
    }
    format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n{headers}\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Serves an attachment's bytes (404 if unknown) and records the call;
/// false when the connection is gone.
async fn serve_attachment(
    state: &State,
    path: &str,
    authorization: String,
    write: &mut (impl tokio::io::AsyncWrite + Unpin),
) -> bool {
    let bytes = state.update(|i| {
        i.transcript.push(format!("REST GET {path}"));
        i.calls.push(RestCall {
            at: std::time::Instant::now(),
            method: "GET".into(),
            path: path.to_string(),
            body: Value::Null,
            authorization,
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
