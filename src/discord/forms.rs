//! The `/kb add` form: a Discord modal with the fields of one kind of entry,
//! instead of a one-line TOML inline table.
//!
//! Discord allows five text inputs in a modal, and most kinds have more
//! required fields than that. So a form has up to four inputs for the fields
//! that are long text (evidence, summary, an article's text...), kept exactly
//! as typed, and a last one, "Other fields", with the rest of the kind's
//! required fields already written out as `key = value` lines to complete;
//! optional fields are more lines of the same kind (`topics = ["pay"]`), read
//! as `/kb edit` reads a value. Lines starting with `#` are hints, ignored.
//!
//! Nothing is remembered between opening a form and submitting it: the
//! modal's `custom_id` is the [`Form`]'s, `kb1:add:<kind>`, and the submit,
//! whichever process receives it, after a restart too, is read from it and
//! from the inputs alone ([`Form::parse`], [`Form::read`]).
//!
//! ```text
//! kb1:add:figure
//!   measure   What it measures
//!   summary   Summary: one to three sentences
//!   source    Source: an id from sources.toml
//!   evidence  Evidence, word for word from the article
//!   more      value = / unit = count / display = / as_of = / as_of_basis = stated ...
//! ```

use super::kb::EntryKind;
use poise::serenity_prelude as serenity;
use poise::ChoiceParameter as _;

/// Discord's limit on the text inputs of a modal (one per action row).
pub const MAX_INPUTS: usize = 5;
/// Discord's limit on a modal's title and on an input's label, in characters.
pub const LABEL_MAX_CHARS: usize = 45;
/// Discord's limit on an input's placeholder, in characters.
pub const PLACEHOLDER_MAX_CHARS: usize = 100;
/// Discord's limit on an input's value (typed or pre-filled), in characters.
pub const VALUE_MAX_CHARS: usize = 4000;
/// The first field of this version's form ids.
const VERSION: &str = "kb1";
/// The custom id of the "Other fields" input.
const MORE: &str = "more";
/// The longest text field the knowledge takes (`limits::MAX_TEXT_CHARS`).
const TEXT_MAX: u16 = 2000;

/// What a text input of a form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// The field of this name, as typed.
    Text(&'static str),
    /// A source's article text, saved as `sources/<id>.txt`.
    Article,
}

/// One text input of a form.
#[derive(Debug)]
struct Input {
    holds: Holds,
    label: &'static str,
    placeholder: &'static str,
    paragraph: bool,
    max_chars: u16,
}

const fn text(
    field: &'static str,
    label: &'static str,
    placeholder: &'static str,
    paragraph: bool,
) -> Input {
    Input {
        holds: Holds::Text(field),
        label,
        placeholder,
        paragraph,
        max_chars: TEXT_MAX,
    }
}

const SOURCE: Input = text(
    "source",
    "Source: an id from sources.toml",
    "labour-talks-restart",
    false,
);
const EVIDENCE: Input = text(
    "evidence",
    "Evidence, word for word from the article",
    "The passage of the article that says it, copied exactly",
    true,
);
const SUMMARY: Input = text(
    "summary",
    "Summary: one to three sentences",
    "What the bot says, numbers and dates as the article writes them",
    true,
);

/// The form of one kind of entry.
#[derive(Debug)]
pub struct Form {
    kind: EntryKind,
    title: &'static str,
    inputs: &'static [Input],
    /// The "Other fields" input as it opens: the kind's other required
    /// fields to complete, and hints.
    more: &'static str,
}

const FORMS: [Form; 5] = [
    Form {
        kind: EntryKind::Figure,
        title: "Add a figure",
        inputs: &[
            text(
                "measure",
                "What it measures",
                "operations postponed in the latest walkout",
                false,
            ),
            SUMMARY,
            SOURCE,
            EVIDENCE,
        ],
        more: "value = \nunit = count\nqualifier = exact\ndisplay = \nas_of = \nas_of_basis = stated\n\
               # unit: count, percent, gbp, days, weeks, months, years, ordinal, year\n\
               # optional: as_of_note, event, stated_by, topics, keywords, id",
    },
    Form {
        kind: EntryKind::Event,
        title: "Add an event",
        inputs: &[
            text(
                "title",
                "Title",
                "Junior doctors' strike of September 2024",
                false,
            ),
            SUMMARY,
            SOURCE,
            EVIDENCE,
        ],
        more: "kind = \ndate = \ndate_basis = stated\n\
               # kind: strike, talks, meeting, offer, deal, ballot, announcement, election, statement, other\n\
               # optional: date_note, ordinal, people, topics, keywords, id",
    },
    Form {
        kind: EntryKind::Quote,
        title: "Add a quote",
        inputs: &[
            text(
                "text",
                "The words, exactly as the article quotes them",
                "Without the quotation marks",
                true,
            ),
            text(
                "speaker",
                "Speaker: an id from people.toml",
                "wes-streeting",
                false,
            ),
            text(
                "context",
                "Context: where and why it was said",
                "One sentence",
                true,
            ),
            SOURCE,
        ],
        more: "date = \ndate_basis = stated\n\
               # optional: date_note, event, topics, keywords, id",
    },
    Form {
        kind: EntryKind::Person,
        title: "Add a person or organisation",
        inputs: &[
            text("name", "Name, as the articles write it", "Dr Sam Patel", false),
            text(
                "description",
                "Description: one sentence",
                "What the bot says about them",
                true,
            ),
            SOURCE,
            EVIDENCE,
        ],
        more: "kind = person\n\
               # kind: person or organisation\n\
               # optional: aliases, role, also, id",
    },
    Form {
        kind: EntryKind::Source,
        title: "Add an article",
        inputs: &[
            text(
                "title",
                "Title: the headline",
                "Junior doctors' talks collapse",
                false,
            ),
            text("date", "Date", "2024-07-23, or 2024-07, or 2024", false),
            Input {
                holds: Holds::Article,
                label: "The article's text, in full",
                placeholder: "Longer than 4,000 characters? Use the toml and article options",
                paragraph: true,
                max_chars: VALUE_MAX_CHARS as u16,
            },
        ],
        more: "date_basis = stated\npublisher = \n\
               # optional: title_is_ours, publisher_note, date_note, id",
    },
];

