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

// ---- Hostile input: invisible characters, repeated options, stray text.

/// Each language's comment leader, folder and extension.
const LANGS: [(&str, &str, &str); 4] = [
    ("ruby", "rb", "#"),
    ("python", "py", "#"),
    ("typescript", "ts", "//"),
    ("rust", "rs", "//"),
];

fn marked(leader: &str, body: &str) -> String {
    format!("{leader} ANCHOR: main\n{body}\n{leader} ANCHOR_END: main\n")
}

#[test]
fn a_byte_order_mark_before_the_first_marker_is_dropped_in_every_language() {
    for (lang, ext, leader) in LANGS {
        let text = format!("\u{FEFF}{}", marked(leader, "shown()"));
        let book = Book::new().file(&format!("handlers/{lang}/cart.{ext}"), &text);
        let out = book
            .expand(&format!("{{{{#codetabs cart:main langs={lang}}}}}"))
            .unwrap_or_else(|e| panic!("{lang}: {e:#?}"))
            .expect("changed");
        // Line numbers are the file's own: the mark takes no line.
        assert!(out.contains("\nshown()\n"), "{lang}: {out}");
        assert!(
            out.contains(&format!("cart.{ext}` line 2\n")),
            "{lang}: {out}"
        );
        // Shown whole, the file does not carry the mark onto the page.
        let out = book
            .expand(&format!("{{{{#codetabs cart langs={lang}}}}}"))
            .unwrap_or_else(|e| panic!("{lang}: {e:#?}"))
            .expect("changed");
        assert!(!out.contains('\u{FEFF}'), "{lang}: {out}");
    }
}

#[test]
fn a_chapter_may_start_with_a_byte_order_mark() {
    let book = Book::new().file("handlers/ruby/cart.rb", GOOD);
    let out = book
        .expand("\u{FEFF}{{#codetabs cart:handler langs=ruby}}\nmore\n")
        .expect("renders")
        .expect("changed");
    assert!(out.contains("codetabs-lang-ruby"), "{out}");
    let errors = book.errors("\u{FEFF}{{#codetabs cart:nope langs=ruby}}\n");
    assert_names(
        one(&errors),
        &["src/chapter.md:1", "anchor `nope` not found"],
    );

    // Through mdBook (which drops the mark when it reads the file) and
    // through the preprocessor run (which drops it from any chapter).
    let book = book
        .file("book.toml", "[book]\ntitle = \"x\"\n\n[preprocessor.codetabs]\ncommand = \"false\"\nlanguages = [\"ruby\"]\n")
        .file("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n")
        .file("src/a.md", "\u{FEFF}{{#codetabs cart:handler}}\n")
        .file("src/b.md", "\u{FEFF}{{#codetabs cart:nope}}\n");
    let mut md = mdbook_driver::MDBook::load(book.root()).expect("loads");
    md.with_preprocessor(mdbook_codetabs::CodeTabs::new());
    md.build().expect("a chapter starting with a BOM builds");
    let page = std::fs::read_to_string(book.root().join("book/a.html")).expect("page");
    assert!(page.contains("codetabs-lang-ruby"));

    let settings = Settings {
        languages: Settings::default()
            .languages
            .into_iter()
            .filter(|l| l.key == "ruby")
            .collect(),
        ..Settings::default()
    };
    let mut session =
        mdbook_codetabs::preprocessor::Session::new(book.root(), settings, Target::Html);
    let chapter = |name: &str, text: &str| {
        mdbook_preprocessor::book::BookItem::Chapter(mdbook_preprocessor::book::Chapter::new(
            name,
            text.to_string(),
            format!("{name}.md"),
            Vec::new(),
        ))
    };
    let mut bom_book = mdbook_preprocessor::book::Book::new_with_items(vec![
        chapter("plain", "\u{FEFF}# Plain\n"),
        chapter("bad", "\u{FEFF}{{#codetabs cart:nope}}\n"),
    ]);
    mdbook_codetabs::preprocessor::run_session(&mut session, &mut bom_book, "src");
    let problems: Vec<String> = session.finish().iter().map(ToString::to_string).collect();
    assert_names(one(&problems), &["src/bad.md:1", "anchor `nope` not found"]);
    let mut contents = Vec::new();
    bom_book.for_each_chapter_mut(|ch| contents.push(ch.content.clone()));
    assert_eq!(
        contents[0], "# Plain\n",
        "the mark is dropped from every chapter"
    );
}

