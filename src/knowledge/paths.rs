//! The one rule for paths that come from knowledge data: a source's `file`,
//! and an id used in a file name (`sources/<id>.txt`).
//!
//! Such a path is relative, has no `..`, no absolute or drive prefix, no
//! backslash, no NUL or other control character, stays inside the knowledge
//! folder's `sources/` once `.` and repeated `/` are dropped, and does not go
//! through a symbolic link that points outside `sources/`. The loader applies
//! it to every source (hand edits and `/kb` alike) and [`KnowledgeStore`]
//! applies it before it writes a byte, so moderators, who may change what the
//! bot knows, cannot make it read or write anything else on the host.
//!
//! ```
//! use dispute_bot::knowledge::paths::check_file;
//! assert_eq!(check_file("sources/./ballot.txt").unwrap(), "sources/ballot.txt");
//! assert!(check_file("/proc/self/environ").is_err());
//! assert!(check_file("sources/../../.env").is_err());
//! ```
//!
//! [`KnowledgeStore`]: super::KnowledgeStore

use std::path::{Path, PathBuf};

/// The folder, inside the knowledge folder, that holds the articles' texts.
pub const SOURCES_DIR: &str = "sources";
/// The longest id, in characters (ids become file names).
pub const MAX_ID_LEN: usize = 100;
/// The longest `file` of a source, in bytes.
pub const MAX_FILE_LEN: usize = 200;

/// A path or id that breaks the rule: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The rule broken, naming the value.
    pub message: String,
    /// What to write instead.
    pub fix: String,
}

impl Refused {
    fn new(message: String, fix: &str) -> Refused {
        Refused {
            message,
            fix: fix.to_string(),
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (fix: {})", self.message, self.fix)
    }
}

/// A value as an error message may show it: control characters escaped,
/// cut after 60 characters, so a hostile value cannot flood a reply.
pub fn shown(value: &str) -> String {
    const SHOWN: usize = 60;
    let count = value.chars().count();
    let head: String = value.chars().take(SHOWN).collect();
    let mut out = head.escape_debug().to_string();
    if count > SHOWN {
        out.push_str(&format!("... ({count} characters)"));
    }
    out
}

/// Checks an id: 1 to [`MAX_ID_LEN`] characters of `a-z`, `0-9` and `-`.
/// Every id is checked by the loader, and before it is used in a file name.
pub fn check_id(id: &str) -> Result<(), Refused> {
    const FIX: &str = "use only a-z, 0-9 and '-', e.g. `strike-2024-06`";
    if id.is_empty() {
        return Err(Refused::new("the id is empty".into(), FIX));
    }
    let well_formed = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return Err(Refused::new(
            format!(
                "the id `{}` is not lower-case words joined by hyphens",
                shown(id)
            ),
            FIX,
        ));
    }
    if id.len() > MAX_ID_LEN {
        return Err(Refused::new(
            format!(
                "the id `{}` is longer than {MAX_ID_LEN} characters",
                shown(id)
            ),
            "shorten it to a few words, e.g. `strike-2024-06`",
        ));
    }
    Ok(())
}

/// Checks a source's `file` by its text alone; returns it normalised
/// (`sources/./a.txt` is `sources/a.txt`). See the module doc for the rule.
pub fn check_file(file: &str) -> Result<String, Refused> {
    const FIX: &str = "write the article's path inside the knowledge folder's `sources/`, \
                       with `/` between folders, e.g. `sources/ballot-2024.txt`";
    let refuse = |why: &str| {
        Err(Refused::new(
            format!("`file = \"{}\"` {why}", shown(file)),
            FIX,
        ))
    };
    if file.trim().is_empty() {
        return Err(Refused::new("`file` is empty".into(), FIX));
    }
    if file.len() > MAX_FILE_LEN {
        return refuse(&format!("is longer than {MAX_FILE_LEN} bytes"));
    }
    if file.chars().any(char::is_control) {
        return refuse("contains a control character (such as NUL or a line break)");
    }
    if file.contains('\\') {
        return refuse("contains a backslash");
    }
    if file.contains(':') {
        return refuse("contains `:`, as a drive prefix does");
    }
    if file.starts_with('/') {
        return refuse("is an absolute path; it must be relative to the knowledge folder");
    }
    let parts: Vec<&str> = file
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return refuse("goes up a folder with `..`");
    }
    if parts.len() < 2 || parts[0] != SOURCES_DIR {
        return refuse("is not inside `sources/`");
    }
    Ok(parts.join("/"))
}

