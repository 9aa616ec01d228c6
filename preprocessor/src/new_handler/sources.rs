//! What `new-handler` writes: the handler file in each language's idiom, the
//! template step, and the vector skeleton. Each generated file is already
//! in its formatter's shape (rustfmt, ruff format), so the languages' lint
//! runs pass on it unchanged.

use super::Lang;
use std::fmt::Write;

/// The new step, as every language's file needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// `archive_order`.
    pub step: String,
    /// `ArchiveOrderHandler`.
    pub class: String,
    /// `Archive order`, the template step's description until the author writes one.
    pub title: String,
    /// The template's `namespace_name`.
    pub namespace: String,
    /// The task input the placeholder reads.
    pub input: String,
    /// The steps the new one depends on (whose results it reads).
    pub dependencies: Vec<String>,
    /// `retry` keys and values (YAML scalars) copied from the step it follows.
    retry: Vec<(String, String)>,
    /// `timeout_seconds` copied from the step it follows.
    timeout: Option<String>,
}

/// The placeholder's explanation, the same in every language.
const EXPLANATION: [&str; 3] = [
    "It reads the step's input and the results it depends on and returns them",
    "under `placeholder: true`. Replace it with the step's real work; the",
    "step's vector fails until then.",
];

/// Names a generated variable may not take in any of the four languages:
/// keywords, and the names the generated code itself uses.
const RESERVED: &[&str] = &[
    "alias",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "begin",
    "box",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "context",
    "continue",
    "crate",
    "debugger",
    "def",
    "default",
    "defined",
    "del",
    "delete",
    "do",
    "dyn",
    "elif",
    "else",
    "elsif",
    "end",
    "ensure",
    "enum",
    "except",
    "export",
    "extends",
    "extern",
    "false",
    "finally",
    "fn",
    "for",
    "from",
    "function",
    "gen",
    "global",
    "if",
    "impl",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "is",
    "json",
    "lambda",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "module",
    "move",
    "mut",
    "new",
    "next",
    "nil",
    "none",
    "nonlocal",
    "not",
    "null",
    "or",
    "package",
    "pass",
    "private",
    "protected",
    "pub",
    "public",
    "raise",
    "redo",
    "ref",
    "rescue",
    "retry",
    "return",
    "self",
    "started",
    "static",
    "step",
    "struct",
    "success",
    "super",
    "switch",
    "then",
    "this",
    "throw",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "undef",
    "unless",
    "unsafe",
    "until",
    "use",
    "var",
    "void",
    "when",
    "where",
    "while",
    "with",
    "yield",
];

