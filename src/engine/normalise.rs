//! Turns what people type into comparable text and search terms.
//!
//! Lower case, plain quotes and dashes, no emoji, accents or combining marks,
//! contractions spelled out, number words as digits, a leading bot mention
//! dropped; then terms: stems with synonyms folded together
//! ("walkouts" and "industrial action" both become `strike`).
//!
//! ```
//! use dispute_bot::engine::normalise::{clean, terms};
//! assert_eq!(clean("<@123> What's the 12th walk-out? 🤔"), "what is the 12th walk out");
//! assert_eq!(terms("walkouts by medics"), vec!["strike", "doctor"]);
//! ```

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Questions longer than this many characters are cut before matching.
pub const MAX_QUESTION_CHARS: usize = 1000;

/// Multi-word phrases folded to one word before anything else.
const PHRASES: &[(&str, &str)] = &[
    ("industrial action", "strike"),
    ("strike action", "strike"),
    ("walk out", "strike"),
    ("walk outs", "strike"),
    ("per cent", "percent"),
    ("in training", "junior"),
    ("co chairs", "cochair"),
    ("co chair", "cochair"),
    ("co chaired", "cochair"),
    ("health sec ", "health secretary "),
    ("secretary of state for health", "health secretary"),
    ("secretary of state", "health secretary"),
    ("pay restoration", "restoration"),
    ("the union", "the bma"),
    ("british medical association", "bma"),
    ("kicked off", "began"),
    ("kick off", "begin"),
    ("wrapped up", "concluded"),
    ("wrap up", "conclude"),
    ("pushed back", "postponed"),
    ("called off", "postponed"),
    ("wiped out", "postponed"),
    ("wipe out", "postpone"),
    ("wipes out", "postpones"),
    ("went nowhere", "failed"),
    ("got nowhere", "failed"),
    ("go nowhere", "fail"),
    ("get nowhere", "fail"),
    ("going nowhere", "failing"),
    ("getting nowhere", "failing"),
    ("came to power", "took office"),
    ("come to power", "take office"),
    ("sum up", "describe"),
    ("summed up", "described"),
    ("burnt out", "burnout"),
    ("burned out", "burnout"),
    ("for ages", ""),
    ("step down", "resign"),
    ("stepped down", "resigned"),
    ("care so much about", "want"),
    ("cares so much about", "wants"),
    ("care about", "want"),
    ("cares about", "wants"),
    ("fresh out of", "recent"),
    ("straight out of", "recent"),
    ("number 10", "downing street"),
    ("no 10", "downing street"),
    ("on the agenda", "up for discussion"),
    ("on the table", "up for discussion"),
    ("off the table", "not up for discussion"),
];

/// Words (or their stems) that mean the same thing here, and the term they fold to.
const SYNONYMS: &[(&str, &str)] = &[
    ("walkout", "strike"),
    ("walkouts", "strike"),
    ("stoppage", "strike"),
    ("strikes", "strike"),
    ("striking", "strike"),
    ("struck", "strike"),
    ("stike", "strike"),
    ("strik", "strike"),
    ("medics", "doctor"),
    ("medic", "doctor"),
    ("docs", "doctor"),
    ("doc", "doctor"),
    ("doctors", "doctor"),
    ("dr", "doctor"),
    ("resident", "junior"),
    ("residents", "junior"),
    ("trainee", "junior"),
    ("trainees", "junior"),
    ("union", "bma"),
    ("unions", "bma"),
    ("govt", "government"),
    ("gov", "government"),
    ("govern", "government"),
    ("ministers", "government"),
    ("minist", "government"),
    ("postpon", "postpone"),
    ("cancel", "postpone"),
    ("cancelled", "postpone"),
    ("canceled", "postpone"),
    ("reschedul", "postpone"),
    ("delay", "postpone"),
    ("operat", "appoint"),
    ("procedur", "appoint"),
    ("ops", "appoint"),
    ("negoti", "talks"),
    ("talk", "talks"),
    ("discuss", "talks"),
    ("tori", "conservative"),
    ("tory", "conservative"),
    ("conserv", "conservative"),
    ("rais", "rise"),
    ("increas", "rise"),
    ("uplift", "rise"),
    ("hike", "rise"),
    ("sec", "secretary"),
    ("secretari", "secretary"),
    ("wage", "salary"),
    ("salari", "salary"),
    ("earn", "salary"),
    ("%", "percent"),
    ("pct", "percent"),
    ("bn", "billion"),
    ("govt", "government"),
    ("demand", "demand"),
    ("want", "demand"),
    ("ask", "demand"),
    ("cochair", "cochair"),
    ("chair", "cochair"),
    ("mediat", "mediat"),
    ("outsid", "independ"),
    ("extern", "independ"),
    ("damag", "undermin"),
    ("harm", "undermin"),
    ("hurt", "undermin"),
    ("erod", "undermin"),
    ("room", "space"),
    ("toll", "cost"),
    ("finish", "end"),
    ("stop", "end"),
    ("worri", "concern"),
    ("ring", "call"),
    ("rang", "call"),
    ("phone", "call"),
];

