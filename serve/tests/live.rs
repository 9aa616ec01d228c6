//! `codetabs-serve` against a small book: an edit reaches the served page and
//! open pages are told to reload; reads, ignored files and broken edits do
//! not trigger reloads; after a fix serving goes on.

use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long to wait for something the test needs before calling it lost. A
/// bound, never a deadline: every wait ends as soon as its condition holds,
/// and this only keeps a server that never answers from hanging the suite.
/// A rebuild of the fixture book takes well under a second even with both
/// cores busy, so 60 s is headroom, not a measurement.
const PATIENCE: Duration = Duration::from_secs(60);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../preprocessor/tests/fixtures/shop")
}

/// The fixture book, watching its handlers, with a git-ignored folder inside.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let copied = Command::new("cp")
        .arg("-R")
        .arg(fixture().join("."))
        .arg(dir.path())
        .status()
        .expect("cp runs");
    assert!(copied.success(), "fixture copied");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).expect("toml");
    let toml =
        toml.replace("[output.markdown]\n", "") + "\n[build]\nextra-watch-dirs = [\"handlers\"]\n";
    std::fs::write(dir.path().join("book.toml"), toml).expect("toml");
    std::fs::write(dir.path().join(".gitignore"), "/book/\nnode_modules/\n").expect("gitignore");
    std::fs::create_dir_all(dir.path().join("handlers/python/node_modules")).expect("mkdir");
    dir
}

struct Server {
    child: Child,
    port: u16,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_codetabs-serve"))
            .arg(root)
            .args(["-n", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let (tx, stderr) = channel();
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("stdout line");
        assert!(line.starts_with("serving at http://127.0.0.1:"), "{line}");
        Server {
            child,
            port,
            stderr,
        }
    }

    fn get(&self, path: &str) -> String {
        get(self.port, path)
    }

    /// Waits for a stderr line containing `needle`; returns the lines read.
    fn wait_for(&self, needle: &str) -> Vec<String> {
        let until = Instant::now() + PATIENCE;
        let mut got = Vec::new();
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            let line = self.stderr.recv_timeout(left).expect("server says more");
            let done = line.contains(needle);
            got.push(line);
            if done {
                return got;
            }
        }
        panic!("no `{needle}` in {got:?}");
    }
}

/// The whole answer (status line, headers, body) to a GET of `path`.
fn get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).expect("response");
    String::from_utf8_lossy(&answer).into_owned()
}

/// A page's live-reload socket: the texts it receives.
fn reload_socket(port: u16) -> Receiver<String> {
    socket(port, "/__livereload")
}

/// The texts a page's socket at `path` receives.
fn socket(port: u16, path: &'static str) -> Receiver<String> {
    let (tx, rx) = channel();
    let (ready_tx, ready) = channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            use futures_util::StreamExt;
            use tokio_tungstenite::tungstenite::Message;
            let url = format!("ws://127.0.0.1:{port}{path}");
            let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("ws");
            let _ = ready_tx.send(());
            while let Some(Ok(msg)) = ws.next().await {
                if let Message::Text(t) = msg {
                    let _ = tx.send(t.to_string());
                }
            }
        });
    });
    // Returns the moment the socket is open; PATIENCE only bounds a
    // connection thread that failed (its panic drops `ready_tx`, which ends
    // the wait at once too) or a server that never answers.
    ready.recv_timeout(PATIENCE).expect("socket open");
    rx
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

/// `edit` as one write over the old text, with no truncation first (a
/// shorter text is padded with blank lines): one event, so one rebuild.
/// `std::fs::write` truncates and then writes, two events that a loaded
/// machine may deliver further apart than the server's settle window: two
/// rebuilds, the first of them of an empty file. The tests that count
/// rebuilds save this way.
fn save(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    let mut new = text.replace(from, to);
    while new.len() < text.len() {
        new.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    file.rewind().expect("rewind");
    file.write_all(new.as_bytes()).expect("write");
}

/// The rebuilds among a server's lines: what each says changed.
fn rebuilds(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.starts_with("rebuilt in"))
        .map(|l| {
            let changed = l.split_once(" (").map_or("", |(_, rest)| rest);
            changed
                .split_once(" changed)")
                .map_or(changed, |(what, _)| what)
                .to_string()
        })
        .collect()
}

