//! Cutting a snippet out of an indexed file: marker lines dropped, outer
//! blank lines trimmed, common indentation removed.

use std::borrow::Cow;
use std::sync::Arc;

/// Code ready to show, with the lines it came from.
#[derive(Clone)]
pub struct Snippet {
    code: Code,
    /// 1-based first and last source lines of the shown code.
    pub first_line: usize,
    pub last_line: usize,
}

#[derive(Clone)]
enum Code {
    /// Cut line by line: a whole file, or a region that holds marker lines
    /// or `\r`.
    Text(String),
    /// Contiguous lines of a file's text, written out only when the chapter
    /// is: each non-blank line without its first `cut` bytes, blank lines
    /// empty. Nearly every snippet is one, so its code is copied once,
    /// straight into the chapter.
    Lines {
        text: Arc<String>,
        /// From the start of the first shown line to the end of the last,
        /// without its line ending.
        span: std::ops::Range<usize>,
        cut: usize,
        /// No indent to cut and no whitespace on blank lines: one copy.
        verbatim: bool,
        len: usize,
    },
}

impl Snippet {
    /// The code, one `\n` after every line.
    pub fn code(&self) -> Cow<'_, str> {
        match &self.code {
            Code::Text(t) => Cow::Borrowed(t),
            Code::Lines { len, .. } => {
                let mut out = String::with_capacity(*len);
                self.write_code(&mut out);
                Cow::Owned(out)
            }
        }
    }

    /// Appends the code to `out`.
    pub fn write_code(&self, out: &mut String) {
        match &self.code {
            Code::Text(t) => out.push_str(t),
            Code::Lines {
                text,
                span,
                cut,
                verbatim,
                ..
            } => {
                let lines = &text[span.clone()];
                if *verbatim {
                    out.push_str(lines);
                    out.push('\n');
                    return;
                }
                let mut start = 0;
                let ends = memchr::memchr_iter(b'\n', lines.as_bytes()).chain([lines.len()]);
                for end in ends {
                    let line = &lines[start..end];
                    if !is_blank(line) {
                        out.push_str(&line[*cut..]);
                    }
                    out.push('\n');
                    start = end + 1;
                }
            }
        }
    }

    /// Bytes of [`Snippet::code`].
    pub fn code_len(&self) -> usize {
        match &self.code {
            Code::Text(t) => t.len(),
            Code::Lines { len, .. } => *len,
        }
    }

    /// The code, or for a view the file's lines it shows with their indent
    /// still on: for scans that indentation cannot change, such as the
    /// longest run of backticks, without writing the code out.
    pub fn as_written(&self) -> &str {
        match &self.code {
            Code::Text(t) => t,
            Code::Lines { text, span, .. } => &text[span.clone()],
        }
    }
}

impl std::fmt::Debug for Snippet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snippet")
            .field("code", &self.code())
            .field("first_line", &self.first_line)
            .field("last_line", &self.last_line)
            .finish()
    }
}

/// Two snippets are equal when they show the same code from the same lines,
/// however each was cut.
impl PartialEq for Snippet {
    fn eq(&self, other: &Self) -> bool {
        (self.first_line, self.last_line) == (other.first_line, other.last_line)
            && self.code() == other.code()
    }
}

impl Eq for Snippet {}

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
        code: Code::Text(code),
        first_line: first,
        last_line: last,
    })
}

/// [`cut`] for lines that hold no marker and no `\r`, given as byte ranges
/// of `text` (a file's line index; `lines[0]` is 1-based line `first_line`).
/// The same result as [`cut`], kept as a view of `text` that is written out
/// only when the chapter is. Nearly every snippet takes this path, so it is
/// kept lean: one look at each line, and the common indent compared only
/// where a line does not start with it.
pub fn cut_lines(
    text: &Arc<String>,
    lines: &[std::ops::Range<usize>],
    first_line: usize,
) -> Option<Snippet> {
    let blank = |r: &std::ops::Range<usize>| is_blank(&text[r.clone()]);
    let first = lines.iter().position(|r| !blank(r))?;
    let last = lines.iter().rposition(|r| !blank(r))?;
    let shown = &lines[first..=last];
    let mut common: Option<&str> = None;
    // Blank lines are written empty, so whitespace on one rules out the copy.
    let mut verbatim = true;
    let (mut kept, mut kept_bytes) = (0, 0);
    for r in shown {
        let line = &text[r.clone()];
        if is_blank(line) {
            verbatim &= line.is_empty();
            continue;
        }
        kept += 1;
        kept_bytes += line.len();
        common = Some(match common {
            Some(c) if starts_with(line.as_bytes(), c.as_bytes()) => c,
            Some(c) => shared_prefix(c, &line[..indent_len(line)]),
            None => &line[..indent_len(line)],
        });
    }
    let cut = common.map_or(0, str::len);
    Some(Snippet {
        code: Code::Lines {
            text: Arc::clone(text),
            span: shown[0].start..shown[shown.len() - 1].end,
            cut,
            verbatim: verbatim && cut == 0,
            len: kept_bytes - cut * kept + shown.len(),
        },
        first_line: first_line + first,
        last_line: first_line + last,
    })
}

/// `s.starts_with(prefix)` for the few bytes of an indent, without a call to
/// `memcmp` for each line.
fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s.iter().zip(prefix).all(|(a, b)| a == b)
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
            lines in proptest::collection::vec("[ \t\u{a0}a-c`]{0,5}", 0..8),
            first_line in 1usize..50,
        ) {
            // The lines sit inside a file, between other lines.
            let text = Arc::new(format!("before\n{}\nafter\n", lines.join("\n")));
            let mut ranges = Vec::new();
            let mut at = "before\n".len();
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
            let by_text = cut_lines(&text, &ranges, first_line);
            if let Some(s) = &by_text {
                prop_assert_eq!(s.code_len(), s.code().len());
                let mut written = String::from("x");
                s.write_code(&mut written);
                prop_assert_eq!(&written[1..], &*s.code());
                // Cutting indentation never changes a run of backticks.
                prop_assert_eq!(longest_run(s.as_written()), longest_run(&s.code()));
            }
            prop_assert_eq!(by_text, by_line);
        }

        #[test]
        fn fast_whitespace_checks_agree_with_unicode_trim(
            line in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{3000}a-z#]{0,8}"
        ) {
            prop_assert_eq!(is_blank(&line), line.trim().is_empty());
            prop_assert_eq!(indent_len(&line), line.len() - line.trim_start().len());
        }
    }

    fn longest_run(text: &str) -> usize {
        text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
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
        assert_eq!(s.code(), "def call\n  1\n\nend\n");
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
