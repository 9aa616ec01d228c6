//! Property tests: what must hold for any input, not just the examples.

use mdbook_codetabs::directive::find_directives;
use mdbook_codetabs::snippet::dedent;
use mdbook_codetabs::source_index::SourceFile;
use proptest::prelude::*;

/// A code line: no newline, no marker words, not blank.
fn code_line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_(){}\\[\\];:=+\\-*/\"' ]{0,40}[a-zA-Z0-9;{}]"
        .prop_filter("no markers", |l| !l.contains("ANCHOR"))
}

fn indent() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[ ]{1,8}", "\t{1,2}", "\t[ ]{1,4}"]
}

proptest! {
    /// Cutting a region out and putting it back under its indentation gives
    /// the file's region back, line for line.
    #[test]
    fn extraction_then_reinsertion_round_trips(
        before in prop::collection::vec(code_line(), 0..5),
        body in prop::collection::vec(prop_oneof![4 => code_line().prop_map(Some), 1 => Just(None)], 1..30),
        after in prop::collection::vec(code_line(), 0..5),
        pad in indent(),
        extra in prop::collection::vec(indent(), 30),
    ) {
        // Every body line starts with `pad`; some go deeper.
        let region: Vec<String> = body
            .iter()
            .zip(&extra)
            .map(|(l, deeper)| match l {
                Some(code) => format!("{pad}{deeper}{code}"),
                None => String::new(),
            })
            .collect();
        prop_assume!(region.iter().any(|l| !l.trim().is_empty()));
        let mut text = before.join("\n");
        text.push_str(&format!("\n{pad}# ANCHOR: r\n{}\n{pad}# ANCHOR_END: r\n", region.join("\n")));
        text.push_str(&after.join("\n"));
        let file = SourceFile::from_text("f.py", text);
        let snippet = file.anchored(file.region("r").expect("region")).expect("not empty");

        let first = region.iter().position(|l| !l.trim().is_empty()).expect("non-blank");
        let last = region.iter().rposition(|l| !l.trim().is_empty()).expect("non-blank");
        let common = region[first..=last]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| &l[..l.len() - l.trim_start().len()])
            .fold(None::<String>, |acc, ind| Some(match acc {
                None => ind.to_string(),
                Some(a) => a.chars().zip(ind.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x).collect(),
            }))
            .unwrap_or_default();
        let reinserted: Vec<String> = snippet
            .code()
            .lines()
            .map(|l| if l.is_empty() { String::new() } else { format!("{common}{l}") })
            .collect();
        prop_assert_eq!(reinserted, region[first..=last].to_vec());
    }

    /// Dedenting only ever removes leading whitespace.
    #[test]
    fn dedent_keeps_all_non_whitespace(lines in prop::collection::vec("[ \t]{0,6}[^\n\r]{0,30}", 0..20)) {
        let out = dedent(lines.iter().map(String::as_str));
        let got: Vec<&str> = out.lines().collect();
        prop_assert_eq!(got.len(), lines.len());
        for (o, i) in got.iter().zip(&lines) {
            prop_assert_eq!(o.trim(), i.trim());
            prop_assert!(i.ends_with(o.trim_start()) || o.trim().is_empty());
        }
    }

    /// The directive finder never panics and only returns spans on char
    /// boundaries that start with `{{#` and end with `}}`.
    #[test]
    fn directive_spans_are_sound(text in "(\\{\\{#codetabs|\\{\\{#dag|\\}\\}|\"|\\\\|=|[ a-z:/\n]|é|😀){0,60}") {
        let (found, _) = find_directives(&text);
        for d in found {
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            let s = &text[d.span.clone()];
            prop_assert!(s.starts_with("{{#") && s.ends_with("}}"));
        }
    }
}
