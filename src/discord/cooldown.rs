//! Per-user cooldown on questions, so one user cannot flood a channel.

use poise::serenity_prelude::UserId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Past this many remembered users, expired entries are dropped.
const PRUNE_AT: usize = 10_000;

/// When each user last asked a question.
#[derive(Debug)]
pub struct Cooldown {
    period: Duration,
    last: Mutex<HashMap<UserId, Instant>>,
}

impl Cooldown {
    /// A cooldown of `period` between two questions of one user; zero disables it.
    pub fn new(period: Duration) -> Cooldown {
        Cooldown {
            period,
            last: Mutex::new(HashMap::new()),
        }
    }

    /// Records a question of `user` at `now`, or returns how long they must still wait.
    pub fn try_ask(&self, user: UserId, now: Instant) -> Result<(), Duration> {
        if self.period.is_zero() {
            return Ok(());
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&at) = last.get(&user) {
            let elapsed = now.saturating_duration_since(at);
            if elapsed < self.period {
                return Err(self.period - elapsed);
            }
        }
        if last.len() >= PRUNE_AT {
            let period = self.period;
            last.retain(|_, at| now.saturating_duration_since(*at) < period);
        }
        last.insert(user, now);
        Ok(())
    }
}

/// The polite message shown to a user who asks again too soon.
pub fn wait_message(remaining: Duration) -> String {
    let secs = remaining.as_secs_f32().ceil().max(1.0) as u64;
    let unit = if secs == 1 { "second" } else { "seconds" };
    format!("You're asking quickly! Please wait {secs} {unit} before your next question.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_question_within_the_period_waits() {
        let cooldown = Cooldown::new(Duration::from_secs(5));
        let (alice, bob) = (UserId::new(1), UserId::new(2));
        let t0 = Instant::now();
        assert_eq!(cooldown.try_ask(alice, t0), Ok(()));
        assert_eq!(cooldown.try_ask(bob, t0), Ok(()), "users are independent");
        assert_eq!(
            cooldown.try_ask(alice, t0 + Duration::from_secs(2)),
            Err(Duration::from_secs(3))
        );
        assert_eq!(cooldown.try_ask(alice, t0 + Duration::from_secs(5)), Ok(()));
    }

    #[test]
    fn zero_period_never_waits() {
        let cooldown = Cooldown::new(Duration::ZERO);
        let t0 = Instant::now();
        assert!(cooldown.try_ask(UserId::new(1), t0).is_ok());
        assert!(cooldown.try_ask(UserId::new(1), t0).is_ok());
    }

    #[test]
    fn wait_message_rounds_up() {
        assert!(wait_message(Duration::from_millis(2100)).contains("3 seconds"));
        assert!(wait_message(Duration::from_millis(10)).contains("1 second "));
    }
}
