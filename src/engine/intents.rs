//! The intent table: which kind of question this is.
//!
//! Compiled once from `intents.toml`: every pattern of every intent goes into
//! one [`RegexSet`], matched in a single pass; example phrasings are compared
//! with the question by character-bigram similarity (`strsim::sorensen_dice`),
//! which tolerates typos.
//!
//! A set has a size limit ([`PATTERN_SET_SIZE_LIMIT`]). When all patterns
//! together pass it (thousands of intents), they are split into several sets,
//! by intent; an intent whose own patterns pass it is left out and reported
//! in [`IntentTable::problems`], which `dispute-bot check` prints.

use super::normalise::clean;
use crate::knowledge::{compile_pattern, AnswerKind, IntentSpec, PATTERN_SIZE_LIMIT};
use regex::{RegexSet, RegexSetBuilder};

/// Score of an intent whose pattern matched, before example similarity is added.
const PATTERN_SCORE: f32 = 0.8;

/// The most memory one compiled set of intent patterns may take, in bytes:
/// room for eight patterns of the largest size a single one may have.
pub const PATTERN_SET_SIZE_LIMIT: usize = PATTERN_SIZE_LIMIT * 8;

/// The compiled intent table.
#[derive(Debug, Clone)]
pub struct IntentTable {
    specs: Vec<IntentSpec>,
    patterns: Vec<PatternSet>,
    problems: Vec<PatternSetProblem>,
    examples: Vec<Vec<Bigrams>>,
    negatives: Vec<Vec<Bigrams>>,
}

/// Some intents' patterns compiled as one set, and the intent each pattern is of.
#[derive(Debug, Clone)]
struct PatternSet {
    set: RegexSet,
    owner: Vec<usize>,
}

/// An intent whose patterns could not be compiled, so that no question
/// matches it by pattern (only by its examples).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternSetProblem {
    /// The intent's id.
    pub intent: String,
    /// What the regex compiler said.
    pub error: String,
}