#[test]
fn an_option_given_twice_names_the_line_and_the_option() {
    let book = Book::new()
        .all_langs("cart", GOOD)
        .all_langs("other", GOOD)
        .file(
            "t.yaml",
            "name: t\nnamespace_name: n\nversion: 1\nsteps:\n  - name: a\n",
        );
    for (directive, option) in [
        (
            "{{#codetabs cart:handler title=\"a\" title=\"b\"}}",
            "`title=`",
        ),
        (
            "{{#codetabs cart:handler langs=ruby langs=python}}",
            "`langs=`",
        ),
        (
            "{{#codetabs cart:handler ruby=other ruby=other:handler}}",
            "`ruby=`",
        ),
        ("{{#dag t.yaml title=a title=b}}", "`title=`"),
    ] {
        let errors = book.errors(&format!("{PREFIX}{directive}\n"));
        assert_names(one(&errors), &["src/chapter.md:4", option, "given twice"]);
    }
}

/// Markers are read line by line without parsing the language: a line in a
/// multi-line string that starts like a marker is one, so an unpaired one
/// fails the build at its line, with a help that says why.
#[test]
fn a_marker_line_inside_a_multi_line_string_counts_as_a_marker() {
    for (path, text, line) in [
        (
            "handlers/python/cart.py",
            "# ANCHOR: handler\ndef usage():\n    \"\"\"Mark your code:\n\n    # ANCHOR: example\n    \"\"\"\n# ANCHOR_END: handler\n",
            5,
        ),
        (
            "handlers/ruby/cart.rb",
            "# ANCHOR: handler\nUSAGE = <<~TEXT\n  # ANCHOR_END: example\nTEXT\n# ANCHOR_END: handler\n",
            3,
        ),
        (
            "handlers/typescript/cart.ts",
            "// ANCHOR: handler\nconst usage = `\n// ANCHOR: example\n`;\n// ANCHOR_END: handler\n",
            3,
        ),
        (
            "handlers/rust/cart.rs",
            "// ANCHOR: handler\nconst USAGE: &str = r\"\n// ANCHOR_END: example\n\";\n// ANCHOR_END: handler\n",
            3,
        ),
    ] {
        let lang = path.split('/').nth(1).expect("lang");
        let book = Book::new().file(path, text);
        let errors = book.errors(&format!("{{{{#codetabs cart:handler langs={lang}}}}}"));
        assert_names(
            one(&errors),
            &[
                "src/chapter.md:1",
                &format!("{path}:{line}"),
                "example",
                "inside a multi-line string",
            ],
        );
    }
    // A pair of them is a region like any other, and its marker lines are
    // left out of the code around it.
    let book = Book::new().file(
        "handlers/python/cart.py",
        "# ANCHOR: handler\ndef usage():\n    \"\"\"Mark your code:\n    # ANCHOR: example\n    x = 1\n    # ANCHOR_END: example\n    \"\"\"\n# ANCHOR_END: handler\n",
    );
    let out = book
        .expand("{{#codetabs cart:handler langs=python}}")
        .expect("renders")
        .expect("changed");
    assert!(
        out.contains("def usage():\n    \"\"\"Mark your code:\n    x = 1\n    \"\"\"\n"),
        "{out}"
    );
}

