//! Comparisons of two facts: "which strike was longer, A or B?", "how many
//! more were postponed in A than in B?", "did the co-chairs change between
//! 2024 and 2025?", "which strike caused the most postponements?".
//!
//! One rule: a comparison names two sides (or asks for the extreme of a
//! series); each side is resolved to the same kind of fact (a figure of one
//! series, the length of an event, the holders of a role at a time), both are
//! stated with their citations, and for numbers of one unit the difference is
//! computed, never more than arithmetic. A side that resolves to nothing is
//! named in a decline.
//!
//! ```text
//! "how many more were postponed in the February 2024 strike than the June one?"
//!   Pair { left: strike of 24–28 February 2024, right: strike from 27 June 2024, measure: Figures }
//!   → 91,048 and 61,989, difference 29,059
//! ```

use super::normalise::{fold_phrases, term, terms};
use super::sides::{self, Joint, Side};
use super::{Answer, Citation, Engine, FactRef, Reading, ROLE_TERMS};
use crate::knowledge::{EventKind, Figure, FuzzyDate, Person, PersonKind, Qualifier, Role, Unit};
use std::collections::HashMap;

/// Words that compare two things by degree.
pub(super) const COMPARATIVES: &[&str] = &[
    "more", "fewer", "less", "longer", "shorter", "bigger", "larger", "higher", "lower", "greater",
    "smaller", "worse", "better",
];
/// Words that pick the extreme of a series, and whether they mean the largest.
const SUPERLATIVES: &[(&str, bool)] = &[
    ("most", true),
    ("least", false),
    ("fewest", false),
    ("longest", true),
    ("shortest", false),
    ("biggest", true),
    ("largest", true),
    ("highest", true),
    ("lowest", false),
    ("worst", true),
];
/// Words after "most" that make it no superlative of a measure ("most recent").
const NOT_A_DEGREE: &[&str] = &["recent", "recently", "likely", "of"];
/// Words that ask how two things relate, without a degree.
const RELATING: &[&str] = &[
    "compare",
    "compared",
    "comparison",
    "versus",
    "vs",
    "difference",
    "differ",
    "different",
    "change",
    "changed",
    "same",
];
/// Words that ask how long something lasted.
const LENGTH_WORDS: &[&str] = &[
    "longer", "shorter", "longest", "shortest", "length", "long", "lasted", "duration",
];
/// Words that count the one after them ("more postponements", "the most appointments").
const COUNTING: &[&str] = &["more", "fewer", "less", "most", "least", "fewest"];
/// Words that ask for "the present" as one side of a comparison.
const NOW_WORDS: &[&str] = &["now", "currently", "today", "still"];

/// Words that name the strikes a superlative compares ("which single
/// five-day walkout").
const STRIKE_TERMS: &[&str] = &[
    "strike",
    "walkout",
    "round",
    "action",
    "industrial",
    "one",
    "junior",
    "doctor",
    "day",
    "single",
    "individual",
    "particular",
    "specific",
];

/// How much the words outside a side (what is measured) weigh in choosing its figure, against the side's own.
const QUESTION_WEIGHT: f32 = 0.5;
/// A figure whose event is the event a side names.
const SAME_EVENT_BONUS: f32 = 4.0;
/// A figure dated in (or whose event falls in) the month or year a side names.
const DATE_FIT_BONUS: f32 = 2.5;
/// A figure on the right side of the "before/after" a side names.
const ANCHOR_FIT_BONUS: f32 = 1.5;
/// A figure given by, or about, someone a side names.
const PERSON_BONUS: f32 = 2.0;
/// A second figure on one side scores at least this share of the side's first.
const ALIKE_SHARE: f32 = 0.45;
/// Two figures closer than this share of the larger restate one quantity.
const RESTATED_SHARE: f64 = 0.05;
/// The score a figure needs to stand for a side.
const MIN_FIGURE_SCORE: f32 = 3.0;

/// What a comparison question asks.
pub(super) enum Comparison {
    /// Two sides of one kind of fact.
    Pair {
        /// The side named first.
        left: Box<Side>,
        /// The side named second.
        right: Box<Side>,
        /// What the two are compared by.
        measure: Measure,
    },
    /// The largest (or smallest) of a series.
    Extreme {
        /// Largest (`true`) or smallest.
        most: bool,
        /// What the series measures.
        measure: Measure,
    },
}

