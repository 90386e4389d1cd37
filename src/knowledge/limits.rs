//! How much one entry may hold, so that no one editing the knowledge (a
//! moderator through `/kb` as much as a hand edit) can make the bot use
//! unbounded memory or time. Intent patterns have limits of their own
//! ([`MAX_PATTERN_LEN`](super::MAX_PATTERN_LEN), [`PATTERN_SIZE_LIMIT`](super::PATTERN_SIZE_LIMIT));
//! paths and ids follow [`paths`](super::paths).
//!
//! ```
//! use dispute_bot::knowledge::limits::{oversized, MAX_TEXT_CHARS};
//! let entry: toml::Table = toml::from_str(&format!("summary = \"{}\"", "a".repeat(MAX_TEXT_CHARS + 1))).unwrap();
//! assert_eq!(oversized(&entry).len(), 1);
//! ```

/// The longest text of any field, in characters (a Discord message holds 2,000).
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The most items of any list (`keywords`, `patterns`, `also`, ...).
pub const MAX_LIST_ITEMS: usize = 50;
/// The largest entry one change may give, as TOML text, in bytes.
pub const MAX_ENTRY_BYTES: usize = 64 * 1024;
/// The largest article text a change may add, in bytes.
pub const MAX_ARTICLE_BYTES: usize = 1 << 20;

/// The fields of an entry that are over a limit, each with what is wrong and the fix.
pub fn oversized(entry: &toml::Table) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (key, value) in entry {
        walk(key, value, &mut found);
    }
    found
}

fn walk(field: &str, value: &toml::Value, found: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(text) => {
            let count = text.chars().count();
            if count > MAX_TEXT_CHARS {
                found.push((
                    format!("`{field}` is {count} characters long, more than {MAX_TEXT_CHARS}"),
                    "shorten it; quote only the passage that supports the fact".into(),
                ));
            }
        }
        toml::Value::Array(items) => {
            if items.len() > MAX_LIST_ITEMS {
                found.push((
                    format!(
                        "`{field}` has {} items, more than {MAX_LIST_ITEMS}",
                        items.len()
                    ),
                    "keep the few that matter".into(),
                ));
            }
            for item in items {
                walk(field, item, found);
            }
        }
        toml::Value::Table(table) => {
            for (key, value) in table {
                walk(&format!("{field}.{key}"), value, found);
            }
        }
        _ => {}
    }
}
