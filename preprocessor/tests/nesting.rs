//! Directives inside containers: list items (nested too), quotes (nested
//! too) and admonitions, in the fixture book under tests/fixtures/nested.
//! Every directive's output must stay in the containers its line is in, for
//! the HTML build and for the GitBook export:
//! - golden files hold the expected chapters, hand-checked;
//! - each chapter is parsed with mdBook's own markdown parser and every
//!   block of every directive's output must sit exactly where a one-word
//!   paragraph in place of the directive sits, with the rest of the page
//!   unchanged around it;
//! - the book is built with mdBook and the rendered pages are checked for
//!   the same nesting.
//!
//! `CODETABS_BLESS=1 cargo test --test nesting` rewrites the golden files;
//! read the diff before committing it.

use mdbook_codetabs::directive::find_directives;
use mdbook_codetabs::export::{export, hints, ExportOptions};
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_markdown::{new_cmark_parser, MarkdownOptions};
use mdbook_preprocessor::book::BookItem;
use std::path::{Path, PathBuf};

const CHAPTERS: [&str; 3] = ["lists", "quotes", "admonitions"];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nested")
}

fn source(chapter: &str) -> String {
    std::fs::read_to_string(fixture().join(format!("src/{chapter}.md"))).expect("chapter")
}

/// Each chapter after the preprocessors, for mdBook's HTML renderer.
fn html_chapters() -> Vec<(String, String)> {
    let mut book = MDBook::load(fixture()).expect("fixture loads");
    book.with_preprocessor(CodeTabs::new());
    let html = mdbook_html::HtmlHandlebars::new();
    let (done, _) = book.preprocess_book(&html).expect("preprocesses");
    done.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some((
                ch.path.as_ref()?.file_stem()?.to_string_lossy().to_string(),
                ch.content.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// Each chapter as the GitBook export writes it.
fn gitbook_chapters() -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("gitbook");
    export(&fixture(), &out, &ExportOptions::default()).expect("exports");
    CHAPTERS
        .iter()
        .map(|c| {
            let text = std::fs::read_to_string(out.join(format!("{c}.md"))).expect("exported");
            (c.to_string(), text)
        })
        .collect()
}

fn chapter<'a>(all: &'a [(String, String)], name: &str) -> &'a str {
    &all.iter().find(|(n, _)| n == name).expect("chapter").1
}

fn golden(name: &str, actual: &str) {
    let path = fixture().join("expected").join(name);
    if std::env::var_os("CODETABS_BLESS").is_some() {
        std::fs::write(&path, actual).expect("bless");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("golden file");
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  actual:   {:?}\n  expected: {:?}",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

#[test]
fn html_chapters_match_golden() {
    let all = html_chapters();
    for c in CHAPTERS {
        golden(&format!("{c}.html.md"), chapter(&all, c));
    }
}

#[test]
fn gitbook_chapters_match_golden() {
    let all = gitbook_chapters();
    for c in CHAPTERS {
        golden(&format!("{c}.gitbook.md"), chapter(&all, c));
    }
}

/// A block of the page and the containers it sits in, outermost first
/// (`ol/li/quote`; an admonition is named by its kind).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Leaf {
    path: String,
    text: String,
}

/// Every block of `markdown` in order, as mdBook's parser reads it. Text
/// directly in a tight list item counts as a block of its own.
fn outline(markdown: &str) -> Vec<Leaf> {
    let mut path: Vec<String> = Vec::new();
    let mut leaves = Vec::new();
    let mut open: Option<String> = None;
    let mut flush = |open: &mut Option<String>, path: &[String]| {
        if let Some(text) = open.take() {
            leaves.push(Leaf {
                path: path.join("/"),
                text: text.trim().to_string(),
            });
        }
    };
    for event in new_cmark_parser(markdown, &MarkdownOptions::default()) {
        match event {
            Event::Start(Tag::List(start)) => {
                flush(&mut open, &path);
                path.push(if start.is_some() { "ol" } else { "ul" }.into());
            }
            Event::Start(Tag::Item) => {
                flush(&mut open, &path);
                path.push("li".into());
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                flush(&mut open, &path);
                path.push(kind.map_or("quote".into(), |k| format!("{k:?}").to_lowercase()));
            }
            Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                flush(&mut open, &path);
                path.pop();
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::Table(_),
            ) => {
                flush(&mut open, &path);
                open = Some(String::new());
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::Table,
            ) => flush(&mut open, &path),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                open.get_or_insert_with(String::new).push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                open.get_or_insert_with(String::new).push(' ');
            }
            _ => {}
        }
    }
    flush(&mut open, &path);
    leaves
}

