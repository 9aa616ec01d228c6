//! `mdbook-codetabs new-handler`: one new step handler in every language of
//! the book at once.
//!
//! Given a post folder and a step name, it writes the handler file in each
//! language (Ruby, Python, TypeScript, Rust) beside the post's other
//! handlers, adds the step to the post's task template in each language
//! (the same step, only the callable differs), registers the handler where a
//! language needs it (the Rust registry and `mod.rs`, the TypeScript
//! registry; Ruby and Python workers find classes by themselves), writes a
//! conformance-vector skeleton that fails until the step is written, and
//! refreshes the generated handler tables in each language's README.
//!
//! Everything is worked out and checked first ([`plan`]): a file that would
//! be created and already exists, a step already in a template, a callable
//! already taken, a registry it cannot edit, all stop the command before
//! anything is written.
//!
//! Where things go is read from the book itself, never from a fixed list:
//! the post's templates are the ones whose callables resolve (through the
//! [`handler_catalog`](crate::handler_catalog)) to handlers in the post's
//! folder, the new handler goes in the folder of those handlers, and its
//! callable follows theirs (`Ecommerce::StepHandlers::…`,
//! `ecommerce.step_handlers.…`, `Ecommerce.StepHandlers.…`, `ecommerce_…`).

mod edits;
mod sources;

use crate::config::{Language, Settings};
use crate::handler_catalog::{Catalog, HandlerDef};
use crate::source_index::SourceIndex;
use crate::workflow_graph::{self, WorkflowGraph};
use anyhow::{anyhow, bail, Context};
use std::path::Path;
use std::str::FromStr;

use sources::Shape;

/// Where the shared conformance vectors live, one folder per post.
pub const VECTORS_DIR: &str = "handlers/vectors";

/// Longest step name accepted: longer names push the generated lines past
/// the formatters' widths (ruff's 100 columns, rustfmt's chain width).
pub const MAX_STEP_NAME: usize = 32;

/// The languages this command writes, by their book.toml key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ruby,
    Python,
    TypeScript,
    Rust,
}

impl Lang {
    fn from_key(key: &str) -> Option<Lang> {
        Some(match key {
            "ruby" => Lang::Ruby,
            "python" => Lang::Python,
            "typescript" => Lang::TypeScript,
            "rust" => Lang::Rust,
            _ => return None,
        })
    }
}

/// What the command was asked for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The post's folder under each language's folder, e.g. `post_01_ecommerce`.
    pub post: &'a str,
    /// The new step's name, snake_case, e.g. `archive_order`.
    pub step: &'a str,
    /// The template's `namespace_name`, needed when the post has several.
    pub namespace: Option<&'a str>,
}

/// What the command did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The template's `namespace_name` and file name.
    pub namespace: String,
    pub template: String,
    /// The steps the new one depends on.
    pub dependencies: Vec<String>,
    /// Files written that did not exist, book-relative.
    pub created: Vec<String>,
    /// Existing files changed, book-relative.
    pub updated: Vec<String>,
    /// The `{{#codetabs}}` path stem of the new handler (reference language).
    pub stem: String,
    /// The vector skeleton, book-relative.
    pub vector: String,
}

impl Report {
    /// The lines the command prints.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "new-handler: step added to {} (namespace {}){}\n",
            self.template,
            self.namespace,
            if self.dependencies.is_empty() {
                String::new()
            } else {
                format!(", after {}", self.dependencies.join(", "))
            }
        );
        for path in &self.created {
            out.push_str(&format!("created {path}\n"));
        }
        for path in &self.updated {
            out.push_str(&format!("updated {path}\n"));
        }
        out.push_str(&format!(
            "next: write the step in the four handlers and its case in {}; the vector fails until both are done.\n\
             `check` lists the new `handler` anchors (orphan-anchor) until a chapter shows them with \
             {{{{#codetabs {}:handler}}}}, and any changed template a chapter shows (stale-lockfile) \
             until `check --update` records it.\n",
            self.vector, self.stem
        ));
        out
    }
}

/// One file to write.
#[derive(Debug, Clone)]
struct Change {
    /// Book-relative path.
    rel: String,
    text: String,
    /// A new file (must not exist) or an edit of an existing one.
    create: bool,
}

/// The checked plan: every file's new content, nothing written yet.
#[derive(Debug)]
struct Plan {
    changes: Vec<Change>,
    report: Report,
}

/// Writes the new handler into the book at `root`; nothing is written if any
/// check fails.
pub fn new_handler(root: &Path, request: &Request) -> anyhow::Result<Report> {
    let settings = load_settings(root)?;
    let plan = plan(root, &settings, request)?;
    apply(root, &settings, plan)
}

