//! Finding `{{#codetabs …}}` directives in chapter text and splitting their
//! arguments. Nothing here touches the file system.

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
}

/// A directive that could not be read, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Every directive of ours in `text`, in order, plus what could not be parsed.
/// `\{{#codetabs …}}` is an escape: it is left for mdBook's `links`
/// preprocessor, which drops the backslash.
pub fn find_directives(text: &str) -> (Vec<Directive>, Vec<ParseError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut line = 1;
    let mut counted_to = 0;
    let mut search_from = 0;
    while let Some(rel) = text[search_from..].find("{{#") {
        let start = search_from + rel;
        line += count_newlines(&text[counted_to..start]);
        counted_to = start;
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
        let body_start = start + 3 + name.len();
        let line_end = text[body_start..]
            .find('\n')
            .map_or(text.len(), |i| body_start + i);
        let Some(close_rel) = text[body_start..line_end].find("}}") else {
            errors.push(ParseError {
                line,
                message: format!("`{{{{#{name}` is not closed with `}}}}` on the same line"),
            });
            continue;
        };
        let end = body_start + close_rel + 2;
        match split_args(&text[body_start..body_start + close_rel]) {
            Ok((positional, options)) => found.push(Directive {
                name: (*name).to_string(),
                span: start..end,
                line,
                positional,
                options,
            }),
            Err(message) => errors.push(ParseError { line, message }),
        }
        search_from = end;
    }
    (found, errors)
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

type Args = (Vec<String>, Vec<(String, String)>);

/// Splits `target key=value key="a value"` into words and options.
/// Double quotes group a value; `\"` and `\\` escape inside them.
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
        let text = "{{#codetabs a}}\n\n{{#codetabs b}}\nx {{#include y}} {{#codetabs c}}";
        let (found, _) = find_directives(text);
        let lines: Vec<_> = found.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![1, 3, 4]);
    }
}
