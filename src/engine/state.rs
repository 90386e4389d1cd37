//! Stating facts: the sentences and citations of an answer, each thing said
//! once, and the canned answers of FAQ intents.

use super::{normalise, Answer, Citation, Engine, FactRef};
use crate::knowledge::AnswerKind;
use std::collections::HashSet;

/// A fact restates another when this many tenths of the words of the shorter
/// statement are in the other (see `Engine::restates`).
pub(super) const RESTATED_TENTHS: usize = 7;

impl Engine {
    /// Writes the answer for a list of facts.
    pub(super) fn state(&self, kind: AnswerKind, facts: &[FactRef]) -> Answer {
        let k = &self.knowledge;
        let mut sentences = Vec::new();
        let mut citations = Vec::new();
        let stated = self.without_restatements(kind, facts);
        for &fact in &stated {
            match fact {
                FactRef::Event(i) => {
                    let e = &k.events[i];
                    let date = e.date.to_string();
                    if kind == AnswerKind::Date || !e.summary.contains(&date) {
                        sentences.push(format!("{date}: {}", e.summary));
                    } else {
                        sentences.push(e.summary.clone());
                    }
                    citations.extend(self.cited(&e.source, &e.evidence, &e.also));
                }
                FactRef::Figure(i) => {
                    let f = &k.figures[i];
                    if kind == AnswerKind::Date {
                        sentences.push(format!("As of {}: {}", f.as_of, f.summary));
                    } else {
                        sentences.push(f.summary.clone());
                    }
                    citations.extend(self.cited(&f.source, &f.evidence, &f.also));
                }
                FactRef::Quote(i) => {
                    let q = &k.quotes[i];
                    let speaker = k
                        .person(&q.speaker)
                        .map_or(q.speaker.as_str(), |p| p.name.as_str());
                    let said = format!(
                        "{speaker} said: “{}” ({})",
                        q.text.trim(),
                        q.context.trim_end_matches('.')
                    );
                    sentences.push(if kind == AnswerKind::Date {
                        format!("{}: {said}", q.date)
                    } else {
                        said
                    });
                    citations.extend(self.citation(&q.source, &q.text));
                }
                FactRef::Person(i) => {
                    let p = &k.people[i];
                    let mut text = p.description.clone();
                    for role in &p.roles {
                        let period = match role.period_phrase() {
                            p if p.is_empty() => p,
                            p => format!(" ({p})"),
                        };
                        if !text.contains(&role.title) {
                            text.push_str(&format!(" Role: {}{period}.", role.title));
                        }
                        citations.extend(self.citation(&role.source, &role.evidence));
                    }
                    citations.insert(
                        0,
                        self.citation(&p.source, &p.evidence)
                            .expect("validated source"),
                    );
                    sentences.push(text);
                }
            }
        }
        citations.dedup_by(|a, b| a.quote == b.quote);
        Answer::answered(sentences.join("\n"), citations, stated)
    }

    /// The citations of a fact: its own evidence, then each further citation.
    fn cited(
        &self,
        source: &crate::knowledge::Id,
        evidence: &str,
        also: &[crate::knowledge::Citation],
    ) -> Vec<Citation> {
        std::iter::once(self.citation(source, evidence))
            .chain(also.iter().map(|c| self.citation(&c.source, &c.evidence)))
            .flatten()
            .collect()
    }

    /// Whether one fact says again what another says: the shorter of their
    /// statements gives no number the other does not, and most of its words
    /// are in the other (an event and the figure it reports often say the
    /// same thing). Such a fact is not stated twice.
    pub(super) fn restates(&self, a: FactRef, b: FactRef) -> bool {
        let words = |f: FactRef| -> HashSet<String> {
            normalise::terms(self.statement(f)).into_iter().collect()
        };
        let (a, b) = (words(a), words(b));
        let (shorter, longer) = if a.len() <= b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let numeric = |t: &&String| t.starts_with(|c: char| c.is_ascii_digit());
        let shared = shorter.intersection(longer).count();
        shorter.iter().filter(numeric).all(|t| longer.contains(t))
            && shared * 10 >= shorter.len().max(1) * RESTATED_TENTHS
    }

    /// The facts, each stated once: of two that say the same thing, the one
    /// of the kind the question asks for is kept, else the quote (the
    /// article's own words, to "what did he announce?"), in the place of the first.
    pub(super) fn without_restatements(&self, kind: AnswerKind, facts: &[FactRef]) -> Vec<FactRef> {
        let asked = |f: FactRef| match f {
            FactRef::Quote(_) => matches!(kind, AnswerKind::Quote | AnswerKind::Speaker),
            FactRef::Figure(_) => matches!(kind, AnswerKind::Figure | AnswerKind::Compare),
            FactRef::Person(_) => kind == AnswerKind::Person,
            FactRef::Event(_) => false,
        };
        let preference = |f: FactRef| (asked(f), matches!(f, FactRef::Quote(_)));
        let mut kept: Vec<FactRef> = Vec::new();
        for &fact in facts {
            match kept.iter().position(|&k| self.restates(fact, k)) {
                Some(at) if preference(fact) > preference(kept[at]) => kept[at] = fact,
                Some(_) => {}
                None => kept.push(fact),
            }
        }
        kept
    }

    /// What a fact says, in the words an answer states it with.
    pub(super) fn statement(&self, fact: FactRef) -> &str {
        let k = &self.knowledge;
        match fact {
            FactRef::Event(i) => &k.events[i].summary,
            FactRef::Figure(i) => &k.figures[i].summary,
            FactRef::Quote(i) => &k.quotes[i].text,
            FactRef::Person(i) => &k.people[i].description,
        }
    }

    pub(super) fn faq(&self, intent: usize) -> Answer {
        let spec = self.intents.spec(intent);
        let citations = spec
            .citations
            .iter()
            .filter_map(|c| self.citation(&c.source, &c.evidence))
            .collect();
        Answer::answered(
            spec.response.clone().unwrap_or_default(),
            citations,
            Vec::new(),
        )
    }
}