const NUMBER_WORDS: &[(&str, &str)] = &[
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("second", "2nd"),
    ("third", "3rd"),
    ("fourth", "4th"),
    ("fifth", "5th"),
    ("sixth", "6th"),
    ("seventh", "7th"),
    ("eighth", "8th"),
    ("ninth", "9th"),
    ("tenth", "10th"),
    ("eleventh", "11th"),
    ("twelfth", "12th"),
    ("thirteenth", "13th"),
    ("fourteenth", "14th"),
    ("fifteenth", "15th"),
    ("sixteenth", "16th"),
    ("seventeenth", "17th"),
    ("eighteenth", "18th"),
    ("nineteenth", "19th"),
    ("twentieth", "20th"),
];

/// The ordinal words, "first" to "twentieth", in order: `ORDINAL_WORDS[n - 1]` is the nth.
pub const ORDINAL_WORDS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// How people abbreviate words in chat, spelled out (whole words only).
const CHAT_SPELLINGS: &[(&str, &str)] = &[
    ("appt", "appointment"),
    ("appts", "appointments"),
    ("b4", "before"),
    ("bc", "because"),
    ("coz", "because"),
    ("cuz", "because"),
    ("dat", "that"),
    ("didnt", "did not"),
    ("doesnt", "does not"),
    ("dont", "do not"),
    ("drs", "doctors"),
    ("feb", "february"),
    ("jun", "june"),
    ("jul", "july"),
    ("med", "medical"),
    ("aug", "august"),
    ("sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
    ("hasnt", "has not"),
    ("havent", "have not"),
    ("im", "i am"),
    ("innit", ""),
    ("isnt", "is not"),
    ("jan", "january"),
    ("r", "are"),
    ("rn", "right now"),
    ("theyd", "they would"),
    ("theyre", "they are"),
    ("ur", "your"),
    ("wasnt", "was not"),
    ("werent", "were not"),
    ("wont", "will not"),
    ("wot", "what"),
    ("wut", "what"),
    ("yr", "year"),
    ("yrs", "years"),
    ("abt", "about"),
    ("bout", "about"),
    ("hed", "he would"),
    ("nah", ""),
    ("ppl", "people"),
    ("tho", ""),
    ("u", "you"),
    ("w", "with"),
    ("ya", "you"),
    ("shes", "she is"),
    ("hes", "he is"),
];

const CONTRACTIONS: &[(&str, &str)] = &[
    ("won't", "will not"),
    ("can't", "can not"),
    ("cannot", "can not"),
    ("n't", " not"),
    ("what's", "what is"),
    ("whats", "what is"),
    ("who's", "who is"),
    ("whos", "who is"),
    ("where's", "where is"),
    ("when's", "when is"),
    ("whens", "when is"),
    ("how's", "how is"),
    ("it's", "it is"),
    ("that's", "that is"),
    ("there's", "there is"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'d", " would"),
    ("i'm", "i am"),
    ("'s", ""),
];

/// Words that carry no meaning for matching facts.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "bot",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "even",
    "ever",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "hey",
    "hi",
    "hello",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "know",
    "like",
    "me",
    "mean",
    "much",
    "my",
    "of",
    "ok",
    "okay",
    "on",
    "or",
    "our",
    "out",
    "over",
    "please",
    "pls",
    "plz",
    "really",
    "said",
    "say",
    "says",
    "so",
    "some",
    "tell",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "u",
    "up",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yo",
    "you",
    "your",
    "many",
    "there",
    "thing",
    "things",
    "go",
    "going",
    "went",
    "gone",
    "make",
    "made",
    "should",
    "tho",
    "btw",
    "exactly",
    "wanna",
    "gonna",
    "whole",
    "someone",
    "anyone",
    "people",
    "stuff",
    "again",
    "lol",
    "pretty",
    "kind",
    "sort",
    "most",
    "more",
    "very",
    "too",
    "being",
    "one",
    "ones",
    "before",
    "happened",
    "happen",
    "happening",
];

/// Cuts a question to [`MAX_QUESTION_CHARS`] characters.
pub fn truncate(question: &str) -> &str {
    match question.char_indices().nth(MAX_QUESTION_CHARS) {
        Some((at, _)) => &question[..at],
        None => question,
    }
}

/// Lower case, plain ASCII punctuation, no emoji or marks, contractions spelled
/// out, words separated by single spaces. Keeps `%`, `£` and decimal points.
pub fn clean(input: &str) -> String {
    let input = truncate(input);
    // ASCII text (most questions and most of the knowledge) has nothing to
    // decompose and no marks, and lower-cases byte by byte.
    let s = if input.is_ascii() {
        let mut s = input.to_ascii_lowercase();
        if s.contains('`') {
            s = s.replace('`', "'");
        }
        s
    } else {
        fold_unicode(input)
    };
    let s = drop_leading_mention(&s);
    let mut s = fold_numbers(s);
    // No replacement writes an apostrophe, so without one in the text no
    // contraction with one can match, before or after the others.
    let apostrophe = s.contains('\'');
    for (from, to) in CONTRACTIONS {
        // Most questions hold few of these: look before paying for a new string.
        if (apostrophe || !from.contains('\'')) && s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let out = if s.is_ascii() {
        blank_punctuation_ascii(s.into_bytes())
    } else {
        blank_punctuation(&s)
    };
    let spellings = chat_spellings();
    let mut words: Vec<&str> = out
        .split_whitespace()
        .flat_map(|w| {
            let spelled = (w.len() <= LONGEST_CHAT_SPELLING).then(|| spellings.get(w));
            spelled.flatten().copied().unwrap_or(w).split_whitespace()
        })
        .collect();
    if words.first() == Some(&"bot") {
        words.remove(0);
    }
    words.join(" ")
}

/// Compatibility decomposition without combining marks, lower case, plain
/// quotes and dashes: the first step of [`clean`] for any text.
fn fold_unicode(input: &str) -> String {
    let mut s = String::with_capacity(input.len());
    for c in input.nfkd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => '\'',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        };
        s.extend(c.to_lowercase());
    }
    s
}

