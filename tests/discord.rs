//! The Discord bot end to end: the real `discord::run` against a fake Discord
//! on 127.0.0.1 (see `support/fake_discord.rs`). Every test asserts what a
//! user would see: the replies the bot sends and to whom.

mod support;

use dispute_bot::discord::ratelimit::RetryPolicy;
use dispute_bot::discord::BotConfig;
use dispute_bot::render::to_markdown;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::fake_discord::*;
use support::folders::snapshot;

/// A user asking questions.
const ALICE: u64 = 5001;
/// Another user.
const BOB: u64 = 5002;
/// Ephemeral message flag.
const EPHEMERAL: u64 = 64;

fn alice() -> Value {
    user(ALICE, "alice", false)
}

/// What "never ping anyone" looks like on the wire.
fn no_mentions() -> Value {
    json!({"parse": [], "users": [], "roles": [], "replied_user": false})
}

fn channel_messages(channel: u64) -> String {
    format!("/api/v10/channels/{channel}/messages")
}

/// Replies (messages sent by the bot) that reference the message `id`.
fn replies_to(fake: &FakeDiscord, id: u64) -> Vec<RestCall> {
    fake.calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
        .filter(|c| c.body["message_reference"]["message_id"] == json!(id.to_string()))
        .collect()
}

async fn wait_reply(fake: &FakeDiscord, id: u64) -> RestCall {
    fake.wait_for(&format!("a reply to message {id}"), |c| {
        c.method == "POST"
            && c.path.ends_with("/messages")
            && c.body["message_reference"]["message_id"] == json!(id.to_string())
    })
    .await
}

/// Sends a message from Alice in the guild channel, returning its id.
async fn say(fake: &FakeDiscord, content: &str) -> u64 {
    let id = fake.id();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(id, CHANNEL_ID, Some(GUILD_ID), alice(), content),
    )
    .await;
    id
}

/// Sends a slash command (or autocomplete, or button press) and waits for its
/// callback. How soon it comes (Discord allows 3 s) is not asserted: that is
/// the machine's speed. What keeps it soon is: `/ask` defers a slow answer,
/// `/kb` defers before it waits for other edits (see
/// `fifty_concurrent_edits_from_different_moderators_all_land`).
async fn interact(fake: &FakeDiscord, interaction: Value) -> RestCall {
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    fake.dispatch("INTERACTION_CREATE", interaction).await;
    let path = callback_path(id);
    fake.wait_for(&format!("the callback of {id}"), |c| c.is("POST", &path))
        .await
}

/// What Alice sees of `/ask question`: the response message, or, when the
/// answer took long enough for the bot to defer (`BotConfig::defer_after`, so on a busy
/// machine either may happen), the follow-up that replaces "thinking...".
async fn ask_message(fake: &FakeDiscord, question: &str) -> Value {
    let id = fake.id();
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let callback = interact(fake, slash(id, "ask", options, ALICE)).await;
    let message = match callback.body["type"].as_u64() {
        Some(4) => callback.body["data"].clone(),
        Some(5) => {
            let path = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
            fake.wait_for(&format!("the answer to /ask {question:?}"), |c| {
                c.is("POST", &path)
            })
            .await
            .body
        }
        _ => panic!("/ask {question:?}: neither a message nor a deferral: {callback:?}"),
    };
    assert_eq!(
        message["allowed_mentions"],
        no_mentions(),
        "/ask {question:?}"
    );
    message
}

async fn slash_command(fake: &FakeDiscord, name: &str, options: Value) -> RestCall {
    let call = interact(fake, slash(fake.id(), name, options, ALICE)).await;
    assert_eq!(
        call.body["data"]["allowed_mentions"],
        no_mentions(),
        "/{name}"
    );
    call
}

fn description(embed: &Value) -> &str {
    embed["description"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_mention_gets_one_reply_with_the_answer_and_its_citations() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let question = "who is Wes Streeting?";

    let id = say(&fake, &format!("<@{BOT_ID}> {question}")).await;
    let reply = wait_reply(&fake, id).await;

    let expected = to_markdown(&engine().answer(question));
    assert!(
        !expected.citations.is_empty(),
        "the question has a cited answer"
    );
    assert_eq!(reply.path, channel_messages(CHANNEL_ID));
    let embed = &reply.body["embeds"][0];
    assert_eq!(description(embed), expected.body);
    let fields = embed["fields"].as_array().unwrap();
    assert_eq!(fields.len(), expected.citations.len());
    for (field, (source, quote)) in fields.iter().zip(&expected.citations) {
        assert!(field["name"].as_str().unwrap().ends_with(source.as_str()));
        assert_eq!(field["value"], json!(quote));
    }
    assert_eq!(reply.body["allowed_mentions"], no_mentions());
    assert_eq!(replies_to(&fake, id).len(), 1, "exactly one reply");
    bot.stop().await;
}

#[tokio::test]
async fn bots_and_messages_not_addressed_to_the_bot_get_no_reply() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;

    let from_bot = fake.id();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            from_bot,
            CHANNEL_ID,
            Some(GUILD_ID),
            user(6000, "otherbot", true),
            &format!("<@{BOT_ID}> who is Wes Streeting?"),
        ),
    )
    .await;
    let own = fake.id();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            own,
            CHANNEL_ID,
            Some(GUILD_ID),
            bot_user(),
            &format!("<@{BOT_ID}> hi"),
        ),
    )
    .await;
    let unaddressed = say(&fake, "who is Wes Streeting?").await;
    // Events are handled in order of arrival; once a later question is
    // answered, the earlier messages have had their chance.
    let marker = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
    wait_reply(&fake, marker).await;

    for id in [from_bot, own, unaddressed] {
        assert!(replies_to(&fake, id).is_empty(), "message {id} got a reply");
    }
    let sent = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
        .count();
    assert_eq!(sent, 1, "only the marker was answered");
    bot.stop().await;
}

#[tokio::test]
async fn direct_messages_replies_to_the_bot_and_answer_channels_are_answered() {
    const ANSWER_CHANNEL: u64 = 4100;
    const DM_CHANNEL: u64 = 4200;
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config
        .answer_channels
        .insert(poise::serenity_prelude::ChannelId::new(ANSWER_CHANNEL));
    let bot = RunningBot::start(&fake, config).await;

    let dm = fake.id();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(dm, DM_CHANNEL, None, alice(), "who is Wes Streeting?"),
    )
    .await;
    let in_channel = fake.id();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            in_channel,
            ANSWER_CHANNEL,
            Some(GUILD_ID),
            alice(),
            "who is Wes Streeting?",
        ),
    )
    .await;
    let reply_to_bot = fake.id();
    let mut m = message(
        reply_to_bot,
        CHANNEL_ID,
        Some(GUILD_ID),
        alice(),
        "and who is Vivek Trivedi?",
    );
    m["referenced_message"] = message(fake.id(), CHANNEL_ID, Some(GUILD_ID), bot_user(), "");
    m["message_reference"] =
        json!({"message_id": m["referenced_message"]["id"], "channel_id": CHANNEL_ID.to_string()});
    fake.dispatch("MESSAGE_CREATE", m).await;

    assert_eq!(
        wait_reply(&fake, dm).await.path,
        channel_messages(DM_CHANNEL)
    );
    assert_eq!(
        wait_reply(&fake, in_channel).await.path,
        channel_messages(ANSWER_CHANNEL)
    );
    let reply = wait_reply(&fake, reply_to_bot).await;
    let expected = to_markdown(&engine().answer("and who is Vivek Trivedi?"));
    assert_eq!(description(&reply.body["embeds"][0]), expected.body);
    bot.stop().await;
}

#[tokio::test]
async fn a_question_with_everyone_pings_no_one() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;

    let id = say(
        &fake,
        &format!("@everyone <@{BOT_ID}> what did @everyone say about <@{ALICE}>?"),
    )
    .await;
    let reply = wait_reply(&fake, id).await;

    assert_eq!(reply.body["allowed_mentions"], no_mentions());
    assert!(
        !reply.body.to_string().contains("@everyone"),
        "no raw @everyone in the reply"
    );
    for call in fake
        .calls()
        .iter()
        .filter(|c| c.method != "GET" && !c.path.ends_with("/commands"))
    {
        if call.body.is_object() && !call.path.ends_with("/typing") {
            let mentions = call
                .body
                .get("allowed_mentions")
                .or(call.body["data"].get("allowed_mentions"));
            assert_eq!(
                mentions,
                Some(&no_mentions()),
                "{} {}",
                call.method,
                call.path
            );
        }
    }
    bot.stop().await;
}

