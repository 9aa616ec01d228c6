//! A task template loaded for running: the real `tasker_shared`
//! `TaskTemplate`, plus the step graph the scheduler needs (each step's
//! ancestors, in template order).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tasker_shared::models::core::task_template::{StepDefinition, TaskTemplate};

use crate::error::HarnessError;
use crate::language::Language;
use crate::reused::support::load_template;

/// The repository root: this crate lives in `e2e/`.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.join(".."), Path::to_path_buf)
}

/// `handlers/templates/<language>/` under `root`.
pub fn templates_dir(root: &Path, language: Language) -> PathBuf {
    root.join("handlers/templates").join(language.as_str())
}

/// One language's copy of one workflow template.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub language: Language,
    pub path: PathBuf,
    pub template: Arc<TaskTemplate>,
    /// For each step (template order), the indices of all its ancestors.
    ancestors: Arc<Vec<BTreeSet<usize>>>,
}

impl Workflow {
    /// `handlers/templates/<language>/<stem>.yaml`, e.g. stem
    /// `customer_success_process_refund`.
    pub fn load(root: &Path, language: Language, stem: &str) -> Result<Self, HarnessError> {
        Self::from_path(
            language,
            &templates_dir(root, language).join(format!("{stem}.yaml")),
        )
    }

    pub fn from_path(language: Language, path: &Path) -> Result<Self, HarnessError> {
        let shown = path.display().to_string();
        let template = load_template(path).map_err(|message| HarnessError::Template {
            path: shown.clone(),
            message,
        })?;
        let ancestors = ancestors(&template.steps).map_err(|message| HarnessError::Template {
            path: shown,
            message,
        })?;
        Ok(Self {
            language,
            path: path.to_path_buf(),
            template: Arc::new(template),
            ancestors: Arc::new(ancestors),
        })
    }

    /// The file name without `.yaml`: the name of the workflow's report.
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub fn steps(&self) -> &[StepDefinition] {
        &self.template.steps
    }

    /// Indices of every ancestor of step `index` (parents, their parents, ...).
    pub fn ancestors_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        self.ancestors
            .get(index)
            .into_iter()
            .flat_map(|set| set.iter().copied())
    }

    /// Index of the step named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.template
            .steps
            .iter()
            .position(|step| step.name == name)
    }
}

/// Every step's ancestors, refusing unknown dependencies and cycles (a cycle
/// would leave steps forever waiting, which the scheduler must never do).
fn ancestors(steps: &[StepDefinition]) -> Result<Vec<BTreeSet<usize>>, String> {
    let index: BTreeMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| (step.name.as_str(), i))
        .collect();
    if index.len() != steps.len() {
        return Err("two steps share a name".to_string());
    }
    let mut parents = Vec::with_capacity(steps.len());
    for step in steps {
        let mut found = Vec::new();
        for dependency in &step.dependencies {
            let parent = index.get(dependency.as_str()).ok_or_else(|| {
                format!("step {} depends on unknown step {dependency}", step.name)
            })?;
            found.push(*parent);
        }
        parents.push(found);
    }
    let mut all = Vec::with_capacity(steps.len());
    for (start, step) in steps.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<usize> = parents[start].clone();
        while let Some(next) = pending.pop() {
            if next == start {
                return Err(format!("step {} depends on itself (cycle)", step.name));
            }
            if seen.insert(next) {
                pending.extend(parents[next].iter().copied());
            }
        }
        all.push(seen);
    }
    Ok(all)
}

/// Every template of one language, keyed by (namespace, name, version) as
/// Tasker keys them: post 04's two `process_refund` templates live side by
/// side because their namespaces differ.
#[derive(Debug, Clone)]
pub struct TemplateCatalog {
    pub language: Language,
    workflows: BTreeMap<(String, String, String), Workflow>,
}

impl TemplateCatalog {
    pub fn load(root: &Path, language: Language) -> Result<Self, HarnessError> {
        let dir = templates_dir(root, language);
        let entries = std::fs::read_dir(&dir).map_err(|e| HarnessError::Template {
            path: dir.display().to_string(),
            message: format!("cannot list: {e}"),
        })?;
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.sort();
        let mut workflows = BTreeMap::new();
        for path in paths {
            let workflow = Workflow::from_path(language, &path)?;
            let key = (
                workflow.template.namespace_name.clone(),
                workflow.template.name.clone(),
                workflow.template.version.clone(),
            );
            if let Some(previous) = workflows.insert(key.clone(), workflow) {
                return Err(HarnessError::Template {
                    path: path.display().to_string(),
                    message: format!(
                        "{}/{} {} is also defined in {}",
                        key.0,
                        key.1,
                        key.2,
                        previous.path.display()
                    ),
                });
            }
        }
        Ok(Self {
            language,
            workflows,
        })
    }

    /// The template `name` in `namespace` (any version; the book has one each).
    pub fn get(&self, namespace: &str, name: &str) -> Option<&Workflow> {
        self.workflows
            .iter()
            .find(|((ns, n, _), _)| ns == namespace && n == name)
            .map(|(_, workflow)| workflow)
    }

    /// Every template with this workflow name, across namespaces.
    pub fn named(&self, name: &str) -> Vec<&Workflow> {
        self.workflows
            .iter()
            .filter(|((_, n, _), _)| n == name)
            .map(|(_, workflow)| workflow)
            .collect()
    }

    pub fn len(&self) -> usize {
        self.workflows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.workflows.is_empty()
    }
}