/// What two sides are compared by.
pub(super) enum Measure {
    /// How long the events lasted.
    Length,
    /// Who held a role: the terms of the role asked.
    Holders(Vec<String>),
    /// Figures of one series; the question's words choose it.
    Figures,
}

impl Engine {
    /// Reads a question as a comparison, if it is one: a word that compares
    /// and two sides, or a superlative.
    pub(super) fn read_comparison(&self, reading: &Reading) -> Option<Comparison> {
        let cleaned = amounts_masked(&reading.cleaned);
        let words: Vec<&str> = cleaned.split(' ').collect();
        let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
        let superlative = words.iter().enumerate().find_map(|(i, w)| {
            let (_, most) = SUPERLATIVES.iter().find(|(s, _)| s == w)?;
            let next = words.get(i + 1).copied().unwrap_or("");
            (!NOT_A_DEGREE.contains(&next)).then_some(*most)
        });
        let comparative = has(COMPARATIVES) || has(RELATING);
        if superlative.is_none() && !comparative {
            return None;
        }
        let measure = self.measure_asked(reading, &words);
        if comparative {
            // "Is the BMA happy with X, or do they want more?": a word that
            // compares must come before "or" to compare its two sides.
            let compares_sides = |s: &sides::Split| {
                s.via != "or"
                    || s.a
                        .split(' ')
                        .any(|w| COMPARATIVES.contains(&w) || RELATING.contains(&w))
            };
            let split = sides::split(&cleaned, &[Joint::Between, Joint::FromTo, Joint::Pair])
                .filter(compares_sides)
                .map(|s| (s.a, s.b))
                .or_else(|| has(RELATING).then(|| sides::split_at_and(&cleaned))?);
            if let Some((a, b)) = split {
                let (left, right) = self.sides(&a, &b);
                return Some(Comparison::Pair {
                    left: Box::new(left),
                    right: Box::new(right),
                    measure,
                });
            }
            if let Measure::Holders(_) = measure {
                // "Are the co-chairs now the ones of 2024?": the two times it names.
                let mut times: Vec<String> =
                    reading.when.years.iter().map(|y| y.to_string()).collect();
                if has(NOW_WORDS) {
                    times.push("now".into());
                }
                if let [a, b] = times.as_slice() {
                    return Some(Comparison::Pair {
                        left: Box::new(self.side(a)),
                        right: Box::new(self.side(b)),
                        measure,
                    });
                }
            }
        }
        let most = superlative?;
        let asks_which = has(&["which", "what"]);
        (asks_which && !matches!(measure, Measure::Holders(_)))
            .then_some(Comparison::Extreme { most, measure })
    }

    /// What the question compares by: the holders of a role it names; the
    /// series of a noun counted after "more"/"most"; else length when it asks
    /// how long; else figures.
    fn measure_asked(&self, reading: &Reading, words: &[&str]) -> Measure {
        let roles = asked_roles(&reading.cleaned);
        if !roles.is_empty() {
            return Measure::Holders(roles);
        }
        let counted_noun = words.windows(2).any(|w| {
            COUNTING.contains(&w[0]) && {
                let t = term(w[1]);
                self.knowledge
                    .figures
                    .iter()
                    .any(|f| f.unit == Unit::Count && terms(&f.measure).contains(&t))
            }
        });
        if !counted_noun && words.iter().any(|w| LENGTH_WORDS.contains(w)) {
            return Measure::Length;
        }
        Measure::Figures
    }

