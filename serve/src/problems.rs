//! What the open pages are told about the last build: fine, or the problems
//! that broke it, one by one as `mdbook-codetabs check` reports them.

use mdbook_codetabs::diagnostic::Diagnostics;
use serde_json::{json, Value};

/// The state after a good build: any overlay goes away.
pub fn ok() -> String {
    json!({ "ok": true }).to_string()
}

/// The state after a failed build: each of the preprocessor's problems with
/// its chapter and source places, or, for any other failure (book.toml,
/// SUMMARY.md, the renderer), the error chain as one problem.
pub fn failed(error: &anyhow::Error) -> String {
    let problems: Vec<Value> = match error.chain().find_map(|e| e.downcast_ref::<Diagnostics>()) {
        Some(found) => found
            .iter()
            .map(|d| {
                json!({
                    "message": d.message,
                    "chapter": d.chapter.as_ref().map(ToString::to_string),
                    "source": d.source.as_ref().map(ToString::to_string),
                    "help": d.help,
                })
            })
            .collect(),
        None => vec![json!({ "message": format!("{error:#}") })],
    };
    json!({ "ok": false, "problems": problems }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_codetabs::diagnostic::{Diagnostic, Location};

    #[test]
    fn each_diagnostic_keeps_its_places() {
        let mut found = Diagnostics::default();
        found.push(
            Diagnostic::new("no anchor `handler`")
                .in_chapter(Location::new("src/a.md", 3))
                .in_source(Location::new("handlers/ruby/a.rb", 9))
                .help("add it"),
        );
        found.push(Diagnostic::new("a <b> & c"));
        let error = anyhow::Error::new(found).context("building the book");
        let state: Value = serde_json::from_str(&failed(&error)).expect("json");
        assert_eq!(state["ok"], false);
        assert_eq!(state["problems"][0]["chapter"], "src/a.md:3");
        assert_eq!(state["problems"][0]["source"], "handlers/ruby/a.rb:9");
        assert_eq!(state["problems"][0]["help"], "add it");
        // Escaping is the page's job (it sets text, never HTML).
        assert_eq!(state["problems"][1]["message"], "a <b> & c");
        assert_eq!(state["problems"][1]["chapter"], Value::Null);
    }

    #[test]
    fn any_other_failure_is_one_problem_with_its_chain() {
        let error = anyhow::anyhow!("SUMMARY.md:4: missing file").context("loading the book");
        let state: Value = serde_json::from_str(&failed(&error)).expect("json");
        assert_eq!(
            state["problems"][0]["message"],
            "loading the book: SUMMARY.md:4: missing file"
        );
    }
}
