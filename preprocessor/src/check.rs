//! `mdbook-codetabs check`: validates the whole book without rendering it and
//! reports every problem at once: directives, orphaned anchors, handlers
//! missing in a language, templates that drift apart or name no handler,
//! snippets changed in one language only, and stale generated READMEs.

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Location};
use crate::handler_catalog::{language_files, Catalog};
use crate::lockfile;
use crate::preprocessor::{run_session, Session};
use crate::readme;
use crate::render::Target;
use crate::workflow_graph;
use anyhow::Context;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Directive,
    OrphanAnchor,
    MissingHandler,
    UnresolvedCallable,
    TemplateDivergence,
    Drift,
    StaleLockfile,
    StaleReadme,
    /// The coverage report was measured on other sources or inputs.
    StaleCoverage,
    /// A shown code line that no test runs.
    Uncovered,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Directive => "directive",
            Kind::OrphanAnchor => "orphan-anchor",
            Kind::MissingHandler => "missing-handler",
            Kind::UnresolvedCallable => "unresolved-callable",
            Kind::TemplateDivergence => "template-divergence",
            Kind::Drift => "drift",
            Kind::StaleLockfile => "stale-lockfile",
            Kind::StaleReadme => "stale-readme",
            Kind::StaleCoverage => "stale-coverage",
            Kind::Uncovered => "uncovered",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// What `--update` wrote.
    pub updated: Vec<String>,
}

impl Report {
    pub(crate) fn add(&mut self, kind: Kind, diagnostic: Diagnostic) {
        self.findings.push(Finding { kind, diagnostic });
    }

    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            out.push_str(&format!("error[{}] {}\n", f.kind.name(), f.diagnostic));
        }
        for u in &self.updated {
            out.push_str(&format!("updated {u}\n"));
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.kind.name()).or_default() += 1;
        }
        if self.findings.is_empty() {
            out.push_str("check: ok, no problems found\n");
        } else {
            let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            out.push_str(&format!(
                "check: {} problem{} ({})\n",
                self.findings.len(),
                if self.findings.len() == 1 { "" } else { "s" },
                parts.join(", ")
            ));
        }
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct J<'a> {
            ok: bool,
            findings: Vec<JF<'a>>,
            updated: &'a [String],
        }
        #[derive(Serialize)]
        struct JF<'a> {
            kind: &'a str,
            message: &'a str,
            chapter: Option<String>,
            source: Option<String>,
            help: Option<&'a str>,
        }
        let j = J {
            ok: self.is_ok(),
            findings: self
                .findings
                .iter()
                .map(|f| JF {
                    kind: f.kind.name(),
                    message: &f.diagnostic.message,
                    chapter: f.diagnostic.chapter.as_ref().map(ToString::to_string),
                    source: f.diagnostic.source.as_ref().map(ToString::to_string),
                    help: f.diagnostic.help.as_deref(),
                })
                .collect(),
            updated: &self.updated,
        };
        serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Checks the book at `root`; with `update`, rewrites the lockfile and the
/// generated READMEs first, so only real problems remain.
pub fn check(root: &Path, update: bool) -> anyhow::Result<Report> {
    let mut md = mdbook_driver::MDBook::load(root)
        .with_context(|| format!("loading the book at {}", root.display()))?;
    let settings = Settings::from_config(&md.config)?;
    let src_dir = md.config.book.src.to_string_lossy().replace('\\', "/");
    let mut session = Session::new(root, settings.clone(), Target::Html);
    session.record_fingerprints = true;
    run_session(&mut session, &mut md.book, &src_dir);
    let mut report = Report::default();
    for d in session.problems().iter() {
        report.add(Kind::Directive, d.clone());
    }
    orphans(&session, &settings, &mut report);
    let catalog = session.catalog();
    missing_handlers(catalog, &settings, &mut report);
    templates(root, &settings, catalog, &mut report);
    lockfile::lockfile(root, &settings, &session.groups, update, &mut report)?;
    readmes(root, &settings, catalog, update, &mut report)?;
    crate::coverage::check(root, &settings, &session, &mut report)?;
    report.findings.sort_by(|a, b| {
        (a.kind, &a.diagnostic.source, &a.diagnostic.chapter).cmp(&(
            b.kind,
            &b.diagnostic.source,
            &b.diagnostic.chapter,
        ))
    });
    Ok(report)
}

fn orphans(session: &Session, settings: &Settings, report: &mut Report) {
    for lang in &settings.languages {
        for path in language_files(session.root(), &lang.dir, &lang.extension) {
            let opened = session.index.open(&path);
            let Ok(file) = &*opened else { continue };
            if session.shown.is_shown(&path, "") {
                continue;
            }
            let mut names: Vec<_> = file.scan.regions.iter().collect();
            names.sort_by_key(|(_, r)| r.open);
            for (name, region) in names {
                if !session.shown.is_shown(&path, name) {
                    report.add(
                        Kind::OrphanAnchor,
                        Diagnostic::new(format!("anchor `{name}` is shown in no chapter"))
                            .in_source(Location::new(path.clone(), region.open))
                            .help("show it with {{#codetabs …}} or remove the markers"),
                    );
                }
            }
        }
    }
}

