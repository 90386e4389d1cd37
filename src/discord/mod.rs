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
//! - [`embeds`]: answers as embeds within Discord's limits.
//! - [`pagination`]: Previous/Next buttons that only the requester can press.
//! - [`cooldown`]: per-user cooldown on questions.
//! - [`reload`]: hot reload of the knowledge folder; failures told to the moderators' channel.
//!
//! [`serve`] is the `serve` subcommand; [`run`] is the bot itself, also run by
//! the end-to-end tests against a fake Discord.

pub mod commands;
pub mod config;
pub mod cooldown;
pub mod embeds;
pub mod events;
pub mod kb;
pub mod pagination;
pub mod reload;

pub use config::{BotConfig, FileConfig, ShardRange, Sharding, Token};

use crate::engine::{Answer, Conversation, DeclineReason, Engine};
use crate::knowledge::{KnowledgeStore, Live, UnansweredLog};
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tracing::{error, info, warn};

/// Options of `serve`. The token is read from the file `DISCORD_TOKEN_FILE`
/// names, or from `DISCORD_TOKEN`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A TOML file with guild_id, answer_channels, moderator_role, cooldown_seconds.
    #[arg(long, env = "DISPUTE_BOT_CONFIG", hide_env_values = true)]
    pub config: Option<PathBuf>,
    /// The total number of shards across all processes (autosharding when absent).
    #[arg(long, value_name = "TOTAL")]
    pub shards: Option<u32>,
    /// The shards this process runs, FIRST..LAST with LAST excluded (needs --shards).
    #[arg(long, value_name = "FIRST..LAST")]
    pub shard_range: Option<ShardRange>,
    /// Send Discord HTTP API requests to this base URL instead (e.g. http://127.0.0.1:3000).
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
        answer.declined,
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

/// Runs the bot until `shutdown` completes or the gateway fails for good.
pub async fn run(
    config: BotConfig,
    engine: Arc<LiveEngine>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let mut http =
        serenity::HttpBuilder::new(config.token.expose()).default_allowed_mentions(no_mentions());
    if let Some(base) = &config.api_base {
        info!(api_base = %base, "sending Discord HTTP requests to another base URL");
        // Serenity's rate limiter sends its requests to discord.com, not to the
        // proxy; rate limits are then the proxy's job (as twilight-http-proxy does).
        http = http.proxy(base.as_str()).ratelimiter_disabled(true);
    }
    let http = http.build();

    let data = Data::new(Arc::clone(&engine), Arc::clone(&config));
    let guild_id = config.guild_id;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            allowed_mentions: Some(no_mentions()),
            event_handler: |framework, event| Box::pin(events::on_event(framework, event)),
            on_error: |error| Box::pin(commands::on_error(error)),
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
                let registered = match guild_id {
                    Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await,
                    None => poise::builtins::register_globally(ctx, commands).await,
                };
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
    let _watcher = reload::watch(&engine, Arc::clone(&client.http), config.moderator_channel);
    let shard_manager = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        shutdown.await;
        info!("shutting down");
        shard_manager.shutdown_all().await;
    });
    match &config.sharding {
        Sharding::Auto => client.start_autosharded().await?,
        Sharding::All { total } => client.start_shards(*total).await?,
        Sharding::Range { range, total } => client.start_shard_range(range.clone(), *total).await?,
    }
    info!("stopped");
    Ok(())
}

/// The `serve` subcommand: loads the knowledge and runs the bot until Ctrl-C or SIGTERM.
pub fn serve(args: ServeArgs, knowledge: PathBuf) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
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
    tokio::runtime::Runtime::new()?.block_on(run(config, engine, stop_signal()))
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
