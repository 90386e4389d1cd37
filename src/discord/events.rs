//! Questions asked in messages: the bot answers a message that mentions it,
//! replies to one of its messages, is a direct message, or is in an answer
//! channel. It ignores bots, itself included, and everything else.
//!
//! Presses on buttons are component interactions, events too: all of them
//! go to [`pagination::on_press`], whichever process or connection sent the
//! message. Submitted forms (`/kb add` modals) go to [`kb::on_submit`], in
//! the same way.

use super::embeds::{answer_embeds, limits, truncate};
use super::{cooldown, kb, pagination, Data, Error};
use poise::serenity_prelude as serenity;
use std::time::Instant;
use tracing::{debug, info};

/// Handles the gateway events the bot cares about.
pub async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::Message { new_message } => {
            on_message(
                framework.serenity_context,
                framework.user_data,
                framework.bot_id(),
                new_message,
            )
            .await
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => Ok(
            pagination::on_press(framework.serenity_context, framework.user_data, press).await?,
        ),
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(submit),
        } => kb::on_submit(framework.serenity_context, framework.user_data, submit).await,
        serenity::FullEvent::Resume { .. } => {
            info!("gateway session resumed");
            Ok(())
        }
        serenity::FullEvent::ShardStageUpdate { event } => {
            debug!(shard = %event.shard_id, stage = %event.new, "shard stage");
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The question a message asks the bot, or `None` when it is not addressed to it.
fn question_for_bot(
    msg: &serenity::Message,
    bot_id: serenity::UserId,
    data: &Data,
) -> Option<String> {
    if msg.author.bot || msg.author.id == bot_id {
        return None;
    }
    let mentioned = msg.mentions.iter().any(|u| u.id == bot_id);
    let replied_to_bot = msg
        .referenced_message
        .as_ref()
        .is_some_and(|m| m.author.id == bot_id);
    let direct = msg.guild_id.is_none();
    let in_answer_channel = data.config.answer_channels.contains(&msg.channel_id);
    (mentioned || replied_to_bot || direct || in_answer_channel)
        .then(|| strip_mention(&msg.content, bot_id))
}

/// The message text without the bot's mention (`<@id>` or `<@!id>`).
pub fn strip_mention(content: &str, bot_id: serenity::UserId) -> String {
    content
        .replace(&format!("<@{bot_id}>"), " ")
        .replace(&format!("<@!{bot_id}>"), " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    bot_id: serenity::UserId,
    msg: &serenity::Message,
) -> Result<(), Error> {
    let Some(question) = question_for_bot(msg, bot_id, data) else {
        return Ok(());
    };
    info!(channel = %msg.channel_id, user = %msg.author.id, "question in a message");
    if let Err(remaining) = data.cooldown.try_ask(msg.author.id, Instant::now()) {
        let text = truncate(&cooldown::wait_message(remaining), limits::CONTENT);
        let wait = serenity::CreateMessage::new()
            .content(text)
            .reference_message(msg);
        send_reply(ctx, data, msg, wait).await?;
        return Ok(());
    }
    // One typing indicator, and only for an answer slow enough to need it,
    // sent (and acknowledged) before the reply: Discord shows it until the
    // reply arrives, or for 10 s. Not `start_typing`, whose task repeats it
    // every 7 s and so outlives the reply: under a burst, thousands of such
    // tasks were left sleeping.
    let (answer, typing) = super::unless_quick(
        data.answer(msg.channel_id, msg.author.id, question),
        data.config.typing_after,
        msg.channel_id.broadcast_typing(&ctx.http),
    )
    .await;
    if let Some(Err(e)) = typing {
        debug!(channel = %msg.channel_id, "cannot show typing: {e}");
    }
    let answer = answer?;
    for (i, embed) in answer_embeds(&answer, None).iter().enumerate() {
        let mut reply = serenity::CreateMessage::new().embed(embed.to_builder());
        if i == 0 {
            reply = reply.reference_message(msg);
        }
        send_reply(ctx, data, msg, reply).await?;
    }
    Ok(())
}

/// Sends a message in the channel of `msg`, resending it when rate limited
/// as the configured policy allows.
async fn send_reply(
    ctx: &serenity::Context,
    data: &Data,
    msg: &serenity::Message,
    reply: serenity::CreateMessage,
) -> serenity::Result<serenity::Message> {
    data.config
        .retry
        .send("a reply", None, || {
            msg.channel_id.send_message(ctx, reply.clone())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_of_the_bot_are_removed() {
        let bot = serenity::UserId::new(42);
        assert_eq!(
            strip_mention("<@42> how many strikes?", bot),
            "how many strikes?"
        );
        assert_eq!(
            strip_mention("hey <@!42>  who is  Streeting", bot),
            "hey who is Streeting"
        );
        assert_eq!(strip_mention("<@43> hi", bot), "<@43> hi");
    }
}
