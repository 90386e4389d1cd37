//! People and roles: who someone named is, who held a role the question
//! names, and the people a question names that the articles say too little of.

use super::find::{MIN_FACT_SCORE, SECOND_FACT_SHARE};
use super::normalise::{self, clean, fold_phrases, term, STOPWORDS};
use super::rank::Kind;
use super::{Answer, Engine, FactRef, Reading};
use crate::knowledge::{AnswerKind, PersonKind};

/// Words that ask who held a position rather than about a named person.
pub(super) const ROLE_TERMS: &[&str] = &[
    "cochair",
    "chair",
    "secretary",
    "director",
    "leader",
    "minister",
    "spokesperson",
    "chief",
    "executive",
    "ceo",
    "boss",
    "president",
    "chancellor",
    "mediator",
];

impl Engine {
    /// Who someone named is; or, for a role ("the co-chairs", "health secretary
    /// during the three-day strike"), who held it at the time the question points at.
    pub(super) fn person_answer(&self, reading: &Reading) -> Option<Answer> {
        let k = &self.knowledge;
        let named: Vec<FactRef> = reading
            .people
            .iter()
            .copied()
            .filter(|&p| k.people[p].kind == PersonKind::Person)
            .take(3)
            .map(FactRef::Person)
            .collect();
        if !named.is_empty() {
            return Some(self.state(AnswerKind::Person, &named));
        }
        let asks_role = fold_phrases(&reading.cleaned).split(' ').any(|w| {
            let singular = w.strip_suffix('s').unwrap_or(w);
            ROLE_TERMS.contains(&w) || ROLE_TERMS.contains(&singular)
        });
        if !asks_role {
            let org = *reading.people.first()?;
            return Some(self.state(AnswerKind::Person, &[FactRef::Person(org)]));
        }
        let when = self.reference_date(reading);
        let mut hits: Vec<(usize, f32)> = self
            .rank(reading, &[Kind::Person], &[])
            .into_iter()
            .filter_map(|h| match self.index.facts[h.doc].fact {
                FactRef::Person(p) if k.people[p].kind == PersonKind::Person => Some((p, h.score)),
                _ => None,
            })
            .collect();
        // Only someone who held a role the question names can answer it:
        // "the chief executive of NHS England" is nobody the articles know.
        let asked_roles: Vec<String> = fold_phrases(&reading.cleaned)
            .split(' ')
            .filter(|w| {
                let singular = w.strip_suffix('s').unwrap_or(w);
                ROLE_TERMS.contains(w) || ROLE_TERMS.contains(&singular)
            })
            .map(term)
            .collect();
        hits.retain(|(p, _)| {
            k.people[*p].roles.iter().any(|role| {
                let title = normalise::terms(&role.title);
                asked_roles.iter().all(|r| title.contains(r))
            })
        });
        if hits.is_empty() {
            return Some(self.not_known(
                &reading.cleaned,
                "I don't know: none of the articles I have says who held that role.",
            ));
        }
        for (p, score) in &mut hits {
            for role in &k.people[*p].roles {
                let title = normalise::terms(&role.title);
                if !reading.terms.iter().any(|t| title.contains(t)) {
                    continue;
                }
                *score += 1.0;
                if let Some(date) = when {
                    if role.shown_at(&date) {
                        *score += 3.0;
                    }
                }
            }
        }
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = hits.first()?.1;
        if best < MIN_FACT_SCORE {
            return None;
        }
        let people: Vec<FactRef> = hits
            .iter()
            .take_while(|h| h.1 >= SECOND_FACT_SHARE * best)
            .take(4)
            .map(|h| FactRef::Person(h.0))
            .collect();
        Some(self.state(AnswerKind::Person, &people))
    }

    /// A named individual the question asks about (other than who they are)
    /// whom the articles mention but neither quote nor place in any event.
    pub(super) fn bystander_in(&self, reading: &Reading) -> Option<String> {
        if reading.cleaned.starts_with("who ") {
            return None;
        }
        reading.people.iter().find_map(|&p| {
            let person = &self.knowledge.people[p];
            let takes_part = self.knowledge.quotes.iter().any(|q| q.speaker == person.id)
                || self
                    .knowledge
                    .events
                    .iter()
                    .any(|e| e.people.contains(&person.id));
            (person.kind == PersonKind::Person && !takes_part).then(|| person.name.clone())
        })
    }

    /// "What is the BMA?", "who are resident doctors": the rest of the question
    /// is exactly the name of someone or something the knowledge describes.
    pub(super) fn asks_what_entity_is(&self, reading: &Reading) -> bool {
        let words: Vec<&str> = reading.cleaned.split(' ').collect();
        let rest = match words.as_slice() {
            ["what" | "who", "is" | "are" | "was" | "were", "the", rest @ ..] => rest,
            ["what" | "who", "is" | "are" | "was" | "were", rest @ ..] => rest,
            _ => return false,
        };
        let rest = rest.join(" ");
        reading.people.iter().any(|&p| {
            let person = &self.knowledge.people[p];
            std::iter::once(&person.name)
                .chain(&person.aliases)
                .any(|n| clean(n).trim_start_matches("the ") == rest)
        })
    }

    /// The someone of "what did <someone> say" or "who is <someone>" when the
    /// knowledge has no such person and does not even know the words.
    pub(super) fn unknown_subject(&self, reading: &Reading) -> Option<String> {
        static SUBJECT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = SUBJECT.get_or_init(|| {
            regex::Regex::new(
                r"^(?:what (?:did|does|has|have) (?P<a>.{2,40}?) (?:say|said|says|tell|told|think|thought|write|wrote)\b|who (?:is|was) (?P<b>.{2,40})$)",
            )
            .expect("valid")
        });
        let caps = re.captures(&reading.cleaned)?;
        let subject = caps
            .name("a")
            .or_else(|| caps.name("b"))?
            .as_str()
            .trim_start_matches("the ")
            .to_string();
        if !self.index.people_in(&subject).is_empty() {
            return None;
        }
        let words: Vec<&str> = subject
            .split(' ')
            .filter(|w| w.len() >= 3 && !STOPWORDS.contains(w))
            .collect();
        let unknown = |w: &&str| {
            normalise::terms_of_cleaned(w)
                .iter()
                .all(|t| !self.index.knows(t))
                && self.index.correct(w).is_none()
        };
        (words.iter().any(unknown)).then_some(subject)
    }
}
