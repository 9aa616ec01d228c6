//! A link checker over the real book, built as readers get it: every link
//! and every `#` fragment in the HTML book resolves without JavaScript
//! (chapter links, headings, tab groups and panels, `?lang=` links, assets,
//! print.html, the 404 page under its `<base>`, ids named by ARIA attributes
//! and SVG `url(#…)`), the source links resolve when `source-url` is set,
//! and every link in the GitBook export resolves as GitBook reads it
//! (relative `.md` paths, fragments as GitBook's heading ids).
//!
//! HTML is read with html5ever's tokenizer (the parser mdBook itself uses),
//! markdown with pulldown-cmark. Nothing is fetched: links off the book
//! (other than source links) are counted, not followed.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use mdbook_codetabs::export::{export, ExportOptions};
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const LANGUAGES: [&str; 4] = ["ruby", "python", "typescript", "rust"];

/// Broken references in mdBook 0.5.4's own page template, which we do not
/// write and leave as they are: the search box's
/// `aria-describedby="searchresults-header"` names an element whose id is
/// `mdbook-searchresults-header`.
const MDBOOK_OWN: [&str; 1] = ["searchresults-header"];

/// The same for links: mdBook's 404 page sets `<base href="/">`, so the
/// self-link of its own heading leads to the first page.
const MDBOOK_OWN_LINKS: [(&str, &str); 1] = [("404.html", "#document-not-found-404")];

/// What one HTML page holds and points at.
#[derive(Debug, Default)]
struct Page {
    ids: BTreeSet<String>,
    /// `href`/`src` values, in document order.
    links: Vec<String>,
    /// Ids named by `aria-*`, `for` and `url(#…)`: they must be on this page.
    id_refs: Vec<String>,
    base: Option<String>,
    /// Languages with a code block on the page (`codetabs-lang-<key>`).
    langs: BTreeSet<String>,
}

#[derive(Default)]
struct Collector(RefCell<Page>);

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind == TagKind::EndTag {
            return TokenSinkResult::Continue;
        }
        let mut page = self.0.borrow_mut();
        for attr in &tag.attrs {
            let (name, value) = (&*attr.name.local, attr.value.to_string());
            match name {
                "id" => {
                    page.ids.insert(value.clone());
                }
                "name" if &*tag.name == "a" => {
                    page.ids.insert(value.clone());
                }
                "href" if &*tag.name == "base" => page.base = Some(value.clone()),
                "href" | "src" | "xlink:href" => page.links.push(value.clone()),
                "aria-labelledby" | "aria-describedby" | "aria-controls" | "aria-owns" => {
                    page.id_refs
                        .extend(value.split_ascii_whitespace().map(String::from));
                }
                "for" if &*tag.name == "label" => page.id_refs.push(value.clone()),
                "class" => {
                    for class in value.split_ascii_whitespace() {
                        if let Some(lang) = class.strip_prefix("codetabs-lang-") {
                            page.langs.insert(lang.to_string());
                        }
                    }
                }
                _ => {}
            }
            // SVG paint and marker references: `url(#arrow)`.
            let mut rest = value.as_str();
            while let Some(at) = rest.find("url(#") {
                rest = &rest[at + 5..];
                if let Some(end) = rest.find(')') {
                    page.id_refs.push(rest[..end].to_string());
                }
            }
        }
        // As a browser does: what a script or style holds is not markup.
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" => TokenSinkResult::RawData(RawKind::Rawtext),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn parse_html(text: &str) -> Page {
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(text));
    let tok = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let _ = tok.feed(&queue);
    tok.end();
    tok.sink.0.take()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        })
}

/// `dir/../x` → `x`; `None` if it climbs out of the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// Splits `path?query#fragment`.
fn split_url(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    (path, query, fragment)
}

#[derive(Debug, Default)]
struct Report {
    broken: Vec<String>,
    pages: usize,
    local: usize,
    fragments: usize,
    external: usize,
    source: usize,
}

