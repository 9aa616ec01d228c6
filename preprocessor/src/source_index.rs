//! The anchor index: every source file a build touches is read and scanned
//! once, however many directives point into it, and paths are held inside
//! the book root.

use crate::anchors::{self, AnchorScan, Region};
use crate::snippet::{self, Snippet};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A source file, read and scanned.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the book root, with `/` separators.
    pub rel_path: String,
    /// Shared with the snippets cut from it, which are written out later.
    text: Arc<String>,
    lines: Vec<Range<usize>>,
    /// Whether any line ends in `\r\n` (such files take the general cut).
    has_cr: bool,
    pub scan: AnchorScan,
}

/// Why a file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// `..`, an absolute path, or a symlink that leads out of the book root.
    OutsideRoot(String),
    NotFound(String),
    NotUtf8 {
        path: String,
        line: usize,
    },
    Unreadable {
        path: String,
        reason: String,
    },
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::OutsideRoot(p) => write!(
                f,
                "`{p}` is outside the book root; snippets may only come from files inside it"
            ),
            OpenError::NotFound(p) => write!(f, "source file `{p}` does not exist"),
            OpenError::NotUtf8 { path, line } => write!(
                f,
                "`{path}` is not valid UTF-8 (first bad byte on line {line})"
            ),
            OpenError::Unreadable { path, reason } => write!(f, "cannot read `{path}`: {reason}"),
        }
    }
}

impl SourceFile {
    pub fn from_text(rel_path: impl Into<String>, mut text: String) -> Self {
        // A byte-order mark (some Windows editors write one) is an encoding
        // signature, not text: dropped, it cannot hide a first-line marker
        // or reach the page. Line numbers stay as they were.
        if text.starts_with('\u{FEFF}') {
            text.replace_range(..'\u{FEFF}'.len_utf8(), "");
        }
        let mut lines = Vec::with_capacity(text.len() / 32 + 1);
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            lines.push(start..i);
            start = i + 1;
        }
        if start < text.len() {
            lines.push(start..text.len());
        }
        let mut file = SourceFile {
            rel_path: rel_path.into(),
            has_cr: memchr::memchr(b'\r', text.as_bytes()).is_some(),
            text: Arc::new(text),
            lines,
            scan: AnchorScan::default(),
        };
        file.scan = anchors::scan_numbered(file.marker_candidates());
        file
    }

    /// The lines that mention `ANCHOR` (every marker does), numbered: found
    /// with one substring search over the whole text instead of a look at
    /// every line.
    fn marker_candidates(&self) -> impl Iterator<Item = (usize, &str)> {
        let mut last = 0;
        memchr::memmem::find_iter(self.text.as_bytes(), b"ANCHOR").filter_map(move |at| {
            // Lines are sorted by start; the line holding `at` is the last one
            // starting at or before it.
            let n = self.lines.partition_point(|r| r.start <= at);
            if n == last {
                return None;
            }
            last = n;
            self.line(n).map(|line| (n, line))
        })
    }

    /// 1-based line without its line ending (`\r\n` files included).
    pub fn line(&self, n: usize) -> Option<&str> {
        let range = self.lines.get(n.checked_sub(1)?)?.clone();
        Some(self.text[range].trim_end_matches('\r'))
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Every line, without line endings.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        (1..=self.lines.len()).filter_map(|n| self.line(n))
    }

    /// The text with `\n` line endings (CRLF files included).
    pub fn text(&self) -> String {
        self.lines().collect::<Vec<_>>().join("\n")
    }

    pub fn region(&self, anchor: &str) -> Option<Region> {
        self.scan.regions.get(anchor).copied()
    }

    /// Names of the anchors in this file, sorted, for "did you mean" help.
    pub fn anchor_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.scan.regions.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    fn is_marker(&self, n: usize) -> bool {
        self.scan.marker_lines.binary_search(&n).is_ok()
    }

    /// The text between an anchor's markers; `None` if it is empty.
    pub fn anchored(&self, region: Region) -> Option<Snippet> {
        if region.close <= region.open + 1 {
            return None;
        }
        let (from, to) = (region.open + 1, region.close - 1);
        let markers = &self.scan.marker_lines;
        let marker_inside = markers
            .get(markers.partition_point(|m| *m < from))
            .is_some_and(|m| *m <= to);
        if !marker_inside && !self.has_cr {
            if let Some(lines) = self.lines.get(from - 1..to) {
                return snippet::cut_lines(&self.text, lines, from);
            }
        }
        snippet::cut(|n| self.line(n), from, to, |n| self.is_marker(n))
    }

    /// The whole file without marker lines; `None` if it is empty.
    pub fn whole(&self) -> Option<Snippet> {
        snippet::cut(
            |n| self.line(n),
            1,
            self.line_count().max(1),
            |n| self.is_marker(n),
        )
    }
}

