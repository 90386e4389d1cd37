//! Listings: the quotes of a speaker and the figures of a topic, as the
//! `/quote` and `/figure` commands list them, so no front end filters the
//! knowledge itself.

use super::Engine;
use crate::knowledge::{Figure, Quote};

impl Engine {
    /// The quotes of a speaker, named by id, name or alias in any case (all
    /// quotes when `None`), in the knowledge's order.
    pub fn quotes_by(&self, speaker: Option<&str>) -> Vec<&Quote> {
        let k = &self.knowledge;
        let speaker = speaker.map(|s| s.trim().to_lowercase());
        let matches = |id: &str| {
            speaker.as_deref().is_none_or(|wanted| {
                id == wanted
                    || k.people.iter().any(|p| {
                        p.id.as_str() == id
                            && std::iter::once(&p.name)
                                .chain(&p.aliases)
                                .any(|n| n.to_lowercase() == wanted)
                    })
            })
        };
        k.quotes
            .iter()
            .filter(|q| matches(q.speaker.as_str()))
            .collect()
    }

    /// The figures of a topic, matched against their topics or within their
    /// measure in any case (all figures when `None` or blank), in the knowledge's order.
    pub fn figures_about(&self, topic: Option<&str>) -> Vec<&Figure> {
        let topic = topic
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        self.knowledge
            .figures
            .iter()
            .filter(|f| {
                topic.as_deref().is_none_or(|t| {
                    f.topics.iter().any(|x| x.to_lowercase() == t)
                        || f.measure.to_lowercase().contains(t)
                })
            })
            .collect()
    }
}
