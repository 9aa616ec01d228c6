//! Directives that name one data file and take only `title=`: `{{#dag}}`
//! (a task template), `{{#timeline}}` (a recorded run) and the API table's
//! data file. The file is read through the shared index like any snippet.

use crate::diagnostic::{Diagnostic, Location};
use crate::directive::Directive;
use crate::resolve::open_error_line;
use crate::source_index::{OpenError, SourceIndex};
use crate::workflow_graph::{self, WorkflowGraph};

/// A directive that names one data file and takes only `title=`
/// (`{{#dag}}`, `{{#timeline}}`, `{{#api-mapping}}`), with the file read.
pub struct DataFile {
    pub path: String,
    pub text: String,
    pub title: Option<String>,
}

/// The one path and the optional `title=` of a directive that takes nothing else.
pub fn path_and_title(
    d: &Directive,
    at: &Location,
    usage: &str,
) -> Result<(String, Option<String>), Diagnostic> {
    let [path] = d.positional.as_slice() else {
        return Err(
            Diagnostic::new(format!("`{{{{#{}}}}}` takes exactly one file path", d.name))
                .in_chapter(at.clone())
                .help(usage),
        );
    };
    let mut title = None;
    for (key, value) in &d.options {
        match key.as_str() {
            "title" => title = Some(value.clone()),
            other => {
                return Err(Diagnostic::new(format!("unknown option `{other}=`"))
                    .in_chapter(at.clone())
                    .help(format!("`{{{{#{}}}}}` knows title=", d.name)))
            }
        }
    }
    Ok((path.clone(), title))
}

pub fn data_file(
    d: &Directive,
    index: &SourceIndex,
    at: &Location,
    usage: &str,
    when_missing: Option<&str>,
) -> Result<DataFile, Diagnostic> {
    let (path, title) = path_and_title(d, at, usage)?;
    let opened = index.open(&path);
    match &*opened {
        Ok(file) => Ok(DataFile {
            path: file.rel_path.clone(),
            text: file.text(),
            title,
        }),
        Err(e) => {
            let mut diag = Diagnostic::new(e.to_string())
                .in_chapter(at.clone())
                .in_source(Location::new(path.clone(), open_error_line(e)));
            if let (Some(help), OpenError::NotFound(_)) = (when_missing, e) {
                diag = diag.help(help);
            }
            Err(diag)
        }
    }
}

/// `{{#dag path/to/template.yaml title="…"}}`: the template's step graph.
pub fn diagram(
    d: &Directive,
    index: &SourceIndex,
    at: &Location,
) -> Result<(WorkflowGraph, Option<String>), Diagnostic> {
    let file = data_file(
        d,
        index,
        at,
        "write {{#dag handlers/templates/ruby/my_workflow.yaml}}",
        None,
    )?;
    let graph = workflow_graph::from_yaml(&file.text).map_err(|e| {
        Diagnostic::new(e.message)
            .in_chapter(at.clone())
            .in_source(Location::new(file.path.clone(), e.line))
    })?;
    Ok((graph, file.title))
}

/// `{{#timeline engine/reports/x.json title="…"}}`: a recorded run.
pub fn timeline(
    d: &Directive,
    index: &SourceIndex,
    at: &Location,
) -> Result<(crate::run_report::RunReport, Option<String>), Diagnostic> {
    let file = data_file(
        d,
        index,
        at,
        "write {{#timeline engine/reports/my_workflow.json}}",
        Some("record the runs again: cargo make record-runs"),
    )?;
    let report =
        crate::run_report::RunReport::from_json(&file.text).map_err(|(line, message)| {
            Diagnostic::new(message)
                .in_chapter(at.clone())
                .in_source(Location::new(file.path.clone(), line))
        })?;
    Ok((report, file.title))
}
