//! `/kb`: moderators update what the bot knows from Discord.
//!
//! Each subcommand is one call of the [`KnowledgeStore`] (validated, atomic,
//! serialised, audited, undoable) and a private reply: the change and its
//! short diff, or the loader's messages when it was refused. After a change
//! the engine is reloaded at once, so the next question in every channel uses
//! it. Only moderators may run `/kb`: `default_member_permissions` hides it
//! from others, and [`is_moderator`] checks every use, since server owners can
//! change who sees a command.
//!
//! ```text
//! /kb add kind:figure                                  (opens a form: see `forms`)
//! /kb add kind:figure toml:{ measure = "...", value = 61989, ... }
//! /kb add kind:source toml:{ title = "...", ... } article:<article.txt>
//! /kb edit kind:figure id:postponed-strike-2024-06 field:display value:61,989
//! /kb undo
//! /kb draft article:<article.txt> date:2025-06-18      (the draft comes back as a file)
//! /kb apply draft:<edited .draft.toml>                 (all its entries as one change)
//! ```

use super::commands::{choice, matching};
use super::embeds::{limits, truncate};
use super::forms::Form;
use super::reload::{code_blocks, failure_messages};
use super::{Context, Data, Error};
use crate::knowledge::draft::{draft as draft_article, read_draft, DraftOptions};
use crate::knowledge::limits::MAX_ARTICLE_BYTES;
use crate::knowledge::{
    Actor, Change, EditError, FormValue, FuzzyDate, Kind, KnowledgeStore, Reload,
};
use poise::serenity_prelude as serenity;
use poise::ChoiceParameter as _;
use std::sync::Arc;
use tracing::warn;

/// Changes listed by `/kb history` unless asked for another number.
const HISTORY: u8 = 10;
/// Distinct questions shown by `/kb unanswered`.
const UNANSWERED_EXAMPLES: usize = 10;
/// Code-block messages of one reply, at most.
const MAX_BLOCKS: usize = 2;
/// The first line of a refusal.
const REFUSED: &str = "Refused; nothing was changed.";
/// Told to whoever submits a form the bot cannot read (of another version).
const UNKNOWN_FORM: &str =
    "I don't recognise this form (it may be from an older version of the bot). \
     Run /kb add again. Nothing was changed.";
/// Told to anyone else who tries `/kb`.
const NOT_A_MODERATOR: &str = "Only moderators can change what I know: members with the \
     moderator role or the Manage Server permission. Nothing was changed.";

/// The kinds of entry, as Discord offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum EntryKind {
    /// A number from an article.
    #[name = "figure"]
    Figure,
    /// Something that happened on a date.
    #[name = "event"]
    Event,
    /// What someone said, word for word.
    #[name = "quote"]
    Quote,
    /// A person or an organisation.
    #[name = "person"]
    Person,
    /// An article, with its text.
    #[name = "source"]
    Source,
    /// A kind of question: phrasings, answer and citation.
    #[name = "faq"]
    Faq,
}

impl From<EntryKind> for Kind {
    fn from(kind: EntryKind) -> Kind {
        match kind {
            EntryKind::Figure => Kind::Figure,
            EntryKind::Event => Kind::Event,
            EntryKind::Quote => Kind::Quote,
            EntryKind::Person => Kind::Person,
            EntryKind::Source => Kind::Source,
            EntryKind::Faq => Kind::Intent,
        }
    }
}

