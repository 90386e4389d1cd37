//! Pages of embeds with Previous/Next buttons that only the requester can press.
//!
//! The buttons stay live for the configured time, then are shown disabled
//! rather than left dead.

use super::embeds::Embed;
use super::{Context, Error};
use poise::futures_util::StreamExt;
use poise::serenity_prelude as serenity;

/// Told to anyone but the requester who presses a button.
const NOT_YOURS: &str =
    "Only the person who asked can turn these pages. Run /timeline to get your own.";

/// Sends the first page and turns pages on button presses until the timeout.
pub async fn paginate(ctx: Context<'_>, pages: Vec<Embed>) -> Result<(), Error> {
    let total = pages.len();
    if total <= 1 {
        if let Some(page) = pages.first() {
            ctx.send(poise::CreateReply::default().embed(page.to_builder()))
                .await?;
        }
        return Ok(());
    }
    let page_embed = |i: usize| {
        pages[i]
            .clone()
            .with_footer(&format!("Page {} of {total}", i + 1))
            .to_builder()
    };
    let prefix = format!("page:{}:", ctx.id());
    let prev_id = format!("{prefix}prev");
    let next_id = format!("{prefix}next");
    let buttons = |page: usize, live: bool| {
        vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new(&prev_id)
                .label("Previous")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(!live || page == 0),
            serenity::CreateButton::new(&next_id)
                .label("Next")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(!live || page + 1 == total),
        ])]
    };

    // Listen before sending, so no press can come before the collector.
    let mut presses = serenity::ComponentInteractionCollector::new(ctx.serenity_context())
        .filter({
            let prefix = prefix.clone();
            move |press| press.data.custom_id.starts_with(&prefix)
        })
        .timeout(ctx.data().config.pagination_timeout)
        .stream();
    let reply = ctx
        .send(
            poise::CreateReply::default()
                .embed(page_embed(0))
                .components(buttons(0, true)),
        )
        .await?;

    let owner = ctx.author().id;
    let mut page = 0;
    while let Some(press) = presses.next().await {
        if press.user.id != owner {
            press
                .create_response(
                    ctx,
                    serenity::CreateInteractionResponse::Message(
                        serenity::CreateInteractionResponseMessage::new()
                            .content(NOT_YOURS)
                            .ephemeral(true),
                    ),
                )
                .await?;
            continue;
        }
        if press.data.custom_id == next_id {
            page = (page + 1).min(total - 1);
        } else if press.data.custom_id == prev_id {
            page = page.saturating_sub(1);
        }
        press
            .create_response(
                ctx,
                serenity::CreateInteractionResponse::UpdateMessage(
                    serenity::CreateInteractionResponseMessage::new()
                        .embed(page_embed(page))
                        .components(buttons(page, true)),
                ),
            )
            .await?;
    }
    reply
        .edit(
            ctx,
            poise::CreateReply::default()
                .embed(page_embed(page))
                .components(buttons(page, false)),
        )
        .await?;
    Ok(())
}
