//! HTML tab markup for mdBook's HTML renderer.
//!
//! The markup works with no script at all: every panel is shown under its
//! label (and so it prints). `theme/codetabs.js` turns it into WAI-ARIA tabs.
//! Code stays a markdown fence so mdBook's highlighting and copy button apply.

use super::{escape_html, fence_for, GroupContext};
use crate::resolve::{Tab, TabGroup};
use std::fmt::Write;

pub fn render(group: &TabGroup, cx: &GroupContext<'_>) -> String {
    let gid = super::group_id(cx);
    let mut out = String::new();
    let label = group.title.as_deref().unwrap_or("Code in each language");
    let _ = writeln!(
        out,
        "<div class=\"codetabs\" id=\"{gid}\" data-codetabs-anchor=\"{}\">",
        escape_html(group.anchor.as_deref().unwrap_or(""))
    );
    if let Some(title) = &group.title {
        let _ = writeln!(
            out,
            "<p class=\"codetabs-title\">{}</p>",
            escape_html(title)
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"codetabs-tablist\" role=\"tablist\" aria-label=\"{}\">",
        escape_html(label)
    );
    for (i, tab) in group.tabs.iter().enumerate() {
        let key = escape_html(&tab.lang.key);
        let _ = writeln!(
            out,
            "<button type=\"button\" class=\"codetabs-tab\" role=\"tab\" id=\"{gid}-{key}-tab\" \
             aria-controls=\"{gid}-{key}\" aria-selected=\"{}\" tabindex=\"{}\" data-codetabs-lang=\"{key}\">{}</button>",
            i == 0,
            if i == 0 { 0 } else { -1 },
            escape_html(&tab.lang.label)
        );
    }
    out.push_str("</div>\n");
    for tab in &group.tabs {
        panel(&mut out, &gid, tab, cx);
    }
    out.push_str("</div>\n");
    out
}

fn panel(out: &mut String, gid: &str, tab: &Tab, cx: &GroupContext<'_>) {
    let key = escape_html(&tab.lang.key);
    let _ = writeln!(
        out,
        "<div class=\"codetabs-panel\" role=\"tabpanel\" id=\"{gid}-{key}\" aria-labelledby=\"{gid}-{key}-tab\" \
         data-codetabs-lang=\"{key}\" tabindex=\"0\">"
    );
    let _ = writeln!(
        out,
        "<p class=\"codetabs-label\">{}</p>",
        escape_html(&tab.lang.label)
    );
    let fence = fence_for(&tab.snippet.code);
    // The blank lines end the HTML block so the fence is read as markdown.
    let _ = write!(
        out,
        "\n{fence}{}\n{}{fence}\n\n",
        info_string(&tab.highlight),
        tab.snippet.code
    );
    let (first, last) = (tab.snippet.first_line, tab.snippet.last_line);
    let lines = if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    };
    let path = escape_html(&tab.path);
    let shown = match cx.source_url {
        Some(url) => format!(
            "<a href=\"{}\"><code>{path}</code></a>",
            escape_html(
                &url.replace("{path}", &tab.path)
                    .replace("{start}", &first.to_string())
                    .replace("{end}", &last.to_string())
            )
        ),
        None => format!("<code>{path}</code>"),
    };
    let _ = writeln!(
        out,
        "<p class=\"codetabs-source\">{shown} <span class=\"codetabs-lines\">{lines}</span></p>\n</div>"
    );
}

/// Rust fences get `noplayground`: handler code needs the Tasker crates, which
/// the Rust playground does not have.
fn info_string(highlight: &str) -> String {
    if highlight == "rust" {
        "rust,noplayground".to_string()
    } else {
        highlight.to_string()
    }
}
