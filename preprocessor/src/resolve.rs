//! Turning a parsed `{{#codetabs}}` directive into a tab group: which
//! languages, which file each one reads, and the snippet cut from it.

use crate::config::{Language, Settings};
use crate::diagnostic::{Diagnostic, Location};
use crate::directive::Directive;
use crate::snippet::Snippet;
use crate::source_index::{OpenError, SourceIndex};

/// Where one language's snippet comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Path stem under the language's folder, or a book-root path with `{lang}`.
    pub path: String,
    /// `None` means the whole file.
    pub anchor: Option<String>,
}

impl Target {
    fn parse(text: &str, usage: &str, at: &Location) -> Result<Target, Diagnostic> {
        match text.rsplit_once(':') {
            Some((p, a)) if !a.is_empty() && !p.is_empty() => Ok(Target {
                path: p.to_string(),
                anchor: Some(a.to_string()),
            }),
            Some(_) => Err(
                Diagnostic::new(format!("`{text}` has an empty path or anchor"))
                    .in_chapter(at.clone())
                    .help(usage),
            ),
            None if text.is_empty() => Err(Diagnostic::new("empty snippet path")
                .in_chapter(at.clone())
                .help(usage)),
            None => Ok(Target {
                path: text.to_string(),
                anchor: None,
            }),
        }
    }
}

/// What a `{{#codetabs}}` asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabRequest {
    /// The target as written, used by every language without an override.
    pub target: Target,
    /// Languages in tab order, each with its own target.
    pub langs: Vec<(String, Target)>,
    pub title: Option<String>,
}

/// One language's panel; the language is borrowed from the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab<'s> {
    pub lang: &'s Language,
    /// Source path relative to the book root.
    pub path: String,
    /// highlight.js language of the fence.
    pub highlight: &'s str,
    pub snippet: Snippet,
    /// The region shown (`None`: the whole file); a language's override may
    /// name another anchor than the group's.
    pub anchor: Option<String>,
    /// How much of it the tests run, when the book has a coverage report.
    pub coverage: Option<crate::coverage::TabCoverage>,
}

/// A resolved tab group, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabGroup<'s> {
    pub title: Option<String>,
    pub anchor: Option<String>,
    pub tabs: Vec<Tab<'s>>,
}

pub const OPTIONS: &[&str] = &["langs", "title", "<language>"];

/// Checks a directive's words and options against the settings.
pub fn request(
    d: &Directive,
    settings: &Settings,
    at: &Location,
) -> Result<TabRequest, Diagnostic> {
    let usage =
        "write {{#codetabs path/to/file_stem:anchor}} or {{#codetabs path/with/{lang}/file.yaml}}";
    let target = match d.positional.as_slice() {
        [one] => one,
        [] => {
            return Err(Diagnostic::new("`{{#codetabs}}` needs a snippet path")
                .in_chapter(at.clone())
                .help(usage))
        }
        more => {
            return Err(Diagnostic::new(format!(
                "`{{{{#codetabs}}}}` takes one snippet path, found {}: {}",
                more.len(),
                more.join(" ")
            ))
            .in_chapter(at.clone())
            .help("quote option values that contain spaces, e.g. title=\"Cart check\""))
        }
    };
    let target = Target::parse(target, usage, at)?;
    let mut langs: Vec<String> = settings.keys().iter().map(|s| s.to_string()).collect();
    let mut title = None;
    let mut overrides: Vec<(String, Target)> = Vec::new();
    for (key, value) in &d.options {
        match key.as_str() {
            "langs" => {
                let wanted: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = wanted.iter().find(|k| settings.language(k).is_none()) {
                    return Err(
                        Diagnostic::new(format!("unknown language `{bad}` in langs="))
                            .in_chapter(at.clone())
                            .help(format!("known languages: {}", settings.keys().join(", "))),
                    );
                }
                if wanted.is_empty() {
                    return Err(Diagnostic::new("langs= names no language").in_chapter(at.clone()));
                }
                // Tabs keep the book's order whatever order langs= lists them in.
                langs.retain(|k| wanted.contains(k));
            }
            "title" => title = Some(value.clone()),
            // `python=other/stem[:anchor]`: one language keeps its file elsewhere.
            lang if settings.language(lang).is_some() => {
                let mut t = Target::parse(value, usage, at)?;
                if t.anchor.is_none() {
                    t.anchor.clone_from(&target.anchor);
                }
                overrides.push((lang.to_string(), t));
            }
            other => {
                return Err(Diagnostic::new(format!("unknown option `{other}=`"))
                    .in_chapter(at.clone())
                    .help(format!("known options: {}", OPTIONS.join(", "))))
            }
        }
    }
    let langs = langs
        .into_iter()
        .map(|key| {
            let t = overrides
                .iter()
                .find(|(k, _)| *k == key)
                .map_or_else(|| target.clone(), |(_, t)| t.clone());
            (key, t)
        })
        .collect();
    Ok(TabRequest {
        target,
        langs,
        title,
    })
}

