//! The binary speaks mdBook's preprocessor protocol: `supports`, and
//! `[context, book]` JSON in, book JSON out, logs only on stderr.

use mdbook_driver::MDBook;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::PreprocessorContext;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mdbook-codetabs");

#[test]
fn supports_html_and_markdown_only() {
    for (renderer, ok) in [
        ("html", true),
        ("markdown", true),
        ("epub", false),
        ("test", false),
    ] {
        let status = Command::new(BIN)
            .args(["supports", renderer])
            .status()
            .expect("runs");
        assert_eq!(status.success(), ok, "{renderer}");
    }
}

fn run_protocol(root: &Path, renderer: &str) -> std::process::Output {
    let md = MDBook::load(root).expect("fixture loads");
    let ctx = PreprocessorContext::new(root.to_path_buf(), md.config.clone(), renderer.into());
    let input = serde_json::to_vec(&(ctx, md.book.clone())).expect("json");
    let mut child = Command::new(BIN)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("writes");
    child.wait_with_output().expect("output")
}

#[test]
fn round_trips_the_book_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shop");
    let out = run_protocol(&root, "html");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Book = serde_json::from_slice(&out.stdout).expect("stdout is only the book");
    let BookItem::Chapter(ch) = &book.items[0] else {
        panic!("first item is the chapter");
    };
    assert!(ch
        .content
        .contains(",codetabs-group-codetabs-src-chapter-1\n"));
    assert!(
        ch.content.contains("\\{{#codetabs cart:total}}"),
        "escape kept for links"
    );
}

#[test]
fn errors_go_to_stderr_with_a_failing_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"x\"\n").expect("toml");
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n",
    )
    .expect("summary");
    std::fs::write(
        dir.path().join("src/a.md"),
        "# A\n\n{{#codetabs gone:handler}}\n",
    )
    .expect("a");
    let out = run_protocol(dir.path(), "html");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/a.md:3"), "{err}");
    assert!(err.contains("handlers/ruby/gone.rb"), "{err}");
}
