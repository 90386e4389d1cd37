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
//! - [`Gap::NotCounted`]: the question asks how many of something no figure counts.
//! - [`Gap::NotCosted`]: the question asks what something cost that no cost figure measures.
//! - [`Gap::NoPartReported`]: the question asks about someone the articles only name in passing.
//! - [`Gap::NoFigureFor`]: the question asks a number of someone or something no figure is about.
//! - [`Gap::NotReported`]: a "why did ...?" or "will ...?" question whose verb no fact found mentions.
//! - [`Gap::NotExact`]: the question asks for an exact date the facts found do not give.
//! - [`Gap::NeverSaid`]: the question quotes words that no article contains.
//! - [`Gap::StillToCome`]: the question asks how something turned out that the articles say is yet to happen.
//! - [`Gap::AfterTheArticles`]: the question is about a time after the newest article.
//! - [`Gap::WhatComesNext`]: the question asks what will happen next year, or from now on.
//!
//! ```
//! use dispute_bot::engine::ground::frame_word;
//! assert!(frame_word("explain"));
//! assert!(!frame_word("salary"));
//! ```

use super::entities::When;
use super::normalise;
use crate::knowledge::{EventKind, Knowledge, Unit};
use chrono::Datelike;
use regex::Regex;
use std::collections::HashSet;
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
    /// A "how many" question about something no figure counts.
    NotCounted(String),
    /// A question about someone the articles name but report no part for:
    /// no words of theirs, no event they took part in.
    NoPartReported(String),
    /// A question about what something cost that no cost figure measures;
    /// `one_strike` when it asks about a single strike.
    NotCosted {
        /// Whether the question is about one strike.
        one_strike: bool,
    },
    /// A question that takes for granted something no fact found reports:
    /// "why did the BMA accept ...?" when no fact says it accepted.
    NotReported(Premise),
    /// A question for an exact date, when the facts found are dated less exactly.
    NotExact,
    /// A "which X had the most" question for Xs the articles do not compare
    /// (they compare strikes).
    NotCompared(String),
    /// A question for a percentage, when the facts found give none beyond the
    /// question's own.
    NoPercentage,
    /// Words in quotation marks that no article contains.
    NeverSaid(String),
    /// The outcome of something the articles only say is still to come.
    StillToCome,
    /// A number asked of someone or something that no figure is about.
    NoFigureFor(String),
    /// A year after the newest article.
    AfterTheArticles(i32),
    /// What will happen next year or from now on: past every article.
    WhatComesNext,
}