/// A handler file (by path stem) that some languages have and others lack.
fn missing_handlers(catalog: &Catalog, settings: &Settings, report: &mut Report) {
    let mut stems: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for lang in &settings.languages {
        let prefix = format!("{}/", lang.dir.trim_end_matches('/'));
        let suffix = format!(".{}", lang.extension);
        let mut seen = BTreeSet::new();
        for def in catalog.handlers(&lang.key) {
            let stem = def
                .path
                .trim_start_matches(&prefix)
                .trim_end_matches(&suffix);
            if seen.insert(stem.to_string()) {
                stems
                    .entry(stem.to_string())
                    .or_default()
                    .push((lang.key.as_str(), def.path.as_str()));
            }
        }
    }
    for (stem, have) in stems {
        if have.len() == settings.languages.len() {
            continue;
        }
        let missing: Vec<String> = settings
            .languages
            .iter()
            .filter(|l| !have.iter().any(|(k, _)| *k == l.key))
            .map(|l| format!("{}/{stem}.{}", l.dir, l.extension))
            .collect();
        report.add(
            Kind::MissingHandler,
            Diagnostic::new(format!(
                "handler `{stem}` is missing in {}",
                missing.join(", ")
            ))
            .in_source(Location::new(have[0].1, 0))
            .help("every handler exists in every language; add the missing files"),
        );
    }
}

fn templates(root: &Path, settings: &Settings, catalog: &Catalog, report: &mut Report) {
    let mut reference: BTreeMap<String, (String, serde_yaml::Value)> = BTreeMap::new();
    for lang in &settings.languages {
        let dir = settings.templates.replace("{lang}", &lang.key);
        for path in crate::book_files::templates(root, &dir) {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
                continue;
            };
            let graph = match workflow_graph::from_yaml(&text) {
                Ok(g) => g,
                Err(e) => {
                    report.add(
                        Kind::UnresolvedCallable,
                        Diagnostic::new(e.message).in_source(Location::new(path, e.line)),
                    );
                    continue;
                }
            };
            for step in &graph.steps {
                let callable = step.callable.as_deref().unwrap_or("");
                if catalog.resolve(&lang.key, callable).is_none() {
                    report.add(
                        Kind::UnresolvedCallable,
                        Diagnostic::new(format!(
                            "step `{}`: callable `{callable}` matches no {} handler",
                            step.name, lang.label
                        ))
                        .in_source(Location::new(path.clone(), step.line)),
                    );
                }
            }
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                continue;
            };
            let value = without_callables(value);
            match reference.get(&name) {
                None => {
                    reference.insert(name.clone(), (path, value));
                }
                Some((ref_path, ref_value)) => {
                    let mut diffs = Vec::new();
                    differences("", ref_value, &value, &mut diffs);
                    if !diffs.is_empty() {
                        let shown: Vec<_> = diffs.iter().take(4).cloned().collect();
                        report.add(
                            Kind::TemplateDivergence,
                            Diagnostic::new(format!(
                                "differs from {ref_path} beyond the callables: {}{}",
                                shown.join("; "),
                                if diffs.len() > 4 {
                                    format!("; and {} more", diffs.len() - 4)
                                } else {
                                    String::new()
                                }
                            ))
                            .in_source(Location::new(path, 0))
                            .help("the languages' templates must describe the same workflow"),
                        );
                    }
                }
            }
        }
    }
}

fn without_callables(mut v: serde_yaml::Value) -> serde_yaml::Value {
    if let Some(steps) = v.get_mut("steps").and_then(|s| s.as_sequence_mut()) {
        for step in steps {
            if let Some(handler) = step.get_mut("handler").and_then(|h| h.as_mapping_mut()) {
                handler.remove("callable");
            }
        }
    }
    v
}

fn differences(at: &str, a: &serde_yaml::Value, b: &serde_yaml::Value, out: &mut Vec<String>) {
    use serde_yaml::Value;
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            for (k, va) in x {
                let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
                let here = if at.is_empty() {
                    key
                } else {
                    format!("{at}.{key}")
                };
                match y.get(k) {
                    Some(vb) => differences(&here, va, vb, out),
                    None => out.push(format!("{here} only in the first")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
                out.push(format!(
                    "{}{key} only here",
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!("{at}.")
                    }
                ));
            }
        }
        (Value::Sequence(x), Value::Sequence(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                differences(&format!("{at}[{i}]"), va, vb, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{at}: {} vs {}", short(a), short(b))),
    }
}

fn short(v: &serde_yaml::Value) -> String {
    let s = serde_yaml::to_string(v).unwrap_or_default();
    let s = s.trim();
    if s.len() > 40 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(40).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s.to_string()
    }
}

fn readmes(
    root: &Path,
    settings: &Settings,
    catalog: &Catalog,
    update: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    for lang in &settings.languages {
        let rel = format!("{}/README.md", lang.dir.trim_end_matches('/'));
        let path = root.join(&rel);
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let table = readme::handler_table(root, settings, lang, catalog);
        let wanted = readme::with_block(&existing, &lang.label, &table);
        if wanted == existing {
            continue;
        }
        if update {
            std::fs::write(&path, &wanted).with_context(|| format!("writing {rel}"))?;
            report.updated.push(rel);
        } else {
            report.add(
                Kind::StaleReadme,
                Diagnostic::new(format!("{rel}: the generated handler table is out of date"))
                    .in_source(Location::new(rel.clone(), 0))
                    .help("run `mdbook-codetabs check --update`"),
            );
        }
    }
    Ok(())
}
