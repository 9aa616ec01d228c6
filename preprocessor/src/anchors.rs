//! Reading `ANCHOR: name` / `ANCHOR_END: name` markers out of one source
//! file. Markers must sit in a comment (`#`, `//`, `--`, `;`, `/*`, `<!--`)
//! so that the words in a string literal on a line of code never open a
//! region. Files are read line by line, without parsing their language: a
//! line inside a multi-line string that starts like a marker is one (a
//! tokenizer per language would still miss the languages a book adds, and
//! mdBook's own `{{#include}}` reads the same files line by line).

use crate::diagnostic::invisible_char;
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
    /// What the author can do about it.
    pub help: &'static str,
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

/// A line that is meant as a marker, as read.
#[derive(Debug, PartialEq, Eq)]
pub struct MarkerLine<'a> {
    /// `None` when the name is missing.
    pub marker: Option<Marker<'a>>,
    /// Why the line is not a clean marker. A marker with a flaw still counts
    /// as one, so the flaw is the only error it causes.
    pub flaw: Option<String>,
}

const COMMENT_LEADERS: &[&str] = &["#", "//", "--", ";", "/*", "<!--"];
/// What may close the comment after a marker's name.
const COMMENT_CLOSERS: &[&str] = &["*/", "-->"];

const FIX_MARKERS: &str = "fix the ANCHOR / ANCHOR_END markers in that file";
/// Pairing errors are where a marker-like line inside a multi-line string
/// shows up, since it opens or closes a region nobody meant.
const UNPAIRED_HELP: &str = "fix the ANCHOR / ANCHOR_END markers in that file; markers are read line by line without parsing the language, so a line inside a multi-line string (docstring, heredoc, template literal) that starts with a comment leader and ANCHOR: counts as a marker too";

/// The marker on this line, if it is a clean or flawed marker line.
pub fn parse_marker(line: &str) -> Option<Marker<'_>> {
    read_marker(line)?.marker
}

/// Reads a line that starts (after blanks) with a comment leader and then
/// `ANCHOR:` or `ANCHOR_END:`; `None` for every other line. Anything but
/// spaces and tabs before the name, a missing name, or text after the name
/// other than a comment closer is a flaw.
pub fn read_marker(line: &str) -> Option<MarkerLine<'_>> {
    let mut flaw = None;
    let rest = skip_blanks(line, &mut flaw);
    let after_leader = COMMENT_LEADERS.iter().find_map(|l| rest.strip_prefix(l))?;
    let after_leader = skip_blanks(after_leader, &mut flaw);
    let (is_end, rest) = if let Some(rest) = after_leader.strip_prefix("ANCHOR_END:") {
        (true, rest)
    } else {
        (false, after_leader.strip_prefix("ANCHOR:")?)
    };
    let keyword = if is_end { "ANCHOR_END:" } else { "ANCHOR:" };
    let rest = skip_blanks(rest, &mut flaw).trim_end_matches([' ', '\t']);
    // The closer goes first: `-` is a name character, so `name-->` would
    // otherwise read as the name `name--`.
    let rest = COMMENT_CLOSERS
        .iter()
        .find_map(|c| rest.strip_suffix(c))
        .unwrap_or(rest);
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    if name.is_empty() {
        let flaw = flaw.unwrap_or_else(|| {
            format!("`{keyword}` without a name; names are letters, digits, `_` and `-`")
        });
        return Some(MarkerLine {
            marker: None,
            flaw: Some(flaw),
        });
    }
    let after = rest[len..].trim_matches([' ', '\t']);
    if flaw.is_none() && !after.is_empty() {
        flaw = Some(match after.chars().find_map(invisible_char) {
            Some(c) => format!("an invisible character, {c}, after the anchor name `{name}`"),
            None => format!(
                "text after the anchor name `{name}`: `{after}`; a marker line holds only the marker (and a closing `*/` or `-->`)"
            ),
        });
    }
    Some(MarkerLine {
        marker: Some(if is_end {
            Marker::End(name)
        } else {
            Marker::Start(name)
        }),
        flaw,
    })
}

/// `s` without its leading blanks. Spaces and tabs are blanks; so are other
/// spaces and invisible characters, but they are noted as the line's flaw:
/// the author cannot see them, and most languages reject them in code.
fn skip_blanks<'a>(s: &'a str, flaw: &mut Option<String>) -> &'a str {
    let rest = s.trim_start_matches(|c: char| c == ' ' || c == '\t' || invisible_char(c).is_some());
    if flaw.is_none() {
        if let Some(name) = s[..s.len() - rest.len()].chars().find_map(invisible_char) {
            *flaw = Some(format!(
                "an invisible character, {name}, in a marker line; delete it (only spaces and tabs may come before the name)"
            ));
        }
    }
    rest
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
        // A byte-order mark opening the file is an encoding signature, not text.
        let line = if n == 1 {
            line.strip_prefix('\u{FEFF}').unwrap_or(line)
        } else {
            line
        };
        let Some(read) = read_marker(line) else {
            continue;
        };
        if let Some(message) = read.flaw {
            scan.problems.push(MarkerProblem {
                line: n,
                message,
                help: FIX_MARKERS,
            });
        }
        let Some(marker) = read.marker else {
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
                        help: "rename one of them: a name may open only one region per file",
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
                    help: UNPAIRED_HELP,
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
            help: UNPAIRED_HELP,
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
    fn flawed_markers_still_count_once() {
        let flaw = |l: &str| read_marker(l).and_then(|m| m.flaw);
        assert_eq!(flaw("/* ANCHOR: a */"), None);
        assert_eq!(flaw("<!--ANCHOR_END:a-b-->"), None);
        assert_eq!(
            parse_marker("<!--ANCHOR_END:a-b-->"),
            Some(Marker::End("a-b"))
        );
        assert!(flaw("# ANCHOR: a b").is_some_and(|f| f.contains("`b`")));
        assert!(flaw("\u{200B}# ANCHOR: a").is_some_and(|f| f.contains("U+200B")));
        assert_eq!(
            parse_marker("\u{200B}# ANCHOR: a"),
            Some(Marker::Start("a"))
        );
        assert!(flaw("# ANCHOR:").is_some_and(|f| f.contains("without a name")));
        assert_eq!(read_marker("x = '# ANCHOR: a'"), None);
    }

    #[test]
    fn a_byte_order_mark_opens_only_the_first_line() {
        let scan = scan(["\u{FEFF}# ANCHOR: a", "x", "# ANCHOR_END: a"].into_iter());
        assert!(scan.problems.is_empty(), "{:?}", scan.problems);
        assert_eq!(scan.regions["a"], Region { open: 1, close: 3 });
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
