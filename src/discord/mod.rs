//! The Discord front end: questions in channels and slash commands, answered by the engine.
//!
//! Architecture invariant: this is the only module that knows serenity and
//! poise. It decides *when* to answer and *how to show* an answer (embeds,
//! pages, buttons); *what* to answer is the engine's job.
//!
//! - [`config`]: token, config file, sharding.
//! - [`events`]: messages that mention the bot, reply to it, DM it, or are in an answer channel.
//! - [`commands`]: `/ask`, `/timeline`, `/quote`, `/figure`, `/sources`, `/help`, `/about`.
//! - [`kb`]: `/kb`, the moderators' editing commands.
//! - [`forms`]: the `/kb add` form, a modal with the fields of one kind of entry.
//! - [`embeds`]: answers as embeds within Discord's limits.
//! - [`pagination`]: timeline pages whose Previous/Next buttons only the
//!   requester can press, and which keep working after a reconnect or restart.
//! - [`cooldown`]: per-user cooldown on questions.
//! - [`ratelimit`]: bounded resending of requests Discord refuses with 429.
//! - [`reload`]: hot reload of the knowledge folder; failures told to the moderators' channel.
//!
//! [`serve`] is the `serve` subcommand; [`run`] is the bot itself, also run by
//! the end-to-end tests against a fake Discord.

pub mod commands;
pub mod config;
pub mod cooldown;
pub mod embeds;
pub mod events;
pub mod forms;
pub mod kb;
pub mod pagination;
pub mod ratelimit;
pub mod reload;

pub use config::{BotConfig, FileConfig, ShardRange, Sharding, Token};

use crate::engine::{Answer, Conversation, DeclineReason, Engine};
use crate::knowledge::{KnowledgeStore, Live, UnansweredLog};
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::{error, info, warn};

/// Once told to stop, how long the gateway connections get to close before
/// the bot stops without them.
const CLOSE_WITHIN: Duration = Duration::from_secs(5);
/// Once the bot has stopped, how long work off the async threads (an answer,
/// a `/kb` save) gets to finish before the process exits. Saves are atomic,
/// so one cut short leaves the old files.
const FINISH_WITHIN: Duration = Duration::from_secs(5);

/// Options of `serve`. The token is read from the file `DISCORD_TOKEN_FILE`
/// names, or from `DISCORD_TOKEN`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A TOML file with guild_id, answer_channels, moderator_role, cooldown_seconds.
    #[arg(long, env = "DISPUTE_BOT_CONFIG", hide_env_values = true)]
    pub config: Option<PathBuf>,
    /// The total number of shards across all processes; all of them run here without
    /// --shard-range (autosharding when absent).
    #[arg(long, value_name = "TOTAL")]
    pub shards: Option<u32>,
    /// The shards this process runs, FIRST..LAST with LAST excluded (needs --shards).
    #[arg(long, value_name = "FIRST..LAST")]
    pub shard_range: Option<ShardRange>,
    /// Send Discord HTTP API requests to this base URL instead (e.g. http://127.0.0.1:3000),
    /// such as a rate-limiting proxy: serenity's rate limiter is then off, and a 429 is
    /// sent again, up to 4 attempts in all.
    #[arg(
        long,
        env = "DISPUTE_BOT_API_BASE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub api_base: Option<String>,
}

/// The engine the bot answers with, rebuilt whole when the knowledge folder
/// changes (by hand or through `/kb`); a question keeps the engine it started with.
pub type LiveEngine = Live<Engine>;

/// Where a conversation happens: follow-ups are per user and channel.
type ConversationKey = (serenity::ChannelId, serenity::UserId);

/// Past this many remembered conversations, all are forgotten.
const MAX_CONVERSATIONS: usize = 10_000;

/// What every command and event handler shares.
pub struct Data {
    /// The engine.
    pub engine: Arc<LiveEngine>,
    /// Edits of the engine's knowledge folder, for `/kb`.
    pub store: Arc<KnowledgeStore>,
    /// The questions declined recently, for `/kb unanswered`.
    pub unanswered: Arc<UnansweredLog>,
    /// The configuration.
    pub config: Arc<BotConfig>,
    /// Per-user cooldown on questions.
    pub cooldown: cooldown::Cooldown,
    conversations: Arc<Mutex<HashMap<ConversationKey, Conversation>>>,
}

