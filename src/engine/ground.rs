//! Grounding: the rules that decide whether the knowledge can answer a question
//! at all, and whether the facts found really answer it.
//!
//! Every decline the engine makes comes from one of the [`Gap`]s here, each a
//! rule that can be said in one sentence (listed in `ARCHITECTURE.md`):
//!
//! - [`Gap::UnknownWord`]: the question names something no article mentions.
//! - [`Gap::Uncovered`]: the facts found leave out something specific the question asks about.
//! - [`Gap::NoSuchEvent`]: the question refers to an event the articles do not report
//!   (a thirteenth strike, a ten-day strike).
//! - [`Gap::AfterTheArticles`]: the question is about a time after the newest article.
//!
//! ```
//! use dispute_bot::engine::ground::frame_word;
//! assert!(frame_word("explain"));
//! assert!(!frame_word("salary"));
//! ```

use super::entities::When;
use crate::knowledge::{EventKind, Knowledge};
use chrono::Datelike;
use regex::Regex;
use std::sync::OnceLock;

/// Why the knowledge cannot answer a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// A content word of the question appears nowhere in the knowledge.
    UnknownWord(String),
    /// Specific words of the question that the facts found do not mention.
    Uncovered(Vec<String>),
    /// An event the question refers to that the articles do not report.
    NoSuchEvent(String),
    /// A year after the newest article.
    AfterTheArticles(i32),
}

/// Words that frame a question rather than say what it is about: asking,
/// telling, explaining, time words of the conversation. They are never a
/// reason to decline, because they name no fact.
const FRAME_WORDS: &[&str] = &[
    "ages",
    "ago",
    "altogether",
    "amount",
    "angry",
    "annoyed",
    "another",
    "answer",
    "anything",
    "anyway",
    "apparently",
    "basically",
    "became",
    "become",
    "besides",
    "big",
    "bigger",
    "biggest",
    "bit",
    "breakdown",
    "briefly",
    "bro",
    "btw",
    "change",
    "changed",
    "cheers",
    "chronology",
    "compare",
    "compared",
    "comparison",
    "concerning",
    "confused",
    "correct",
    "curious",
    "currently",
    "day",
    "days",
    "detail",
    "details",
    "did",
    "difference",
    "different",
    "does",
    "done",
    "earlier",
    "early",
    "else",
    "entire",
    "era",
    "especially",
    "etc",
    "exact",
    "exactly",
    "explain",
    "extra",
    "fact",
    "facts",
    "feel",
    "feeling",
    "fewer",
    "figure",
    "find",
    "friend",
    "gist",
    "give",
    "glad",
    "guess",
    "guys",
    "happen",
    "happy",
    "hear",
    "heard",
    "help",
    "her",
    "here",
    "hers",
    "hey",
    "heya",
    "higher",
    "highest",
    "him",
    "his",
    "hiya",
    "hmm",
    "honestly",
    "idea",
    "info",
    "information",
    "involved",
    "key",
    "lads",
    "larger",
    "largest",
    "late",
    "later",
    "latest",
    "least",
    "list",
    "listed",
    "longer",
    "longest",
    "look",
    "lot",
    "lower",
    "lowest",
    "main",
    "mate",
    "matter",
    "mention",
    "mentioned",
    "mid",
    "morning",
    "mum",
    "name",
    "newer",
    "news",
    "notable",
    "now",
    "nowadays",
    "number",
    "officially",
    "older",
    "once",
    "order",
    "overall",
    "overview",
    "percentage",
    "person",
    "phrase",
    "point",
    "pound",
    "pounds",
    "precise",
    "proportion",
    "quick",
    "quickly",
    "quid",
    "quote",
    "quoted",
    "quotes",
    "reason",
    "recap",
    "recent",
    "recently",
    "reckon",
    "refer",
    "refers",
    "regarding",
    "related",
    "release",
    "released",
    "remind",
    "rest",
    "right",
    "role",
    "saw",
    "say",
    "sequence",
    "she",
    "shorter",
    "shortest",
    "show",
    "shows",
    "single",
    "smaller",
    "smallest",
    "something",
    "sorry",
    "sorted",
    "sorting",
    "specifically",
    "stand",
    "still",
    "story",
    "sum",
    "summarise",
    "summarize",
    "summary",
    "sup",
    "supposed",
    "sure",
    "tbh",
    "thank",
    "thanks",
    "think",
    "thought",
    "time",
    "timeline",
    "times",
    "today",
    "total",
    "track",
    "true",
    "typically",
    "update",
    "upset",
    "usually",
    "want",
    "way",
    "whole",
    "wise",
    "wondering",
    "word",
    "words",
    "yeah",
    "yes",
    "yet",
];