impl Shape {
    /// `template` is the post's template (reference language) as YAML; the
    /// input the placeholder reads is its first required input, and the
    /// retry policy and timeout are those of the step the new one follows.
    pub fn new(
        step: &str,
        namespace: &str,
        template: &serde_yaml::Value,
        dependencies: &[String],
    ) -> Shape {
        let class = format!("{}Handler", camel(step, true));
        let mut title = step.replace('_', " ");
        if let Some(first) = title.get(..1) {
            title = format!("{}{}", first.to_ascii_uppercase(), &title[1..]);
        }
        let schema = template.get("input_schema");
        let required = schema
            .and_then(|s| s.get("required"))
            .and_then(serde_yaml::Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(serde_yaml::Value::as_str);
        let properties = schema
            .and_then(|s| s.get("properties"))
            .and_then(serde_yaml::Value::as_mapping)
            .into_iter()
            .flat_map(|m| m.keys())
            .filter_map(serde_yaml::Value::as_str);
        let input = required
            .chain(properties)
            .find(|key| is_snake(key) && !dependencies.iter().any(|d| d == key))
            .map_or_else(|| format!("{step}_input"), str::to_string);
        let previous = template
            .get("steps")
            .and_then(serde_yaml::Value::as_sequence)
            .and_then(|steps| {
                let after = dependencies.last()?;
                steps.iter().find(|s| {
                    s.get("name").and_then(serde_yaml::Value::as_str) == Some(after.as_str())
                })
            });
        let retry = previous
            .and_then(|s| s.get("retry"))
            .and_then(serde_yaml::Value::as_mapping)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), scalar(v)?)))
                    .collect()
            })
            .unwrap_or_default();
        let timeout = previous
            .and_then(|s| s.get("timeout_seconds"))
            .filter(|v| v.is_number())
            .and_then(scalar);
        Shape {
            step: step.to_string(),
            class,
            title,
            namespace: namespace.to_string(),
            input,
            dependencies: dependencies.to_vec(),
            retry,
            timeout,
        }
    }

    /// Every name the placeholder reads: the input first, then each dependency.
    fn reads(&self) -> Vec<(Read, &str)> {
        std::iter::once((Read::Input, self.input.as_str()))
            .chain(
                self.dependencies
                    .iter()
                    .map(|d| (Read::Dependency, d.as_str())),
            )
            .collect()
    }

    /// The template's list item for the new step, its `- ` at `indent`.
    pub fn template_step(&self, callable: &str, indent: usize) -> String {
        let item = " ".repeat(indent);
        let field = " ".repeat(indent + 2);
        let nested = " ".repeat(indent + 4);
        let mut out = String::new();
        let _ = writeln!(out, "{item}- name: {}", self.step);
        let _ = writeln!(out, "{field}description: {}", self.title);
        let _ = writeln!(out, "{field}handler:");
        let _ = writeln!(out, "{nested}callable: {callable}");
        let _ = writeln!(out, "{nested}initialization: {{}}");
        if self.dependencies.is_empty() {
            let _ = writeln!(out, "{field}dependencies: []");
        } else {
            let _ = writeln!(out, "{field}dependencies:");
            for d in &self.dependencies {
                let _ = writeln!(out, "{nested}- {d}");
            }
        }
        if !self.retry.is_empty() {
            let _ = writeln!(out, "{field}retry:");
            for (k, v) in &self.retry {
                let _ = writeln!(out, "{nested}{k}: {v}");
            }
        }
        if let Some(t) = &self.timeout {
            let _ = writeln!(out, "{field}timeout_seconds: {t}");
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Input,
    Dependency,
}

/// A YAML scalar as a template line writes it (`true`, `100`, `exponential`).
fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Bool(_)
        | serde_yaml::Value::Number(_)
        | serde_yaml::Value::String(_) => serde_yaml::to_string(v)
            .ok()
            .map(|s| s.trim_end().to_string()),
        _ => None,
    }
}

fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `archive_order` → `ArchiveOrder` (`upper`) or `archiveOrder`.
fn camel(snake: &str, upper: bool) -> String {
    let mut out = String::new();
    for (i, part) in snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i > 0 || upper {
                out.push(first.to_ascii_uppercase());
            } else {
                out.push(first);
            }
            out.extend(chars);
        }
    }
    out
}

/// The snake_case variable holding what was read under `name`.
fn variable(name: &str) -> String {
    if RESERVED.contains(&name) || RESERVED.contains(&camel(name, false).as_str()) {
        format!("{name}_value")
    } else {
        name.to_string()
    }
}

/// The handler file of `lang` for the step, with the `handler` anchor.
pub fn handler(lang: Lang, shape: &Shape, callable: &str) -> String {
    match lang {
        Lang::Ruby => ruby(shape, callable),
        Lang::Python => python(shape, callable),
        Lang::TypeScript => typescript(shape, callable),
        Lang::Rust => rust(shape, callable),
    }
}

fn summary(shape: &Shape) -> String {
    format!(
        "{}: a placeholder written by `mdbook-codetabs new-handler`.",
        shape.title
    )
}

fn ruby(shape: &Shape, callable: &str) -> String {
    let parts: Vec<&str> = callable.split("::").collect();
    let (modules, _) = parts.split_at(parts.len().saturating_sub(1));
    let mut out = String::from(
        "# frozen_string_literal: true\n\n# ANCHOR: handler\nrequire 'tasker_core'\n\n",
    );
    for (depth, module) in modules.iter().enumerate() {
        let _ = writeln!(out, "{}module {module}", "  ".repeat(depth));
    }
    let pad = "  ".repeat(modules.len());
    let _ = writeln!(out, "{pad}# {}", summary(shape));
    for line in EXPLANATION {
        let _ = writeln!(out, "{pad}# {line}");
    }
    let _ = writeln!(
        out,
        "{pad}class {} < TaskerCore::StepHandler::Base",
        shape.class
    );
    let _ = writeln!(out, "{pad}  def call(context)");
    let body = format!("{pad}    ");
    for (read, name) in shape.reads() {
        let call = match read {
            Read::Input => "get_input",
            Read::Dependency => "get_dependency_result",
        };
        let _ = writeln!(out, "{body}{} = context.{call}('{name}')", variable(name));
    }
    out.push('\n');
    // The hash aligned as RuboCop's Layout/FirstHashElementIndentation wants it.
    let entries = format!("{body}          ");
    let _ = writeln!(out, "{body}success(result: {{");
    let _ = write!(out, "{entries}placeholder: true");
    for (_, name) in shape.reads() {
        let _ = write!(out, ",\n{entries}{name}: {}", variable(name));
    }
    let _ = writeln!(out, "\n{body}        }})");
    let _ = writeln!(out, "{pad}  end");
    let _ = writeln!(out, "{pad}end");
    for depth in (0..modules.len()).rev() {
        let _ = writeln!(out, "{}end", "  ".repeat(depth));
    }
    out.push_str("# ANCHOR_END: handler\n");
    out
}

