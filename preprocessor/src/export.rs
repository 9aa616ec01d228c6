//! `mdbook-codetabs export-gitbook`: the book as a GitBook Git Sync folder.
//! Chapters go through the same preprocessors as `mdbook build` (with the
//! `markdown` renderer, so tabs become `{% tabs %}`), then admonitions become
//! hints, the first chapter becomes README.md, links follow, and SUMMARY.md
//! and .gitbook.yaml are written. The folder appears whole or not at all.

use crate::CodeTabs;
use anyhow::{bail, Context};
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_driver::MDBook;
use mdbook_preprocessor::book::{BookItem, Chapter};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Marks a folder as ours, so a later export may replace it.
pub const MARKER: &str = ".codetabs-export";

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Replace a non-empty folder this command did not create.
    pub force: bool,
    /// Chapters (src-relative paths) left out, e.g. mdBook-only author docs.
    pub exclude: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ExportSummary {
    pub chapters: usize,
    pub tab_groups: usize,
    pub assets: usize,
}

pub fn export(root: &Path, out: &Path, opts: &ExportOptions) -> anyhow::Result<ExportSummary> {
    refuse_foreign(out, opts.force)?;
    let mut md =
        MDBook::load(root).with_context(|| format!("loading the book at {}", root.display()))?;
    md.with_preprocessor(CodeTabs::new());
    let exclude: Vec<String> = md
        .config
        .get::<Vec<String>>("preprocessor.codetabs.gitbook-exclude")?
        .unwrap_or_default()
        .into_iter()
        .chain(opts.exclude.iter().cloned())
        .collect();
    let (book, _) = md.preprocess_book(&MarkdownRenderer::new())?;
    let src = root.join(&md.config.book.src);

    // Chapters in book order, with the path each gets in the export.
    let mut chapters: Vec<(&Chapter, String)> = Vec::new();
    collect(&book.items, &exclude, &mut chapters);
    if chapters.is_empty() {
        bail!("the book has no chapters to export");
    }
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (i, (ch, path)) in chapters.iter_mut().enumerate() {
        if i == 0 && path != "README.md" {
            // GitBook opens a space on README.md: the first chapter is that page.
            renamed.insert(path.clone(), "README.md".into());
            *path = "README.md".into();
        } else {
            let original = chapter_path(ch);
            renamed.insert(original.clone(), original);
        }
    }

    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".codetabs-export-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
    let mut summary = ExportSummary::default();
    for (ch, path) in &chapters {
        let original = chapter_path(ch);
        let text = rewrite_links(&hints(&ch.content), &original, path, &renamed);
        if let Some(at) = text.find("{{#") {
            let line = 1 + text[..at].matches('\n').count();
            bail!("{original}:{line} (exported): mdBook syntax `{{{{#…}}}}` would reach GitBook; escape-free text or exclude the chapter with gitbook-exclude");
        }
        summary.tab_groups += text.matches("{% tabs %}").count();
        let dest = staging.path().join(path);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&dest, text).with_context(|| format!("writing {path}"))?;
        summary.chapters += 1;
    }
    summary.assets = copy_assets(&src, staging.path())?;
    std::fs::write(
        staging.path().join("SUMMARY.md"),
        summary_md(&book.items, &exclude, &renamed),
    )?;
    std::fs::write(
        staging.path().join(".gitbook.yaml"),
        "root: ./\n\nstructure:\n  readme: README.md\n  summary: SUMMARY.md\n",
    )?;
    std::fs::write(
        staging.path().join(MARKER),
        "Written by mdbook-codetabs export-gitbook.\n",
    )?;
    publish(staging, out)?;
    Ok(summary)
}

fn chapter_path(ch: &Chapter) -> String {
    ch.path
        .as_deref()
        .or(ch.source_path.as_deref())
        .map_or_else(
            || format!("{}.md", ch.name),
            |p| p.to_string_lossy().replace('\\', "/"),
        )
}

fn collect<'a>(items: &'a [BookItem], exclude: &[String], out: &mut Vec<(&'a Chapter, String)>) {
    for item in items {
        if let BookItem::Chapter(ch) = item {
            if ch.path.is_some() && !exclude.contains(&chapter_path(ch)) {
                out.push((ch, chapter_path(ch)));
            }
            collect(&ch.sub_items, exclude, out);
        }
    }
}