/// Update what the bot knows (moderators only).
#[poise::command(
    slash_command,
    subcommands(
        "add",
        "edit",
        "remove",
        "show",
        "history",
        "undo",
        "unanswered",
        "reload",
        "draft",
        "apply"
    ),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    check = "is_moderator"
)]
pub async fn kb(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Whether the author may use `/kb`; checked by poise before every subcommand.
async fn is_moderator(ctx: Context<'_>) -> Result<bool, Error> {
    let member = ctx.author_member().await;
    Ok(member
        .is_some_and(|m| may_moderate(&m.roles, m.permissions, ctx.data().config.moderator_role)))
}

/// A member with the moderator role, or with Manage Server (which
/// Administrator implies), is a moderator. Without a member (a DM), no one is.
pub fn may_moderate(
    roles: &[serenity::RoleId],
    permissions: Option<serenity::Permissions>,
    moderator_role: Option<serenity::RoleId>,
) -> bool {
    moderator_role.is_some_and(|r| roles.contains(&r))
        || permissions.is_some_and(|p| p.administrator() || p.manage_guild())
}

/// Refuses a non-moderator privately; called from the framework's error handler.
pub async fn refuse(ctx: Context<'_>) -> Result<(), Error> {
    if let poise::Context::Application(a) = ctx {
        if a.interaction_type == poise::CommandInteractionType::Autocomplete {
            return Ok(());
        }
    }
    let refusal = poise::CreateReply::default()
        .content(NOT_A_MODERATOR)
        .ephemeral(true);
    super::ratelimit::reply(ctx, refusal).await
}

/// Add an entry: without `toml`, opens a form with the fields of its kind.
#[poise::command(slash_command)]
async fn add(
    ctx: Context<'_>,
    #[description = "What to add"] kind: EntryKind,
    #[description = "Its fields as TOML, e.g. { measure = \"...\", value = 42 } (leave out for a form)"]
    #[max_length = 6000]
    toml: Option<String>,
    #[description = "For a source: the article's text as a .txt file"] article: Option<
        serenity::Attachment,
    >,
) -> Result<(), Error> {
    let Some(toml) = toml else {
        return open_form(ctx, kind, article.is_some()).await;
    };
    super::ratelimit::defer(ctx, true).await?;
    let article = match article {
        None => None,
        Some(file) => match article_text(&file).await {
            Ok(text) => Some(text),
            Err(why) => return say(ctx, &why, "", "").await,
        },
    };
    let actor = actor(ctx);
    let outcome = in_store(ctx, move |store| {
        store.add(&actor, kind.into(), &toml, article.as_deref())
    })
    .await?;
    changed(ctx, outcome).await
}

/// Opens the form of `kind` as the command's response, or says privately
/// why there is none.
async fn open_form(ctx: Context<'_>, kind: EntryKind, with_article: bool) -> Result<(), Error> {
    let Some(form) = Form::of(kind) else {
        return say(
            ctx,
            &format!(
                "A {} is added as TOML: `/kb add kind:{} toml:{{ ... }}`.",
                kind.name(),
                kind.name()
            ),
            "",
            "",
        )
        .await;
    };
    if with_article {
        // An attachment cannot be carried through a form to its submit.
        return say(
            ctx,
            "An attached article goes with the source's fields in `toml`. Or leave out both \
             and paste the article's text into the form.",
            "",
            "",
        )
        .await;
    }
    super::ratelimit::modal(ctx, form.modal()).await
}

/// Answers a submitted `/kb add` form ([`forms`](super::forms)): one
/// interaction response, then the change or the loader's messages as
/// private follow-ups. It needs nothing but the submit, so a form opened
/// before a restart still works.
pub async fn on_submit(
    ctx: &serenity::Context,
    data: &Data,
    submit: &serenity::ModalInteraction,
) -> Result<(), Error> {
    let received = tokio::time::Instant::now();
    let by = Some(received + data.config.interaction_window);
    let retry = data.config.retry;
    let moderator = submit
        .member
        .as_ref()
        .is_some_and(|m| may_moderate(&m.roles, m.permissions, data.config.moderator_role));
    let refusal = match Form::parse(&submit.data.custom_id) {
        None => UNKNOWN_FORM,
        // Checked again: the role may have gone since the form opened.
        Some(_) if !moderator => NOT_A_MODERATOR,
        Some(form) => return save_form(ctx, data, submit, form, by).await,
    };
    let response = serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .content(refusal)
            .ephemeral(true)
            .allowed_mentions(super::no_mentions()),
    );
    retry
        .send("a form's response", by, || {
            submit.create_response(ctx, response.clone())
        })
        .await?;
    Ok(())
}

