//! Arbitrary bytes as the text of each knowledge file: parsing must return
//! entries or errors, never panic.
#![no_main]

use dispute_bot::knowledge::{parse_entries, Event, Figure, IntentSpec, Person, Quote, Source};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz.toml");
    let mut errors = Vec::new();
    parse_entries::<Source>(path, &text, "source", &mut errors);
    parse_entries::<Person>(path, &text, "person", &mut errors);
    parse_entries::<Event>(path, &text, "event", &mut errors);
    parse_entries::<Figure>(path, &text, "figure", &mut errors);
    parse_entries::<Quote>(path, &text, "quote", &mut errors);
    parse_entries::<IntentSpec>(path, &text, "intent", &mut errors);
    for e in &errors {
        let _ = e.to_string();
    }
});
