//! dispute-bot answers questions about the resident (junior) doctors' pay dispute
//! in England from a cited knowledge base.
//!
//! - [`knowledge`]: the TOML knowledge base, its loader and validation.
//! - [`engine`]: questions in, cited answers out; knows nothing of Discord.
//! - [`render`]: answers as plain text, Markdown and JSON.

pub mod cli;
pub mod discord;
pub mod engine;
pub mod knowledge;
pub mod render;