impl std::fmt::Display for PatternSetProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "intent `{}`: its patterns together pass the size limit of a pattern set \
             ({PATTERN_SET_SIZE_LIMIT} bytes compiled), so none of them is matched: {}\n  \
             fix: give it fewer or simpler patterns (fewer alternatives, shorter \
             repetitions such as `\\w{{1,20}}`), or split it into two intents",
            self.intent,
            self.error.trim()
        )
    }
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
        IntentTable::compile_within(specs, PATTERN_SET_SIZE_LIMIT)
    }

    /// [`IntentTable::compile`] with pattern sets of at most `size_limit` bytes.
    fn compile_within(specs: &[IntentSpec], size_limit: usize) -> IntentTable {
        // Not each pattern compiled on its own first, as the loader already did:
        // only an intent whose set fails is checked pattern by pattern.
        let groups: Vec<(usize, Vec<&str>)> = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| (i, spec.patterns.iter().map(String::as_str).collect()))
            .filter(|(_, patterns): &(usize, Vec<&str>)| !patterns.is_empty())
            .collect();
        let mut patterns = Vec::new();
        let mut problems = Vec::new();
        compile_sets(&groups, size_limit, &mut patterns, &mut |intent, error| {
            problems.push(PatternSetProblem {
                intent: specs[intent].id.to_string(),
                error,
            })
        });
        IntentTable {
            specs: specs.to_vec(),
            patterns,
            problems,
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

    /// The intents whose patterns could not be compiled (see [`PatternSetProblem`]).
    pub fn problems(&self) -> &[PatternSetProblem] {
        &self.problems
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
        for set in &self.patterns {
            for m in set.set.matches(cleaned).iter() {
                by_pattern[set.owner[m]] = true;
            }
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

/// Compiles the patterns of `groups` (intent, its patterns) into as few sets
/// as fit the size limit: all in one when they fit, else each half on its
/// own, down to one intent; there, patterns that do not compile on their own
/// ([`compile_pattern`]) are left out, and if the rest still fail, the
/// failure is reported to `problem`.
fn compile_sets(
    groups: &[(usize, Vec<&str>)],
    size_limit: usize,
    sets: &mut Vec<PatternSet>,
    problem: &mut dyn FnMut(usize, String),
) {
    if groups.is_empty() {
        return;
    }
    let sources = groups.iter().flat_map(|(_, p)| p.iter().copied());
    match RegexSetBuilder::new(sources).size_limit(size_limit).build() {
        Ok(set) => sets.push(PatternSet {
            set,
            owner: groups
                .iter()
                .flat_map(|(i, p)| std::iter::repeat_n(*i, p.len()))
                .collect(),
        }),
        Err(e) if groups.len() == 1 => {
            let (intent, patterns) = &groups[0];
            let valid: Vec<&str> = patterns
                .iter()
                .copied()
                .filter(|p| compile_pattern(p).is_ok())
                .collect();
            if valid.len() < patterns.len() {
                compile_sets(&[(*intent, valid)], size_limit, sets, problem);
            } else {
                problem(*intent, e.to_string());
            }
        }
        Err(_) => {
            let (a, b) = groups.split_at(groups.len() / 2);
            compile_sets(a, size_limit, sets, problem);
            compile_sets(b, size_limit, sets, problem);
        }
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
    use crate::knowledge::Id;

    fn intent(id: &str, patterns: &[&str]) -> IntentSpec {
        IntentSpec {
            id: Id(id.to_string()),
            description: String::new(),
            answer: AnswerKind::Fact,
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            examples: Vec::new(),
            negative: Vec::new(),
            topics: Vec::new(),
            require_topic: false,
            response: None,
            citations: Vec::new(),
            suggestion: None,
        }
    }

    fn matched(table: &IntentTable, question: &str) -> Vec<String> {
        let mut ids: Vec<String> = table
            .rank(question)
            .iter()
            .filter(|s| s.by_pattern)
            .map(|s| table.spec(s.intent).id.to_string())
            .collect();
        ids.sort();
        ids
    }

    /// The smallest set size limit at which these patterns compile as one set.
    fn smallest_limit(patterns: &[&str]) -> usize {
        let fits = |limit| {
            RegexSetBuilder::new(patterns)
                .size_limit(limit)
                .build()
                .is_ok()
        };
        let (mut lo, mut hi) = (0usize, PATTERN_SET_SIZE_LIMIT);
        assert!(fits(hi));
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if fits(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }

    #[test]
    fn patterns_past_one_sets_size_limit_are_split_not_dropped() {
        let pattern = r"\bstrikes? of \w{1,12}\b";
        let limit = smallest_limit(&[pattern]);
        assert!(RegexSetBuilder::new([pattern, pattern, pattern])
            .size_limit(limit)
            .build()
            .is_err());
        let specs = [
            intent("first", &[pattern]),
            intent("second", &[pattern]),
            intent("third", &[pattern]),
        ];
        let table = IntentTable::compile_within(&specs, limit);
        assert!(table.problems().is_empty(), "{:?}", table.problems());
        assert!(table.patterns.len() > 1);
        assert_eq!(
            matched(&table, "the strikes of january"),
            ["first", "second", "third"]
        );
    }

    #[test]
    fn an_intent_whose_own_patterns_pass_the_limit_is_reported_by_name() {
        let pattern = r"\bstrikes? of \w{1,12}\b";
        let limit = smallest_limit(&[pattern]);
        let specs = [
            intent("small", &[pattern]),
            intent("too_big", &[pattern, r"\bballots? of \w{1,12}\b", pattern]),
        ];
        let table = IntentTable::compile_within(&specs, limit);
        assert_eq!(table.problems().len(), 1);
        assert_eq!(table.problems()[0].intent, "too_big");
        let message = table.problems()[0].to_string();
        assert!(message.contains("intent `too_big`"), "{message}");
        assert!(message.contains("fix:"), "{message}");
        // The other intent still matches: nothing else is dropped with it.
        assert_eq!(matched(&table, "the strikes of january"), ["small"]);
    }

    #[test]
    fn a_pattern_that_does_not_compile_leaves_out_only_itself() {
        let specs = [
            intent("fine", &[r"\bballot\b"]),
            intent("half_broken", &[r"\bstrike(", r"\bstrikes?\b"]),
        ];
        let table = IntentTable::compile(&specs);
        assert!(table.problems().is_empty(), "{:?}", table.problems());
        assert_eq!(
            matched(&table, "the strike ballot"),
            ["fine", "half_broken"]
        );
    }

    #[test]
    fn the_shipped_intents_compile_into_one_set_without_problems() {
        let k = crate::knowledge::Knowledge::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/knowledge"
        )))
        .expect("the shipped knowledge loads");
        let table = IntentTable::compile(&k.intents);
        assert!(table.problems().is_empty());
        assert_eq!(table.patterns.len(), 1);
    }

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
