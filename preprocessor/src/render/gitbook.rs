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
        let fence = fence_for(&tab.snippet.code);
        let _ = write!(
            out,
            "{{% tab title=\"{}\" %}}\n{{% code title=\"{}\" lineNumbers=\"true\" %}}\n{fence}{}\n{}{fence}\n{{% endcode %}}\n{{% endtab %}}\n",
            escape_html(&tab.lang.label),
            // The full path: GitBook cannot link to the file, so the title says where it lives.
            escape_html(&tab.path),
            tab.highlight,
            tab.snippet.code,
        );
    }
    out.push_str("{% endtabs %}\n");
    out
}
