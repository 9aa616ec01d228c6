//! Tab markup for mdBook's HTML renderer, as lean as it can be.
//!
//! mdBook 0.5 runs every raw-HTML block through an HTML tokenizer, at a fixed
//! price per block several times that of a markdown paragraph, so a group is
//! markdown: per language a label paragraph (`**Ruby**`), the code fence and
//! a source paragraph. A label that something links to (a mapping table, a
//! link in a chapter) becomes `<p id="<group id>-<key>"><strong>Ruby</strong></p>`
//! once every link is known (`link_targets`): markdown cannot give a
//! paragraph an id, and such links must land without script and for link
//! checkers. The fence's info string carries `codetabs-code`,
//! `codetabs-lang-<key>`, on the first language `codetabs-group-<group id>`
//! and on the others `codetabs-more`; mdBook turns those words into classes
//! on `<code>`. The languages after the first are fenced as `plaintext`, with
//! their own in `codetabs-highlight-<name>`: mdBook's highlight.js colours
//! every block as a page loads, and most of them sit in panels the reader has
//! not opened (without that work a chapter loads 15 % faster, print.html 25 %);
//! codetabs.js colours a panel's code as it is first shown, and all of it
//! before printing. Code whose text mdBook changes for its language (hidden
//! lines, keyed on the fence's language) keeps its language. Only a group
//! with a title starts with a marker `<div class="codetabs" id="<group id>">`
//! holding the title. Without script every language is shown under its
//! label (and so it prints); `theme/codetabs.js` builds the WAI-ARIA tabs
//! from it and gives each panel its id.
//! Code stays a markdown fence so mdBook's highlighting and copy button apply.

use super::{escape_html, fence_for, GroupContext, Label, Rendered};
use crate::resolve::{Tab, TabGroup};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn render(group: &TabGroup, cx: &GroupContext<'_>) -> Rendered {
    let mut text = String::with_capacity(size(group, cx));
    let labels = write(&mut text, group, cx);
    Rendered { text, labels }
}

/// At least as many bytes as [`write`] adds for `group` (a chapter is put
/// together in one allocation, so this errs high: what is never written is
/// never touched).
pub fn size(group: &TabGroup, cx: &GroupContext<'_>) -> usize {
    let per_tab = 2 * cx.chapter_slug.len() + cx.source_url.map_or(0, str::len) + 256;
    let tabs: usize = group
        .tabs
        .iter()
        .map(|t| t.snippet.code_len() + 2 * t.path.len() + 2 * t.lang.label.len() + per_tab)
        .sum();
    // A title is escaped (at most six bytes a character) into one line.
    tabs + 6 * group.title.as_ref().map_or(0, String::len) + 2 * cx.chapter_slug.len() + 96
}

/// Appends `group` to `out`, where the chapter is being put together; the
/// labels' offsets are into `out`.
pub fn write(out: &mut String, group: &TabGroup, cx: &GroupContext<'_>) -> Vec<Label> {
    let gid = super::group_id(cx);
    // One line, so the HTML block ends at the blank line after it.
    if let Some(title) = group.title.as_deref() {
        let title = escape_html(&title.replace(['\r', '\n'], " "));
        if !title.is_empty() {
            let _ = writeln!(out, "<div class=\"codetabs\" id=\"{gid}\">{title}</div>");
        }
    }
    let mut labels = Vec::with_capacity(group.tabs.len());
    for (i, tab) in group.tabs.iter().enumerate() {
        labels.push(panel(out, &gid, i == 0, tab, cx));
    }
    labels
}