#[test]
fn edits_reload_pages_and_nothing_else_does() {
    let dir = book();
    let server = Server::start(dir.path());
    let page = server.get("/chapter.html");
    assert!(page.contains("sum(i[\"cents\"] for i in items)"));
    assert!(
        page.contains("\"__livereload\""),
        "pages connect for reloads"
    );
    // Rebuilds come less than a second apart, finer than Last-Modified:
    // nothing may be answered from the browser's cache.
    let head = page
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(head.contains("\r\ncache-control: no-store"), "{head}");
    assert!(!head.contains("\r\nlast-modified:"), "{head}");
    assert!(!head.contains("\r\netag:"), "{head}");
    let reloads = reload_socket(server.port);

    // Reading sources (as every build does) and touching ignored files are
    // not edits. Then another file is edited: the first rebuild must be that
    // edit's alone. A rebuild the reads or the ignored file had caused would
    // come before it (events arrive in order) or share its batch ("… and 1
    // more"), so this needs no quiet period to wait out.
    let cart = dir.path().join("handlers/python/cart.py");
    let ruby = dir.path().join("handlers/ruby/cart.rb");
    let _ = std::fs::read_to_string(&cart).expect("read");
    std::fs::write(
        dir.path().join("handlers/python/node_modules/dep.py"),
        "x = 1\n",
    )
    .expect("write");
    save(&ruby, "end\n", "end\n# first edit\n");
    let said = server.wait_for("rebuilt in");
    assert_eq!(rebuilds(&said), ["handlers/ruby/cart.rb"], "{said:?}");
    assert_eq!(reloads.recv_timeout(PATIENCE).as_deref(), Ok("reload"));
    // A reloaded page connects again.
    let reloads = reload_socket(server.port);

    // An edit: one rebuild, the page holds the new code, the page reloads.
    // (How fast is the benchmark's business, BENCHMARKS.md "Edit to page".)
    save(
        &cart,
        "return sum(i[\"cents\"] for i in items)",
        "return 4242",
    );
    let said = server.wait_for("rebuilt in");
    assert_eq!(rebuilds(&said), ["handlers/python/cart.py"], "{said:?}");
    assert_eq!(reloads.recv_timeout(PATIENCE).as_deref(), Ok("reload"));
    assert!(server.get("/chapter.html").contains("return 4242"));
    let reloads = reload_socket(server.port);

    // A broken edit names the file and line, keeps the last good page, and
    // rebuilds and reloads nothing. (Nothing to wait for: a good server sends
    // no reload, so this cannot fail one; a reload still on its way here
    // would go unseen, and then take the place of the fix's reload below.)
    save(&cart, "    # ANCHOR_END: total\n", "");
    let said = server.wait_for("still serving the last good build");
    assert_eq!(rebuilds(&said), Vec::<String>::new(), "{said:?}");
    assert!(reloads.try_recv().is_err(), "no reload for a broken edit");
    let text = said.join("\n");
    assert!(text.contains("handlers/python/cart.py:2"), "{text}");
    assert!(text.contains("never closed"), "{text}");
    assert!(server.get("/chapter.html").contains("return 4242"));

    // The fix is served, and reloads the page.
    save(
        &cart,
        "        return 4242\n",
        "        return 7\n    # ANCHOR_END: total\n",
    );
    let said = server.wait_for("rebuilt in");
    assert_eq!(rebuilds(&said), ["handlers/python/cart.py"], "{said:?}");
    assert_eq!(reloads.recv_timeout(PATIENCE).as_deref(), Ok("reload"));
    assert!(server.get("/chapter.html").contains("return 7"));

    // One edit, one rebuild: the rebuild after a last edit is that edit's.
    // A second rebuild of an earlier edit, or a build that set off another,
    // would have come first, so there is no quiet period to wait out.
    save(&ruby, "# first edit\n", "# last edit\n");
    let said = server.wait_for("rebuilt in");
    assert_eq!(rebuilds(&said), ["handlers/ruby/cart.rb"], "{said:?}");
}

/// mdBook empties the output folder before it writes the new pages. A page
/// still loading when an edit lands asks for its files (fonts, style
/// sheets) in the middle of that: each must get the file, never a 404.
#[test]
fn files_asked_for_during_a_rebuild_are_served_not_missing() {
    let dir = book();
    let server = Server::start(dir.path());
    let port = server.port;
    // The page and every style sheet and script it loads (their names carry
    // a hash of their content, the same in every build).
    let page = server.get("/chapter.html");
    let mut paths = vec!["/chapter.html".to_string()];
    for attr in ["href=\"", "src=\""] {
        for piece in page.split(attr).skip(1) {
            let target = piece.split('"').next().unwrap_or_default();
            if (target.ends_with(".css") || target.ends_with(".js")) && !target.contains("//") {
                paths.push(format!("/{}", target.trim_start_matches(['.', '/'])));
            }
        }
    }
    assert!(paths.len() >= 6, "the page's files: {paths:?}");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (round_done, rounds) = channel();
    let asking = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut answers = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for path in &paths {
                    let answer = get(port, path);
                    let status = answer.lines().next().unwrap_or_default();
                    answers.push(format!("{path}: {status}"));
                }
                let _ = round_done.send(());
            }
            answers
        })
    };
    // Waits for a round of requests that ends after this call: the asker is
    // at work on both sides of every rebuild.
    let next_round = || {
        while rounds.try_recv().is_ok() {}
        // Returns as soon as the round ends; PATIENCE only bounds a thread
        // that died.
        rounds
            .recv_timeout(PATIENCE)
            .expect("the asking thread goes on");
    };
    let ruby = dir.path().join("handlers/ruby/cart.rb");
    for n in 0..5 {
        next_round();
        save(&ruby, "end\n", &format!("end\n# edit {n}\n"));
        server.wait_for("rebuilt in");
        next_round();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = asking.join().expect("the asking thread");
    let missing: Vec<_> = answers.iter().filter(|a| !a.ends_with(" 200 OK")).collect();
    assert!(
        missing.is_empty(),
        "{} of {} answers were not 200: {:?}",
        missing.len(),
        answers.len(),
        &missing[..missing.len().min(5)]
    );
}