/// Saves a moderator's submitted form: a private deferral, then the change
/// or the loader's messages as follow-ups.
async fn save_form(
    ctx: &serenity::Context,
    data: &Data,
    submit: &serenity::ModalInteraction,
    form: &Form,
    by: Option<tokio::time::Instant>,
) -> Result<(), Error> {
    let retry = data.config.retry;
    let deferral = serenity::CreateInteractionResponse::Defer(
        serenity::CreateInteractionResponseMessage::new().ephemeral(true),
    );
    retry
        .send("a form's deferral", by, || {
            submit.create_response(ctx, deferral.clone())
        })
        .await?;
    let texts = match form.read(&submit.data) {
        Err(why) => texts(REFUSED, &why, ""),
        Ok(filled) => {
            let actor = Actor::new(
                format!("discord:{}", submit.user.id),
                submit.user.name.clone(),
            );
            let kind = Kind::from(form.kind());
            let store = Arc::clone(&data.store);
            let outcome = tokio::task::spawn_blocking(move || {
                let fields: Vec<(&str, FormValue<'_>)> = filled
                    .fields
                    .iter()
                    .map(|(key, value, as_typed)| {
                        let value = if *as_typed {
                            FormValue::Text(value)
                        } else {
                            FormValue::Read(value)
                        };
                        (key.as_str(), value)
                    })
                    .collect();
                store.add_form(&actor, kind, &fields, filled.article.as_deref())
            })
            .await?;
            change_texts(data, outcome).await?
        }
    };
    for text in texts {
        let followup = serenity::CreateInteractionResponseFollowup::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(super::no_mentions());
        retry
            .send("a form's reply", None, || {
                submit.create_followup(ctx, followup.clone())
            })
            .await?;
    }
    Ok(())
}

/// The text of an attached article, or why it cannot be used.
async fn article_text(file: &serenity::Attachment) -> Result<String, String> {
    if !file.filename.to_lowercase().ends_with(".txt") {
        return Err(format!(
            "`{}` is not a .txt file: attach the article's text as plain text.",
            file.filename
        ));
    }
    let too_big = |size: usize| {
        format!(
            "`{}` is {size} bytes; an article's text must be at most {MAX_ARTICLE_BYTES} bytes.",
            file.filename
        )
    };
    if file.size as usize > MAX_ARTICLE_BYTES {
        return Err(too_big(file.size as usize));
    }
    let bytes = file
        .download()
        .await
        .map_err(|e| format!("cannot download `{}`: {e}. Try again.", file.filename))?;
    // The size Discord announced is not the size served; the store checks again.
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(too_big(bytes.len()));
    }
    String::from_utf8(bytes)
        .map_err(|_| format!("`{}` is not UTF-8 text: save it as UTF-8.", file.filename))
}

/// Set one field of an entry, or remove the field when no value is given.
#[poise::command(slash_command)]
async fn edit(
    ctx: Context<'_>,
    #[description = "The kind of entry"] kind: EntryKind,
    #[description = "Its id"]
    #[autocomplete = "autocomplete_id"]
    id: String,
    #[description = "The field, e.g. display, summary, keywords"] field: String,
    #[description = "The new value: 42, \"text\", [\"a\", \"b\"] or plain text; empty removes the field"]
    #[max_length = 6000]
    value: Option<String>,
) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let actor = actor(ctx);
    let outcome = in_store(ctx, move |store| {
        store.edit(
            &actor,
            kind.into(),
            id.trim(),
            &[(field.trim(), value.as_deref())],
        )
    })
    .await?;
    changed(ctx, outcome).await
}

/// Remove an entry (a source's article text stays in place).
#[poise::command(slash_command)]
async fn remove(
    ctx: Context<'_>,
    #[description = "The kind of entry"] kind: EntryKind,
    #[description = "Its id"]
    #[autocomplete = "autocomplete_id"]
    id: String,
) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let actor = actor(ctx);
    let outcome = in_store(ctx, move |store| {
        store.remove(&actor, kind.into(), id.trim())
    })
    .await?;
    changed(ctx, outcome).await
}

/// Show an entry as it is stored, comments included.
#[poise::command(slash_command)]
async fn show(
    ctx: Context<'_>,
    #[description = "The kind of entry"] kind: EntryKind,
    #[description = "Its id"]
    #[autocomplete = "autocomplete_id"]
    id: String,
) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let kind = Kind::from(kind);
    let shown = {
        let id = id.clone();
        in_store(ctx, move |store| store.show(kind, id.trim())).await?
    };
    match shown {
        Ok(text) => say(ctx, &format!("In {}:", kind.file()), &text, "toml").await,
        Err(e) => refused(ctx, &e).await,
    }
}

/// The latest changes, newest first.
#[poise::command(slash_command)]
async fn history(
    ctx: Context<'_>,
    #[description = "How many (default 10)"]
    #[min = 1]
    #[max = 50]
    count: Option<u8>,
) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let count = usize::from(count.unwrap_or(HISTORY));
    match in_store(ctx, move |store| store.history(count)).await? {
        Ok(changes) if changes.is_empty() => say(ctx, "No changes yet.", "", "").await,
        Ok(changes) => {
            let text = changes
                .iter()
                .map(Change::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            say(
                ctx,
                "The latest changes, newest first (`/kb undo change:N` reverses one):",
                &text,
                "",
            )
            .await
        }
        Err(e) => refused(ctx, &e).await,
    }
}

