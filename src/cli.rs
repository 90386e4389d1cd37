//! The command line: `check`, `ask`, `chat`, `timeline` (and `serve` for Discord).

use crate::engine::{Conversation, Engine, TimelineFilter};
use crate::knowledge::{FuzzyDate, Knowledge};
use crate::render;
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Answers questions about the resident doctors' pay dispute, with sources.
#[derive(Debug, Parser)]
#[command(name = "dispute-bot", version, about)]
pub struct Cli {
    /// The knowledge folder.
    #[arg(long, global = true, env = "DISPUTE_BOT_KNOWLEDGE", default_value_os_t = default_knowledge())]
    pub knowledge: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the knowledge folder and print what it holds.
    Check,
    /// Answer a question (or one question per line of standard input).
    Ask {
        /// The question; without it, questions are read from standard input.
        question: Vec<String>,
        /// Print one JSON object per answer.
        #[arg(long)]
        json: bool,
    },
    /// Ask questions interactively, with follow-ups ("who said that?").
    Chat,
    /// List events in date order.
    Timeline {
        /// From this date (2024, 2024-07 or 2024-07-23).
        #[arg(long)]
        from: Option<FuzzyDate>,
        /// Up to this date.
        #[arg(long)]
        to: Option<FuzzyDate>,
        /// Only events whose kind, topics or title contain this word.
        #[arg(long)]
        topic: Option<String>,
    },
    /// Run the Discord bot (needs DISCORD_TOKEN).
    Serve(crate::discord::ServeArgs),
}

/// The `knowledge/` folder of the project the binary was built from.
pub fn default_knowledge() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

fn load(dir: &std::path::Path) -> anyhow::Result<Knowledge> {
    Knowledge::load(dir).map_err(|errors| anyhow::anyhow!("{errors}"))
}

/// Runs one command line; the exit code is non-zero on any error.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Check => match Knowledge::load(&cli.knowledge) {
            Ok(k) => {
                println!("knowledge in {}: OK", cli.knowledge.display());
                println!("{}", k.stats());
                Ok(())
            }
            Err(errors) => {
                eprint!("{errors}");
                std::process::exit(1);
            }
        },
        Command::Ask { question, json } => {
            let engine = Engine::new(load(&cli.knowledge)?);
            let print = |q: &str, out: &mut dyn Write| -> std::io::Result<()> {
                let answer = engine.answer(q);
                if json {
                    writeln!(out, "{}", render::to_json(&answer))
                } else {
                    writeln!(out, "{}\n", render::to_text(&answer))
                }
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            if question.is_empty() {
                for line in std::io::stdin().lock().lines() {
                    print(&line?, &mut out)?;
                }
            } else {
                print(&question.join(" "), &mut out)?;
            }
            Ok(())
        }
        Command::Chat => chat(Engine::new(load(&cli.knowledge)?)),
        Command::Timeline { from, to, topic } => {
            let engine = Engine::new(load(&cli.knowledge)?);
            let filter = TimelineFilter {
                from: from.map(|d| d.first_day()),
                to: to.map(|d| d.last_day()),
                months: Vec::new(),
                topic,
            };
            let events = engine.timeline(&filter);
            if events.is_empty() {
                println!("No events match.");
            }
            for e in events {
                let source = engine
                    .knowledge()
                    .source(&e.source)
                    .map_or("", |s| s.title.as_str());
                println!("{}  {}  [{}]", e.date, e.title, source);
            }
            Ok(())
        }
        Command::Serve(args) => crate::discord::serve(args, cli.knowledge),
    }
}

fn chat(engine: Engine) -> anyhow::Result<()> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let mut conversation = Conversation::default();
    println!("Ask about the resident doctors' pay dispute. Follow-ups work (\"who said that?\"). Ctrl-D to quit.");
    loop {
        match editor.readline("> ") {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                let answer = engine.answer_in(&line, &conversation);
                println!("{}\n", render::to_text(&answer));
                conversation.remember(&answer);
            }
            Err(
                rustyline::error::ReadlineError::Interrupted | rustyline::error::ReadlineError::Eof,
            ) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}