#[test]
fn an_invisible_character_in_a_marker_line_is_named_at_its_line() {
    for (lang, ext, line, name) in [
        (
            "ruby",
            "rb",
            "\u{200B}# ANCHOR: main",
            "U+200B (ZERO WIDTH SPACE)",
        ),
        (
            "python",
            "py",
            "\u{00A0}# ANCHOR: main",
            "U+00A0 (NO-BREAK SPACE)",
        ),
        (
            "typescript",
            "ts",
            "  \u{2060}// ANCHOR: main",
            "U+2060 (WORD JOINER)",
        ),
        ("rust", "rs", "//\u{200B} ANCHOR: main", "U+200B"),
        ("ruby", "rb", "# ANCHOR:\u{00A0}main", "U+00A0"),
        (
            "python",
            "py",
            "\u{FEFF}# ANCHOR: main",
            "U+FEFF (BYTE ORDER MARK)",
        ),
    ] {
        let leader = if ext == "ts" || ext == "rs" {
            "//"
        } else {
            "#"
        };
        let text = format!("x\n{line}\ncode\n{leader} ANCHOR_END: main\n");
        let book = Book::new().file(&format!("handlers/{lang}/cart.{ext}"), &text);
        let errors = book.errors(&format!("{{{{#codetabs cart:main langs={lang}}}}}"));
        // One error, at the line itself: the marker still pairs with its end.
        assert_names(
            one(&errors),
            &[
                "src/chapter.md:1",
                &format!("handlers/{lang}/cart.{ext}:2"),
                "invisible character",
                name,
            ],
        );
    }
}

#[test]
fn a_marker_holds_a_name_and_nothing_else() {
    for (marker, needle) in [
        (
            "# ANCHOR: main extra words",
            "text after the anchor name `main`: `extra words`",
        ),
        (
            "# ANCHOR: main.rb",
            "text after the anchor name `main`: `.rb`",
        ),
        ("# ANCHOR: main\u{200B}", "U+200B"),
        ("# ANCHOR:", "`ANCHOR:` without a name"),
        ("#   ANCHOR:   ", "`ANCHOR:` without a name"),
    ] {
        let text = format!(
            "{marker}\ncode\n# ANCHOR_END: main\n# ANCHOR: other\nx\n# ANCHOR_END: other\n"
        );
        let book = Book::new().file("handlers/ruby/cart.rb", &text);
        let errors = book.errors("{{#codetabs cart:other langs=ruby}}");
        let first = errors.first().expect("an error");
        assert_names(
            first,
            &["src/chapter.md:1", "handlers/ruby/cart.rb:1", needle],
        );
    }
    // A comment's own closer may follow the name.
    let book = Book::new().file(
        "handlers/ruby/cart.rb",
        "/* ANCHOR: a */\nx\n/* ANCHOR_END: a */\n<!-- ANCHOR: b -->\ny\n<!--ANCHOR_END:b-->\n",
    );
    for anchor in ["a", "b"] {
        book.expand(&format!("{{{{#codetabs cart:{anchor} langs=ruby}}}}"))
            .unwrap_or_else(|e| panic!("{anchor}: {e:#?}"));
    }
}

#[test]
fn a_directive_stands_alone_on_one_line() {
    let book = Book::new().all_langs("cart", GOOD);
    for (chapter, needles) in [
        (
            "{{#codetabs cart:handler}} {{#codetabs cart:handler}}",
            &["two directives on one line"][..],
        ),
        (
            "{{#codetabs cart:handler\n  title=\"Split\"}}",
            &["not closed with `}}` on the same line", "on one line"][..],
        ),
        (
            "See {{#codetabs cart:handler}}",
            &["text (`See`) before", "line of its own"][..],
        ),
        (
            "{{#codetabs cart:handler}} for the cart",
            &["text (`for the cart`) after"][..],
        ),
        (
            "\u{200B}{{#codetabs cart:handler}}",
            &["U+200B (ZERO WIDTH SPACE)", "before"][..],
        ),
        (
            "\u{00A0}> {{#codetabs cart:handler}}",
            &["U+00A0 (NO-BREAK SPACE)"][..],
        ),
    ] {
        let errors = book.errors(&format!("{PREFIX}{chapter}\n"));
        let mut wanted = vec!["src/chapter.md:4"];
        wanted.extend_from_slice(needles);
        assert_names(one(&errors), &wanted);
    }
}
