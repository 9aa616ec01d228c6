//! The real book, built in-process: post 01's tab groups hold exactly the
//! anchored regions of the real handler files, in all four languages.

use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use std::path::Path;

mod common;
use common::regions;

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn post_01_tabs_hold_the_real_handler_code() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut book = MDBook::load(&repo).expect("loads");
    book.config.build.build_dir = tmp.path().to_path_buf();
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("builds");
    let page = std::fs::read_to_string(tmp.path().join("posts/01-ecommerce.html")).expect("page");

    // Per language a label, a fence with the `codetabs` classes and a `<p>`
    // naming the source file; the group's first fence carries
    // `codetabs-group-<id>`, the others `codetabs-more`.
    let mut four_language_groups = 0;
    let blocks: Vec<&str> = page.split("<pre><code class=\"language-").skip(1).collect();
    let classes = |b: &str| b[..b.find('>').expect("tag end")].to_string();
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for block in blocks {
        let class = classes(block);
        if class.contains(" codetabs-group-") {
            groups.push(vec![block]);
        } else if class.contains(" codetabs-more") {
            groups.last_mut().expect("a group opened first").push(block);
        }
    }
    for panels in groups {
        if panels.len() == 4 {
            four_language_groups += 1;
        }
        for panel in panels {
            let code = &panel
                [panel.find('>').expect("tag end") + 1..panel.find("</code>").expect("code end")];
            let code = unescape(code);
            let after = &panel[panel.find("</pre>").expect("pre end")..];
            const SOURCE: &str = "</pre>\n<p><code>";
            let src_at = after.find(SOURCE).expect("source line") + SOURCE.len();
            let path = &after[src_at..src_at + after[src_at..].find("</code>").expect("path end")];
            let source = std::fs::read_to_string(repo.join(path)).expect("source exists");
            // mdBook drops the final newline of Rust blocks; nothing else may differ.
            assert!(
                regions(&source)
                    .iter()
                    .any(|r| r.trim_end_matches('\n') == code.trim_end_matches('\n')),
                "a panel shows code that is no region of {path}:\n{code}"
            );
        }
    }
    assert!(
        four_language_groups >= 5,
        "{four_language_groups} four-language groups"
    );
}
