//! Every strict error class: the bad input is fed in and the message must
//! name the chapter line and, where a source file is at fault, its line.

use mdbook_codetabs::config::Settings;
use mdbook_codetabs::diagnostic::Diagnostic;
use mdbook_codetabs::preprocessor::expand;
use mdbook_codetabs::render::Target;
use std::path::Path;

const CHAPTER: &str = "src/chapter.md";

struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    fn new() -> Self {
        Book {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn file(self, rel: &str, text: &str) -> Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// The same handler in all four languages.
    fn all_langs(self, stem: &str, text: &str) -> Self {
        [
            ("ruby", "rb"),
            ("python", "py"),
            ("typescript", "ts"),
            ("rust", "rs"),
        ]
        .iter()
        .fold(self, |b, (lang, ext)| {
            b.file(&format!("handlers/{lang}/{stem}.{ext}"), text)
        })
    }

    fn expand(&self, chapter: &str) -> Result<Option<String>, Vec<Diagnostic>> {
        expand(
            chapter,
            CHAPTER,
            &Settings::default(),
            self.dir.path(),
            Target::Html,
        )
    }

    fn errors(&self, chapter: &str) -> Vec<String> {
        match self.expand(chapter) {
            Ok(out) => panic!("expected an error, got output {out:?}"),
            Err(found) => found.iter().map(ToString::to_string).collect(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }
}

const GOOD: &str = "# ANCHOR: handler\ncode\n# ANCHOR_END: handler\n";
const PREFIX: &str = "# Title\n\ntext\n";

fn one(errors: &[String]) -> &str {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    &errors[0]
}

fn assert_names(message: &str, needles: &[&str]) {
    for n in needles {
        assert!(message.contains(n), "`{n}` missing from:\n{message}");
    }
}

#[test]
fn missing_file_in_every_language() {
    let book = Book::new();
    let errors = book.errors(&format!("{PREFIX}{{{{#codetabs nope/cart:handler}}}}\n"));
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_names(
        &errors[1],
        &[
            "src/chapter.md:4",
            "handlers/python/nope/cart.py",
            "does not exist",
        ],
    );
}

#[test]
fn one_language_missing_from_a_group() {
    let book = Book::new()
        .file("handlers/ruby/cart.rb", GOOD)
        .file("handlers/python/cart.py", GOOD)
        .file("handlers/rust/cart.rs", GOOD);
    let errors = book.errors(&format!("{PREFIX}{{{{#codetabs cart:handler}}}}\n"));
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:4",
            "TypeScript is missing from this tab group",
            "handlers/typescript/cart.ts",
            "langs=ruby,python,rust",
        ],
    );
}

#[test]
fn missing_anchor_lists_the_ones_there() {
    let book = Book::new().all_langs("cart", GOOD);
    let errors = book.errors(&format!(
        "{PREFIX}\n{{{{#codetabs cart:handlr langs=ruby}}}}\n"
    ));
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:5",
            "anchor `handlr` not found",
            "handlers/ruby/cart.rb:1",
            "anchors in that file: handler",
        ],
    );
}

#[test]
fn duplicate_anchor_names_both_lines() {
    let text = "# ANCHOR: handler\na\n# ANCHOR_END: handler\n\n# ANCHOR: handler\nb\n# ANCHOR_END: handler\n";
    let book = Book::new().file("handlers/ruby/cart.rb", text);
    let errors = book.errors("{{#codetabs cart:handler langs=ruby}}");
    assert_names(
        &errors[0],
        &[
            "src/chapter.md:1",
            "handlers/ruby/cart.rb:5",
            "defined twice",
            "first at line 1",
        ],
    );
}

#[test]
fn unclosed_anchor() {
    let book = Book::new().file(
        "handlers/python/cart.py",
        "x = 1\n# ANCHOR: handler\ny = 2\n",
    );
    let errors = book.errors("\n\n{{#codetabs cart:handler langs=python}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:3",
            "handlers/python/cart.py:2",
            "never closed",
        ],
    );
}

#[test]
fn end_without_start() {
    let book = Book::new().file(
        "handlers/rust/cart.rs",
        "// ANCHOR: handler\nfn a() {}\n// ANCHOR_END: handler\n// ANCHOR_END: other\n",
    );
    let errors = book.errors("{{#codetabs cart:handler langs=rust}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "handlers/rust/cart.rs:4",
            "ANCHOR_END: other has no ANCHOR",
        ],
    );
}

#[test]
fn empty_snippet() {
    let book = Book::new().file(
        "handlers/typescript/cart.ts",
        "const a = 1;\n// ANCHOR: handler\n\n   \n// ANCHOR_END: handler\n",
    );
    let errors = book.errors("{{#codetabs cart:handler langs=typescript}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "handlers/typescript/cart.ts:2",
            "anchor `handler` is empty",
        ],
    );
}

