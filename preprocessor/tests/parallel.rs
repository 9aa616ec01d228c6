//! The first pass drafts chapters on several threads. Whatever the timing,
//! the book must come out as if each chapter were expanded on its own, in
//! order, and problems must be listed in book order.

use mdbook_codetabs::config::Settings;
use mdbook_codetabs::preprocessor::{expand, run_session, Session};
use mdbook_codetabs::render::Target;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

const LANGS: [(&str, &str); 4] = [
    ("ruby", "rb"),
    ("python", "py"),
    ("typescript", "ts"),
    ("rust", "rs"),
];

/// 40 handler files per language, each with three regions.
fn sources(root: &std::path::Path) {
    for (lang, ext) in LANGS {
        let dir = root.join("handlers").join(lang);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for n in 0..40 {
            let mut text = String::new();
            for r in 0..3 {
                text.push_str(&format!("# ANCHOR: r{r}\n"));
                for l in 0..(5 + n % 7) {
                    text.push_str(&format!("    call_{lang}({n}, {r}, {l})\n"));
                }
                text.push_str(&format!("# ANCHOR_END: r{r}\n"));
            }
            std::fs::write(dir.join(format!("h{n:02}.{ext}")), text).expect("write");
        }
    }
}

/// Chapter `c` shows a few regions; when `broken` is set, its third group
/// asks for an anchor no file has.
fn chapter_text(c: usize, broken: bool) -> String {
    let mut text = format!("# Chapter {c}\n\n");
    for g in 0..6 {
        let n = (c * 7 + g * 3) % 40;
        let anchor = if broken && g == 2 {
            format!("missing{c}")
        } else {
            format!("r{}", g % 3)
        };
        text.push_str(&format!(
            "Group {g}:\n\n{{{{#codetabs h{n:02}:{anchor}}}}}\n\n"
        ));
    }
    text
}

fn book(chapters: usize, broken: impl Fn(usize) -> bool) -> Book {
    let mut book = Book::new();
    for c in 0..chapters {
        let path = format!("ch{c:02}.md");
        let mut chapter = Chapter::new(
            &format!("Chapter {c}"),
            chapter_text(c, broken(c)),
            &path,
            vec![],
        );
        // Nested chapters are visited before their parent by mdBook; cover that order too.
        if c % 5 == 0 {
            let sub = format!("ch{c:02}-sub.md");
            chapter.sub_items.push(BookItem::Chapter(Chapter::new(
                "Sub",
                chapter_text(c + 100, broken(c + 100)),
                &sub,
                vec![format!("Chapter {c}")],
            )));
        }
        book.push_item(BookItem::Chapter(chapter));
    }
    book
}

#[test]
fn a_threaded_build_equals_chapter_by_chapter_expansion() {
    let dir = tempfile::tempdir().expect("tempdir");
    sources(dir.path());
    let settings = Settings::default();
    let mut built = book(30, |_| false);
    let mut session = Session::new(dir.path(), settings.clone(), Target::Html);
    run_session(&mut session, &mut built, "src");
    assert!(session.problems().is_empty(), "{}", session.problems());

    let mut compared = 0;
    for (item, original) in built.iter().zip(book(30, |_| false).iter()) {
        let (BookItem::Chapter(got), BookItem::Chapter(orig)) = (item, original) else {
            continue;
        };
        let path = orig.path.as_ref().expect("path").to_string_lossy();
        let alone = expand(
            &orig.content,
            &format!("src/{path}"),
            &settings,
            dir.path(),
            Target::Html,
        )
        .expect("expands")
        .expect("has directives");
        assert_eq!(got.content, alone, "{path}");
        assert!(got.content.contains("call_rust("), "{path}");
        compared += 1;
    }
    assert_eq!(compared, 36);
    // Each of the 160 files was read once, whichever thread asked first.
    assert_eq!(session.index.reads(), 160);
}

#[test]
fn problems_come_in_book_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    sources(dir.path());
    let broken = |c: usize| c % 3 == 1 || c >= 100;
    let mut built = book(30, broken);
    let mut session = Session::new(dir.path(), Settings::default(), Target::Html);
    run_session(&mut session, &mut built, "src");

    // mdBook's own traversal: sub-chapters first, then their parent.
    let mut expected = Vec::new();
    built.for_each_chapter_mut(|ch| {
        let path = ch
            .path
            .as_ref()
            .expect("path")
            .to_string_lossy()
            .to_string();
        let c: usize = path[2..4].parse().expect("number");
        let c = if path.contains("-sub") { c + 100 } else { c };
        if broken(c) {
            expected.push(format!("src/{path}"));
        }
    });
    let chapters: Vec<String> = session
        .problems()
        .iter()
        .map(|p| {
            let at = p.chapter.as_ref().expect("names the chapter");
            assert!(p.message.contains("not found"), "{}", p.message);
            at.path.clone()
        })
        .collect();
    // Four languages fail per broken group.
    let mut firsts = chapters.clone();
    firsts.dedup();
    assert_eq!(firsts, expected);
    assert_eq!(chapters.len(), expected.len() * 4);
}
