//! Directive parser: `find_directives` on any chapter text and `split_args`
//! on any directive body. Beyond "no panic", it checks what the preprocessor
//! relies on: spans are in bounds, on char boundaries, in order, start with
//! `{{#<name>` and end with `}}`, stand alone on their line after nothing
//! but container markers, and line numbers match the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_codetabs::directive::{find_directives, split_args, DIRECTIVES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    let (found, errors) = find_directives(text);
    let mut prev_end = 0;
    let mut prev_line = 1;
    // Lines counted incrementally, so the check stays linear in the input.
    let mut counted_to = 0;
    let mut line = 1;
    for d in &found {
        assert!(
            DIRECTIVES.contains(&d.name.as_str()),
            "unknown name {:?}",
            d.name
        );
        assert!(d.span.start >= prev_end, "spans overlap or go backwards");
        assert!(d.span.end <= text.len(), "span past the end");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        let whole = &text[d.span.clone()];
        assert!(
            whole.starts_with("{{#") && whole[3..].starts_with(d.name.as_str()),
            "{whole:?}"
        );
        assert!(whole.ends_with("}}"), "{whole:?}");
        assert!(!whole.contains('\n'), "a directive spans lines: {whole:?}");
        // Alone on its line: only blanks after it, and before it only the
        // container markers its output is prefixed with, list markers blanked.
        let line_end = text[d.span.end..]
            .find('\n')
            .map_or(text.len(), |i| d.span.end + i);
        assert!(text[d.span.end..line_end].trim().is_empty(), "{whole:?}");
        assert!(
            d.container.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>')),
            "container {:?}",
            d.container
        );
        let line_start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
        let lead = &text[line_start..d.span.start];
        let lead = match line_start {
            0 => lead.strip_prefix('\u{FEFF}').unwrap_or(lead),
            _ => lead,
        };
        assert_eq!(d.container.len(), lead.len(), "lead {lead:?}");
        assert!(!d.opens_item || lead.bytes().any(|b| !matches!(b, b' ' | b'\t' | b'>')));
        line += text[counted_to..d.span.start]
            .bytes()
            .filter(|b| *b == b'\n')
            .count();
        counted_to = d.span.start;
        assert_eq!(d.line, line, "wrong line for {whole:?}");
        assert!(d.line >= prev_line);
        prev_end = d.span.end;
        prev_line = d.line;
    }
    let lines = 1 + text.bytes().filter(|b| *b == b'\n').count();
    for e in &errors {
        assert!(
            e.line >= 1 && e.line <= lines,
            "error line {} of {lines}",
            e.line
        );
        assert!(!e.message.is_empty());
    }

    // The body splitter alone, on the whole input.
    if let Ok((positional, options)) = split_args(text) {
        for w in &positional {
            assert!(!w.is_empty() || text.contains('"'), "empty bare word");
        }
        for (k, _) in &options {
            assert!(!k.is_empty(), "an option with no name");
        }
    }
});
