//! Wording: how the engine says that it cannot answer, one place for every
//! decline rule's message, and the declines built from them (with the cited
//! correction some carry: the latest strike, or what the facts found say).
//!
//! Facts are stated by `Engine::state` (`state.rs`); what is said when the
//! knowledge runs out is here, keyed by the [`Gap`] that stopped the answer.

use super::ground::Gap;
use super::{ground, Answer, DeclineReason, Engine, FactRef, Outcome};
use crate::knowledge::{AnswerKind, EventKind};

/// The sentence that explains a decline, naming what the articles lack.
pub fn gap_text(gap: &Gap, newest_year: i32) -> String {
    match gap {
        Gap::UnknownWord(word) => {
            format!("The articles I have don't mention \"{word}\", so I can't answer that.")
        }
        Gap::Uncovered(words) => format!(
            "The articles I have don't say that: nothing in them is about {}.",
            quoted_list(words)
        ),
        Gap::NoSuchEvent(what) => format!(
            "The articles I have don't report {what}, so I can't answer that. The latest strike they report is below."
        ),
        Gap::NotCounted(what) => format!(
            "The articles I have give no number of {what}, so I can't answer that."
        ),
        Gap::NotCosted { one_strike: true } => "The articles I have give the cost of the strikes only all together, not of a single strike, so I can't answer that.".to_string(),
        Gap::NotCosted { one_strike: false } => "The articles I have give no cost of that: the only costs they give are of the strikes.".to_string(),
        Gap::NoFigureFor(name) => format!(
            "The articles I have give no figures for {name}, so I can't answer that."
        ),
        Gap::NoPartReported(name) => format!(
            "The articles I have name {name}, but report nothing {name} said or did in the dispute, so I can't answer that."
        ),
        Gap::NotReported(premise) if premise.future => format!(
            "The articles I have don't say what will happen: nothing in them says \"{}\".",
            premise.claim
        ),
        Gap::NotReported(premise) => format!(
            "The articles I have don't report that, so I can't say why: nothing in them says \"{}\".",
            premise.claim
        ),
        Gap::NotCompared(things) => format!(
            "The articles I have don't compare {things}: the figures they give are for each strike as a whole."
        ),
        Gap::NoPercentage => {
            "The articles I have don't give that percentage.".to_string()
        }
        Gap::NotExact => {
            "The articles I have don't give the exact date.".to_string()
        }
        Gap::NeverSaid(words) => {
            format!("None of the articles I have contains the words \"{words}\".")
        }
        Gap::StillToCome => {
            "The articles I have end before that: they only say it was still to come. The latest strike they report is below.".to_string()
        }
        Gap::WhatComesNext => format!(
            "I don't know what comes next: the newest article I have is from {newest_year}. The latest it reports is below."
        ),
        Gap::AfterTheArticles(year) => format!(
            "I don't know about {year}: the newest article I have is from {newest_year}. The latest it reports is below."
        ),
    }
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
fn quoted_list(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "that".to_string(),
    }
}

impl Engine {
    /// A decline that keeps what the facts found do say, cited, so the user
    /// learns what is known.
    pub(super) fn decline_with_context(
        &self,
        question: &str,
        gap: &ground::Gap,
        found: Answer,
    ) -> Answer {
        let mut answer = Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            format!(
                "{}\nWhat they do say:\n{}",
                gap_text(gap, self.horizon.newest_year()),
                found.text
            ),
            self.suggestions(),
        );
        if let Outcome::Declined { correction, .. } = &mut answer.outcome {
            *correction = found.citations().to_vec();
        }
        answer
    }

    /// A decline for a gap; past the articles' horizon it carries the latest
    /// strike they report, cited, so the user learns what is known.
    pub(super) fn decline_for(&self, question: &str, gap: &ground::Gap) -> Answer {
        let mut answer = Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            gap_text(gap, self.horizon.newest_year()),
            self.suggestions(),
        );
        if matches!(
            gap,
            ground::Gap::NoSuchEvent(_)
                | ground::Gap::AfterTheArticles(_)
                | ground::Gap::WhatComesNext
                | ground::Gap::StillToCome
        ) {
            let latest = self
                .knowledge
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EventKind::Strike && e.ordinal.is_some())
                .max_by_key(|(_, e)| e.ordinal);
            if let Some((i, _)) = latest {
                let stated = self.state(AnswerKind::Fact, &[FactRef::Event(i)]);
                answer.text = format!("{}\n{}", answer.text, stated.text);
                if let Outcome::Declined { correction, .. } = &mut answer.outcome {
                    *correction = stated.citations().to_vec();
                }
            }
        }
        answer
    }

    pub(super) fn not_known(&self, question: &str, why: &str) -> Answer {
        Answer::declined(
            question,
            DeclineReason::NotInKnowledge,
            why.to_string(),
            self.suggestions(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(quoted_list(&words(&["cost"])), "\"cost\"");
        assert_eq!(
            quoted_list(&words(&["a", "b", "c"])),
            "\"a\", \"b\" or \"c\""
        );
    }
}