fn summary_md(
    items: &[BookItem],
    exclude: &[String],
    renamed: &BTreeMap<String, String>,
) -> String {
    struct Walk<'a> {
        exclude: &'a [String],
        renamed: &'a BTreeMap<String, String>,
        /// A part title waits until a chapter under it is written: an
        /// excluded part leaves no empty group behind.
        pending: Option<&'a str>,
        out: String,
    }
    impl<'a> Walk<'a> {
        fn items(&mut self, items: &'a [BookItem], depth: usize) {
            for item in items {
                match item {
                    BookItem::PartTitle(title) => self.pending = Some(title),
                    BookItem::Chapter(ch) => {
                        let path = chapter_path(ch);
                        if ch.path.is_none() || self.exclude.contains(&path) {
                            continue;
                        }
                        if let Some(title) = self.pending.take() {
                            let _ = writeln!(self.out, "\n## {title}\n");
                        }
                        let target = self.renamed.get(&path).cloned().unwrap_or(path);
                        let _ =
                            writeln!(self.out, "{}* [{}]({target})", "  ".repeat(depth), ch.name);
                        self.items(&ch.sub_items, depth + 1);
                    }
                    BookItem::Separator => {}
                }
            }
        }
    }
    let mut walk = Walk {
        exclude,
        renamed,
        pending: None,
        out: String::from("# Summary\n\n"),
    };
    walk.items(items, 0);
    walk.out
}

/// Refuses to replace a folder that has files and is not one of our exports.
fn refuse_foreign(out: &Path, force: bool) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out)?.next().is_none();
    if empty || out.join(MARKER).exists() || force {
        return Ok(());
    }
    bail!(
        "{} is not empty and was not written by export-gitbook; choose another folder or pass --force to replace it",
        out.display()
    )
}

/// Swaps the finished staging folder in for `out`.
fn publish(staging: tempfile::TempDir, out: &Path) -> anyhow::Result<()> {
    let staged: PathBuf = staging.keep();
    if out.exists() {
        let old = out.with_file_name(format!(
            ".codetabs-old-{}",
            out.file_name()
                .map_or_else(|| "export".into(), |n| n.to_string_lossy().to_string())
        ));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old)
            .with_context(|| format!("moving the old {} aside", out.display()))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e).with_context(|| format!("moving the export into {}", out.display()));
        }
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("removing the old export {}", old.display()))?;
    } else if let Err(e) = std::fs::rename(&staged, out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("moving the export into {}", out.display()));
    }
    Ok(())
}

/// Every file under the book's source folder that is not a chapter, at the
/// same path (hidden files and symbolic links left out, as everywhere).
fn copy_assets(src: &Path, dest: &Path) -> anyhow::Result<usize> {
    let walk = crate::book_files::Walk {
        skip_dirs: &[],
        max_depth: usize::MAX,
        extensions: &[],
    };
    let assets: Vec<String> = walk
        .files(src, "")
        .into_iter()
        .filter(|rel| !rel.ends_with(".md"))
        .collect();
    for rel in &assets {
        let to = dest.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(src.join(rel), &to).with_context(|| format!("copying {rel}"))?;
    }
    Ok(assets.len())
}

/// GitHub-style admonitions (`> [!NOTE]`) as GitBook hints. pulldown-cmark
/// finds them (with GFM on, as mdBook parses), so a `> [!NOTE]` in a code
/// block, an indented code block or raw HTML stays text, and one inside a
/// list item or another quote keeps that container's prefix on every line.
pub fn hints(text: &str) -> String {
    use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag};

    let mut quotes: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let parser = Parser::new_ext(text, Options::ENABLE_GFM | Options::ENABLE_TABLES);
    for (event, range) in parser.into_offset_iter() {
        let Event::Start(Tag::BlockQuote(Some(kind))) = event else {
            continue;
        };
        // An admonition inside another one goes along with the outer one's body.
        if quotes
            .last()
            .is_some_and(|(outer, _)| outer.end > range.start)
        {
            continue;
        }
        let style = match kind {
            BlockQuoteKind::Note | BlockQuoteKind::Important => "info",
            BlockQuoteKind::Tip => "success",
            BlockQuoteKind::Warning => "warning",
            BlockQuoteKind::Caution => "danger",
        };
        quotes.push((range, style));
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, style) in quotes {
        let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
        // What contains the quote (a list item's indentation, an outer `> `).
        let prefix = &text[line_start..range.start];
        out.push_str(&text[copied..range.start]);
        let _ = writeln!(out, "{{% hint style=\"{style}\" %}}");
        let body = text[range.clone()].trim_end_matches('\n');
        for line in body.lines().skip(1) {
            let inner = line.strip_prefix(prefix).unwrap_or(line);
            let unquoted = inner
                .trim_start()
                .strip_prefix('>')
                .map_or(inner, |rest| rest.strip_prefix(' ').unwrap_or(rest));
            if !unquoted.is_empty() {
                out.push_str(prefix);
                out.push_str(unquoted);
            } else {
                out.push_str(prefix.trim_end());
            }
            out.push('\n');
        }
        let _ = write!(out, "{prefix}{{% endhint %}}");
        copied = range.start + body.len();
    }
    out.push_str(&text[copied..]);
    out
}