/// Undo the last change not yet undone, or the one numbered `change`.
#[poise::command(slash_command)]
async fn undo(
    ctx: Context<'_>,
    #[description = "The change's number, from /kb history (default: the last)"] change: Option<
        u64,
    >,
) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let actor = actor(ctx);
    let outcome = in_store(ctx, move |store| store.undo_all(&actor, change)).await?;
    match outcome {
        Ok(changes) if changes.len() == 1 => {
            changed(ctx, Ok(changes.into_iter().next().expect("one"))).await
        }
        other => changed_batch(ctx, other, "undone").await,
    }
}

/// The questions declined recently, most asked first: what to add next.
#[poise::command(slash_command)]
async fn unanswered(ctx: Context<'_>) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    let log = Arc::clone(&ctx.data().unanswered);
    let summary = tokio::task::spawn_blocking(move || {
        log.summary_by(chrono::Utc::now(), UNANSWERED_EXAMPLES, question_key)
    })
    .await??;
    let Some(since) = summary.since else {
        return say(ctx, "No declined questions in the last 30 days.", "", "").await;
    };
    let header = format!(
        "{} question(s) declined since {}; the most asked (questions with the same terms counted together):",
        summary.count,
        since.format("%Y-%m-%d")
    );
    let text = summary
        .examples
        .iter()
        .map(|(question, times)| format!("{times} × {question}   [{}]", question_key(question)))
        .collect::<Vec<_>>()
        .join("\n");
    say(ctx, &header, &text, "").await
}

/// What a declined question asks, as the engine reads it: its normalised
/// search terms, sorted, so that rephrasings of one question group together.
pub fn question_key(question: &str) -> String {
    let mut terms = crate::engine::normalise::terms(question);
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// Largest draft file `/kb apply` takes: the article and its entries.
const MAX_DRAFT_BYTES: usize = 2 * MAX_ARTICLE_BYTES;

/// Draft the entries of a new article for review: attach its text and give its date.
#[poise::command(slash_command)]
async fn draft(
    ctx: Context<'_>,
    #[description = "The article's text as a .txt file"] article: serenity::Attachment,
    #[description = "Its date: 2025-06-18, or 2025-06 or 2025 when that is all that is known"]
    date: String,
    #[description = "Its headline (else one is made from its first sentence)"] title: Option<
        String,
    >,
    #[description = "Its publisher"] publisher: Option<String>,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let text = match article_text(&article).await {
        Ok(text) => text,
        Err(why) => return say(ctx, &why, "", "").await,
    };
    let date: FuzzyDate = match date.trim().parse() {
        Ok(date) => date,
        Err(e) => return say(ctx, &format!("{e}"), "", "").await,
    };
    let known = Arc::clone(ctx.data().engine.current().knowledge());
    let drafted = in_store(ctx, move |store| {
        let name = title.clone().unwrap_or_else(|| format!("article {date}"));
        let id = store.propose_id(Kind::Source, &name)?;
        let mut options = DraftOptions::new(&id, date);
        options.title = title;
        options.publisher = publisher;
        let d = draft_article(&text, &options, &known);
        let toml = d.to_toml();
        let check = read_draft(&toml)
            .map_err(EditError::Rejected)
            .and_then(|batch| store.check_batch(&batch));
        Ok::<_, EditError>((id, d.counts(), d.doubts(), toml, check))
    })
    .await?;
    let (id, counts, doubts, toml, check) = match drafted {
        Ok(parts) => parts,
        Err(e) => return refused(ctx, &e).await,
    };
    let counts: Vec<String> = counts
        .iter()
        .map(|(kind, n, d)| format!("{n} {kind} ({d} to check)"))
        .collect();
    let loads = match &check {
        Ok(_) => "It loads as it is.".to_string(),
        Err(e) => format!("It does not load yet, fix it first: {e}"),
    };
    let header = truncate(
        &format!(
            "Drafted `{id}.draft.toml`: {}. {loads} Review it (delete what is wrong, correct the rest), then `/kb apply` it. Nothing is answered from it until then.",
            counts.join(", ")
        ),
        limits::CONTENT,
    );
    let listed = doubts
        .iter()
        .map(|(kind, id, why)| format!("{kind} {id}: {why}"))
        .collect::<Vec<_>>()
        .join("\n");
    let file = serenity::CreateAttachment::bytes(toml.into_bytes(), format!("{id}.draft.toml"));
    ctx.send(
        poise::CreateReply::default()
            .content(header)
            .attachment(file)
            .ephemeral(true),
    )
    .await?;
    if !listed.is_empty() {
        say(ctx, "To check:", &listed, "").await?;
    }
    Ok(())
}

