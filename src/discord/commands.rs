//! The slash commands. Each one asks the engine or the knowledge and shows the
//! result with [`embeds`](super::embeds); none of them decides what to answer.

use super::embeds::{answer_embeds, help_embeds, limits, listing, truncate, Embed};
use super::pagination::TimelinePage;
use super::{cooldown, pagination, ratelimit, Context, Data, Error};
use crate::engine::Answer;
use crate::knowledge::FuzzyDate;
use poise::serenity_prelude as serenity;
use std::time::Instant;
use tracing::{error, warn};

/// Quotes or figures listed by one command.
const MAX_LISTED: usize = 8;
/// Autocomplete choices Discord accepts.
const MAX_CHOICES: usize = 25;

/// Every command, for the framework and for registration.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        ask(),
        timeline(),
        quote(),
        figure(),
        sources(),
        help(),
        about(),
        super::kb::kb(),
    ]
}

/// Sends embeds as the reply: the first as the response, the rest as follow-ups.
async fn send_embeds(ctx: Context<'_>, embeds: &[Embed], ephemeral: bool) -> Result<(), Error> {
    for embed in embeds {
        let reply = poise::CreateReply::default()
            .embed(embed.to_builder())
            .ephemeral(ephemeral);
        ratelimit::reply(ctx, reply).await?;
    }
    Ok(())
}

/// Sends a short private message to the user of the command.
async fn say_privately(ctx: Context<'_>, text: &str) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(truncate(text, limits::CONTENT))
        .ephemeral(true);
    ratelimit::reply(ctx, reply).await
}

/// Sends an answer: declines are brief and only the asker sees them.
async fn send_answer(ctx: Context<'_>, answer: &Answer, title: Option<&str>) -> Result<(), Error> {
    send_embeds(ctx, &answer_embeds(answer, title), !answer.is_answered()).await
}

/// Ask a question about the resident doctors' pay dispute.
#[poise::command(slash_command)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, e.g. \"how many strikes have there been?\""]
    #[max_length = 500]
    question: String,
) -> Result<(), Error> {
    if let Err(remaining) = ctx.data().cooldown.try_ask(ctx.author().id, Instant::now()) {
        return say_privately(ctx, &cooldown::wait_message(remaining)).await;
    }
    let (answer, deferred) = super::unless_quick(
        ctx.data()
            .answer(ctx.channel_id(), ctx.author().id, question),
        ctx.data().config.defer_after,
        ratelimit::defer(ctx, false),
    )
    .await;
    deferred.transpose()?;
    send_answer(ctx, &answer?, None).await
}

/// Parses an optional date option, or tells the user how to write it.
fn date_option(name: &str, value: Option<&str>) -> Result<Option<FuzzyDate>, String> {
    value
        .map(|v| {
            v.trim()
                .parse::<FuzzyDate>()
                .map_err(|_| format!("`{name}` should be a date like 2024, 2024-07 or 2024-07-23."))
        })
        .transpose()
}

/// The events of the dispute in date order, a page at a time.
#[poise::command(slash_command)]
pub async fn timeline(
    ctx: Context<'_>,
    #[description = "From this date (2024, 2024-07 or 2024-07-23)"] from: Option<String>,
    #[description = "Up to this date"] to: Option<String>,
    #[description = "Only events about this (strike, talks, offer...)"]
    #[autocomplete = "autocomplete_event_topic"]
    #[max_length = 50] // pagination::TOPIC_MAX_CHARS
    topic: Option<String>,
) -> Result<(), Error> {
    let (from, to) = match (
        date_option("from", from.as_deref()),
        date_option("to", to.as_deref()),
    ) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return say_privately(ctx, &e).await,
    };
    let page = match TimelinePage::first(
        ctx.author().id,
        from.map(|d| d.first_day()),
        to.map(|d| d.last_day()),
        topic.as_deref(),
    ) {
        Ok(page) => page,
        Err(e) => return say_privately(ctx, &format!("I cannot show that timeline: {e}.")).await,
    };
    let pages = pagination::timeline_pages(&ctx.data().engine.current(), &page.filter());
    if pages.is_empty() {
        return say_privately(
            ctx,
            "No events match: try a wider date range or another topic.",
        )
        .await;
    }
    let (embed, buttons) = pagination::page_message(&pages, &page);
    let page = poise::CreateReply::default()
        .embed(embed)
        .components(buttons);
    ratelimit::reply(ctx, page).await
}

