//! The handler catalogue: every step handler class in every language, found
//! by scanning the handler sources (never a hand-kept list), with the callable
//! a task template uses to name it.

use crate::config::Settings;
use crate::source_index::SourceIndex;
use std::collections::BTreeMap;
use std::path::Path;

/// One handler class as written in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerDef {
    pub lang: String,
    /// Class or type name, e.g. `ValidateCartHandler`.
    pub class: String,
    /// What a template's `handler.callable` says to reach it.
    pub callable: String,
    /// Source path relative to the book root.
    pub path: String,
    /// 1-based line of the class definition.
    pub line: usize,
}

/// How a language declares a handler and its callable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Convention {
    /// `class X < TaskerCore::StepHandler::Base` inside `module A` / `module B`:
    /// the callable is the constant path `A::B::X`.
    RubyConstant,
    /// `class X(StepHandler):` with `handler_name = "…"`.
    PythonHandlerName,
    /// `class X extends StepHandler` with `static handlerName = '…'`.
    TypeScriptHandlerName,
    /// `impl StepHandler for X` whose `fn name` returns the registry key.
    RustRegistryKey,
}

fn convention(lang: &str) -> Option<Convention> {
    Some(match lang {
        "ruby" => Convention::RubyConstant,
        "python" => Convention::PythonHandlerName,
        "typescript" => Convention::TypeScriptHandlerName,
        "rust" => Convention::RustRegistryKey,
        _ => return None,
    })
}

/// Folders that hold dependencies, build output, SDK stand-ins or tests (whose
/// throw-away handler classes are not examples), not handlers.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "sdk",
    "__pycache__",
    "vendor",
    "tests",
    "test",
    "spec",
];

#[derive(Debug, Default, Clone)]
pub struct Catalog {
    /// Per language key, the handlers in path order.
    pub by_lang: BTreeMap<String, Vec<HandlerDef>>,
}

impl Catalog {
    /// Scans each configured language's folder (through the shared index, so
    /// a file shown in a chapter is still read only once).
    pub fn scan(settings: &Settings, root: &Path, index: &SourceIndex) -> Catalog {
        let mut catalog = Catalog::default();
        for lang in &settings.languages {
            let Some(conv) = convention(&lang.key) else {
                continue;
            };
            let files = language_files(root, &lang.dir, &lang.extension);
            let defs = catalog.by_lang.entry(lang.key.clone()).or_default();
            for rel in files {
                if let Ok(file) = &*index.open(&rel) {
                    let lines: Vec<&str> = file.lines().collect();
                    for (class, callable, line) in definitions(conv, &lines) {
                        defs.push(HandlerDef {
                            lang: lang.key.clone(),
                            class,
                            callable,
                            path: rel.clone(),
                            line,
                        });
                    }
                }
            }
        }
        catalog
    }

    pub fn resolve(&self, lang: &str, callable: &str) -> Option<&HandlerDef> {
        self.by_lang
            .get(lang)?
            .iter()
            .find(|d| d.callable == callable)
    }

    pub fn handlers(&self, lang: &str) -> &[HandlerDef] {
        self.by_lang.get(lang).map_or(&[], Vec::as_slice)
    }
}

/// Source files of one language (book-relative, sorted), skipping
/// dependency, build, stand-in and test folders.
pub fn language_files(root: &Path, dir: &str, ext: &str) -> Vec<String> {
    crate::book_files::Walk {
        skip_dirs: SKIP_DIRS,
        max_depth: usize::MAX,
        extensions: &[ext],
    }
    .files(root, dir)
}

