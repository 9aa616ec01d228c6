//! Reading `ANCHOR: name` / `ANCHOR_END: name` markers out of one source
//! file. Markers must sit in a comment (`#`, `//`, `--`, `;`, `/*`, `<!--`)
//! so that the words in a string literal never open a region.

use std::collections::HashMap;

/// A named region: the 1-based lines of its two marker lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub open: usize,
    pub close: usize,
}

/// A marker problem, at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerProblem {
    pub line: usize,
    pub message: String,
}

/// What one scan of a file found.
#[derive(Debug, Default)]
pub struct AnchorScan {
    pub regions: HashMap<String, Region>,
    /// 1-based lines that hold a marker (dropped from every snippet).
    pub marker_lines: Vec<usize>,
    pub problems: Vec<MarkerProblem>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Marker<'a> {
    Start(&'a str),
    End(&'a str),
}

const COMMENT_LEADERS: &[&str] = &["#", "//", "--", ";", "/*", "<!--"];

/// The marker on this line, if it is a marker line.
pub fn parse_marker(line: &str) -> Option<Marker<'_>> {
    let trimmed = line.trim_start();
    let after_leader = COMMENT_LEADERS
        .iter()
        .find_map(|l| trimmed.strip_prefix(l))?
        .trim_start();
    let (is_end, rest) = if let Some(rest) = after_leader.strip_prefix("ANCHOR_END:") {
        (true, rest)
    } else {
        (false, after_leader.strip_prefix("ANCHOR:")?)
    };
    let rest = rest.trim_start();
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    if name.is_empty() {
        return None;
    }
    Some(if is_end {
        Marker::End(name)
    } else {
        Marker::Start(name)
    })
}

/// Scans lines once and pairs up the markers.
pub fn scan<'a>(lines: impl Iterator<Item = &'a str>) -> AnchorScan {
    scan_numbered(lines.enumerate().map(|(i, line)| (i + 1, line)))
}

/// [`scan`] over `(1-based line number, line)` pairs in ascending order. Lines
/// left out are taken to hold no marker, so a caller that has already found
/// the only lines mentioning `ANCHOR` can skip the rest of a large file.
pub fn scan_numbered<'a>(lines: impl Iterator<Item = (usize, &'a str)>) -> AnchorScan {
    let mut scan = AnchorScan::default();
    let mut open: HashMap<&str, usize> = HashMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (n, line) in lines {
        let Some(marker) = parse_marker(line) else {
            continue;
        };
        scan.marker_lines.push(n);
        match marker {
            Marker::Start(name) => {
                if let Some(prev) = first_seen.get(name) {
                    scan.problems.push(MarkerProblem {
                        line: n,
                        message: format!(
                            "anchor `{name}` is defined twice in this file (first at line {prev})"
                        ),
                    });
                    continue;
                }
                first_seen.insert(name.to_string(), n);
                open.insert(name, n);
            }
            Marker::End(name) => match open.remove(name) {
                Some(start) => {
                    scan.regions.insert(
                        name.to_string(),
                        Region {
                            open: start,
                            close: n,
                        },
                    );
                }
                None => scan.problems.push(MarkerProblem {
                    line: n,
                    message: format!("ANCHOR_END: {name} has no ANCHOR: {name} before it"),
                }),
            },
        }
    }
    let mut unclosed: Vec<_> = open.into_iter().collect();
    unclosed.sort_by_key(|(_, line)| *line);
    for (name, line) in unclosed {
        scan.problems.push(MarkerProblem {
            line,
            message: format!("ANCHOR: {name} is never closed with ANCHOR_END: {name}"),
        });
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_need_a_comment_leader() {
        assert_eq!(
            parse_marker("  # ANCHOR: handler"),
            Some(Marker::Start("handler"))
        );
        assert_eq!(
            parse_marker("// ANCHOR_END: a-b_c"),
            Some(Marker::End("a-b_c"))
        );
        assert_eq!(parse_marker("<!-- ANCHOR: x -->"), Some(Marker::Start("x")));
        assert_eq!(parse_marker("let s = \"ANCHOR: nope\";"), None);
        assert_eq!(parse_marker("# ANCHOR:"), None);
        assert_eq!(parse_marker("# just a comment"), None);
    }

    #[test]
    fn pairs_nested_regions() {
        let src =
            "a\n# ANCHOR: outer\nb\n# ANCHOR: inner\nc\n# ANCHOR_END: inner\n# ANCHOR_END: outer\n";
        let scan = scan(src.lines());
        assert!(scan.problems.is_empty());
        assert_eq!(scan.regions["outer"], Region { open: 2, close: 7 });
        assert_eq!(scan.regions["inner"], Region { open: 4, close: 6 });
        assert_eq!(scan.marker_lines, vec![2, 4, 6, 7]);
    }

    #[test]
    fn reports_duplicate_unclosed_and_stray_end() {
        let src =
            "# ANCHOR: a\n# ANCHOR_END: a\n# ANCHOR: a\n# ANCHOR: open\n# ANCHOR_END: stray\n";
        let scan = scan(src.lines());
        let got: Vec<_> = scan.problems.iter().map(|p| p.line).collect();
        assert_eq!(got, vec![3, 5, 4]);
        assert!(scan.problems[0].message.contains("defined twice"));
        assert!(scan.problems[0].message.contains("line 1"));
        assert!(scan.problems[1].message.contains("has no ANCHOR"));
        assert!(scan.problems[2].message.contains("never closed"));
    }
}
