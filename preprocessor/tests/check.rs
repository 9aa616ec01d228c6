//! `check` finds each seeded problem class in a small fixture book, and
//! passes once the problems are fixed.

use mdbook_codetabs::check::{check, Kind};
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

const RUBY: &str = "module Shop\n  class PayHandler < TaskerCore::StepHandler::Base\n    # ANCHOR: handler\n    def call(ctx) = 1\n    # ANCHOR_END: handler\n  end\nend\n";
const PYTHON: &str = "class PayHandler(StepHandler):\n    handler_name = \"shop.PayHandler\"\n\n    # ANCHOR: handler\n    def call(self, ctx):\n        return 1\n    # ANCHOR_END: handler\n";

fn template(callable: &str, retries: u32) -> String {
    format!("name: flow\nnamespace_name: shop\nversion: 1.0.0\nsteps:\n  - name: pay\n    handler:\n      callable: {callable}\n    retry:\n      max_attempts: {retries}\n")
}

/// A clean two-language book.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "book.toml",
        "[book]\ntitle = \"t\"\n[preprocessor.codetabs]\ncommand = \"false\"\nlanguages = [\"ruby\", \"python\"]\n",
    );
    write(root, "src/SUMMARY.md", "# Summary\n\n- [Pay](pay.md)\n");
    write(
        root,
        "src/pay.md",
        "# Pay\n\n{{#codetabs pay_handler:handler}}\n",
    );
    write(root, "handlers/ruby/pay_handler.rb", RUBY);
    write(root, "handlers/python/pay_handler.py", PYTHON);
    write(
        root,
        "handlers/templates/ruby/flow.yaml",
        &template("Shop::PayHandler", 2),
    );
    write(
        root,
        "handlers/templates/python/flow.yaml",
        &template("shop.PayHandler", 2),
    );
    let report = check(root, true).expect("update runs");
    assert!(report.is_ok(), "clean fixture:\n{}", report.to_text());
    dir
}

fn kinds(root: &Path) -> Vec<Kind> {
    let report = check(root, false).expect("check runs");
    let mut k: Vec<Kind> = report.findings.iter().map(|f| f.kind).collect();
    k.dedup();
    k
}

#[test]
fn clean_book_passes_and_json_says_ok() {
    let dir = book();
    let report = check(dir.path(), false).expect("check runs");
    assert!(report.is_ok(), "{}", report.to_text());
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    assert_eq!(json["ok"], true);
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn finds_every_seeded_problem_at_once() {
    let dir = book();
    let root = dir.path();
    // directive: a missing anchor
    write(
        root,
        "src/pay.md",
        "# Pay\n\n{{#codetabs pay_handler:handler}}\n\n{{#codetabs pay_handler:gone}}\n",
    );
    // orphan: an anchor nobody shows
    write(
        root,
        "handlers/python/pay_handler.py",
        &format!("{PYTHON}    # ANCHOR: extra\n    x = 1\n    # ANCHOR_END: extra\n"),
    );
    // missing handler: a Ruby handler without a Python twin
    write(
        root,
        "handlers/ruby/refund_handler.rb",
        &RUBY
            .replace("PayHandler", "RefundHandler")
            .replace("# ANCHOR: handler\n", "")
            .replace("# ANCHOR_END: handler\n", ""),
    );
    // unresolved callable + divergence: the Python template names nothing and retries differently
    write(
        root,
        "handlers/templates/python/flow.yaml",
        &template("shop.Nope", 3),
    );
    // drift: the Ruby snippet changes, the Python one does not
    write(
        root,
        "handlers/ruby/pay_handler.rb",
        &RUBY.replace("= 1", "= 2"),
    );
    // stale README
    write(root, "handlers/ruby/README.md", "# Ruby\n");

    let report = check(root, false).expect("check runs");
    let found = kinds(root);
    for kind in [
        Kind::Directive,
        Kind::OrphanAnchor,
        Kind::MissingHandler,
        Kind::UnresolvedCallable,
        Kind::TemplateDivergence,
        Kind::Drift,
        Kind::StaleReadme,
    ] {
        assert!(
            found.contains(&kind),
            "{kind:?} not found in:\n{}",
            report.to_text()
        );
    }
    let text = report.to_text();
    assert!(text.contains("src/pay.md:5"), "{text}");
    assert!(
        text.contains("handlers/python/pay_handler.py:8"),
        "orphan line: {text}"
    );
    assert!(text.contains("handlers/python/refund_handler.py"), "{text}");
    assert!(
        text.contains("handlers/templates/python/flow.yaml:5"),
        "{text}"
    );
    assert!(text.contains("retry.max_attempts: 2 vs 3"), "{text}");
    assert!(text.contains("changed in Ruby but not in Python"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    assert_eq!(json["ok"], false);
}

#[test]
fn a_change_in_every_language_only_asks_for_an_update() {
    let dir = book();
    let root = dir.path();
    write(
        root,
        "handlers/ruby/pay_handler.rb",
        &RUBY.replace("= 1", "= 2"),
    );
    write(
        root,
        "handlers/python/pay_handler.py",
        &PYTHON.replace("return 1", "return 2"),
    );
    assert_eq!(kinds(root), vec![Kind::StaleLockfile]);
    let updated = check(root, true).expect("update");
    assert!(updated.is_ok());
    assert!(updated.updated.contains(&"codetabs.lock".to_string()));
    assert!(kinds(root).is_empty());
}
