//! Anchor extraction: `anchors::scan` over any lines, then a `SourceFile`
//! built from the same text, cutting every region it found (`anchored`) and
//! the whole file (`whole`). Beyond "no panic", it checks that each snippet
//! comes from inside its region, never contains a marker line, and ends in a
//! newline; that every marker read has a name or a flaw saying it has none;
//! and that a byte-order mark opening the file is dropped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_codetabs::anchors::{self, parse_marker, read_marker, Marker};
use mdbook_codetabs::source_index::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    let direct = anchors::scan(text.lines());
    assert!(direct.marker_lines.windows(2).all(|w| w[0] < w[1]));
    // A line read as a marker has a name, or a flaw that says it has none.
    for line in text.lines() {
        if let Some(read) = read_marker(line) {
            match read.marker {
                Some(Marker::Start(name) | Marker::End(name)) => assert!(!name.is_empty()),
                None => assert!(read.flaw.is_some(), "{line:?}"),
            }
        }
    }

    let file = SourceFile::from_text("handlers/fuzz/input.rs", text.to_string());
    let count = file.line_count();
    for (name, region) in &file.scan.regions {
        assert!(!name.is_empty());
        assert!(
            region.open < region.close && region.close <= count,
            "{name}: {region:?}"
        );
        if let Some(s) = file.anchored(*region) {
            assert!(
                s.first_line > region.open && s.last_line < region.close,
                "{name}: {s:?}"
            );
            assert!(s.first_line <= s.last_line);
            assert!(s.code.ends_with('\n'));
            for l in s.code.lines() {
                assert!(parse_marker(l).is_none(), "marker line kept: {l:?}");
            }
        }
    }
    for p in &file.scan.problems {
        assert!(
            p.line >= 1 && p.line <= count.max(1),
            "problem at line {}",
            p.line
        );
    }
    if let Some(s) = file.whole() {
        assert!(s.first_line >= 1 && s.last_line <= count && s.first_line <= s.last_line);
        assert!(s.code.ends_with('\n'));
    }
    // A byte-order mark opening the file never reaches a snippet.
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        if !rest.starts_with('\u{FEFF}') {
            assert!(!file.line(1).unwrap_or("").starts_with('\u{FEFF}'));
        }
    }
    for n in 0..=count + 1 {
        let line = file.line(n);
        assert_eq!(line.is_some(), (1..=count).contains(&n));
    }
});
