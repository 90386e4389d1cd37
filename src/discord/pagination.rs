//! Timeline pages with Previous/Next buttons that keep working as long as
//! the message exists: after a reconnect, a restart, a deploy, or in another
//! process than the one that sent the page.
//!
//! Nothing is remembered between presses. Each button's `custom_id` is a
//! [`TimelinePage`]: who asked, the filter and the page the button leads to,
//! in a compact, versioned form within Discord's 100 characters:
//!
//! ```text
//! tl1:<asker id>:<page>:<from YYYYMMDD>:<to YYYYMMDD>:<topic>
//! tl1:5001:1:20240701::strike
//! ```
//!
//! A press is answered by [`on_press`], called from the event handler for
//! every component interaction, which works the page out again from the
//! knowledge as it is now. Every press gets exactly one response: the page
//! (an update of the message in place) for the asker, a private note for
//! anyone else, and a private explanation for a button it cannot read.

use super::embeds::{answer_embeds, limits, listing, truncate, Embed};
use super::{no_mentions, Data};
use crate::engine::{Engine, TimelineFilter};
use chrono::{Datelike, NaiveDate};
use poise::serenity_prelude as serenity;
use tokio::time::Instant;
use tracing::debug;

/// Events per timeline page.
const EVENTS_PER_PAGE: usize = 5;
/// The longest topic a timeline can be paged with, in characters; the
/// `/timeline` option has the same `max_length`, so Discord refuses longer.
/// With the largest user id, page and dates, a custom id is then 99 characters.
pub const TOPIC_MAX_CHARS: usize = 50;
/// Discord's limit on a component's `custom_id`, in characters.
pub const CUSTOM_ID_MAX_CHARS: usize = 100;
/// The first field of this version's custom ids.
const VERSION: &str = "tl1";

/// Told to anyone but the requester who presses a button.
const NOT_YOURS: &str =
    "Only the person who asked can turn these pages. Run /timeline to get your own.";
/// Told to whoever presses a button of an older version of the bot.
const OUTDATED: &str =
    "These buttons are from an older version of the bot and no longer work. Run /timeline again.";
/// Told to whoever presses a button whose id cannot be read.
const UNKNOWN: &str = "I don't recognise this button. Run /timeline to get pages that work.";
/// Told to the asker when the knowledge changed and nothing matches any more.
const NOTHING_NOW: &str =
    "No events match this timeline any more (the knowledge has changed). Run /timeline again.";

/// A page of a timeline, as a button carries it: who asked, what they asked
/// for, and which page. Its fields are bounded so that its custom id always
/// fits Discord's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePage {
    asker: serenity::UserId,
    page: u16,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    topic: Option<String>,
}

/// Why a timeline cannot be paged with buttons.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unpageable {
    /// The topic is longer than [`TOPIC_MAX_CHARS`].
    #[error(
        "the topic is longer than {TOPIC_MAX_CHARS} characters: use a shorter one, e.g. `strike`"
    )]
    TopicTooLong,
    /// A date is not in the years 0 to 9999.
    #[error("dates must be in the years 0 to 9999")]
    DateOutOfRange,
}

/// Why a pressed button's custom id cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Made by another version of the bot (the old `page:` ids, or another `tlN`).
    Outdated,
    /// Not a timeline button, or damaged.
    Unknown,
}

impl TimelinePage {
    /// The first page of a timeline asked for by `asker`; the topic is
    /// trimmed, and an empty one is no topic.
    pub fn first(
        asker: serenity::UserId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        topic: Option<&str>,
    ) -> Result<TimelinePage, Unpageable> {
        let topic = topic.map(str::trim).filter(|t| !t.is_empty());
        if topic.is_some_and(|t| t.chars().count() > TOPIC_MAX_CHARS) {
            return Err(Unpageable::TopicTooLong);
        }
        if [from, to]
            .iter()
            .flatten()
            .any(|d| !(0..=9999).contains(&d.year()))
        {
            return Err(Unpageable::DateOutOfRange);
        }
        Ok(TimelinePage {
            asker,
            page: 0,
            from,
            to,
            topic: topic.map(str::to_string),
        })
    }

    /// The same timeline at another page.
    fn at(&self, page: u16) -> TimelinePage {
        TimelinePage {
            page,
            ..self.clone()
        }
    }

    /// The user who asked for the timeline.
    pub fn asker(&self) -> serenity::UserId {
        self.asker
    }