/// Words that frame a question rather than say what it is about: asking,
/// telling, explaining, time words of the conversation, feelings a why-question
/// asks the reason for ("annoyed", "upset"). They are never a
/// reason to decline, because they name no fact.
const FRAME_WORDS: &[&str] = &[
    "actual",
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
    "approx",
    "approximately",
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
    "cross",
    "curious",
    "currently",
    "date",
    "dates",
    "day",
    "days",
    "detail",
    "details",
    "did",
    "difference",
    "different",
    "directly",
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
    "frustrated",
    "fuming",
    "furious",
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
    "immediately",
    "individual",
    "info",
    "information",
    "involved",
    "irritated",
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
    "livid",
    "longer",
    "longest",
    "look",
    "lot",
    "lower",
    "lowest",
    "mad",
    "main",
    "mate",
    "matter",
    "mention",
    "mentioned",
    "mid",
    "middle",
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
    "particular",
    "percentage",
    "person",
    "phrase",
    "play",
    "played",
    "playing",
    "plays",
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
    "roughly",
    "saw",
    "say",
    "sequence",
    "she",
    "shorter",
    "shortest",
    "shortly",
    "show",
    "shows",
    "single",
    "smaller",
    "smallest",
    "something",
    "soon",
    "sorry",
    "sorted",
    "sorting",
    "specific",
    "specifically",
    "stand",
    "still",
    "story",
    "straight",
    "stuff",
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
    "things",
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
    "unhappy",
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
        if asks_what_comes_next(cleaned) {
            return Some(Gap::WhatComesNext);
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

/// What the knowledge gives numbers for: the words that head each figure's
/// measure ("appointments postponed", "pay rise"), the units of its lengths
/// ("days", "months"), and the kinds of event, which are counted by their
/// ordinals ("the 12th strike").
#[derive(Debug, Clone, Default)]
pub struct Countables {
    /// Terms a "how many" question may count.
    counted: HashSet<String>,
    /// Terms a "how much" question may measure.
    measured: HashSet<String>,
    /// The terms of each cost figure's measure, and whether it is the cost
    /// of one numbered strike rather than of many.
    costs: Vec<(HashSet<String>, bool)>,
}

/// Terms every cost figure shares, which say nothing of what was costed.
const COST_WORDS: &[&str] = &["cost", "estim", "estimat", "nhs", "much", "total"];

/// Units, which a "how many" question may name instead of a thing ("how many percent").
const UNIT_NOUNS: &[&str] = &[
    "percent", "per", "%", "pounds", "pound", "quid", "million", "billion", "thousand",
];

/// Words that end the head of a figure's measure ("appointments postponed *by* ...").
const MEASURE_HEAD_ENDS: &[&str] = &[
    "of", "by", "since", "in", "during", "over", "who", "that", "for", "to", "as", "from", "after",
];

/// The head of a cleaned measure: what it is a number of ("appointments
/// postponed" of "appointments postponed by the strike").
pub fn measure_head(cleaned_measure: &str) -> String {
    cleaned_measure
        .split(' ')
        .take_while(|w| !MEASURE_HEAD_ENDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Countables {
    /// Collects what the knowledge gives numbers for, once per load.
    pub fn build(k: &Knowledge) -> Countables {
        let mut counted = HashSet::new();
        let mut measured = HashSet::new();
        let mut costs = Vec::new();
        for figure in &k.figures {
            let cleaned = normalise::clean(&figure.measure);
            if figure.unit == Unit::Gbp && cleaned.contains("cost") {
                let one_strike = figure.event.as_ref().is_some_and(|id| {
                    k.events
                        .iter()
                        .any(|e| &e.id == id && e.kind == EventKind::Strike && e.ordinal.is_some())
                });
                let terms = normalise::terms(&figure.measure)
                    .into_iter()
                    .filter(|t| !COST_WORDS.contains(&t.as_str()))
                    .collect();
                costs.push((terms, one_strike));
            }
            let head = measure_head(&cleaned);
            let unit = match figure.unit {
                Unit::Days => "days",
                Unit::Weeks => "weeks",
                Unit::Months => "months",
                Unit::Years => "years",
                Unit::Gbp => "money pounds cost",
                Unit::Percent => "percent share",
                Unit::Count | Unit::Ordinal | Unit::Year => "",
            };
            let head_terms = normalise::terms(&head);
            let unit_terms = normalise::terms(unit);
            if matches!(figure.unit, Unit::Count) {
                counted.extend(head_terms.iter().cloned());
            }
            if matches!(
                figure.unit,
                Unit::Days | Unit::Weeks | Unit::Months | Unit::Years
            ) {
                counted.extend(unit_terms.iter().cloned());
            }
            // A share measures what it is a share of ("how much of the
            // non-urgent services ...").
            let share = head_terms.iter().any(|t| *t == normalise::term("share"));
            if figure.unit == Unit::Percent && share {
                measured.extend(normalise::terms(&cleaned));
            }
            measured.extend(head_terms);
            measured.extend(unit_terms);
        }
        for event in &k.events {
            let kind = serde_json::to_string(&event.kind).unwrap_or_default();
            counted.extend(normalise::terms(kind.trim_matches('"')));
        }
        Countables {
            counted,
            measured,
            costs,
        }
    }

    /// Why a question about what something cost cannot be answered, if so:
    /// every cost figure must share a term with the question ("the strikes"),
    /// and a question about one strike needs a figure for that one strike,
    /// not for the whole wave. `terms` are the question's terms.
    pub fn uncosted(&self, cleaned: &str, terms: &[String], one_strike: bool) -> Option<Gap> {
        static COST: OnceLock<Regex> = OnceLock::new();
        let re =
            COST.get_or_init(|| Regex::new(r"\bcost(?:s|ed|ing)?\b").expect("valid cost pattern"));
        // "How many appointments did it cost?" counts things, not money.
        if !re.is_match(cleaned) || cleaned.contains("how many") {
            return None;
        }
        let costed = self.costs.iter().any(|(measure, single)| {
            terms.iter().any(|t| measure.contains(t)) && (*single || !one_strike)
        });
        if costed {
            return None;
        }
        Some(Gap::NotCosted { one_strike })
    }

    /// The thing a "how many ...?" or "how much ...?" question asks a number
    /// of, when the knowledge gives no number for such a thing: "how many
    /// junior doctors are there?" names doctors, which no figure counts.
    /// `correct` spells a misspelt word as the knowledge does.
    pub fn uncounted(
        &self,
        cleaned: &str,
        correct: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        static HOW_MANY: OnceLock<Regex> = OnceLock::new();
        let re = HOW_MANY.get_or_init(|| {
            Regex::new(r"\bhow (many|much(?: (?:is|are|was|were)(?: the| a| an)?)?) (?:more |fewer |less |extra |of (?:the |those |them |a |an )?)?([a-z][a-z']*(?: [a-z][a-z']*)?)")
                .expect("valid how-many pattern")
        });
        let caps = re.captures(cleaned)?;
        let many = &caps[1] == "many";
        let known = if many { &self.counted } else { &self.measured };
        let words = &caps[2];
        let noun = words.split(' ').next()?;
        // "How many percent" asks for a measure in a unit, not a count of things.
        let skip = frame_word(noun)
            || UNIT_NOUNS.contains(&noun)
            || (!many && normalise::STOPWORDS.contains(&noun));
        if skip {
            return None;
        }
        let spelt = |w: &str| {
            let terms = normalise::word_terms(w);
            terms.iter().any(|t| known.contains(t))
        };
        let counted = spelt(noun) || correct(noun).is_some_and(|c| spelt(&c));
        let phrase = words
            .split(' ')
            .take_while(|w| *w == noun || !normalise::STOPWORDS.contains(w) || w.len() > 4)
            .collect::<Vec<_>>()
            .join(" ");
        (!counted).then_some(phrase)
    }
}

/// What a question takes for granted: the action of "why did the BMA accept
/// the offer?" (past) or "will the NHS hit the pledge?" (future).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Premise {
    /// The question's words from its subject on: "the bma accept the offer".
    pub claim: String,
    /// The first word after the subject, which says what happened: "accept".
    pub verb: String,
    /// The particle that makes the verb a phrase ("off" of "call off"), if any.
    pub particle: Option<String>,
    /// Whether it asks what will happen.
    pub future: bool,
}

impl Premise {
    /// The numbers the claim names ("35" of "accept the 35% offer"), as terms:
    /// a fact that reports the premise must give them too.
    pub fn numbers(&self) -> Vec<String> {
        normalise::terms(&self.claim)
            .into_iter()
            .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()))
            .collect()
    }
}

/// Words between a subject and its verb that are not the verb: negations
/// and fillers (adverbs in "-ly" are skipped by their ending).
const NOT_VERBS: &[&str] = &[
    "not", "never", "just", "even", "still", "so", "really", "ever", "always",
];

/// Reads the premise of a "why did ...?" or "will ...?" question. A word for
/// which `subject` is true (a name, a word of the dispute) is part of the
/// subject; the first other content word is the verb.
pub fn premise(cleaned: &str, subject: impl Fn(&str) -> bool) -> Option<Premise> {
    static ASKS: OnceLock<Regex> = OnceLock::new();
    let re = ASKS.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:(?:so|but|and|ok|okay|then|hmm|wait) )*",
            r"(?:(?P<why>why|how come) (?:did|does|do|was|were|is|are|has|have|had|didn't|didnt|doesn't|doesnt|don't|dont|would|wouldn't|wouldnt|couldn't|couldnt)",
            r"|(?P<will>(?:(?:when|who|what|how|where) )?will|(?:is|are) (?:there )?(?:going to|gonna)))",
            r" (?P<rest>.+)$"
        ))
        .expect("valid premise pattern")
    });
    let caps = re.captures(cleaned)?;
    let claim = caps["rest"]
        .trim_end_matches(['?', '!', '.'])
        .trim()
        .to_string();
    let words: Vec<&str> = claim.split(' ').collect();
    // A passive ("will the pledge be met") names its verb after "be".
    let passive = words
        .windows(2)
        .find(|pair| pair[0] == "be" || pair[0] == "been")
        .map(|pair| pair[1]);
    let numeric = |w: &str| {
        normalise::word_terms(w)
            .iter()
            .any(|t| t.starts_with(|c: char| c.is_ascii_digit()))
    };
    // "Why did they strike?": after a pronoun, even a word of the dispute is the verb.
    let pronoun_subject = words.first().is_some_and(|w| PRONOUNS.contains(w));
    let verb = passive
        .into_iter()
        .chain(words.iter().copied())
        .find(|w| {
            w.chars().count() >= 3
                && !normalise::STOPWORDS.contains(w)
                && !frame_word(w)
                && !numeric(w)
                && !NOT_VERBS.contains(w)
                && !w.ends_with("ly")
                && !LIGHT_VERBS.contains(w)
                && (pronoun_subject || !subject(w))
        })?
        .to_string();
    // "call off the strike", "call the strike off".
    let particle = words
        .iter()
        .skip_while(|w| **w != verb)
        .skip(1)
        .take(PARTICLE_REACH)
        .find(|w| PARTICLES.contains(w))
        .map(|w| w.to_string());
    Some(Premise {
        claim,
        verb,
        particle,
        future: caps.name("will").is_some(),
    })
}