#[tokio::test]
async fn commands_are_registered_in_the_guild_at_start_up() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;

    let registrations: Vec<RestCall> = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "PUT" && c.path.ends_with("/commands"))
        .collect();
    assert_eq!(
        registrations.len(),
        1,
        "registered once, never both guild and global"
    );
    let call = &registrations[0];
    assert_eq!(
        call.path,
        format!("/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    );
    let commands = call.body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ask", "timeline", "quote", "figure", "sources", "help", "about", "kb"]
    );
    let kb = commands.iter().find(|c| c["name"] == "kb").unwrap();
    assert_eq!(kb["default_member_permissions"], "32", "Manage Server");
    let subcommands: Vec<&str> = kb["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        subcommands,
        [
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
        ]
    );
    let kinds: Vec<(String, u64)> = kb["options"][0]["options"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["value"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = KINDS
        .iter()
        .zip(0..)
        .map(|(k, i)| (k.to_string(), i))
        .collect();
    assert_eq!(kinds, expected);
    let options = |name: &str| -> Vec<(String, bool, bool)> {
        commands.iter().find(|c| c["name"] == name).unwrap()["options"]
            .as_array()
            .map(|o| {
                o.iter()
                    .map(|o| {
                        (
                            o["name"].as_str().unwrap().to_string(),
                            o["required"].as_bool().unwrap_or(false),
                            o["autocomplete"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let o = |n: &str, required, autocomplete| (n.to_string(), required, autocomplete);
    assert_eq!(options("ask"), [o("question", true, false)]);
    assert_eq!(
        options("timeline"),
        [
            o("from", false, false),
            o("to", false, false),
            o("topic", false, true)
        ]
    );
    assert_eq!(options("quote"), [o("speaker", false, true)]);
    assert_eq!(options("figure"), [o("topic", false, true)]);
    assert!(
        options("sources").is_empty() && options("help").is_empty() && options("about").is_empty()
    );
    let add: Vec<&str> = kb["options"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(add, ["kind", "toml", "article"]);
    let required: Vec<bool> = kb["options"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["required"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(
        required,
        [true, false, false],
        "without toml, /kb add opens the form"
    );
    bot.stop().await;
}

#[tokio::test]
async fn global_registration_when_no_guild_is_configured() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config.guild_id = None;
    let bot = RunningBot::start(&fake, config).await;
    let paths: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "PUT")
        .map(|c| c.path)
        .collect();
    assert_eq!(paths, [format!("/api/v10/applications/{APP_ID}/commands")]);
    bot.stop().await;
}

#[tokio::test]
async fn each_slash_command_responds_with_its_embed() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let engine = engine();
    let stats = engine.knowledge().stats();

    let ask = ask_message(&fake, "who is Wes Streeting?").await;
    let expected = to_markdown(&engine.answer("who is Wes Streeting?"));
    assert_eq!(description(&ask["embeds"][0]), expected.body);
    assert_eq!(
        ask["embeds"][0]["fields"].as_array().unwrap().len(),
        expected.citations.len()
    );
    assert_eq!(
        ask["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "answers are public"
    );

    let declined = ask_message(&fake, "what is the capital of France?").await;
    assert_eq!(
        declined["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "declines are ephemeral"
    );
    assert!(description(&declined["embeds"][0]).contains("You could ask"));

    let sources = slash_command(&fake, "sources", json!([])).await;
    let text = description(&sources.body["data"]["embeds"][0]);
    assert_eq!(text.lines().count(), stats.sources);
    assert_eq!(sources.body["data"]["embeds"][0]["title"], "Sources");

    let help = slash_command(&fake, "help", json!([])).await;
    assert!(description(&help.body["data"]["embeds"][0]).contains("/timeline"));

    let about = slash_command(&fake, "about", json!([])).await;
    let text = description(&about.body["data"]["embeds"][0]);
    assert!(text.contains(env!("CARGO_PKG_VERSION")));
    assert!(text.contains(&format!("Events: {}", stats.events)));
    assert!(
        text.contains(&stats.first.unwrap().to_string())
            && text.contains(&stats.last.unwrap().to_string())
    );

    let quote = slash_command(
        &fake,
        "quote",
        json!([{"name": "speaker", "type": 3, "value": "vivek-trivedi"}]),
    )
    .await;
    let embed = &quote.body["data"]["embeds"][0];
    let trivedi: Vec<_> = engine
        .knowledge()
        .quotes
        .iter()
        .filter(|q| q.speaker.as_str() == "vivek-trivedi")
        .collect();
    assert_eq!(
        embed["fields"].as_array().unwrap().len(),
        trivedi.len(),
        "one citation per quote"
    );
    assert!(
        description(embed).contains("said Vivek Trivedi")
            || description(embed).contains("said Dr Vivek Trivedi")
    );

    let figure = slash_command(
        &fake,
        "figure",
        json!([{"name": "topic", "type": 3, "value": "postponements"}]),
    )
    .await;
    let embed = &figure.body["data"]["embeds"][0];
    assert_eq!(embed["title"], "Figures");
    assert!(
        !embed["fields"].as_array().unwrap().is_empty(),
        "figures are cited"
    );

    let timeline = slash_command(
        &fake,
        "timeline",
        json!([{"name": "from", "type": 3, "value": "2099"}]),
    )
    .await;
    assert_eq!(
        timeline.body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "no events: a private note"
    );
    bot.stop().await;
}

#[tokio::test]
async fn autocomplete_offers_matching_speakers_and_topics() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;

    let call = interact(
        &fake,
        autocomplete(fake.id(), "quote", "speaker", "stree", ALICE),
    )
    .await;
    assert_eq!(call.body["type"], 8, "an autocomplete result");
    assert_eq!(
        call.body["data"]["choices"],
        json!([{"name": "Wes Streeting", "value": "wes-streeting"}])
    );

    let call = interact(
        &fake,
        autocomplete(fake.id(), "figure", "topic", "postpone", ALICE),
    )
    .await;
    assert_eq!(
        call.body["data"]["choices"],
        json!([{"name": "postponements", "value": "postponements"}])
    );

    let call = interact(
        &fake,
        autocomplete(fake.id(), "quote", "speaker", "", ALICE),
    )
    .await;
    let all = call.body["data"]["choices"].as_array().unwrap().len();
    assert!((2..=25).contains(&all), "{all} speakers offered");
    bot.stop().await;
}

/// The ids of the Previous and Next buttons of a paginated reply, and whether each is disabled.
fn buttons(data: &Value) -> Vec<(String, bool)> {
    data["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["custom_id"].as_str().unwrap().to_string(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn footer(data: &Value) -> &str {
    data["embeds"][0]["footer"]["text"].as_str().unwrap_or("")
}

#[tokio::test]
async fn timeline_pages_turn_for_the_requester_only() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let events = engine().knowledge().events.len();
    let pages = events.div_ceil(5);

    let first = slash_command(&fake, "timeline", json!([])).await;
    let data = &first.body["data"];
    assert_eq!(footer(data), format!("Page 1 of {pages}"));
    let b = buttons(data);
    assert_eq!(b.len(), 2);
    assert!(
        b[0].1 && !b[1].1,
        "Previous disabled on the first page, Next live"
    );
    let (prev, next) = (b[0].0.clone(), b[1].0.clone());
    let message = 42;

    let turned = interact(&fake, button_press(fake.id(), &next, message, ALICE)).await;
    assert_eq!(turned.body["type"], 7, "the message is updated in place");
    assert_eq!(footer(&turned.body["data"]), format!("Page 2 of {pages}"));
    assert!(
        !buttons(&turned.body["data"])[0].1,
        "Previous live on page 2"
    );

    let refused = interact(&fake, button_press(fake.id(), &prev, message, BOB)).await;
    assert_eq!(refused.body["type"], 4);
    assert_eq!(refused.body["data"]["flags"], EPHEMERAL);
    assert!(refused.body["data"]["content"]
        .as_str()
        .unwrap()
        .contains("Only the person who asked"));

    let back = interact(&fake, button_press(fake.id(), &prev, message, ALICE)).await;
    assert_eq!(
        footer(&back.body["data"]),
        format!("Page 1 of {pages}"),
        "Bob's press changed nothing"
    );
    bot.stop().await;
}

/// Presses the button `custom_id` of message `message` as `user`, and
/// returns the bot's one response to the press.
async fn press(fake: &FakeDiscord, custom_id: &str, message: u64, user: u64) -> Value {
    let call = interact(fake, button_press(fake.id(), custom_id, message, user)).await;
    assert_eq!(
        call.body["data"]["allowed_mentions"],
        no_mentions(),
        "{custom_id}"
    );
    call.body
}

/// The id of the Next button of a page, asserting it fits Discord's limit.
fn next_button(data: &Value) -> String {
    let b = buttons(data);
    assert_eq!(b.len(), 2, "Previous and Next");
    for (id, _) in &b {
        assert!(
            id.chars().count() <= 100,
            "custom_id over 100 characters: {id}"
        );
    }
    b[1].0.clone()
}

/// Asserts that a response is a private message (type 4, ephemeral) containing `text`.
fn assert_private_note(response: &Value, text: &str) {
    assert_eq!(response["type"], 4, "a message: {response}");
    assert_eq!(response["data"]["flags"], EPHEMERAL, "private: {response}");
    let content = response["data"]["content"].as_str().unwrap_or("");
    assert!(content.contains(text), "{content:?} should say {text:?}");
}

/// The citations of a page, as (source, quote), without their numbers.
fn page_citations(page: &Value) -> Vec<(String, String)> {
    page["embeds"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["name"].as_str().unwrap();
            let source = name.split_once("] ").map_or(name, |(_, s)| s);
            (source.to_string(), f["value"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn every_timeline_page_cites_each_passage_once() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    // In 2023, two of the first five events are reported by one passage.
    let year_2023 = json!([
        {"name": "from", "type": 3, "value": "2023"},
        {"name": "to", "type": 3, "value": "2023"}
    ]);
    for options in [json!([]), year_2023] {
        let first = slash_command(&fake, "timeline", options.clone()).await;
        let mut page = first.body["data"].clone();
        let mut walked = 1;
        loop {
            let cited = page_citations(&page);
            for (i, c) in cited.iter().enumerate() {
                assert!(
                    !cited[..i].contains(c),
                    "{options} {}: a citation repeated: {c:?}",
                    footer(&page)
                );
            }
            let (next, last) = buttons(&page)[1].clone();
            if last {
                break;
            }
            page = press(&fake, &next, 42, ALICE).await["data"].clone();
            walked += 1;
        }
        assert!(walked >= 2, "{options}: {walked} pages walked");
    }
    bot.stop().await;
}

#[tokio::test]
async fn timeline_buttons_work_after_a_new_session_and_after_a_restart() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let pages = engine().knowledge().events.len().div_ceil(5);
    let first = slash_command(&fake, "timeline", json!([])).await;
    let next = next_button(&first.body["data"]);
    let message = 42;

    // A session that cannot be resumed: the bot identifies again, and the
    // press on the page sent in the old session is answered in the new one.
    fake.invalidate_session();
    fake.wait_gateway(GatewayRecord::Identify, 2).await;
    let turned = press(&fake, &next, message, ALICE).await;
    assert_eq!(turned["type"], 7, "the message is updated in place");
    assert_eq!(footer(&turned["data"]), format!("Page 2 of {pages}"));

    let refused = press(&fake, &next, message, BOB).await;
    assert_private_note(&refused, "Only the person who asked");
    for garbage in ["", "hello", "tl1:not-a-user:1:::", "tl1:5001:1:20241399::"] {
        assert_private_note(
            &press(&fake, garbage, message, ALICE).await,
            "I don't recognise this button",
        );
    }
    // A page sent by the version before buttons carried their page.
    assert_private_note(
        &press(&fake, "page:123456:next", message, ALICE).await,
        "from an older version",
    );

    // Another process (a restart, a deploy) turns the pages the first one sent.
    bot.stop().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    assert_eq!(
        fake.gateway_log()
            .iter()
            .filter(|r| **r == GatewayRecord::Identify)
            .count(),
        3
    );
    let again = press(&fake, &next_button(&turned["data"]), message, ALICE).await;
    assert_eq!(again["type"], 7);
    assert_eq!(footer(&again["data"]), format!("Page 3 of {pages}"));
    bot.stop().await;

    let callbacks: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.path.starts_with("/api/v10/interactions/"))
        .map(|c| c.path)
        .collect();
    let mut unique = callbacks.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        callbacks.len(),
        unique.len(),
        "one response per interaction"
    );
    assert_eq!(callbacks.len(), 1 + 8, "the command and eight presses");
}

#[tokio::test]
async fn the_longest_timeline_topic_fits_its_buttons_and_a_longer_one_is_refused() {
    use dispute_bot::discord::pagination::TOPIC_MAX_CHARS;
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let registered = fake
        .calls()
        .into_iter()
        .find(|c| c.method == "PUT" && c.path.ends_with("/commands"))
        .unwrap();
    let timeline = registered
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "timeline")
        .unwrap();
    let topic = timeline["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "topic")
        .unwrap();
    assert_eq!(
        topic["max_length"],
        json!(TOPIC_MAX_CHARS),
        "Discord refuses a longer topic"
    );

    // The words of a topic must all be found; extra spaces inside make it long.
    let longest = "strike   strike strike strike strike strike strike";
    assert_eq!(longest.chars().count(), TOPIC_MAX_CHARS);
    let options = |topic: &str| {
        json!([
            {"name": "from", "type": 3, "value": "2022-12-01"},
            {"name": "to", "type": 3, "value": "2025-12-31"},
            {"name": "topic", "type": 3, "value": topic}
        ])
    };
    // The largest user id Discord could send, so every field is at its longest.
    let asker = u64::MAX;
    let first = interact(&fake, slash(fake.id(), "timeline", options(longest), asker)).await;
    let next = next_button(&first.body["data"]);
    assert!(footer(&first.body["data"]).starts_with("Page 1 of "));
    let turned = press(&fake, &next, 42, asker).await;
    assert_eq!(turned["type"], 7);
    assert!(footer(&turned["data"]).starts_with("Page 2 of "));
    next_button(&turned["data"]);

    // Only a client other than Discord's own could send a longer one.
    let longer = format!("{longest}s");
    let refused = slash_command(&fake, "timeline", options(&longer)).await;
    assert_eq!(refused.body["type"], 4);
    assert_eq!(refused.body["data"]["flags"], EPHEMERAL);
    let text = refused.body["data"]["content"].as_str().unwrap();
    assert!(
        text.contains(&format!("longer than {TOPIC_MAX_CHARS} characters")),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_second_question_too_soon_gets_a_polite_wait() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    // Longer than any run of the test, however slow the machine.
    config.cooldown = Duration::from_secs(3600);
    let bot = RunningBot::start(&fake, config).await;

    let first = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
    assert!(wait_reply(&fake, first).await.body["embeds"][0].is_object());
    let second = say(&fake, &format!("<@{BOT_ID}> who is Vivek Trivedi?")).await;
    let reply = wait_reply(&fake, second).await;
    assert!(reply.body["content"]
        .as_str()
        .unwrap()
        .contains("Please wait"));
    assert_eq!(reply.body["allowed_mentions"], no_mentions());

    let call = interact(
        &fake,
        slash(
            fake.id(),
            "ask",
            json!([{"name": "question", "type": 3, "value": "who is Wes Streeting?"}]),
            ALICE,
        ),
    )
    .await;
    assert_eq!(call.body["data"]["flags"], EPHEMERAL);
    assert!(call.body["data"]["content"]
        .as_str()
        .unwrap()
        .contains("Please wait"));
    bot.stop().await;
}

/// The typing indicators and replies the bot sent to the channel, in the order the fake received them.
fn typing_and_replies(fake: &FakeDiscord) -> Vec<&'static str> {
    let typing = format!("/api/v10/channels/{CHANNEL_ID}/typing");
    let messages = channel_messages(CHANNEL_ID);
    fake.calls()
        .iter()
        .filter_map(|c| {
            if c.is("POST", &typing) {
                Some("typing")
            } else if c.is("POST", &messages) {
                Some("reply")
            } else {
                None
            }
        })
        .collect()
}

#[tokio::test]
async fn typing_is_shown_only_for_a_slow_answer_and_never_after_the_reply() {
    // Past `typing_after`, an answer is slow. An hour: every answer is
    // quick; zero: every answer is slow; the default: either, by the machine.
    for (typing_after, expected) in [
        (Duration::from_secs(3600), Some(vec!["reply"])),
        (Duration::ZERO, Some(vec!["typing", "reply"])),
        (dispute_bot::discord::config::DEFAULT_TYPING_AFTER, None),
    ] {
        let fake = FakeDiscord::start().await;
        let mut config = fake.config();
        config.typing_after = typing_after;
        let bot = RunningBot::start(&fake, config).await;
        let id = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
        wait_reply(&fake, id).await;
        // Once the bot has stopped, anything it was going to send is sent.
        bot.stop().await;
        let sent = typing_and_replies(&fake);
        match expected {
            Some(expected) => assert_eq!(sent, expected, "typing after {typing_after:?}"),
            None => assert!(
                sent == ["reply"] || sent == ["typing", "reply"],
                "typing after {typing_after:?}: {sent:?}"
            ),
        }
    }
}

#[tokio::test]
async fn a_slow_ask_is_deferred_and_then_answered_once() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    // Zero: every answer is slow enough to defer.
    config.defer_after = Duration::ZERO;
    let bot = RunningBot::start(&fake, config).await;
    let question = "who is Wes Streeting?";
    let id = fake.id();
    let options = json!([{"name": "question", "type": 3, "value": question}]);

    let callback = interact(&fake, slash(id, "ask", options, ALICE)).await;
    assert_eq!(
        callback.body["type"], 5,
        "deferred: Discord shows \"thinking...\""
    );
    assert_eq!(
        callback.body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "answers are public"
    );
    let follow_up = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
    let answer = fake
        .wait_for("the deferred answer", |c| c.is("POST", &follow_up))
        .await;
    let expected = to_markdown(&engine().answer(question));
    assert_eq!(description(&answer.body["embeds"][0]), expected.body);
    assert_eq!(answer.body["allowed_mentions"], no_mentions());
    bot.stop().await;

    let sent: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.path == callback_path(id) || c.path.starts_with(&follow_up))
        .map(|c| format!("{} {}", c.method, c.path))
        .collect();
    assert_eq!(
        sent,
        [
            format!("POST {}", callback_path(id)),
            format!("POST {follow_up}")
        ],
        "one deferral, then one answer"
    );
}

#[tokio::test]
async fn a_dropped_gateway_connection_is_survived() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
    wait_reply(&fake, before).await;

    fake.drop_gateway();
    fake.wait_gateway(GatewayRecord::Resume, 1).await;
    let after = say(&fake, &format!("<@{BOT_ID}> who is Vivek Trivedi?")).await;
    let reply = wait_reply(&fake, after).await;

    let expected = to_markdown(&engine().answer("who is Vivek Trivedi?"));
    assert_eq!(description(&reply.body["embeds"][0]), expected.body);
    assert_eq!(
        fake.gateway_log()
            .iter()
            .filter(|r| **r == GatewayRecord::Identify)
            .count(),
        1,
        "the session was resumed, not started again"
    );
    bot.stop().await;
    // `cargo test --test discord -- --nocapture dropped` shows the session.
    println!("{}", fake.transcript());
}

/// A bot configuration with quick resends of rate-limited requests, and an
/// interaction window no busy machine runs out of (the fake never expires
/// an interaction; the window itself is tested in `discord::ratelimit`).
fn quick_retries(mut config: BotConfig) -> BotConfig {
    config.retry = RetryPolicy {
        attempts: 4,
        first_wait: Duration::from_millis(100),
    };
    config.interaction_window = PATIENCE;
    config
}

/// Asserts that each call the fake refused with 429 was sent again, the
/// same request (method, path and body), and only once accepted, no
/// sooner than the 429 said.
fn assert_each_refusal_resent_once(fake: &FakeDiscord) {
    let calls = fake.calls();
    for refused in fake.refused() {
        let same = |c: &&RestCall| {
            c.method == refused.method && c.path == refused.path && c.body == refused.body
        };
        let resent: Vec<&RestCall> = calls.iter().filter(same).collect();
        assert_eq!(
            resent.len(),
            1,
            "accepted once: {} {}",
            refused.method,
            refused.path
        );
        assert!(
            resent[0].at.duration_since(refused.at) >= Duration::from_secs_f64(RETRY_AFTER),
            "resent after retry_after: {} {}",
            refused.method,
            refused.path
        );
    }
}

/// Where the bot of a test sends its HTTP requests.
#[derive(Debug, Clone, Copy)]
enum Base {
    /// `--api-base` (as behind a proxy): serenity's rate limiter is off, and
    /// the bot's `RetryPolicy` resends a 429.
    ApiBase,
    /// https://discord.com (the fake, over TLS): serenity's rate limiter is
    /// on and waits out a 429 itself.
    DiscordCom,
}

/// The fake's configuration for `base`, with [`quick_retries`].
fn config_for(fake: &FakeDiscord, base: Base) -> BotConfig {
    quick_retries(match base {
        Base::ApiBase => fake.config(),
        Base::DiscordCom => fake.config_at_discord_com(),
    })
}

#[tokio::test]
async fn rate_limited_replies_and_registration_are_sent_once_with_api_base() {
    rate_limited_replies_and_registration_are_sent_once(Base::ApiBase).await;
}

#[tokio::test]
async fn rate_limited_replies_and_registration_are_sent_once_without_api_base() {
    rate_limited_replies_and_registration_are_sent_once(Base::DiscordCom).await;
}

async fn rate_limited_replies_and_registration_are_sent_once(base: Base) {
    let fake = FakeDiscord::start().await;
    fake.rate_limit(Limit::Global, 1, |method, path| {
        method == "PUT" && path.ends_with("/commands")
    });
    let bot = RunningBot::start(&fake, config_for(&fake, base)).await;
    let messages = channel_messages(CHANNEL_ID);
    let is_message = move |method: &str, path: &str| method == "POST" && path == messages;

    fake.rate_limit(Limit::Route, 2, is_message.clone());
    let streeting = "who is Wes Streeting?";
    let first = say(&fake, &format!("<@{BOT_ID}> {streeting}")).await;
    wait_reply(&fake, first).await;
    fake.rate_limit(Limit::Global, 1, is_message);
    let trivedi = "who is Vivek Trivedi?";
    let second = say(&fake, &format!("<@{BOT_ID}> {trivedi}")).await;
    wait_reply(&fake, second).await;
    bot.stop().await;

    for (id, question) in [(first, streeting), (second, trivedi)] {
        let replies = replies_to(&fake, id);
        assert_eq!(replies.len(), 1, "one reply to {question:?}");
        let expected = to_markdown(&engine().answer(question));
        assert_eq!(description(&replies[0].body["embeds"][0]), expected.body);
        assert_eq!(replies[0].body["allowed_mentions"], no_mentions());
    }
    assert_eq!(fake.refused().len(), 1 + 2 + 1, "{}", fake.transcript());
    assert_each_refusal_resent_once(&fake);
    let registrations = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "PUT" && c.path.ends_with("/commands"))
        .count();
    assert_eq!(registrations, 1, "commands registered once");
}

#[tokio::test]
async fn rate_limited_interaction_responses_are_sent_once_with_api_base() {
    rate_limited_interaction_responses_are_sent_once(Base::ApiBase).await;
}

#[tokio::test]
async fn rate_limited_interaction_responses_are_sent_once_without_api_base() {
    rate_limited_interaction_responses_are_sent_once(Base::DiscordCom).await;
}

async fn rate_limited_interaction_responses_are_sent_once(base: Base) {
    let fake = FakeDiscord::start().await;
    let mut config = config_for(&fake, base);
    // Zero: every /ask is deferred, so its deferral and its follow-up are
    // both sent, and both refused once.
    config.defer_after = Duration::ZERO;
    let bot = RunningBot::start(&fake, config).await;
    let is_callback = |_: &str, path: &str| path.starts_with("/api/v10/interactions/");
    let is_follow_up =
        |_: &str, path: &str| path.starts_with(&format!("/api/v10/webhooks/{APP_ID}/"));

    fake.rate_limit(Limit::Route, 1, is_callback);
    let sources = slash_command(&fake, "sources", json!([])).await;
    assert_eq!(sources.body["type"], 4);
    assert_eq!(sources.body["data"]["embeds"][0]["title"], "Sources");

    fake.rate_limit(Limit::Route, 1, is_callback);
    fake.rate_limit(Limit::Route, 1, is_follow_up);
    let question = "who is Wes Streeting?";
    let id = fake.id();
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let deferral = interact(&fake, slash(id, "ask", options, ALICE)).await;
    assert_eq!(deferral.body["type"], 5);
    let follow_up = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
    let answer = fake
        .wait_for("the deferred answer", |c| c.is("POST", &follow_up))
        .await;
    let expected = to_markdown(&engine().answer(question));
    assert_eq!(description(&answer.body["embeds"][0]), expected.body);

    let first = slash_command(&fake, "timeline", json!([])).await;
    fake.rate_limit(Limit::Route, 1, is_callback);
    let turned = press(&fake, &next_button(&first.body["data"]), 42, ALICE).await;
    assert_eq!(turned["type"], 7, "the page turned");
    bot.stop().await;

    assert_eq!(fake.refused().len(), 4, "{}", fake.transcript());
    assert_each_refusal_resent_once(&fake);
    let mut callbacks: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.path.starts_with("/api/v10/interactions/"))
        .map(|c| c.path)
        .collect();
    let all = callbacks.len();
    callbacks.sort();
    callbacks.dedup();
    assert_eq!(all, 4, "/sources, /ask, /timeline and the press");
    assert_eq!(callbacks.len(), all, "one response per interaction");
    let follow_ups = fake
        .calls()
        .into_iter()
        .filter(|c| c.is("POST", &follow_up))
        .count();
    assert_eq!(follow_ups, answer_embeds_count(question), "each embed once");
}

/// How many embeds the answer to `question` takes.
fn answer_embeds_count(question: &str) -> usize {
    dispute_bot::discord::embeds::answer_embeds(&engine().answer(question), None).len()
}

#[tokio::test]
async fn with_api_base_a_reply_rate_limited_at_every_attempt_is_given_up_and_the_next_one_is_sent()
{
    let fake = FakeDiscord::start().await;
    let config = quick_retries(fake.config());
    let attempts = config.retry.attempts as usize;
    let bot = RunningBot::start(&fake, config).await;
    let messages = channel_messages(CHANNEL_ID);
    fake.rate_limit(Limit::Route, attempts, move |method, path| {
        method == "POST" && path == messages
    });
    let lost = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
    fake.wait_refused(attempts).await;
    let next = say(&fake, &format!("<@{BOT_ID}> who is Vivek Trivedi?")).await;
    wait_reply(&fake, next).await;
    bot.stop().await;

    assert!(replies_to(&fake, lost).is_empty(), "given up");
    assert_eq!(fake.refused().len(), attempts, "no attempt past the cap");
    assert_eq!(replies_to(&fake, next).len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_that_cannot_resume_identifies_again_and_answers() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = say(&fake, &format!("<@{BOT_ID}> who is Wes Streeting?")).await;
    wait_reply(&fake, before).await;

    // Closed with a code that allows resuming; the session is gone, though.
    fake.refuse_resumes(1);
    fake.close_gateway(4000);
    fake.wait_gateway(GatewayRecord::Resume, 1).await;
    fake.wait_gateway(GatewayRecord::Identify, 2).await;
    let question = "who is Vivek Trivedi?";
    let after = say(&fake, &format!("<@{BOT_ID}> {question}")).await;
    let reply = wait_reply(&fake, after).await;
    bot.stop().await;

    let expected = to_markdown(&engine().answer(question));
    assert_eq!(description(&reply.body["embeds"][0]), expected.body);
    assert_eq!(replies_to(&fake, after).len(), 1);
    let sessions: Vec<GatewayRecord> = fake
        .gateway_log()
        .into_iter()
        .filter(|r| matches!(r, GatewayRecord::Identify | GatewayRecord::Resume))
        .collect();
    assert_eq!(
        sessions,
        [
            GatewayRecord::Identify,
            GatewayRecord::Resume,
            GatewayRecord::Identify
        ],
        "{}",
        fake.transcript()
    );
}

/// The channel of the guild on shard `shard` of `shards`, in these tests.
fn channel_on_shard(shard: u32) -> u64 {
    CHANNEL_ID + 100 + u64::from(shard)
}

/// Asks in the guild on shard `shard` of `shards`, and returns the bot's
/// one reply once it has come.
async fn ask_on_shard(fake: &FakeDiscord, shard: u32, shards: u32) -> RestCall {
    let guild = guild_on_shard(shard, shards);
    let id = fake.id();
    let question = format!("<@{BOT_ID}> who is Wes Streeting?");
    let asked = message(id, channel_on_shard(shard), Some(guild), alice(), &question);
    fake.dispatch("MESSAGE_CREATE", asked).await;
    wait_reply(fake, id).await
}

/// The shards that identified, sorted.
fn shards_identified(fake: &FakeDiscord) -> Vec<[u32; 2]> {
    let mut shards: Vec<[u32; 2]> = fake.identified().iter().map(|i| i.shard).collect();
    shards.sort();
    shards
}

#[tokio::test]
async fn several_shards_in_one_process_each_answer_their_guilds() {
    use dispute_bot::discord::Sharding;
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config.sharding = Sharding::All { total: 2 };
    let bot = RunningBot::start(&fake, config).await;
    fake.wait_gateway(GatewayRecord::Identify, 2).await;
    assert_eq!(shards_identified(&fake), [[0, 2], [1, 2]]);

    let on_0 = ask_on_shard(&fake, 0, 2).await;
    let on_1 = ask_on_shard(&fake, 1, 2).await;
    bot.stop().await;
    assert_eq!(on_0.path, channel_messages(channel_on_shard(0)));
    assert_eq!(on_1.path, channel_messages(channel_on_shard(1)));
    let expected = to_markdown(&engine().answer("who is Wes Streeting?"));
    for reply in [&on_0, &on_1] {
        assert_eq!(description(&reply.body["embeds"][0]), expected.body);
    }
    let replies = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
        .filter(|c| !c.body["message_reference"].is_null())
        .count();
    assert_eq!(replies, 2, "one reply per message: {}", fake.transcript());
}

#[tokio::test]
async fn two_processes_with_shard_ranges_each_answer_only_their_own_guilds() {
    let fake = FakeDiscord::start().await;
    // Two `dispute-bot serve` processes, told apart by their tokens.
    let first = BotProcess::serve_with(
        &fake,
        "token-a",
        &["--shards", "4", "--shard-range", "0..2"],
    );
    let second = BotProcess::serve_with(
        &fake,
        "token-b",
        &["--shards", "4", "--shard-range", "2..4"],
    );
    fake.wait_gateway(GatewayRecord::Identify, 4).await;
    assert_eq!(shards_identified(&fake), [[0, 4], [1, 4], [2, 4], [3, 4]]);
    for identified in fake.identified() {
        let expected = if identified.shard[0] < 2 {
            "token-a"
        } else {
            "token-b"
        };
        // Discord takes the token alone here; over HTTP, after `Bot `.
        assert_eq!(identified.token.trim_start_matches("Bot "), expected);
    }

    let mut replies = Vec::new();
    for shard in 0..4 {
        replies.push(ask_on_shard(&fake, shard, 4).await);
    }
    first.assert_stops_on("TERM").await;
    second.assert_stops_on("TERM").await;
    for (shard, reply) in replies.iter().enumerate() {
        let process = if shard < 2 { "token-a" } else { "token-b" };
        assert_eq!(
            reply.authorization,
            format!("Bot {process}"),
            "shard {shard}"
        );
    }
    let sent = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
        .filter(|c| !c.body["message_reference"].is_null())
        .count();
    assert_eq!(
        sent,
        4,
        "one reply per message, from one process: {}",
        fake.transcript()
    );
}

/// A question the shipped knowledge answers from figure `postponed-strike-2024-06`.
const POSTPONED: &str = "how many operations were postponed in the latest walkout?";
/// The moderators' channel of the tests that configure one.
const MODERATORS: u64 = 4300;

/// The text of `/ask question`'s first embed.
async fn ask(fake: &FakeDiscord, question: &str) -> String {
    description(&ask_message(fake, question).await["embeds"][0]).to_string()
}

/// Waits for the bot's `n`th message to the moderators' channel containing `text`.
async fn wait_moderators(fake: &FakeDiscord, text: &str) -> RestCall {
    let path = channel_messages(MODERATORS);
    fake.wait_for(&format!("{text:?} in the moderators' channel"), |c| {
        c.is("POST", &path) && c.body["content"].as_str().unwrap_or("").contains(text)
    })
    .await
}

/// Replaces a file whole, as editors that save safely do. Written in place,
/// a reload could read it half written (and then load it again), so what the
/// moderators are told in between would depend on the machine's timing.
fn hand_edit(path: &std::path::Path, text: &str) {
    let tmp = path.with_extension("toml.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

#[tokio::test]
async fn a_hand_edit_is_used_by_the_next_question_and_a_broken_one_is_told_to_moderators() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config.moderator_channel = Some(poise::serenity_prelude::ChannelId::new(MODERATORS));
    let bot = RunningBot::start(&fake, config).await;
    let figures = bot.knowledge().join("figures.toml");
    let shipped = std::fs::read_to_string(&figures).unwrap();
    let said = "summary = \"NHS England said 61,989 appointments";
    assert!(ask(&fake, POSTPONED)
        .await
        .contains("NHS England said 61,989"));

    // A display the evidence does not contain: refused, the old knowledge stays.
    hand_edit(
        &figures,
        &shipped.replace("display = \"61,989\"", "display = \"62,000\""),
    );
    wait_moderators(&fake, "does not load").await;
    let errors = wait_moderators(&fake, "display = \"62,000\"").await;
    let text = errors.body["content"].as_str().unwrap();
    assert!(text.starts_with("```\n1 error(s)") && text.contains("\nfigures.toml:"));
    assert!(
        !text.contains(&bot.knowledge().display().to_string()),
        "paths are relative"
    );
    assert_eq!(errors.body["allowed_mentions"], no_mentions());
    assert!(ask(&fake, POSTPONED)
        .await
        .contains("NHS England said 61,989"));

    // Fixed, with a new summary: reloaded, told, and used by the next question.
    hand_edit(
        &figures,
        &shipped.replace(
            said,
            "summary = \"By NHS England's count, 61,989 appointments",
        ),
    );
    wait_moderators(&fake, "loads again").await;
    assert!(ask(&fake, POSTPONED)
        .await
        .contains("By NHS England's count, 61,989"));
    bot.stop().await;
}

#[tokio::test]
async fn declined_questions_are_kept_for_moderators_but_not_requests_for_help() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;

    ask(&fake, "what is the capital of France?").await;
    ask(&fake, "help").await;
    ask(&fake, "who is Wes Streeting?").await;
    let id = say(&fake, &format!("<@{BOT_ID}> what colour is the sky?")).await;
    wait_reply(&fake, id).await;

    let kept = std::fs::read_to_string(bot.knowledge().join("unanswered.jsonl")).unwrap();
    let questions: Vec<String> = kept
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["question"].to_string())
        .collect();
    assert_eq!(
        questions,
        [
            "\"what is the capital of France?\"",
            "\"what colour is the sky?\""
        ]
    );
    bot.stop().await;
}

/// The kinds `/kb` offers, in the order of their choice values.
const KINDS: [&str; 6] = ["figure", "event", "quote", "person", "source", "faq"];
/// A moderator role.
const MODERATOR_ROLE: u64 = 6000;

/// The `kind` option of a `/kb` subcommand.
fn kind(name: &str) -> Value {
    let index = KINDS.iter().position(|k| *k == name).unwrap();
    json!({"name": "kind", "type": 4, "value": index})
}

fn string(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// Runs `/kb sub` as `member` and returns the text of the bot's first private
/// reply: the refusal, or the first follow-up after deferring.
async fn kb(fake: &FakeDiscord, sub: &str, options: Value, member: Value) -> String {
    kb_reply(fake, sub, kb_interaction(fake, sub, options, member)).await
}

/// A `/kb sub` interaction by `member`, with a new id.
fn kb_interaction(fake: &FakeDiscord, sub: &str, options: Value, member: Value) -> Value {
    let data = json!([{"name": sub, "type": 1, "options": options}]);
    slash_by(fake.id(), "kb", data, member)
}

/// Sends a `/kb sub` interaction and returns the text of the bot's first private reply.
async fn kb_reply(fake: &FakeDiscord, sub: &str, interaction: Value) -> String {
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    let callback = interact(fake, interaction).await;
    assert_eq!(
        callback.body["data"]["flags"], EPHEMERAL,
        "/kb replies privately"
    );
    if callback.body["type"] == 4 {
        return callback.body["data"]["content"]
            .as_str()
            .unwrap()
            .to_string();
    }
    assert_eq!(callback.body["type"], 5, "deferred");
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
    let reply = fake
        .wait_for(&format!("the reply to /kb {sub}"), |c| c.is("POST", &path))
        .await;
    assert_eq!(reply.body["flags"], EPHEMERAL, "/kb replies privately");
    assert_eq!(reply.body["allowed_mentions"], no_mentions());
    reply.body["content"].as_str().unwrap().to_string()
}

/// A member with Manage Server.
fn moderator() -> Value {
    member_with(ALICE, &[], ALL_PERMISSIONS)
}

/// Every file of a knowledge folder but the lock, with its bytes.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut all = std::collections::BTreeMap::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(d).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                dirs.push(entry.path());
            } else if entry.file_name() != ".kb.lock" {
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string();
                all.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    all
}

/// A new figure on one line, as Discord sends an option; its evidence is
/// verbatim from the article `labour-talks-restart`.
const NEW_FIGURE: &str = r#"{ measure = "operations postponed in the latest walkout, as counted by NHS England", value = 61989, unit = "count", display = "61,989", as_of = "2024-07", as_of_basis = "inferred", as_of_note = "the article's date", topics = ["postponements"], keywords = ["latest walkout", "walkout", "operations postponed"], summary = "NHS England counted 61,989 postponed operations after the latest walkout.", source = "labour-talks-restart", evidence = "NHS England said 61,989 appointments, procedures and operations were postponed as a result of the latest round of industrial action by junior doctors." }"#;

#[tokio::test]
async fn a_moderator_adds_a_figure_the_next_question_uses_it_and_undo_restores_the_files() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = files(bot.knowledge());
    assert!(!ask(&fake, POSTPONED).await.contains("NHS England counted"));

    let added = kb(
        &fake,
        "add",
        json!([kind("figure"), string("toml", NEW_FIGURE)]),
        moderator(),
    )
    .await;
    assert!(
        added.starts_with(
            "Done: #1 add figure `operations-postponed-latest-walkout-as-counted` \
             by user5001 (discord:5001)"
        ),
        "{added}"
    );
    assert!(added.contains(
        "```diff\n+ [[figure]]\n+ id = \"operations-postponed-latest-walkout-as-counted\""
    ));
    assert!(ask(&fake, POSTPONED)
        .await
        .contains("NHS England counted 61,989 postponed operations after the latest walkout."));
    let audit = std::fs::read_to_string(bot.knowledge().join("audit.jsonl")).unwrap();
    assert!(
        audit.contains(r#""actor":{"id":"discord:5001","name":"user5001"}"#),
        "{audit}"
    );

    let shown = kb(
        &fake,
        "show",
        json!([
            kind("figure"),
            string("id", "operations-postponed-latest-walkout-as-counted")
        ]),
        moderator(),
    )
    .await;
    assert!(
        shown.starts_with("In figures.toml:\n```toml\n[[figure]]\n"),
        "{shown}"
    );

    let undone = kb(&fake, "undo", json!([]), moderator()).await;
    assert!(undone.starts_with("Done: #2 undo figure"), "{undone}");
    assert!(undone.contains("undoing #1"));
    let after = files(bot.knowledge());
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "{name} is restored byte for byte");
    }
    assert!(!ask(&fake, POSTPONED).await.contains("NHS England counted"));

    let history = kb(&fake, "history", json!([]), moderator()).await;
    let lines: Vec<&str> = history.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(lines[0].starts_with("#2 undo") && lines[1].starts_with("#1 add"));
    bot.stop().await;
    println!("{}", fake.transcript());
}

#[tokio::test]
async fn a_non_moderator_is_refused_and_nothing_changes() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config.moderator_role = Some(poise::serenity_prelude::RoleId::new(MODERATOR_ROLE));
    let bot = RunningBot::start(&fake, config).await;
    let before = files(bot.knowledge());

    let member = member_with(BOB, &[], MEMBER_PERMISSIONS);
    for (sub, options) in [
        ("add", json!([kind("figure"), string("toml", NEW_FIGURE)])),
        (
            "remove",
            json!([kind("figure"), string("id", "postponed-strike-2024-06")]),
        ),
        ("undo", json!([])),
    ] {
        let refusal = kb(&fake, sub, options, member.clone()).await;
        assert!(
            refusal.starts_with("Only moderators"),
            "/kb {sub}: {refusal}"
        );
    }
    assert!(files(bot.knowledge()) == before, "nothing was written");

    // The moderator role is enough, without Manage Server.
    let with_role = member_with(BOB, &[MODERATOR_ROLE], MEMBER_PERMISSIONS);
    let history = kb(&fake, "history", json!([]), with_role).await;
    assert_eq!(history, "No changes yet.");
    bot.stop().await;
}

#[tokio::test]
async fn an_invalid_edit_is_refused_with_the_loaders_message_and_nothing_changes() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = files(bot.knowledge());

    let refusal = kb(
        &fake,
        "edit",
        json!([
            kind("figure"),
            string("id", "postponed-strike-2024-06"),
            string("field", "display"),
            string("value", "62,000")
        ]),
        moderator(),
    )
    .await;
    assert!(
        refusal.starts_with("Refused; nothing was changed.\n```\n"),
        "{refusal}"
    );
    assert!(refusal.contains("figures.toml:"), "{refusal}");
    assert!(refusal.contains(
        "entry `postponed-strike-2024-06`: `display = \"62,000\"` is not written that way in its evidence"
    ));
    assert!(
        !refusal.contains(&bot.knowledge().display().to_string()),
        "paths are relative"
    );
    assert!(files(bot.knowledge()) == before, "files byte-identical");
    assert!(ask(&fake, POSTPONED).await.contains("61,989"));
    bot.stop().await;
}

/// The kinds `/kb add` has a form for.
const FORM_KINDS: [&str; 5] = ["figure", "event", "quote", "person", "source"];

/// Checks a modal against Discord's documented limits
/// (<https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal>,
/// <https://discord.com/developers/docs/components/reference#text-input>):
/// a title of 1 to 45 characters, a custom id of 1 to 100, one to five
/// action rows of one text input each, and for each input a unique custom id
/// of 1 to 100 characters, a label of 1 to 45, style short (1) or paragraph
/// (2), a placeholder of at most 100, lengths within 0 to 4000, and a
/// pre-filled value of at most 4000 characters and its `max_length`.
fn assert_within_discords_modal_limits(modal: &Value) {
    let chars = |v: &Value| v.as_str().map(|s| s.chars().count());
    let title = chars(&modal["title"]).expect("a title");
    assert!((1..=45).contains(&title), "title: {modal}");
    let id = chars(&modal["custom_id"]).expect("a custom id");
    assert!((1..=100).contains(&id), "custom id: {modal}");
    let rows = modal["components"].as_array().expect("components");
    assert!(
        (1..=5).contains(&rows.len()),
        "{} rows: {modal}",
        rows.len()
    );
    let mut ids = std::collections::HashSet::new();
    for row in rows {
        assert_eq!(row["type"], 1, "an action row: {row}");
        let inputs = row["components"].as_array().unwrap();
        assert_eq!(inputs.len(), 1, "one input a row: {row}");
        let input = &inputs[0];
        assert_eq!(input["type"], 4, "a text input: {input}");
        let id = input["custom_id"].as_str().unwrap();
        assert!(
            (1..=100).contains(&id.chars().count()) && ids.insert(id),
            "{input}"
        );
        let label = chars(&input["label"]).expect("a label");
        assert!((1..=45).contains(&label), "label: {input}");
        assert!(
            [1, 2].contains(&input["style"].as_u64().unwrap()),
            "{input}"
        );
        assert!(chars(&input["placeholder"]).unwrap_or(0) <= 100, "{input}");
        let max = input["max_length"].as_u64().unwrap_or(4000);
        assert!((1..=4000).contains(&max), "{input}");
        assert!(input["min_length"].as_u64().unwrap_or(0) <= max, "{input}");
        let value = chars(&input["value"]).unwrap_or(0) as u64;
        assert!(value <= 4000 && value <= max, "value: {input}");
    }
}

/// The input `custom_id` of a modal, and its pre-filled value ("" without one).
fn modal_input<'a>(modal: &'a Value, custom_id: &str) -> &'a str {
    let input = modal["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["components"][0])
        .find(|i| i["custom_id"] == custom_id)
        .unwrap_or_else(|| panic!("no input {custom_id}: {modal}"));
    input["value"].as_str().unwrap_or("")
}

