//! The mapping tables, as HTML (with links to the tabs) or as markdown for
//! the GitBook export.
//!
//! In HTML a table has one row per language, grouped under a full-width row
//! per step or API (`<tbody>` with a `scope="rowgroup"` header): four
//! languages side by side made tables of 1,800–2,200 px in a 750 px column.
//! Read down, the languages still line up for comparison, and the table
//! fits the column at any window width.

use super::{escape_html, Target};
use crate::config::Language;
use crate::handler_catalog::HandlerDef;
use crate::mapping::{ApiTable, StepTable};
use crate::shown::{link, ShownIndex};
use std::fmt::Write;

/// Where the table is written and what it can link to.
pub struct TableContext<'a> {
    pub chapter: &'a str,
    pub shown: &'a ShownIndex,
    pub target: Target,
}

/// `file.rb:12`: the folder is in the link's title; a full path per cell
/// would make the table too wide to read.
fn short_location(def: &HandlerDef) -> String {
    format!("{}:{}", crate::render::file_name(&def.path), def.line)
}

fn handler_link(def: &HandlerDef, cx: &TableContext<'_>) -> Option<String> {
    cx.shown
        .place_of_file(&def.path)
        .map(|p| link(cx.chapter, p, cx.target == Target::Html))
}

/// Title and header row, for either target; `close` ends what `open` began.
/// `columns`: the HTML header cells after the language's (the markdown
/// table keeps one column per language).
fn open(
    out: &mut String,
    title: Option<&str>,
    first: &str,
    columns: &[&str],
    langs: &[Language],
    html: bool,
) {
    if html {
        out.push_str("<div class=\"codetabs-mapping\">\n");
        if let Some(t) = title {
            let _ = writeln!(out, "<p class=\"codetabs-title\">{}</p>", escape_html(t));
        }
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Language</th>");
        for c in columns {
            let _ = write!(out, "<th scope=\"col\">{c}</th>");
        }
        out.push_str("</tr></thead>\n");
    } else {
        if let Some(t) = title {
            out.push_str(&super::markdown_title(t));
        }
        let _ = write!(out, "| {first} |");
        for l in langs {
            let _ = write!(out, " {} |", l.label);
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(langs.len()));
        out.push('\n');
    }
}

/// Opens one step's or API's rows: a header row across the table.
fn open_group(out: &mut String, span: usize, header: &str) {
    let _ = writeln!(
        out,
        "<tbody>\n<tr><th scope=\"rowgroup\" colspan=\"{span}\">{header}</th></tr>"
    );
}

fn close(out: &mut String, html: bool) {
    if html {
        out.push_str("</table>\n</div>\n");
    }
}

pub fn step_table(table: &StepTable, cx: &TableContext<'_>) -> String {
    match cx.target {
        Target::Html => step_table_html(table, cx),
        Target::GitBook => step_table_markdown(table, cx),
    }
}

fn step_table_html(table: &StepTable, cx: &TableContext<'_>) -> String {
    let mut out = String::new();
    let columns = ["Handler", "Callable"];
    open(
        &mut out,
        table.title.as_deref(),
        "Step",
        &columns,
        &table.langs,
        true,
    );
    for row in &table.rows {
        let step = format!("<code>{}</code>", escape_html(&row.step));
        open_group(&mut out, columns.len() + 1, &step);
        for (lang, def) in table.langs.iter().zip(&row.handlers) {
            let class = escape_html(&def.class);
            let name = match handler_link(def, cx) {
                Some(href) => format!("<a href=\"{}\">{class}</a>", escape_html(&href)),
                None => class,
            };
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{name}<br><span class=\"codetabs-where\" title=\"{}\">{}</span></td><td><code class=\"codetabs-callable\">{}</code></td></tr>",
                escape_html(&lang.label),
                escape_html(&def.path),
                escape_html(&short_location(def)),
                escape_html(&def.callable),
            );
        }
        out.push_str("</tbody>\n");
    }
    close(&mut out, true);
    out
}

