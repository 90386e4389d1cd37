//! Shared by the benchmarks: the question mix, the knowledge generator and
//! small measuring helpers.

#![allow(dead_code)]

pub mod generate;

use std::time::Duration;

/// A fixed mix of questions of every kind, answered and declined, with the
/// typos, emoji and mentions people type.
pub const QUESTIONS: &[&str] = &[
    // figures
    "how many appointments were postponed in the three-day strike?",
    "yo how much have the strikes cost the nhs",
    "what percentage voted to keep striking in the latest ballot?",
    "how many apointments have been postponed since december 2022?",
    // dates and events
    "when did the june strike start and how long was it",
    "what date did junior doctors enter mediated talks with the government?",
    "what led to the 12th stirke",
    // people and roles
    "who is sir stephen powis",
    "health sec during the 3 day strike?",
    "who were the co-chairs of the junior doctors committee when the twelfth strike ended",
    // quotes and speakers
    "who said 'any trade union worth their salt'?",
    "what did streting do on his first day as health secretary",
    "what did trivedi say on bbc radio 4's today programme",
    // demands, causes, comparisons, timelines
    "What pay rise are junior doctors demanding?",
    "Which caused more postponements: the February 24-28 strike or the one that began on June 27?",
    "what happened in july 2024",
    "@bot list the junior doctors strikes mentioned in order pls",
    "ok so what actually happened after labour won the election?",
    // declined: not in the knowledge, off topic, empty
    "what's the basic starting salary for a first-year junior doctor?",
    "when's the next junior doctors strike going to be?",
    "tell me a fun fact about octopuses 🐙",
    "whats the capital of australia",
    "how do i make a proper carbonara without cream",
    "🐙🐙",
];

/// The median, 99th percentile and maximum of some timings.
pub fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99), *samples.last().expect("samples"))
}

/// A field of /proc/self/status in kilobytes (`VmRSS`, `VmHWM`), where the system has one.
pub fn status_kb(field: &str) -> Option<u64> {
    process_status_kb("self", field)
}

/// A field of /proc/<process>/status in kilobytes, `process` a pid or `self`.
pub fn process_status_kb(process: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