/// Verbs that say little on their own ("bring in a mediator", "have to
/// postpone"): the premise is the word after them.
const LIGHT_VERBS: &[&str] = &[
    "bring", "brought", "take", "took", "taken", "use", "used", "put", "give", "gave", "given",
];

/// Subjects that are a whole noun phrase on their own.
const PRONOUNS: &[&str] = &["they", "he", "she", "it", "we", "you"];

/// Pairs of words that state opposite outcomes: a fact that says one of them,
/// and not the other, contradicts a premise that says the other.
const OPPOSITES: &[(&str, &str)] = &[
    ("end", "continue"),
    ("accept", "reject"),
    ("approve", "reject"),
    ("win", "lose"),
    ("succeed", "fail"),
];

/// Whether a text states the opposite of what a premise claims ("vote to end
/// the strikes" against "backed continuing strike action"), and not the claim.
pub fn contradicts(claim: &str, text: &str) -> bool {
    let claimed = normalise::terms(claim);
    let cleaned = normalise::clean(text);
    let words: Vec<&str> = cleaned.split(' ').collect();
    // Where a text says a word, unless a negation comes just before it ("no plans to end").
    let affirms = |word: &str| {
        let forms = verb_terms(word);
        words.iter().enumerate().any(|(i, w)| {
            forms.contains(&normalise::term(w))
                && !words[i.saturating_sub(NEGATION_REACH)..i]
                    .iter()
                    .any(|n| NEGATIONS.contains(n))
        })
    };
    let claims = |word: &str| verb_terms(word).iter().any(|t| claimed.contains(t));
    OPPOSITES
        .iter()
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .any(|(word, opposite)| claims(word) && !affirms(word) && affirms(opposite))
}

