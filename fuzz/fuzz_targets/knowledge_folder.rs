//! Arbitrary bytes as one file of an otherwise valid knowledge folder (the
//! first byte picks which): the full loader, validation included, must return
//! the knowledge or its errors, never panic; whatever loads must compile into
//! an engine that answers.
#![no_main]

use dispute_bot::engine::Engine;
use dispute_bot::knowledge::{Knowledge, FILES};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal");
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy(&shipped, dir.path());
    let (file, _) = FILES[pick as usize % FILES.len()];
    std::fs::write(dir.path().join(file), text).expect("writes the file");
    match Knowledge::load(dir.path()) {
        Ok(knowledge) => {
            let engine = Engine::new(knowledge);
            let _ = engine.answer("when was the strike?");
        }
        Err(errors) => assert!(!errors.0.is_empty()),
    }
});

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("file");
        }
    }
}
