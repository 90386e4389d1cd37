//! The command line: `check`, `ask`, `chat`, `timeline`, `kb` (editing) and `serve` for Discord.

use crate::engine::intents::IntentTable;
use crate::engine::{Conversation, Engine, TimelineFilter};
use crate::knowledge::draft::{draft, read_draft, DraftOptions};
use crate::knowledge::{
    Actor, Change, EditError, FuzzyDate, Kind, Knowledge, KnowledgeStore, UnansweredLog,
};
use crate::render;
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Answers questions about the resident doctors' pay dispute, with sources.
#[derive(Debug, Parser)]
#[command(name = "dispute-bot", version, about)]
pub struct Cli {
    /// The knowledge folder.
    #[arg(long, global = true, env = "DISPUTE_BOT_KNOWLEDGE", hide_env_values = true, default_value_os_t = default_knowledge())]
    pub knowledge: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the knowledge folder and print what it holds.
    Check {
        /// Also check a draft (from `kb draft`) against the knowledge, as applying it would.
        #[arg(long, value_name = "FILE")]
        draft: Option<PathBuf>,
    },
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
    /// Run the Discord bot (needs the token: DISCORD_TOKEN_FILE, or DISCORD_TOKEN).
    Serve(crate::discord::ServeArgs),
    /// Edit the knowledge: add, edit, remove, show, history, undo, unanswered.
    Kb {
        /// What to do.
        #[command(subcommand)]
        command: KbCommand,
    },
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
        Command::Check { draft } => match Knowledge::load(&cli.knowledge) {
            Ok(k) => {
                // The loader checks each pattern alone; the engine compiles them
                // together, where a size limit can still leave an intent out.
                let intents = IntentTable::compile(&k.intents);
                if !intents.problems().is_empty() {
                    for problem in intents.problems() {
                        eprintln!("{}: error: {problem}", cli.knowledge.display());
                    }
                    std::process::exit(1);
                }
                println!("knowledge in {}: OK", cli.knowledge.display());
                println!("{}", k.stats());
                if let Some(file) = draft {
                    let batch = read_draft(&read_text(Some(&file))?)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                    match KnowledgeStore::open(&cli.knowledge).check_batch(&batch) {
                        Ok(n) => {
                            println!("draft {}: OK, {n} entries would be added", file.display())
                        }
                        Err(e) => {
                            eprintln!("draft {}: {e}", file.display());
                            std::process::exit(1);
                        }
                    }
                }
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
                // One answer per input line, in order; bytes that are not UTF-8
                // are replaced rather than ending the run.
                for line in std::io::stdin().lock().split(b'\n') {
                    let line = line?;
                    let line = String::from_utf8_lossy(&line);
                    print(line.trim_end_matches('\r'), &mut out)?;
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
                states: false,
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
        Command::Kb { command } => kb(&cli.knowledge, command),
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

/// `dispute-bot kb ...`: edit the knowledge as moderators do, validated, saved safely and audited.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Add an entry written as TOML (its `key = value` lines, with or without `[[kind]]`).
    Add {
        /// source, event, figure, quote, person or intent (faq).
        kind: Kind,
        /// The entry's TOML; standard input when absent.
        #[arg(long)]
        file: Option<PathBuf>,
        /// For a source: the article's text, saved as sources/<id>.txt.
        #[arg(long)]
        article: Option<PathBuf>,
        #[command(flatten)]
        actor: ActorArgs,
    },
    /// Set or remove fields of an entry, or replace it whole with --file.
    Edit {
        /// The kind of entry.
        kind: Kind,
        /// The entry's id.
        id: String,
        /// FIELD=VALUE; VALUE is TOML when it reads as such (42, true, ["a", "b"]), else text.
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
        /// Remove this field.
        #[arg(long = "unset", value_name = "FIELD")]
        unset: Vec<String>,
        /// Replace the whole entry with this TOML.
        #[arg(long, conflicts_with_all = ["set", "unset"])]
        file: Option<PathBuf>,
        #[command(flatten)]
        actor: ActorArgs,
    },
    /// Remove an entry.
    Remove {
        /// The kind of entry.
        kind: Kind,
        /// The entry's id.
        id: String,
        #[command(flatten)]
        actor: ActorArgs,
    },
    /// Print an entry as it is stored.
    Show {
        /// The kind of entry.
        kind: Kind,
        /// The entry's id.
        id: String,
    },
    /// List recent changes, newest first.
    History {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Also print each change's diff.
        #[arg(long)]
        diff: bool,
    },
    /// Undo the last change, or the change numbered CHANGE.
    Undo {
        /// The change's number, as in `kb history`.
        change: Option<u64>,
        #[command(flatten)]
        actor: ActorArgs,
    },
    /// Draft the entries of a new article for review, or apply a reviewed draft with --apply.
    Draft {
        /// The article's text (UTF-8).
        #[arg(required_unless_present = "apply")]
        article: Option<PathBuf>,
        /// The article's date: 2025-06-18, or 2025-06 or 2025 when that is all that is known.
        #[arg(long, required_unless_present = "apply")]
        date: Option<FuzzyDate>,
        /// Its headline (else a title is made from its first sentence).
        #[arg(long)]
        title: Option<String>,
        /// Its publisher (else PA Media when a picture credit shows it).
        #[arg(long)]
        publisher: Option<String>,
        /// Where it was published.
        #[arg(long)]
        url: Option<String>,
        /// Write the draft to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Apply a reviewed draft: add its entries as one change (undone by `kb undo`).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["article", "date", "title", "publisher", "url", "out"])]
        apply: Option<PathBuf>,
        #[command(flatten)]
        actor: ActorArgs,
    },
    /// Questions the bot declined recently: how many, and the most asked.
    Unanswered {
        /// How many examples.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

/// Who is making a change, for the audit log.
#[derive(Debug, clap::Args)]
pub struct ActorArgs {
    /// Your name, recorded in the audit log as `cli:NAME`.
    #[arg(long, env = "DISPUTE_BOT_ACTOR")]
    actor: Option<String>,
}

impl ActorArgs {
    fn actor(&self) -> Actor {
        let name = self
            .actor
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "maintainer".into());
        Actor::new(format!("cli:{name}"), name)
    }
}

fn read_text(file: Option<&std::path::Path>) -> anyhow::Result<String> {
    use anyhow::Context;
    match file {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        }
        None => Ok(std::io::read_to_string(std::io::stdin())?),
    }
}

fn print_change(change: &Change) {
    println!("{change}");
    print!("{}", change.diff());
}

fn kb(knowledge: &std::path::Path, command: KbCommand) -> anyhow::Result<()> {
    let store = KnowledgeStore::open(knowledge);
    let change = match command {
        KbCommand::Add {
            kind,
            file,
            article,
            actor,
        } => {
            let entry = read_text(file.as_deref())?;
            let article = article.map(|a| read_text(Some(&a))).transpose()?;
            store.add(&actor.actor(), kind, &entry, article.as_deref())?
        }
        KbCommand::Edit {
            kind,
            id,
            set,
            unset,
            file: Some(file),
            actor,
        } if set.is_empty() && unset.is_empty() => {
            store.replace(&actor.actor(), kind, &id, &read_text(Some(&file))?)?
        }
        KbCommand::Edit {
            kind,
            id,
            set,
            unset,
            actor,
            ..
        } => {
            let mut fields = Vec::new();
            for s in &set {
                let (field, value) = s
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("`--set {s}`: write FIELD=VALUE"))?;
                fields.push((field.trim(), Some(value)));
            }
            fields.extend(unset.iter().map(|f| (f.as_str(), None)));
            if fields.is_empty() {
                anyhow::bail!("nothing to change: give --set FIELD=VALUE, --unset FIELD or --file");
            }
            store.edit(&actor.actor(), kind, &id, &fields)?
        }
        KbCommand::Remove { kind, id, actor } => store.remove(&actor.actor(), kind, &id)?,
        KbCommand::Show { kind, id } => {
            print!("{}", store.show(kind, &id)?);
            return Ok(());
        }
        KbCommand::History { limit, diff } => {
            let history = store.history(limit)?;
            if history.is_empty() {
                println!("No changes yet.");
            }
            for change in history {
                println!("{change}");
                if diff {
                    print!("{}", change.diff());
                }
            }
            return Ok(());
        }
        KbCommand::Undo { change, actor } => {
            for change in store.undo_all(&actor.actor(), change)? {
                print_change(&change);
            }
            return Ok(());
        }
        KbCommand::Draft {
            apply: Some(file),
            actor,
            ..
        } => {
            let batch = read_draft(&read_text(Some(&file))?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let changes = store.add_batch(&actor.actor(), &batch)?;
            for change in &changes {
                println!("{change}");
            }
            println!(
                "{} entries added as one change; `kb undo` removes them all",
                changes.len()
            );
            return Ok(());
        }
        KbCommand::Draft {
            article,
            date,
            title,
            publisher,
            url,
            out,
            ..
        } => {
            let (Some(article), Some(date)) = (article, date) else {
                anyhow::bail!("give the article's text file and --date, or --apply FILE");
            };
            let text = read_text(Some(&article))?;
            let known = load(knowledge)?;
            let name = title.clone().unwrap_or_else(|| format!("article {date}"));
            let mut options = DraftOptions::new(&store.propose_id(Kind::Source, &name)?, date);
            options.title = title;
            options.publisher = publisher;
            options.url = url;
            let drafted = draft(&text, &options, &known);
            let toml = drafted.to_toml();
            match &out {
                Some(path) => std::fs::write(path, &toml)?,
                None => print!("{toml}"),
            }
            for (kind, n, doubtful) in drafted.counts() {
                eprintln!("{n:>3} {kind} ({doubtful} to check)");
            }
            let checked = read_draft(&toml)
                .map_err(EditError::Rejected)
                .and_then(|batch| store.check_batch(&batch));
            match checked {
                Ok(n) => eprintln!("the draft loads: {n} entries would be added; review it, then `kb draft --apply FILE`"),
                Err(e) => eprintln!("the draft does not load yet; fix it before applying: {e}"),
            }
            return Ok(());
        }
        KbCommand::Unanswered { limit } => {
            let log = UnansweredLog::new(knowledge);
            let summary =
                log.summary_by(chrono::Utc::now(), limit, crate::discord::kb::question_key)?;
            match summary.since {
                None => println!("No declined questions kept."),
                Some(since) => println!(
                    "{} declined question(s) since {}:",
                    summary.count,
                    since.format("%Y-%m-%d")
                ),
            }
            for (question, times) in summary.examples {
                println!("{times:>4} × {question}");
            }
            return Ok(());
        }
    };
    print_change(&change);
    Ok(())
}