/// Opens the `/kb add` form of `kind` as `member`: the callback.
async fn open_form(fake: &FakeDiscord, kind_name: &str, member: Value) -> RestCall {
    interact(
        fake,
        kb_interaction(fake, "add", json!([kind(kind_name)]), member),
    )
    .await
}

/// Submits a form as `member` and returns the text of the bot's first private
/// reply: the response itself, or the follow-up after its deferral.
async fn submit_form(
    fake: &FakeDiscord,
    custom_id: &str,
    values: &[(&str, &str)],
    member: Value,
) -> String {
    let id = fake.id();
    let callback = interact(fake, modal_submit(id, custom_id, values, member)).await;
    let data = &callback.body["data"];
    assert_eq!(data["flags"], EPHEMERAL, "a form is answered privately");
    if callback.body["type"] == 4 {
        assert_eq!(data["allowed_mentions"], no_mentions());
        return data["content"].as_str().unwrap().to_string();
    }
    assert_eq!(callback.body["type"], 5, "deferred: {callback:?}");
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
    let reply = fake
        .wait_for("the reply to a form", |c| c.is("POST", &path))
        .await;
    assert_eq!(
        reply.body["flags"], EPHEMERAL,
        "a form is answered privately"
    );
    assert_eq!(reply.body["allowed_mentions"], no_mentions());
    reply.body["content"].as_str().unwrap().to_string()
}

