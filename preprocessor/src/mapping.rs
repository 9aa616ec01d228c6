//! The cross-language tables: which class implements each step in every
//! language (from the templates and the handler catalogue), and which API
//! each language uses for the same job (from a small data file, with usage
//! found by scanning the handler sources).

use crate::config::{Language, Settings};
use crate::data_file::{data_file, path_and_title};
use crate::diagnostic::{Diagnostic, Location};
use crate::directive::Directive;
use crate::handler_catalog::{Catalog, HandlerDef};
use crate::source_index::SourceIndex;
use crate::workflow_graph;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One step, and its handler in each language (settings order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub step: String,
    pub handlers: Vec<HandlerDef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTable {
    pub title: Option<String>,
    pub langs: Vec<Language>,
    pub rows: Vec<StepRow>,
}

/// `{{#mapping handlers/templates/{lang}/x.yaml}}`: every step of the
/// template, resolved in every language.
pub fn step_table(
    d: &Directive,
    settings: &Settings,
    index: &SourceIndex,
    catalog: &Catalog,
    at: &Location,
) -> Result<StepTable, Vec<Diagnostic>> {
    let usage = "write {{#mapping handlers/templates/{lang}/my_workflow.yaml}}";
    let (pattern, title) = path_and_title(d, at, usage).map_err(|e| vec![e])?;
    if !pattern.contains("{lang}") {
        return Err(vec![Diagnostic::new(
            "the template path needs `{lang}`: each language has its own template",
        )
        .in_chapter(at.clone())
        .help(usage)]);
    }
    let mut problems = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut per_lang: Vec<BTreeMap<String, HandlerDef>> = Vec::new();
    for lang in &settings.languages {
        let path = pattern.replace("{lang}", &lang.key);
        let opened = index.open(&path);
        let file = match &*opened {
            Ok(f) => f,
            Err(e) => {
                problems.push(
                    Diagnostic::new(e.to_string())
                        .in_chapter(at.clone())
                        .in_source(Location::new(path, 0)),
                );
                per_lang.push(BTreeMap::new());
                continue;
            }
        };
        let graph = match workflow_graph::from_yaml(&file.text()) {
            Ok(g) => g,
            Err(e) => {
                problems.push(
                    Diagnostic::new(e.message)
                        .in_chapter(at.clone())
                        .in_source(Location::new(path, e.line)),
                );
                per_lang.push(BTreeMap::new());
                continue;
            }
        };
        let mut resolved = BTreeMap::new();
        for step in &graph.steps {
            if order.len() < graph.steps.len() && !order.contains(&step.name) {
                order.push(step.name.clone());
            }
            let Some(callable) = &step.callable else {
                problems.push(
                    Diagnostic::new(format!("step `{}` has no handler.callable", step.name))
                        .in_chapter(at.clone())
                        .in_source(Location::new(path.clone(), step.line)),
                );
                continue;
            };
            match catalog.resolve(&lang.key, callable) {
                Some(def) => {
                    resolved.insert(step.name.clone(), def.clone());
                }
                None => problems.push(
                    Diagnostic::new(format!(
                        "callable `{callable}` of step `{}` matches no {} handler under {}",
                        step.name, lang.label, lang.dir
                    ))
                    .in_chapter(at.clone())
                    .in_source(Location::new(path.clone(), step.line)),
                ),
            }
        }
        per_lang.push(resolved);
    }
    let mut rows = Vec::new();
    for step in &order {
        let handlers: Vec<HandlerDef> = per_lang
            .iter()
            .filter_map(|m| m.get(step).cloned())
            .collect();
        if handlers.len() == settings.languages.len() {
            rows.push(StepRow {
                step: step.clone(),
                handlers,
            });
        } else if problems.is_empty() {
            problems.push(
                Diagnostic::new(format!("step `{step}` is not in every language's template"))
                    .in_chapter(at.clone()),
            );
        }
    }
    if problems.is_empty() {
        Ok(StepTable {
            title,
            langs: settings.languages.clone(),
            rows,
        })
    } else {
        Err(problems)
    }
}

/// One row of the API data file: the same job in each language.
/// Every key but `what` is a language (a misspelt one is reported as unknown).
#[derive(Debug, Clone, Deserialize)]
struct RawApi {
    what: String,
    #[serde(flatten)]
    langs: BTreeMap<String, RawUse>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUse {
    call: String,
    #[serde(default)]
    find: Finds,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
enum Finds {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Finds {
    fn list(&self) -> Vec<&str> {
        match self {
            Finds::None => Vec::new(),
            Finds::One(s) => vec![s.as_str()],
            Finds::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApiFile {
    api: Vec<RawApi>,
}

/// How one language does one job, and which handlers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUse {
    pub call: String,
    pub note: Option<String>,
    pub used_by: Vec<HandlerDef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRow {
    pub what: String,
    /// Per language in settings order; `None` where the language has no equivalent.
    pub uses: Vec<Option<ApiUse>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTable {
    pub title: Option<String>,
    pub langs: Vec<Language>,
    pub rows: Vec<ApiRow>,
}

/// `{{#api-mapping path/to/api.toml}}`.
pub fn api_table(
    d: &Directive,
    settings: &Settings,
    index: &SourceIndex,
    catalog: &Catalog,
    at: &Location,
) -> Result<ApiTable, Diagnostic> {
    let file = data_file(
        d,
        index,
        at,
        "write {{#api-mapping handlers/step_context_api.toml}}",
        None,
    )?;
    let (path, text, title) = (file.path, file.text, file.title);
    let raw: RawApiFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            1 + text[..s.start.min(text.len())].matches('\n').count()
        });
        Diagnostic::new(format!("not an API mapping file: {}", e.message()))
            .in_chapter(at.clone())
            .in_source(Location::new(path.clone(), line))
    })?;
    let mut rows = Vec::new();
    for api in raw.api {
        if let Some(unknown) = api.langs.keys().find(|k| settings.language(k).is_none()) {
            return Err(Diagnostic::new(format!(
                "unknown language `{unknown}` in the API mapping"
            ))
            .in_chapter(at.clone())
            .in_source(Location::new(path.clone(), 0))
            .help(format!("known languages: {}", settings.keys().join(", "))));
        }
        let uses = settings
            .languages
            .iter()
            .map(|lang| {
                api.langs.get(&lang.key).map(|u| ApiUse {
                    call: u.call.clone(),
                    note: u.note.clone(),
                    used_by: users(catalog, index, &lang.key, &u.find.list()),
                })
            })
            .collect();
        rows.push(ApiRow {
            what: api.what,
            uses,
        });
    }
    Ok(ApiTable {
        title,
        langs: settings.languages.clone(),
        rows,
    })
}

/// Handlers whose code (comments aside) contains any of the needles.
fn users(catalog: &Catalog, index: &SourceIndex, lang: &str, needles: &[&str]) -> Vec<HandlerDef> {
    if needles.is_empty() {
        return Vec::new();
    }
    catalog
        .handlers(lang)
        .iter()
        .filter(|def| {
            let opened = index.open(&def.path);
            let Ok(file) = &*opened else { return false };
            let used = file.lines().any(|l| {
                let t = l.trim_start();
                !(t.starts_with('#') || t.starts_with("//"))
                    && needles.iter().any(|n| l.contains(n))
            });
            used
        })
        .cloned()
        .collect()
}
