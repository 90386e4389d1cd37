//! What the bot is told at start-up: the token, the optional TOML file, sharding.
//!
//! The token is read from the file named by `DISCORD_TOKEN_FILE` (the
//! recommended way: Docker secrets and systemd credentials provide it so) or
//! from `DISCORD_TOKEN`, and kept in a [`Token`], whose `Debug` never shows
//! it, so it cannot reach the logs by accident. No error message shows the
//! token or any other part of the environment.

use anyhow::Context as _;
use poise::serenity_prelude::{ChannelId, GuildId, RoleId};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// How long a user waits between two questions, unless the config file says otherwise.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(5);
/// How long an answer to a message may take before the bot shows it is typing.
pub const DEFAULT_TYPING_AFTER: Duration = Duration::from_millis(300);
/// How long an answer to `/ask` may take before the bot defers it: Discord
/// wants an interaction answered within 3 seconds.
pub const DEFAULT_DEFER_AFTER: Duration = Duration::from_millis(1500);

/// The bot token; `Debug` and `Display` print `***`.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token, without the `Bot ` prefix (serenity adds it).
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    /// The token itself, for the HTTP client only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// The variable naming a file that holds the token (recommended).
pub const TOKEN_FILE_VAR: &str = "DISCORD_TOKEN_FILE";
/// The variable holding the token itself.
pub const TOKEN_VAR: &str = "DISCORD_TOKEN";

impl Token {
    /// The token from the process environment: the file `DISCORD_TOKEN_FILE`
    /// names, or else `DISCORD_TOKEN`.
    pub fn from_env() -> anyhow::Result<Token> {
        Token::from_sources(
            std::env::var_os(TOKEN_FILE_VAR).map(Into::into),
            std::env::var(TOKEN_VAR).ok(),
        )
    }

    /// The token from a file (leading and trailing white space dropped, as
    /// secret files end with a line break) or else from a variable's value.
    /// Setting both is refused, since which one is meant cannot be known.
    pub fn from_sources(
        file: Option<std::path::PathBuf>,
        value: Option<String>,
    ) -> anyhow::Result<Token> {
        let token = match (file, value) {
            (Some(_), Some(_)) => anyhow::bail!(
                "both {TOKEN_FILE_VAR} and {TOKEN_VAR} are set: unset {TOKEN_VAR} and keep the token \
                 in the file only"
            ),
            (Some(path), None) => std::fs::read_to_string(&path)
                .map_err(|e| {
                    anyhow::anyhow!(
                        "cannot read the token file {} named by {TOKEN_FILE_VAR}: {}; \
                         put the bot token alone in that file, readable by the bot's user only",
                        path.display(),
                        e.kind()
                    )
                })?
                .trim()
                .to_string(),
            (None, Some(value)) => value.trim().to_string(),
            (None, None) => anyhow::bail!(
                "no bot token: put it in a file readable only by the bot's user and run \
                 `{TOKEN_FILE_VAR}=/path/to/file dispute-bot serve` (or set {TOKEN_VAR}); \
                 copy the token from the Discord developer portal (your application > Bot > Reset Token)"
            ),
        };
        anyhow::ensure!(
            !token.is_empty() && !token.contains(char::is_whitespace),
            "the bot token in {TOKEN_FILE_VAR} or {TOKEN_VAR} is empty or holds white space \
             inside; the file or variable must hold the token alone"
        );
        Ok(Token(token))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The optional TOML file given with `serve --config`.
///
/// ```toml
/// guild_id = 123456789012345678          # register commands in this guild only
/// answer_channels = [234567890123456789] # answer every message in these channels
/// moderator_role = 345678901234567890    # may use /kb (as may members with Manage Server)
/// moderator_channel = 456789012345678901 # told when the knowledge folder fails to reload
/// cooldown_seconds = 5                   # between two questions of one user
/// ```
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The guild to register slash commands in; globally when absent.
    pub guild_id: Option<u64>,
    /// Channels where every message is taken as a question.
    #[serde(default)]
    pub answer_channels: Vec<u64>,
    /// The role allowed to use moderator commands.
    pub moderator_role: Option<u64>,
    /// The channel told when a changed knowledge folder fails to reload.
    pub moderator_channel: Option<u64>,
    /// Seconds between two questions of one user.
    pub cooldown_seconds: Option<u64>,
    /// No longer used: timeline buttons work as long as their message
    /// exists. Accepted, with a warning, so that older files still load.
    pub pagination_timeout_seconds: Option<u64>,
}

impl FileConfig {
    /// Reads and parses a config file; the error names the file and what is wrong.
    pub fn read(path: &Path) -> anyhow::Result<FileConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| {
            format!(
                "{} is not a valid config file (allowed keys: guild_id, answer_channels, \
                 moderator_role, moderator_channel, cooldown_seconds)",
                path.display()
            )
        })
    }
}