/// The inputs of the figure form filled in with [`NEW_FIGURE`]'s fields,
/// "Other fields" completed from what the form opened with.
fn new_figure_form(modal: &Value) -> Vec<(&'static str, String)> {
    let more = modal_input(modal, "more")
        .replace("value = \n", "value = 61989\n")
        .replace("display = \n", "display = 61,989\n")
        .replace("as_of = \n", "as_of = 2024-07\n")
        .replace(
            "as_of_basis = stated\n",
            "as_of_basis = inferred\nas_of_note = the article's date\n",
        )
        + "\ntopics = [\"postponements\"]\nkeywords = [\"latest walkout\", \"walkout\", \"operations postponed\"]";
    vec![
        ("measure", "operations postponed in the latest walkout, as counted by NHS England".into()),
        ("summary", "NHS England counted 61,989 postponed operations after the latest walkout.".into()),
        ("source", "labour-talks-restart".into()),
        ("evidence", "NHS England said 61,989 appointments, procedures and operations were postponed as a result of the latest round of industrial action by junior doctors.".into()),
        ("more", more),
    ]
}

fn as_refs<'a>(values: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    values.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn kb_add_opens_a_form_within_discords_limits_whose_submit_after_a_restart_saves_an_undoable_entry(
) {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let mut modals = Vec::new();
    for name in FORM_KINDS {
        let callback = open_form(&fake, name, moderator()).await;
        let modal = opened_modal(&callback)
            .unwrap_or_else(|| panic!("/kb add kind:{name} opens a modal: {callback:?}"))
            .clone();
        assert_within_discords_modal_limits(&modal);
        assert_eq!(modal["custom_id"], format!("kb1:add:{name}"));
        modals.push(modal);
    }
    let no_form = kb(&fake, "add", json!([kind("faq")]), moderator()).await;
    assert!(no_form.contains("is added as TOML"), "{no_form}");
    assert!(
        !files(bot.knowledge()).contains_key("audit.jsonl"),
        "opening a form changes nothing"
    );
    let figure = modals[0].clone();
    assert_eq!(
        modal_input(&figure, "more")
            .lines()
            .take(6)
            .collect::<Vec<_>>(),
        [
            "value = ",
            "unit = count",
            "qualifier = exact",
            "display = ",
            "as_of = ",
            "as_of_basis = stated"
        ],
        "the required fields without an input of their own, to complete"
    );

    // The form opened on one bot is submitted to another: nothing of it
    // was kept but its custom id.
    bot.stop().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = files(bot.knowledge());
    let values = new_figure_form(&figure);
    let added = submit_form(
        &fake,
        figure["custom_id"].as_str().unwrap(),
        &as_refs(&values),
        moderator(),
    )
    .await;
    assert!(
        added.starts_with(
            "Done: #1 add figure `operations-postponed-latest-walkout-as-counted` \
             by user5001 (discord:5001)"
        ),
        "{added}"
    );
    assert!(added.contains("+ display = \"61,989\""), "{added}");
    let after = files(bot.knowledge());
    let figures = String::from_utf8(after["figures.toml"].clone()).unwrap();
    assert!(figures.contains(
        "id = \"operations-postponed-latest-walkout-as-counted\"\n\
         measure = \"operations postponed in the latest walkout, as counted by NHS England\"\n"
    ));
    assert!(
        figures.contains("value = 61989\n") && figures.contains("topics = [\"postponements\"]\n")
    );
    let log = audit(bot.knowledge());
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["op"], "add");
    assert_eq!(log[0]["actor"]["id"], "discord:5001");
    assert!(ask(&fake, POSTPONED)
        .await
        .contains("NHS England counted 61,989 postponed operations after the latest walkout."));

    let undone = kb(&fake, "undo", json!([]), moderator()).await;
    assert!(undone.starts_with("Done: #2 undo figure"), "{undone}");
    let restored = files(bot.knowledge());
    for (name, bytes) in &before {
        assert!(restored[name] == *bytes, "{name} is restored byte for byte");
    }

    // A source's form takes its article's text, saved beside the knowledge.
    let source = &modals[4];
    let more = modal_input(source, "more").replace(
        "date_basis = stated\n",
        "date_basis = inferred\ndate_note = the day it was sent to us\n",
    );
    let article = "Resident doctors met ministers again on Monday.\n\nThe talks will go on.";
    let added = submit_form(
        &fake,
        source["custom_id"].as_str().unwrap(),
        &[
            ("title", "Talks go on"),
            ("date", "2025-06-18"),
            ("article", article),
            ("more", &more),
        ],
        moderator(),
    )
    .await;
    assert!(
        added.starts_with("Done: #3 add source `talks-go`"),
        "{added}"
    );
    let saved = std::fs::read_to_string(bot.knowledge().join("sources/talks-go.txt")).unwrap();
    assert_eq!(saved, article);
    bot.stop().await;
}

