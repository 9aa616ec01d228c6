//! A recorded run as a timeline: one row per step, one bar per attempt
//! (inline SVG for HTML; a table for GitBook).

use super::{escape_html, Target};
use crate::run_report::RunReport;
use std::fmt::Write;

const LABEL_W: usize = 200;
const BAR_AREA: usize = 480;
const ROW_H: usize = 24;

pub fn render(report: &RunReport, id: &str, title: Option<&str>, target: Target) -> String {
    match target {
        Target::Html => svg(report, id, title),
        Target::GitBook => table(report, title),
    }
}

fn summary(report: &RunReport) -> String {
    let widest = report.widest();
    let retried: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.attempts.len() > 1)
        .map(|s| format!("{} ({} attempts)", s.name, s.attempts.len()))
        .collect();
    let mut out = format!(
        "A recorded {} run of {} ({} {})",
        report.language, report.workflow, report.namespace, report.version,
    );
    if let Some(engine) = &report.engine {
        let _ = write!(out, " on {engine}");
    }
    if let Some(workers) = &report.workers {
        let _ = write!(out, ", handlers run by {workers}");
    }
    let _ = write!(out, ": {} in {:.1} ms.", report.outcome, report.span_ms());
    if widest.len() < 2 {
        out.push_str(" No two steps overlapped: each waited for the one before.");
    } else {
        let _ = write!(
            out,
            " At most {} steps were in flight at once: {}.",
            widest.len(),
            widest.join(", ")
        );
    }
    if !retried.is_empty() {
        let _ = write!(out, " Retried: {}.", retried.join(", "));
    }
    out
}

fn svg(report: &RunReport, id: &str, title: Option<&str>) -> String {
    let span = report.span_ms().max(0.001);
    let width = LABEL_W + BAR_AREA + 70;
    let height = report.steps.len() * ROW_H + 28;
    let x = |ms: f64| LABEL_W as f64 + ms / span * BAR_AREA as f64;
    let mut out = String::new();
    let _ = writeln!(out, "<figure class=\"codetabs-timeline\" id=\"{id}\">");
    if let Some(t) = title {
        let _ = writeln!(out, "<p class=\"codetabs-title\">{}</p>", escape_html(t));
    }
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-caption\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    for (row, step) in report.steps.iter().enumerate() {
        let y = row * ROW_H + 4;
        let _ = writeln!(
            out,
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>",
            LABEL_W - 8,
            y + ROW_H / 2 - 2,
            escape_html(&step.name)
        );
        for a in &step.attempts {
            // The attempt's time in the engine (queued to settled) behind
            // the worker's own part of it (claimed to answered).
            if a.queued_ms.is_some() || a.settled_ms.is_some() {
                let (f0, f1) = (x(a.from()), x(a.until()));
                let _ = writeln!(
                    out,
                    "<rect class=\"flight\" x=\"{f0:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" rx=\"3\"><title>{}: queued {:.1} ms, settled {:.1} ms</title></rect>",
                    y + 2,
                    (f1 - f0).max(2.0),
                    ROW_H - 8,
                    escape_html(&step.name),
                    a.from(),
                    a.until()
                );
            }
            let (x0, x1) = (x(a.start_ms), x(a.end_ms));
            let _ = writeln!(
                out,
                "<rect class=\"bar {}\" x=\"{x0:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" rx=\"3\"><title>{}: {} {:.1}–{:.1} ms{}</title></rect>",
                escape_html(&a.outcome),
                y + 2,
                (x1 - x0).max(2.0),
                ROW_H - 8,
                escape_html(&step.name),
                escape_html(&a.outcome),
                a.start_ms,
                a.end_ms,
                a.error_code.as_deref().map(|c| format!(" ({})", escape_html(c))).unwrap_or_default()
            );
        }
    }
    let axis_y = report.steps.len() * ROW_H + 16;
    let _ = writeln!(
        out,
        "<text class=\"axis\" x=\"{LABEL_W}\" y=\"{axis_y}\">0 ms</text><text class=\"axis\" x=\"{}\" y=\"{axis_y}\" text-anchor=\"end\">{:.1} ms</text>",
        LABEL_W + BAR_AREA,
        span
    );
    let _ = writeln!(
        out,
        "</svg>\n<figcaption id=\"{id}-caption\">{}</figcaption>\n</figure>",
        escape_html(&summary(report))
    );
    out
}

fn table(report: &RunReport, title: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(t) = title {
        out.push_str(&super::markdown_title(t));
    }
    let engine = report
        .steps
        .iter()
        .flat_map(|s| &s.attempts)
        .any(|a| a.queued_ms.is_some());
    let ms = |v: Option<f64>| v.map_or(String::from("—"), |v| format!("{v:.1}"));
    if engine {
        out.push_str("| Step | Queued (ms) | Started (ms) | Ended (ms) | Settled (ms) | Attempts | Outcome |\n|---|---:|---:|---:|---:|---:|---|\n");
    } else {
        out.push_str(
            "| Step | Started (ms) | Ended (ms) | Attempts | Outcome |\n|---|---:|---:|---:|---|\n",
        );
    }
    for s in &report.steps {
        let (first, last) = (s.attempts.first(), s.attempts.last());
        let start = ms(first.map(|a| a.start_ms));
        let end = ms(last.map(|a| a.end_ms));
        if engine {
            let _ = writeln!(
                out,
                "| `{}` | {} | {start} | {end} | {} | {} | {} |",
                s.name,
                ms(first.map(|a| a.from())),
                ms(last.map(|a| a.until())),
                s.attempts.len(),
                s.outcome
            );
        } else {
            let _ = writeln!(
                out,
                "| `{}` | {start} | {end} | {} | {} |",
                s.name,
                s.attempts.len(),
                s.outcome
            );
        }
    }
    let _ = writeln!(out, "\n{}", summary(report));
    out
}