/// `(class, callable, line)` for every handler defined in these lines.
fn definitions(conv: Convention, lines: &[&str]) -> Vec<(String, String, usize)> {
    let mut found = Vec::new();
    let mut modules: Vec<String> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        match conv {
            Convention::RubyConstant => {
                if let Some(rest) = line.strip_prefix("module ") {
                    modules.push(ident(rest).to_string());
                } else if let Some(rest) = line.strip_prefix("class ") {
                    if rest.contains("StepHandler::Base") {
                        let class = ident(rest).to_string();
                        let mut path = modules.clone();
                        path.push(class.clone());
                        found.push((class, path.join("::"), i + 1));
                    }
                }
            }
            Convention::PythonHandlerName => {
                if let Some(rest) = line.strip_prefix("class ") {
                    if rest.contains("StepHandler") {
                        if let Some(name) = declared_name(&lines[i + 1..], "handler_name") {
                            found.push((ident(rest).to_string(), name, i + 1));
                        }
                    }
                }
            }
            Convention::TypeScriptHandlerName => {
                let rest = line.strip_prefix("export ").unwrap_or(line);
                if let Some(rest) = rest.strip_prefix("class ") {
                    if rest.contains("extends StepHandler") {
                        if let Some(name) = declared_name(&lines[i + 1..], "handlerName") {
                            found.push((ident(rest).to_string(), name, i + 1));
                        }
                    }
                }
            }
            Convention::RustRegistryKey => {
                if let Some(rest) = line.strip_prefix("impl StepHandler for ") {
                    let after = &lines[i + 1..];
                    let key = after
                        .iter()
                        .position(|l| l.trim_start().starts_with("fn name("))
                        .and_then(|at| after[at..].iter().take(4).find_map(|l| quoted(l)));
                    if let Some(key) = key {
                        let class = ident(rest).to_string();
                        // Point at the struct, where a reader starts.
                        let line = lines
                            .iter()
                            .position(|l| {
                                l.trim_start().starts_with(&format!("pub struct {class}"))
                            })
                            .map_or(i + 1, |p| p + 1);
                        found.push((class, key, line));
                    }
                }
            }
        }
    }
    found
}

/// The first `name = "value"` in the class body (stops at the next class).
fn declared_name(body: &[&str], field: &str) -> Option<String> {
    body.iter()
        .take_while(|l| {
            !l.trim_start().starts_with("class ") && !l.trim_start().starts_with("export class ")
        })
        .find(|l| {
            let t = l.trim_start();
            t.contains(field) && t.contains('=') && !t.starts_with('#') && !t.starts_with("//")
        })
        .and_then(|l| quoted(l))
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first single- or double-quoted string on the line.
fn quoted(line: &str) -> Option<String> {
    let start = line.find(['"', '\''])?;
    let quote = line[start..].chars().next()?;
    let rest = &line[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_constant_path_from_modules() {
        let src = [
            "module Ecommerce",
            "  module StepHandlers",
            "    class ValidateCartHandler < TaskerCore::StepHandler::Base",
            "    end",
            "  end",
            "end",
        ];
        assert_eq!(
            definitions(Convention::RubyConstant, &src),
            vec![(
                "ValidateCartHandler".into(),
                "Ecommerce::StepHandlers::ValidateCartHandler".into(),
                3
            )]
        );
    }

    #[test]
    fn python_and_typescript_declared_names() {
        let py = [
            "class Helper:",
            "    pass",
            "class PayHandler(StepHandler):",
            "    # handler_name = \"not this\"",
            "    handler_name = \"ecommerce.step_handlers.PayHandler\"",
        ];
        assert_eq!(
            definitions(Convention::PythonHandlerName, &py),
            vec![(
                "PayHandler".into(),
                "ecommerce.step_handlers.PayHandler".into(),
                3
            )]
        );
        let ts = [
            "export class PayHandler extends StepHandler {",
            "  static override handlerName = 'Ecommerce.StepHandlers.PayHandler';",
        ];
        assert_eq!(
            definitions(Convention::TypeScriptHandlerName, &ts),
            vec![(
                "PayHandler".into(),
                "Ecommerce.StepHandlers.PayHandler".into(),
                1
            )]
        );
    }

    #[test]
    fn rust_registry_key_from_name_fn() {
        let rs = [
            "pub struct PayHandler;",
            "#[async_trait]",
            "impl StepHandler for PayHandler {",
            "    async fn call(&self) {}",
            "    fn name(&self) -> &str {",
            "        \"ecommerce_pay\"",
            "    }",
            "}",
        ];
        assert_eq!(
            definitions(Convention::RustRegistryKey, &rs),
            vec![("PayHandler".into(), "ecommerce_pay".into(), 1)]
        );
    }
}