#[tokio::test]
async fn an_invalid_form_gets_the_loaders_message_and_nothing_changes() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = files(bot.knowledge());
    let figure = opened_modal(&open_form(&fake, "figure", moderator()).await)
        .unwrap()
        .clone();
    let custom_id = figure["custom_id"].as_str().unwrap();

    let mut values = new_figure_form(&figure);
    values[3].1 = "NHS England said 62,000 operations were postponed.".into();
    let refusal = submit_form(&fake, custom_id, &as_refs(&values), moderator()).await;
    assert!(
        refusal.starts_with("Refused; nothing was changed.\n```\n"),
        "{refusal}"
    );
    assert!(
        refusal.contains("`evidence` is not found word for word in source `labour-talks-restart`"),
        "{refusal}"
    );

    // A required field left as the form opened it: the loader names it.
    let mut values = new_figure_form(&figure);
    values[4].1 = values[4].1.replace("display = 61,989\n", "display = \n");
    let refusal = submit_form(&fake, custom_id, &as_refs(&values), moderator()).await;
    assert!(
        refusal.starts_with("Refused; nothing was changed."),
        "{refusal}"
    );
    assert!(refusal.contains("missing field `display`"), "{refusal}");

    let mut values = new_figure_form(&figure);
    values[4].1.push_str("\nsixty thousand");
    let refusal = submit_form(&fake, custom_id, &as_refs(&values), moderator()).await;
    assert!(
        refusal.contains("`sixty thousand`, is not `key = value`"),
        "{refusal}"
    );

    let unknown = submit_form(&fake, "kb0:add:figure", &as_refs(&values), moderator()).await;
    assert!(
        unknown.starts_with("I don't recognise this form"),
        "{unknown}"
    );

    assert!(
        files(bot.knowledge()) == before,
        "files byte-identical, no audit"
    );
    assert!(ask(&fake, POSTPONED).await.contains("61,989"));
    bot.stop().await;
}