/// The edge of what the knowledge can speak for: the newest article's year, the
/// last strike the articles number, and the strike lengths they report.
#[derive(Debug, Clone)]
pub struct Horizon {
    newest_year: i32,
    last_strike: Option<u32>,
    strike_lengths: Vec<u32>,
}

impl Horizon {
    /// Works the horizon out from the knowledge, once per load.
    pub fn build(k: &Knowledge) -> Horizon {
        let newest_year = k
            .sources
            .iter()
            .map(|s| s.date.last_day().year())
            .max()
            .unwrap_or(i32::MAX);
        let strikes = || k.events.iter().filter(|e| e.kind == EventKind::Strike);
        let last_strike = strikes().filter_map(|e| e.ordinal).max();
        let mut strike_lengths: Vec<u32> = strikes()
            .flat_map(|e| lengths_in_days(&format!("{} {}", e.title, e.summary)))
            .collect();
        strike_lengths.sort_unstable();
        strike_lengths.dedup();
        Horizon {
            newest_year,
            last_strike,
            strike_lengths,
        }
    }

    /// The newest year any article speaks of.
    pub fn newest_year(&self) -> i32 {
        self.newest_year
    }

    /// The gap when a question refers past the horizon: a year after the newest
    /// article, a strike numbered beyond the last one reported, or a strike
    /// length no reported strike had. `about_strikes` says the question is about strikes.
    pub fn beyond(&self, cleaned: &str, when: &When, about_strikes: bool) -> Option<Gap> {
        if let Some(&year) = when.years.iter().find(|&&y| y > self.newest_year) {
            return Some(Gap::AfterTheArticles(year));
        }
        if !about_strikes {
            return None;
        }
        if let (Some(n), Some(last)) = (when.ordinal, self.last_strike) {
            if n > last {
                return Some(Gap::NoSuchEvent(format!("a strike numbered {n}")));
            }
        }
        let asked = lengths_in_days(cleaned);
        if !self.strike_lengths.is_empty() {
            if let Some(n) = asked.into_iter().find(|n| !self.strike_lengths.contains(n)) {
                return Some(Gap::NoSuchEvent(format!("a {n}-day strike")));
            }
        }
        None
    }
}

/// Lengths in days written as "five-day", "5 day" or "10 days".
fn lengths_in_days(text: &str) -> Vec<u32> {
    static LENGTH: OnceLock<Regex> = OnceLock::new();
    let re = LENGTH.get_or_init(|| {
        Regex::new(r"(?i)\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty)[ -]days?\b(?: long)?")
            .expect("valid length pattern")
    });
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    re.captures_iter(text)
        .filter_map(|c| {
            let n = c[1].to_lowercase();
            n.parse().ok().or_else(|| match n.as_str() {
                "fourteen" => Some(14),
                "twenty" => Some(20),
                w => WORDS.iter().position(|x| *x == w).map(|i| i as u32 + 1),
            })
        })
        .collect()
}

/// Whether a cleaned word only frames the question (see [`FRAME_WORDS`]).
pub fn frame_word(word: &str) -> bool {
    FRAME_WORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_read_in_digits_and_words() {
        assert_eq!(lengths_in_days("a ten-day strike"), vec![10]);
        assert_eq!(lengths_in_days("Five-day strike from 27 June"), vec![5]);
        assert_eq!(lengths_in_days("the 3 day walkout"), vec![3]);
        assert!(lengths_in_days("over 150 days ago").is_empty());
    }

    #[test]
    fn frame_words_are_sorted_for_binary_search() {
        assert!(
            FRAME_WORDS.windows(2).all(|w| w[0] < w[1]),
            "{FRAME_WORDS:?}"
        );
    }
}