/// Every link and id reference of the HTML book at `root` (a build folder).
/// `source_url`: the `{path}`/`{start}`/`{end}` template, when set.
fn check_html_book(root: &Path, source_url: Option<&str>) -> Report {
    let mut pages: BTreeMap<PathBuf, Page> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            let rel = path.strip_prefix(root).expect("inside").to_path_buf();
            let text = std::fs::read_to_string(path).expect("page");
            pages.insert(rel, parse_html(&text));
        }
    }
    let mut report = Report {
        pages: pages.len(),
        ..Report::default()
    };
    for (file, page) in &pages {
        let here = file.display();
        for id in &page.id_refs {
            if !page.ids.contains(id) && !MDBOOK_OWN.contains(&id.as_str()) {
                report
                    .broken
                    .push(format!("{here}: reference to #{id}, no such id"));
            }
        }
        for url in &page.links {
            if is_external(url) {
                report.external += 1;
                if let Some(template) = source_url {
                    if let Some(problem) = check_source_link(url, template) {
                        report.source += 1;
                        if let Err(p) = problem {
                            report.broken.push(format!("{here}: {url}: {p}"));
                        }
                    }
                }
                continue;
            }
            report.local += 1;
            if MDBOOK_OWN_LINKS.contains(&(&*file.to_string_lossy(), url.as_str())) {
                continue;
            }
            let (path, query, fragment) = split_url(url);
            // Relative to the page, or to its <base> (mdBook's 404 page).
            let dir = match &page.base {
                Some(base) if base.starts_with('/') => PathBuf::from(&base[1..]),
                Some(base) => file.parent().unwrap_or(Path::new("")).join(base),
                None => file.parent().unwrap_or(Path::new("")).to_path_buf(),
            };
            let target = if path.is_empty() && page.base.is_none() {
                Some(file.clone())
            } else if let Some(abs) = path.strip_prefix('/') {
                normalize(Path::new(&percent_decode(abs)))
            } else {
                normalize(&dir.join(percent_decode(path)))
            };
            let Some(mut target) = target else {
                report
                    .broken
                    .push(format!("{here}: {url}: outside the book"));
                continue;
            };
            if target.as_os_str().is_empty() || root.join(&target).is_dir() {
                target.push("index.html");
            }
            if !root.join(&target).is_file() {
                report
                    .broken
                    .push(format!("{here}: {url}: no file {}", target.display()));
                continue;
            }
            let target_page = pages.get(&target);
            if let Some(lang) = query.and_then(|q| {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("lang="))
                    .map(|l| percent_decode(l).to_lowercase())
            }) {
                let shown = target_page.is_some_and(|p| p.langs.contains(&lang));
                if !LANGUAGES.contains(&lang.as_str()) || !shown {
                    report.broken.push(format!(
                        "{here}: {url}: ?lang={lang} is no language of that page"
                    ));
                }
            }
            match (fragment.map(percent_decode), target_page) {
                (Some(f), Some(p)) if !f.is_empty() => {
                    report.fragments += 1;
                    if !p.ids.contains(&f) {
                        report.broken.push(format!(
                            "{here}: {url}: no id {f:?} in {}",
                            target.display()
                        ));
                    }
                }
                (Some(f), None) if !f.is_empty() => report
                    .broken
                    .push(format!("{here}: {url}: a fragment into a non-page")),
                _ => {}
            }
        }
    }
    report
}

/// `None`: not a source link. Otherwise whether it names an existing file
/// of the repository and lines inside it.
fn check_source_link(url: &str, template: &str) -> Option<Result<(), String>> {
    let (prefix, suffix) = template.split_once("{path}")?;
    let rest = url.strip_prefix(prefix)?;
    // The test's template puts `#L{start}-L{end}` after the path.
    assert_eq!(suffix, "#L{start}-L{end}", "the test's own template");
    let (path, lines) = rest.split_once('#')?;
    let check = || -> Result<(), String> {
        let (start, end) = lines
            .strip_prefix('L')
            .and_then(|l| l.split_once("-L"))
            .ok_or("no #L<start>-L<end>")?;
        let (start, end): (usize, usize) = (
            start.parse().map_err(|_| "bad start line")?,
            end.parse().map_err(|_| "bad end line")?,
        );
        let text = std::fs::read_to_string(repo().join(percent_decode(path)))
            .map_err(|e| format!("no such source file: {e}"))?;
        let count = text.lines().count();
        if start == 0 || start > end || end > count {
            return Err(format!("lines {start}–{end} of a {count}-line file"));
        }
        Ok(())
    };
    Some(check())
}

fn build(out: &Path, source_url: Option<&str>) {
    let mut book = MDBook::load(repo()).expect("loads");
    book.config.build.build_dir = out.to_path_buf();
    if let Some(url) = source_url {
        book.config
            .set("preprocessor.codetabs.source-url", url)
            .expect("config");
    }
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("builds");
}

const SOURCE_URL: &str = "https://example.org/tasker-by-example/blob/main/{path}#L{start}-L{end}";

#[test]
fn every_link_and_fragment_of_the_html_book_resolves() {
    let tmp = tempfile::tempdir().expect("tempdir");
    build(tmp.path(), None);
    let report = check_html_book(tmp.path(), None);
    assert!(
        report.broken.is_empty(),
        "{} of {} local links broken:\n{}",
        report.broken.len(),
        report.local,
        report.broken.join("\n")
    );
    // The book is link-heavy (mapping and API tables): a checker that
    // found far fewer would be looking at the wrong thing.
    assert!(report.pages >= 10, "{report:?}");
    assert!(report.local > 1000, "{report:?}");
    assert!(report.fragments > 1000, "{report:?}");
    eprintln!(
        "html book: {} local links ({} with a fragment), {} external not followed, 0 broken",
        report.local, report.fragments, report.external
    );
}