/// What someone said, word for word, with its source.
#[poise::command(slash_command)]
pub async fn quote(
    ctx: Context<'_>,
    #[description = "Who said it"]
    #[autocomplete = "autocomplete_speaker"]
    speaker: Option<String>,
) -> Result<(), Error> {
    let engine = ctx.data().engine.current();
    let k = engine.knowledge();
    let quotes = engine.quotes_by(speaker.as_deref());
    if quotes.is_empty() {
        return say_privately(
            ctx,
            "I have no quotes from them. Start typing a name to see who I have quotes from.",
        )
        .await;
    }
    let shown = &quotes[..quotes.len().min(MAX_LISTED)];
    let mut text = shown
        .iter()
        .map(|q| {
            let who = k
                .person(&q.speaker)
                .map_or(q.speaker.as_str(), |p| p.name.as_str());
            format!(
                "“{}” said {who} ({}). {}",
                q.text.trim(),
                q.date,
                q.context.trim()
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    if quotes.len() > shown.len() {
        text.push_str(&format!(
            "\n\n({} more: choose a speaker to narrow.)",
            quotes.len() - shown.len()
        ));
    }
    let citations = shown
        .iter()
        .filter_map(|q| engine.citation(&q.source, &q.text))
        .collect();
    send_answer(ctx, &listing(text, citations), Some("Quotes")).await
}

/// The numbers of the dispute: pay, strikes, postponed appointments, costs.
#[poise::command(slash_command)]
pub async fn figure(
    ctx: Context<'_>,
    #[description = "What about (pay, postponements, cost...)"]
    #[autocomplete = "autocomplete_figure_topic"]
    topic: Option<String>,
) -> Result<(), Error> {
    let engine = ctx.data().engine.current();
    let figures = engine.figures_about(topic.as_deref());
    if figures.is_empty() {
        return say_privately(
            ctx,
            "I have no figures about that. Start typing a topic to see what I have.",
        )
        .await;
    }
    let shown = &figures[..figures.len().min(MAX_LISTED)];
    let mut text = shown
        .iter()
        .map(|f| format!("• {} (as of {})", f.summary.trim(), f.as_of))
        .collect::<Vec<_>>()
        .join("\n");
    if figures.len() > shown.len() {
        text.push_str(&format!(
            "\n\n({} more: choose a topic to narrow.)",
            figures.len() - shown.len()
        ));
    }
    let citations = shown
        .iter()
        .filter_map(|f| engine.citation(&f.source, &f.evidence))
        .collect();
    send_answer(ctx, &listing(text, citations), Some("Figures")).await
}

/// The articles the bot answers from, with their dates.
#[poise::command(slash_command)]
pub async fn sources(ctx: Context<'_>) -> Result<(), Error> {
    let engine = ctx.data().engine.current();
    let text = engine
        .knowledge()
        .sources
        .iter()
        .map(|s| match &s.publisher {
            Some(p) => format!("• {} ({p}, {})", s.title, s.date),
            None => format!("• {} ({})", s.title, s.date),
        })
        .collect::<Vec<_>>()
        .join("\n");
    send_answer(ctx, &listing(text, Vec::new()), Some("Sources")).await
}

/// What the bot can do, with example questions.
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let engine = ctx.data().engine.current();
    let text = String::from(
        "I answer questions about the resident (junior) doctors' pay dispute in England, \
         citing the news articles I know.\n\n\
         Mention me with a question, reply to one of my answers, or use:\n\
         /ask: ask a question\n/timeline: the events in date order\n\
         /quote: what someone said\n/figure: the numbers\n\
         /sources: the articles I use\n/about: what I know",
    );
    send_embeds(ctx, &help_embeds(text, engine.suggestions()), true).await
}

/// How much the bot knows, the dates it covers, and its version.
#[poise::command(slash_command)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    let engine = ctx.data().engine.current();
    let stats = engine.knowledge().stats();
    let covered = match (stats.first, stats.last) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".into(),
    };
    let text = format!(
        "dispute-bot {version}\n\n\
         Articles: {}\nPeople and organisations: {}\nEvents: {}\nFigures: {}\nQuotes: {}\n\
         Dates covered: {covered}",
        stats.sources,
        stats.people,
        stats.events,
        stats.figures,
        stats.quotes,
        version = env!("CARGO_PKG_VERSION"),
    );
    send_answer(ctx, &listing(text, Vec::new()), Some("About")).await
}

