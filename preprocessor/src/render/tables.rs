//! The mapping tables, as HTML (with links to the tabs) or as markdown for
//! the GitBook export.

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
fn open(out: &mut String, title: Option<&str>, first: &str, langs: &[Language], html: bool) {
    if html {
        out.push_str("<div class=\"codetabs-mapping\">\n");
        if let Some(t) = title {
            let _ = writeln!(out, "<p class=\"codetabs-title\">{}</p>", escape_html(t));
        }
        let _ = write!(out, "<table>\n<thead><tr><th scope=\"col\">{first}</th>");
        for l in langs {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape_html(&l.label));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
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

fn close(out: &mut String, html: bool) {
    if html {
        out.push_str("</tbody>\n</table>\n</div>\n");
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
    open(&mut out, table.title.as_deref(), "Step", &table.langs, true);
    for row in &table.rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th>",
            escape_html(&row.step)
        );
        for def in &row.handlers {
            let class = escape_html(&def.class);
            let name = match handler_link(def, cx) {
                Some(href) => format!("<a href=\"{}\">{class}</a>", escape_html(&href)),
                None => class,
            };
            let _ = write!(
                out,
                "<td>{name}<br><code class=\"codetabs-callable\">{}</code><br><span class=\"codetabs-where\" title=\"{}\">{}</span></td>",
                escape_html(&def.callable),
                escape_html(&def.path),
                escape_html(&short_location(def))
            );
        }
        out.push_str("</tr>\n");
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
    let html = cx.target == Target::Html;
    let mut out = String::new();
    open(&mut out, table.title.as_deref(), "What", &table.langs, html);
    for row in &table.rows {
        if html {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape_html(&row.what));
        } else {
            let _ = write!(out, "| {} |", row.what.replace('|', "\\|"));
        }
        for api in &row.uses {
            let cell = match api {
                None if html => "<td>—</td>".to_string(),
                None => " — |".to_string(),
                Some(u) => {
                    let demos: Vec<String> = u
                        .used_by
                        .iter()
                        .map(|d| {
                            let short = d.class.trim_end_matches("Handler");
                            match (handler_link(d, cx), html) {
                                (Some(h), true) => format!(
                                    "<a href=\"{}\">{}</a>",
                                    escape_html(&h),
                                    escape_html(short)
                                ),
                                (None, true) => escape_html(short),
                                (Some(h), false) => format!("[{short}]({h})"),
                                (None, false) => short.to_string(),
                            }
                        })
                        .collect();
                    let n = demos.len();
                    let used = match (n, html) {
                        (0, _) => "used in no handler".to_string(),
                        // Long lists fold away: the table stays readable.
                        (_, true) if n > 3 => format!(
                            "<details><summary>used in {n} handlers</summary>{}</details>",
                            demos.join(", ")
                        ),
                        _ => format!("used in {}", demos.join(", ")),
                    };
                    if html {
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
                        format!(
                            "<td><code>{}</code>{note}<br><span class=\"codetabs-where\">{used}</span></td>",
                            escape_html(&u.call)
                        )
                    } else {
                        let note = u
                            .note
                            .as_deref()
                            .map(|n| format!("<br>{}", n.replace('|', "\\|")))
                            .unwrap_or_default();
                        format!(" `{}`{note}<br>{used} |", u.call.replace('|', "\\|"))
                    }
                }
            };
            out.push_str(&cell);
        }
        out.push_str(if html { "</tr>\n" } else { "\n" });
    }
    close(&mut out, html);
    out
}
