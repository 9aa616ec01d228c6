//! Drift: `codetabs.lock` records a fingerprint of every snippet the book
//! shows, per language; a snippet that changed in some languages but not in
//! the others since the last `check --update` is reported, because the
//! other languages may need the same change.

use crate::check::{Kind, Report};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Location};
use crate::preprocessor::GroupRecord;
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

type Lock = BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>;

pub fn lockfile(
    root: &Path,
    settings: &Settings,
    groups: &[GroupRecord],
    update: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    let path = root.join(&settings.lockfile);
    let mut current: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut first_at: BTreeMap<String, Location> = BTreeMap::new();
    for g in groups {
        let entry = current.entry(g.key.clone()).or_default();
        for (lang, fp) in &g.fingerprints {
            entry.insert(lang.clone(), fp.clone());
        }
        first_at
            .entry(g.key.clone())
            .or_insert_with(|| g.at.clone());
    }
    if update {
        let mut lock: Lock = BTreeMap::new();
        lock.insert("snippets".into(), current);
        let text = format!(
            "# Fingerprints of every snippet the book shows, per language. Written by\n# `mdbook-codetabs check --update`; `check` reports a snippet that changed in\n# some languages but not in the others (drift).\n{}",
            toml::to_string(&lock)?
        );
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        report.updated.push(settings.lockfile.clone());
        return Ok(());
    }
    let recorded: BTreeMap<String, BTreeMap<String, String>> = match std::fs::read_to_string(&path)
    {
        Ok(text) => {
            let lock: Lock =
                toml::from_str(&text).with_context(|| format!("reading {}", settings.lockfile))?;
            lock.get("snippets").cloned().unwrap_or_default()
        }
        Err(_) => {
            report.add(
                Kind::StaleLockfile,
                Diagnostic::new(format!("{} does not exist", settings.lockfile))
                    .help("run `mdbook-codetabs check --update` to record the snippets"),
            );
            return Ok(());
        }
    };
    for (key, langs) in &current {
        let at = first_at.get(key).cloned();
        let Some(before) = recorded.get(key) else {
            let d = Diagnostic::new(format!("`{key}` is not in {}", settings.lockfile))
                .help("run `mdbook-codetabs check --update` after reviewing it");
            report.add(Kind::StaleLockfile, with_chapter(d, at));
            continue;
        };
        let changed: Vec<&str> = langs
            .iter()
            .filter(|(l, fp)| before.get(*l) != Some(*fp))
            .map(|(l, _)| {
                settings
                    .language(l)
                    .map_or(l.as_str(), |x| x.label.as_str())
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        if changed.len() < langs.len() {
            let same: Vec<&str> = langs
                .keys()
                .filter_map(|l| settings.language(l).map(|x| x.label.as_str()))
                .filter(|l| !changed.contains(l))
                .collect();
            let d = Diagnostic::new(format!(
                "`{key}` changed in {} but not in {} since the last --update",
                changed.join(", "),
                same.join(", ")
            ))
            .help("bring the other languages along, or run `mdbook-codetabs check --update` if they need no change");
            report.add(Kind::Drift, with_chapter(d, at));
        } else {
            let d = Diagnostic::new(format!(
                "`{key}` changed in every language since the last --update"
            ))
            .help("run `mdbook-codetabs check --update` to record it");
            report.add(Kind::StaleLockfile, with_chapter(d, at));
        }
    }
    for key in recorded.keys().filter(|k| !current.contains_key(*k)) {
        report.add(
            Kind::StaleLockfile,
            Diagnostic::new(format!(
                "`{key}` is in {} but no chapter shows it any more",
                settings.lockfile
            ))
            .help("run `mdbook-codetabs check --update`"),
        );
    }
    Ok(())
}

fn with_chapter(d: Diagnostic, at: Option<Location>) -> Diagnostic {
    match at {
        Some(at) => d.in_chapter(at),
        None => d,
    }
}
