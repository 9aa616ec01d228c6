//! The coverage report: measured LCOV mapped onto what a small book shows,
//! held fresh by `check`, and shown under each tab.

use mdbook_codetabs::check::{check, Kind};
use mdbook_codetabs::config::{CoverageSettings, Settings};
use mdbook_codetabs::coverage::{self, measure};
use mdbook_codetabs::preprocessor::expand;
use mdbook_codetabs::render::Target;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

// Ruby shows line 4 only. Python shows lines 5–10, with a nested region
// whose markers (lines 7 and 9) are not shown.
const RUBY: &str = "module Shop\n  class PayHandler < TaskerCore::StepHandler::Base\n    # ANCHOR: handler\n    def call(ctx) = 1\n    # ANCHOR_END: handler\n  end\nend\n";
const PYTHON: &str = "class PayHandler(StepHandler):\n    handler_name = \"shop.PayHandler\"\n\n    # ANCHOR: handler\n    def call(self, ctx):\n        total = 1\n        # ANCHOR: inner\n        total += 1\n        # ANCHOR_END: inner\n        return total\n    # ANCHOR_END: handler\n";

const BOOK_TOML: &str = "[book]\ntitle = \"t\"\n[preprocessor.codetabs]\ncommand = \"false\"\nlanguages = [\"ruby\", \"python\"]\n[preprocessor.codetabs.coverage]\nreport = \"coverage.lock\"\nexclusions = \"handlers/exclusions.toml\"\ninputs = [\"handlers/vectors\"]\ncommand = \"cargo make coverage\"\n";

fn template(callable: &str) -> String {
    format!("name: flow\nnamespace_name: shop\nversion: 1.0.0\nsteps:\n  - name: pay\n    handler:\n      callable: {callable}\n")
}

/// A two-language book whose every shown code line the LCOV below runs.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "book.toml", BOOK_TOML);
    write(root, "src/SUMMARY.md", "# Summary\n\n- [Pay](pay.md)\n");
    write(
        root,
        "src/pay.md",
        "# Pay\n\n{{#codetabs pay_handler:handler}}\n\n{{#codetabs pay_handler:inner langs=python}}\n",
    );
    write(root, "handlers/ruby/pay_handler.rb", RUBY);
    write(root, "handlers/python/pay_handler.py", PYTHON);
    write(
        root,
        "handlers/templates/ruby/flow.yaml",
        &template("Shop::PayHandler"),
    );
    write(
        root,
        "handlers/templates/python/flow.yaml",
        &template("shop.PayHandler"),
    );
    write(root, "handlers/vectors/pay__success.json", "{}\n");
    // Ruby's tool gives absolute paths; coverage.py paths relative to its folder.
    let ruby = root.join("handlers/ruby/pay_handler.rb");
    write(
        root,
        "ruby.lcov",
        &format!(
            "SF:{}\nDA:1,1\nDA:2,1\nDA:4,7\nend_of_record\n",
            ruby.display()
        ),
    );
    // Line 7 is a nested marker a tool could still list; it must not count.
    python_lcov(root, "DA:1,1\nDA:5,1\nDA:6,3\nDA:7,0\nDA:8,3\nDA:10,3\n");
    let report = check(root, true).expect("update runs");
    let m = measure(root, &lcovs(root)).expect("measures");
    assert!(m.complete(), "{}", m.text);
    let report_after = check(root, false).expect("check runs");
    assert!(report
        .findings
        .iter()
        .all(|f| f.kind == Kind::StaleCoverage));
    assert!(report_after.is_ok(), "{}", report_after.to_text());
    dir
}

fn python_lcov(root: &Path, records: &str) {
    write(
        root,
        "python.lcov",
        &format!("TN:\nSF:pay_handler.py\n{records}end_of_record\n"),
    );
}

fn lcovs(root: &Path) -> Vec<(String, String)> {
    ["ruby", "python"]
        .iter()
        .map(|l| {
            (
                l.to_string(),
                root.join(format!("{l}.lcov")).display().to_string(),
            )
        })
        .collect()
}

fn report(root: &Path) -> coverage::Report {
    let cov = CoverageSettings {
        report: "coverage.lock".into(),
        exclusions: None,
        inputs: vec![],
        command: String::new(),
    };
    coverage::load(root, &cov).expect("parses").expect("exists")
}

#[test]
fn measured_figures_leave_out_nested_markers() {
    let dir = book();
    let r = report(dir.path());
    let py = &r.snippets["handlers/python/pay_handler.py#handler"];
    assert_eq!(py.lines, "5-10");
    assert_eq!((py.code, py.run), (4, 4), "{py:?}");
    let inner = &r.snippets["handlers/python/pay_handler.py#inner"];
    assert_eq!((inner.lines.as_str(), inner.code, inner.run), ("8-8", 1, 1));
    let rb = &r.snippets["handlers/ruby/pay_handler.rb#handler"];
    assert_eq!((rb.lines.as_str(), rb.code, rb.run), ("4-4", 1, 1));
    assert!(r.files.contains_key("handlers/ruby/pay_handler.rb"));
    assert!(r.inputs.contains_key("handlers/vectors"));
}

#[test]
fn an_unrun_shown_line_fails_check_at_its_line() {
    let dir = book();
    let root = dir.path();
    python_lcov(root, "DA:5,1\nDA:6,3\nDA:8,0\nDA:10,3\n");
    let m = measure(root, &lcovs(root)).expect("measures");
    assert!(!m.complete());
    assert!(
        m.text.contains("not run: handlers/python/pay_handler.py:8"),
        "{}",
        m.text
    );
    let report = check(root, false).expect("check runs");
    let uncovered: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Uncovered)
        .map(|f| f.diagnostic.source.as_ref().map(ToString::to_string))
        .collect();
    // Shown twice (the handler and the nested region): reported for each.
    assert_eq!(
        uncovered,
        vec![
            Some("handlers/python/pay_handler.py:8".to_string()),
            Some("handlers/python/pay_handler.py:8".to_string())
        ],
        "{}",
        report.to_text()
    );
    assert!(report.to_text().contains("error[uncovered]"));
}