#[test]
fn unknown_language_and_option() {
    let book = Book::new().all_langs("cart", GOOD);
    let errors = book.errors("{{#codetabs cart:handler langs=ruby,cobol}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "unknown language `cobol`",
            "known languages: ruby",
        ],
    );
    let errors = book.errors("x\n{{#codetabs cart:handler titel=\"A\"}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:2",
            "unknown option `titel=`",
            "known options",
        ],
    );
}

#[test]
fn malformed_directives() {
    let book = Book::new().all_langs("cart", GOOD);
    for (chapter, needle) in [
        ("{{#codetabs cart:handler\n}}", "not closed"),
        ("{{#codetabs cart:handler title=\"open}}", "closing `\"`"),
        ("{{#codetabs}}", "needs a snippet path"),
        ("{{#codetabs a b}}", "takes one snippet path"),
        ("{{#codetabs cart:}}", "empty path or anchor"),
    ] {
        let errors = book.errors(chapter);
        assert_names(one(&errors), &["src/chapter.md:1", needle]);
    }
}

#[test]
fn paths_outside_the_book_root() {
    let book = Book::new().all_langs("cart", GOOD);
    for target in [
        "/etc/{lang}/passwd",
        "../{lang}/cart.rb",
        "handlers/../../{lang}.rb",
    ] {
        let errors = book.errors(&format!("{{{{#codetabs {target} langs=ruby}}}}"));
        assert_names(one(&errors), &["src/chapter.md:1", "outside the book root"]);
    }
    let errors = book.errors("{{#codetabs ../../outside:handler langs=ruby}}");
    assert_names(
        one(&errors),
        &["outside the book root", "handlers/ruby/../../outside.rb"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_root() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.rb"), GOOD).expect("write");
    let book = Book::new().file("handlers/ruby/.keep", "");
    std::os::unix::fs::symlink(
        outside.path().join("secret.rb"),
        book.root().join("handlers/ruby/cart.rb"),
    )
    .expect("symlink");
    let errors = book.errors("{{#codetabs cart:handler langs=ruby}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "handlers/ruby/cart.rb",
            "outside the book root",
        ],
    );
}

#[test]
fn non_utf8_source() {
    let book = Book::new();
    let path = book.root().join("handlers/ruby/cart.rb");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &path,
        b"# ANCHOR: handler\nputs \"\xff\"\n# ANCHOR_END: handler\n",
    )
    .expect("write");
    let errors = book.errors("{{#codetabs cart:handler langs=ruby}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "handlers/ruby/cart.rb:2",
            "not valid UTF-8",
        ],
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let book = Book::new().all_langs("cart", GOOD);
    let errors = book.errors(
        "{{#codetabs cart:nope langs=ruby}}\n{{#codetabs gone:handler langs=python}}\n{{#codetabs cart:handler bad=1}}",
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].contains("src/chapter.md:1"));
    assert!(errors[1].contains("src/chapter.md:2"));
    assert!(errors[2].contains("src/chapter.md:3"));
}

#[test]
fn bad_template_for_a_diagram() {
    let book = Book::new().file(
        "handlers/templates/ruby/t.yaml",
        "name: t\nnamespace_name: n\nversion: 1.0.0\nsteps:\n  - name: a\n    dependencies: [ghost]\n",
    );
    let errors = book.errors("\n{{#dag handlers/templates/ruby/t.yaml}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:2",
            "handlers/templates/ruby/t.yaml:5",
            "unknown step `ghost`",
        ],
    );
}

#[test]
fn escaped_directive_is_left_for_links() {
    let book = Book::new();
    let out = book
        .expand("see \\{{#codetabs not/there:x}}")
        .expect("no error");
    assert_eq!(out, None, "an escaped directive must not be touched");
}

#[test]
fn missing_or_bad_run_report() {
    let book = Book::new().file("engine/reports/bad.json", "{\n  \"workflow\": 1\n}\n");
    let errors = book.errors("{{#timeline engine/reports/gone.json}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:1",
            "engine/reports/gone.json",
            "does not exist",
            "record-runs",
        ],
    );
    let errors = book.errors("\n{{#timeline engine/reports/bad.json}}");
    assert_names(
        one(&errors),
        &[
            "src/chapter.md:2",
            "engine/reports/bad.json:2",
            "not a run report",
        ],
    );
}

