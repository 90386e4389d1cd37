//! Any text as a question, on its own and as a follow-up: the engine must not
//! panic, and must decline or cite passages of its sources.
#![no_main]

use dispute_bot::engine::{Conversation, Engine};
use dispute_bot::knowledge::{fold_for_match, Knowledge};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge");
        Engine::new(Knowledge::load(&dir).expect("the shipped knowledge loads"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(question) = std::str::from_utf8(data) else {
        return;
    };
    let engine = engine();
    let first = engine.answer(question);
    let mut conversation = Conversation::default();
    conversation
        .remember(&engine.answer("how many appointments were postponed in the three-day strike"));
    let follow_up = engine.answer_in(question, &conversation);
    for answer in [first, follow_up] {
        assert_eq!(answer.is_answered(), answer.decline_reason().is_none());
        assert!(answer.is_answered() || answer.citations().is_empty());
        for c in answer.citations() {
            let source = engine
                .knowledge()
                .sources
                .iter()
                .find(|s| s.id.as_str() == c.source)
                .expect("a cited source exists");
            assert!(fold_for_match(&source.text).contains(&fold_for_match(&c.quote)));
        }
    }
});