    /// The answer to a comparison question, or `None` when the question is
    /// not one (or its sides share no kind of fact), so other steps may try.
    pub(super) fn compare_answer(&self, question: &str, reading: &Reading) -> Option<Answer> {
        if let Some(mut answer) = self.same_thing_answer(reading) {
            answer.question = question.to_string();
            answer.intent = Some("comparison".into());
            answer.confidence = 0.8;
            return Some(answer);
        }
        let comparison = self.read_comparison(reading)?;
        let mut answer = match comparison {
            Comparison::Pair {
                left,
                right,
                measure,
            } => match measure {
                Measure::Length => self.compare_lengths(&left, &right),
                Measure::Holders(roles) => self.compare_holders(&left, &right, &roles),
                Measure::Figures => self.compare_figures(reading, &left, &right),
            },
            Comparison::Extreme { .. } if self.compares_other_things(reading).is_some() => {
                let things = self.compares_other_things(reading).unwrap_or_default();
                let gap = super::ground::Gap::NotCompared(things);
                return Some(self.decline_for(question, &gap));
            }
            Comparison::Extreme { most, measure } => match measure {
                Measure::Length => self.extreme_length(reading, most),
                Measure::Figures => self.extreme_figure(reading, most),
                Measure::Holders(_) => None,
            },
        }?;
        answer.question = question.to_string();
        if answer.is_answered() {
            answer.intent = Some("comparison".into());
            answer.confidence = 0.8;
        }
        Some(answer)
    }

    /// The things a "which X had the most" question compares, when they are
    /// not strikes (the only things the articles give figures and lengths of
    /// one by one): "hospital trust".
    fn compares_other_things(&self, reading: &Reading) -> Option<String> {
        let things = super::ground::compared_things(&reading.cleaned)?;
        let of_strikes = terms(&things).iter().all(|t| {
            STRIKE_TERMS.iter().any(|w| term(w) == *t)
                || t.starts_with(|c: char| c.is_ascii_digit())
        });
        (!of_strikes).then_some(things)
    }

    /// "Are resident doctors and junior doctors the same?": yes when both are
    /// names of one person or organisation, no when they are two; each with
    /// what the articles say it is.
    fn same_thing_answer(&self, reading: &Reading) -> Option<Answer> {
        static SAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = SAME.get_or_init(|| {
            regex::Regex::new(concat!(
                r"^(?:are|is) (?P<a>.+?) (?:and|the same as|another name for|just another name for) (?P<b>.+?)",
                r"(?: (?:the same|the same thing|one and the same|the same people|the same group))?\W*$"
            ))
            .expect("valid same-thing pattern")
        });
        let caps = re.captures(&reading.cleaned)?;
        let asks_same =
            reading.cleaned.contains(" same") || reading.cleaned.contains("another name");
        if !asks_same {
            return None;
        }
        let one = |side: &str| self.index.people_in(side).first().copied();
        let (a, b) = (one(&caps["a"])?, one(&caps["b"])?);
        let k = &self.knowledge;
        let (text, facts) = if a == b {
            (
                format!(
                    "Yes: \"{}\" and \"{}\" are names for the same: {}",
                    &caps["a"], &caps["b"], k.people[a].description
                ),
                vec![FactRef::Person(a)],
            )
        } else {
            (
                format!(
                    "No: they are not the same.\n{}\n{}",
                    k.people[a].description, k.people[b].description
                ),
                vec![FactRef::Person(a), FactRef::Person(b)],
            )
        };
        let citations = facts
            .iter()
            .filter_map(|f| match *f {
                FactRef::Person(i) => self.citation(&k.people[i].source, &k.people[i].evidence),
                _ => None,
            })
            .collect();
        Some(self.compared(text, citations, facts))
    }

    /// A decline naming the side of a comparison that matches nothing; `None`
    /// when that side is vague ("older ones"), so the general search may try.
    fn missing_side(&self, found: &str, missing: &Side) -> Option<Answer> {
        if !super::between::names_a_time(missing) && missing.reading.people.is_empty() {
            return None;
        }
        let mut answer = self.not_known(
            "",
            &format!(
                "I can't compare those: I found {found}, but nothing in the articles matches \"{}\".",
                missing.text
            ),
        );
        answer.intent = Some("comparison".into());
        Some(answer)
    }

