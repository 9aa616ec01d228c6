//! Cutting a snippet out of an indexed file: marker lines dropped, outer
//! blank lines trimmed, common indentation removed.

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
    let kept: Vec<(usize, &'a str)> = (from..=to)
        .filter(|n| !is_marker(*n))
        .filter_map(|n| line_at(n).map(|l| (n, l)))
        .collect();
    let first = kept.iter().position(|(_, l)| !l.trim().is_empty())?;
    let last = kept.iter().rposition(|(_, l)| !l.trim().is_empty())?;
    let kept = &kept[first..=last];
    let code = dedent(kept.iter().map(|(_, l)| *l));
    Some(Snippet {
        code,
        first_line: kept[0].0,
        last_line: kept[kept.len() - 1].0,
    })
}

/// Removes the longest leading whitespace shared by every non-blank line.
/// Tabs and spaces are compared as written: a tab never counts as spaces, so
/// mixed indentation is only trimmed as far as it really agrees.
pub fn dedent<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut common: Option<&str> = None;
    for line in lines.clone().filter(|l| !l.trim().is_empty()) {
        let indent = &line[..line.len() - line.trim_start().len()];
        common = Some(match common {
            None => indent,
            Some(c) => shared_prefix(c, indent),
        });
    }
    let cut = common.map_or(0, str::len);
    let mut out = String::new();
    for line in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&line[cut..]);
            out.push('\n');
        }
    }
    out
}

fn shared_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a
        .char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, x), _)| i + x.len_utf8());
    &a[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

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