fn load_settings(root: &Path) -> anyhow::Result<Settings> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}: is this the book's folder?", path.display()))?;
    let config = mdbook_preprocessor::config::Config::from_str(&text)
        .map_err(|e| anyhow!("{}: {e:#}", path.display()))?;
    Settings::from_config(&config)
}

/// One language's part of the plan.
struct LangPlan<'a> {
    lang: Lang,
    language: &'a Language,
    /// The post's template in this language, book-relative, and its text.
    template_rel: String,
    template_text: String,
    /// The folder of the template's handlers, book-relative.
    handler_dir: String,
    /// What the template's `callable` says for the new step.
    callable: String,
    /// The new handler file, book-relative.
    handler_rel: String,
}

fn plan(root: &Path, settings: &Settings, request: &Request) -> anyhow::Result<Plan> {
    let step = request.step;
    check_step_name(step)?;
    check_post_name(request.post)?;
    let mut languages = Vec::new();
    for language in &settings.languages {
        let lang = Lang::from_key(&language.key).ok_or_else(|| {
            anyhow!(
                "book.toml lists the language `{}`, and new-handler writes only Ruby, Python, \
                 TypeScript and Rust handlers",
                language.key
            )
        })?;
        languages.push((lang, language));
    }
    let Some(&(_, reference)) = languages.first() else {
        bail!("book.toml [preprocessor.codetabs] lists no languages");
    };
    let index = SourceIndex::new(root);
    let catalog = Catalog::scan(settings, root, &index);
    for (_, language) in &languages {
        let dir = format!("{}/{}", language.dir, request.post);
        if !root.join(&dir).is_dir() {
            bail!(
                "unknown post folder `{}`: {dir} does not exist (posts with handlers: {})",
                request.post,
                known_posts(&catalog, language).join(", ")
            );
        }
    }

    let (template_file, graph) = post_template(root, settings, &catalog, reference, request)?;
    let dependencies = sinks(&graph);
    let reference_rel = template_rel(settings, reference, &template_file);
    let reference_text = read(root, &reference_rel)?;
    let reference_yaml: serde_yaml::Value = serde_yaml::from_str(&reference_text)
        .map_err(|e| anyhow!("{reference_rel}: not YAML: {e}"))?;
    let shape = Shape::new(step, &graph.namespace, &reference_yaml, &dependencies);

    let mut plans = Vec::new();
    for &(lang, language) in &languages {
        plans.push(lang_plan(
            root,
            settings,
            &catalog,
            lang,
            language,
            &template_file,
            &shape,
        )?);
    }

    let mut changes = Vec::new();
    for p in &plans {
        let text = sources::handler(p.lang, &shape, &p.callable);
        changes.push(Change {
            rel: p.handler_rel.clone(),
            text,
            create: true,
        });
    }
    let vector_rel = format!("{VECTORS_DIR}/{}/{step}__success.json", request.post);
    changes.push(Change {
        rel: vector_rel.clone(),
        text: sources::vector(&shape),
        create: true,
    });
    for change in changes.iter().filter(|c| c.create) {
        if exists(root, &change.rel) {
            bail!(
                "{} already exists; new-handler never overwrites a file (nothing was written)",
                change.rel
            );
        }
    }
    for p in &plans {
        let entry = shape.template_step(&p.callable, edits::step_indent(&p.template_text));
        let text = edits::add_step(&p.template_text, &entry)
            .map_err(|e| anyhow!("{}: {e} (nothing was written)", p.template_rel))?;
        verify_template(&text, &p.template_rel, &shape, &p.callable)?;
        changes.push(Change {
            rel: p.template_rel.clone(),
            text,
            create: false,
        });
    }
    for p in &plans {
        changes.extend(registrations(root, p, &shape)?);
    }

    let stem = plans
        .first()
        .map(|p| {
            p.handler_rel
                .trim_start_matches(&format!("{}/", p.language.dir))
                .trim_end_matches(&format!(".{}", p.language.extension))
                .to_string()
        })
        .unwrap_or_default();
    Ok(Plan {
        report: Report {
            namespace: graph.namespace.clone(),
            template: template_file,
            dependencies,
            created: Vec::new(),
            updated: Vec::new(),
            stem,
            vector: vector_rel,
        },
        changes,
    })
}