    /// "Which was longer": the length of each side's event, and by how much.
    fn compare_lengths(&self, left: &Side, right: &Side) -> Option<Answer> {
        let k = &self.knowledge;
        let (a, b) = match (left.event, right.event) {
            (Some(a), Some(b)) if a != b => (a, b),
            (Some(a), None) => return self.missing_side(&k.events[a].title, right),
            (None, Some(b)) => return self.missing_side(&k.events[b].title, left),
            _ => return None,
        };
        let (la, lb) = (self.length_of(a), self.length_of(b));
        let label = |e: usize| format!("{}, {}", k.events[e].title, k.events[e].date);
        let (Some((da, ca)), Some((db, cb))) = (la.clone(), lb.clone()) else {
            let unknown = if la.is_none() { a } else { b };
            return Some(self.not_known(
                "",
                &format!("The articles don't say how long {} lasted.", label(unknown)),
            ));
        };
        let mut text = format!(
            "• {}: {}\n• {}: {}\n",
            label(a),
            days(da),
            label(b),
            days(db)
        );
        text.push_str(&match da.cmp(&db) {
            std::cmp::Ordering::Equal => format!("They lasted the same: {} each.", days(da)),
            std::cmp::Ordering::Greater => format!(
                "Longer: {}, by {} ({} against {}).",
                k.events[a].title,
                days(da - db),
                days(da),
                days(db)
            ),
            std::cmp::Ordering::Less => format!(
                "Longer: {}, by {} ({} against {}).",
                k.events[b].title,
                days(db - da),
                days(db),
                days(da)
            ),
        });
        Some(self.compared(
            text,
            [ca, cb].concat(),
            vec![FactRef::Event(a), FactRef::Event(b)],
        ))
    }

    /// How many days an event lasted, with the passages that say so: a
    /// length figure of the event, else its range of days.
    pub(super) fn length_of(&self, event: usize) -> Option<(u32, Vec<Citation>)> {
        let k = &self.knowledge;
        let e = &k.events[event];
        if let Some(f) = k
            .figures
            .iter()
            .find(|f| f.unit == Unit::Days && f.event.as_ref() == Some(&e.id))
        {
            return Some((
                f.value as u32,
                self.citation(&f.source, &f.evidence).into_iter().collect(),
            ));
        }
        let by_day = e.date.start.precision == crate::knowledge::Precision::Day
            && e.date.end.precision == crate::knowledge::Precision::Day
            && e.date.is_range();
        by_day.then(|| {
            let n = (e.date.last_day() - e.date.first_day()).num_days() + 1;
            (
                n as u32,
                self.citation(&e.source, &e.evidence).into_iter().collect(),
            )
        })
    }