/// Checks `file` ([`check_file`]) and that, inside the knowledge folder
/// `root`, it goes through no symbolic link pointing outside `sources/`.
/// Returns the path to read or write. A path that does not exist yet passes:
/// reading it then fails, and writing creates it inside `sources/`.
pub fn resolve_file(root: &Path, file: &str) -> Result<PathBuf, Refused> {
    let relative = check_file(file)?;
    let path = root.join(&relative);
    let Ok(sources) = root.canonicalize().map(|r| r.join(SOURCES_DIR)) else {
        // No folder: nothing can be read from it or written through it.
        return Ok(path);
    };
    let mut at = root.to_path_buf();
    let mut so_far = Vec::new();
    for part in relative.split('/') {
        at.push(part);
        so_far.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let inside = at
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&sources));
                if !inside {
                    return Err(Refused::new(
                        format!(
                            "`file = \"{}\"` goes through the symbolic link `{}`, \
                             which points outside `sources/` (or nowhere)",
                            shown(file),
                            so_far.join("/")
                        ),
                        "put the article's text itself in `sources/`, not a link to it",
                    ));
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(path)
}

/// The file a new source's attached article is saved as: `sources/<id>.txt`,
/// once the id is checked.
pub fn article_file(id: &str) -> Result<String, Refused> {
    check_id(id)?;
    Ok(format!("{SOURCES_DIR}/{id}.txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files() {
        let cases: &[(&str, Option<&str>)] = &[
            ("sources/a.txt", Some("sources/a.txt")),
            ("./sources//sub/./a.txt", Some("sources/sub/a.txt")),
            ("sources/", None),
            ("a.txt", None),
            ("other/a.txt", None),
            ("sources/../a.txt", None),
            ("sources/a/../../b.txt", None),
            ("../sources/a.txt", None),
            ("/proc/self/environ", None),
            ("/work/knowledge/sources/a.txt", None),
            ("C:/sources/a.txt", None),
            ("sources\\..\\a.txt", None),
            ("sources/a\0.txt", None),
            ("sources/a\n.txt", None),
            ("", None),
            ("  ", None),
        ];
        for (file, expected) in cases {
            assert_eq!(check_file(file).ok().as_deref(), *expected, "{file:?}");
        }
        let long = format!("sources/{}.txt", "a".repeat(10_000));
        let refused = check_file(&long).unwrap_err();
        assert!(refused.message.len() < 200, "{}", refused.message);
    }

    #[test]
    fn ids() {
        for ok in ["a", "strike-2024-06", &"a".repeat(MAX_ID_LEN)] {
            assert_eq!(check_id(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "A",
            "a_b",
            "../x",
            "a/b",
            "a\0",
            "é",
            &"a".repeat(MAX_ID_LEN + 1),
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        assert_eq!(article_file("ballot").unwrap(), "sources/ballot.txt");
        assert!(article_file("../../x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_sources_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let root = tempfile::tempdir().unwrap();
        let sources = root.path().join(SOURCES_DIR);
        std::fs::create_dir(&sources).unwrap();
        std::fs::write(sources.join("a.txt"), "a").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, sources.join(name)).unwrap()
        };
        link(&outside.path().join("secret"), "out.txt");
        link(outside.path(), "out-dir");
        link(&sources.join("a.txt"), "in.txt");
        link(&outside.path().join("gone"), "dangling.txt");
        assert!(resolve_file(root.path(), "sources/a.txt").is_ok());
        assert!(resolve_file(root.path(), "sources/in.txt").is_ok());
        assert!(resolve_file(root.path(), "sources/new.txt").is_ok());
        for bad in [
            "sources/out.txt",
            "sources/out-dir/secret",
            "sources/dangling.txt",
        ] {
            let refused = resolve_file(root.path(), bad).unwrap_err();
            assert!(refused.message.contains("symbolic link"), "{bad}");
        }
    }
}
