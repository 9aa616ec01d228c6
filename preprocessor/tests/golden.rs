//! Whole-chapter golden tests: the fixture book under tests/fixtures/shop is
//! preprocessed for each renderer and compared with hand-written expected
//! chapters; then it is built for real, in-process.

use mdbook_codetabs::CodeTabs;
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_driver::MDBook;
use mdbook_preprocessor::book::BookItem;
use mdbook_renderer::Renderer;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shop")
}

fn preprocessed_chapter(renderer: &dyn Renderer) -> String {
    let mut book = MDBook::load(fixture()).expect("fixture loads");
    book.with_preprocessor(CodeTabs::new());
    let (done, _) = book.preprocess_book(renderer).expect("preprocesses");
    done.iter()
        .find_map(|item| match item {
            BookItem::Chapter(ch) if ch.name == "Checkout" => Some(ch.content.clone()),
            _ => None,
        })
        .expect("chapter present")
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(fixture().join("expected").join(name)).expect("expected file")
}

fn assert_same(actual: &str, expected: &str) {
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "output differs from the golden file at line {}:\n  actual:   {:?}\n  expected: {:?}",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

/// `CODETABS_BLESS=1` rewrites the golden file instead (review the diff).
fn golden(name: &str, actual: &str) {
    if std::env::var_os("CODETABS_BLESS").is_some() {
        std::fs::write(fixture().join("expected").join(name), actual).expect("bless");
        return;
    }
    assert_same(actual, &expected(name));
}

#[test]
fn html_chapter_matches_golden() {
    let html = mdbook_html::HtmlHandlebars::new();
    golden("chapter.html.md", &preprocessed_chapter(&html));
}

#[test]
fn gitbook_chapter_matches_golden() {
    golden(
        "chapter.gitbook.md",
        &preprocessed_chapter(&MarkdownRenderer::new()),
    );
}

/// Copies the fixture so a build writes nowhere in the source tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

#[test]
fn full_build_renders_tabs_with_highlighted_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture(), dir.path());
    let mut book = MDBook::load(dir.path()).expect("loads");
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("builds");

    let page = std::fs::read_to_string(dir.path().join("book/html/chapter.html")).expect("page");
    // Each group's first fence names the group; only the titled group has a
    // marker <div>. Each language is a label, a fence whose classes
    // codetabs.js reads, and a source line.
    assert_eq!(
        page.matches(" codetabs-group-codetabs-src-chapter-")
            .count(),
        2
    );
    assert_eq!(page.matches("<div class=\"codetabs\" id=").count(), 1);
    assert!(page.contains(
        "<div class=\"codetabs\" id=\"codetabs-src-chapter-1\">Cart &lt;total&gt;</div>"
    ));
    assert!(page.contains("<p><strong>Ruby</strong></p>\n<pre><code class=\"language-ruby codetabs-code codetabs-lang-ruby codetabs-group-codetabs-src-chapter-1\">def total(items)"));
    // A panel that a link points at has its id without script; the others
    // get theirs from codetabs.js.
    assert!(page.contains("<p id=\"codetabs-src-chapter-1-python\"><strong>Python</strong></p>"));
    assert!(!page.contains("id=\"codetabs-src-chapter-1-ruby\""));
    // Later languages wait uncoloured, their language named for codetabs.js.
    assert!(page.contains(
        "<code class=\"language-plaintext codetabs-highlight-python codetabs-code codetabs-lang-python codetabs-more\">"
    ));
    assert!(page.contains("<p><a href=\"https://example.org/shop/handlers/ruby/cart.rb#L5-L9\"><code>handlers/ruby/cart.rb</code></a> lines 5–9</p>"));
    // Code is escaped by the markdown renderer, our labels by us.
    assert!(page.contains("# \"&lt;b&gt;\" &amp; ```"), "code escaped");
    assert!(page.contains("Cart &lt;total&gt;"));
    assert!(!page.contains("<total>"));
    assert!(!page.contains("{{#codetabs cart:total title"));
    assert!(page.contains("<svg"));

    let md = std::fs::read_to_string(dir.path().join("book/markdown/chapter.md")).expect("md");
    assert_eq!(md.matches("{% tabs %}").count(), 2);

    // Changing the handler changes the page.
    std::fs::write(
        dir.path().join("handlers/python/cart.py"),
        "class Cart:\n    # ANCHOR: total\n    def total(self, items):\n        return 42\n    # ANCHOR_END: total\n",
    )
    .expect("edit");
    let mut book = MDBook::load(dir.path()).expect("loads");
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("rebuilds");
    let page = std::fs::read_to_string(dir.path().join("book/html/chapter.html")).expect("page");
    assert!(page.contains("return 42"));
}