/// Whether `c` survives cleaning: letters, digits, `%`, `£`, and a point
/// between two digits.
fn kept(c: char, digit_before: bool, digit_after: bool) -> bool {
    c.is_alphanumeric() || c == '%' || c == '£' || (c == '.' && digit_before && digit_after)
}

/// Every character that is not [`kept`] becomes a space.
fn blank_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_ascii_digit())
        };
        let keep = kept(c, digit_at(i.checked_sub(1)), digit_at(Some(i + 1)));
        out.push(if keep { c } else { ' ' });
    }
    out
}

/// [`blank_punctuation`] of ASCII text, in place, a byte for a character.
fn blank_punctuation_ascii(mut bytes: Vec<u8>) -> String {
    for i in 0..bytes.len() {
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| bytes.get(j))
                .is_some_and(|b| b.is_ascii_digit())
        };
        let keep = kept(
            bytes[i] as char,
            digit_at(i.checked_sub(1)),
            digit_at(Some(i + 1)),
        );
        if !keep {
            bytes[i] = b' ';
        }
    }
    // Only ASCII bytes were written over ASCII bytes.
    String::from_utf8(bytes).expect("ASCII stays ASCII")
}

/// The length of the longest word in [`CHAT_SPELLINGS`]: a longer word is not looked up.
const LONGEST_CHAT_SPELLING: usize = 6;

/// [`CHAT_SPELLINGS`] as a map, the first spelling of a word winning.
fn chat_spellings() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| first_wins(CHAT_SPELLINGS))
}