#[tokio::test]
async fn a_non_moderator_gets_no_form_and_their_submit_is_refused() {
    let fake = FakeDiscord::start().await;
    let mut config = fake.config();
    config.moderator_role = Some(poise::serenity_prelude::RoleId::new(MODERATOR_ROLE));
    let bot = RunningBot::start(&fake, config).await;
    let before = files(bot.knowledge());
    let member = member_with(BOB, &[], MEMBER_PERMISSIONS);

    let callback = open_form(&fake, "figure", member.clone()).await;
    assert!(opened_modal(&callback).is_none(), "no modal: {callback:?}");
    assert_eq!(callback.body["type"], 4);
    assert_eq!(callback.body["data"]["flags"], EPHEMERAL);
    assert_eq!(callback.body["data"]["allowed_mentions"], no_mentions());
    let refusal = callback.body["data"]["content"].as_str().unwrap();
    assert!(refusal.starts_with("Only moderators"), "{refusal}");

    // A form opened while they had the role, submitted after it was taken away.
    let with_role = member_with(BOB, &[MODERATOR_ROLE], MEMBER_PERMISSIONS);
    let figure = opened_modal(&open_form(&fake, "figure", with_role).await)
        .expect("the moderator role is enough for the form")
        .clone();
    let values = new_figure_form(&figure);
    let refusal = submit_form(
        &fake,
        figure["custom_id"].as_str().unwrap(),
        &as_refs(&values),
        member,
    )
    .await;
    assert!(refusal.starts_with("Only moderators"), "{refusal}");
    assert!(files(bot.knowledge()) == before, "nothing was written");
    bot.stop().await;
}