    /// The filter of the engine's timeline.
    pub fn filter(&self) -> TimelineFilter {
        TimelineFilter {
            from: self.from,
            to: self.to,
            months: Vec::new(),
            topic: self.topic.clone(),
            states: false,
        }
    }

    /// The custom id of a button leading to this page, at most
    /// [`CUSTOM_ID_MAX_CHARS`] characters.
    pub fn custom_id(&self) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y%m%d").to_string());
        format!(
            "{VERSION}:{}:{}:{}:{}:{}",
            self.asker,
            self.page,
            date(self.from).unwrap_or_default(),
            date(self.to).unwrap_or_default(),
            self.topic.as_deref().unwrap_or("")
        )
    }

    /// Reads a custom id made by [`custom_id`](Self::custom_id), of this
    /// version only.
    pub fn parse(custom_id: &str) -> Result<TimelinePage, Unreadable> {
        let mut fields = custom_id.splitn(6, ':');
        let version = fields.next().unwrap_or("");
        if version != VERSION {
            let older = version == "page"
                || version
                    .strip_prefix("tl")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            return Err(if older {
                Unreadable::Outdated
            } else {
                Unreadable::Unknown
            });
        }
        let mut next = || fields.next().ok_or(Unreadable::Unknown);
        let asker = next()?
            .parse::<u64>()
            .ok()
            .filter(|&id| id != 0)
            .map(serenity::UserId::new)
            .ok_or(Unreadable::Unknown)?;
        let page = next()?.parse::<u16>().map_err(|_| Unreadable::Unknown)?;
        let date = |field: &str| match field {
            "" => Ok(None),
            digits if digits.len() == 8 => NaiveDate::parse_from_str(digits, "%Y%m%d")
                .map(Some)
                .map_err(|_| Unreadable::Unknown),
            _ => Err(Unreadable::Unknown),
        };
        let from = date(next()?)?;
        let to = date(next()?)?;
        let topic = next()?;
        let first =
            TimelinePage::first(asker, from, to, Some(topic)).map_err(|_| Unreadable::Unknown)?;
        if first.topic.as_deref().unwrap_or("") != topic {
            return Err(Unreadable::Unknown);
        }
        Ok(first.at(page))
    }
}

/// The pages of the timeline `filter` selects: a few events each, with
/// their citations (each passage once), as the knowledge is now.
pub fn timeline_pages(engine: &Engine, filter: &TimelineFilter) -> Vec<Embed> {
    let events = engine.timeline(filter);
    let count = events.len();
    events
        .chunks(EVENTS_PER_PAGE)
        .flat_map(|chunk| {
            let text = chunk
                .iter()
                .map(|e| format!("• {}: {}", e.date, e.title))
                .collect::<Vec<_>>()
                .join("\n");
            // Two events may be reported by the same passage; it is cited once.
            let mut citations = Vec::new();
            for citation in chunk
                .iter()
                .filter_map(|e| engine.citation(&e.source, &e.evidence))
            {
                if !citations.contains(&citation) {
                    citations.push(citation);
                }
            }
            answer_embeds(
                &listing(text, citations),
                Some(&format!("Timeline ({count} events)")),
            )
        })
        .collect()
}

/// One page of `pages` as shown: its embed with "Page n of N", and the
/// buttons to the pages before and after it (none when there is one page).
pub fn page_message(
    pages: &[Embed],
    at: &TimelinePage,
) -> (serenity::CreateEmbed, Vec<serenity::CreateActionRow>) {
    let total = pages.len();
    let page = usize::from(at.page).min(total.saturating_sub(1));
    let mut embed = pages[page].clone();
    if total > 1 {
        embed = embed.with_footer(&format!("Page {} of {total}", page + 1));
    }
    let buttons = if total > 1 {
        // Each button leads to a page, not "next": a double press lands on
        // the same page twice, and the two ids of a message always differ.
        let before = u16::try_from(page.saturating_sub(1)).unwrap_or(u16::MAX);
        let after = u16::try_from(page + 1).unwrap_or(u16::MAX);
        vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new(at.at(before).custom_id())
                .label("Previous")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(page == 0),
            serenity::CreateButton::new(at.at(after).custom_id())
                .label("Next")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(page + 1 >= total),
        ])]
    } else {
        Vec::new()
    };
    (embed.to_builder(), buttons)
}

