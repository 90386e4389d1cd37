//! Hot reload: the bot watches its knowledge folder and answers from the new
//! knowledge as soon as it loads. A change that does not load leaves the last
//! good knowledge in use; the errors are logged and, when a moderators'
//! channel is configured, told there once (short, split to Discord's limits,
//! pinging no one), and the recovery is told there too.

use super::embeds::{limits, split_text, truncate};
use super::ratelimit::RetryPolicy;
use super::{no_mentions, LiveEngine};
use crate::knowledge::{LoadErrors, Reload, Watcher};
use poise::serenity_prelude as serenity;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use tracing::{error, info, warn};

/// Messages posted about one failed reload, at most; the logs have the rest.
const MAX_MESSAGES: usize = 3;

/// Starts watching the engine's folder; watching stops when the returned
/// watcher is dropped. Without a watcher (the system refused one), the bot
/// still runs, and `/kb reload` reloads by hand.
pub fn watch(
    engine: &Arc<LiveEngine>,
    http: Arc<serenity::Http>,
    moderators: Option<serenity::ChannelId>,
    retry: RetryPolicy,
) -> Option<Watcher> {
    let (outcomes, received) = mpsc::unbounded_channel();
    let root = engine.root().to_path_buf();
    // The watcher calls back on its own thread; Discord is told from the runtime.
    tokio::spawn(async move { tell_moderators(received, &root, &http, moderators, retry).await });
    match engine.watch(move |outcome| {
        let _ = outcomes.send(outcome);
    }) {
        Ok(watcher) => {
            info!(folder = %engine.root().display(), "watching the knowledge folder");
            Some(watcher)
        }
        Err(e) => {
            warn!("cannot watch the knowledge folder, so hand edits need /kb reload: {e}");
            None
        }
    }
}

/// Logs each reload and tells the moderators' channel about failures, each
/// distinct failure once, and about the recovery that follows.
async fn tell_moderators(
    mut outcomes: mpsc::UnboundedReceiver<Reload>,
    root: &Path,
    http: &serenity::Http,
    channel: Option<serenity::ChannelId>,
    retry: RetryPolicy,
) {
    let mut failing: Option<LoadErrors> = None;
    while let Some(outcome) = outcomes.recv().await {
        let messages = match outcome {
            Ok(stats) => {
                info!(stats = %stats.to_string().replace('\n', ", "), "knowledge reloaded");
                if failing.take().is_none() {
                    continue;
                }
                vec![format!(
                    "The knowledge folder loads again; I now answer from it ({}).",
                    stats.to_string().trim().replace('\n', ", ")
                )]
            }
            Err(errors) => {
                error!("the changed knowledge folder does not load; still answering from the last good knowledge: {errors}");
                if failing.as_ref() == Some(&errors) {
                    continue;
                }
                let messages = failure_messages(&errors, root);
                failing = Some(errors);
                messages
            }
        };
        let Some(channel) = channel else { continue };
        for text in messages {
            let message = serenity::CreateMessage::new()
                .content(text)
                .allowed_mentions(no_mentions());
            let told = retry
                .send("telling the moderators' channel", None, || {
                    channel.send_message(http, message.clone())
                })
                .await;
            if let Err(e) = told {
                warn!(%channel, "cannot tell the moderators' channel about a reload: {e}");
                break;
            }
        }
    }
}

/// What the moderators' channel is told about a failed reload: a line saying
/// what happened, then the loader's errors (paths relative to the folder) in
/// code blocks, within [`MAX_MESSAGES`] messages.
pub fn failure_messages(errors: &LoadErrors, root: &Path) -> Vec<String> {
    let mut relative = errors.clone();
    for e in &mut relative.0 {
        if let Ok(path) = e.file.strip_prefix(root) {
            e.file = path.to_path_buf();
        }
    }
    let header = "The knowledge folder changed but does not load, so I keep answering \
                  from the last good knowledge. Fix the files (`dispute-bot check` lists the \
                  same errors) and save again.";
    let mut messages = vec![header.to_string()];
    messages.extend(code_blocks(&relative.to_string(), "", MAX_MESSAGES - 1));
    messages
}

/// Text in code blocks of one message each, at most `max` of them; the last
/// says when text was left out. Backticks in the text cannot end a block.
pub fn code_blocks(text: &str, language: &str, max: usize) -> Vec<String> {
    let fence = |body: &str| format!("```{language}\n{body}\n```");
    let text = text.replace("```", "`\u{200b}``");
    let room = limits::CONTENT - fence("").chars().count();
    let mut chunks = split_text(&text, room);
    if chunks.len() > max {
        chunks.truncate(max);
        let more = "\n… (more in the bot's logs)";
        let last = chunks.last_mut().expect("at least one chunk");
        *last = truncate(last, room - more.chars().count()) + more;
    }
    chunks.iter().map(|c| fence(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::KnowledgeError;
    use std::path::PathBuf;

    fn error(n: usize) -> KnowledgeError {
        KnowledgeError {
            file: PathBuf::from("/srv/knowledge/figures.toml"),
            line: Some(n),
            column: None,
            entry: Some(format!("figure-{n}")),
            message: "`value` is not a number ```@everyone".into(),
            fix: "write a number, e.g. 62000".into(),
        }
    }

    #[test]
    fn failed_reloads_are_told_briefly_within_limits() {
        let few = failure_messages(&LoadErrors(vec![error(1)]), Path::new("/srv/knowledge"));
        assert_eq!(few.len(), 2);
        assert!(few[1].starts_with("```\n1 error(s)"));
        assert!(few[1].contains("\nfigures.toml:1: entry `figure-1`"));
        assert!(!few[1][3..few[1].len() - 3].contains("```"), "{}", few[1]);

        let many = failure_messages(
            &LoadErrors((0..500).map(error).collect()),
            Path::new("/srv/knowledge"),
        );
        assert_eq!(many.len(), MAX_MESSAGES);
        assert!(many.iter().all(|m| m.chars().count() <= limits::CONTENT));
        assert!(many
            .last()
            .unwrap()
            .ends_with("(more in the bot's logs)\n```"));
    }
}