/// A table of pairs as a map, keeping the first value of a repeated key as
/// a linear search of the table would find it.
fn first_wins(table: &[(&'static str, &'static str)]) -> HashMap<&'static str, &'static str> {
    let mut map = HashMap::with_capacity(table.len());
    for &(k, v) in table {
        map.entry(k).or_insert(v);
    }
    map
}

fn drop_leading_mention(s: &str) -> &str {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix("<@") {
        if let Some(end) = rest.find('>') {
            return &rest[end + 1..];
        }
    }
    if let Some(rest) = t.strip_prefix('@') {
        return rest;
    }
    t
}

/// Removes thousands separators (61,989 becomes 61989) so numbers compare as written.
fn fold_numbers(s: &str) -> String {
    if !s.contains(',') {
        return s.to_string();
    }
    fold_separators(s)
}

/// [`fold_numbers`] without its shortcut for text without a comma.
fn fold_separators(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let is_separator = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|w| w.iter().all(|c| c.is_ascii_digit()))
            && !chars.get(i + 4).is_some_and(|c| c.is_ascii_digit());
        if !is_separator {
            out.push(c);
        }
    }
    out
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The search term of one cleaned word: its stem, with synonyms and number words folded.
pub fn term(word: &str) -> String {
    static NUMBERS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    static SAME: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let numbers = NUMBERS.get_or_init(|| first_wins(NUMBER_WORDS));
    let synonyms = SAME.get_or_init(|| first_wins(SYNONYMS));
    if let Some(n) = numbers.get(word) {
        return n.to_string();
    }
    if let Some(t) = synonyms.get(word) {
        return t.to_string();
    }
    let stem = stemmer().stem(word);
    synonyms
        .get(stem.as_ref())
        .map_or_else(|| stem.into_owned(), |t| t.to_string())
}

/// Splits numbers from units that people write together: "35%" and "£3bn".
fn split_units(word: &str) -> Vec<&str> {
    let word = word.trim_start_matches('£');
    if let Some(n) = word.strip_suffix('%') {
        return vec![n, "%"];
    }
    for unit in ["bn", "m", "k"] {
        if let Some(n) = word.strip_suffix(unit) {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return vec![n, unit];
            }
        }
    }
    vec![word]
}

/// Applies the phrase table to cleaned text.
pub fn fold_phrases(cleaned: &str) -> String {
    // Every phrase is of two words or more: one word has none of them.
    if !cleaned.trim().contains(' ') {
        return cleaned.trim().to_string();
    }
    fold_phrase_table(cleaned)
}

/// [`fold_phrases`] without its shortcut for one word.
fn fold_phrase_table(cleaned: &str) -> String {
    let mut s = format!(" {cleaned} ");
    for (from, to) in PHRASES {
        let from = from.trim();
        if s.contains(from) {
            s = s.replace(&format!(" {from} "), &format!(" {} ", to.trim()));
        }
    }
    s.trim().to_string()
}

/// The search terms of any text: cleaned, phrases folded, stopwords dropped, stemmed.
pub fn terms(text: &str) -> Vec<String> {
    terms_of_cleaned(&clean(text))
}

/// [`terms`] for text that is already [`clean`].
pub fn terms_of_cleaned(cleaned: &str) -> Vec<String> {
    fold_phrases(cleaned)
        .split(' ')
        .flat_map(word_terms)
        .collect()
}