/// The file a language reads for a target.
pub fn source_path(target: &Target, lang: &Language) -> String {
    if target.path.contains("{lang}") {
        target.path.replace("{lang}", &lang.key)
    } else {
        format!(
            "{}/{}.{}",
            lang.dir.trim_end_matches('/'),
            target.path,
            lang.extension
        )
    }
}

fn highlight_for<'s>(path: &str, lang: &'s Language) -> &'s str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "yaml" | "yml" => "yaml",
        "toml" => "toml",
        "json" => "json",
        "rb" => "ruby",
        "py" => "python",
        "ts" => "typescript",
        "rs" => "rust",
        _ => lang.highlight.as_str(),
    }
}

/// Resolves every language of a request; all problems are returned, not only
/// the first.
pub fn resolve<'s>(
    req: &TabRequest,
    settings: &'s Settings,
    index: &SourceIndex,
    at: &Location,
) -> Result<TabGroup<'s>, Vec<Diagnostic>> {
    let mut tabs = Vec::new();
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    for (key, target) in &req.langs {
        let Some(lang) = settings.language(key) else {
            continue;
        };
        let path = source_path(target, lang);
        let opened = index.open(&path);
        let file = match &*opened {
            Ok(f) => f,
            Err(OpenError::NotFound(p)) => {
                missing.push((lang.clone(), p.clone()));
                continue;
            }
            Err(e) => {
                problems.push(
                    Diagnostic::new(e.to_string())
                        .in_chapter(at.clone())
                        .in_source(Location::new(path.clone(), open_error_line(e))),
                );
                continue;
            }
        };
        let mut file_ok = true;
        for p in &file.scan.problems {
            file_ok = false;
            problems.push(
                Diagnostic::new(p.message.clone())
                    .in_chapter(at.clone())
                    .in_source(Location::new(file.rel_path.clone(), p.line))
                    .help(p.help),
            );
        }
        if !file_ok {
            continue;
        }
        let snippet = match &target.anchor {
            Some(anchor) => match file.region(anchor) {
                Some(region) => file.anchored(region).ok_or_else(|| {
                    Diagnostic::new(format!("anchor `{anchor}` is empty"))
                        .in_chapter(at.clone())
                        .in_source(Location::new(file.rel_path.clone(), region.open))
                        .help("put code between ANCHOR and ANCHOR_END, or remove the anchor")
                }),
                None => {
                    let names = file.anchor_names();
                    Err(Diagnostic::new(format!(
                        "anchor `{anchor}` not found in {} ({})",
                        file.rel_path, lang.label
                    ))
                    .in_chapter(at.clone())
                    .in_source(Location::new(file.rel_path.clone(), 1))
                    .help(if names.is_empty() {
                        "that file has no anchors; add `ANCHOR:`/`ANCHOR_END:` comments".to_string()
                    } else {
                        format!("anchors in that file: {}", names.join(", "))
                    }))
                }
            },
            None => file.whole().ok_or_else(|| {
                Diagnostic::new(format!("`{}` is empty", file.rel_path))
                    .in_chapter(at.clone())
                    .in_source(Location::new(file.rel_path.clone(), 1))
            }),
        };
        match snippet {
            Ok(snippet) => tabs.push(Tab {
                highlight: highlight_for(&path, lang),
                lang,
                path: file.rel_path.clone(),
                snippet,
                anchor: target.anchor.clone(),
                coverage: None,
            }),
            Err(d) => problems.push(d),
        }
    }
    let found_any = !tabs.is_empty() || req.langs.len() > missing.len();
    for (lang, path) in missing {
        let d = if found_any {
            Diagnostic::new(format!(
                "{} is missing from this tab group: `{path}` does not exist",
                lang.label
            ))
            .help(format!(
                "add the {} file, or restrict the group with langs= (e.g. langs={})",
                lang.label,
                req.langs
                    .iter()
                    .map(|(k, _)| k.clone())
                    .filter(|k| *k != lang.key)
                    .collect::<Vec<_>>()
                    .join(",")
            ))
        } else {
            Diagnostic::new(format!("source file `{path}` does not exist ({})", lang.label))
                .help("check the path: it is relative to each language's folder (book.toml [preprocessor.codetabs])")
        };
        problems.push(d.in_chapter(at.clone()).in_source(Location::new(path, 0)));
    }
    if problems.is_empty() {
        Ok(TabGroup {
            title: req.title.clone(),
            anchor: req.target.anchor.clone(),
            tabs,
        })
    } else {
        Err(problems)
    }
}

pub fn open_error_line(e: &OpenError) -> usize {
    match e {
        OpenError::NotUtf8 { line, .. } => *line,
        _ => 0,
    }
}