/// `path` opened for reading; `None` if its last part is a symlink.
#[cfg(unix)]
fn open_unless_link(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .read(true)
        // Non-blocking: a FIFO in the tree must not hold the build up.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn open_unless_link(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        Ok(None)
    } else {
        std::fs::File::open(path).map(Some)
    }
}

/// A file as [`SourceIndex::open`] hands it out: shared, read once.
pub type Opened = Arc<Result<SourceFile, OpenError>>;

/// Files read during one build, keyed by their path under the root. Shared
/// by the threads that expand chapters: each file is still read exactly once,
/// by whichever thread asks first, while the others wait for it.
pub struct SourceIndex {
    root: PathBuf,
    canonical_root: Option<PathBuf>,
    files: Mutex<HashMap<String, Arc<OnceLock<Opened>>>>,
    /// Folders already resolved to their real paths.
    dirs: Mutex<HashMap<PathBuf, PathBuf>>,
    reads: AtomicUsize,
}

impl SourceIndex {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let canonical_root = root.canonicalize().ok();
        SourceIndex {
            root,
            canonical_root,
            files: Mutex::new(HashMap::new()),
            dirs: Mutex::new(HashMap::new()),
            reads: AtomicUsize::new(0),
        }
    }

    /// How many files were read from disk (each at most once).
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// The file at `rel` (relative to the book root), read on first use.
    pub fn open(&self, rel: &str) -> Opened {
        let cell = {
            // A panic elsewhere cannot leave the map half-updated: entries are
            // only ever added whole, so a poisoned lock is still safe to use.
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            match files.get(rel) {
                Some(cell) => Arc::clone(cell),
                None => Arc::clone(files.entry(rel.to_string()).or_default()),
            }
        };
        // Read outside the map lock, so other files load at the same time.
        Arc::clone(cell.get_or_init(|| Arc::new(self.load(rel))))
    }

    /// Where `full` really is, and the file opened, unless its last part is
    /// a symlink. A plain file's folder is resolved once per build, and the
    /// file is opened without following a link: one `open` per file instead
    /// of an `lstat` and an `open`, or a `readlink` for every part of its
    /// path, which adds up over thousands of files. A linked file is resolved
    /// whole and read after the caller has checked where it leads.
    fn open_resolved(&self, full: &Path) -> std::io::Result<(PathBuf, Option<std::fs::File>)> {
        if let (Some(dir), Some(name)) = (full.parent(), full.file_name()) {
            if let Some(file) = open_unless_link(full)? {
                return Ok((self.real_dir(dir)?.join(name), Some(file)));
            }
        }
        Ok((full.canonicalize()?, None))
    }

    /// `dir` with every symlink resolved, once per build.
    fn real_dir(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let lock = || self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        let known = lock().get(dir).cloned();
        match known {
            Some(d) => Ok(d),
            None => {
                let d = dir.canonicalize()?;
                lock().insert(dir.to_path_buf(), d.clone());
                Ok(d)
            }
        }
    }

    fn load(&self, rel: &str) -> Result<SourceFile, OpenError> {
        let rel_path = Path::new(rel);
        let escapes = rel_path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
        if escapes || rel.starts_with('/') || rel.starts_with('\\') {
            return Err(OpenError::OutsideRoot(rel.to_string()));
        }
        let full = self.root.join(rel_path);
        let unreadable = |e: std::io::Error| OpenError::Unreadable {
            path: rel.to_string(),
            reason: e.to_string(),
        };
        let (canonical, opened) = match self.open_resolved(&full) {
            Ok(found) => found,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpenError::NotFound(rel.to_string()));
            }
            Err(e) => return Err(unreadable(e)),
        };
        // Fail closed: without a resolvable root nothing can be shown to be inside it.
        let inside = self
            .canonical_root
            .as_ref()
            .is_some_and(|root| canonical.starts_with(root));
        if !inside {
            return Err(OpenError::OutsideRoot(rel.to_string()));
        }
        self.reads.fetch_add(1, Ordering::Relaxed);
        let bytes = match opened {
            Some(mut file) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut file, &mut bytes).map(|_| bytes)
            }
            None => std::fs::read(&canonical),
        }
        .map_err(unreadable)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let bad_at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..bad_at]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            OpenError::NotUtf8 {
                path: rel.to_string(),
                line,
            }
        })?;
        Ok(SourceFile::from_text(rel, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lines_and_anchors() {
        let f = SourceFile::from_text(
            "a.py",
            "x\r\n# ANCHOR: a\r\n  y = 1\r\n# ANCHOR_END: a\r\n".to_string(),
        );
        let region = f.region("a").expect("anchor a");
        let s = f.anchored(region).expect("snippet");
        assert_eq!(s.code(), "y = 1\n");
        assert_eq!((s.first_line, s.last_line), (3, 3));
    }

    #[test]
    fn each_file_is_read_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.rb"), "# ANCHOR: a\nx\n# ANCHOR_END: a\n")
            .expect("write");
        let index = SourceIndex::new(dir.path());
        for _ in 0..5 {
            assert!(index.open("a.rb").is_ok());
        }
        assert_eq!(index.reads(), 1);
    }

    #[test]
    fn threads_asking_at_once_share_one_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.rb"), "# ANCHOR: a\nx\n# ANCHOR_END: a\n")
            .expect("write");
        let index = SourceIndex::new(dir.path());
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let opened = index.open("a.rb");
                    let file = opened.as_ref().as_ref().expect("readable");
                    assert!(file.region("a").is_some());
                });
            }
        });
        assert_eq!(index.reads(), 1);
    }

    #[test]
    fn marker_lines_are_found_anywhere_in_the_file() {
        let mut text = "x\n".repeat(1000);
        text.push_str("  // ANCHOR: deep\ny\n  // ANCHOR_END: deep\nlet s = \"ANCHOR: no\";\n");
        let f = SourceFile::from_text("a.rs", text);
        assert_eq!(
            f.region("deep"),
            Some(Region {
                open: 1001,
                close: 1003
            })
        );
        assert_eq!(f.scan.marker_lines, vec![1001, 1003]);
        assert!(f.scan.problems.is_empty());
    }

    #[test]
    fn refuses_paths_out_of_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("book")).expect("mkdir");
        let index = SourceIndex::new(dir.path().join("book"));
        std::fs::write(dir.path().join("secret.rb"), "x").expect("write");
        for bad in ["../secret.rb", "/etc/passwd"] {
            assert!(
                matches!(&*index.open(bad), Err(OpenError::OutsideRoot(_))),
                "{bad}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                dir.path().join("secret.rb"),
                dir.path().join("book/link.rb"),
            )
            .expect("symlink");
            assert!(matches!(
                &*index.open("link.rb"),
                Err(OpenError::OutsideRoot(_))
            ));
            // A linked folder leading out is refused too, for each file in it…
            std::fs::create_dir(dir.path().join("elsewhere")).expect("mkdir");
            std::fs::write(dir.path().join("elsewhere/x.rb"), "x").expect("write");
            std::os::unix::fs::symlink(dir.path().join("elsewhere"), dir.path().join("book/out"))
                .expect("symlink");
            assert!(matches!(
                &*index.open("out/x.rb"),
                Err(OpenError::OutsideRoot(_))
            ));
            // …while links that stay inside the root are followed.
            std::fs::create_dir(dir.path().join("book/real")).expect("mkdir");
            std::fs::write(dir.path().join("book/real/y.rb"), "y").expect("write");
            std::os::unix::fs::symlink(dir.path().join("book/real"), dir.path().join("book/alias"))
                .expect("symlink");
            std::os::unix::fs::symlink(
                dir.path().join("book/real/y.rb"),
                dir.path().join("book/real/z.rb"),
            )
            .expect("symlink");
            assert!(index.open("alias/y.rb").is_ok());
            assert!(index.open("real/z.rb").is_ok());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_the_tree_does_not_hold_the_build_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo =
            std::ffi::CString::new(dir.path().join("pipe.rb").as_os_str().as_encoded_bytes())
                .expect("no NUL in a temp path");
        // SAFETY: a valid NUL-terminated path and a plain mode.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo");
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let index = SourceIndex::new(root);
            let _ = tx.send(index.open("pipe.rb").is_ok());
        });
        // The open returns at once (nothing writes to the pipe, so it reads
        // as empty); the bound only turns a regression into a failure
        // instead of a suite that never ends.
        let opened = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("opening a FIFO blocked");
        assert!(opened);
    }

    #[test]
    fn non_utf8_names_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("b.py"), b"ok\nbad \xff\n").expect("write");
        let index = SourceIndex::new(dir.path());
        let opened = index.open("b.py");
        let err = opened.as_ref().as_ref().err();
        assert_eq!(
            err,
            Some(&OpenError::NotUtf8 {
                path: "b.py".into(),
                line: 2
            })
        );
    }
}
