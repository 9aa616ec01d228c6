//! GitBook markup (`{% tabs %}`, `{% code %}`) for the markdown renderer, so
//! the exported book keeps its tabs and every snippet is inlined.

use super::{escape_html, fence_for};
use crate::resolve::TabGroup;
use std::fmt::Write;

pub fn render(group: &TabGroup) -> String {
    let mut out = String::new();
    if let Some(title) = &group.title {
        out.push_str(&super::markdown_title(title));
    }
    out.push_str("{% tabs %}\n");
    for tab in &group.tabs {
        let fence = fence_for(tab.snippet.as_written());
        let _ = write!(
            out,
            "{{% tab title=\"{}\" %}}\n{{% code title=\"{}\" lineNumbers=\"true\" %}}\n{fence}{}\n{}{fence}\n{{% endcode %}}\n{{% endtab %}}\n",
            escape_html(&tab.lang.label),
            // The full path: GitBook cannot link to the file, so the title says where it lives;
            // then how much of it the tests run, as the HTML book says under the code.
            escape_html(&match tab.coverage {
                Some(c) => format!("{} · {}", tab.path, c.label()),
                None => tab.path.clone(),
            }),
            tab.highlight,
            tab.snippet.code(),
        );
    }
    out.push_str("{% endtabs %}\n");
    out
}

/// The id GitBook gives a heading, which is what a `#fragment` must name
/// there: lower-case, each space a hyphen, every other character that is
/// not a letter, a digit or a hyphen dropped (`Step 1: take the payment` →
/// `step-1-take-the-payment`).
pub fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            out.push('-');
        }
    }
    out
}

/// Every heading of a chapter as (byte offset, GitBook id), in order, found
/// by pulldown-cmark, so `#` lines in code blocks are no headings.
pub fn heading_ids(chapter: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut text: Option<(usize, String)> = None;
    // The extensions mdBook reads chapters with (heading attributes too, so
    // a `{#id}` is not part of the text).
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(chapter, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some((range.start, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((at, s)) = text.take() {
                    out.push((at, heading_id(&s)));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_as_gitbook_makes_them() {
        assert_eq!(
            heading_id("Step 1: take the payment"),
            "step-1-take-the-payment"
        );
        assert_eq!(
            heading_id("Fan-out: three `independent` extracts!"),
            "fan-out-three-independent-extracts"
        );
        let chapter = "# Top\n\n```sh\n# not a heading\n```\n\n## Billing, or *nothing*\n\nText\n";
        let ids: Vec<String> = heading_ids(chapter).into_iter().map(|(_, id)| id).collect();
        assert_eq!(ids, ["top", "billing-or-nothing"]);
    }
}
