//! The dispute's vocabulary: the words that place a question inside it.

use super::{Engine, Reading};
use crate::knowledge::PersonKind;

/// Words that place a question inside the dispute, besides names and topics.
pub(super) const DOMAIN_WORDS: &[&str] = &[
    "strike",
    "walkout",
    "doctor",
    "junior",
    "resident",
    "bma",
    "nhs",
    "pay",
    "salary",
    "talks",
    "negotiations",
    "government",
    "labour",
    "tory",
    "ballot",
    "appointment",
    "postponed",
    "health",
    "secretary",
    "cochair",
    "committee",
    "mediator",
    "mediated",
    "dispute",
    "row",
    "picket",
    "deal",
    "offer",
    "restoration",
    "demand",
    "minister",
    "election",
    "manifesto",
    "consultant",
    "nurse",
    "paramedic",
    "hospital",
    "patient",
    "rota",
    "workforce",
    "rise",
    "union",
    "industrial",
    "medic",
    "trust",
    "deadlock",
    "waiting",
    "backlog",
    "mandate",
    "affordable",
    "conservative",
    "streeting",
    "barclay",
    "strikes",
    "stethoscope",
    "exam",
    "burnout",
    "morale",
    "2008",
];

impl Engine {
    pub(super) fn in_domain(&self, reading: &Reading) -> bool {
        let named = reading
            .people
            .iter()
            .any(|&p| self.knowledge.people[p].kind == PersonKind::Person);
        named || reading.terms.iter().any(|t| self.domain.contains(t))
    }
}
