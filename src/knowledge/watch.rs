//! Hot reload: the value built from the knowledge folder (the engine), swapped
//! whole when the files change and still valid.
//!
//! A reload that fails validation keeps the last good value, logs the errors
//! and hands them to the caller's callback, so a front end can tell the
//! moderators. A question keeps the value it started with.
//!
//! ```no_run
//! use dispute_bot::{engine::Engine, knowledge::Live};
//! use std::sync::Arc;
//! let live = Arc::new(Live::load("knowledge".as_ref(), Engine::new).unwrap());
//! let _watcher = live.watch(|outcome| {
//!     if let Err(errors) = outcome { eprintln!("{errors}") }
//! }).unwrap();
//! let answer = live.current().answer("how many strikes?");
//! ```

use super::{Knowledge, LoadErrors, Stats};
use arc_swap::ArcSwap;
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the folder must be quiet before a change is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What a reload gave: the new counts, or every error (the old value stays).
pub type Reload = Result<Stats, LoadErrors>;

/// A value built from a knowledge folder (usually the [`Engine`](crate::engine::Engine)),
/// replaced atomically on reload.
pub struct Live<T> {
    root: PathBuf,
    current: ArcSwap<T>,
    build: Box<dyn Fn(Knowledge) -> T + Send + Sync>,
    reloading: Mutex<()>,
}

impl<T> std::fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl<T: Send + Sync + 'static> Live<T> {
    /// Loads the folder and builds the first value; fails with every error.
    pub fn load(
        root: &Path,
        build: impl Fn(Knowledge) -> T + Send + Sync + 'static,
    ) -> Result<Live<T>, LoadErrors> {
        let knowledge = Knowledge::load(root)?;
        Ok(Live {
            root: root.to_path_buf(),
            current: ArcSwap::from_pointee(build(knowledge)),
            build: Box::new(build),
            reloading: Mutex::new(()),
        })
    }

    /// The knowledge folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The value now.
    pub fn current(&self) -> Arc<T> {
        self.current.load_full()
    }

    /// Loads the folder again: on success the new value replaces the old one,
    /// on failure the old one stays and the errors are logged and returned.
    pub fn reload(&self) -> Reload {
        // One reload at a time, so an older load never replaces a newer one.
        let _guard = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        match Knowledge::load(&self.root) {
            Ok(knowledge) => {
                let stats = knowledge.stats();
                self.current.store(Arc::new((self.build)(knowledge)));
                tracing::info!("knowledge reloaded from {}", self.root.display());
                Ok(stats)
            }
            Err(errors) => {
                tracing::warn!(
                    "knowledge in {} not reloaded, keeping the last good one: {errors}",
                    self.root.display()
                );
                Err(errors)
            }
        }
    }

    /// Reloads whenever a knowledge file (`*.toml`, an article's `*.txt`)
    /// changes, and passes each outcome to `on_reload`. Watching stops when
    /// the returned [`Watcher`] is dropped.
    pub fn watch(
        self: &Arc<Self>,
        on_reload: impl Fn(Reload) + Send + 'static,
    ) -> notify_debouncer_mini::notify::Result<Watcher> {
        let live = Arc::clone(self);
        let mut debouncer =
            new_debouncer(DEBOUNCE, move |events: DebounceEventResult| match events {
                Ok(events) if events.iter().any(|e| is_knowledge_file(&e.path)) => {
                    on_reload(live.reload())
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("watching the knowledge folder: {e}"),
            })?;
        debouncer
            .watcher()
            .watch(&self.root, RecursiveMode::Recursive)?;
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

/// Watches a knowledge folder while it lives.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

/// Whether a change to this path may change the knowledge: TOML files and
/// article texts, not the logs, the lock or temporary files.
fn is_knowledge_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    !name.starts_with('.')
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "txt")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_changes_reload() {
        for (path, reloads) in [
            ("k/figures.toml", true),
            ("k/sources/a.txt", true),
            ("k/audit.jsonl", false),
            ("k/unanswered.jsonl", false),
            ("k/.kb.lock", false),
            ("k/.kb-abc.tmp", false),
            ("k/README.md", false),
        ] {
            assert_eq!(is_knowledge_file(Path::new(path)), reloads, "{path}");
        }
    }
}