/// Words that deny the word a few places after them.
const NEGATIONS: &[&str] = &["no", "not", "never", "without", "nor"];

/// How many words before a word a negation of it may come ("no plans to end").
const NEGATION_REACH: usize = 3;

/// Words that make a verb before them a phrase of its own: "call off" a strike
/// is not "call" it anything.
const PARTICLES: &[&str] = &["off", "out", "up", "down", "back", "over", "away"];

/// How many words after its verb a particle may come ("call the walkout off").
const PARTICLE_REACH: usize = 3;

/// Past forms that do not end in "-ed", so that "broke down" states "break down".
const IRREGULAR_PASTS: &[(&str, &str)] = &[
    ("broke", "break"),
    ("came", "come"),
    ("gave", "give"),
    ("went", "go"),
    ("held", "hold"),
    ("made", "make"),
    ("set", "set"),
    ("took", "take"),
    ("threw", "throw"),
    ("stood", "stand"),
];

/// The search terms of a verb and of its past form when that does not end in
/// "-ed" ("break" and "broke").
pub fn verb_terms(verb: &str) -> Vec<String> {
    let mut terms = normalise::word_terms(verb);
    let base = normalise::term(verb);
    terms.extend(
        IRREGULAR_PASTS
            .iter()
            .filter(|(past, b)| normalise::term(b) == base || *past == verb)
            .flat_map(|(past, b)| [normalise::term(past), normalise::term(b)]),
    );
    terms
}

/// Whether a text uses a phrasal verb: the verb in any form followed by its
/// particle, at most two words apart ("called the strike off"), or the two
/// written as one word ("breakdown").
pub fn says_phrasal(text: &str, verb: &str, particle: &str) -> bool {
    let forms = verb_terms(verb);
    let is_verb = |w: &str| forms.contains(&normalise::term(w));
    let cleaned = normalise::clean(text);
    let words: Vec<&str> = cleaned.split(' ').collect();
    words.iter().enumerate().any(|(i, w)| {
        let joined = w
            .strip_suffix(particle)
            .is_some_and(|stem| !stem.is_empty() && is_verb(stem));
        joined
            || (is_verb(w)
                && words[i + 1..]
                    .iter()
                    .take(PARTICLE_REACH)
                    .any(|n| *n == particle))
    })
}

/// What a "which X had the most ...?" question compares: the words between
/// "which" and its verb ("hospital trust"), if any.
pub fn compared_things(cleaned: &str) -> Option<String> {
    static WHICH: OnceLock<Regex> = OnceLock::new();
    let re = WHICH.get_or_init(|| {
        Regex::new(r"\bwhich ((?:[a-z]+ ){1,3}?)(?:had|has|have|saw|caused|led|lasted|was|were|did|got|suffered|recorded|cost)\b")
            .expect("valid comparison pattern")
    });
    let caps = re.captures(cleaned)?;
    Some(caps[1].trim().to_string())
}