/// snake_case, a letter first, no `__` (the vector file names' separator).
fn check_step_name(step: &str) -> anyhow::Result<()> {
    let well_formed = step.starts_with(|c: char| c.is_ascii_lowercase())
        && step
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !step.contains("__")
        && !step.ends_with('_');
    if !well_formed {
        bail!(
            "step name `{step}`: use snake_case (lowercase letters, digits and single `_`, a letter \
             first), e.g. `archive_order`"
        );
    }
    if step.len() > MAX_STEP_NAME {
        bail!(
            "step name `{step}` is {} characters long; keep it to {MAX_STEP_NAME}",
            step.len()
        );
    }
    Ok(())
}

/// One folder name, never a path that leaves the language folder.
fn check_post_name(post: &str) -> anyhow::Result<()> {
    let ok = !post.is_empty()
        && !post.starts_with('.')
        && post
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !ok {
        bail!("post folder `{post}`: give the folder's name only, e.g. `post_01_ecommerce`");
    }
    Ok(())
}

/// The first folder under the language folder of every handler it has.
fn known_posts(catalog: &Catalog, language: &Language) -> Vec<String> {
    let prefix = format!("{}/", language.dir);
    let mut posts: Vec<String> = catalog
        .handlers(&language.key)
        .iter()
        .filter_map(|d| d.path.strip_prefix(&prefix)?.split('/').next())
        .filter(|first| !first.contains('.'))
        .map(str::to_string)
        .collect();
    posts.dedup();
    posts
}

fn template_rel(settings: &Settings, language: &Language, file: &str) -> String {
    format!(
        "{}/{file}",
        settings.templates.replace("{lang}", &language.key)
    )
}

fn read(root: &Path, rel: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(root.join(rel)).with_context(|| format!("reading {rel}"))
}

fn exists(root: &Path, rel: &str) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok()
}

/// The post's template (file name and graph) in the reference language: the
/// one whose handlers live in the post's folder, picked by `--namespace`
/// when there are several.
fn post_template(
    root: &Path,
    settings: &Settings,
    catalog: &Catalog,
    reference: &Language,
    request: &Request,
) -> anyhow::Result<(String, WorkflowGraph)> {
    let dir = settings.templates.replace("{lang}", &reference.key);
    let post_prefix = format!("{}/{}/", reference.dir, request.post);
    let mut found: Vec<(String, WorkflowGraph)> = Vec::new();
    for rel in crate::book_files::templates(root, &dir) {
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        let Ok(graph) = workflow_graph::from_yaml(&text) else {
            continue;
        };
        let in_post = graph.steps.iter().any(|s| {
            let callable = s.callable.as_deref().unwrap_or("");
            catalog
                .resolve(&reference.key, callable)
                .is_some_and(|d| d.path.starts_with(&post_prefix))
        });
        if in_post {
            let file = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            found.push((file, graph));
        }
    }
    let options = |found: &[(String, WorkflowGraph)]| {
        found
            .iter()
            .map(|(file, g)| format!("--namespace {} ({file})", g.namespace))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if found.is_empty() {
        bail!(
            "no task template in {dir} has handlers in {post_prefix}, so the post `{}` has no \
             template to add the step to",
            request.post
        );
    }
    match request.namespace {
        Some(ns) => {
            let listed = options(&found);
            found
                .into_iter()
                .find(|(_, g)| g.namespace == ns)
                .ok_or_else(|| {
                    anyhow!(
                        "--namespace {ns}: no template of {} has that namespace_name; it has {listed}",
                        request.post
                    )
                })
        }
        None if found.len() == 1 => Ok(found.remove(0)),
        None => bail!(
            "{} has {} templates: pass {}",
            request.post,
            found.len(),
            options(&found).replace(", ", " or ")
        ),
    }
}

/// Steps no other step waits for, in template order: the new step runs after them.
fn sinks(graph: &WorkflowGraph) -> Vec<String> {
    graph
        .steps
        .iter()
        .enumerate()
        .filter(|(i, _)| !graph.steps.iter().any(|s| s.deps.contains(i)))
        .map(|(_, s)| s.name.clone())
        .collect()
}

fn lang_plan<'a>(
    root: &Path,
    settings: &Settings,
    catalog: &Catalog,
    lang: Lang,
    language: &'a Language,
    template_file: &str,
    shape: &Shape,
) -> anyhow::Result<LangPlan<'a>> {
    let template_rel = template_rel(settings, language, template_file);
    let template_text = read(root, &template_rel)?;
    let graph = workflow_graph::from_yaml(&template_text)
        .map_err(|e| anyhow!("{template_rel}:{}: {}", e.line, e.message))?;
    if let Some(existing) = graph.steps.iter().find(|s| s.name == shape.step) {
        bail!(
            "step `{}` is already in {template_rel} (line {}); pick another name (nothing was written)",
            shape.step,
            existing.line
        );
    }
    let Some((step, def)) = graph.steps.iter().find_map(|s| {
        let callable = s.callable.as_deref()?;
        Some((s, catalog.resolve(&language.key, callable)?))
    }) else {
        bail!(
            "{template_rel}: no step's callable names a {} handler, so where the new one goes is unknown",
            language.label
        );
    };
    let callable = new_callable(lang, def, &step.name, shape).ok_or_else(|| {
        anyhow!(
            "{template_rel}: cannot tell the {} callable of a new step from `{}` (step `{}`)",
            language.label,
            def.callable,
            step.name
        )
    })?;
    if let Some(taken) = catalog.resolve(&language.key, &callable) {
        bail!(
            "the callable `{callable}` is already taken by {}:{} (nothing was written)",
            taken.path,
            taken.line
        );
    }
    let handler_dir = def
        .path
        .rsplit_once('/')
        .map_or_else(String::new, |(dir, _)| dir.to_string());
    let handler_rel = format!(
        "{handler_dir}/{}_handler.{}",
        shape.step, language.extension
    );
    Ok(LangPlan {
        lang,
        language,
        template_rel,
        template_text,
        handler_dir,
        callable,
        handler_rel,
    })
}