/// Rewrites the relative links of an exported chapter so they still land:
/// links to chapters that were renamed (the first one becomes README.md),
/// and any relative link of a chapter that itself moved. Links are found by
/// pulldown-cmark, the parser mdBook uses, so every CommonMark form counts
/// (inline, with or without a title, `<angle brackets>`, reference
/// definitions, images) and nothing inside code spans or code blocks does;
/// `href` and `src` attributes are rewritten inside raw HTML only.
fn rewrite_links(
    text: &str,
    from_original: &str,
    from_new: &str,
    renamed: &BTreeMap<String, String>,
) -> String {
    use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

    let from_dir = Path::new(from_original).parent().unwrap_or(Path::new(""));
    let new_depth = from_new.matches('/').count();
    let moved = from_original != from_new;
    let relink = |target: &str| relink(target, from_dir, new_depth, moved, renamed);
    // (byte range of a destination in `text`, its replacement)
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let destination = |range: std::ops::Range<usize>, dest: &str| {
        let fresh = relink(dest);
        if fresh == dest {
            return None;
        }
        // The destination as written: after the last `](` of the link (link
        // text may itself contain brackets), or anywhere in a definition.
        let slice = &text[range.clone()];
        let after = slice.rfind("](").map_or(0, |at| at + 2);
        let at = slice[after..].find(dest)?;
        let start = range.start + after + at;
        Some((start..start + dest.len(), fresh))
    };

    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let parser = Parser::new_ext(text, options).into_offset_iter();
    for (_, def) in parser.reference_definitions().iter() {
        edits.extend(destination(def.span.clone(), &def.dest));
    }
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => edits.extend(destination(range, &dest_url)),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, value) in html_attributes(&html) {
                    let fresh = relink(value);
                    if fresh != value {
                        let start = range.start + at;
                        edits.push((start..start + value.len(), fresh));
                    }
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    edits.dedup_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, fresh) in edits {
        if range.start < copied {
            continue;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(&fresh);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The values of `href` and `src` attributes in a piece of raw HTML, with
/// their byte offsets in it.
fn html_attributes(html: &str) -> Vec<(usize, &str)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for name in ["href", "src"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(name) {
            let name_at = from + at;
            from = name_at + name.len();
            // A whole attribute name: preceded by whitespace, then `=` and a quote.
            if !lower[..name_at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let rest = &html[from..];
            let Some(eq) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = eq.trim_start();
            let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let start = html.len() - value.len() + 1;
            if let Some(len) = html[start..].find(quote) {
                found.push((start, &html[start..start + len]));
            }
        }
    }
    found
}

fn relink(
    target: &str,
    from_dir: &Path,
    new_depth: usize,
    from_moved: bool,
    renamed: &BTreeMap<String, String>,
) -> String {
    if target.contains("://")
        || target.starts_with('#')
        || target.starts_with('/')
        || target.starts_with("mailto:")
        || target.is_empty()
    {
        return target.to_string();
    }
    let (path, frag) = target.split_once('#').map_or((target, ""), |(p, f)| (p, f));
    let joined = normalize(&from_dir.join(path));
    let new_path = if path.ends_with(".md") {
        match renamed.get(&joined) {
            Some(new_path) => new_path.clone(),
            None => return target.to_string(),
        }
    } else {
        // An asset stays where it was: only a chapter that moved needs a new way there.
        joined.clone()
    };
    if !from_moved && new_path == joined {
        return target.to_string();
    }
    let mut link = format!("{}{new_path}", "../".repeat(new_depth));
    if !frag.is_empty() {
        link.push('#');
        link.push_str(frag);
    }
    link
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
            _ => {}
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonitions_become_hints_outside_code() {
        let text = "a\n> [!WARNING]\n> Careful\n> now\n\n```md\n> [!NOTE]\n```\n";
        assert_eq!(
            hints(text),
            "a\n{% hint style=\"warning\" %}\nCareful\nnow\n{% endhint %}\n\n```md\n> [!NOTE]\n```\n"
        );
    }

    #[test]
    fn admonition_markers_in_code_or_html_are_text() {
        for text in [
            "    > [!NOTE]\n    > indented code\n",
            "~~~\n> [!TIP]\n~~~\n",
            "<div>\n> [!NOTE]\n</div>\n",
            "`> [!NOTE]`\n",
            "> [!UNKNOWN]\n> a quote\n",
        ] {
            assert_eq!(hints(text), text, "{text}");
        }
    }

    #[test]
    fn an_admonition_in_a_quote_keeps_the_outer_quote() {
        assert_eq!(
            hints("> Outer\n>\n> > [!NOTE]\n> > Inner\n"),
            "> Outer\n>\n> {% hint style=\"info\" %}\n> Inner\n> {% endhint %}\n"
        );
    }

    #[test]
    fn an_admonition_in_a_list_item_stays_in_it() {
        let text = "1. Step:\n\n   > [!TIP]\n   > Careful\n   >\n   > now\n\n   More.\n";
        assert_eq!(
            hints(text),
            "1. Step:\n\n   {% hint style=\"success\" %}\n   Careful\n\n   now\n   {% endhint %}\n\n   More.\n"
        );
    }

    #[test]
    fn links_follow_a_renamed_chapter() {
        let renamed: BTreeMap<String, String> = [
            ("introduction.md".to_string(), "README.md".to_string()),
            ("posts/a.md".to_string(), "posts/a.md".to_string()),
        ]
        .into();
        let text = "[intro](../introduction.md#x) [a](a.md) <a href=\"../introduction.md\">i</a> [w](https://x.org/introduction.md)";
        assert_eq!(
            rewrite_links(text, "posts/b.md", "posts/b.md", &renamed),
            "[intro](../README.md#x) [a](a.md) <a href=\"../README.md\">i</a> [w](https://x.org/introduction.md)"
        );
        assert_eq!(
            rewrite_links("[p](posts/a.md)", "introduction.md", "README.md", &renamed),
            "[p](posts/a.md)"
        );
    }

    fn to_readme(text: &str) -> String {
        let renamed: BTreeMap<String, String> = [
            ("a.md".to_string(), "README.md".to_string()),
            ("b.md".to_string(), "b.md".to_string()),
        ]
        .into();
        rewrite_links(text, "b.md", "b.md", &renamed)
    }

    #[test]
    fn every_link_form_follows_the_renamed_chapter() {
        let cases = [
            ("[to a](a.md)", "[to a](README.md)"),
            (
                "[to a](a.md \"The intro\")",
                "[to a](README.md \"The intro\")",
            ),
            ("[to a](a.md 'The intro')", "[to a](README.md 'The intro')"),
            ("[to a](<a.md>)", "[to a](<README.md>)"),
            ("[to a](a.md#part)", "[to a](README.md#part)"),
            ("[to [a]](a.md)", "[to [a]](README.md)"),
            ("[to a][r]\n\n[r]: a.md\n", "[to a][r]\n\n[r]: README.md\n"),
            (
                "[to a][r]\n\n[r]: <a.md> \"T\"\n",
                "[to a][r]\n\n[r]: <README.md> \"T\"\n",
            ),
            ("[r]\n\n[r]: a.md\n", "[r]\n\n[r]: README.md\n"),
            ("![pic](a.md)", "![pic](README.md)"),
            ("<a href=\"a.md\">a</a>", "<a href=\"README.md\">a</a>"),
            (
                "<a class=\"x\" href='a.md#y'>a</a>",
                "<a class=\"x\" href='README.md#y'>a</a>",
            ),
            (
                "<div>\n<img src=\"a.md\">\n</div>\n",
                "<div>\n<img src=\"README.md\">\n</div>\n",
            ),
            ("<https://example.org/a.md>", "<https://example.org/a.md>"),
            (
                "[w](https://example.org/a.md)",
                "[w](https://example.org/a.md)",
            ),
            ("`[x](a.md)`", "`[x](a.md)`"),
            (
                "```md\n[x](a.md)\n<a href=\"a.md\">\n```\n",
                "```md\n[x](a.md)\n<a href=\"a.md\">\n```\n",
            ),
            ("    [x](a.md)\n", "    [x](a.md)\n"),
            ("[x](b.md) [y](c.md)", "[x](b.md) [y](c.md)"),
            ("<a data-href=\"a.md\">a</a>", "<a data-href=\"a.md\">a</a>"),
        ];
        for (text, expected) in cases {
            assert_eq!(to_readme(text), expected, "{text}");
        }
    }

    #[test]
    fn a_chapter_that_moved_keeps_its_relative_links_and_assets() {
        let renamed: BTreeMap<String, String> = [
            ("posts/a.md".to_string(), "README.md".to_string()),
            ("posts/b.md".to_string(), "posts/b.md".to_string()),
        ]
        .into();
        assert_eq!(
            rewrite_links(
                "[b](b.md) ![d](img/d.svg) [top](#top)",
                "posts/a.md",
                "README.md",
                &renamed
            ),
            "[b](posts/b.md) ![d](posts/img/d.svg) [top](#top)"
        );
    }
}