/// What a submitted form holds: the entry's fields and, for a source, its article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filled {
    /// Each field with its value, and whether that value is text as typed
    /// (else it is read as `/kb edit` reads a value).
    pub fields: Vec<(String, String, bool)>,
    /// A source's article text.
    pub article: Option<String>,
}

impl Form {
    /// The form of a kind, or `None` for a kind added only as TOML (a faq).
    pub fn of(kind: EntryKind) -> Option<&'static Form> {
        FORMS.iter().find(|f| f.kind == kind)
    }

    /// The kind of entry the form adds.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    /// The modal's custom id: `kb1:add:<kind>`.
    pub fn custom_id(&self) -> String {
        format!("{VERSION}:add:{}", self.kind.name())
    }

    /// The form a modal's custom id names, or `None` when it is not one of
    /// this version's forms.
    pub fn parse(custom_id: &str) -> Option<&'static Form> {
        let kind = custom_id.strip_prefix(VERSION)?.strip_prefix(":add:")?;
        FORMS.iter().find(|f| f.kind.name() == kind)
    }

    /// The modal, as the interaction response that opens it.
    pub fn modal(&self) -> serenity::CreateModal {
        let mut rows: Vec<serenity::CreateActionRow> = self
            .inputs
            .iter()
            .map(|input| {
                let style = if input.paragraph {
                    serenity::InputTextStyle::Paragraph
                } else {
                    serenity::InputTextStyle::Short
                };
                let id = match input.holds {
                    Holds::Text(field) => field,
                    Holds::Article => "article",
                };
                serenity::CreateActionRow::InputText(
                    serenity::CreateInputText::new(style, input.label, id)
                        .placeholder(input.placeholder)
                        .max_length(input.max_chars)
                        .required(true),
                )
            })
            .collect();
        rows.push(serenity::CreateActionRow::InputText(
            serenity::CreateInputText::new(
                serenity::InputTextStyle::Paragraph,
                "Other fields: one key = value a line",
                MORE,
            )
            .value(self.more)
            .max_length(VALUE_MAX_CHARS as u16)
            .required(false),
        ));
        serenity::CreateModal::new(self.custom_id(), self.title).components(rows)
    }

    /// The fields a submitted form holds, or why they cannot be read (a
    /// line of "Other fields" that is not `key = value`).
    pub fn read(&self, data: &serenity::ModalInteractionData) -> Result<Filled, String> {
        let mut filled = Filled::default();
        for input in self.inputs {
            let id = match input.holds {
                Holds::Text(field) => field,
                Holds::Article => "article",
            };
            let value = submitted(data, id);
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match input.holds {
                Holds::Text(field) => {
                    filled
                        .fields
                        .push((field.to_string(), value.to_string(), true))
                }
                Holds::Article => filled.article = Some(value.to_string()),
            }
        }
        for (n, line) in submitted(data, MORE).lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let field = line
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, _)| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                });
            let Some((key, value)) = field else {
                return Err(format!(
                    "line {} of \"Other fields\", `{line}`, is not `key = value`: \
                     write one field a line, e.g. `value = 42` or `topics = [\"pay\"]`",
                    n + 1
                ));
            };
            // A line left as the form opened (`display = `) leaves the field
            // out; the loader says so when it is required.
            if !value.is_empty() {
                filled
                    .fields
                    .push((key.to_string(), value.to_string(), false));
            }
        }
        Ok(filled)
    }
}

/// The value submitted for the input `custom_id` ("" when absent).
fn submitted<'a>(data: &'a serenity::ModalInteractionData, custom_id: &str) -> &'a str {
    data.components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            serenity::ActionRowComponent::InputText(t) if t.custom_id == custom_id => {
                t.value.as_deref()
            }
            _ => None,
        })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_fits_discords_limits() {
        for form in &FORMS {
            let modal = serde_json::to_value(form.modal()).unwrap();
            let chars = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
            assert!(chars(&modal["title"]) <= LABEL_MAX_CHARS, "{}", form.title);
            assert!(chars(&modal["custom_id"]) <= 100);
            let rows = modal["components"].as_array().unwrap();
            assert!(rows.len() <= MAX_INPUTS, "{}", form.title);
            for row in rows {
                let input = &row["components"][0];
                assert!(chars(&input["label"]) <= LABEL_MAX_CHARS, "{input}");
                assert!(chars(&input["placeholder"]) <= PLACEHOLDER_MAX_CHARS);
                assert!(chars(&input["value"]) <= VALUE_MAX_CHARS);
                assert!(input["max_length"].as_u64().unwrap() <= VALUE_MAX_CHARS as u64);
            }
            assert_eq!(Form::parse(&form.custom_id()).unwrap().kind, form.kind);
        }
        assert!(Form::of(EntryKind::Faq).is_none());
    }

    #[test]
    fn custom_ids_of_other_versions_or_kinds_are_not_forms() {
        for id in [
            "",
            "kb1",
            "kb1:add:",
            "kb1:add:faq",
            "kb2:add:figure",
            "tl1:5001:1:::",
        ] {
            assert!(Form::parse(id).is_none(), "{id:?}");
        }
    }
}