/// Whether a question asks for a percentage ("what % of members", "what
/// percentage", "what share"), which only a percentage answers.
pub fn asks_percentage(cleaned: &str) -> bool {
    static ASKS: OnceLock<Regex> = OnceLock::new();
    let re = ASKS.get_or_init(|| {
        Regex::new(r"\b(?:what|which|how big an?|how large an?)(?: [a-z]+)?? (?:%|percent|per cent|percentage|proportion|share)(?:\W|$)")
            .expect("valid percentage pattern")
    });
    re.is_match(cleaned)
}

/// The percentages a text gives ("35", "5.4" of "a 35% rise, then 5.4 per cent").
pub fn percentages(text: &str) -> Vec<String> {
    static PERCENT: OnceLock<Regex> = OnceLock::new();
    let re = PERCENT.get_or_init(|| {
        Regex::new(r"(\d+(?:\.\d+)?) ?(?:%|percent\b|per cent\b)").expect("valid percent pattern")
    });
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// How many content words the articles use a question needs beside a single
/// word no article uses, for that word not to decline it: "when is Streeting
/// free to meet the union after the 12th walkout?" still says what it asks;
/// "did doctors strike in France?" does not.
pub const KNOWN_WORDS_TO_FORGIVE_ONE: usize = 4;

/// Whether a question asks how something turned out ("did ... end in a deal",
/// "what did they say after ...") that it calls still to come ("next week").
pub fn asks_outcome_of_plan(cleaned: &str) -> bool {
    static PLAN: OnceLock<[Regex; 2]> = OnceLock::new();
    let [upcoming, outcome] = PLAN.get_or_init(|| {
        [
            Regex::new(r"\b(?:next|following|upcoming|planned|supposed to)\b").expect("valid plan pattern"),
            Regex::new(r"^(?:(?:so|and|but|ok) )?(?:did|has|have|had|was|were)\b|\bwhat (?:did|happened)\b|\bhow did\b|\bend(?:ed)? in\b")
                .expect("valid outcome pattern"),
        ]
    });
    upcoming.is_match(cleaned) && outcome.is_match(cleaned)
}

/// Whether a question asks for a number: how many, how much, what share.
pub fn asks_number(cleaned: &str) -> bool {
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let re = NUMBER.get_or_init(|| {
        Regex::new(r"\b(?:how many|how much|number of|what (?:percentage|proportion|share|fraction|number)|what %)")
            .expect("valid number pattern")
    });
    re.is_match(cleaned)
}

/// Whether a question asks what will happen next year, in the future or from
/// now on ("will there be more strikes next year?"), rather than what someone
/// said would ("what did he say they'd do next year?").
pub fn asks_what_comes_next(cleaned: &str) -> bool {
    static NEXT: OnceLock<[Regex; 3]> = OnceLock::new();
    let [time, future, reported] = NEXT.get_or_init(|| {
        [
            Regex::new(r"\b(?:next year|next month|(?:in|for) (?:the )?(?:future|years? to come|coming years?)|from now on|ever again)\b")
                .expect("valid time pattern"),
            Regex::new(r"\b(?:will|gonna|going to|is there|are there|would there)\b").expect("valid future pattern"),
            Regex::new(r"\b(?:say|said|says|saying|warn|warned|promise|promised|told|claim|claimed)\b")
                .expect("valid reported pattern"),
        ]
    });
    time.is_match(cleaned) && future.is_match(cleaned) && !reported.is_match(cleaned)
}

/// Whether a question asks for an exact date ("what exact date", "which dates").
pub fn asks_exact_date(cleaned: &str) -> bool {
    static EXACT: OnceLock<Regex> = OnceLock::new();
    let re = EXACT.get_or_init(|| {
        Regex::new(r"\b(?:exact|precise|specific) (?:date|dates|day|days)\b|\b(?:what|which) (?:date|dates)\b")
            .expect("valid exact-date pattern")
    });
    re.is_match(cleaned)
}

/// Lengths in days written as "five-day", "5 day" or "10 days".
pub fn lengths_in_days(text: &str) -> Vec<u32> {
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

/// Whether a cleaned word only frames the question (see [`FRAME_WORDS`]), or
/// compares by degree ("less", "worse"), which names no fact either.
pub fn frame_word(word: &str) -> bool {
    FRAME_WORDS.binary_search(&word).is_ok() || super::compare::COMPARATIVES.contains(&word)
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