/// Markdown tables cannot hold `|` in code spans portably; callables have none.
fn step_table_markdown(table: &StepTable, cx: &TableContext<'_>) -> String {
    let mut out = String::new();
    open(
        &mut out,
        table.title.as_deref(),
        "Step",
        &[],
        &table.langs,
        false,
    );
    for row in &table.rows {
        let _ = write!(out, "| `{}` |", row.step);
        for def in &row.handlers {
            let name = match handler_link(def, cx) {
                Some(href) => format!("[{}]({href})", def.class),
                None => def.class.clone(),
            };
            let _ = write!(out, " {name}<br>`{}` |", def.callable);
        }
        out.push('\n');
    }
    out
}

pub fn api_table(table: &ApiTable, cx: &TableContext<'_>) -> String {
    match cx.target {
        Target::Html => api_table_html(table, cx),
        Target::GitBook => api_table_markdown(table, cx),
    }
}

/// The handlers that use an API, as links (HTML or markdown) or names.
fn demos(used_by: &[HandlerDef], cx: &TableContext<'_>, html: bool) -> Vec<String> {
    used_by
        .iter()
        .map(|d| {
            let short = d.class.trim_end_matches("Handler");
            match (handler_link(d, cx), html) {
                (Some(h), true) => {
                    format!("<a href=\"{}\">{}</a>", escape_html(&h), escape_html(short))
                }
                (None, true) => escape_html(short),
                (Some(h), false) => format!("[{short}]({h})"),
                (None, false) => short.to_string(),
            }
        })
        .collect()
}

fn api_table_html(table: &ApiTable, cx: &TableContext<'_>) -> String {
    let mut out = String::new();
    let columns = ["Call", "Used in"];
    open(
        &mut out,
        table.title.as_deref(),
        "What",
        &columns,
        &table.langs,
        true,
    );
    for row in &table.rows {
        open_group(&mut out, columns.len() + 1, &escape_html(&row.what));
        for (lang, api) in table.langs.iter().zip(&row.uses) {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th>",
                escape_html(&lang.label)
            );
            let Some(u) = api else {
                out.push_str("<td>—</td><td></td></tr>\n");
                continue;
            };
            let note = u
                .note
                .as_deref()
                .map(|n| {
                    format!(
                        "<br><span class=\"codetabs-note\">{}</span>",
                        escape_html(n)
                    )
                })
                .unwrap_or_default();
            let demos = demos(&u.used_by, cx, true);
            let used = match demos.len() {
                0 => "no handler".to_string(),
                // Long lists fold away: the table stays readable.
                n if n > 3 => format!(
                    "<details><summary>{n} handlers</summary>{}</details>",
                    demos.join(", ")
                ),
                _ => demos.join(", "),
            };
            let _ = writeln!(
                out,
                "<td><code>{}</code>{note}</td><td>{used}</td></tr>",
                escape_html(&u.call)
            );
        }
        out.push_str("</tbody>\n");
    }
    close(&mut out, true);
    out
}

fn api_table_markdown(table: &ApiTable, cx: &TableContext<'_>) -> String {
    let mut out = String::new();
    open(
        &mut out,
        table.title.as_deref(),
        "What",
        &[],
        &table.langs,
        false,
    );
    for row in &table.rows {
        let _ = write!(out, "| {} |", row.what.replace('|', "\\|"));
        for api in &row.uses {
            let Some(u) = api else {
                out.push_str(" — |");
                continue;
            };
            let demos = demos(&u.used_by, cx, false);
            let used = match demos.len() {
                0 => "used in no handler".to_string(),
                _ => format!("used in {}", demos.join(", ")),
            };
            let note = u
                .note
                .as_deref()
                .map(|n| format!("<br>{}", n.replace('|', "\\|")))
                .unwrap_or_default();
            let _ = write!(out, " `{}`{note}<br>{used} |", u.call.replace('|', "\\|"));
        }
        out.push('\n');
    }
    out
}
