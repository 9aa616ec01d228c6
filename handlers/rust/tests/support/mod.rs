//! What both test binaries need: where the repository is, which files to
//! look at, and how the real Tasker parses a task template.

use std::path::{Path, PathBuf};

use tasker_shared::models::core::task_template::TaskTemplate;

/// The repository root (this crate lives in handlers/rust).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `dir` whose name ends with `suffix`, sorted, skipping
/// what is not the project's own source: hidden folders (.venv), installed
/// packages and build output.
pub fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    const SKIPPED: [&str; 4] = ["node_modules", "__pycache__", "target", "vendor"];
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && !SKIPPED.contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if name.ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `path` relative to the repository root, for messages.
pub fn display(path: &Path) -> String {
    let root = repo_root();
    let root = root.canonicalize().unwrap_or(root);
    let full = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    full.strip_prefix(&root)
        .unwrap_or(&full)
        .display()
        .to_string()
}

/// Parses a template exactly as the real worker does, then applies both of
/// tasker-shared's checks (structural `validate()` and the field ranges of
/// its `validator` derive) and refuses keys the schema does not know: serde
/// would silently drop a misspelt `max_attemps` or an `initial_delay`.
pub fn load_template(path: &Path) -> Result<TaskTemplate, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let template = TaskTemplate::from_yaml(&text).map_err(|e| e.to_string())?;
    template.validate().map_err(|e| e.to_string())?;
    validator::Validate::validate(&template).map_err(|e| format!("invalid: {e}"))?;

    let written: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let understood = serde_yaml::to_value(&template).map_err(|e| e.to_string())?;
    let mut unknown = Vec::new();
    unknown_keys(&written, &understood, "", &mut unknown);
    if unknown.is_empty() {
        Ok(template)
    } else {
        Err(format!(
            "keys the TaskTemplate schema does not know: {}",
            unknown.join(", ")
        ))
    }
}

/// Keys present in `written` but absent from what the schema round-tripped.
/// Free-form maps (initialization, input_schema) round-trip whole, so only
/// schema keys can go missing.
fn unknown_keys(
    written: &serde_yaml::Value,
    understood: &serde_yaml::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_yaml::Value;
    match (written, understood) {
        (Value::Mapping(written), Value::Mapping(understood)) => {
            for (key, value) in written {
                let name = key
                    .as_str()
                    .map_or_else(|| format!("{key:?}"), str::to_string);
                let here = format!("{path}.{name}");
                match understood.get(key) {
                    Some(kept) => unknown_keys(value, kept, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Sequence(written), Value::Sequence(understood)) => {
            for (index, (value, kept)) in written.iter().zip(understood).enumerate() {
                unknown_keys(value, kept, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

/// The Rust templates, with their paths.
pub fn rust_templates() -> Vec<(PathBuf, Result<TaskTemplate, String>)> {
    files_under(&repo_root().join("handlers/templates/rust"), ".yaml")
        .into_iter()
        .map(|path| {
            let template = load_template(&path);
            (path, template)
        })
        .collect()
}