    /// "Did the co-chairs change between 2024 and 2025?": who held the role at each side's time.
    fn compare_holders(&self, left: &Side, right: &Side, roles: &[String]) -> Option<Answer> {
        let (da, db) = match (left.time(), right.time()) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => return self.missing_side(&a.to_string(), right),
            (None, Some(b)) => return self.missing_side(&b.to_string(), left),
            _ => return None,
        };
        let (ha, hb) = (self.holders_at(roles, &da), self.holders_at(roles, &db));
        if ha.is_empty() && hb.is_empty() {
            return None;
        }
        let names = |h: &[(usize, &Role)]| {
            if h.is_empty() {
                "none the articles name".to_string()
            } else {
                join(
                    h.iter()
                        .map(|(p, _)| self.knowledge.people[*p].name.clone())
                        .collect(),
                )
            }
        };
        let title = ha
            .first()
            .or(hb.first())
            .map_or("", |(_, r)| r.title.as_str());
        let same = ha.iter().map(|h| h.0).collect::<Vec<_>>()
            == hb.iter().map(|h| h.0).collect::<Vec<_>>();
        let text = format!(
            "{}: {}.\n{}: {}.\n{}",
            capitalise(&da.phrase()),
            names(&ha),
            capitalise(&db.phrase()),
            names(&hb),
            if same {
                format!("The same people held the post of {title} at both times.")
            } else {
                format!("So the {title} changed.")
            }
        );
        let citations = ha
            .iter()
            .chain(&hb)
            .filter_map(|(_, r)| self.citation(&r.source, &r.evidence))
            .collect();
        let facts = ha
            .iter()
            .chain(&hb)
            .map(|(p, _)| FactRef::Person(*p))
            .collect();
        Some(self.compared(text, citations, facts))
    }

    /// The people the articles show in a role (all `roles` terms in its title) at a time.
    pub(super) fn holders_at(&self, roles: &[String], date: &FuzzyDate) -> Vec<(usize, &Role)> {
        self.role_holders(roles)
            .into_iter()
            .filter(|(_, r)| r.is_dated() && r.shown_at(date))
            .collect()
    }

    /// Every person with a role whose title holds all the `roles` terms, with that role.
    pub(super) fn role_holders(&self, roles: &[String]) -> Vec<(usize, &Role)> {
        let k = &self.knowledge;
        let mut out = Vec::new();
        for (i, p) in k.people.iter().enumerate() {
            if p.kind != PersonKind::Person {
                continue;
            }
            if let Some(r) = role_of(p, roles) {
                out.push((i, r));
            }
        }
        out
    }

    /// Two figures of one unit, one per side: each stated, and the difference.
    fn compare_figures(&self, reading: &Reading, left: &Side, right: &Side) -> Option<Answer> {
        let k = &self.knowledge;
        let sa = self.figure_scores(reading, left, right);
        let sb = self.figure_scores(reading, right, left);
        let best = |s: &HashMap<usize, f32>| {
            s.iter()
                .filter(|(_, v)| **v >= MIN_FIGURE_SCORE)
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(i, _)| *i)
        };
        let mut pair: Option<(usize, usize, f32)> = None;
        for (&a, &va) in &sa {
            for (&b, &vb) in &sb {
                let (fa, fb) = (&k.figures[a], &k.figures[b]);
                // The figures fit the sides as asked at least as well as swapped.
                let swapped =
                    sa.get(&b).copied().unwrap_or(0.0) + sb.get(&a).copied().unwrap_or(0.0);
                let own = va + vb >= swapped;
                let shares_topic = fa.topics.iter().any(|t| fb.topics.contains(t));
                if a == b
                    || fa.unit != fb.unit
                    || !shares_topic
                    || !own
                    || va < MIN_FIGURE_SCORE
                    || vb < MIN_FIGURE_SCORE
                {
                    continue;
                }
                if pair.is_none_or(|(_, _, s)| va + vb > s) {
                    pair = Some((a, b, va + vb));
                }
            }
        }
        let Some((a, b, _)) = pair else {
            return match (best(&sa), best(&sb), left.event.or(right.event)) {
                (Some(a), None, _) if right.event.is_none() => {
                    self.missing_side(&k.figures[a].display, right)
                }
                (None, Some(b), _) if left.event.is_none() => {
                    self.missing_side(&k.figures[b].display, left)
                }
                _ => None,
            };
        };
        let (fa, fb) = (&k.figures[a], &k.figures[b]);
        let left_all = self.with_alike(a, b, left, &sa, &sb);
        let right_all = self.with_alike(b, a, right, &sb, &sa);
        let line = |side: &[usize]| {
            side.iter()
                .map(|&i| figure_line(&k.figures[i]))
                .collect::<Vec<_>>()
                .join("; plus ")
        };
        let mut text = format!("• {}\n• {}", line(&left_all), line(&right_all));
        // With two figures on a side, no one difference is what was asked.
        let single = left_all.len() == 1 && right_all.len() == 1;
        if let Some(diff) = difference(fa, fb).filter(|_| single) {
            text.push('\n');
            text.push_str(&diff);
        }
        let all: Vec<usize> = left_all.into_iter().chain(right_all).collect();
        let citations = all
            .iter()
            .filter_map(|&i| self.citation(&k.figures[i].source, &k.figures[i].evidence))
            .collect();
        Some(self.compared(
            text,
            citations,
            all.into_iter().map(FactRef::Figure).collect(),
        ))
    }

    /// A side's figure and any other of its unit whose measure holds every
    /// word of the side that the first one's does ("the rise they got": 22%,
    /// then 5.4%), that fits this side better than the other, in date order.
    fn with_alike(
        &self,
        first: usize,
        other: usize,
        side: &Side,
        mine: &HashMap<usize, f32>,
        theirs: &HashMap<usize, f32>,
    ) -> Vec<usize> {
        let k = &self.knowledge;
        let side_words = |i: usize| -> Vec<String> {
            let measure = terms(&k.figures[i].measure);
            side.reading
                .terms
                .iter()
                .filter(|t| measure.contains(t))
                .cloned()
                .collect()
        };
        let wanted = side_words(first);
        let mut all = vec![first];
        if wanted.is_empty() {
            return all;
        }
        for (&i, &score) in mine {
            let alike = i != first
                && i != other
                && k.figures[i].unit == k.figures[first].unit
                && score > theirs.get(&i).copied().unwrap_or(0.0)
                && score >= MIN_FIGURE_SCORE.max(ALIKE_SHARE * mine[&first])
                && wanted.iter().all(|t| side_words(i).contains(t))
                && k.figures[i].value != k.figures[first].value
                && !restates(&k.figures[i], &k.figures[other]);
            if alike && all.len() < 2 {
                all.push(i);
            } else if alike && score > mine[&all[1]] {
                all[1] = i;
            }
        }
        all.sort_by_key(|&i| (k.figures[i].as_of.sort_key(), i));
        all
    }

    /// How well each figure stands for a side: the side's words, what the
    /// question measures, and the events, dates and people the side names.
    fn figure_scores(&self, reading: &Reading, side: &Side, other: &Side) -> HashMap<usize, f32> {
        let k = &self.knowledge;
        let mut scores: HashMap<usize, f32> = HashMap::new();
        let asked: Vec<String> = reading
            .terms
            .iter()
            .filter(|t| !side.reading.terms.contains(t) && !other.reading.terms.contains(t))
            .cloned()
            .collect();
        for (terms, weight) in [(&side.reading.terms, 1.0), (&asked, QUESTION_WEIGHT)] {
            for h in self.index.search(terms) {
                if let FactRef::Figure(i) = self.index.facts[h.doc].fact {
                    *scores.entry(i).or_default() += weight * h.score;
                }
            }
        }
        let when = &side.reading.when;
        for (&i, score) in scores.iter_mut() {
            let f = &k.figures[i];
            let event = f
                .event
                .as_ref()
                .and_then(|id| k.events.iter().position(|e| &e.id == id));
            if event.is_some() && event == side.event && !side.only_time {
                *score += SAME_EVENT_BONUS;
            }
            let dates: Vec<FuzzyDate> = std::iter::once(f.as_of)
                .chain(event.map(|e| k.events[e].date))
                .collect();
            let fits = |d: &FuzzyDate| {
                when.months
                    .iter()
                    .any(|m| super::entities::month_overlaps(m, d))
                    || (when.months.is_empty()
                        && when.years.iter().any(|y| {
                            use chrono::Datelike;
                            d.first_day().year() <= *y && *y <= d.last_day().year()
                        }))
            };
            if (!when.months.is_empty() || !when.years.is_empty()) && dates.iter().any(fits) {
                *score += DATE_FIT_BONUS;
            }
            if let Some(anchor) = side.reading.anchor {
                let fits = self.on_side(&anchor, &f.as_of, None);
                if fits {
                    *score += ANCHOR_FIT_BONUS;
                }
            }
            let by = f
                .stated_by
                .as_ref()
                .and_then(|id| k.people.iter().position(|p| &p.id == id));
            let about = event.map_or(&[][..], |e| &k.events[e].people[..]);
            if side
                .reading
                .people
                .iter()
                .any(|&p| Some(p) == by || about.iter().any(|id| *id == k.people[p].id))
            {
                *score += PERSON_BONUS;
            }
        }
        scores.retain(|&i, _| !matches!(k.figures[i].unit, Unit::Ordinal | Unit::Year));
        scores
    }

    /// "Which strike was longest": the events of the kind asked (strikes if
    /// none) whose length the articles give, the extreme first.
    fn extreme_length(&self, reading: &Reading, most: bool) -> Option<Answer> {
        let kind = self.asked_event_kind(reading).unwrap_or(EventKind::Strike);
        let k = &self.knowledge;
        let mut lengths: Vec<(usize, u32, Vec<Citation>)> = k
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .filter_map(|(i, _)| self.length_of(i).map(|(n, c)| (i, n, c)))
            .collect();
        if lengths.len() < 2 {
            return None;
        }
        lengths.sort_by_key(|(i, n, _)| (if most { u32::MAX - n } else { *n }, *i));
        let top = lengths[0].1;
        let (winners, others): (Vec<_>, Vec<_>) = lengths.iter().partition(|(_, n, _)| *n == top);
        let line = |(i, n, _): &&(usize, u32, Vec<Citation>)| {
            format!(
                "• {}, {}: {}",
                k.events[*i].title,
                k.events[*i].date,
                days(*n)
            )
        };
        let mut text = format!(
            "The {} the articles give the length of lasted {}:\n",
            if most { "longest" } else { "shortest" },
            days(top)
        );
        text.push_str(&winners.iter().map(line).collect::<Vec<_>>().join("\n"));
        if !others.is_empty() {
            text.push_str("\nThe others:\n");
            text.push_str(&others.iter().map(line).collect::<Vec<_>>().join("\n"));
        }
        let citations = lengths.iter().flat_map(|(_, _, c)| c.clone()).collect();
        let facts = lengths.iter().map(|(i, _, _)| FactRef::Event(*i)).collect();
        Some(self.compared(text, citations, facts))
    }

    /// "Which strike caused the most postponements": the figures of the
    /// series the question names, one per event (a running total "since" a
    /// date is no one event's figure), the extreme first.
    fn extreme_figure(&self, reading: &Reading, most: bool) -> Option<Answer> {
        let k = &self.knowledge;
        let kind = self.asked_event_kind(reading);
        let hits = self.rank(reading, &[super::Kind::Figure], &[]);
        let event_of = |f: &Figure| {
            f.event
                .as_ref()
                .and_then(|id| k.events.iter().position(|e| &e.id == id))
        };
        let one_event = |f: &Figure| {
            let running_total = terms(&f.measure).contains(&term("since"));
            !running_total
                && event_of(f).is_some_and(|e| kind.is_none_or(|kind| k.events[e].kind == kind))
        };
        let first = hits
            .iter()
            .find_map(|h| match self.index.facts[h.doc].fact {
                FactRef::Figure(i) if one_event(&k.figures[i]) && h.score >= MIN_FIGURE_SCORE => {
                    Some(i)
                }
                _ => None,
            })?;
        let f0 = &k.figures[first];
        let mut series: Vec<usize> = Vec::new();
        for (i, f) in k.figures.iter().enumerate() {
            let same = f.unit == f0.unit
                && f.topics.first() == f0.topics.first()
                && one_event(f)
                && !series
                    .iter()
                    .any(|&j| event_of(&k.figures[j]) == event_of(f));
            if same {
                series.push(i);
            }
        }
        if series.len() < 2 {
            return None;
        }
        series.sort_by(|&a, &b| {
            let (va, vb) = (k.figures[a].value, k.figures[b].value);
            if most {
                vb.total_cmp(&va)
            } else {
                va.total_cmp(&vb)
            }
            .then(a.cmp(&b))
        });
        let line = |i: usize| {
            let f = &k.figures[i];
            let e = &k.events[event_of(f).expect("one event")];
            format!("• {}, {}: {}", e.title, e.date, f.display)
        };
        let mut text = format!(
            "{}, of the {} the articles give this figure for:\n{}",
            if most { "The most" } else { "The fewest" },
            series.len(),
            line(series[0])
        );
        text.push_str("\nThe others:\n");
        text.push_str(
            &series[1..]
                .iter()
                .map(|&i| line(i))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let citations = series
            .iter()
            .filter_map(|&i| self.citation(&k.figures[i].source, &k.figures[i].evidence))
            .collect();
        let facts = series.iter().map(|&i| FactRef::Figure(i)).collect();
        Some(self.compared(text, citations, facts))
    }

    /// An answered comparison with its text, citations (each once) and facts.
    fn compared(&self, text: String, mut citations: Vec<Citation>, facts: Vec<FactRef>) -> Answer {
        let mut seen = std::collections::HashSet::new();
        citations.retain(|c| seen.insert((c.source.clone(), c.quote.clone())));
        Answer::answered(text, citations, facts)
    }
}