/// Apply a reviewed draft (from /kb draft): all its entries added as one change, undone by /kb undo.
#[poise::command(slash_command)]
async fn apply(
    ctx: Context<'_>,
    #[description = "The reviewed draft, the .toml file /kb draft gave"]
    draft: serenity::Attachment,
) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    if !draft.filename.to_lowercase().ends_with(".toml") || draft.size as usize > MAX_DRAFT_BYTES {
        return say(
            ctx,
            &format!("`{}` is not a draft: attach the .toml file /kb draft gave, at most {MAX_DRAFT_BYTES} bytes.", draft.filename),
            "",
            "",
        )
        .await;
    }
    let bytes = match draft.download().await {
        Ok(bytes) if bytes.len() <= MAX_DRAFT_BYTES => bytes,
        Ok(_) => return say(ctx, "The draft is too large.", "", "").await,
        Err(e) => {
            return say(
                ctx,
                &format!("cannot download `{}`: {e}. Try again.", draft.filename),
                "",
                "",
            )
            .await
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return say(
            ctx,
            &format!("`{}` is not UTF-8 text.", draft.filename),
            "",
            "",
        )
        .await;
    };
    let batch = match read_draft(&text) {
        Ok(batch) => batch,
        Err(why) => return refused(ctx, &EditError::Rejected(why)).await,
    };
    let actor = actor(ctx);
    let outcome = in_store(ctx, move |store| store.add_batch(&actor, &batch)).await?;
    changed_batch(ctx, outcome, "added").await
}

/// Load the knowledge folder again now (it also reloads by itself when the files change).
#[poise::command(slash_command)]
async fn reload(ctx: Context<'_>) -> Result<(), Error> {
    super::ratelimit::defer(ctx, true).await?;
    match reload_now(ctx.data()).await? {
        Ok(stats) => {
            let stats = stats.to_string().trim().replace('\n', ", ");
            say(ctx, &format!("Reloaded: {stats}."), "", "").await
        }
        Err(errors) => {
            for text in failure_messages(&errors, ctx.data().engine.root()) {
                send(ctx, text).await?;
            }
            Ok(())
        }
    }
}