/// The chapter with a one-word paragraph in place of each directive: where
/// the directive's output must go.
fn with_placeholders(source: &str) -> String {
    let (found, errors) = find_directives(source);
    assert!(errors.is_empty(), "{errors:?}");
    let mut out = String::new();
    let mut copied = 0;
    for (k, d) in found.iter().enumerate() {
        out.push_str(&source[copied..d.span.start]);
        out.push_str(&format!("PLACEHOLDER{k}"));
        copied = d.span.end;
    }
    out.push_str(&source[copied..]);
    out
}

/// Every block of `actual` is where `reference` says: its own blocks as
/// they were, and in place of each placeholder at least one block, all in
/// the placeholder's containers.
fn assert_nested(what: &str, reference: &str, actual: &str) {
    let reference = outline(reference);
    let actual = outline(actual);
    let mut blocks = actual.iter().peekable();
    for (i, r) in reference.iter().enumerate() {
        if r.text.starts_with("PLACEHOLDER") {
            let next = reference.get(i + 1);
            // The block after a directive's output marks where it ends.
            assert!(
                next.is_none_or(|x| !x.text.starts_with("PLACEHOLDER")),
                "{what}: put text between {} and the next directive",
                r.text
            );
            let mut n = 0;
            while let Some(b) = blocks.next_if(|b| next.is_none_or(|x| *b != x)) {
                assert_eq!(
                    b.path, r.path,
                    "{what}: {}'s output left its containers at {:?}",
                    r.text, b.text
                );
                n += 1;
            }
            assert!(n > 0, "{what}: nothing in place of {}", r.text);
        } else {
            assert_eq!(
                blocks.next(),
                Some(r),
                "{what}: the page around the directives changed"
            );
        }
    }
    assert_eq!(blocks.next(), None, "{what}: blocks after the end");
}

#[test]
fn every_directive_stays_in_its_containers_in_the_markdown() {
    let html = html_chapters();
    let gitbook = gitbook_chapters();
    for c in CHAPTERS {
        let reference = with_placeholders(&source(c));
        // The reference itself has the containers it should: a placeholder
        // on a list item's line or inside a quote is in the item or quote.
        assert!(
            outline(&reference)
                .iter()
                .filter(|l| l.text.starts_with("PLACEHOLDER"))
                .all(|l| !l.path.is_empty()),
            "{c}: every directive of the fixture is in a container"
        );
        assert_nested(&format!("{c} (html)"), &reference, chapter(&html, c));
        assert_nested(
            &format!("{c} (gitbook)"),
            &hints(&reference),
            chapter(&gitbook, c),
        );
    }
}

/// Copies the fixture, with the book's real theme, so a build writes
/// nowhere in the source tree.
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

/// For each place `needle` occurs in the page's content, the list and quote
/// elements around it, outermost first (`ol/li/blockquote`).
fn element_paths(page: &str, needle: &str) -> Vec<String> {
    let main_start = page.find("<main>").expect("main");
    let main = &page[main_start..page.find("</main>").expect("main end")];
    let mut paths = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(rel) = main[at..].find('<') {
        let start = at + rel;
        let tag = &main[start + 1..];
        let name_len = tag
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
            .unwrap_or(tag.len());
        let name = &tag[..name_len];
        let probe = &main[at..start];
        for _ in probe.matches(needle) {
            paths.push(stack.join("/"));
        }
        match name {
            "ol" | "ul" | "li" | "blockquote" => stack.push(name),
            "/ol" | "/ul" | "/li" | "/blockquote" => {
                assert_eq!(stack.pop(), Some(&name[1..]), "well-formed page");
            }
            _ => {}
        }
        let close = tag.find('>').expect("tag end");
        let inside = &main[start..start + close + 2];
        for _ in inside.matches(needle) {
            paths.push(stack.join("/"));
        }
        at = start + close + 2;
    }
    paths
}