#[test]
fn a_folder_added_to_extra_watch_dirs_is_watched_from_then_on() {
    let dir = book();
    std::fs::create_dir(dir.path().join("notes")).expect("mkdir");
    let server = Server::start(dir.path());
    save(
        &dir.path().join("book.toml"),
        "extra-watch-dirs = [\"handlers\"]",
        "extra-watch-dirs = [\"handlers\", \"notes\"]",
    );
    let said = server.wait_for("rebuilt in");
    assert_eq!(rebuilds(&said), ["book.toml"], "{said:?}");
    std::fs::write(dir.path().join("notes/todo.md"), "later\n").expect("write");
    let said = server.wait_for("rebuilt in");
    assert!(
        said.join("\n").contains("notes/todo.md changed"),
        "{said:?}"
    );
}

#[test]
fn an_unknown_path_gets_the_books_404_page() {
    let dir = book();
    let server = Server::start(dir.path());
    let page = server.get("/no/such/page.html");
    assert!(page.starts_with("HTTP/1.1 404"), "{page}");
    assert!(page.contains("Document not found"), "{page}");
}

#[test]
fn a_book_that_does_not_build_is_reported_before_serving() {
    let dir = book();
    edit(
        &dir.path().join("src/chapter.md"),
        "cart:total title",
        "cart:totl title",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_codetabs-serve"))
        .arg(dir.path())
        .args(["-n", "127.0.0.1", "-p", "0"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("anchor `totl` not found"), "{err}");
    assert!(err.contains("src/chapter.md:3"), "{err}");
    assert!(out.stdout.is_empty(), "nothing served");
}

/// The next state the problems socket reports, as JSON.
fn next_state(states: &Receiver<String>) -> serde_json::Value {
    let text = states.recv_timeout(PATIENCE).expect("a build state");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn a_broken_edit_is_shown_on_open_pages_until_it_is_fixed() {
    let dir = book();
    let server = Server::start(dir.path());
    // Served pages carry the overlay script; the built book does not.
    let page = server.get("/chapter.html");
    assert!(
        page.contains("<script src=\"/__codetabs/overlay.js\"></script>\n</body>"),
        "{page}"
    );
    let on_disk =
        std::fs::read_to_string(dir.path().join("book/chapter.html")).expect("built page");
    assert!(
        !on_disk.contains("__codetabs"),
        "the built book is untouched"
    );
    let script = server.get("/__codetabs/overlay.js");
    assert!(script.contains("text/javascript"), "{script}");
    assert!(script.contains("textContent"), "{script}");

    let states = socket(server.port, "/__codetabs/problems");
    assert_eq!(
        next_state(&states)["ok"],
        true,
        "a new page learns the state at once"
    );

    let cart = dir.path().join("handlers/python/cart.py");
    edit(&cart, "    # ANCHOR_END: total\n", "");
    let state = next_state(&states);
    assert_eq!(state["ok"], false, "{state}");
    let problem = &state["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("never closed")),
        "{state}"
    );
    assert_eq!(problem["source"], "handlers/python/cart.py:2", "{state}");
    assert!(
        problem["chapter"]
            .as_str()
            .is_some_and(|c| c.starts_with("src/chapter.md:")),
        "{state}"
    );
    // A page opened now shows it too.
    let later = socket(server.port, "/__codetabs/problems");
    assert_eq!(next_state(&later), state);

    edit(
        &cart,
        "        return sum",
        "    # ANCHOR_END: total\n        return sum",
    );
    std::fs::write(
        &cart,
        "class Cart:\n    # ANCHOR: total\n    def total(self, items):\n        return 7\n    # ANCHOR_END: total\n",
    )
    .expect("write");
    // The fix may land in two writes (truncate, then write), and the first
    // may build as its own failure: wait for the good one.
    let mut state = next_state(&states);
    while state["ok"] != true {
        state = next_state(&states);
    }
    assert_eq!(state["ok"], true);
}

#[test]
fn the_command_line_says_its_version_and_suggests_a_misspelled_option() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_codetabs-serve"))
            .args(args)
            .output()
            .expect("runs")
    };
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("codetabs-serve {}", env!("CARGO_PKG_VERSION"))
    );
    let typo = run(&["--prot", "4000"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("'--prot'") && err.contains("similar argument exists: '--port'"),
        "{err}"
    );
    let bad_port = run(&["--port", "http"]);
    assert!(!bad_port.status.success());
    assert!(
        String::from_utf8_lossy(&bad_port.stderr)
            .contains("invalid value 'http' for '--port <PORT>'"),
        "{}",
        String::from_utf8_lossy(&bad_port.stderr)
    );
}