/// Offers the ids of the chosen kind (of every kind before one is chosen).
async fn autocomplete_id(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let chosen = match ctx {
        poise::Context::Application(a) => a
            .args
            .iter()
            .find(|o| o.name == "kind")
            .and_then(|o| match o.value {
                serenity::ResolvedValue::Integer(i) => usize::try_from(i).ok(),
                _ => None,
            })
            .and_then(EntryKind::from_index)
            .map(Kind::from),
        poise::Context::Prefix(_) => None,
    };
    let kinds = chosen.map_or(Kind::ALL.to_vec(), |k| vec![k]);
    let ids = in_store(ctx, move |store| {
        kinds
            .iter()
            .flat_map(|k| store.ids(*k).unwrap_or_default())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let chosen = matching(partial, ids.iter().map(|id| (id.as_str(), id.as_str())))
        .into_iter()
        .map(|id| choice(id, id))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(chosen)
}

/// Who is changing the knowledge, for the audit log.
fn actor(ctx: Context<'_>) -> Actor {
    Actor::new(
        format!("discord:{}", ctx.author().id),
        ctx.author().name.clone(),
    )
}

/// Runs one store call off the async threads.
async fn in_store<T: Send + 'static>(
    ctx: Context<'_>,
    call: impl FnOnce(&KnowledgeStore) -> T + Send + 'static,
) -> Result<T, Error> {
    let store = Arc::clone(&ctx.data().store);
    Ok(tokio::task::spawn_blocking(move || call(&store)).await?)
}

/// Reloads the engine off the async threads.
async fn reload_now(data: &Data) -> Result<Reload, Error> {
    let engine = Arc::clone(&data.engine);
    Ok(tokio::task::spawn_blocking(move || engine.reload()).await?)
}

/// Replies with a change and its diff, after reloading so the next question
/// uses it; or with why it was refused.
async fn changed(ctx: Context<'_>, outcome: Result<Change, EditError>) -> Result<(), Error> {
    for text in change_texts(ctx.data(), outcome).await? {
        send(ctx, text).await?;
    }
    Ok(())
}

/// The private messages that tell of a change and its diff, after reloading
/// so the next question uses it; or of why it was refused.
async fn change_texts(
    data: &Data,
    outcome: Result<Change, EditError>,
) -> Result<Vec<String>, Error> {
    let change = match outcome {
        Ok(change) => change,
        Err(e) => return Ok(refusal_texts(data, &e)),
    };
    let mut header = format!("Done: {change}.");
    if let Err(errors) = reload_now(data).await? {
        // The store validated the change; another edit of the folder broke it since.
        warn!("saved {change} but the folder does not load: {errors}");
        header.push_str(
            " But the folder does not load now, so I still answer from the last good \
             knowledge: run /kb reload to see why.",
        );
    } else {
        header.push_str(" The next question uses it.");
    }
    Ok(texts(&header, &change.diff(), "diff"))
}

/// Replies with the changes of a batch (a draft applied or undone), after
/// reloading; or with why it was refused.
async fn changed_batch(
    ctx: Context<'_>,
    outcome: Result<Vec<Change>, EditError>,
    done: &str,
) -> Result<(), Error> {
    let changes = match outcome {
        Ok(changes) => changes,
        Err(e) => return refused(ctx, &e).await,
    };
    let mut header = format!("Done: {} entries {done} as one change.", changes.len());
    if let Err(errors) = reload_now(ctx.data()).await? {
        warn!("saved a batch but the folder does not load: {errors}");
        header.push_str(" But the folder does not load now: run /kb reload to see why.");
    } else {
        header.push_str(" The next question uses it; /kb undo reverses it whole.");
    }
    let list = changes
        .iter()
        .map(Change::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    say(ctx, &header, &list, "").await
}

/// Replies that a request was refused and nothing changed, with the reason
/// (the loader's messages, paths relative to the knowledge folder).
async fn refused(ctx: Context<'_>, error: &EditError) -> Result<(), Error> {
    for text in refusal_texts(ctx.data(), error) {
        send(ctx, text).await?;
    }
    Ok(())
}

/// The private messages that say a request was refused, with the reason.
fn refusal_texts(data: &Data, error: &EditError) -> Vec<String> {
    let root = format!("{}/", data.engine.root().display());
    let reason = error.to_string().replace(&root, "");
    texts(REFUSED, &reason, "")
}

/// Sends `header` and then `body` in code blocks, as few private messages as fit.
async fn say(ctx: Context<'_>, header: &str, body: &str, language: &str) -> Result<(), Error> {
    for text in texts(header, body, language) {
        send(ctx, text).await?;
    }
    Ok(())
}

/// `header` and then `body` in code blocks, in as few messages as fit.
fn texts(header: &str, body: &str, language: &str) -> Vec<String> {
    let mut texts = vec![truncate(header, limits::CONTENT)];
    if !body.trim().is_empty() {
        for block in code_blocks(body, language, MAX_BLOCKS) {
            let last = texts.last_mut().expect("the header");
            if last.chars().count() + 1 + block.chars().count() <= limits::CONTENT {
                last.push('\n');
                last.push_str(&block);
            } else {
                texts.push(block);
            }
        }
    }
    texts
}

async fn send(ctx: Context<'_>, text: String) -> Result<(), Error> {
    let reply = poise::CreateReply::default().content(text).ephemeral(true);
    super::ratelimit::reply(ctx, reply).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::{Permissions, RoleId};

    #[test]
    fn moderators_have_the_role_or_manage_server() {
        let role = Some(RoleId::new(7));
        let cases = [
            (&[][..], Some(Permissions::MANAGE_GUILD), None, true),
            (&[][..], Some(Permissions::ADMINISTRATOR), role, true),
            (
                &[RoleId::new(7)][..],
                Some(Permissions::empty()),
                role,
                true,
            ),
            (
                &[RoleId::new(8)][..],
                Some(Permissions::SEND_MESSAGES),
                role,
                false,
            ),
            (&[RoleId::new(7)][..], None, None, false),
            (&[][..], None, role, false),
        ];
        for (roles, permissions, moderator_role, expected) in cases {
            assert_eq!(
                may_moderate(roles, permissions, moderator_role),
                expected,
                "{roles:?} {permissions:?} {moderator_role:?}"
            );
        }
    }
}
