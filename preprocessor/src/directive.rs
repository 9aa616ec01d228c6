//! Finding `{{#codetabs …}}` directives in chapter text and splitting their
//! arguments. Nothing here touches the file system.
//!
//! A directive is a block: it stands alone on its line, after nothing but the
//! markers of the list items and quotes it sits in. Those markers are kept
//! as the directive's [`Directive::container`], so that its output can be
//! written inside the same containers.

use crate::diagnostic::invisible_char;
use std::collections::HashSet;
use std::ops::Range;

/// The directive names this preprocessor owns.
pub const DIRECTIVES: &[&str] = &["codetabs", "dag", "mapping", "api-mapping", "timeline"];

/// One directive as written in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    /// Byte range of the whole `{{#…}}` text in the chapter.
    pub span: Range<usize>,
    /// 1-based line of the opening braces.
    pub line: usize,
    /// Bare words, in order (the snippet target is the first).
    pub positional: Vec<String>,
    /// `key=value` options, in order.
    pub options: Vec<(String, String)>,
    /// What every line of the output must start with to stay in the list
    /// items and quotes the directive sits in: the text before it on its
    /// line, with list markers turned into spaces (`1. ` → `   `, `> - ` →
    /// `>   `). Empty at the top level.
    pub container: String,
    /// The directive is written on a list item's first line, right after
    /// its marker (`1. {{#codetabs …}}`): its output must start on that line,
    /// since an item cannot begin with a blank line and then go on.
    pub opens_item: bool,
}

/// A directive that could not be read, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
    /// What to do about it, when the general directive syntax is not the answer.
    pub help: Option<String>,
}

const BOM: char = '\u{FEFF}';

const ALONE: &str = "a directive is a block of its own: put it on a line of its own (in a list item or a quote, after the item's indentation or the `>`), or write \\{{#… to show it as text";

/// Every directive of ours in `text`, in order, plus what could not be parsed.
/// `\{{#codetabs …}}` is an escape: it is left for mdBook's `links`
/// preprocessor, which drops the backslash.
pub fn find_directives(text: &str) -> (Vec<Directive>, Vec<ParseError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut line = 1;
    let mut counted_to = 0;
    let mut search_from = 0;
    while let Some((start, name)) = next_directive(text, search_from) {
        line += count_newlines(&text[counted_to..start]);
        counted_to = start;
        search_from = start + 3;
        let mut error = |message: String, help: Option<&str>| {
            errors.push(ParseError {
                line,
                message,
                help: help.map(str::to_string),
            });
        };
        let body_start = start + 3 + name.len();
        let line_end = text[body_start..]
            .find('\n')
            .map_or(text.len(), |i| body_start + i);
        let Some(close_rel) = text[body_start..line_end].find("}}") else {
            error(
                format!("`{{{{#{name}` is not closed with `}}}}` on the same line"),
                Some("a directive is written on one line, however long"),
            );
            continue;
        };
        let end = body_start + close_rel + 2;
        search_from = end;
        if let Some((_, second)) = next_directive(text, end).filter(|(at, _)| *at < line_end) {
            error(
                format!("two directives on one line: `{{{{#{name}` and `{{{{#{second}`"),
                Some("put each directive on a line of its own"),
            );
            search_from = line_end;
            continue;
        }
        if let Some(problem) = stray_text(text[end..line_end].trim_end_matches('\r')) {
            error(
                format!("{problem} after `{{{{#{name} …}}}}` on its line"),
                Some(ALONE),
            );
            continue;
        }
        // A byte-order mark opening the chapter is an encoding signature, not text.
        let line_start = match text[..start].rfind('\n') {
            Some(i) => i + 1,
            None if text.starts_with(BOM) => BOM.len_utf8(),
            None => 0,
        };
        let (container, opens_item) = match container_of(&text[line_start..start]) {
            Ok(c) => c,
            Err(problem) => {
                error(
                    format!("{problem} before `{{{{#{name} …}}}}` on its line"),
                    Some(ALONE),
                );
                continue;
            }
        };
        match split_args(&text[body_start..body_start + close_rel]) {
            Ok((positional, options)) => found.push(Directive {
                name: name.to_string(),
                span: start..end,
                line,
                positional,
                options,
                container,
                opens_item,
            }),
            Err(message) => error(message, None),
        }
    }
    (found, errors)
}