#[tokio::test]
async fn kb_unanswered_shows_the_declined_questions_and_ids_are_autocompleted() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    assert_eq!(
        kb(&fake, "unanswered", json!([]), moderator()).await,
        "No declined questions in the last 30 days."
    );
    ask(&fake, "what is the capital of France?").await;
    ask(&fake, "What is the capital of  France?").await;
    let shown = kb(&fake, "unanswered", json!([]), moderator()).await;
    assert!(
        shown.starts_with("2 question(s) declined since "),
        "{shown}"
    );
    assert!(
        shown.contains("\n2 × What is the capital of  France?   [capit franc]\n"),
        "{shown}"
    );

    let mut request = autocomplete(fake.id(), "kb", "id", "postponed-strike-2024", ALICE);
    request["data"]["options"] = json!([{"name": "edit", "type": 1, "options": [
        kind("figure"),
        {"name": "id", "type": 3, "value": "postponed-strike-2024", "focused": true}
    ]}]);
    let call = interact(&fake, request).await;
    assert_eq!(
        call.body["data"]["choices"],
        json!([
            {"name": "postponed-strike-2024-02", "value": "postponed-strike-2024-02"},
            {"name": "postponed-strike-2024-06", "value": "postponed-strike-2024-06"}
        ])
    );
    bot.stop().await;
}

/// One line of `audit.jsonl`.
fn audit(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A figure of the article `labour-talks-restart` with this id and keyword, on one line.
fn figure_numbered(id: &str, keyword: &str) -> String {
    NEW_FIGURE
        .replacen("{ ", &format!("{{ id = \"{id}\", "), 1)
        .replace(
            "keywords = [\"latest walkout\", \"walkout\", \"operations postponed\"]",
            &format!("keywords = [\"{keyword}\"]"),
        )
}

#[tokio::test]
async fn fifty_concurrent_edits_from_different_moderators_all_land() {
    const EDITS: u64 = 50;
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let moderators: Vec<u64> = (0..EDITS).map(|n| 7001 + n).collect();
    let figure_id = |m: u64| format!("concurrent-figure-{m}");
    let keyword = |m: u64| format!("walkout count {m}");

    // The folder's lock held as another editor (a `dispute-bot kb` process)
    // would hold it: no edit can land until it is released, yet each
    // moderator must see the deferral ("thinking...") within Discord's 3 s,
    // so the bot must defer before it waits for the lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(
            bot.knowledge()
                .join(dispute_bot::knowledge::store::LOCK_FILE),
        )
        .unwrap();
    fs4::FileExt::lock(&lock).unwrap();
    let started = Instant::now();
    let mut ids = Vec::new();
    for &m in &moderators {
        let toml = figure_numbered(&figure_id(m), &keyword(m));
        let interaction = kb_interaction(
            &fake,
            "add",
            json!([kind("figure"), string("toml", &toml)]),
            member_with(m, &[], ALL_PERMISSIONS),
        );
        ids.push(interaction["id"].as_str().unwrap().parse::<u64>().unwrap());
        fake.dispatch("INTERACTION_CREATE", interaction).await;
    }
    for &id in &ids {
        let path = callback_path(id);
        let callback = fake
            .wait_for(&format!("the callback of {id}"), |c| c.is("POST", &path))
            .await;
        assert_eq!(callback.body["type"], 5, "deferred");
    }
    let deferred = started.elapsed();
    assert!(
        !fake
            .calls()
            .iter()
            .any(|c| c.path.starts_with("/api/v10/webhooks/")),
        "no edit landed while the folder was locked"
    );
    assert!(audit(bot.knowledge()).is_empty(), "nothing written yet");
    fs4::FileExt::unlock(&lock).unwrap();
    drop(lock);
    // The edits are serialised, each validated by loading the whole folder,
    // so they land one after the other in no set order: wait for each next
    // one, each within the usual patience.
    let replies: std::collections::HashSet<String> = ids
        .iter()
        .map(|id| format!("/api/v10/webhooks/{APP_ID}/{}", token(*id)))
        .collect();
    let mut done = std::collections::HashSet::new();
    while done.len() < ids.len() {
        let reply = fake
            .wait_for(&format!("reply {} of 50 to /kb add", done.len() + 1), |c| {
                c.method == "POST" && replies.contains(&c.path) && !done.contains(&c.path)
            })
            .await;
        let text = reply.body["content"].as_str().unwrap();
        assert!(text.starts_with("Done: #"), "{text}");
        done.insert(reply.path);
    }
    let landed = started.elapsed();

    let changes = audit(bot.knowledge());
    assert_eq!(changes.len(), EDITS as usize, "one audit line per edit");
    let numbers: std::collections::BTreeSet<u64> = changes
        .iter()
        .map(|c| c["change"].as_u64().unwrap())
        .collect();
    assert_eq!(
        numbers,
        (1..=EDITS).collect(),
        "numbered 1 to 50, none twice"
    );
    let actors: std::collections::BTreeSet<String> = changes
        .iter()
        .map(|c| c["actor"]["id"].as_str().unwrap().to_string())
        .collect();
    let expected: std::collections::BTreeSet<String> =
        moderators.iter().map(|m| format!("discord:{m}")).collect();
    assert_eq!(actors, expected, "50 distinct moderators");
    for change in &changes {
        let m = change["actor"]["id"].as_str().unwrap()["discord:".len()..].to_string();
        assert_eq!(
            change["id"],
            json!(format!("concurrent-figure-{m}")),
            "{change}"
        );
    }

    let knowledge =
        dispute_bot::knowledge::Knowledge::load(bot.knowledge()).expect("the folder still loads");
    assert_eq!(
        knowledge.figures.len(),
        support::fake_discord::knowledge().figures.len() + EDITS as usize
    );
    for &m in &moderators {
        let figure = knowledge
            .figures
            .iter()
            .find(|f| f.id.as_str() == figure_id(m))
            .unwrap_or_else(|| panic!("figure {} is in figures.toml", figure_id(m)));
        assert_eq!(figure.keywords, [keyword(m)]);
    }
    bot.stop().await;
    println!("50 deferred (folder locked) in {deferred:?}, all landed in {landed:?}");
}

/// A new article, with non-ASCII text and a Windows line break, as a moderator might attach it.
const ARTICLE: &str = "BMA ballot: doctors back more strikes\r\n\nThe BMA said on Monday that 90% of members who voted backed more strikes \u{2014} a \u{201c}clear mandate\u{201d}, it said, after a \u{a3}1bn offer.\n";

/// A `/kb add` interaction by Alice with `file` attached as `article`.
fn add_with_article(fake: &FakeDiscord, toml: &str, file: &Value) -> Value {
    let mut interaction = kb_interaction(
        fake,
        "add",
        json!([
            kind("source"),
            string("toml", toml),
            {"name": "article", "type": 11, "value": file["id"]}
        ]),
        moderator(),
    );
    let id = file["id"].as_str().unwrap();
    interaction["data"]["resolved"] = json!({"attachments": {id: file}});
    interaction
}

#[tokio::test]
async fn a_source_is_added_with_its_attached_article_and_bad_attachments_are_refused() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let source = r#"{ title = "BMA ballot backs more strikes", publisher = "Test News", date = "2024-09", date_basis = "stated" }"#;

    // Not UTF-8, and not a .txt: refused before anything is written.
    let before = files(bot.knowledge());
    let latin1 = fake.attachment("ballot.txt", "text/plain", b"90% backed strikes \xa3\xff\n");
    let refusal = kb_reply(&fake, "add", add_with_article(&fake, source, &latin1)).await;
    assert!(
        refusal.contains("`ballot.txt` is not UTF-8 text"),
        "{refusal}"
    );
    let pdf = fake.attachment("ballot.pdf", "application/pdf", ARTICLE.as_bytes());
    let refusal = kb_reply(&fake, "add", add_with_article(&fake, source, &pdf)).await;
    assert!(
        refusal.contains("`ballot.pdf` is not a .txt file"),
        "{refusal}"
    );
    assert!(
        !fake.calls().iter().any(|c| c.path.ends_with("/ballot.pdf")),
        "a .pdf is not even downloaded"
    );
    assert!(files(bot.knowledge()) == before, "nothing was written");

    // A UTF-8 .txt: downloaded from its URL, saved byte for byte.
    let txt = fake.attachment(
        "ballot.txt",
        "text/plain; charset=utf-8",
        ARTICLE.as_bytes(),
    );
    let added = kb_reply(&fake, "add", add_with_article(&fake, source, &txt)).await;
    assert!(
        added.starts_with("Done: #1 add source `bma-ballot-backs-more-strikes`"),
        "{added}"
    );
    let saved = bot
        .knowledge()
        .join("sources/bma-ballot-backs-more-strikes.txt");
    assert!(
        std::fs::read(&saved).unwrap() == ARTICLE.as_bytes(),
        "the article is saved byte for byte"
    );

    // A figure citing the new source, its evidence checked against the saved text.
    let figure = r#"{ id = "ballot-backed-more-strikes", measure = "members who voted that backed more strikes", value = 90, unit = "percent", display = "90%", as_of = "2024-09", as_of_basis = "stated", topics = ["ballot"], keywords = ["ballot", "mandate"], summary = "The BMA said 90% of members who voted backed more strikes.", source = "bma-ballot-backs-more-strikes", evidence = "90% of members who voted backed more strikes \u2014 a \u201cclear mandate\u201d" }"#;
    let cited = kb(
        &fake,
        "add",
        json!([kind("figure"), string("toml", figure)]),
        moderator(),
    )
    .await;
    assert!(
        cited.starts_with("Done: #2 add figure `ballot-backed-more-strikes`"),
        "{cited}"
    );
    let knowledge =
        dispute_bot::knowledge::Knowledge::load(bot.knowledge()).expect("the folder still loads");
    let source = knowledge
        .sources
        .iter()
        .find(|s| s.id.as_str() == "bma-ballot-backs-more-strikes")
        .expect("the source is in sources.toml");
    assert_eq!(source.file, "sources/bma-ballot-backs-more-strikes.txt");
    assert!(knowledge
        .figures
        .iter()
        .any(|f| f.id.as_str() == "ballot-backed-more-strikes"));
    bot.stop().await;
}

/// A new source as a one-line TOML inline table, with `id` and `file` when given.
fn source_with(id: Option<&str>, file: Option<&str>) -> String {
    let mut fields = vec![
        r#"title = "A hostile source""#.to_string(),
        r#"date = "2024-09""#.to_string(),
        r#"date_basis = "stated""#.to_string(),
    ];
    for (key, value) in [("id", id), ("file", file)] {
        if let Some(value) = value {
            fields.push(format!("{key} = {}", toml::Value::String(value.into())));
        }
    }
    format!("{{ {} }}", fields.join(", "))
}

