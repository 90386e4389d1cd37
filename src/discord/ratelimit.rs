//! What the bot does when Discord answers a request with 429 Too Many Requests.
//!
//! Without `--api-base`, serenity's rate limiter is on: it keeps each route's
//! bucket from the `X-RateLimit-*` headers, waits before a request that would
//! exceed it, and waits out a 429 itself and resends, so the bot never sees
//! one. With `--api-base` it has to be off (serenity's limiter sends its
//! requests to discord.com, never to the base URL), the proxy is expected to
//! do the rate limiting, and a 429 that still gets through reaches the bot as
//! an error. [`RetryPolicy::send`] then resends the request, a bounded
//! number of times.
//!
//! A 429 means Discord did not act on the request, so resending it never
//! doubles a reply. Nothing else is resent: a timeout, a refused connection
//! or a 5xx may come after Discord acted on it.
//!
//! Serenity's error for a 429 keeps the status but not the body's
//! `retry_after` nor the headers, so the waits are the policy's own:
//! `first_wait`, doubling. An interaction's first response must reach Discord
//! within 3 seconds of the interaction; past that window it is not resent.
//!
//! ```no_run
//! # async fn send(ctx: &poise::serenity_prelude::Context, channel: poise::serenity_prelude::ChannelId) -> poise::serenity_prelude::Result<()> {
//! use dispute_bot::discord::ratelimit::RetryPolicy;
//! let message = poise::serenity_prelude::CreateMessage::new().content("hello");
//! RetryPolicy::default()
//!     .send("a reply", None, || channel.send_message(ctx, message.clone()))
//!     .await?;
//! # Ok(()) }
//! ```

use super::{Context, Error};
use poise::serenity_prelude as serenity;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tracing::warn;

/// How long Discord gives the bot to send an interaction's first response.
pub const INTERACTION_WINDOW: Duration = Duration::from_secs(3);

/// How often, and after how long, a request refused with 429 is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first time included.
    pub attempts: u32,
    /// The wait before the first resend; each further wait doubles.
    pub first_wait: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, after 0.5, 1 and 2 s: a route's bucket on Discord
    /// resets within a few seconds, and a 429 is not worth waiting longer for
    /// (each one counts towards Discord's limit of invalid requests).
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            first_wait: Duration::from_millis(500),
        }
    }
}

/// Whether Discord refused a request for its rate limits (per route or global).
pub fn is_rate_limited(error: &serenity::Error) -> bool {
    matches!(
        error,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response))
            if response.status_code == serenity::StatusCode::TOO_MANY_REQUESTS
    )
}

impl RetryPolicy {
    /// The wait before the `resend`th resend (1 for the first), or `None`
    /// when the attempts are used up.
    pub fn wait_before(&self, resend: u32) -> Option<Duration> {
        (resend >= 1 && resend < self.attempts)
            .then(|| self.first_wait.saturating_mul(1 << (resend - 1).min(16)))
    }

    /// Sends the request `request` makes, and again while Discord refuses it
    /// with 429, as the policy allows and, when `by` is given, only while the
    /// resend would still be sent before `by`. Returns the last outcome.
    pub async fn send<T, F, Fut>(
        &self,
        what: &str,
        by: Option<Instant>,
        request: F,
    ) -> serenity::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = serenity::Result<T>>,
    {
        self.send_while(what, by, request, is_rate_limited).await
    }

    /// [`send`](Self::send), resending while `refused` holds of the error.
    async fn send_while<T, E, F, Fut>(
        &self,
        what: &str,
        by: Option<Instant>,
        mut request: F,
        refused: impl Fn(&E) -> bool,
    ) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut resend = 0;
        loop {
            let error = match request().await {
                Err(e) if refused(&e) => e,
                done => return done,
            };
            resend += 1;
            let Some(wait) = self.wait_before(resend) else {
                warn!(
                    attempts = resend,
                    "{what}: still rate limited by Discord; giving up"
                );
                return Err(error);
            };
            if by.is_some_and(|by| Instant::now() + wait > by) {
                warn!(
                    "{what}: rate limited by Discord, and a resend would come too late; giving up"
                );
                return Err(error);
            }
            warn!(?wait, "{what}: rate limited by Discord; sending it again");
            tokio::time::sleep(wait).await;
        }
    }
}

/// When a command was received, kept for the window of its first response.
struct Received(Instant);