/// The question with amounts ("more than a year", "fewer than 100") made
/// one word, so that their "more than" is read as an amount, not a comparison.
fn amounts_masked(cleaned: &str) -> String {
    static AMOUNT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = AMOUNT.get_or_init(|| {
        regex::Regex::new(r"\b(more|less|fewer) than (a|an|one|half|\d)").expect("valid")
    });
    re.replace_all(cleaned, "${1}than $2").into_owned()
}

/// The role terms a question asks about ("co-chairs", "health secretaries"), folded.
pub(super) fn asked_roles(cleaned: &str) -> Vec<String> {
    let mut roles: Vec<String> = fold_phrases(cleaned)
        .split(' ')
        .filter_map(|w| {
            let singular = w
                .strip_suffix("ies")
                .map(|s| format!("{s}y"))
                .or_else(|| w.strip_suffix('s').map(str::to_string))
                .unwrap_or_else(|| w.to_string());
            [w.to_string(), singular]
                .into_iter()
                .find(|s| ROLE_TERMS.contains(&s.as_str()))
        })
        .map(|w| term(&w))
        .collect();
    roles.dedup();
    roles
}

/// The role of a person whose title holds all the asked role terms.
fn role_of<'p>(p: &'p Person, roles: &[String]) -> Option<&'p Role> {
    p.roles.iter().find(|r| {
        let title = terms(&r.title);
        roles.iter().all(|t| title.contains(t))
    })
}