#[test]
fn the_built_pages_nest_every_directive() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture(), dir.path());
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../theme"),
        &dir.path().join("theme"),
    );
    let mut book = MDBook::load(dir.path()).expect("loads");
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("builds");
    let page = |name: &str| {
        std::fs::read_to_string(dir.path().join(format!("book/html/{name}.html"))).expect("page")
    };
    for (name, expectations) in [
        (
            "lists",
            &[
                (" codetabs-group-codetabs-src-lists-1\"", "ol/li"),
                ("The first step goes on after its tabs.", "ol/li"),
                ("id=\"codetabs-dag-src-lists-2\"", "ol/li"),
                ("The second step goes on after its diagram.", "ol/li"),
                (" codetabs-group-codetabs-src-lists-3\"", "ol/li"),
                ("Last step.", "ol/li"),
                (" codetabs-group-codetabs-src-lists-4\"", "ul/li/ul/li"),
                ("class=\"codetabs-mapping\"", "ul/li/ul/li/ul/li"),
                ("id=\"codetabs-run-src-lists-6\"", "ul/li/ul/li"),
                ("After the lists.", ""),
            ][..],
        ),
        (
            "quotes",
            &[
                (" codetabs-group-codetabs-src-quotes-1\"", "blockquote"),
                ("The quote goes on.", "blockquote"),
                ("class=\"codetabs-mapping\"", "blockquote/blockquote"),
                ("The inner quote goes on.", "blockquote/blockquote"),
                ("The outer quote goes on.", "blockquote"),
                (
                    " codetabs-group-codetabs-src-quotes-3\"",
                    "ol/li/blockquote",
                ),
                ("The quote in the item goes on.", "ol/li/blockquote"),
                ("The list goes on.", "ol/li"),
                ("id=\"codetabs-dag-src-quotes-4\"", "blockquote/ul/li"),
                ("Second item.", "blockquote/ul/li"),
                ("After the quotes.", ""),
            ][..],
        ),
        (
            "admonitions",
            &[
                (" codetabs-group-codetabs-src-admonitions-1\"", "blockquote"),
                ("The note goes on.", "blockquote"),
                ("id=\"codetabs-dag-src-admonitions-2\"", "blockquote"),
                (
                    " codetabs-group-codetabs-src-admonitions-3\"",
                    "ol/li/blockquote",
                ),
                ("The tip goes on.", "ol/li/blockquote"),
                ("The next step.", "ol/li"),
            ][..],
        ),
    ] {
        let html = page(name);
        for (needle, path) in expectations {
            assert_eq!(
                element_paths(&html, needle),
                vec![path.to_string()],
                "{name}: where `{needle}` is"
            );
        }
        // One list or quote per list or quote written: none was split.
        let source = source(name);
        let written = |marker: &str| {
            let mut n = 0;
            for event in new_cmark_parser(&source, &MarkdownOptions::default()) {
                if let Event::Start(tag) = event {
                    n += usize::from(match marker {
                        "<ol" => matches!(tag, Tag::List(Some(_))),
                        "<ul" => matches!(tag, Tag::List(None)),
                        _ => matches!(tag, Tag::BlockQuote(_)),
                    });
                }
            }
            n
        };
        let main = &html[html.find("<main>").expect("main")..];
        for marker in ["<ol", "<ul", "<blockquote"] {
            assert_eq!(
                main.matches(&format!("{marker}>")).count()
                    + main.matches(&format!("{marker} ")).count(),
                written(marker),
                "{name}: {marker} elements"
            );
        }
    }
    // The admonitions are mdBook's: a note and a tip, each whole.
    let html = page("admonitions");
    assert!(html.contains("blockquote-tag-note"), "a note admonition");
    assert!(html.contains("blockquote-tag-tip"), "a tip admonition");
}