impl Data {
    fn new(engine: Arc<LiveEngine>, config: Arc<BotConfig>) -> Data {
        Data {
            store: Arc::new(KnowledgeStore::open(engine.root())),
            unanswered: Arc::new(UnansweredLog::new(engine.root())),
            engine,
            cooldown: cooldown::Cooldown::new(config.cooldown),
            config,
            conversations: Arc::default(),
        }
    }

    /// Answers a question in the asker's conversation, off the async threads,
    /// and keeps it in the unanswered log when it was declined.
    pub async fn answer(
        &self,
        channel: serenity::ChannelId,
        user: serenity::UserId,
        question: String,
    ) -> anyhow::Result<Answer> {
        let engine = self.engine.current();
        let conversations = Arc::clone(&self.conversations);
        let unanswered = Arc::clone(&self.unanswered);
        let answer = tokio::task::spawn_blocking(move || {
            let key = (channel, user);
            let mut all = conversations.lock().unwrap_or_else(|e| e.into_inner());
            if all.len() >= MAX_CONVERSATIONS {
                all.clear();
            }
            let conversation = all.entry(key).or_default();
            let answer = engine.answer_in(&question, conversation);
            conversation.remember(&answer);
            drop(all);
            if is_unanswered(&answer) {
                if let Err(e) = unanswered.record(&question, chrono::Utc::now()) {
                    warn!("cannot keep a declined question: {e}");
                }
            }
            answer
        })
        .await?;
        Ok(answer)
    }
}

/// Whether a moderator would want to know the question was asked: declined,
/// but neither empty nor a request for help.
fn is_unanswered(answer: &Answer) -> bool {
    !matches!(
        answer.decline_reason(),
        None | Some(DeclineReason::Help | DeclineReason::Empty)
    )
}

/// The error type of commands and handlers.
pub type Error = anyhow::Error;
/// The context of a command.
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// Mentions allowed in anything the bot sends: none, not even the user it replies to.
pub fn no_mentions() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new().replied_user(false)
}

/// The gateway intents the bot needs. Mentions and DMs carry their content
/// without the privileged MESSAGE_CONTENT intent; only answer channels need it.
pub fn intents(config: &BotConfig) -> serenity::GatewayIntents {
    let mut intents =
        serenity::GatewayIntents::GUILD_MESSAGES | serenity::GatewayIntents::DIRECT_MESSAGES;
    if !config.answer_channels.is_empty() {
        intents |= serenity::GatewayIntents::MESSAGE_CONTENT;
    }
    intents
}

/// Awaits `work`; when it is not done within `after`, first awaits `notice`
/// (a typing indicator, a deferral), so that the notice always comes before
/// what the work leads to, and only when the work is slow. With `after`
/// zero, the notice always comes first.
pub async fn unless_quick<T, N>(
    work: impl Future<Output = T>,
    after: Duration,
    notice: impl Future<Output = N>,
) -> (T, Option<N>) {
    tokio::pin!(work);
    if !after.is_zero() {
        if let Ok(done) = tokio::time::timeout(after, &mut work).await {
            return (done, None);
        }
    }
    let noticed = notice.await;
    (work.await, Some(noticed))
}