/// ruff's line length for the Python handlers (handlers/python/pyproject.toml).
const PYTHON_WIDTH: usize = 100;

fn python(shape: &Shape, callable: &str) -> String {
    let mut out = String::from(
        "# ANCHOR: handler\nfrom __future__ import annotations\n\n\
         from tasker_core import StepContext, StepHandler, StepHandlerResult\n\n\n",
    );
    let _ = writeln!(out, "class {}(StepHandler):", shape.class);
    let _ = writeln!(out, "    \"\"\"{}\n", summary(shape));
    for line in EXPLANATION {
        let _ = writeln!(out, "    {line}");
    }
    out.push_str("    \"\"\"\n\n");
    let _ = writeln!(out, "    handler_name = \"{callable}\"");
    out.push_str("    handler_version = \"1.0.0\"\n\n");
    out.push_str("    def call(self, context: StepContext) -> StepHandlerResult:\n");
    for (read, name) in shape.reads() {
        let call = match read {
            Read::Input => "get_input",
            Read::Dependency => "get_dependency_result",
        };
        let line = format!("        {} = context.{call}(\"{name}\")", variable(name));
        if line.len() <= PYTHON_WIDTH {
            let _ = writeln!(out, "{line}");
        } else {
            // ruff format's split at the last bracket.
            let _ = writeln!(
                out,
                "        {} = context.{call}(\n            \"{name}\"\n        )",
                variable(name)
            );
        }
    }
    out.push_str("        return self.success(\n            {\n");
    out.push_str("                \"placeholder\": True,\n");
    for (_, name) in shape.reads() {
        let _ = writeln!(out, "                \"{name}\": {},", variable(name));
    }
    out.push_str("            }\n        )\n        # ANCHOR_END: handler\n");
    out
}

fn typescript(shape: &Shape, callable: &str) -> String {
    let mut out = String::from(
        "// ANCHOR: handler\n\
         import { StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';\n\n",
    );
    let _ = writeln!(out, "/**\n * {}", summary(shape));
    for line in EXPLANATION {
        let _ = writeln!(out, " * {line}");
    }
    out.push_str(" */\n");
    let _ = writeln!(out, "export class {} extends StepHandler {{", shape.class);
    let _ = writeln!(out, "  static override handlerName = '{callable}';");
    out.push_str("  static override handlerVersion = '1.0.0';\n\n");
    out.push_str("  async call(context: StepContext): Promise<StepHandlerResult> {\n");
    for (read, name) in shape.reads() {
        let call = match read {
            Read::Input => "getInput",
            Read::Dependency => "getDependencyResult",
        };
        let _ = writeln!(
            out,
            "    const {} = context.{call}('{name}');",
            camel(&variable(name), false)
        );
    }
    out.push_str("    return this.success({\n      placeholder: true,\n");
    for (_, name) in shape.reads() {
        let _ = writeln!(
            out,
            "      {name}: {} ?? null,",
            camel(&variable(name), false)
        );
    }
    out.push_str("    });\n  }\n}\n// ANCHOR_END: handler\n");
    out
}

/// rustfmt's defaults: line width and the widest chain kept on one line.
const RUST_WIDTH: usize = 100;
const RUST_CHAIN_WIDTH: usize = 60;