/// The values of the options one of whose labels contains what the user
/// typed (case-insensitively), each once, as many as Discord shows.
pub(super) fn matching<'a>(
    partial: &str,
    options: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<&'a str> {
    let partial = partial.trim().to_lowercase();
    let mut values: Vec<&str> = Vec::new();
    for (label, value) in options {
        if label.to_lowercase().contains(&partial) && !values.contains(&value) {
            values.push(value);
            if values.len() == MAX_CHOICES {
                break;
            }
        }
    }
    values
}

/// An autocomplete choice; Discord allows 100 characters in each part.
pub(super) fn choice(label: &str, value: &str) -> serenity::AutocompleteChoice {
    serenity::AutocompleteChoice::new(truncate(label, 100), truncate(value, 100))
}

async fn autocomplete_speaker(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().engine.current();
    let k = engine.knowledge();
    let speakers = k
        .people
        .iter()
        .filter(|p| k.quotes.iter().any(|q| q.speaker == p.id))
        .flat_map(|p| {
            std::iter::once(&p.name)
                .chain(&p.aliases)
                .map(move |n| (n.as_str(), p.id.as_str()))
        });
    // Whichever of their names matched, a speaker is offered under their name.
    let chosen = matching(partial, speakers)
        .into_iter()
        .filter_map(|id| k.people.iter().find(|p| p.id.as_str() == id))
        .map(|p| choice(&p.name, p.id.as_str()))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(chosen)
}

async fn autocomplete_figure_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().engine.current();
    let topics = engine.knowledge().figures.iter().flat_map(|f| &f.topics);
    topic_choices(partial, topics)
}

async fn autocomplete_event_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().engine.current();
    let topics = engine.knowledge().events.iter().flat_map(|e| &e.topics);
    topic_choices(partial, topics)
}

/// The topics that contain what was typed, as autocomplete choices.
fn topic_choices<'a>(
    partial: &str,
    topics: impl Iterator<Item = &'a String>,
) -> serenity::CreateAutocompleteResponse {
    let chosen = matching(partial, topics.map(|t| (t.as_str(), t.as_str())))
        .into_iter()
        .map(|t| choice(t, t))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(chosen)
}

/// Logs command errors and tells the user something went wrong, without details.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            error!(command = %ctx.command().name, "command failed: {error:#}");
            let sorry = "Sorry, something went wrong while answering. Please try again.";
            if let Err(e) = say_privately(ctx, sorry).await {
                warn!("could not report the failure to the user: {e}");
            }
        }
        poise::FrameworkError::CommandCheckFailed {
            ctx, error: None, ..
        } => {
            if let Err(e) = super::kb::refuse(ctx).await {
                warn!("could not refuse a command: {e}");
            }
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                warn!("error while handling an error: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_case_insensitive_and_deduplicated() {
        let options = [
            ("Wes Streeting", "ws"),
            ("Streeting", "ws"),
            ("Steve Barclay", "sb"),
        ];
        assert_eq!(matching("stree", options), vec!["ws"]);
        assert_eq!(matching("", options), vec!["ws", "sb"]);
        assert!(matching("nobody", options).is_empty());
    }

    #[test]
    fn date_options() {
        assert!(date_option("from", None).unwrap().is_none());
        assert!(date_option("from", Some("2024-07")).unwrap().is_some());
        assert!(date_option("from", Some("July"))
            .unwrap_err()
            .contains("2024-07"));
    }
}