#[tokio::test]
async fn kb_add_refuses_hostile_ids_and_files_and_nothing_changes_beside_the_knowledge() {
    let sandbox = tempfile::tempdir().unwrap();
    std::fs::write(sandbox.path().join("victim.txt"), "the victim's own text").unwrap();
    std::fs::write(sandbox.path().join("secret.txt"), "DISCORD_TOKEN=abc123").unwrap();
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start_in(&fake, fake.config(), sandbox.path()).await;
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        sandbox.path().join("secret.txt"),
        bot.knowledge().join("sources/leak.txt"),
    )
    .unwrap();
    let before = snapshot(sandbox.path());

    // An id of `../` chains as deep as the store's temporary copy (in the
    // system's temporary folder, at <temp>/<copy>/sources/), aimed at victim.txt.
    let up = "../".repeat(std::env::temp_dir().components().count() + 1);
    let aimed = format!(
        "{up}{}",
        sandbox
            .path()
            .join("victim")
            .strip_prefix("/")
            .unwrap()
            .display()
    );
    let not_an_id = "is not lower-case words joined by hyphens";
    let ids = [
        ("../../victim".to_string(), not_an_id),
        (aimed, not_an_id),
        ("..\\..\\victim".into(), not_an_id),
        ("victim\0".into(), not_an_id),
        ("a".repeat(5_000), "longer than 100 characters"),
    ];
    for (id, says) in &ids {
        let article = fake.attachment("article.txt", "text/plain", b"an article");
        let reply = kb_reply(
            &fake,
            "add",
            add_with_article(&fake, &source_with(Some(id), None), &article),
        )
        .await;
        assert!(
            reply.starts_with("Refused; nothing was changed.") && reply.contains(says),
            "{reply}"
        );
    }
    let mut files = vec![
        ("/proc/self/environ".to_string(), "is an absolute path"),
        (
            "sources/../../victim.txt".into(),
            "goes up a folder with `..`",
        ),
        ("sources\\..\\..\\victim.txt".into(), "contains a backslash"),
        ("sources/article.txt\0".into(), "control character"),
        (
            format!("sources/{}.txt", "a".repeat(5_000)),
            "longer than 200 bytes",
        ),
    ];
    if cfg!(unix) {
        files.push((
            "sources/leak.txt".into(),
            "goes through the symbolic link `sources/leak.txt`",
        ));
    }
    for (file, says) in &files {
        let toml = source_with(Some("hostile"), Some(file));
        let reply = kb(
            &fake,
            "add",
            json!([kind("source"), string("toml", &toml)]),
            moderator(),
        )
        .await;
        assert!(
            reply.starts_with("Refused; nothing was changed.") && reply.contains(says),
            "{reply}"
        );
        assert!(!reply.contains("abc123"), "{reply}");
    }
    let big = fake.attachment("big.txt", "text/plain", &vec![b'a'; (1 << 20) + 1]);
    let reply = kb_reply(
        &fake,
        "add",
        add_with_article(&fake, &source_with(None, None), &big),
    )
    .await;
    assert!(reply.contains("must be at most 1048576 bytes"), "{reply}");

    assert_eq!(
        snapshot(sandbox.path()),
        before,
        "no file created or changed anywhere"
    );
    bot.stop().await;
}

/// How long a signalled bot may take to exit before the test fails: a guard
/// against a hang, far beyond the few seconds the bot allows itself.
const STOP_PATIENCE: Duration = Duration::from_secs(20);

/// `dispute-bot serve`, the built binary, running against a fake Discord.
struct BotProcess {
    child: std::process::Child,
    log: std::path::PathBuf,
    _files: tempfile::TempDir,
    _knowledge: tempfile::TempDir,
}

impl BotProcess {
    /// Starts `dispute-bot serve` against `fake`, with guild commands and
    /// its log (standard error) kept in a file.
    fn serve(fake: &FakeDiscord) -> BotProcess {
        BotProcess::serve_with(fake, "fake-token", &[])
    }

    /// [`BotProcess::serve`] with this token and these further arguments.
    fn serve_with(fake: &FakeDiscord, token: &str, args: &[&str]) -> BotProcess {
        let files = tempfile::tempdir().unwrap();
        let config = files.path().join("bot.toml");
        std::fs::write(&config, format!("guild_id = {GUILD_ID}\n")).unwrap();
        let log = files.path().join("bot.log");
        let knowledge = knowledge_copy();
        let child = fake
            .serve_command(knowledge.path(), &config, token)
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the binary starts");
        BotProcess {
            child,
            log,
            _files: files,
            _knowledge: knowledge,
        }
    }

    /// Sends the signal (`TERM`, `INT`) and asserts that the bot exits
    /// with success within [`STOP_PATIENCE`]; returns how long it took.
    async fn assert_stops_on(self, signal: &str) -> Duration {
        let BotProcess { mut child, log, .. } = self;
        let pid = child.id().to_string();
        let kill = |signal: &str| {
            std::process::Command::new("kill")
                .args([&format!("-{signal}"), pid.as_str()])
                .status()
                .expect("kill runs")
        };
        let sent = Instant::now();
        assert!(kill(signal).success(), "SIG{signal} sent");
        let exited = tokio::task::spawn_blocking(move || child.wait());
        let status = match tokio::time::timeout(STOP_PATIENCE, exited).await {
            Ok(status) => status.unwrap().unwrap(),
            Err(_) => {
                kill("KILL");
                panic!(
                    "still running {STOP_PATIENCE:?} after SIG{signal}; its log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        let took = sent.elapsed();
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            status.success(),
            "after SIG{signal}: {status}; its log:\n{text}"
        );
        assert!(text.contains("shutting down"), "its log:\n{text}");
        took
    }
}

/// Waits for the bot's commands to be registered, so it is connected.
async fn wait_connected(fake: &FakeDiscord) {
    fake.wait_for("command registration", |c| {
        c.method == "PUT" && c.path.ends_with("/commands")
    })
    .await;
}

#[tokio::test]
async fn sigterm_stops_the_connected_bot() {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::serve(&fake);
    wait_connected(&fake).await;
    let took = bot.assert_stops_on("TERM").await;
    println!("stopped {took:?} after SIGTERM");
}

#[tokio::test]
async fn ctrl_c_stops_the_connected_bot() {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::serve(&fake);
    wait_connected(&fake).await;
    let took = bot.assert_stops_on("INT").await;
    println!("stopped {took:?} after SIGINT");
}

#[tokio::test]
async fn sigterm_stops_the_bot_while_the_gateway_refuses_connections() {
    let fake = FakeDiscord::start_with(Gateway::Closed).await;
    let bot = BotProcess::serve(&fake);
    // Asked where the gateway is: connecting from now on, and failing.
    fake.wait_for("the gateway's address asked for", |c| {
        c.is("GET", "/api/v10/gateway/bot")
    })
    .await;
    let took = bot.assert_stops_on("TERM").await;
    println!("stopped {took:?} after SIGTERM");
}

#[tokio::test]
async fn sigterm_stops_the_bot_while_it_retries_the_gateway() {
    let fake = FakeDiscord::start_with(Gateway::HangsUp).await;
    let bot = BotProcess::serve(&fake);
    // A second attempt: serenity is in its retry loop.
    fake.wait_gateway(GatewayRecord::Connected, 2).await;
    let took = bot.assert_stops_on("TERM").await;
    println!("stopped {took:?} after SIGTERM");
}

/// A `/kb sub` interaction by a moderator with `file` attached as option `name`, and more options.
fn kb_with_file(
    fake: &FakeDiscord,
    sub: &str,
    name: &str,
    file: &Value,
    mut options: Vec<Value>,
) -> Value {
    options.insert(0, json!({"name": name, "type": 11, "value": file["id"]}));
    let mut interaction = kb_interaction(fake, sub, Value::Array(options), moderator());
    let id = file["id"].as_str().unwrap();
    interaction["data"]["resolved"] = json!({"attachments": {id: file}});
    interaction
}

#[tokio::test]
async fn kb_draft_returns_a_draft_file_that_kb_apply_adds_as_one_undoable_change() {
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake, fake.config()).await;
    let before = files(bot.knowledge());
    let article = fake.attachment("ballot.txt", "text/plain", ARTICLE.as_bytes());
    let interaction = kb_with_file(
        &fake,
        "draft",
        "article",
        &article,
        vec![string("date", "2024-09-16")],
    );
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    let reply = kb_reply(&fake, "draft", interaction).await;
    assert!(
        reply.starts_with("Drafted `article-16-september-2024.draft.toml`: "),
        "{reply}"
    );
    assert!(reply.contains("2 figures (2 to check)"), "{reply}");
    assert!(reply.contains("1 quotes (1 to check)"), "{reply}");
    assert!(reply.contains("It loads as it is."), "{reply}");
    let path = format!("/api/v10/webhooks/{APP_ID}/{}", token(id));
    let call = fake
        .calls()
        .into_iter()
        .find(|c| c.is("POST", &path))
        .expect("the reply");
    let draft = call.body["files"][0]["text"]
        .as_str()
        .expect("the draft is attached")
        .to_string();
    assert_eq!(
        call.body["files"][0]["filename"],
        "article-16-september-2024.draft.toml"
    );
    assert!(
        draft.contains("[draft]") && draft.contains("display = \"90%\""),
        "{draft}"
    );
    assert!(files(bot.knowledge()) == before, "a draft changes nothing");

    let file = fake.attachment(
        "article-16-september-2024.draft.toml",
        "application/toml",
        draft.as_bytes(),
    );
    let applied = kb_reply(
        &fake,
        "apply",
        kb_with_file(&fake, "apply", "draft", &file, vec![]),
    )
    .await;
    assert!(applied.starts_with("Done: "), "{applied}");
    assert!(
        applied.contains("entries added as one change. The next question uses it"),
        "{applied}"
    );
    let knowledge = dispute_bot::knowledge::Knowledge::load(bot.knowledge()).unwrap();
    assert!(knowledge
        .figures
        .iter()
        .any(|f| f.display == "90%" && f.source.as_str() == "article-16-september-2024"));

    let undone = kb(&fake, "undo", json!([]), moderator()).await;
    assert!(undone.contains("entries undone as one change"), "{undone}");
    let knowledge = dispute_bot::knowledge::Knowledge::load(bot.knowledge()).unwrap();
    assert_eq!(knowledge.sources.len(), 5);
    bot.stop().await;
}