/// The next directive of ours at or after `from`: its start and name.
/// Foreign `{{#…}}` (mdBook's `include`) and escaped ones are passed over.
fn next_directive(text: &str, from: usize) -> Option<(usize, &'static str)> {
    let mut search_from = from;
    while let Some(rel) = text.get(search_from..)?.find("{{#") {
        let start = search_from + rel;
        search_from = start + 3;
        let Some(name) = DIRECTIVES
            .iter()
            .find(|n| directive_name_at(&text[start + 3..], n))
        else {
            continue;
        };
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            continue;
        }
        return Some((start, name));
    }
    None
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|b| *b == b'\n').count()
}

/// `rest` starts right after `{{#`; the name must end at whitespace or `}`.
fn directive_name_at(rest: &str, name: &str) -> bool {
    rest.strip_prefix(name)
        .and_then(|after| after.chars().next())
        .is_some_and(|c| c.is_whitespace() || c == '}')
}

/// What is wrong with `s` standing beside a directive on its line, if
/// anything: only spaces and tabs may.
fn stray_text(s: &str) -> Option<String> {
    if let Some(name) = s.chars().find_map(invisible_char) {
        return Some(format!("an invisible character, {name},"));
    }
    let s = s.trim();
    (!s.is_empty()).then(|| format!("text (`{s}`)"))
}

/// The container prefix for a directive whose line starts with `lead`, and
/// whether `lead` ends in a list marker. Only indentation, `>` quote markers
/// and list markers (`-`, `+`, `*`, `1.`, `1)` followed by a space or tab)
/// may stand before a directive; each marker becomes spaces of its width.
fn container_of(lead: &str) -> Result<(String, bool), String> {
    let mut container = String::with_capacity(lead.len());
    let mut opens_item = false;
    let bytes = lead.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let marker_len = match bytes[i] {
            b' ' | b'\t' => 0,
            b'>' => {
                // A quote after a list marker opens inside the item.
                opens_item = false;
                0
            }
            b'-' | b'+' | b'*' => 1,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                match bytes.get(i + digits) {
                    Some(b'.' | b')') if digits <= 9 => digits + 1,
                    _ => return Err(stray_text(lead).unwrap_or_default()),
                }
            }
            _ => return Err(stray_text(lead).unwrap_or_default()),
        };
        if marker_len == 0 {
            container.push(char::from(bytes[i]));
            i += 1;
            continue;
        }
        // A list marker counts only when a space or tab follows it.
        if !matches!(bytes.get(i + marker_len), Some(b' ' | b'\t')) {
            return Err(stray_text(lead).unwrap_or_default());
        }
        container.extend(std::iter::repeat_n(' ', marker_len));
        opens_item = true;
        i += marker_len;
    }
    Ok((container, opens_item))
}

type Args = (Vec<String>, Vec<(String, String)>);

/// Splits `target key=value key="a value"` into words and options.
/// Double quotes group a value; `\"` and `\\` escape inside them. An option
/// given twice is an error: which of the two was meant cannot be known.
pub fn split_args(body: &str) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut options = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut word = String::new();
        let mut key: Option<String> = None;
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '=' if key.is_none() => {
                    if word.is_empty() {
                        return Err("an option has no name before `=`".into());
                    }
                    key = Some(std::mem::take(&mut word));
                }
                '"' => word.push_str(&read_quoted(&mut chars)?),
                _ => word.push(c),
            }
        }
        match key {
            Some(k) => options.push((k, word)),
            None => positional.push(word),
        }
    }
    let mut seen = HashSet::new();
    if let Some((key, _)) = options.iter().find(|(k, _)| !seen.insert(k.as_str())) {
        return Err(format!("option `{key}=` is given twice; keep one"));
    }
    Ok((positional, options))
}

