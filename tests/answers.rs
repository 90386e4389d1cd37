//! Questions in, answers out: what a user of the bot would notice.
//!
//! The questions are ours (not the evaluation set's). Each case is one line:
//! the answer must contain every expected piece (case-insensitive; `a | b`
//! accepts either), cite at least one source, and every quote it cites must be
//! word for word in that source's article.

use dispute_bot::engine::{Answer, Conversation, Engine};
use dispute_bot::knowledge::Knowledge;
use dispute_bot::render;
use std::path::Path;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        Engine::new(Knowledge::load(&dir).unwrap_or_else(|e| panic!("{e}")))
    })
}

/// White space runs become one space and curly quotes straight, as the
/// knowledge README allows between a quote and its article.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
}

/// Every citation names a known source and quotes it word for word.
fn assert_citations_verbatim(answer: &Answer) {
    let k = engine().knowledge();
    for c in answer.citations() {
        let source = k
            .sources
            .iter()
            .find(|s| s.id.as_str() == c.source)
            .unwrap_or_else(|| panic!("cites unknown source {}", c.source));
        let article = std::fs::read_to_string(k.root.join(&source.file)).unwrap();
        assert!(!c.quote.trim().is_empty(), "empty quote from {}", c.source);
        assert!(
            normalised(&article).contains(&normalised(&c.quote)),
            "the quote {:?} is not in {}",
            c.quote,
            source.file
        );
        assert_eq!(c.title, source.title);
    }
}

/// The answer states facts, cites them, and says each expected thing.
fn assert_says(answer: &Answer, expected: &[&str]) {
    assert_says_in(answer, &answer.text, expected);
}

/// As [`assert_says`], but the expected things must be in the answer's first
/// line: what the user reads as *the* answer, before any earlier figure.
fn assert_first_line_says(answer: &Answer, expected: &[&str]) {
    assert_says_in(answer, answer.text.lines().next().unwrap_or(""), expected);
}

fn assert_says_in(answer: &Answer, text: &str, expected: &[&str]) {
    let text = text.to_lowercase();
    assert!(
        answer.is_answered(),
        "declined {:?}: {}",
        answer.question,
        answer.text
    );
    assert!(
        !answer.citations().is_empty(),
        "no citations: {}",
        answer.text
    );
    for want in expected {
        assert!(
            want.split(" | ")
                .any(|alt| text.contains(&alt.to_lowercase())),
            "{:?}: expected {want:?} in:\n{}",
            answer.question,
            answer.text
        );
    }
    assert!((0.0..=1.0).contains(&answer.confidence));
    assert_citations_verbatim(answer);
}

/// The bot declines: no facts stated, nothing cited, a reason given.
fn assert_declines(answer: &Answer) {
    assert!(
        !answer.is_answered(),
        "answered {:?} instead of declining: {}",
        answer.question,
        answer.text
    );
    assert!(answer.citations().is_empty(), "{:?}", answer.citations());
    assert!(answer.decline_reason().is_some());
    assert!(!answer.text.trim().is_empty());
}

