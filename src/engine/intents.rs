//! The intent table: which kind of question this is.
//!
//! Compiled once from `intents.toml`: every pattern of every intent goes into
//! one [`RegexSet`], matched in a single pass; example phrasings are compared
//! with the question by character-bigram similarity (`strsim::sorensen_dice`),
//! which tolerates typos.

use super::normalise::clean;
use crate::knowledge::{compile_pattern, AnswerKind, IntentSpec, PATTERN_SIZE_LIMIT};
use regex::{RegexSet, RegexSetBuilder};

/// Score of an intent whose pattern matched, before example similarity is added.
const PATTERN_SCORE: f32 = 0.8;

/// The compiled intent table.
#[derive(Debug, Clone)]
pub struct IntentTable {
    specs: Vec<IntentSpec>,
    patterns: RegexSet,
    pattern_owner: Vec<usize>,
    examples: Vec<Vec<Bigrams>>,
    negatives: Vec<Vec<Bigrams>>,
}

/// How well one intent fits a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntentScore {
    /// Position in the table.
    pub intent: usize,
    /// 0 to 1.
    pub score: f32,
    /// Whether one of its patterns matched.
    pub by_pattern: bool,
}

impl IntentTable {
    /// Compiles the intents; patterns were already checked by the loader.
    pub fn compile(specs: &[IntentSpec]) -> IntentTable {
        let mut sources = Vec::new();
        let mut pattern_owner = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            for p in &spec.patterns {
                if compile_pattern(p).is_ok() {
                    sources.push(p.clone());
                    pattern_owner.push(i);
                }
            }
        }
        let patterns = RegexSetBuilder::new(&sources)
            .size_limit(PATTERN_SIZE_LIMIT * 8)
            .build()
            .unwrap_or_else(|_| RegexSet::empty());
        IntentTable {
            specs: specs.to_vec(),
            patterns,
            pattern_owner,
            examples: specs
                .iter()
                .map(|s| s.examples.iter().map(|e| Bigrams::of(&clean(e))).collect())
                .collect(),
            negatives: specs
                .iter()
                .map(|s| s.negative.iter().map(|e| Bigrams::of(&clean(e))).collect())
                .collect(),
        }
    }

    /// The intent at a position.
    pub fn spec(&self, i: usize) -> &IntentSpec {
        &self.specs[i]
    }

    /// All intents.
    pub fn specs(&self) -> &[IntentSpec] {
        &self.specs
    }

    /// Every intent's score for a cleaned question, best first.
    pub fn rank(&self, cleaned: &str) -> Vec<IntentScore> {
        let mut by_pattern = vec![false; self.specs.len()];
        for m in self.patterns.matches(cleaned).iter() {
            by_pattern[self.pattern_owner[m]] = true;
        }
        let question = Bigrams::of(cleaned);
        let similarity = |examples: &[Bigrams]| {
            examples
                .iter()
                .map(|e| question.dice(e))
                .fold(0.0f32, f32::max)
        };
        let mut scores: Vec<IntentScore> = (0..self.specs.len())
            .map(|i| {
                let example = similarity(&self.examples[i]);
                let negative = similarity(&self.negatives[i]);
                let mut score = if by_pattern[i] {
                    PATTERN_SCORE + (1.0 - PATTERN_SCORE) * example
                } else if self.specs[i].answer == AnswerKind::Gap {
                    // Declining takes a pattern: a question merely like a gap's example
                    // may well be answerable.
                    0.0
                } else {
                    example * PATTERN_SCORE
                };
                if negative > example.max(0.5) {
                    score = 0.0;
                }
                IntentScore {
                    intent: i,
                    score,
                    by_pattern: by_pattern[i],
                }
            })
            .collect();
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent)));
        scores
    }

    /// The suggestions intents offer when the bot declines.
    pub fn suggestions(&self) -> Vec<String> {
        self.specs
            .iter()
            .filter_map(|s| s.suggestion.clone())
            .collect()
    }

    /// Whether the table has an intent answered this way.
    pub fn has(&self, kind: AnswerKind) -> bool {
        self.specs.iter().any(|s| s.answer == kind)
    }
}

/// A text's character bigrams, counted as `strsim::sorensen_dice` counts them
/// (white space left out), kept sorted so that two texts compare in one merge
/// instead of two fresh hash maps per comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bigrams {
    text: Vec<char>,
    pairs: Vec<(char, char)>,
}

impl Bigrams {
    fn of(text: &str) -> Bigrams {
        let text: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut pairs: Vec<(char, char)> = text.windows(2).map(|w| (w[0], w[1])).collect();
        pairs.sort_unstable();
        Bigrams { text, pairs }
    }

    /// The Sørensen–Dice similarity of the two bigram multisets, 0 to 1.
    fn dice(&self, other: &Bigrams) -> f32 {
        if self.text == other.text {
            return 1.0;
        }
        if self.pairs.is_empty() || other.pairs.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < self.pairs.len() && j < other.pairs.len() {
            match self.pairs[i].cmp(&other.pairs[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (2 * shared) as f32 / (self.pairs.len() + other.pairs.len()) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigram_similarity_is_strsims_sorensen_dice() {
        let texts = [
            "who said it",
            "who said that",
            "how many strikes",
            "stirkes",
            "a",
            "",
            "ab ab ab",
            "£35%",
        ];
        for a in texts {
            for b in texts {
                let expected = strsim::sorensen_dice(a, b) as f32;
                let got = Bigrams::of(a).dice(&Bigrams::of(b));
                assert!(
                    (expected - got).abs() < 1e-6,
                    "{a:?} vs {b:?}: {expected} != {got}"
                );
            }
        }
    }
}