/// Runs the bot until `shutdown` completes or the gateway fails for good.
///
/// Stopping never waits on Discord: connected shards get 5 s to close
/// their connections, and the bot stops whether or not they did; with none
/// connected (Discord unreachable, a connection refused or being retried),
/// it stops at once.
pub async fn run(
    config: BotConfig,
    engine: Arc<LiveEngine>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let mut http =
        serenity::HttpBuilder::new(config.token.expose()).default_allowed_mentions(no_mentions());
    if let Some(client) = &config.http_client {
        http = http.client(client.clone());
    }
    if let Some(base) = &config.api_base {
        info!(api_base = %base, "sending Discord HTTP requests to another base URL");
        // Serenity's rate limiter sends its requests to discord.com, not to the
        // proxy (`Ratelimiter::perform` builds them with no proxy); rate limits
        // are then the proxy's job (as twilight-http-proxy does), and a 429
        // that still comes back is resent by `ratelimit::RetryPolicy`.
        http = http.proxy(base.as_str()).ratelimiter_disabled(true);
    }
    let http = http.build();

    let data = Data::new(Arc::clone(&engine), Arc::clone(&config));
    let guild_id = config.guild_id;
    let retry = config.retry;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            allowed_mentions: Some(no_mentions()),
            event_handler: |framework, event| Box::pin(events::on_event(framework, event)),
            on_error: |error| Box::pin(commands::on_error(error)),
            pre_command: ratelimit::note_received,
            prefix_options: poise::PrefixFrameworkOptions {
                mention_as_prefix: false,
                ..Default::default()
            },
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                let commands = &framework.options().commands;
                let registered = retry
                    .send("registering the slash commands", None, || async {
                        match guild_id {
                            Some(guild) => {
                                poise::builtins::register_in_guild(ctx, commands, guild).await
                            }
                            None => poise::builtins::register_globally(ctx, commands).await,
                        }
                    })
                    .await;
                match registered {
                    Ok(()) => info!(guild = ?guild_id, "registered the slash commands"),
                    Err(e) => error!("could not register the slash commands: {e}"),
                }
                Ok(data)
            })
        })
        // Owners are not used: moderators are a role of the config file.
        .initialize_owners(false)
        .build();

    let mut client = serenity::ClientBuilder::new_with_http(http, intents(&config))
        .framework(framework)
        .await?;
    let _watcher = reload::watch(
        &engine,
        Arc::clone(&client.http),
        config.moderator_channel,
        config.retry,
    );
    let shard_manager = Arc::clone(&client.shard_manager);
    let gateway = async {
        match &config.sharding {
            Sharding::Auto => client.start_autosharded().await,
            Sharding::All { total } => client.start_shards(*total).await,
            Sharding::Range { range, total } => {
                client.start_shard_range(range.clone(), *total).await
            }
        }
    };
    tokio::pin!(gateway);
    tokio::select! {
        ended = &mut gateway => return Ok(ended?),
        () = shutdown => info!("shutting down"),
    }
    // Serenity's `shutdown_all` closes the shards that are connected, and
    // then the client ends. A shard still waiting to connect (Discord
    // unreachable, its start retried every 5 s) it does not know of, and the
    // client would wait for it for ever: with none connected there is
    // nothing to close, and the client is dropped at once.
    let closing = async {
        if shard_manager.shards_instantiated().await.is_empty() {
            return Ok(());
        }
        shard_manager.shutdown_all().await;
        gateway.await
    };
    match tokio::time::timeout(CLOSE_WITHIN, closing).await {
        Ok(Err(e)) => warn!("the gateway closed with an error: {e}"),
        Ok(Ok(())) => {}
        Err(_) => warn!(
            "the gateway did not close within {CLOSE_WITHIN:?} (Discord unreachable?); stopping anyway"
        ),
    }
    info!("stopped");
    Ok(())
}

/// The `serve` subcommand: loads the knowledge and runs the bot until Ctrl-C or SIGTERM.
pub fn serve(args: ServeArgs, knowledge: PathBuf) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,serenity=warn,poise=warn".into()),
        )
        .init();
    let mut config = BotConfig::new(Token::from_env()?);
    if let Some(path) = &args.config {
        config = config.with_file(FileConfig::read(path)?);
    }
    config.sharding = Sharding::from_args(args.shards, args.shard_range)?;
    config.api_base = args.api_base;
    let engine =
        Live::load(&knowledge, Engine::new).map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let stats = engine.current().knowledge().stats();
    info!(stats = %stats.to_string().replace('\n', ", "), "knowledge loaded");
    let engine = Arc::new(engine);
    let runtime = tokio::runtime::Runtime::new()?;
    // The signals are listened for before the bot starts, so none is missed.
    let ran = runtime.block_on(async { run(config, engine, stop_signal()).await });
    // Dropping the runtime would wait for every blocking task, for ever.
    runtime.shutdown_timeout(FINISH_WITHIN);
    ran
}

/// Listens for Ctrl-C and, on Unix, SIGTERM from the moment it is called
/// (inside the runtime); the future completes on the first of them.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let listen = |kind, name| {
            signal(kind)
                .map_err(|e| warn!("cannot listen for {name}: {e}"))
                .ok()
        };
        let interrupt = listen(SignalKind::interrupt(), "Ctrl-C");
        let terminate = listen(SignalKind::terminate(), "SIGTERM");
        async move {
            tokio::select! {
                () = received(interrupt) => {}
                () = received(terminate) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    }
}

/// Completes when the signal arrives; never, when it cannot be listened for.
#[cfg(unix)]
async fn received(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}