/// `let var = step.method::<Value>("arg").ok();` laid out as rustfmt does.
fn rust_let(var: &str, method: &str, arg: &str) -> String {
    let call = format!("{method}::<Value>(\"{arg}\")");
    let chain = format!("step.{call}.ok()");
    let one_line = format!("        let {var} = {chain};");
    if chain.len() <= RUST_CHAIN_WIDTH && one_line.len() <= RUST_WIDTH {
        return format!("{one_line}\n");
    }
    if chain.len() <= RUST_CHAIN_WIDTH && format!("            {chain};").len() <= RUST_WIDTH {
        return format!("        let {var} =\n            {chain};\n");
    }
    let call_line = format!("            .{call}");
    if call_line.len() <= RUST_WIDTH {
        format!("        let {var} = step\n{call_line}\n            .ok();\n")
    } else {
        format!(
            "        let {var} = step\n            .{method}::<Value>(\n                \"{arg}\",\n            )\n            .ok();\n"
        )
    }
}

fn rust(shape: &Shape, callable: &str) -> String {
    let mut out = String::from(
        "// ANCHOR: handler\n\
         use std::time::Instant;\n\n\
         use async_trait::async_trait;\n\
         use serde_json::{json, Value};\n\
         use tasker_shared::messaging::StepExecutionResult;\n\
         use tasker_shared::types::base::TaskSequenceStep;\n\
         use tasker_shared::TaskerResult;\n\
         use tasker_worker::worker::handlers::StepHandler;\n\n\
         use crate::blog_common::success;\n\n",
    );
    let _ = writeln!(out, "/// {}", summary(shape));
    for line in EXPLANATION {
        let _ = writeln!(out, "/// {line}");
    }
    out.push_str("#[derive(Debug, Default)]\n");
    let _ = writeln!(out, "pub struct {};\n", shape.class);
    out.push_str("#[async_trait]\n");
    let _ = writeln!(out, "impl StepHandler for {} {{", shape.class);
    out.push_str(
        "    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {\n\
         \x20       let started = Instant::now();\n",
    );
    for (read, name) in shape.reads() {
        let method = match read {
            Read::Input => "get_input",
            Read::Dependency => "get_dependency_result_column_value",
        };
        out.push_str(&rust_let(&variable(name), method, name));
    }
    out.push_str(
        "\n        Ok(success(\n            step,\n            started,\n            json!({\n\
         \x20               \"placeholder\": true,\n",
    );
    for (_, name) in shape.reads() {
        let _ = writeln!(out, "                \"{name}\": {},", variable(name));
    }
    out.push_str("            }),\n        ))\n    }\n\n    fn name(&self) -> &str {\n");
    let _ = writeln!(out, "        \"{callable}\"");
    out.push_str("    }\n}\n// ANCHOR_END: handler\n");
    out
}

