//! Static targets for links to tab panels.
//!
//! Every label is first written as markdown (`**Ruby**`), which mdBook
//! renders for a fraction of what a raw-HTML block costs it. Once every link
//! of the book is known (the generated tables and what authors wrote), the
//! labels that a link points at become `<p id="<panel id>">` paragraphs, so
//! those links land without script and for link checkers. The rest get
//! their ids from `theme/codetabs.js`, like every panel.

use crate::render::{escape_html, Label};
use std::collections::HashSet;

/// What a link to one of our panels starts with.
const FRAGMENT: &str = "#codetabs-";

/// The ids named by every `#codetabs-…` fragment in `text`, markdown or HTML.
pub fn fragments(text: &str) -> impl Iterator<Item = &str> {
    memchr::memmem::find_iter(text.as_bytes(), FRAGMENT).map(move |at| {
        let rest = &text[at + 1..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | ')' | ']' | '<' | '>' | '&' | '?')
            })
            .unwrap_or(rest.len());
        &rest[..end]
    })
}

/// `text` with every label in `labels` whose id is `linked` rewritten as an
/// HTML paragraph carrying that id; `None` when none is linked.
pub fn promote(text: &str, labels: &[Label], linked: &HashSet<String>) -> Option<String> {
    if linked.is_empty() {
        return None;
    }
    let chosen: Vec<&Label> = labels.iter().filter(|l| linked.contains(&l.id)).collect();
    if chosen.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 48 * chosen.len());
    let mut copied = 0;
    for label in chosen {
        // Only a label line still where it was written is touched.
        let Some(inner) = (label.at >= copied)
            .then(|| text.get(label.at..label.at + label.len))
            .flatten()
            .and_then(|md| md.strip_prefix("**")?.strip_suffix("**"))
        else {
            continue;
        };
        out.push_str(&text[copied..label.at]);
        out.push_str("<p id=\"");
        out.push_str(&escape_html(&label.id));
        out.push_str("\"><strong>");
        out.push_str(&escape_html(&unescape_markdown(inner)));
        out.push_str("</strong></p>");
        copied = label.at + label.len;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The text of a label written by `render::label_markdown`.
fn unescape_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::label_markdown;

    #[test]
    fn finds_fragments_in_markdown_and_html_links() {
        let text = "[a](../p.html#codetabs-p-1-ruby) <a href=\"#codetabs-p-2-rust\">b</a> #codetabs-x?lang=1 #other";
        let found: Vec<_> = fragments(text).collect();
        assert_eq!(
            found,
            ["codetabs-p-1-ruby", "codetabs-p-2-rust", "codetabs-x"]
        );
    }

    #[test]
    fn only_linked_labels_get_an_id_and_their_text_survives() {
        let mut text = String::from("\n");
        let mut labels = Vec::new();
        for (id, name) in [("g-a", "C#"), ("g-b", "Ruby"), ("g-c", "<b>*x*</b>")] {
            let at = text.len();
            label_markdown(&mut text, name);
            labels.push(Label {
                at,
                len: text.len() - at,
                id: id.into(),
            });
            text.push_str("\n\n```\ncode\n```\n");
        }
        let linked: HashSet<String> = ["g-a".to_string(), "g-c".to_string()].into();
        let out = promote(&text, &labels, &linked).expect("two are linked");
        assert!(out.contains("<p id=\"g-a\"><strong>C#</strong></p>\n\n```"));
        assert!(out.contains("\n**Ruby**\n"));
        assert!(out.contains("<p id=\"g-c\"><strong>&lt;b&gt;*x*&lt;/b&gt;</strong></p>"));
        assert_eq!(promote(&text, &labels, &HashSet::new()), None);
    }

    #[test]
    fn a_label_that_moved_is_left_alone() {
        let labels = [Label {
            at: 3,
            len: 8,
            id: "g-a".into(),
        }];
        let linked: HashSet<String> = ["g-a".to_string()].into();
        let text = "abc not a label";
        assert_eq!(promote(text, &labels, &linked).as_deref(), Some(text));
    }
}
