//! Four languages in one engine. A worker registers its templates by
//! namespace + name + version and consumes `worker_<namespace>_queue`, so the
//! four languages' identical templates would share one registry entry and one
//! queue. Each language's copy is registered under its own namespace instead
//! (`ecommerce` → `ecommerce_py`), the way upstream's own end-to-end fixtures
//! keep languages apart; the templates the book shows stay identical.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The book's four languages, with the suffix their namespaces get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Ruby,
    Python,
    TypeScript,
    Rust,
}

impl Language {
    pub const ALL: [Language; 4] = [Self::Ruby, Self::Python, Self::TypeScript, Self::Rust];

    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|language| language.name() == name)
            .with_context(|| {
                format!("unknown language '{name}': expected ruby, python, typescript or rust")
            })
    }

    /// The folder name under handlers/ and handlers/templates/.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ruby => "ruby",
            Self::Python => "python",
            Self::TypeScript => "typescript",
            Self::Rust => "rust",
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Self::Ruby => "rb",
            Self::Python => "py",
            Self::TypeScript => "ts",
            Self::Rust => "rs",
        }
    }

    /// The namespace a template of this language is registered under.
    pub fn namespace(self, book_namespace: &str) -> String {
        format!("{book_namespace}_{}", self.suffix())
    }
}

/// Writes, into `out`, this language's templates whose namespace is one of
/// `namespaces` (all when empty), each under its per-language namespace.
/// Returns the files written; a namespace no template has is an error, so a
/// worker never starts serving nothing.
pub fn write_worker_templates(
    templates_root: &Path,
    language: Language,
    namespaces: &[String],
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let source = templates_root.join(language.name());
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&source)
        .with_context(|| format!("reading {}", source.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("reading {}", source.display()))?;
    entries.retain(|path| path.extension().is_some_and(|ext| ext == "yaml"));
    entries.sort();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;

    let mut written = Vec::new();
    let mut seen = Vec::new();
    for path in entries {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut template: serde_yaml::Value = serde_yaml::from_str(&text)
            .with_context(|| format!("{}: not valid YAML", path.display()))?;
        let Some(namespace) = template
            .get("namespace_name")
            .and_then(serde_yaml::Value::as_str)
            .map(str::to_string)
        else {
            bail!("{}: has no namespace_name", path.display());
        };
        if !namespaces.is_empty() && !namespaces.contains(&namespace) {
            continue;
        }
        seen.push(namespace.clone());
        template["namespace_name"] = serde_yaml::Value::String(language.namespace(&namespace));
        let target = out.join(path.file_name().unwrap_or_default());
        std::fs::write(&target, serde_yaml::to_string(&template)?)
            .with_context(|| format!("writing {}", target.display()))?;
        written.push(target);
    }
    for wanted in namespaces {
        if !seen.contains(wanted) {
            bail!(
                "no template in {} has namespace '{wanted}'",
                source.display()
            );
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_own_namespace_and_only_the_asked_templates() {
        let out = std::env::temp_dir().join(format!("tasker-book-ns-{}", std::process::id()));
        let root = crate::repo_root().join("handlers/templates");
        let written =
            write_worker_templates(&root, Language::Ruby, &["payments".to_string()], &out)
                .expect("written");
        assert_eq!(written.len(), 1);
        let text = std::fs::read_to_string(&written[0]).expect("readable");
        let template: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
        assert_eq!(template["namespace_name"].as_str(), Some("payments_rb"));
        assert_eq!(template["version"].as_str(), Some("2.1.0"));
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_namespace_no_template_has_is_an_error() {
        let out = std::env::temp_dir().join(format!("tasker-book-ns-bad-{}", std::process::id()));
        let root = crate::repo_root().join("handlers/templates");
        let error = write_worker_templates(&root, Language::Python, &["nope".to_string()], &out)
            .expect_err("refused");
        assert!(error.to_string().contains("namespace 'nope'"), "{error}");
        let _ = std::fs::remove_dir_all(&out);
    }
}
