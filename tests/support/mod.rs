//! Shared helpers of the integration tests.
//!
//! - [`fake_discord`]: a Discord on 127.0.0.1 (REST and gateway) that records
//!   every call the bot makes, and the bot running against it.
//! - [`folders`]: snapshots of a folder, to compare before and after a change.

#![allow(dead_code)]

pub mod fake_discord;
pub mod folders;
