//! The handler table in each language's README (`handlers/<lang>/README.md`),
//! generated between two marker comments so the rest of the README stays
//! hand-written.

use crate::config::{Language, Settings};
use crate::handler_catalog::Catalog;
use crate::workflow_graph;
use std::fmt::Write;
use std::path::Path;

pub const BEGIN: &str = "<!-- BEGIN GENERATED: handler table (mdbook-codetabs check --update) -->";
pub const END: &str = "<!-- END GENERATED: handler table -->";

/// One markdown table per template of this language: step, class, callable, file.
pub fn handler_table(
    root: &Path,
    settings: &Settings,
    lang: &Language,
    catalog: &Catalog,
) -> String {
    let dir = settings.templates.replace("{lang}", &lang.key);
    let names: Vec<String> = crate::book_files::templates(root, &dir)
        .into_iter()
        .filter_map(|path| path.rsplit('/').next().map(str::to_string))
        .collect();
    let prefix = format!("{}/", lang.dir.trim_end_matches('/'));
    let mut out = String::new();
    for name in names {
        let Ok(text) = std::fs::read_to_string(root.join(&dir).join(&name)) else {
            continue;
        };
        let Ok(graph) = workflow_graph::from_yaml(&text) else {
            continue;
        };
        let _ = writeln!(
            out,
            "### `{}` ({} {}, [template](../templates/{}/{name}))\n",
            graph.name, graph.namespace, graph.version, lang.key
        );
        out.push_str("| Step | Class | Callable | File |\n|---|---|---|---|\n");
        for step in &graph.steps {
            let callable = step.callable.as_deref().unwrap_or("");
            match catalog.resolve(&lang.key, callable) {
                Some(def) => {
                    let file = def.path.trim_start_matches(&prefix);
                    let _ = writeln!(
                        out,
                        "| `{}` | `{}` | `{callable}` | [{file}]({file}#L{}) |",
                        step.name, def.class, def.line
                    );
                }
                None => {
                    let _ = writeln!(out, "| `{}` | — | `{callable}` | not found |", step.name);
                }
            }
        }
        out.push('\n');
    }
    out
}

/// `existing` with the generated block replaced (or appended), for `label`.
pub fn with_block(existing: &str, label: &str, table: &str) -> String {
    let block = format!("{BEGIN}\n\n{}{END}\n", table);
    if let (Some(start), Some(end)) = (existing.find(BEGIN), existing.find(END)) {
        if start < end {
            let after = &existing[end + END.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            return format!("{}{block}{after}", &existing[..start]);
        }
    }
    if existing.trim().is_empty() {
        return format!(
            "# {label} handlers\n\nThe book's {label} step handlers, by workflow. The table is generated\nfrom the task templates and the handler sources.\n\n{block}"
        );
    }
    format!("{}\n\n## Handlers\n\n{block}", existing.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_generated_block() {
        let old = format!("# Ruby\n\nintro\n\n{BEGIN}\n\nold table\n{END}\n\n## Footer\n");
        let new = with_block(&old, "Ruby", "new table\n");
        assert_eq!(
            new,
            format!("# Ruby\n\nintro\n\n{BEGIN}\n\nnew table\n{END}\n\n## Footer\n")
        );
        assert_eq!(with_block(&new, "Ruby", "new table\n"), new);
    }

    #[test]
    fn appends_to_a_readme_without_a_block() {
        let new = with_block("# Python\n\ntext\n", "Python", "t\n");
        assert!(new.starts_with("# Python\n\ntext\n\n## Handlers\n\n<!-- BEGIN"));
    }
}
