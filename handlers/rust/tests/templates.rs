//! Every task template of every language parses with the real
//! `tasker_shared` TaskTemplate, and each step's callable names a handler
//! that exists in that language, found the way that language's worker
//! finds it. One test case per template file.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use libtest_mimic::{Arguments, Failed, Trial};
use regex::Regex;
use support::{display, files_under, load_template, repo_root};
use tasker_blog_handlers::BlogHandlerRegistry;
use tasker_worker::worker::handlers::StepHandlerRegistry;

fn main() {
    let args = Arguments::from_args();
    let root = repo_root();
    let mut trials = Vec::new();
    let mut templates = files_under(&root.join("handlers/templates"), ".yaml");
    templates.extend(files_under(&root.join("handlers/templates"), ".yml"));
    for path in templates {
        trials.push(Trial::test(display(&path), move || check_template(&path)));
    }
    trials.push(Trial::test(
        "every rust handler is used by a rust template",
        every_handler_is_used,
    ));
    trials.push(Trial::test(
        "ruby class nesting is read correctly",
        ruby_parser_follows_nesting,
    ));
    trials.push(Trial::test(
        "post 04: both rust process_refund templates load side by side",
        process_refund_templates_stay_apart,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn check_template(path: &Path) -> Result<(), Failed> {
    let shown = display(path);
    let template = load_template(path).map_err(|e| format!("{shown}: {e}"))?;
    let language = path
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let known = defined_handlers(&language).map_err(|e| format!("{shown}: {e}"))?;
    let missing: Vec<String> = template
        .steps
        .iter()
        .filter(|step| !known.contains(&step.handler.callable))
        .map(|step| format!("step {} → {}", step.name, step.handler.callable))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("{shown}: no {language} handler for: {}", missing.join("; ")).into())
    }
}

/// The callables a language's worker can resolve, gathered from its sources.
fn defined_handlers(language: &str) -> Result<BTreeSet<String>, String> {
    let handlers = repo_root().join("handlers").join(language);
    match language {
        "rust" => Ok(BlogHandlerRegistry::new()
            .registered_handlers()
            .into_iter()
            .collect()),
        // tasker_core matches the callable against the class's `handler_name`.
        "python" => Ok(captures(
            &handlers,
            ".py",
            r#"handler_name\s*(?::[^=\n]*)?=\s*["']([^"']+)["']"#,
        )),
        // The TypeScript worker matches it against `static handlerName`.
        "typescript" => Ok(captures(
            &handlers,
            ".ts",
            r#"static\s+(?:(?:override|readonly)\s+)*handlerName\s*(?::[^=\n]*)?=\s*["']([^"']+)["']"#,
        )),
        // Ruby resolves the callable as a constant path: Module::Module::Class.
        "ruby" => Ok(files_under(&handlers, ".rb")
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .flat_map(|source| ruby_class_paths(&source))
            .collect()),
        other => Err(format!("unknown template language folder {other:?}")),
    }
}

fn captures(dir: &Path, suffix: &str, pattern: &str) -> BTreeSet<String> {
    let Ok(pattern) = Regex::new(pattern) else {
        return BTreeSet::new();
    };
    files_under(dir, suffix)
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .flat_map(|source| {
            pattern
                .captures_iter(&source)
                .filter_map(|found| found.get(1).map(|m| m.as_str().to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Fully qualified class names defined in a Ruby file, from the nesting of
/// `module`/`class` lines by indentation (the style rubocop enforces), so
/// both `module Ecommerce; module StepHandlers; class X` and
/// `class Ecommerce::StepHandlers::X` are found.
fn ruby_class_paths(source: &str) -> Vec<String> {
    let Ok(opener) = Regex::new(r"^(\s*)(module|class)\s+([A-Z][\w:]*)") else {
        return Vec::new();
    };
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut classes = Vec::new();
    for line in source.lines() {
        let Some(found) = opener.captures(line) else {
            continue;
        };
        let indent = found.get(1).map_or(0, |m| m.as_str().len());
        let name = found.get(3).map_or("", |m| m.as_str());
        while open.last().is_some_and(|(depth, _)| *depth >= indent) {
            open.pop();
        }
        let path = open
            .iter()
            .map(|(_, segment)| segment.as_str())
            .chain([name])
            .collect::<Vec<_>>()
            .join("::");
        if found.get(2).is_some_and(|kind| kind.as_str() == "class") {
            classes.push(path);
        }
        open.push((indent, name.to_string()));
    }
    classes
}

/// A registered handler that no template names is dead code in the book.
fn every_handler_is_used() -> Result<(), Failed> {
    let mut used = BTreeSet::new();
    for (path, template) in support::rust_templates() {
        let template = template.map_err(|e| format!("{}: {e}", display(&path)))?;
        used.extend(template.all_callables());
    }
    let unused: Vec<String> = BlogHandlerRegistry::new()
        .registered_handlers()
        .into_iter()
        .filter(|name| !used.contains(name))
        .collect();
    if unused.is_empty() {
        Ok(())
    } else {
        Err(format!("registered but in no rust template: {}", unused.join(", ")).into())
    }
}

/// Two teams, one workflow name: each `process_refund` template keeps its
/// own namespace and version, and every step resolves to a handler of that
/// namespace only, although both are loaded at the same time.
fn process_refund_templates_stay_apart() -> Result<(), Failed> {
    let mut loaded = Vec::new();
    for (path, template) in support::rust_templates() {
        let template = template.map_err(|e| format!("{}: {e}", display(&path)))?;
        if template.name == "process_refund" {
            loaded.push(template);
        }
    }
    let mut found: Vec<(String, String)> = loaded
        .iter()
        .map(|t| (t.namespace_name.clone(), t.version.clone()))
        .collect();
    found.sort();
    let expected = [
        ("customer_success".to_string(), "1.3.0".to_string()),
        ("payments".to_string(), "2.1.0".to_string()),
    ];
    if found != expected {
        return Err(
            format!("process_refund templates: expected {expected:?}, found {found:?}").into(),
        );
    }

    let registry = BlogHandlerRegistry::new();
    let mut problems = Vec::new();
    for template in &loaded {
        let own = format!("{}_", template.namespace_name);
        let others: Vec<&str> = loaded
            .iter()
            .filter(|other| other.namespace_name != template.namespace_name)
            .flat_map(|other| other.steps.iter().map(|s| s.handler.callable.as_str()))
            .collect();
        for step in &template.steps {
            let callable = &step.handler.callable;
            match registry.lookup(callable) {
                None => problems.push(format!("{own}: {} has no handler", step.name)),
                Some(handler) if handler.name() != callable.as_str() => {
                    problems.push(format!("{callable} resolves to {} instead", handler.name()))
                }
                Some(_) => {}
            }
            if !callable.starts_with(&own) {
                problems.push(format!(
                    "{callable} is not a {} handler",
                    template.namespace_name
                ));
            }
            if others.contains(&callable.as_str()) {
                problems.push(format!("{callable} is shared between namespaces"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; ").into())
    }
}

fn ruby_parser_follows_nesting() -> Result<(), Failed> {
    let source = "module Ecommerce\n  module StepHandlers\n    class ValidateCartHandler < Base\n      def call(context)\n      end\n    end\n  end\nend\nclass Payments::StepHandlers::NotifyCustomerHandler\nend\n";
    let found = ruby_class_paths(source);
    let expected = [
        "Ecommerce::StepHandlers::ValidateCartHandler",
        "Payments::StepHandlers::NotifyCustomerHandler",
    ];
    if found == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, found {found:?}").into())
    }
}