/// `answers!(test_name, "question", ["expected", "this | or that"]);`, or
/// `answers!(test_name, "question", first ["expected in the first line"]);`
macro_rules! answers {
    ($(#[$attr:meta])* $name:ident, $question:expr, first [$($want:expr),* $(,)?]) => {
        #[test]
        $(#[$attr])*
        fn $name() {
            assert_first_line_says(&engine().answer($question), &[$($want),*]);
        }
    };
    ($(#[$attr:meta])* $name:ident, $question:expr, [$($want:expr),* $(,)?]) => {
        #[test]
        $(#[$attr])*
        fn $name() {
            assert_says(&engine().answer($question), &[$($want),*]);
        }
    };
}

/// `declines!(test_name, "question");`
macro_rules! declines {
    ($(#[$attr:meta])* $name:ident, $question:expr) => {
        #[test]
        $(#[$attr])*
        fn $name() {
            assert_declines(&engine().answer($question));
        }
    };
}

/// `declines_saying!(test_name, "question", ["in the reason | or this"]);`: a
/// decline whose reason names what is missing; any correction it carries is cited verbatim.
macro_rules! declines_saying {
    ($(#[$attr:meta])* $name:ident, $question:expr, [$($want:expr),* $(,)?]) => {
        #[test]
        $(#[$attr])*
        fn $name() {
            let answer = engine().answer($question);
            assert!(!answer.is_answered(), "answered {:?}: {}", $question, answer.text);
            assert!(answer.decline_reason().is_some());
            assert_citations_verbatim(&answer);
            let text = answer.text.to_lowercase();
            for want in [$($want),*] {
                assert!(
                    want.split(" | ").any(|w| text.contains(&w.to_lowercase())),
                    "{:?}: expected {want:?} in {:?}", $question, answer.text
                );
            }
        }
    };
}

/// `follow_up!(test_name, "first question", "follow-up", ["expected in the follow-up"]);`
macro_rules! follow_up {
    ($(#[$attr:meta])* $name:ident, $first:expr, $then:expr, [$($want:expr),* $(,)?]) => {
        #[test]
        $(#[$attr])*
        fn $name() {
            let mut conversation = Conversation::default();
            let first = engine().answer_in($first, &conversation);
            assert!(first.is_answered(), "{:?} was declined: {}", $first, first.text);
            conversation.remember(&first);
            assert_says(&engine().answer_in($then, &conversation), &[$($want),*]);
        }
    };
}

#[rustfmt::skip]
mod figures {
    use super::*;
    answers!(
        strikes_so_far_latest_first, "how many strikes have junior doctors held", first ["twelfth | 12 strikes | 12th"]
    );
    answers!(
        the_readme_question, "how many strikes have there been?", first ["twelfth | 12 strikes | 12th"]
    );
    answers!(strikes_by_july_2024, "how many strikes had junior doctors held by July 2024", first ["11 strikes"]);
    answers!(rounds_by_the_mediated_talks, "how many rounds of strikes had there been by the mediated talks in May 2024", ["10 rounds"]);
    answers!(postponed_in_the_march_2023_strike, "how many appointments were cancelled by the walkout in March 2023", ["175,000"]);
    answers!(postponed_in_the_june_2024_strike, "how many appointments did the June 2024 walkout cost", ["61,989"]);
    answers!(postponed_in_february_2024, "how many operations were postponed by the February 2024 strike", ["91,048"]);
    answers!(share_of_the_workforce, "what share of the medical workforce are resident doctors", ["45% | nearly half"]);
    answers!(ballot_result, "what percentage voted to keep striking", ["98%"]);
    answers!(cost_to_the_nhs, "how much has the industrial action cost the NHS", ["£3"]);
    answers!(deal_after_the_election, "how big was the pay rise in the deal after the election", ["22%"]);
    answers!(rise_in_2025, "what percentage pay rise did the government give in 2025", ["5.4%"]);
    answers!(manifesto_pledge, "how many extra hospital appointments a week did Labour's manifesto promise", ["40,000"]);
    answers!(
        latest_total_postponed_comes_first, "how many appointments has industrial action postponed since December 2022", first ["1.5 million"]
    );
}

#[rustfmt::skip]
mod dates {
    use super::*;
    answers!(formal_negotiations_began, "when did formal negotiations start", ["23 July 2024"]);
    answers!(eleventh_strike_by_number, "when did the 11th strike begin", ["27 June 2024"]);
    answers!(ordinal_of_a_dated_strike, "what number was the strike that began on 27 June", ["11th"]);
    answers!(twelfth_strike_in_words, "when was the twelfth strike", ["2025"]);
    answers!(wave_of_action_began, "when did the wave of industrial action in the NHS begin", ["December 2022"]);
    answers!(expected_end_of_talks, "by when were the formal talks expected to conclude", ["16 August"]);
    answers!(a_month_and_year, "what happened in February 2024", ["24–28 February 2024 | February 2024"]);
    answers!(a_month_with_several_events, "what happened in July 2024", ["23 July 2024"]);
    answers!(after_the_election, "what happened after Labour won the election", ["Streeting"]);
    answers!(the_moment_labour_took_office_is_its_first_days, "what did streeting say when labour took office", first ["day one | economic circumstances | deal to be done"]);
    answers!(once_labour_got_in_with_a_word_between, "once labour had finally got in, what did the health secretary promise?", first ["July 2024 | day one"]);
    answers!(when_labour_took_office_asks_the_election_date, "when did labour take office?", first ["July 2024", "election"]);
    answers!(before_the_election, "who was health secretary before the election", ["Atkins | Barclay"]);
    answers!(minister_at_the_time_of_a_strike, "who was health secretary during the three-day strike", ["Barclay"]);
}

#[rustfmt::skip]
mod people_and_quotes {
    use super::*;
    answers!(who_someone_is, "who is Wes Streeting", ["Health"]);
    answers!(co_chairs_in_2024, "who co-chaired the junior doctors committee in 2024", ["Laurenson", "Trivedi"]);
    answers!(medical_director, "who is Stephen Powis", ["medical director"]);
    answers!(speaker_of_a_phrase, "who said there was a deal to be done", ["Streeting"]);
    answers!(speaker_of_unnecessary, "who called the strike entirely unnecessary", ["Streeting"]);
    answers!(what_someone_said, "what did Stephen Powis say about the strike", ["unprecedented"]);
    answers!(a_name_in_the_question_is_not_taken_for_a_quote, "who is leading the bma junior doctors committee these days", first ["Ryan | Nieuwoudt"]);
    answers!(a_role_now_is_held_at_the_newest_article, "who's co-chairing the junior doctors committee at the moment?", first ["Ryan | Nieuwoudt"]);
    answers!(what_words_someone_used_is_a_quote, "which words did Stephen Powis use for the strike?", first ["Powis said"]);
    answers!(what_the_co_chairs_said, "what did the co-chairs say about an independent mediator", ["mediator"]);
}

#[rustfmt::skip]
mod demands_causes_comparisons {
    use super::*;
    answers!(the_demand, "what pay rise are resident doctors asking for", ["35"]);
    answers!(restoration_year, "to which year's level do doctors want their pay restored", ["2008"]);
    answers!(the_cause, "why are junior doctors striking", ["pay | burnout | morale"]);
    answers!(yes_no_on_the_demand, "did Streeting agree to the 35% demand", ["35%", "not"]);
    answers!(what_barclay_asked, "what did Steve Barclay call on junior doctors to do", ["other health unions | other unions"]);
    answers!(two_strikes_side_by_side, "which strike postponed more appointments, the three-day one or the one from 27 June", ["175,000", "61,989"]);
    answers!(timeline_of_strikes, "list the strikes in order", ["early 2023", "June 2024"]);
}

/// Two facts side by side (`src/engine/compare.rs`): both values, cited, and
/// for numbers of one unit the difference.
#[rustfmt::skip]
mod comparisons {
    use super::*;
    answers!(lengths_of_two_strikes, "which walkout went on longer: the one under Barclay or the one from 27 June?", ["3 days", "5 days", "Longer: Five-day"]);
    answers!(lengths_as_a_yes_no, "was the 11th strike longer than the 175k one?", ["5 days", "3 days", "by 2 days"]);
    answers!(lengths_the_same, "were the 11th and 12th strikes the same length?", ["the same", "5 days"]);
    answers!(difference_of_postponements, "how many more operations were cancelled in the Feb 2024 strike than in the June one?", ["91,048", "61,989", "Difference: 29,059"]);
    answers!(difference_with_a_lower_bound, "how many more appointments were postponed in the three-day strike than the February 2024 one?", ["175,000", "91,048", "more than 83,952"]);
    answers!(one_series_at_two_dates, "how does the March total of rescheduled appointments compare with the total once Labour took office?", ["1,424,269", "1.5 million", "about 75,731"]);
    answers!(the_most_of_a_series, "of all the walkouts, which one led to the most postponements?", first ["The most"]);
    answers!(the_most_names_the_largest_and_the_rest, "which walkout had the most appointments postponed?", ["three-day", "175,000", "91,048", "61,989"]);
    declines_saying!(the_most_among_things_not_compared, "which hospital saw the most operations cancelled in the february walkout?", ["don't compare"]);
    answers!(the_most_of_single_strikes, "which individual walkout postponed the most appointments?", first ["The most"]);
    answers!(role_holders_in_a_year_and_at_an_event, "did the committee's co-chairs change between 2024 and the twelfth strike?", ["Laurenson", "Ryan"]);
    answers!(two_names_of_one_thing, "are medics in training and junior docs one and the same?", first ["Yes"]);
    answers!(two_names_of_two_things, "is the BMA the same as the junior doctors committee?", first ["No"]);
    answers!(the_longest_strike, "which strike lasted the longest?", ["5 days", "3 days"]);
    answers!(what_they_got_against_what_they_asked, "how does the pay rise doctors got compare with what they asked for?", ["22%", "5.4%", "35%"]);
    answers!(role_holders_at_two_times, "have the co-chairs changed between 2024 and 2025?", ["Laurenson", "Trivedi", "Ryan", "Nieuwoudt", "changed"]);
    answers!(role_holders_now_and_then, "are the co-chairs now the same as the co-chairs in 2024?", ["Ryan", "Laurenson"]);
    declines_saying!(a_side_that_matches_nothing, "which lasted longer, the 11th strike or the 2019 one?", ["2019"]);
}

/// The time between two points (`src/engine/between.rs`): the events in
/// between, in order, and before/after questions.
#[rustfmt::skip]
mod timelines_between {
    use super::*;
    answers!(between_two_numbered_strikes, "talk me through what went on between the eleventh strike and the twelfth", ["Labour wins", "23 July 2024", "22%", "Talks break down"]);
    answers!(between_a_deal_and_a_strike, "anything happen between the 22% deal and the twelfth walkout?", ["5.4%", "Talks break down"]);
    answers!(between_talks_and_the_election, "what went on between the mediated talks and Labour getting in?", ["27 June 2024"]);
    answers!(from_a_month_to_an_event, "what happened from December 2022 until the first strike under Labour", ["December 2022", "Three-day", "24–28 February 2024", "22%", "twelfth"]);
    answers!(order_of_two_events, "did the strike from 27 June come before the mediated talks?", ["No", "after", "15 May 2024"]);
    answers!(order_yes, "was the three-day strike before the election?", ["Yes", "before"]);
    answers!(an_event_dated_to_the_month_of_the_anchor, "and what happened after labour won the election", ["day one", "22%"]);
    answers!(holders_of_a_role_in_order, "can you list all the health secretaries in this dispute", ["Steve Barclay, Victoria Atkins and Wes Streeting"]);
    answers!(the_last_government_is_the_previous_one, "how come negotiations with the last government got nowhere", ["trust | previous government"]);
    answers!(did_it_happen_after_is_no_order_question, "did the BMA accept the invitation to talk again after the twelfth walkout?", ["accepted"]);
    answers!(did_it_come_after_is_an_order_question, "did the mediated talks happen after the february strike?", first ["Yes"]);
    answers!(a_fact_naming_a_strike_number_is_about_it, "why was Streeting so cross about the twelfth walkout?", ["undermined | unnecessary"]);
    answers!(a_month_with_only_reported_states, "did anything big happen around the middle of may 2024?", ["mediated talks"]);
    answers!(since_an_event_dated_to_a_range, "what's happened since the 22% pay deal?", ["5.4%"]);
    answers!(what_came_out_of_is_no_timeline, "what came out of Streeting's phone call to the BMA?", first ["talks"]);
    answers!(a_count_by_the_time_of_an_event, "by the time the mediator came in, how many rounds of walkouts had there been?", first ["10 rounds"]);
    answers!(after_an_event_known_by_a_day, "what went on after the mediated talks?", ["27 June 2024"]);
    answers!(right_after_lists_the_nearest_events, "what came straight after the 11th walkout?", ["Labour wins"]);
    answers!(just_before_a_numbered_strike, "anything happen with the negotiations the week before the twelfth walkout", ["broke down | break down"]);
    answers!(the_last_one_before_an_event, "which strike came last before the mediator was brought in?", first ["24 to 28 February 2024 | 24–28 February 2024"]);

    #[test]
    fn right_after_leaves_out_what_came_long_after() {
        let answer = engine().answer("what happened right after the three-day strike under Barclay?");
        assert!(!answer.text.contains("2025"), "{}", answer.text);
    }

    #[test]
    fn a_state_known_by_a_day_did_not_happen_right_after_it() {
        let answer = engine().answer("what happened immediately after the mediated talks started?");
        assert!(answer.text.contains("27 June 2024"), "{}", answer.text);
        assert!(!answer.text.contains("by 15 May 2024"), "{}", answer.text);
    }

    #[test]
    fn the_ends_are_left_out_of_a_span_between_them() {
        let answer = engine().answer("what happened between the 22% deal and the twelfth walkout?");
        assert!(!answer.text.contains("• 2025: Five-day twelfth"), "{}", answer.text);
    }

    #[test]
    fn a_state_after_an_event_is_no_question_of_order() {
        let answer = engine().answer("was Streeting hopeful after his first meetings with the BMA?");
        assert!(!answer.text.starts_with("Yes:") && !answer.text.starts_with("No:"), "{}", answer.text);
    }
}

#[rustfmt::skip]
mod typos_and_synonyms {
    use super::*;
    answers!(
        misspelt_strikes, "how many stirkes have there been", first ["11 strikes | 12 strikes | twelfth | 10 rounds"]
    );
    answers!(misspelt_streeting, "who is Wes Streting", ["Streeting"]);
    answers!(misspelt_trivedi, "who is Vivek Trevedi", ["Trivedi"]);
    answers!(misspelt_barclay, "what did Barcley call on junior doctors to do", ["Barclay"]);
    answers!(misspelt_appointments, "how many appointmens were postponed in the 11th strike", ["61,989"]);
    answers!(misspelt_negotiations, "when did the negotiatons begin", ["23 July 2024"]);
    answers!(walkout_for_strike, "how many walkouts have junior doctors staged", first ["10 rounds | 11 strikes | 12 strikes | twelfth"]);
    answers!(industrial_action_for_strike, "what has the industrial action cost the health service", ["£3"]);
    answers!(
        medics_for_junior_doctors, "how many times have the medics gone on strike", first ["10 rounds | 11 strikes | 12 strikes | twelfth"]
    );
    answers!(resident_doctors_for_junior_doctors, "what do resident doctors want", ["35 | restor"]);
    answers!(medics_in_training, "what do medics in training want", ["35 | restor"]);
    answers!(the_union_for_the_bma, "what does the union want", ["pay"]);
}

/// A number stated for confirmation is checked against the figure of what it
/// counts: corrected when the articles give another, answered plainly when they agree.
#[rustfmt::skip]
mod claims {
    use super::*;
    answers!(a_wrong_count_of_strikes_is_corrected, "so there have only been about six strikes, yeah?", first ["No, not 6", "twelfth"]);
    answers!(a_wrong_share_is_corrected, "is it true that 75% of those voting backed more walkouts", first ["No, not 75%", "98%"]);
    answers!(a_wrong_pay_rise_in_the_deal_is_corrected, "the temporary deal was worth 30 percent, wasn't it?", first ["No, not 30%", "22%"]);
    answers!(a_wrong_number_postponed_is_corrected, "the February 2024 walkout postponed 50,000 appointments, right?", first ["No, not 50,000", "91,048"]);
    answers!(a_right_count_is_not_contradicted, "twelve strikes so far, right?", first ["twelfth"]);
    answers!(a_claim_near_a_rough_figure_is_not_contradicted, "junior doctors are roughly 50% of the medical workforce, right?", ["45% | nearly half"]);
    #[test]
    fn claims_the_articles_agree_with_are_not_called_wrong() {
        for question in ["twelve strikes so far, right?", "junior doctors are roughly 50% of the medical workforce, right?"] {
            let answer = engine().answer(question);
            assert!(!answer.text.starts_with("No"), "{question}: {}", answer.text);
        }
    }
}

/// One case per decline rule of `src/engine/ground.rs` (see ARCHITECTURE.md),
/// in words of our own: the reason names what the articles lack.
#[rustfmt::skip]
mod decline_rules {
    use super::*;
    // A content word that no entry of the knowledge uses.
    declines_saying!(unknown_word_off_topic, "how many goals did the striker score in the league", ["\"goals\""]);
    declines_saying!(unknown_word_on_topic, "how many junior doctors were arrested for striking", ["\"arrested\""]);
    declines_saying!(unknown_word_false_premise, "why did the health secretary resign", ["\"resign\""]);
    declines_saying!(unknown_word_other_country, "did doctors in Germany walk out too", ["\"germany\""]);
    // A reference past what the articles report, with the latest they do report, cited.
    declines_saying!(strike_numbered_past_the_last, "when does the fourteenth strike start", ["numbered 14", "twelfth"]);
    declines_saying!(strike_length_nobody_reported, "why did the strike go on for nine days", ["9-day", "twelfth"]);
    declines_saying!(year_after_the_newest_article, "will the doctors get a pay rise in 2028", ["2028", "newest article"]);
    // "How many / how much" of something no figure gives a number for.
    declines_saying!(count_of_something_never_counted, "how many consultants went on strike", ["no number of consultants"]);
    declines_saying!(count_of_the_doctors_themselves, "roughly how many resident doctors work in England", ["no number of resident doctors"]);
    declines_saying!(amount_never_measured, "how much overtime did the rotas need", ["no number of overtime | \"overtime\""]);
    declines_saying!(amount_of_something_named_after_is, "how much is the career development budget", ["no number of career development"]);
    // An open question's unknown verb declines when its other words say too little.
    declines_saying!(unknown_verb_with_too_little_beside_it, "which doctors were arrested for striking", ["\"arrested\""]);
    // A why-question whose verb no fact found states: the premise is not reported.
    declines_saying!(why_with_a_premise_nobody_reported, "why did the BMA agree to the 35% offer", ["don't report that", "agree"]);
    declines_saying!(why_with_a_premise_about_a_person, "why did Stephen Powis back the walkout", ["don't report that"]);
    // A why-question whose best fact states the opposite ("voted to continue"): corrected, not answered.
    declines_saying!(why_with_a_premise_the_facts_contradict, "why did the junior doctors ballot to end strike action in spring 2024", ["don't report that", "98%"]);
    // A will-question about an outcome no fact plans.
    declines_saying!(will_with_an_outcome_nobody_planned, "will the 40,000 weekly appointments pledge be met", ["don't say what will happen"]);
    // How something turned out that the articles call still to come.
    declines_saying!(outcome_of_talks_still_to_come, "did the negotiations planned for the following week reach a settlement", ["still to come", "twelfth"]);
    // A question about next year or from now on: past every article.
    declines_saying!(what_comes_next_year, "are there going to be any walkouts next year?", ["what comes next", "newest article", "twelfth"]);
    declines_saying!(what_comes_from_now_on, "will the doctors ever again accept a pay award from now on", ["what comes next"]);
    // A number asked of someone or something no figure is about.
    declines_saying!(number_of_a_hospital_no_figure_is_about, "how many operations were postponed at St Thomas' Hospital", ["no figures for St Thomas"]);
    // An exact date, when the fact is dated only to the year.
    declines_saying!(exact_date_of_a_strike_dated_by_year, "on what exact date did the twelfth strike begin", ["exact date", "2025"]);
}

/// Premises the articles do state, and numbers they do give, are still answered.
#[rustfmt::skip]
mod grounded_questions {
    use super::*;
    // A number of someone a figure is about, beside a programme none is about.
    answers!(number_from_someone_with_figures, "on the Today programme, how many days had Trivedi said the dispute had run?", ["Trivedi"]);
    // A share measures what it is a share of.
    answers!(how_much_of_what_a_share_is_of, "how much of their normal non-urgent work did hospitals keep going during the twelfth strike?", ["80%"]);
    // Comparatives frame a comparison; they name no fact.
    answers!(less_compares_rather_than_declines, "were hospitals less disrupted in the twelfth strike than in earlier walkouts", ["80%", "50%"]);
    // Chat spellings and idioms mean what they say.
    answers!(latest_right_now_in_chat_spelling, "what's the latest rn", ["latest"]);
    answers!(wipe_out_is_postponing, "how many appointments did the February 2024 walkout wipe out", ["91,048"]);
    answers!(why_with_a_reported_premise, "why did the NHS postpone so many appointments in the three-day strike", ["175,000"]);
    // After "they", a word of the dispute is the premise's verb, and the facts state it.
    answers!(why_after_a_pronoun_the_dispute_word_is_the_verb, "why did they walk out again in 2025", ["2008"]);
    // A light verb says nothing: the premise is what was brought in.
    answers!(why_with_a_light_verb, "why did the union bring in an independent mediator", ["mediat"]);
    // What the knowledge says a fact explains ("why did talks fail") states its premise.
    answers!(why_with_a_premise_in_a_facts_keywords, "why did the negotiations with the conservatives fail", ["trust"]);
    // "175k" is the number the articles write as 175,000.
    answers!(why_with_a_number_in_thousands, "why did they have to postpone 175k appointments", ["175,000"]);
    // Idioms of everyday English fold to the articles' words.
    answers!(stopping_is_ending, "what did labour promise about stopping the strikes", ["end the junior doctors' strikes"]);
    answers!(room_to_talk_is_space_for_discussion, "did streeting say there was room to discuss pay", ["space for a discussion"]);
    answers!(number_10_is_downing_street, "what role did number 10 play in the talks with the tories", ["Downing Street"]);
    answers!(will_with_a_reported_plan, "what will the talks after the twelfth strike focus on", ["non-pay | exam"]);
    answers!(count_of_something_counted, "how many operations were postponed in the February 2024 walkout", ["91,048"]);
    answers!(count_with_a_typo, "how many apointmnets got postponed in june 2024", ["61,989"]);
    answers!(plan_itself_still_answered, "is pay going to be discussed at the upcoming talks", ["pay"]);
    answers!(exact_date_given_to_the_day, "what exact date were formal negotiations due to start", ["23 July"]);
    answers!(chat_abbreviations_and_fillers_are_not_unknown_words, "what did the union say abt the 98% ballot tho", ["98%"]);
}

/// One word no article uses is forgiven when at least four other content
/// words of the question are ones the articles use: they say what it asks.
/// With fewer beside it, or two such words, the question is declined.
#[rustfmt::skip]
mod one_unfamiliar_word {
    use super::*;
    answers!(passive_participle, "which unions were persuaded to back the pay offer in early 2023 by the health secretary", ["nurses | other health unions"]);
    answers!(infinitive, "what did the BMA junior doctors committee get invited to join after the twelfth strike ended", ["negotiat"]);
    answers!(ordinary_adverb, "how many appointments did the june 2024 walkout postpone overall, roughly", ["61,989"]);
    answers!(ordinary_noun, "what slice of the pay rise demanded by the bma did streeting call unaffordable", ["35"]);
    declines_saying!(too_little_beside_it, "did doctors strike in belgium", ["\"belgium\""]);
    declines_saying!(two_unfamiliar_words, "which tram drivers in leeds joined the junior doctors walkout in june 2024", ["\"tram\""]);
    // A why-question still needs its claim reported.
    declines_saying!(a_phrasal_verb_is_read_whole, "why did the union call the walkout off a day early?", ["don't report that"]);
    answers!(a_phrasal_verb_in_its_past_form, "why did the negotiations break down before the 12th walkout?", ["working conditions"]);
    // Declined by the rules, with no intent listing these topics.
    declines!(the_cost_of_meeting_the_demand, "how much would meeting the 35% demand cost the government?");
    declines!(a_count_of_another_staff_group, "how many paramedics walked out?");
    declines!(strikes_of_another_sector, "did train drivers strike too?");
    declines_saying!(a_percentage_nobody_gives, "what share of union members backed the 22% offer?", ["don't give that percentage"]);
    declines_saying!(a_percentage_for_the_wrong_government, "what percentage rise did the conservatives put on the table for 2023/24?", ["don't give that percentage | no figures for the previous government"]);
    answers!(a_percentage_that_is_given, "what percentage of those voting backed more strikes?", ["98%"]);
    declines_saying!(why_question_keeps_its_premise, "why were the BMA junior doctors committee persuaded to call off the twelfth strike", ["don't report that"]);
}

/// Who held a role at a time: the people the articles show in it then.
#[rustfmt::skip]
mod holders_at_a_time {
    use super::*;
    answers!(cochairs_at_a_numbered_strike, "who were the co-chairs of the junior doctors committee at the twelfth walkout", ["Melissa Ryan", "Nieuwoudt"]);
    answers!(cochairs_by_their_verb, "who chaired the BMA junior doctors committee at the mediated talks", ["Laurenson", "Trivedi"]);
    answers!(who_ran_an_organisation, "who was running the junior doctors committee when the 12th strike happened", ["Melissa Ryan"]);
    answers!(secretary_seen_in_post_outranks_a_former_one, "who was the health secretary at the time of the three day strike", ["Steve Barclay"]);
}

/// Costs: the articles give only the cost of the strikes together, so the
/// cost of one strike, or of anything else, is declined; the total is answered.
#[rustfmt::skip]
mod costs {
    use super::*;
    answers!(cost_of_the_strikes_together, "what have all the walkouts cost the health service", ["£3"]);
    declines_saying!(cost_of_one_numbered_strike, "what did the eleventh walkout cost", ["not of a single strike"]);
    declines_saying!(cost_of_one_dated_strike, "how much did the strike in february 2024 cost the nhs", ["not of a single strike"]);
    declines_saying!(cost_of_something_else, "what do junior doctors pay in exam fees, what does it cost them", ["no cost of that"]);
}

/// Someone the articles only name in passing (no words of theirs, no event
/// they took part in) is not asked about; who they are is still answered.
#[rustfmt::skip]
mod named_only_in_passing {
    use super::*;
    declines_saying!(their_view, "what is keir starmer's view on the junior doctors", ["report nothing Keir Starmer said or did"]);
    declines_saying!(their_words, "has the prime minister starmer commented on the walkouts", ["report nothing Keir Starmer said or did"]);
    answers!(who_they_are, "who is keir starmer", ["headlines"]);
}

/// An answer says each thing once: of two facts that say the same, one is stated.
#[test]
fn facts_that_restate_each_other_are_stated_once() {
    let answer =
        engine().answer("what pay rise did the BMA say would reverse the fall in pay in 2023?");
    assert_says(&answer, &["35.3%"]);
    assert_eq!(answer.text.matches("35.3%").count(), 1, "{}", answer.text);
}

/// The articles' own words, or a day they date something to, looked up directly.
#[rustfmt::skip]
mod lookups {
    use super::*;
    answers!(quoted_words_name_the_speaker, "\"significant cost to patients\" - whose words?", ["Streeting"]);
    answers!(single_quoted_words, "'intensive phase of talks' who said it", ["BMA | Laurenson | Trivedi"]);
    answers!(unquoted_run_of_a_quote, "who said serious work is now under way", ["Streeting"]);
    answers!(a_day_alone, "23 july?", ["formal negotiations"]);
    declines!(quoted_words_no_article_has, "\"we will never negotiate\" - who said that");
}

/// Chat spellings, and paraphrases of time words, are read as the words they stand for.
#[rustfmt::skip]
mod chat_spellings {
    use super::*;
    answers!(appts_and_feb, "how many appts were postponed in the feb strike", ["91,048"]);
    answers!(drs_for_doctors, "what do the drs want", ["35 | restor"]);
    answers!(finish_for_end, "when did the twelfth strike finish", ["Wednesday"]);
}

/// Questions with no content word: greetings, "the latest", "the timeline", a bare number.
#[rustfmt::skip]
mod short_questions {
    use super::*;
    answers!(bare_percentage, "35%??", ["35%"]);
    answers!(bare_percentage_with_a_frame, "what's 26% about", ["26%", "real terms"]);
    answers!(bare_amount, "£3bn?", ["£3"]);
    answers!(the_latest, "any news?", ["latest", "2025"]);
    answers!(the_whole_timeline, "timeline pls", ["December 2022", "2023"]);

    #[test]
    fn a_greeting_gets_what_the_bot_can_do() {
        for greeting in ["hello!", "hey there", "hiya 👋"] {
            let answer = engine().answer(greeting);
            assert!(!answer.is_answered(), "{greeting}: {}", answer.text);
            assert!(answer.text.contains("I answer questions"), "{greeting}: {}", answer.text);
            assert!(!answer.suggestions().is_empty());
        }
    }
}

#[rustfmt::skip]
mod declining {
    use super::*;
    declines!(football, "who will win the premier league");
    declines!(weather, "what's the weather in Leeds tomorrow");
    declines!(baking, "how do I bake banana bread");
    declines!(geography, "what's the capital of France");
    declines!(next_strike_date, "when is the next walkout");
    declines!(salary, "how much does a resident doctor earn per year");
    declines!(unnamed_mediator, "who was the mediator");
    declines!(cost_of_the_demand, "how much would a 35% pay rise cost each year");
    declines!(person_not_in_the_articles, "what did Jeremy Hunt say about the strike");
    declines!(another_person_not_in_the_articles, "what did Rishi Sunak say about the strikes");
    declines!(
        another_dispute, "when did the rail workers strike"
    );
    declines!(
        unnamed_chief_executive, "who is the chief executive of NHS England"
    );
    declines!(emoji_only, "🐙🐙🐙");
    declines!(empty, "");
    declines!(only_spaces, "   \t  ");
}

#[test]
fn help_says_what_the_bot_can_answer() {
    for question in ["help", "what can you do?"] {
        let answer = engine().answer(question);
        assert!(!answer.is_answered(), "help states no fact");
        assert!(answer.citations().is_empty());
        assert!(
            answer.text.to_lowercase().contains("strike"),
            "{}",
            answer.text
        );
        assert!(
            !answer.suggestions().is_empty(),
            "help offers questions to ask"
        );
    }
}

#[test]
fn declining_suggests_questions_that_are_answered() {
    let declined = engine().answer("what's the weather in Leeds tomorrow");
    assert!(!declined.suggestions().is_empty());
    for suggestion in declined.suggestions() {
        let answer = engine().answer(suggestion);
        assert!(
            answer.is_answered(),
            "suggested {suggestion:?} but declined it"
        );
    }
}

#[rustfmt::skip]
mod follow_ups {
    use super::*;
    follow_up!(who_said_a_quote, "what did the health secretary say about a deal to be done", "who said that?", ["Streeting"]);
    follow_up!(who_gave_a_figure, "how many appointments were postponed by the June 2024 strike", "and who said that?", ["NHS England"]);
    follow_up!(
        when_a_quote_was_said, "who said there was a deal to be done", "when was that?", ["July 2024"]
    );
    follow_up!(when_a_figure_applies, "how many appointments were postponed by the February 2024 strike", "when was that", ["February 2024"]);
    follow_up!(the_strike_before, "when did the 11th strike begin", "the one before?", ["24–28 February 2024"]);
    follow_up!(the_strike_after, "when did the 11th strike begin", "and the one after?", ["twelfth | 2025"]);
}

#[test]
fn a_new_question_is_not_taken_for_a_follow_up() {
    let mut conversation = Conversation::default();
    conversation.remember(&engine().answer("who said there was a deal to be done"));
    let answer = engine().answer_in("when did formal negotiations start", &conversation);
    assert_says(&answer, &["23 July 2024"]);
}

#[test]
fn a_follow_up_without_a_conversation_does_not_invent_a_fact() {
    let answer = engine().answer("who said that?");
    assert!(
        !answer.is_answered(),
        "nothing was said before: {}",
        answer.text
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_has_the_documented_shape() {
    let answer = engine().answer("when did formal negotiations start");
    let json = render::to_json(&answer);
    assert!(!json.contains('\n'), "one line per answer");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["question"], "when did formal negotiations start");
    assert_eq!(value["answered"], true);
    assert!(value["intent"].is_string());
    let confidence = value["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    assert!(value["text"].as_str().unwrap().contains("23 July 2024"));
    let citations = value["citations"].as_array().unwrap();
    assert!(!citations.is_empty());
    for c in citations {
        for key in ["source", "title", "date", "quote"] {
            assert!(c[key].is_string(), "citation {key} in {c}");
        }
        assert!(
            c.get("publisher").is_some(),
            "publisher is present, null when unknown: {c}"
        );
        assert!(c["publisher"].is_null() || c["publisher"].is_string());
    }
}

#[test]
fn json_of_a_decline_has_no_citations() {
    let json = render::to_json(&engine().answer("who will win the premier league"));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["answered"], false);
    assert_eq!(value["citations"].as_array().map(Vec::len), Some(0));
    assert!(value["text"].as_str().is_some_and(|t| !t.is_empty()));
}

// ---------------------------------------------------------------- odd input

#[test]
fn odd_input_never_panics() {
    let huge = "strike ".repeat(100 * 1024 / 7);
    let noise: String = (0..100_000u32)
        .map(|i| char::from_u32(i % 0x3000 + 1).unwrap_or('?'))
        .collect();
    let inputs = [
        String::new(),
        huge,
        noise,
        "when did the\u{0}strike\u{7}\u{1b}[31m start\r\n?".to_string(),
        "متى بدأ الإضراب؟ \u{202e}when did the strike start".to_string(),
        "w\u{336}\u{334}h\u{335}\u{30f}\u{346}e\u{317}n\u{359} d\u{353}i\u{35a}d s\u{324}t\u{33c}r\u{32d}i\u{32a}k\u{33a}e s\u{31d}t\u{34d}a\u{329}r\u{332}t".to_string(),
        "🩺🏥💷✊".to_string(),
        "\u{feff}\u{200b}\u{200d}".to_string(),
        "?".repeat(10_000),
        "\"".to_string(),
        "who said \"".to_string(),
        "the 99999999999999999999th strike".to_string(),
        "what happened in 0000-13-45".to_string(),
    ];
    let mut conversation = Conversation::default();
    conversation.remember(&engine().answer("when did the 11th strike begin"));
    for input in &inputs {
        for answer in [
            engine().answer(input),
            engine().answer_in(input, &conversation),
        ] {
            serde_json::from_str::<serde_json::Value>(&render::to_json(&answer)).unwrap();
            render::to_text(&answer);
            render::to_markdown(&answer);
            if answer.is_answered() {
                assert_citations_verbatim(&answer);
            }
        }
    }
}

#[test]
fn an_empty_question_is_declined_as_empty() {
    let answer = engine().answer("");
    assert_declines(&answer);
    assert_eq!(
        answer.decline_reason(),
        Some(dispute_bot::engine::DeclineReason::Empty)
    );
}