#[test]
fn with_source_url_set_every_source_link_names_real_lines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    build(tmp.path(), Some(SOURCE_URL));
    let report = check_html_book(tmp.path(), Some(SOURCE_URL));
    assert!(
        report.broken.is_empty(),
        "{} broken:\n{}",
        report.broken.len(),
        report.broken.join("\n")
    );
    // One per tab panel, on the chapters and again on print.html.
    assert!(report.source > 400, "{report:?}");
    eprintln!("with source-url: {} source links, 0 broken", report.source);
}

#[test]
fn the_checker_finds_what_is_broken() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("posts")).expect("mkdir");
    std::fs::write(
        root.join("index.html"),
        "<p id=\"top\"><a href=\"posts/a.html#x-ruby\">ok</a> <a href=\"posts/a.html#gone\">1</a> \
         <a href=\"posts/b.html\">2</a> <a href=\"posts/a.html?lang=cobol\">3</a> \
         <a href=\"posts/a.html?lang=ruby#x-ruby\">ok</a> <a href=\"#top\">ok</a> \
         <a href=\"../out.html\">4</a> <a href=\"https://example.org/\">ok</a>\
         <svg aria-labelledby=\"cap\"><path marker-end=\"url(#arrow)\"/></svg>\
         <script>if (a<b) { x = '<a href=\"nope.html\">'; }</script></p>",
    )
    .expect("index");
    std::fs::write(
        root.join("posts/a.html"),
        "<p id=\"x-ruby\"><strong>Ruby</strong></p><pre><code class=\"language-ruby codetabs-lang-ruby\"></code></pre>",
    )
    .expect("a");
    // A 404 page's links are relative to its <base>, not to itself.
    std::fs::write(
        root.join("posts/404.html"),
        "<base href=\"/\"><a href=\"posts/a.html#x-ruby\">ok</a><a href=\"a.html\">5</a>",
    )
    .expect("404");
    let report = check_html_book(root, None);
    let broken = report.broken.join("\n");
    for needle in [
        "#gone",
        "posts/b.html",
        "?lang=cobol",
        "../out.html",
        "#cap",
        "#arrow",
        "404.html: a.html",
    ] {
        assert!(broken.contains(needle), "{needle} not reported:\n{broken}");
    }
    assert_eq!(report.broken.len(), 7, "{broken}");
    assert_eq!(report.external, 1);
}

/// GitBook's id for a heading, written here independently of the exporter:
/// lower-case, spaces to hyphens, other punctuation dropped.
fn gitbook_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Links (markdown and raw HTML) and GitBook heading ids of one exported page.
fn markdown_page(text: &str) -> (Vec<String>, BTreeSet<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut links = Vec::new();
    let mut ids = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3,
                ..
            }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    assert!(ids.insert(gitbook_id(&h)), "two headings {h:?}");
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => links.extend(parse_html(&h).links),
            _ => {}
        }
    }
    (links, ids)
}

#[test]
fn every_link_of_the_gitbook_export_resolves_as_gitbook_reads_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("gitbook");
    export(&repo(), &out, &ExportOptions::default()).expect("exports");
    let mut pages: BTreeMap<PathBuf, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let rel = entry
                .path()
                .strip_prefix(&out)
                .expect("inside")
                .to_path_buf();
            let text = std::fs::read_to_string(entry.path()).expect("page");
            pages.insert(rel, markdown_page(&text));
        }
    }
    let (mut broken, mut local, mut to_headings) = (Vec::new(), 0, 0);
    for (file, (links, _)) in &pages {
        let here = file.display();
        for url in links {
            if is_external(url) {
                continue;
            }
            local += 1;
            let (path, _, fragment) = split_url(url);
            let target = if path.is_empty() {
                Some(file.clone())
            } else {
                normalize(
                    &file
                        .parent()
                        .unwrap_or(Path::new(""))
                        .join(percent_decode(path)),
                )
            };
            let Some(mut target) = target else {
                broken.push(format!("{here}: {url}: outside the export"));
                continue;
            };
            if target.as_os_str().is_empty() || out.join(&target).is_dir() {
                target.push("README.md");
            }
            if !out.join(&target).is_file() {
                broken.push(format!("{here}: {url}: no file {}", target.display()));
                continue;
            }
            if let (Some(f), Some((_, ids))) = (fragment, pages.get(&target)) {
                to_headings += 1;
                if !ids.contains(&percent_decode(f)) {
                    broken.push(format!(
                        "{here}: {url}: no heading with id {f:?} in {}",
                        target.display()
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {local} links broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(
        pages.len() >= 6 && local > 400,
        "{} pages, {local} links",
        pages.len()
    );
    // Mapping and API tables link to the heading above each group.
    assert!(to_headings > 400, "{to_headings} links to headings");
    eprintln!(
        "gitbook export: {} pages, {local} local links ({to_headings} to headings), 0 broken",
        pages.len()
    );
}