/// The vector skeleton: the placeholder answers `placeholder: true`, so the
/// expected `placeholder: false` fails in every language until the handler
/// and this file are written.
pub fn vector(shape: &Shape) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    let mut out = String::from("{\n");
    let _ = writeln!(
        out,
        "  \"description\": {},",
        quoted(
            "Skeleton written by mdbook-codetabs new-handler: put the spec's case here (input, \
             the results the step depends on, the result it must return); until then it fails \
             on purpose."
        )
    );
    let _ = writeln!(out, "  \"namespace\": {},", quoted(&shape.namespace));
    let _ = writeln!(out, "  \"step\": {},", quoted(&shape.step));
    out.push_str("  \"input\": {},\n");
    if shape.dependencies.is_empty() {
        out.push_str("  \"dependency_results\": {},\n");
    } else {
        out.push_str("  \"dependency_results\": {\n");
        let entries: Vec<String> = shape
            .dependencies
            .iter()
            .map(|d| format!("    {}: {{}}", quoted(d)))
            .collect();
        out.push_str(&entries.join(",\n"));
        out.push_str("\n  },\n");
    }
    out.push_str(
        "  \"expect\": {\n    \"outcome\": \"success\",\n    \"result\": {\n      \"placeholder\": false\n    }\n  }\n}\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(step: &str, deps: &[&str]) -> Shape {
        let template: serde_yaml::Value = serde_yaml::from_str(
            "input_schema:\n  required: [cart_items, customer_info]\nsteps:\n  - name: send_confirmation\n    \
             retry:\n      retryable: true\n      max_attempts: 2\n      backoff: exponential\n    timeout_seconds: 10\n",
        )
        .expect("yaml");
        let deps: Vec<String> = deps.iter().map(|d| d.to_string()).collect();
        Shape::new(step, "ecommerce", &template, &deps)
    }

    #[test]
    fn names_in_each_language() {
        let s = shape("archive_order", &["send_confirmation"]);
        assert_eq!(s.class, "ArchiveOrderHandler");
        assert_eq!(s.title, "Archive order");
        assert_eq!(s.input, "cart_items");
        assert_eq!(camel("send_confirmation", false), "sendConfirmation");
        assert_eq!(camel("send_2fa_code", true), "Send2faCode");
        assert_eq!(variable("cart_items"), "cart_items");
        assert_eq!(variable("step"), "step_value");
        assert_eq!(variable("type"), "type_value");
    }

    #[test]
    fn the_template_step_follows_the_previous_steps_policy() {
        let s = shape("archive_order", &["send_confirmation"]);
        assert_eq!(
            s.template_step("ecommerce_archive_order", 2),
            "  - name: archive_order\n    description: Archive order\n    handler:\n      \
             callable: ecommerce_archive_order\n      initialization: {}\n    dependencies:\n      \
             - send_confirmation\n    retry:\n      retryable: true\n      max_attempts: 2\n      \
             backoff: exponential\n    timeout_seconds: 10\n"
        );
        let first = shape("first_step", &[]);
        assert!(first
            .template_step("x", 0)
            .contains("\n  dependencies: []\n"));
    }

    #[test]
    fn every_handler_reads_its_input_and_dependencies_and_has_the_anchor() {
        let s = shape("archive_order", &["send_confirmation"]);
        for (lang, input, dependency) in [
            (
                Lang::Ruby,
                "context.get_input('cart_items')",
                "context.get_dependency_result('send_confirmation')",
            ),
            (
                Lang::Python,
                "context.get_input(\"cart_items\")",
                "context.get_dependency_result(\"send_confirmation\")",
            ),
            (
                Lang::TypeScript,
                "context.getInput('cart_items')",
                "context.getDependencyResult('send_confirmation')",
            ),
            (
                Lang::Rust,
                "step.get_input::<Value>(\"cart_items\")",
                "get_dependency_result_column_value::<Value>(\"send_confirmation\")",
            ),
        ] {
            let text = handler(lang, &s, "X");
            assert!(text.contains(input), "{lang:?}:\n{text}");
            assert!(text.contains(dependency), "{lang:?}:\n{text}");
            assert_eq!(text.matches("ANCHOR: handler").count(), 1, "{lang:?}");
            assert_eq!(text.matches("ANCHOR_END: handler").count(), 1, "{lang:?}");
            assert!(text.contains("placeholder"), "{lang:?}");
        }
        let ruby = handler(
            Lang::Ruby,
            &s,
            "Ecommerce::StepHandlers::ArchiveOrderHandler",
        );
        assert!(ruby.contains(
            "module Ecommerce\n  module StepHandlers\n    # Archive order: a placeholder"
        ));
        assert!(ruby.contains("    class ArchiveOrderHandler < TaskerCore::StepHandler::Base\n"));
        assert!(ruby.ends_with("    end\n  end\nend\n# ANCHOR_END: handler\n"));
    }

    #[test]
    fn rust_lets_are_laid_out_as_rustfmt_does() {
        assert_eq!(
            rust_let("cart_items", "get_input", "cart_items"),
            "        let cart_items = step.get_input::<Value>(\"cart_items\").ok();\n"
        );
        assert_eq!(
            rust_let("send_confirmation", "get_dependency_result_column_value", "send_confirmation"),
            "        let send_confirmation = step\n            \
             .get_dependency_result_column_value::<Value>(\"send_confirmation\")\n            .ok();\n"
        );
        let key = "abcdefghijabcdefghijabcdefgh";
        assert_eq!(
            rust_let(key, "get_input", key),
            format!("        let {key} =\n            step.get_input::<Value>(\"{key}\").ok();\n")
        );
    }

    #[test]
    fn the_vector_expects_what_the_placeholder_does_not_return() {
        let s = shape("archive_order", &["send_confirmation"]);
        let v: serde_json::Value = serde_json::from_str(&vector(&s)).expect("json");
        assert_eq!(v["namespace"], "ecommerce");
        assert_eq!(v["step"], "archive_order");
        assert_eq!(
            v["dependency_results"]["send_confirmation"],
            serde_json::json!({})
        );
        assert_eq!(v["expect"]["result"]["placeholder"], false);
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 6);
    }
}