/// Whether two figures of one unit are within [`RESTATED_SHARE`] of each
/// other: the same quantity given twice (35% and 35.3%), not two quantities.
fn restates(a: &Figure, b: &Figure) -> bool {
    a.unit == b.unit
        && (a.value - b.value).abs() <= RESTATED_SHARE * a.value.abs().max(b.value.abs())
}

/// "• measure: display (as of date)".
fn figure_line(f: &Figure) -> String {
    format!(
        "{}: {} (as of {})",
        capitalise(&f.measure),
        f.display,
        f.as_of
    )
}

/// The difference of two figures of one unit, worded with the figures'
/// qualifiers ("more than", "about"); `None` for units that do not subtract.
fn difference(a: &Figure, b: &Figure) -> Option<String> {
    if a.unit != b.unit || matches!(a.unit, Unit::Ordinal | Unit::Year) {
        return None;
    }
    let (hi, lo) = if a.value >= b.value { (a, b) } else { (b, a) };
    let diff = hi.value - lo.value;
    if diff.abs() < f64::EPSILON {
        return Some(format!(
            "Both are {}.",
            hi.display.trim_start_matches("an ")
        ));
    }
    let exact = |f: &Figure| f.qualifier == Qualifier::Exact;
    let lower_bound = |f: &Figure| matches!(f.qualifier, Qualifier::MoreThan | Qualifier::Over);
    let hedge = if exact(hi) && exact(lo) {
        ""
    } else if lower_bound(hi) && exact(lo) {
        "more than "
    } else {
        "about "
    };
    let amount = match a.unit {
        Unit::Percent => format!("{} percentage points", number(diff)),
        Unit::Gbp => format!("£{}", number(diff)),
        Unit::Days => days(diff as u32),
        Unit::Weeks => format!("{} weeks", number(diff)),
        Unit::Months => format!("{} months", number(diff)),
        Unit::Years => format!("{} years", number(diff)),
        _ => number(diff),
    };
    Some(format!(
        "Difference: {hedge}{amount} ({} against {}).",
        hi.display.trim_start_matches("an "),
        lo.display.trim_start_matches("an ")
    ))
}