/// The new step's callable, written the way `def` (the handler of the
/// template step `step_name`) is named.
fn new_callable(lang: Lang, def: &HandlerDef, step_name: &str, shape: &Shape) -> Option<String> {
    match lang {
        Lang::Rust => {
            let prefix = def.callable.strip_suffix(step_name)?;
            Some(format!("{prefix}{}", shape.step))
        }
        Lang::Ruby | Lang::Python | Lang::TypeScript => {
            let prefix = def.callable.strip_suffix(&def.class)?;
            let separator = if lang == Lang::Ruby { "::" } else { "." };
            if !prefix.is_empty() && !prefix.ends_with(separator) {
                return None;
            }
            Some(format!("{prefix}{}", shape.class))
        }
    }
}

/// The edited template must still parse and end with the new step.
fn verify_template(text: &str, rel: &str, shape: &Shape, callable: &str) -> anyhow::Result<()> {
    let graph = workflow_graph::from_yaml(text).map_err(|e| {
        anyhow!(
            "{rel}: the template would not parse with the new step ({}); nothing was written",
            e.message
        )
    })?;
    let added = graph.steps.last().filter(|s| {
        s.name == shape.step
            && s.callable.as_deref() == Some(callable)
            && s.deps.len() == shape.dependencies.len()
    });
    if added.is_none() {
        bail!("{rel}: the new step did not land as the template's last step; nothing was written");
    }
    Ok(())
}

/// The registry edits a language needs: Rust declares the module and lists
/// the handler, TypeScript imports and lists the class. Ruby and Python
/// workers find every handler class by themselves.
fn registrations(root: &Path, p: &LangPlan, shape: &Shape) -> anyhow::Result<Vec<Change>> {
    let dir = p.language.dir.trim_end_matches('/');
    let module = format!("{}_handler", shape.step);
    match p.lang {
        Lang::Ruby | Lang::Python => Ok(Vec::new()),
        Lang::Rust => {
            let mod_rel = format!("{}/mod.rs", p.handler_dir);
            let mod_text = read(root, &mod_rel)?;
            let mod_text = edits::rust_mod(&mod_text, &module, &shape.class);
            let registry_rel = format!("{dir}/registry.rs");
            let registry = read(root, &registry_rel)?;
            let path = p
                .handler_dir
                .strip_prefix(&format!("{dir}/"))
                .unwrap_or(&p.handler_dir)
                .replace('/', "::");
            let registry = edits::rust_registry(&registry, &path, &shape.class)
                .map_err(|e| anyhow!("{registry_rel}: {e} (nothing was written)"))?;
            Ok(vec![
                Change {
                    rel: mod_rel,
                    text: mod_text,
                    create: false,
                },
                Change {
                    rel: registry_rel,
                    text: registry,
                    create: false,
                },
            ])
        }
        Lang::TypeScript => {
            let registry_rel = format!("{dir}/registry.ts");
            let registry = read(root, &registry_rel)?;
            let folder = p
                .handler_dir
                .strip_prefix(&format!("{dir}/"))
                .unwrap_or(&p.handler_dir);
            let registry = edits::typescript_registry(&registry, folder, &module, &shape.class)
                .map_err(|e| anyhow!("{registry_rel}: {e} (nothing was written)"))?;
            Ok(vec![Change {
                rel: registry_rel,
                text: registry,
                create: false,
            }])
        }
    }
}

