//! Cutting a snippet out of an indexed file: marker lines dropped, outer
//! blank lines trimmed, common indentation removed.

use std::ops::Range;

/// Code ready to show, with the lines it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub code: String,
    /// 1-based first and last source lines of the shown code.
    pub first_line: usize,
    pub last_line: usize,
}

/// `line_at(n)` gives the file's 1-based line n; `from..=to` is the inclusive
/// range to take; `is_marker` tells which lines to drop. Only the range is
/// visited, so a snippet costs its own size, not its file's.
/// Returns `None` when nothing but blank or marker lines remains.
pub fn cut<'a>(
    line_at: impl Fn(usize) -> Option<&'a str>,
    from: usize,
    to: usize,
    is_marker: impl Fn(usize) -> bool,
) -> Option<Snippet> {
    let (line_at, is_marker) = (&line_at, &is_marker);
    let shown = |n: usize| line_at(n).filter(|_| !is_marker(n));
    let first = (from..=to).find(|n| shown(*n).is_some_and(|l| !is_blank(l)))?;
    let last = (first..=to)
        .rev()
        .find(|n| shown(*n).is_some_and(|l| !is_blank(l)))?;
    let code = dedent((first..=last).filter_map(shown));
    Some(Snippet {
        code,
        first_line: first,
        last_line: last,
    })
}

/// [`cut`] for lines that hold no marker and no `\r`, given as byte ranges
/// of `text` (a file's line index; `lines[0]` is 1-based line `first_line`):
/// the same result without per-line lookups. Nearly every snippet takes
/// this path, so it is kept lean.
pub fn cut_lines(text: &str, lines: &[Range<usize>], first_line: usize) -> Option<Snippet> {
    let blank = |r: &Range<usize>| is_blank(&text[r.clone()]);
    let first = lines.iter().position(|r| !blank(r))?;
    let last = lines.iter().rposition(|r| !blank(r))?;
    let lines = &lines[first..=last];
    let mut common: Option<&str> = None;
    // Blank lines are written empty, so whitespace on one rules out the copy.
    let mut verbatim = true;
    for r in lines {
        let line = &text[r.clone()];
        if is_blank(line) {
            verbatim &= line.is_empty();
        } else {
            let indent = &line[..indent_len(line)];
            common = Some(common.map_or(indent, |c| shared_prefix(c, indent)));
        }
    }
    let cut = common.map_or(0, str::len);
    let (start, end) = (lines[0].start, lines[lines.len() - 1].end);
    let mut code = String::with_capacity(end - start + 1);
    if cut == 0 && verbatim {
        // The lines are contiguous in the file: one copy.
        code.push_str(&text[start..end]);
        code.push('\n');
    } else {
        for r in lines {
            let line = &text[r.clone()];
            if !is_blank(line) {
                code.push_str(&line[cut..]);
            }
            code.push('\n');
        }
    }
    Some(Snippet {
        code,
        first_line: first_line + first,
        last_line: first_line + last,
    })
}

/// Removes the longest leading whitespace shared by every non-blank line.
/// Tabs and spaces are compared as written: a tab never counts as spaces, so
/// mixed indentation is only trimmed as far as it really agrees.
pub fn dedent<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut common: Option<&str> = None;
    let mut size = 0;
    for line in lines.clone() {
        size += line.len() + 1;
        if is_blank(line) {
            continue;
        }
        let indent = &line[..indent_len(line)];
        common = Some(match common {
            None => indent,
            Some(c) => shared_prefix(c, indent),
        });
    }
    let cut = common.map_or(0, str::len);
    let mut out = String::with_capacity(size);
    for line in lines {
        let line = line.trim_end_matches('\r');
        if !is_blank(line) {
            out.push_str(&line[cut..]);
        }
        out.push('\n');
    }
    out
}

/// `line.trim().is_empty()`, deciding most lines from their first byte.
fn is_blank(line: &str) -> bool {
    match line
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        None => true,
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// Bytes of leading whitespace (`line.len() - line.trim_start().len()`),
/// without a Unicode lookup when the indent is plain spaces and tabs.
fn indent_len(line: &str) -> usize {
    let n = line
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    match line.as_bytes().get(n) {
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0b => n,
        None => n,
        Some(_) => line.len() - line.trim_start().len(),
    }
}

/// The longest common prefix of two indents, ending on a character boundary
/// of `a` (indents may hold multi-byte whitespace).
fn shared_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let mut len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(len) {
        len -= 1;
    }
    &a[..len]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_text_path_cuts_like_the_line_path(
            lines in proptest::collection::vec("[ \t\u{a0}a-c]{0,5}", 0..8),
            first_line in 1usize..50,
        ) {
            let text = lines.join("\n");
            let mut ranges = Vec::new();
            let mut at = 0;
            for l in &lines {
                ranges.push(at..at + l.len());
                at += l.len() + 1;
            }
            let by_line = cut(
                |n| lines.get(n.checked_sub(first_line)?).map(String::as_str),
                first_line,
                first_line + lines.len().max(1) - 1,
                |_| false,
            );
            prop_assert_eq!(cut_lines(&text, &ranges, first_line), by_line);
        }

        #[test]
        fn fast_whitespace_checks_agree_with_unicode_trim(
            line in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{3000}a-z#]{0,8}"
        ) {
            prop_assert_eq!(is_blank(&line), line.trim().is_empty());
            prop_assert_eq!(indent_len(&line), line.len() - line.trim_start().len());
        }
    }

    #[test]
    fn drops_markers_trims_and_dedents() {
        let src = [
            "class A",
            "  # ANCHOR: x",
            "",
            "  def call",
            "    # ANCHOR: inner",
            "    1",
            "",
            "    # ANCHOR_END: inner",
            "  end",
            "  # ANCHOR_END: x",
        ];
        let markers = [2, 5, 8, 10];
        let s = cut(|n| src.get(n - 1).copied(), 3, 9, |n| markers.contains(&n)).expect("snippet");
        assert_eq!(s.code, "def call\n  1\n\nend\n");
        assert_eq!((s.first_line, s.last_line), (4, 9));
    }

    #[test]
    fn empty_region_is_none() {
        let src = ["# ANCHOR: x", "", "   ", "# ANCHOR_END: x"];
        assert!(cut(|n| src.get(n - 1).copied(), 2, 3, |_| false).is_none());
    }

    #[test]
    fn mixed_tabs_and_spaces_only_trim_what_agrees() {
        let got = dedent(["\t  a", "\t b", "\t\tc"].into_iter());
        assert_eq!(got, "  a\n b\n\tc\n");
        let got = dedent(["  a", "\tb"].into_iter());
        assert_eq!(got, "  a\n\tb\n");
    }
}
