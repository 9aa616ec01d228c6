//! Which file-system events are edits.
//!
//! The OS reports reads too (inotify's open and close-without-write), and
//! every build reads hundreds of handler files: a watcher that treats those as
//! changes rebuilds forever, which is what mdBook 0.5's own native watcher does
//! with this book. Here only content, creation, removal and renames count, and
//! only for files git would track.

use ignore::gitignore::Gitignore;
use notify::event::{EventKind, ModifyKind};
use notify::{Event, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// Edits arrive in bursts (an editor's write, rename and chmod): events this
/// close together make one rebuild. Every millisecond here is a millisecond
/// of edit-to-page, so it is short; a save that truncates first is caught by
/// [`HALF_SAVED`] instead of by a long window for every save.
const SETTLE: Duration = Duration::from_millis(10);

/// How long an edited file may stay empty before an empty file is taken as
/// what the author meant: an editor that saves in place truncates and then
/// writes, and on a loaded machine the write can come well after the
/// truncation. Building in between would flash an error for a missing anchor.
const HALF_SAVED: Duration = Duration::from_millis(300);

pub struct Changes {
    root: PathBuf,
    ignore: Option<Gitignore>,
    events: Receiver<notify::Result<Event>>,
    // Dropping the watcher stops the events.
    _watcher: notify::RecommendedWatcher,
}

impl Changes {
    /// Watches `paths` (folders recursively) under the book at `root`.
    pub fn watch(root: &Path, paths: &[PathBuf]) -> anyhow::Result<Changes> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            // The receiver only goes away when serving stops.
            let _ = tx.send(e);
        })?;
        for path in paths {
            let mode = if path.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            watcher
                .watch(path, mode)
                .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", path.display()))?;
        }
        let gitignore = root.join(".gitignore");
        let ignore = gitignore
            .exists()
            .then(|| Gitignore::new(&gitignore).0)
            .filter(|g| !g.is_empty());
        Ok(Changes {
            root: root.to_path_buf(),
            ignore,
            events,
            _watcher: watcher,
        })
    }

    /// Blocks until something is edited; returns the edited paths (book-root
    /// relative where possible), or `None` when the watcher has stopped.
    pub fn next(&self) -> Option<Vec<PathBuf>> {
        loop {
            let first = self.events.recv().ok()?;
            let mut paths = self.edits(first);
            loop {
                let wait = if any_empty(&self.root, &paths) {
                    HALF_SAVED
                } else {
                    SETTLE
                };
                match self.events.recv_timeout(wait) {
                    Ok(e) => paths.extend(self.edits(e)),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }

    fn edits(&self, event: notify::Result<Event>) -> Vec<PathBuf> {
        let Ok(event) = event else {
            return Vec::new();
        };
        if !is_edit(&event.kind) {
            return Vec::new();
        }
        event
            .paths
            .into_iter()
            .filter(|p| !is_editor_scratch(p))
            .map(|p| {
                p.strip_prefix(&self.root)
                    .map_or(p.clone(), Path::to_path_buf)
            })
            .filter(|rel| !self.ignored(rel))
            .collect()
    }

    fn ignored(&self, rel: &Path) -> bool {
        let Some(ignore) = &self.ignore else {
            return false;
        };
        // A removed path cannot be asked whether it was a folder; as a file it
        // still matches folder patterns through its parents.
        let is_dir = self.root.join(rel).is_dir();
        rel.is_relative() && ignore.matched_path_or_any_parents(rel, is_dir).is_ignore()
    }
}

/// Whether one of the edited paths (relative to `root`) is a file with
/// nothing in it yet.
fn any_empty(root: &Path, paths: &[PathBuf]) -> bool {
    paths
        .iter()
        .any(|p| std::fs::metadata(root.join(p)).is_ok_and(|m| m.is_file() && m.len() == 0))
}

/// Content written, something created, removed or renamed. Not: opened,
/// read, closed after reading, or only its metadata (times, permissions).
pub fn is_edit(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Files editors write beside the real one while saving (`.x.swp`, `x~`,
/// `.#x`, vim's `4913` probe).
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || [".swp", ".swx", ".swo"].iter().any(|e| name.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, RenameMode};

    #[test]
    fn reads_and_metadata_are_not_edits() {
        for kind in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Access(AccessKind::Read),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
            EventKind::Any,
            EventKind::Other,
        ] {
            assert!(!is_edit(&kind), "{kind:?}");
        }
        for kind in [
            EventKind::Create(CreateKind::File),
            EventKind::Remove(notify::event::RemoveKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Modify(ModifyKind::Any),
        ] {
            assert!(is_edit(&kind), "{kind:?}");
        }
    }

    #[test]
    fn an_empty_file_is_a_save_in_progress() {
        let dir = std::env::temp_dir().join(format!("codetabs-empty-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("folder")).expect("temp dir");
        std::fs::write(dir.join("empty.rb"), "").expect("write");
        std::fs::write(dir.join("full.rb"), "x = 1\n").expect("write");
        let rel = |s: &str| PathBuf::from(s);
        assert!(any_empty(&dir, &[rel("full.rb"), rel("empty.rb")]));
        assert!(!any_empty(&dir, &[rel("full.rb")]));
        // A removed file and a folder are not saves in progress.
        assert!(!any_empty(&dir, &[rel("gone.rb"), rel("folder")]));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn editor_scratch_files_are_skipped() {
        for name in [".cart.rb.swp", "cart.rb~", ".#cart.rb", "4913"] {
            assert!(is_editor_scratch(Path::new(name)), "{name}");
        }
        assert!(!is_editor_scratch(Path::new("handlers/ruby/cart.rb")));
    }
}