/// Writes the plan, then refreshes the generated handler tables in the
/// languages' READMEs (what `check --update` would write for them).
fn apply(root: &Path, settings: &Settings, plan: Plan) -> anyhow::Result<Report> {
    let mut report = plan.report;
    let mut done: Vec<String> = Vec::new();
    let fail = |done: &[String], e: anyhow::Error| {
        if done.is_empty() {
            e
        } else {
            e.context(format!(
                "stopped after writing {} (remove or finish them by hand)",
                done.join(", ")
            ))
        }
    };
    for change in &plan.changes {
        let path = root.join(&change.rel);
        let written = if change.create {
            create_new(&path, &change.text)
        } else {
            std::fs::write(&path, &change.text)
        };
        written
            .with_context(|| format!("writing {}", change.rel))
            .map_err(|e| fail(&done, e))?;
        done.push(change.rel.clone());
        if change.create {
            report.created.push(change.rel.clone());
        } else {
            report.updated.push(change.rel.clone());
        }
    }
    let index = SourceIndex::new(root);
    let catalog = Catalog::scan(settings, root, &index);
    for language in &settings.languages {
        let rel = format!("{}/README.md", language.dir.trim_end_matches('/'));
        let Ok(existing) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        let table = crate::readme::handler_table(root, settings, language, &catalog);
        let wanted = crate::readme::with_block(&existing, &language.label, &table);
        if wanted != existing {
            std::fs::write(root.join(&rel), wanted)
                .with_context(|| format!("writing {rel}"))
                .map_err(|e| fail(&done, e))?;
            done.push(rel.clone());
            report.updated.push(rel);
        }
    }
    Ok(report)
}

/// Creates `path` (and a missing vector folder), refusing an existing file.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_names_are_snake_case_and_short() {
        for ok in ["archive_order", "step2", "a", "send_2fa_code"] {
            assert!(check_step_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Archive",
            "archive-order",
            "_x",
            "x_",
            "a__b",
            "2fa",
            "a b",
            "ä",
        ] {
            assert!(check_step_name(bad).is_err(), "{bad}");
        }
        assert!(check_step_name(&"a".repeat(MAX_STEP_NAME)).is_ok());
        assert!(check_step_name(&"a".repeat(MAX_STEP_NAME + 1)).is_err());
    }

    #[test]
    fn post_names_are_one_folder() {
        assert!(check_post_name("post_01_ecommerce").is_ok());
        for bad in ["", "..", "../x", "a/b", ".hidden", "/abs"] {
            assert!(check_post_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn callables_follow_the_existing_ones() {
        let shape = Shape::new("archive_order", "ecommerce", &serde_yaml::Value::Null, &[]);
        let def = |class: &str, callable: &str| HandlerDef {
            lang: String::new(),
            class: class.into(),
            callable: callable.into(),
            path: String::new(),
            line: 1,
        };
        let cart = "ValidateCartHandler";
        assert_eq!(
            new_callable(
                Lang::Ruby,
                &def(cart, "Ecommerce::StepHandlers::ValidateCartHandler"),
                "validate_cart",
                &shape
            )
            .as_deref(),
            Some("Ecommerce::StepHandlers::ArchiveOrderHandler")
        );
        assert_eq!(
            new_callable(
                Lang::Python,
                &def(cart, "ecommerce.step_handlers.ValidateCartHandler"),
                "validate_cart",
                &shape
            )
            .as_deref(),
            Some("ecommerce.step_handlers.ArchiveOrderHandler")
        );
        assert_eq!(
            new_callable(Lang::TypeScript, &def(cart, cart), "validate_cart", &shape).as_deref(),
            Some("ArchiveOrderHandler")
        );
        assert_eq!(
            new_callable(
                Lang::Rust,
                &def(cart, "ecommerce_validate_cart"),
                "validate_cart",
                &shape
            )
            .as_deref(),
            Some("ecommerce_archive_order")
        );
        // A callable that does not end with its class (or step) gives no pattern.
        assert_eq!(
            new_callable(
                Lang::Python,
                &def(cart, "ecommerce.XValidateCartHandler"),
                "validate_cart",
                &shape
            ),
            None
        );
        assert_eq!(
            new_callable(Lang::Rust, &def(cart, "cart_v2"), "validate_cart", &shape),
            None
        );
    }
}
