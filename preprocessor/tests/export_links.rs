//! The GitBook export of a small book whose second chapter links to the
//! first, which the export renames to README.md: every link form follows,
//! and code keeps what the author wrote.

use mdbook_codetabs::export::{export, ExportOptions};

#[test]
fn links_to_the_renamed_first_chapter_follow_it_in_every_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("src/img")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"t\"\n").expect("toml");
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
    )
    .expect("summary");
    std::fs::write(root.join("src/a.md"), "# A\n\nThe intro.\n").expect("a");
    std::fs::write(root.join("src/img/d.svg"), "<svg/>").expect("img");
    let b = "# B\n\n\
[titled](a.md \"The intro\") [plain](a.md#the-intro) [angle](<a.md>) [ref][r]\n\n\
![diagram](img/d.svg) <a href=\"a.md\">raw</a>\n\n\
`[span](a.md)`\n\n\
```md\n[block](a.md)\n```\n\n\
[r]: a.md\n";
    std::fs::write(root.join("src/b.md"), b).expect("b");

    let out = root.join("gitbook");
    let summary = export(root, &out, &ExportOptions::default()).expect("exports");
    assert_eq!(summary.chapters, 2);
    assert_eq!(summary.assets, 1);
    let exported = std::fs::read_to_string(out.join("b.md")).expect("b exported");
    for expected in [
        "[titled](README.md \"The intro\")",
        "[plain](README.md#the-intro)",
        "[angle](<README.md>)",
        "[r]: README.md",
        "![diagram](img/d.svg)",
        "<a href=\"README.md\">raw</a>",
        "`[span](a.md)`",
        "[block](a.md)\n```",
    ] {
        assert!(exported.contains(expected), "{expected} in:\n{exported}");
    }
    assert!(out.join("img/d.svg").exists());
    assert!(out.join("README.md").exists());
}