/// Answers a press on any button of the bot's messages, with exactly one
/// interaction response.
pub async fn on_press(
    ctx: &serenity::Context,
    data: &Data,
    press: &serenity::ComponentInteraction,
) -> serenity::Result<()> {
    let received = Instant::now();
    let private = |text: &str| {
        serenity::CreateInteractionResponse::Message(
            serenity::CreateInteractionResponseMessage::new()
                .content(truncate(text, limits::CONTENT))
                .ephemeral(true)
                .allowed_mentions(no_mentions()),
        )
    };
    let response = match TimelinePage::parse(&press.data.custom_id) {
        Err(unreadable) => {
            debug!(custom_id = %press.data.custom_id, ?unreadable, "a button the bot cannot read");
            private(match unreadable {
                Unreadable::Outdated => OUTDATED,
                Unreadable::Unknown => UNKNOWN,
            })
        }
        Ok(at) if at.asker() != press.user.id => private(NOT_YOURS),
        Ok(at) => {
            let pages = timeline_pages(&data.engine.current(), &at.filter());
            if pages.is_empty() {
                private(NOTHING_NOW)
            } else {
                let (embed, buttons) = page_message(&pages, &at);
                serenity::CreateInteractionResponse::UpdateMessage(
                    serenity::CreateInteractionResponseMessage::new()
                        .embed(embed)
                        .components(buttons)
                        .allowed_mentions(no_mentions()),
                )
            }
        }
    };
    let by = received + data.config.interaction_window;
    data.config
        .retry
        .send("a button's response", Some(by), || {
            press.create_response(ctx, response.clone())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_page_survives_its_custom_id() {
        let asker = serenity::UserId::new(5001);
        for (from, to, topic) in [
            (None, None, None),
            (Some(day("2024-07-01")), None, Some("strike")),
            (None, Some(day("2023-12-31")), Some("pay: offer, talks")),
            (
                Some(day("0001-01-01")),
                Some(day("9999-12-31")),
                Some("café"),
            ),
        ] {
            let page = TimelinePage::first(asker, from, to, topic).unwrap().at(7);
            assert_eq!(TimelinePage::parse(&page.custom_id()), Ok(page));
        }
    }

    #[test]
    fn the_longest_page_fits_discords_limit() {
        let topic: String = "é".repeat(TOPIC_MAX_CHARS);
        let longest = TimelinePage::first(
            serenity::UserId::new(u64::MAX),
            Some(day("2024-12-31")),
            Some(day("2025-12-31")),
            Some(&topic),
        )
        .unwrap()
        .at(u16::MAX);
        let id = longest.custom_id();
        assert!(id.chars().count() <= CUSTOM_ID_MAX_CHARS, "{id}");
        assert_eq!(TimelinePage::parse(&id), Ok(longest));
    }

    #[test]
    fn what_cannot_fit_is_refused() {
        let asker = serenity::UserId::new(1);
        let long = "x".repeat(TOPIC_MAX_CHARS + 1);
        assert_eq!(
            TimelinePage::first(asker, None, None, Some(&long)),
            Err(Unpageable::TopicTooLong)
        );
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1);
        assert_eq!(
            TimelinePage::first(asker, far, None, None),
            Err(Unpageable::DateOutOfRange)
        );
        let padded = format!("  {}  ", "x".repeat(TOPIC_MAX_CHARS));
        assert!(TimelinePage::first(asker, None, None, Some(&padded)).is_ok());
    }

    #[test]
    fn ids_it_cannot_read_are_told_apart() {
        use Unreadable::*;
        for (id, why) in [
            ("page:1234:next", Outdated),
            ("tl0:5001:1:::", Outdated),
            ("tl2:anything", Outdated),
            ("", Unknown),
            ("tl1", Unknown),
            ("tl1:5001:1::", Unknown),
            ("tl1:0:1:::", Unknown),
            ("tl1:abc:1:::", Unknown),
            ("tl1:5001:-1:::", Unknown),
            ("tl1:5001:70000:::", Unknown),
            ("tl1:5001:1:2024-07-01::", Unknown),
            ("tl1:5001:1:20241301::", Unknown),
            ("tl1:5001:1::: strike", Unknown),
            ("tlx:5001:1:::", Unknown),
            ("something else", Unknown),
        ] {
            assert_eq!(TimelinePage::parse(id), Err(why), "{id:?}");
        }
    }
}