/// A range of shard ids, written `FIRST..LAST` with LAST excluded (`0..2` is shards 0 and 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardRange(pub Range<u32>);

impl FromStr for ShardRange {
    type Err = String;

    fn from_str(s: &str) -> Result<ShardRange, String> {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| format!("`{s}` is not a shard range: write FIRST..LAST, e.g. 0..2"))?;
        let parse = |n: &str| {
            n.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{n}` in `{s}` is not a shard number"))
        };
        let (first, last) = (parse(a)?, parse(b)?);
        if first >= last {
            return Err(format!(
                "the shard range `{s}` is empty: LAST is excluded, so `{first}..{}` runs shard {first}",
                first + 1
            ));
        }
        Ok(ShardRange(first..last))
    }
}

/// Which shards this process runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharding {
    /// As many shards as Discord recommends (`GET /gateway/bot`).
    Auto,
    /// All of `total` shards in this process.
    All {
        /// The total number of shards.
        total: u32,
    },
    /// Some of `total` shards, the others run by other processes.
    Range {
        /// The shards of this process.
        range: Range<u32>,
        /// The total number of shards.
        total: u32,
    },
}

impl Sharding {
    /// The sharding that `--shards` and `--shard-range` ask for.
    pub fn from_args(shards: Option<u32>, range: Option<ShardRange>) -> anyhow::Result<Sharding> {
        match (shards, range) {
            (None, None) => Ok(Sharding::Auto),
            (None, Some(_)) => anyhow::bail!("--shard-range needs --shards TOTAL as well"),
            (Some(0), _) => anyhow::bail!("--shards must be at least 1"),
            (Some(total), None) => Ok(Sharding::All { total }),
            (Some(total), Some(ShardRange(range))) => {
                anyhow::ensure!(
                    range.end <= total,
                    "--shard-range {}..{} goes past --shards {total} (shard ids are 0..{total})",
                    range.start,
                    range.end
                );
                Ok(Sharding::Range { range, total })
            }
        }
    }
}

/// Everything the bot needs to run, besides the engine.
#[derive(Debug, Clone)]
pub struct BotConfig {
    /// The bot token.
    pub token: Token,
    /// Another base URL for Discord's HTTP API (a proxy, or a fake Discord in tests).
    pub api_base: Option<String>,
    /// The HTTP client for Discord's API (with TLS roots or DNS of its own,
    /// as the tests' fake discord.com needs); serenity's default when `None`.
    pub http_client: Option<reqwest::Client>,
    /// Which shards to run.
    pub sharding: Sharding,
    /// The guild to register slash commands in; globally when `None`.
    pub guild_id: Option<GuildId>,
    /// Channels where every message is a question.
    pub answer_channels: HashSet<ChannelId>,
    /// The role allowed to use moderator commands (as are members with Manage Server).
    pub moderator_role: Option<RoleId>,
    /// The channel told when a changed knowledge folder fails to reload.
    pub moderator_channel: Option<ChannelId>,
    /// Time between two questions of one user.
    pub cooldown: Duration,
    /// How long an answer to a message may take before the bot shows it is
    /// typing; zero shows it before every answer.
    pub typing_after: Duration,
    /// How long an answer to `/ask` may take before the bot defers it
    /// ("thinking..."), under Discord's 3 seconds; zero defers every answer.
    pub defer_after: Duration,
    /// How a request refused with 429 is resent (with `api_base`; without
    /// it, serenity's rate limiter waits out 429s itself).
    pub retry: super::ratelimit::RetryPolicy,
    /// How long after receiving an interaction its first response may still
    /// be sent: Discord's 3 seconds.
    pub interaction_window: Duration,
}

impl BotConfig {
    /// A configuration with the defaults: autosharding, global commands, no answer channels.
    pub fn new(token: Token) -> BotConfig {
        BotConfig {
            token,
            api_base: None,
            http_client: None,
            sharding: Sharding::Auto,
            guild_id: None,
            answer_channels: HashSet::new(),
            moderator_role: None,
            moderator_channel: None,
            cooldown: DEFAULT_COOLDOWN,
            typing_after: DEFAULT_TYPING_AFTER,
            defer_after: DEFAULT_DEFER_AFTER,
            retry: super::ratelimit::RetryPolicy::default(),
            interaction_window: super::ratelimit::INTERACTION_WINDOW,
        }
    }

    /// Applies the settings of a config file.
    pub fn with_file(mut self, file: FileConfig) -> BotConfig {
        self.guild_id = file.guild_id.map(GuildId::new);
        self.answer_channels = file
            .answer_channels
            .into_iter()
            .map(ChannelId::new)
            .collect();
        self.moderator_role = file.moderator_role.map(RoleId::new);
        self.moderator_channel = file.moderator_channel.map(ChannelId::new);
        if let Some(s) = file.cooldown_seconds {
            self.cooldown = Duration::from_secs(s);
        }
        if file.pagination_timeout_seconds.is_some() {
            tracing::warn!(
                "pagination_timeout_seconds in the config file is no longer used (timeline \
                 buttons work as long as their message exists): remove it"
            );
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_printed() {
        let config = BotConfig::new(Token::new("secret-token"));
        assert!(!format!("{config:?}").contains("secret-token"));
    }

    #[test]
    fn the_token_is_read_from_a_file_or_a_variable_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("discord_token");
        std::fs::write(&file, "secret-from-file\n").unwrap();
        let token = Token::from_sources(Some(file.clone()), None).unwrap();
        assert_eq!(token.expose(), "secret-from-file");
        let token = Token::from_sources(None, Some(" secret-from-var ".into())).unwrap();
        assert_eq!(token.expose(), "secret-from-var");
        let refusals = [
            Token::from_sources(Some(file.clone()), Some("secret-from-var".into())),
            Token::from_sources(Some(dir.path().join("missing")), None),
            Token::from_sources(None, None),
            Token::from_sources(None, Some("secret with spaces".into())),
        ];
        for refused in refusals {
            let message = format!("{:#}", refused.unwrap_err());
            assert!(!message.contains("secret"), "{message}");
            assert!(message.contains("DISCORD_TOKEN"), "{message}");
        }
    }

    #[test]
    fn shard_ranges() {
        assert_eq!("0..2".parse(), Ok(ShardRange(0..2)));
        assert_eq!(" 3 .. 5".parse(), Ok(ShardRange(3..5)));
        assert!("2..2".parse::<ShardRange>().is_err());
        assert!("0-2".parse::<ShardRange>().is_err());
        assert!("a..2".parse::<ShardRange>().is_err());
    }

    #[test]
    fn sharding_from_args() {
        assert_eq!(Sharding::from_args(None, None).unwrap(), Sharding::Auto);
        assert_eq!(
            Sharding::from_args(Some(4), None).unwrap(),
            Sharding::All { total: 4 }
        );
        assert_eq!(
            Sharding::from_args(Some(4), Some(ShardRange(2..4))).unwrap(),
            Sharding::Range {
                range: 2..4,
                total: 4
            }
        );
        assert!(Sharding::from_args(Some(4), Some(ShardRange(2..5))).is_err());
        assert!(Sharding::from_args(None, Some(ShardRange(0..1))).is_err());
    }

    #[test]
    fn config_file() {
        let file: FileConfig = toml::from_str(
            "guild_id = 1\nanswer_channels = [2, 3]\nmoderator_role = 4\nmoderator_channel = 5\n\
             cooldown_seconds = 0",
        )
        .unwrap();
        let config = BotConfig::new(Token::new("t")).with_file(file);
        assert_eq!(config.guild_id, Some(GuildId::new(1)));
        assert_eq!(config.answer_channels.len(), 2);
        assert_eq!(config.cooldown, Duration::ZERO);
        assert_eq!(config.moderator_channel, Some(ChannelId::new(5)));
        assert!(toml::from_str::<FileConfig>("guild = 1").is_err());
    }
}