/// One language of group `gid`; `first`: the group's first language.
/// Returns where its label went.
fn panel(out: &mut String, gid: &str, first: bool, tab: &Tab, cx: &GroupContext<'_>) -> Label {
    let fence = fence_for(tab.snippet.as_written());
    // push_str rather than write!: this runs for every snippet of the book.
    out.push('\n');
    let at = out.len();
    super::label_markdown(out, &tab.lang.label);
    let label = Label {
        at,
        len: out.len() - at,
        id: format!("{gid}-{}", tab.lang.key),
    };
    out.push_str("\n\n");
    out.push_str(&fence);
    if first || hides_lines(tab.highlight, tab.snippet.as_written(), cx.hidelines) {
        out.push_str(info_string(tab.highlight));
    } else {
        out.push_str("plaintext,codetabs-highlight-");
        out.push_str(tab.highlight);
    }
    out.push_str(",codetabs-code,codetabs-lang-");
    out.push_str(&tab.lang.key);
    if first {
        out.push_str(",codetabs-group-");
        out.push_str(gid);
    } else {
        out.push_str(",codetabs-more");
    }
    out.push('\n');
    tab.snippet.write_code(out);
    out.push_str(&fence);
    out.push_str("\n\n");
    let (first_line, last_line) = (tab.snippet.first_line, tab.snippet.last_line);
    let path = code_span(&tab.path);
    match cx.source_url {
        Some(url) => {
            let href = url
                .replace("{path}", &tab.path)
                .replace("{start}", &first_line.to_string())
                .replace("{end}", &last_line.to_string());
            let _ = write!(out, "[{path}]({})", link_destination(&href));
        }
        None => out.push_str(&path),
    }
    if first_line == last_line {
        let _ = write!(out, " line {first_line}");
    } else {
        let _ = write!(out, " lines {first_line}–{last_line}");
    }
    // How much of it the tests run (from the committed coverage report), in
    // the same small line: it qualifies the code, so it prints with it.
    // The label is our own fixed wording (words, digits, `,` `:` `(` `)`), which
    // markdown shows as written; emphasis (no raw HTML, which costs mdBook a
    // parse per block) lets the theme mute it (theme/codetabs.css).
    if let Some(coverage) = tab.coverage {
        out.push_str(" · *");
        out.push_str(&coverage.label());
        out.push('*');
    }
    out.push('\n');
    label
}

/// Whether mdBook's HTML renderer changes this code for its language: Rust's
/// hidden lines (`# …` or a lone `#`) and `##` escapes, whatever the
/// configuration says, or another language's prefix set in
/// `output.html.code.hidelines`.
fn hides_lines(highlight: &str, code: &str, hidelines: &BTreeMap<String, String>) -> bool {
    let rust = highlight == "rust";
    let prefix = if rust {
        "#"
    } else {
        match hidelines.get(highlight) {
            Some(p) => p.as_str(),
            None => return false,
        }
    };
    if !code.contains(prefix) {
        return false;
    }
    code.lines()
        .any(|line| match line.trim_start().strip_prefix(prefix) {
            Some(rest) if rust => rest.is_empty() || rest.starts_with(' ') || rest.starts_with('#'),
            Some(_) => true,
            None => false,
        })
}

/// Rust fences get `noplayground`: handler code needs the Tasker crates, which
/// the Rust playground does not have.
fn info_string(highlight: &str) -> &str {
    if highlight == "rust" {
        "rust,noplayground"
    } else {
        highlight
    }
}

/// A markdown code span holding `text` verbatim, whatever backticks it holds.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A link destination markdown reads back unchanged: characters that would end
/// or break it are percent-encoded.
fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '\\' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outgrow_backticks() {
        assert_eq!(code_span("a/b.rb"), "`a/b.rb`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
    }

    #[test]
    fn only_code_mdbook_hides_lines_of_keeps_its_language() {
        let none = BTreeMap::new();
        // Rust: attributes and `#` inside a line are code; `# `, a lone `#`
        // and `##` at a line's start are mdBook's to change.
        assert!(!hides_lines(
            "rust",
            "#[derive(Debug)]\n#![allow(x)]\nlet a = \"#\";\n",
            &none
        ));
        assert!(hides_lines("rust", "fn f() {\n    # hidden\n}\n", &none));
        assert!(hides_lines("rust", "#\n", &none));
        assert!(hides_lines("rust", "  ## escaped\n", &none));
        // Other languages only with a configured prefix; Ruby's and
        // Python's comments are code by default.
        assert!(!hides_lines("python", "# a comment\n", &none));
        let tilde = BTreeMap::from([("python".to_string(), "~".to_string())]);
        assert!(hides_lines("python", "x = 1\n  ~hidden = 2\n", &tilde));
        assert!(!hides_lines("python", "x = '~'\n", &tilde));
        assert!(!hides_lines("ruby", "~ x\n", &tilde));
        // Rust's rule is built in, whatever the configuration says.
        let rust = BTreeMap::from([("rust".to_string(), "~".to_string())]);
        assert!(!hides_lines("rust", "~x\n", &rust));
    }

    #[test]
    fn link_destinations_stay_one_token() {
        assert_eq!(
            link_destination("https://x.org/a b(c)<d>\\e\n#L1"),
            "https://x.org/a%20b%28c%29%3Cd%3E%5Ce%0A#L1"
        );
    }
}