#[test]
fn a_changed_source_or_vector_makes_the_report_stale() {
    let dir = book();
    let root = dir.path();
    write(
        root,
        "handlers/python/pay_handler.py",
        &PYTHON.replace("total = 1", "total = 2"),
    );
    let report = check(root, false).expect("check runs");
    let stale: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::StaleCoverage)
        .collect();
    assert_eq!(stale.len(), 1, "{}", report.to_text());
    let text = report.to_text();
    assert!(
        text.contains("handlers/python/pay_handler.py changed since its coverage"),
        "{text}"
    );
    assert!(
        text.contains("measure again with `cargo make coverage` and commit coverage.lock"),
        "{text}"
    );

    write(root, "handlers/python/pay_handler.py", PYTHON);
    write(root, "handlers/vectors/pay__another.json", "{}\n");
    let text = check(root, false).expect("check runs").to_text();
    assert!(
        text.contains("error[stale-coverage] handlers/vectors changed since"),
        "{text}"
    );
    std::fs::remove_file(root.join("handlers/vectors/pay__another.json")).expect("rm");
    std::fs::remove_file(root.join("coverage.lock")).expect("rm");
    let text = check(root, false).expect("check runs").to_text();
    assert!(text.contains("coverage.lock does not exist"), "{text}");
}

#[test]
fn a_listed_line_that_cannot_run_leaves_the_figure_and_must_exist() {
    let dir = book();
    let root = dir.path();
    write(
        root,
        "handlers/exclusions.toml",
        "[[line]]\nfile = \"handlers/python/pay_handler.py\"\ntext = \"total += 1\"\nreason = \"test\"\n",
    );
    python_lcov(root, "DA:5,1\nDA:6,3\nDA:8,0\nDA:10,3\n");
    let m = measure(root, &lcovs(root)).expect("measures");
    assert!(m.complete(), "{}", m.text);
    let py = &report(root).snippets["handlers/python/pay_handler.py#handler"];
    assert_eq!((py.code, py.run, py.not_coverable.clone()), (3, 3, vec![8]));
    assert!(check(root, false).expect("check runs").is_ok());

    write(
        root,
        "handlers/exclusions.toml",
        "[[line]]\nfile = \"handlers/python/pay_handler.py\"\ntext = \"gone()\"\nreason = \"test\"\n",
    );
    let text = check(root, false).expect("check runs").to_text();
    assert!(
        text.contains("the exclusion `gone()` matches no line"),
        "{text}"
    );

    // Listed as unable to run, yet the tests ran it: the entry is wrong.
    write(
        root,
        "handlers/exclusions.toml",
        "[[line]]\nfile = \"handlers/python/pay_handler.py\"\ntext = \"total += 1\"\nreason = \"test\"\n",
    );
    python_lcov(root, "DA:5,1\nDA:6,3\nDA:8,3\nDA:10,3\n");
    let err = measure(root, &lcovs(root))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("the tests ran them: handlers/python/pay_handler.py:8"),
        "{err}"
    );
}

fn settings(root: &Path) -> Settings {
    let md = mdbook_driver::MDBook::load(root).expect("loads");
    Settings::from_config(&md.config).expect("settings")
}

#[test]
fn each_tab_says_how_much_the_tests_run() {
    let dir = book();
    let root = dir.path();
    let chapter = "# Pay\n\n{{#codetabs pay_handler:handler}}\n";
    let html = expand(chapter, "src/pay.md", &settings(root), root, Target::Html)
        .expect("expands")
        .expect("changed");
    assert!(
        html.contains(
            "`handlers/python/pay_handler.py` lines 5–10 · *all 4 code lines run by the tests*\n"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "`handlers/ruby/pay_handler.rb` line 4 · *its one code line run by the tests*\n"
        ),
        "{html}"
    );
    let gitbook = expand(
        chapter,
        "src/pay.md",
        &settings(root),
        root,
        Target::GitBook,
    )
    .expect("expands")
    .expect("changed");
    assert!(
        gitbook.contains(
            "{% code title=\"handlers/python/pay_handler.py · all 4 code lines run by the tests\""
        ),
        "{gitbook}"
    );

    // Edited since it was measured: the tab says so instead of an old figure.
    write(
        root,
        "handlers/python/pay_handler.py",
        &PYTHON.replace("total = 1", "total = 2"),
    );
    let html = expand(chapter, "src/pay.md", &settings(root), root, Target::Html)
        .expect("expands")
        .expect("changed");
    assert!(
        html.contains(
            "lines 5–10 · *lines run by the tests: not measured since this code changed*"
        ),
        "{html}"
    );
}

#[test]
fn a_book_without_coverage_shows_no_figures() {
    let dir = book();
    let root = dir.path();
    write(
        root,
        "book.toml",
        BOOK_TOML
            .split("[preprocessor.codetabs.coverage]")
            .next()
            .expect("head"),
    );
    let html = expand(
        "{{#codetabs pay_handler:handler}}\n",
        "src/pay.md",
        &settings(root),
        root,
        Target::Html,
    )
    .expect("expands")
    .expect("changed");
    assert!(html.contains("lines 5–10\n"), "{html}");
    assert!(!html.contains("run by the tests"));
}