#[test]
fn timeline_draws_one_bar_per_attempt() {
    let report = r#"{"workflow": "w", "namespace": "n", "version": "1", "language": "rust", "outcome": "failed",
      "steps": [{"name": "pay<1>", "outcome": "failed", "attempts": [
        {"start_ms": 0.0, "end_ms": 2.0, "outcome": "retryable_failure", "error_code": "TIMEOUT"},
        {"start_ms": 3.0, "end_ms": 4.0, "outcome": "retryable_failure", "error_code": "TIMEOUT"}]}]}"#;
    let book = Book::new().file("r.json", report);
    let out = book
        .expand("{{#timeline r.json}}")
        .expect("renders")
        .expect("changed");
    assert_eq!(
        out.matches("<rect class=\"bar retryable_failure\"").count(),
        2
    );
    assert!(out.contains("pay&lt;1&gt;") && !out.contains("pay<1>"));
    assert!(out.contains("Retried: pay&lt;1&gt; (2 attempts)."));
}

#[test]
fn an_engine_recording_names_its_engine_and_shows_each_attempt_in_flight() {
    let report = r#"{"workflow": "w", "namespace": "n", "version": "1", "language": "python",
      "engine": "tasker-orchestration 0.1.8", "workers": "tasker-py 0.1.8", "outcome": "complete",
      "steps": [{"name": "a", "outcome": "complete", "attempts": [
        {"queued_ms": 10.0, "start_ms": 12.0, "end_ms": 15.0, "settled_ms": 30.0, "outcome": "success"}]}]}"#;
    let book = Book::new().file("r.json", report);
    let out = book
        .expand("{{#timeline r.json}}")
        .expect("renders")
        .expect("changed");
    assert!(
        out.contains("A recorded python run of w (n 1) on tasker-orchestration 0.1.8, handlers run by tasker-py 0.1.8: complete in 30.0 ms."),
        "{out}"
    );
    assert!(
        out.contains("<title>a: queued 10.0 ms, settled 30.0 ms</title>"),
        "{out}"
    );
    assert_eq!(out.matches("<rect class=\"flight\"").count(), 1);
    assert_eq!(out.matches("<rect class=\"bar success\"").count(), 1);
}

#[test]
fn crlf_and_tabs_give_clean_code() {
    let book = Book::new().file(
        "handlers/ruby/cart.rb",
        "class A\r\n\t# ANCHOR: handler\r\n\tdef a\r\n\t  1\r\n\tend\r\n\t# ANCHOR_END: handler\r\nend\r\n",
    );
    let out = book
        .expand("{{#codetabs cart:handler langs=ruby}}")
        .expect("renders")
        .expect("changed");
    assert!(out.contains("\ndef a\n  1\nend\n"), "{out}");
    assert!(!out.contains('\r'));
}

#[test]
fn a_200_000_line_file_is_cut_correctly() {
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!("x_{i} = {i}\n"));
    }
    text.push_str("# ANCHOR: handler\ndef deep():\n    return 42\n# ANCHOR_END: handler\n");
    for i in 0..100_000 {
        text.push_str(&format!("y_{i} = {i}\n"));
    }
    let book = Book::new().file("handlers/python/big.py", &text);
    let out = book
        .expand("{{#codetabs big:handler langs=python}}")
        .expect("renders")
        .expect("changed");
    assert!(out.contains("def deep():\n    return 42\n"));
    assert!(out.contains("lines 100002–100003"), "{out}");
}

#[test]
fn markup_in_file_names_is_escaped() {
    let book = Book::new().file("handlers/ruby/<b>x&'.rb", GOOD);
    let out = book
        .expand("{{#codetabs <b>x&':handler langs=ruby title=\"<script>alert(1)</script>\"}}")
        .expect("renders")
        .expect("changed");
    // The file name is a markdown code span, which shows its text as text;
    // the title sits in the raw-HTML marker, escaped by us.
    assert!(
        out.contains("\n`handlers/ruby/<b>x&'.rb` line 2\n"),
        "{out}"
    );
    assert_eq!(out.matches("<b>").count(), 1, "only inside the code span");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;</div>"));
    assert!(!out.contains("<script>"));
}

#[test]
fn a_failed_build_writes_no_output_folder() {
    let book = Book::new()
        .file("book.toml", "[book]\ntitle = \"x\"\n")
        .file("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .file("src/a.md", "# A\n\n{{#codetabs gone:handler}}\n");
    let mut md = mdbook_driver::MDBook::load(book.root()).expect("loads");
    md.with_preprocessor(mdbook_codetabs::CodeTabs::new());
    let err = md.build().expect_err("fails");
    assert!(format!("{err:#}").contains("src/a.md:3"));
    assert!(
        !book.root().join("book").exists(),
        "no partial book/ folder"
    );
}