/// The terms of one word of text that is already cleaned and phrase-folded:
/// none for a stopword, two for "35%".
pub fn word_terms(word: &str) -> Vec<String> {
    // "175k" is the number 175,000, as the articles write it.
    if let Some(n) = word.strip_suffix('k') {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            return vec![format!("{n}000")];
        }
    }
    split_units(word)
        .into_iter()
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .map(term)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The cleaning before its fast paths (ASCII, no apostrophe, no comma, a
    // map for chat spellings), kept as the reference they must agree with;
    // the steps it shares with `clean` are the unchanged slow paths.
    fn clean_reference(input: &str) -> String {
        let s = fold_unicode(truncate(input));
        let mut s = fold_separators(drop_leading_mention(&s));
        for (from, to) in CONTRACTIONS {
            if s.contains(from) {
                s = s.replace(from, to);
            }
        }
        let out = blank_punctuation(&s);
        let mut words: Vec<&str> = out
            .split_whitespace()
            .flat_map(|w| {
                let spelled = CHAT_SPELLINGS.iter().find(|(k, _)| *k == w);
                spelled.map_or(w, |(_, v)| v).split_whitespace()
            })
            .collect();
        if words.first() == Some(&"bot") {
            words.remove(0);
        }
        words.join(" ")
    }

    fn term_reference(word: &str) -> String {
        let lookup = |w: &str, table: &[(&str, &'static str)]| {
            table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
        };
        if let Some(n) = lookup(word, NUMBER_WORDS) {
            return n.to_string();
        }
        if let Some(t) = lookup(word, SYNONYMS) {
            return t.to_string();
        }
        let stem = stemmer().stem(word);
        lookup(&stem, SYNONYMS).map_or_else(|| stem.into_owned(), str::to_string)
    }

    #[test]
    fn no_chat_spelling_is_longer_than_the_longest_looked_up() {
        assert!(CHAT_SPELLINGS
            .iter()
            .all(|(k, _)| k.len() <= LONGEST_CHAT_SPELLING));
    }

    /// Text made of what cleaning treats specially: contractions, chat
    /// spellings, phrases, separators, quotes, dashes, mentions, marks.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces: Vec<&'static str> = CONTRACTIONS
            .iter()
            .chain(CHAT_SPELLINGS)
            .chain(PHRASES)
            .chain(SYNONYMS)
            .chain(NUMBER_WORDS)
            .map(|(k, _)| *k)
            .chain([
                " ", "  ", "'", "`", "\u{2019}", "\u{2014}", ",", ".", "1", "61,989", "3.5", "£",
                "%", "<@12>", "@", "bot ", "BOT", "Ü", "e\u{301}", "ﬁ", "🐙", "\t", "n", "s", "x",
                "?", "!", "-",
            ])
            .collect();
        proptest::collection::vec(proptest::sample::select(pieces), 0..12).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn fast_cleaning_is_the_reference_cleaning(text in tricky_text()) {
            prop_assert_eq!(clean(&text), clean_reference(&text));
        }

        #[test]
        fn fast_cleaning_is_the_reference_cleaning_on_any_text(text in any::<String>()) {
            prop_assert_eq!(clean(&text), clean_reference(&text));
        }

        #[test]
        fn fast_phrase_folding_and_terms_are_the_reference_ones(text in tricky_text()) {
            let cleaned = clean(&text);
            prop_assert_eq!(fold_phrases(&cleaned), fold_phrase_table(&cleaned));
            for word in cleaned.split(' ') {
                prop_assert_eq!(fold_phrases(word), fold_phrase_table(word));
                prop_assert_eq!(term(word), term_reference(word));
            }
        }
    }

    #[test]
    fn cleaning_handles_what_people_type() {
        for (input, cleaned) in [
            ("What’s the BMA’s demand??", "what is the bma demand"),
            ("@bot who said it", "who said it"),
            ("<@!42> hi", "hi"),
            ("61,989 appointments", "61989 appointments"),
            ("a 35.3% rise", "a 35.3% rise"),
            ("Z̷a̶l̵g̴o̸ strike", "zalgo strike"),
            ("didn't they", "did not they"),
            ("🐙🐙", ""),
        ] {
            assert_eq!(clean(input), cleaned, "input: {input}");
        }
    }

    #[test]
    fn synonyms_fold_to_one_term() {
        assert_eq!(terms("industrial action"), terms("walkouts"));
        assert_eq!(terms("medics"), terms("doctors"));
        assert_eq!(terms("resident doctors"), terms("junior doctors"));
        assert_eq!(terms("postponed"), terms("cancelled"));
        assert_eq!(terms("the twelfth strike"), terms("12th strike"));
    }

    #[test]
    fn cleaning_is_idempotent() {
        for input in [
            "What’s 61,989?",
            "co-chairs of the BMA",
            "Ünïcödé — “quotes”",
        ] {
            let once = clean(input);
            assert_eq!(clean(&once), once);
        }
    }

    #[test]
    fn long_input_is_cut() {
        let long = "strike ".repeat(10_000);
        assert!(clean(&long).len() <= MAX_QUESTION_CHARS);
    }
}
