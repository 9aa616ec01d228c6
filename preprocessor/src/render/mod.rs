//! Turning a resolved tab group into chapter text for one renderer.

pub mod diagram;
pub mod gitbook;
pub mod html;
pub mod tables;
pub mod timeline;

use crate::resolve::TabGroup;

/// What the book is being rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// mdBook's HTML renderer: accessible tab markup.
    Html,
    /// mdBook's markdown renderer, used for the GitBook export.
    GitBook,
}

impl Target {
    pub fn for_renderer(renderer: &str) -> Option<Target> {
        match renderer {
            "html" => Some(Target::Html),
            "markdown" => Some(Target::GitBook),
            _ => None,
        }
    }
}

/// Per-chapter facts a renderer needs to make unique ids and links.
#[derive(Debug, Clone)]
pub struct GroupContext<'a> {
    /// Chapter path as a slug, unique across the book (and so across print.html).
    pub chapter_slug: &'a str,
    /// 0-based position of this group in the chapter.
    pub ordinal: usize,
    pub source_url: Option<&'a str>,
    /// mdBook's hidden-line prefixes per language (`Settings::hidelines`).
    pub hidelines: &'a std::collections::BTreeMap<String, String>,
}

/// A directive's output, with where its tab labels are.
#[derive(Debug, Default)]
pub struct Rendered {
    pub text: String,
    /// In the order they appear in `text`.
    pub labels: Vec<Label>,
}

impl From<String> for Rendered {
    fn from(text: String) -> Self {
        Rendered {
            text,
            labels: Vec::new(),
        }
    }
}

/// A tab's label line (`**Ruby**`) in an HTML group: `at..at + len` of the
/// text that holds it, and the id its panel gets if something links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub at: usize,
    pub len: usize,
    pub id: String,
}

pub fn render(group: &TabGroup, target: Target, cx: &GroupContext<'_>) -> Rendered {
    match target {
        Target::Html => html::render(group, cx),
        Target::GitBook => gitbook::render(group).into(),
    }
}

/// A label as one strong markdown paragraph line: every ASCII punctuation
/// character is backslash-escaped, so the text shows as written.
pub fn label_markdown(out: &mut String, label: &str) {
    out.push_str("**");
    for c in label.trim().chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push_str("**");
}

pub fn render_diagram(
    graph: &crate::workflow_graph::WorkflowGraph,
    title: Option<&str>,
    target: Target,
    cx: &GroupContext<'_>,
) -> String {
    match target {
        Target::Html => {
            let id = format!("codetabs-dag-{}-{}", cx.chapter_slug, cx.ordinal + 1);
            diagram::svg(graph, &id, title)
        }
        Target::GitBook => diagram::mermaid(graph, title),
    }
}

/// The id of a tab group, unique across the book (and so across print.html).
pub fn group_id(cx: &GroupContext<'_>) -> String {
    format!("codetabs-{}-{}", cx.chapter_slug, cx.ordinal + 1)
}

/// Writes what `write` appends to `out` as a block of its own: set off by
/// blank lines from the chapter text around it, outside any container.
pub fn set_off<T>(out: &mut String, write: impl FnOnce(&mut String) -> T) -> T {
    out.push('\n');
    let written = write(out);
    out.push('\n');
    written
}

/// Writes a directive's output `text` in place of the directive, set off by
/// blank lines. Inside list items and quotes every line starts with the
/// directive's `container` prefix (blank lines with its markers only), so
/// the output stays in them: raw HTML blocks, fences and tables included,
/// since CommonMark ends a container at the first line without its prefix.
/// `opens_item`: the directive follows a list marker on the same line, and
/// the output's first line takes its place there.
/// `labels` (offsets of non-blank line starts in `text`, ascending) are moved
/// to where those lines' text starts in `out`, after any prefix.
pub fn write_in_place(
    out: &mut String,
    text: &str,
    container: &str,
    opens_item: bool,
    labels: &mut [Label],
) {
    if container.is_empty() {
        set_off(out, |out| {
            let base = out.len();
            labels.iter_mut().for_each(|l| l.at += base);
            out.push_str(text);
        });
        return;
    }
    let blank = container.trim_end();
    let mut labels = labels.iter_mut().peekable();
    let mut at = 0;
    let mut lines = text
        .split_inclusive('\n')
        .map(|line| {
            let start = at;
            at += line.len();
            (start, line)
        })
        .peekable();
    let mut place = |out: &mut String, start: usize| {
        if let Some(label) = labels.next_if(|l| l.at == start) {
            label.at = out.len();
        }
    };
    if opens_item {
        while lines.next_if(|(_, l)| l.trim().is_empty()).is_some() {}
        if let Some((start, first)) = lines.next() {
            place(out, start);
            out.push_str(first);
        }
    } else {
        out.push('\n');
    }
    for (start, line) in lines {
        if line.trim().is_empty() {
            out.push_str(blank);
            out.push('\n');
        } else {
            out.push_str(container);
            place(out, start);
            out.push_str(line);
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(blank);
    out.push('\n');
    out.push_str(blank);
}

/// A backtick fence longer than any backtick run in the code, so code that
/// itself contains fences cannot close ours.
pub fn fence_for(code: &str) -> String {
    let bytes = code.as_bytes();
    let mut longest = 0;
    for start in memchr::memchr_iter(b'`', bytes) {
        // Only the start of a run matters; the rest of it is counted here.
        if start > 0 && bytes[start - 1] == b'`' {
            continue;
        }
        let run = bytes[start..].iter().take_while(|b| **b == b'`').count();
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A caption line for markdown output (GitBook). Only `<`, `>` and `&` are
/// escaped: markdown shows quotes as they are, entities for them would be noise.
pub fn markdown_title(title: &str) -> String {
    let text = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("**{text}**\n\n")
}

/// A chapter path as an id-safe slug: `posts/01-ecommerce.md` → `posts-01-ecommerce`.
pub fn slug(path: &str) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The file name shown on a tab's code block.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_outgrows_code_fences() {
        assert_eq!(fence_for("no ticks"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn slugs_are_id_safe() {
        assert_eq!(slug("posts/01-ecommerce.md"), "posts-01-ecommerce");
        assert_eq!(slug("Über <b>.md"), "ber-b");
    }
}