fn read_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, String> {
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Ok(value),
            '\\' => match chars.next() {
                Some(escaped @ ('"' | '\\')) => value.push(escaped),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            _ => value.push(c),
        }
    }
    Err("a quoted value is missing its closing `\"`".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directive_with_line_and_options() {
        let text = "# Title\n\nSome text\n{{#codetabs a/b:handler title=\"Cart check\" langs=ruby,python}}\n";
        let (found, errors) = find_directives(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(d.line, 4);
        assert_eq!(d.positional, vec!["a/b:handler"]);
        assert_eq!(
            d.options,
            vec![
                ("title".to_string(), "Cart check".to_string()),
                ("langs".to_string(), "ruby,python".to_string())
            ]
        );
        assert_eq!(&text[d.span.clone()], &text[19..text.len() - 1]);
    }

    #[test]
    fn escaped_and_foreign_directives_are_left_alone() {
        let text = "\\{{#codetabs x}} {{#include y.rs}} {{#codetabsx z}}";
        let (found, errors) = find_directives(text);
        assert!(found.is_empty());
        assert!(errors.is_empty());
    }

    #[test]
    fn unclosed_directive_reports_its_line() {
        let (found, errors) = find_directives("a\nb\n{{#codetabs x\n}}");
        assert!(found.is_empty());
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("not closed"));
    }

    #[test]
    fn bad_quoting_is_an_error() {
        let (_, errors) = find_directives("{{#codetabs x title=\"open}}");
        assert!(errors[0].message.contains("closing"), "{errors:?}");
    }

    #[test]
    fn escapes_inside_quotes() {
        let (pos, opts) = split_args(r#"x title="say \"hi\" \\ now""#).expect("parses");
        assert_eq!(pos, vec!["x"]);
        assert_eq!(opts[0].1, r#"say "hi" \ now"#);
    }

    #[test]
    fn counts_lines_across_many_directives() {
        let text = "{{#codetabs a}}\n\n{{#codetabs b}}\n{{#include y}}\n\n{{#codetabs c}}";
        let (found, _) = find_directives(text);
        let lines: Vec<_> = found.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![1, 3, 6]);
    }

    fn container(text: &str) -> (String, bool) {
        let (found, errors) = find_directives(text);
        assert!(errors.is_empty(), "{errors:?}");
        (found[0].container.clone(), found[0].opens_item)
    }

    #[test]
    fn the_container_is_the_lead_with_list_markers_blanked() {
        let c = |s: &str| container(s).0;
        assert_eq!(c("{{#dag a}}"), "");
        assert_eq!(c("   {{#dag a}}"), "   ");
        assert_eq!(c("> {{#dag a}}"), "> ");
        assert_eq!(c("> > {{#dag a}}"), "> > ");
        assert_eq!(c("  >\t{{#dag a}}"), "  >\t");
        assert_eq!(c("10. {{#dag a}}"), "    ");
        assert_eq!(c("> - {{#dag a}}"), ">   ");
        assert_eq!(c("- 1) {{#dag a}}"), "     ");
        assert_eq!(container("1. {{#dag a}}"), ("   ".into(), true));
        assert_eq!(container("   - {{#dag a}}"), ("     ".into(), true));
        assert_eq!(container("- > {{#dag a}}"), ("  > ".into(), false));
        assert_eq!(container("   {{#dag a}}"), ("   ".into(), false));
    }

    #[test]
    fn a_directive_stands_alone_on_its_line() {
        for (text, needle) in [
            ("See {{#dag a}}", "text (`See`) before"),
            ("1.{{#dag a}}", "text (`1.`) before"),
            ("-{{#dag a}}", "text (`-`) before"),
            ("## {{#dag a}}", "text (`##`) before"),
            ("{{#dag a}} and more", "text (`and more`) after"),
            ("\u{200B}{{#dag a}}", "U+200B (ZERO WIDTH SPACE)"),
            ("\u{00A0}{{#dag a}}", "U+00A0 (NO-BREAK SPACE)"),
            ("{{#dag a}}\u{2060}", "U+2060 (WORD JOINER)"),
            ("{{#dag a}} {{#codetabs b}}", "two directives on one line"),
        ] {
            let (found, errors) = find_directives(text);
            assert!(found.is_empty(), "{text:?}: {found:?}");
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            assert!(errors[0].message.contains(needle), "{text:?}: {errors:?}");
        }
        // Spaces after it are fine, and so is a CRLF line end.
        assert_eq!(find_directives("{{#dag a}}  \r\nx").0.len(), 1);
        // A foreign or escaped directive beside one of ours is text.
        let (_, errors) = find_directives("{{#dag a}} \\{{#dag b}}");
        assert!(errors[0].message.contains("text (`\\{{#dag b}}`) after"));
    }

    #[test]
    fn a_byte_order_mark_before_the_first_line_is_not_text() {
        let (found, errors) = find_directives("\u{FEFF}{{#dag a}}\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((found[0].line, found[0].container.as_str()), (1, ""));
        let (_, errors) = find_directives("x\n\u{FEFF}{{#dag a}}\n");
        assert!(errors[0].message.contains("U+FEFF"), "{errors:?}");
    }

    #[test]
    fn an_option_given_twice_is_an_error() {
        for body in [
            "x title=a title=b",
            "x langs=ruby langs=python",
            "x ruby=a ruby=b:c",
        ] {
            let err = split_args(body).expect_err(body);
            assert!(err.contains("given twice"), "{err}");
            let key = body
                .split_whitespace()
                .nth(1)
                .and_then(|o| o.split_once('='));
            assert!(
                err.contains(&format!("`{}=`", key.expect("key").0)),
                "{err}"
            );
        }
    }
}
