//! The GitBook export of the real book: parsed back and checked against the
//! HTML build and the handler sources.

use mdbook_codetabs::export::{export, ExportOptions, MARKER};
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};

mod common;
use common::regions;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

#[test]
fn export_matches_the_html_build_and_the_sources() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("gitbook");
    let summary = export(&repo(), &out, &ExportOptions::default()).expect("exports");

    // Every page and config file GitBook needs.
    for f in ["README.md", "SUMMARY.md", ".gitbook.yaml", MARKER] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let gitbook_yaml = std::fs::read_to_string(out.join(".gitbook.yaml")).expect("yaml");
    assert!(
        gitbook_yaml.contains("readme: README.md") && gitbook_yaml.contains("summary: SUMMARY.md")
    );

    let mut pages = Vec::new();
    files(&out, "md", &mut pages);
    let mut groups = 0;
    let mut blocks = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("page");
        assert!(
            !text.contains("{{#"),
            "{} keeps mdBook syntax",
            page.display()
        );
        groups += text.matches("{% tabs %}").count();
        assert_eq!(
            text.matches("{% tabs %}").count(),
            text.matches("{% endtabs %}").count()
        );
        // Each code block is exactly a region of the file its title names.
        let mut rest = text.as_str();
        while let Some(at) = rest.find("{% code title=\"") {
            rest = &rest[at + 15..];
            // The title is the path, then (after " · ") how much of it the tests run.
            let title = &rest[..rest.find('"').expect("title end")];
            let path = title.split(" · ").next().unwrap_or(title);
            assert!(
                title.contains(" code line")
                    || title.contains("no code lines")
                    || !title.contains(" · "),
                "{title}: the coverage figure is missing or unreadable"
            );
            let body_start = rest.find('\n').expect("line") + 1;
            let fence_len = rest[body_start..].chars().take_while(|c| *c == '`').count();
            let code_start = body_start + rest[body_start..].find('\n').expect("fence line") + 1;
            let fence = format!("\n{}\n", "`".repeat(fence_len));
            let code_end = code_start + rest[code_start..].find(&fence).expect("fence close") + 1;
            let code = &rest[code_start..code_end];
            let source = std::fs::read_to_string(repo().join(path)).expect("titled source exists");
            assert!(
                regions(&source).iter().any(|r| r == code),
                "{}: a block titled {path} matches no region of it:\n{code}",
                page.display()
            );
            blocks += 1;
            rest = &rest[code_end..];
        }
    }
    assert_eq!(groups, summary.tab_groups);
    // Four blocks a group, but where a chapter restricts a group with langs=.
    let mut chapters = Vec::new();
    files(&repo().join("src"), "md", &mut chapters);
    let restricted: Vec<usize> = chapters
        .iter()
        .flat_map(|c| {
            let text = std::fs::read_to_string(c).expect("chapter");
            text.lines()
                .filter(|l| l.starts_with("{{#codetabs "))
                .filter_map(|l| {
                    l.split_once(" langs=")
                        .map(|(_, v)| v.split([' ', '}']).next().unwrap_or("").split(',').count())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let expected = (groups - restricted.len()) * 4 + restricted.iter().sum::<usize>();
    assert!(
        blocks >= expected,
        "{blocks} blocks for {groups} groups ({} restricted)",
        restricted.len()
    );

    // SUMMARY lists every exported page exactly once.
    let summary_md = std::fs::read_to_string(out.join("SUMMARY.md")).expect("summary");
    assert!(summary_md.starts_with("# Summary\n"));
    for page in &pages {
        let rel = page
            .strip_prefix(&out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "SUMMARY.md" {
            continue;
        }
        assert_eq!(
            summary_md.matches(&format!("]({rel})")).count(),
            1,
            "{rel} in SUMMARY.md"
        );
    }

    // The same number of tab groups as the HTML build of the same chapters.
    let html_dir = tmp.path().join("html");
    let mut book = MDBook::load(repo()).expect("loads");
    book.config.build.build_dir = html_dir.clone();
    book.with_preprocessor(CodeTabs::new());
    book.build().expect("html build");
    let mut html_pages = Vec::new();
    files(&html_dir, "html", &mut html_pages);
    let html_groups: usize = html_pages
        .iter()
        // print.html repeats every chapter, index.html the first one.
        .filter(|p| !p.ends_with("print.html") && !p.ends_with("index.html"))
        .map(|p| {
            std::fs::read_to_string(p)
                .expect("html")
                .matches(" codetabs-group-")
                .count()
        })
        .sum();
    assert_eq!(groups, html_groups);
}

#[test]
fn refuses_a_foreign_folder_and_replaces_its_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let foreign = tmp.path().join("notes");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("mine.txt"), "keep me").expect("write");
    let err = export(&repo(), &foreign, &ExportOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("mine.txt")).expect("kept"),
        "keep me"
    );

    let ours = tmp.path().join("gitbook");
    export(&repo(), &ours, &ExportOptions::default()).expect("first export");
    std::fs::write(ours.join("stale.md"), "old").expect("write");
    export(&repo(), &ours, &ExportOptions::default()).expect("second export replaces its own");
    assert!(!ours.join("stale.md").exists());
    // Nothing but the export is left beside it.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_failing_export_leaves_no_folder_behind() {
    let book = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(book.path().join("src")).expect("mkdir");
    std::fs::write(book.path().join("book.toml"), "[book]\ntitle = \"x\"\n").expect("toml");
    std::fs::write(
        book.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n",
    )
    .expect("summary");
    std::fs::write(
        book.path().join("src/a.md"),
        "# A\n\n{{#codetabs gone:handler}}\n",
    )
    .expect("a");
    let parent = tempfile::tempdir().expect("tempdir");
    let out = parent.path().join("export");
    let err = export(book.path(), &out, &ExportOptions::default()).expect_err("fails");
    assert!(format!("{err:#}").contains("src/a.md:3"), "{err:#}");
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(parent.path()).expect("read").count(),
        0,
        "no staging left"
    );
}