/// Notes when a command was received; the framework's `pre_command` hook.
pub fn note_received(ctx: Context<'_>) -> poise::BoxFuture<'_, ()> {
    Box::pin(ctx.set_invocation_data(Received(Instant::now())))
}

/// The latest a command's next response may be sent: within the interaction
/// window while the first response is still to come, else no limit
/// (follow-ups may come for 15 minutes).
async fn respond_by(ctx: Context<'_>) -> Option<Instant> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    if app
        .has_sent_initial_response
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        return None;
    }
    let received = ctx.invocation_data::<Received>().await.map(|r| r.0)?;
    Some(received + ctx.data().config.interaction_window)
}

/// Sends a command's reply (the response, or a follow-up after it),
/// resending it when rate limited as the configured policy allows.
pub async fn reply(ctx: Context<'_>, reply: poise::CreateReply) -> Result<(), Error> {
    let by = respond_by(ctx).await;
    ctx.data()
        .config
        .retry
        .send("a command's reply", by, || ctx.send(reply.clone()))
        .await?;
    Ok(())
}

/// Opens a modal as a command's response (it must be the first),
/// resending it when rate limited as the configured policy allows.
pub async fn modal(ctx: Context<'_>, modal: serenity::CreateModal) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        anyhow::bail!("a modal answers only a slash command");
    };
    let by = respond_by(ctx).await;
    let response = serenity::CreateInteractionResponse::Modal(modal);
    ctx.data()
        .config
        .retry
        .send("a modal", by, || {
            app.interaction.create_response(ctx, response.clone())
        })
        .await?;
    app.has_sent_initial_response
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// Defers a command's response ("thinking...", privately when
/// `ephemeral`), resending it when rate limited as the configured policy allows.
pub async fn defer(ctx: Context<'_>, ephemeral: bool) -> Result<(), Error> {
    let by = respond_by(ctx).await;
    let defer = || async move {
        if ephemeral {
            ctx.defer_ephemeral().await
        } else {
            ctx.defer().await
        }
    };
    ctx.data()
        .config
        .retry
        .send("a deferral", by, defer)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_and_stop_after_the_attempts() {
        let policy = RetryPolicy {
            attempts: 4,
            first_wait: Duration::from_millis(100),
        };
        let ms = Duration::from_millis;
        assert_eq!(policy.wait_before(0), None);
        assert_eq!(policy.wait_before(1), Some(ms(100)));
        assert_eq!(policy.wait_before(2), Some(ms(200)));
        assert_eq!(policy.wait_before(3), Some(ms(400)));
        assert_eq!(policy.wait_before(4), None, "four attempts in all");
        let once = RetryPolicy {
            attempts: 1,
            ..policy
        };
        assert_eq!(once.wait_before(1), None, "one attempt: never resent");
    }

    #[test]
    fn the_default_retries_of_a_first_response_fit_the_interaction_window() {
        let policy = RetryPolicy::default();
        let first_two: Duration = (1..=2).filter_map(|n| policy.wait_before(n)).sum();
        assert!(first_two < INTERACTION_WINDOW);
    }

    /// What a request's outcome may be, in these tests.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Refusal {
        RateLimited,
        TimedOut,
    }

    #[tokio::test(start_paused = true)]
    async fn only_a_429_is_resent_and_never_past_the_deadline() {
        let policy = RetryPolicy::default();
        let sent = std::cell::Cell::new(0);
        let send = |by, refusal| {
            sent.set(0);
            let sent = &sent;
            policy.send_while(
                "test",
                by,
                move || {
                    sent.set(sent.get() + 1);
                    async move { Err::<(), _>(refusal) }
                },
                |e| *e == Refusal::RateLimited,
            )
        };
        assert_eq!(
            send(None, Refusal::RateLimited).await,
            Err(Refusal::RateLimited)
        );
        assert_eq!(sent.get(), policy.attempts, "every attempt, then giving up");

        let by = Instant::now() + Duration::from_millis(600);
        assert!(send(Some(by), Refusal::RateLimited).await.is_err());
        assert_eq!(sent.get(), 2, "resent after 0.5 s, not after 1.5 s");

        assert_eq!(send(None, Refusal::TimedOut).await, Err(Refusal::TimedOut));
        assert_eq!(sent.get(), 1, "a failure that is not a 429 is not resent");

        let answered = std::cell::Cell::new(0);
        let outcome = policy
            .send_while(
                "test",
                None,
                || {
                    answered.set(answered.get() + 1);
                    let n = answered.get();
                    async move {
                        if n < 3 {
                            Err(Refusal::RateLimited)
                        } else {
                            Ok(n)
                        }
                    }
                },
                |e| *e == Refusal::RateLimited,
            )
            .await;
        assert_eq!(outcome, Ok(3), "sent until accepted, then never again");
    }
}
