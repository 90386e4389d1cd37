//! Snapshots of a folder, to show that a refused change touched nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a folder holds, walked without following links: each file's bytes,
/// each link's target and each folder, by path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link to {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                dirs.push(path.clone());
                "folder".to_string()
            } else {
                format!("{:?}", std::fs::read(&path).unwrap())
            };
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), what);
        }
    }
    out
}
