//! The text edits `new-handler` makes to existing files: a step appended to
//! a template's `steps:` list, a module declared in a Rust `mod.rs`, a
//! handler listed in the Rust and TypeScript registries. Each is a line
//! insertion that leaves the rest of the file byte for byte as it was
//! (a YAML or TypeScript round trip would reformat the whole file), placed
//! where the file's own order puts it, so rustfmt finds nothing to change.

/// Indentation of the `- ` of the template's step items (2 if none is found).
pub fn step_indent(template: &str) -> usize {
    template
        .lines()
        .skip_while(|l| !is_steps_key(l))
        .skip(1)
        .find(|l| l.trim_start().starts_with('-'))
        .map_or(2, |l| l.len() - l.trim_start().len())
}

fn is_steps_key(line: &str) -> bool {
    line.strip_prefix("steps:")
        .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
}

/// `template` with `entry` (one list item, newline-terminated) after the
/// last item of its top-level `steps:` list.
pub fn add_step(template: &str, entry: &str) -> Result<String, String> {
    let lines: Vec<&str> = template.split_inclusive('\n').collect();
    let Some(key) = lines.iter().position(|l| is_steps_key(l.trim_end())) else {
        return Err(if template.lines().any(|l| l.starts_with("steps:")) {
            "`steps:` is not a block list (written inline?); add the step by hand".to_string()
        } else {
            "no top-level `steps:` list".to_string()
        });
    };
    // The list runs until the next top-level key.
    let end = lines[key + 1..]
        .iter()
        .position(|l| !(l.trim().is_empty() || l.starts_with([' ', '\t', '#', '-'])))
        .map_or(lines.len(), |p| key + 1 + p);
    let last = (key + 1..end)
        .rev()
        .find(|&i| !(lines[i].trim().is_empty() || lines[i].starts_with('#')))
        .ok_or_else(|| "the `steps:` list is empty; add the first step by hand".to_string())?;
    let mut out = String::with_capacity(template.len() + entry.len() + 1);
    for line in &lines[..=last] {
        out.push_str(line);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(entry);
    for line in &lines[last + 1..] {
        out.push_str(line);
    }
    Ok(out)
}

/// A Rust `mod.rs` declaring `pub mod <module>;` and re-exporting the
/// handler, each line in its sorted place among its kind.
pub fn rust_mod(text: &str, module: &str, class: &str) -> String {
    let text = insert_sorted(text, "pub mod ", module, &format!("pub mod {module};"));
    insert_sorted(
        &text,
        "pub use ",
        module,
        &format!("pub use {module}::{class};"),
    )
}

/// Inserts `line` among the lines starting with `prefix`, ordered by the
/// module name that follows the prefix (as rustfmt orders them); appended
/// at the end when there are none.
fn insert_sorted(text: &str, prefix: &str, module: &str, line: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let name_of = |l: &str| -> Option<String> {
        let rest = l.strip_prefix(prefix)?;
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        Some(rest[..end].to_string())
    };
    let kin: Vec<usize> = (0..lines.len())
        .filter(|&i| name_of(&lines[i]).is_some())
        .collect();
    let at = kin
        .iter()
        .find(|&&i| name_of(&lines[i]).is_some_and(|n| n.as_str() > module))
        .copied()
        .or_else(|| kin.last().map(|&i| i + 1));
    match at {
        Some(i) => lines.insert(i, line.to_string()),
        None => {
            if lines.last().is_some_and(|l| !l.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(line.to_string());
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The Rust registry with `Arc::new(<alias>::<Class>)` listed after the
/// other handlers of the same module (`module_path`, e.g.
/// `post_01_ecommerce::step_handlers`, imported `as <alias>`).
pub fn rust_registry(text: &str, module_path: &str, class: &str) -> Result<String, String> {
    let aliased = format!("use crate::{module_path} as ");
    let plain = format!("use crate::{module_path};");
    let alias = text
        .lines()
        .map(str::trim)
        .find_map(|l| {
            if let Some(rest) = l.strip_prefix(&aliased) {
                return rest.strip_suffix(';').map(str::to_string);
            }
            (l == plain).then(|| {
                module_path
                    .rsplit("::")
                    .next()
                    .unwrap_or(module_path)
                    .to_string()
            })
        })
        .ok_or_else(|| {
            format!(
                "no `use crate::{module_path} as …;` line, so the new handler cannot be listed \
                 beside its module's others"
            )
        })?;
    let entry = format!("Arc::new({alias}::{class})");
    if text.contains(&entry) {
        return Err(format!("already lists {entry}"));
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let last = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with(&format!("Arc::new({alias}::")))
        .ok_or_else(|| {
            format!("no `Arc::new({alias}::…)` entry in all_handlers() to add {entry} after")
        })?;
    let indent: String = lines[last]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    lines.insert(last + 1, format!("{indent}{entry},"));
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// The TypeScript registry with the class imported beside the other
/// imports from its folder (`folder`, relative to the registry, e.g.
/// `post_01_ecommerce/step_handlers`) and listed in `HANDLER_CLASSES` after
/// that folder's other classes.
pub fn typescript_registry(
    text: &str,
    folder: &str,
    module: &str,
    class: &str,
) -> Result<String, String> {
    let path = format!("./{folder}/{module}");
    let same_folder = |p: &str| {
        p.strip_prefix(&format!("./{folder}/"))
            .is_some_and(|rest| !rest.contains('/'))
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let imports: Vec<(usize, Vec<String>, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let (names, from) = parse_import(l)?;
            Some((i, names, from))
        })
        .collect();
    if imports
        .iter()
        .any(|(_, names, _)| names.iter().any(|n| n == class))
    {
        return Err(format!("already imports a class named {class}"));
    }
    let siblings: Vec<&(usize, Vec<String>, String)> =
        imports.iter().filter(|(_, _, p)| same_folder(p)).collect();
    let at = siblings
        .iter()
        .find(|(_, _, p)| p.as_str() > path.as_str())
        .map(|(i, _, _)| *i)
        .or_else(|| siblings.last().map(|(i, _, _)| i + 1))
        .or_else(|| imports.last().map(|(i, _, _)| i + 1))
        .ok_or_else(|| "no import lines to add the new handler's import to".to_string())?;
    lines.insert(at, format!("import {{ {class} }} from '{path}';"));
    let sibling_classes: Vec<&String> = siblings.iter().flat_map(|(_, n, _)| n).collect();

    let open = lines
        .iter()
        .position(|l| l.contains("HANDLER_CLASSES") && l.trim_end().ends_with('['))
        .ok_or_else(|| "no `HANDLER_CLASSES = [` array to list the new handler in".to_string())?;
    let close = (open + 1..lines.len())
        .find(|&i| lines[i].trim_start().starts_with(']'))
        .ok_or_else(|| "the `HANDLER_CLASSES` array is not closed".to_string())?;
    let entry_name = |l: &str| l.trim().strip_suffix(',').map(str::to_string);
    let after = (open + 1..close).rev().find(|&i| {
        entry_name(&lines[i]).is_some_and(|name| sibling_classes.iter().any(|c| **c == name))
    });
    let (at, indent) = match after {
        Some(i) => (
            i + 1,
            lines[i].chars().take_while(|c| c.is_whitespace()).collect(),
        ),
        None => (close, "  ".to_string()),
    };
    lines.insert(at, format!("{indent}{class},"));
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// `import { A, B } from './x';` → (["A", "B"], "./x"); `import type` lines too.
fn parse_import(line: &str) -> Option<(Vec<String>, String)> {
    let rest = line.trim().strip_prefix("import ")?;
    let open = rest.find('{')?;
    let close = rest.find('}')?;
    let names = rest
        .get(open + 1..close)?
        .split(',')
        .map(|n| n.trim().trim_start_matches("type ").trim())
        .filter(|n| !n.is_empty())
        .map(|n| n.split(" as ").last().unwrap_or(n).trim().to_string())
        .collect();
    let from = rest.get(close..)?;
    let start = from.find(['\'', '"'])?;
    let quote = from[start..].chars().next()?;
    let tail = &from[start + 1..];
    let end = tail.find(quote)?;
    Some((names, tail[..end].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "name: t\nsteps:\n  - name: a\n    dependencies: []\n\n  - name: b\n    dependencies:\n      - a\n\nmetadata:\n  x: 1\n";

    #[test]
    fn a_step_goes_after_the_last_step_and_nothing_else_moves() {
        assert_eq!(step_indent(TEMPLATE), 2);
        let out = add_step(TEMPLATE, "  - name: c\n").expect("added");
        assert_eq!(
            out,
            "name: t\nsteps:\n  - name: a\n    dependencies: []\n\n  - name: b\n    dependencies:\n      - a\n  - name: c\n\nmetadata:\n  x: 1\n"
        );
        let at_end = add_step("steps:\n- name: a", "- name: b\n").expect("added");
        assert_eq!(at_end, "steps:\n- name: a\n- name: b\n");
        assert_eq!(step_indent("steps:\n- name: a"), 0);
        assert!(add_step("steps: []\n", "- x\n").is_err());
        assert!(add_step("name: x\n", "- x\n").is_err());
    }

    #[test]
    fn rust_mod_lines_are_sorted_in() {
        let text = "//! Doc.\n\npub mod b_handler;\npub mod d_handler;\n\npub use b_handler::B;\npub use d_handler::D;\n";
        assert_eq!(
            rust_mod(text, "c_handler", "C"),
            "//! Doc.\n\npub mod b_handler;\npub mod c_handler;\npub mod d_handler;\n\npub use b_handler::B;\npub use c_handler::C;\npub use d_handler::D;\n"
        );
        assert_eq!(
            rust_mod(text, "a_handler", "A"),
            "//! Doc.\n\npub mod a_handler;\npub mod b_handler;\npub mod d_handler;\n\npub use a_handler::A;\npub use b_handler::B;\npub use d_handler::D;\n"
        );
        assert!(rust_mod(text, "e_handler", "E")
            .ends_with("pub use d_handler::D;\npub use e_handler::E;\n"));
    }

    #[test]
    fn the_rust_registry_lists_the_handler_after_its_module() {
        let text = "use crate::p1::step_handlers as one;\nuse crate::p2::step_handlers as two;\n\nfn all() {\n    vec![\n        Arc::new(one::A),\n        Arc::new(two::B),\n    ]\n}\n";
        let out = rust_registry(text, "p1::step_handlers", "C").expect("edited");
        assert!(out.contains(
            "        Arc::new(one::A),\n        Arc::new(one::C),\n        Arc::new(two::B),\n"
        ));
        assert!(rust_registry(&out, "p1::step_handlers", "C").is_err());
        assert!(rust_registry(text, "p3::step_handlers", "C").is_err());
    }

    #[test]
    fn the_typescript_registry_imports_and_lists_the_class() {
        let text = "import type { StepHandler } from '@tasker-systems/tasker';\n\nimport { A } from './p1/step_handlers/a_handler';\nimport { C } from './p1/step_handlers/c_handler';\n\nimport { Z } from './p2/step_handlers/z_handler';\n\nexport const HANDLER_CLASSES: readonly HandlerClass[] = [\n  // p1\n  C,\n  A,\n  // p2\n  Z,\n];\n";
        let out = typescript_registry(text, "p1/step_handlers", "b_handler", "B").expect("edited");
        assert!(out.contains("import { A } from './p1/step_handlers/a_handler';\nimport { B } from './p1/step_handlers/b_handler';\nimport { C }"));
        assert!(out.contains("  C,\n  A,\n  B,\n  // p2\n"));
        assert!(typescript_registry(&out, "p1/step_handlers", "b_handler", "B").is_err());
        let other =
            typescript_registry(text, "p3/step_handlers", "q_handler", "Q").expect("edited");
        assert!(other.contains("import { Z } from './p2/step_handlers/z_handler';\nimport { Q } from './p3/step_handlers/q_handler';\n"));
        assert!(other.contains("  Z,\n  Q,\n];\n"));
    }
}