/// A number with thousands separators, and at most one decimal.
pub(super) fn number(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let whole = rounded.trunc() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let tenth = ((rounded - rounded.trunc()) * 10.0).round() as u64;
    if tenth > 0 {
        out.push_str(&format!(".{tenth}"));
    }
    out
}

/// "1 day", "5 days".
fn days(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// "a", "a and b", "a, b and c".
pub(super) fn join(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The text with its first letter in upper case.
pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(number(29059.0), "29,059");
        assert_eq!(number(1_424_269.0), "1,424,269");
        assert_eq!(number(0.3), "0.3");
        assert_eq!(number(13.0), "13");
    }

    #[test]
    fn an_amount_is_no_comparison() {
        assert_eq!(
            amounts_masked("in dispute for more than a year"),
            "in dispute for morethan a year"
        );
        assert_eq!(
            amounts_masked("more than 175000 postponed"),
            "morethan 175000 postponed"
        );
        assert_eq!(
            amounts_masked("more postponed than in june"),
            "more postponed than in june"
        );
    }

    #[test]
    fn reads_the_roles_a_question_names() {
        assert_eq!(
            asked_roles("list the health secretaries"),
            vec![term("secretary")]
        );
        assert_eq!(
            asked_roles("did the co chairs change"),
            vec![term("cochair")]
        );
    }
}
