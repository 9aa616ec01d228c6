//! Line coverage of the code the book shows.
//!
//! Each language's own tool measures which lines of the handler files its
//! test suite runs and writes LCOV (`DA:<line>,<count>`, one record per file;
//! `scripts/coverage` drives them). `mdbook-codetabs coverage` maps those
//! lines onto exactly the lines each tab shows (its first to last line,
//! marker lines of nested regions left out) and writes the figures to a
//! committed report, with a fingerprint of every source file and input folder
//! it was measured on. The book reads that report once per build to label
//! each tab; `check` proves it fresh and fails on a shown line no test runs.
//!
//! "Executable" is whatever the language's tool counts as a line (an LCOV `DA`
//! record): lines it does not list (blank lines, comments, `end`, a lone `}`
//! in some languages) are not counted at all. A reviewed list of lines that
//! truly cannot run, each with its reason, takes them out of the figure.

use crate::check::{Kind, Report as CheckReport};
use crate::config::{CoverageSettings, Language, Settings};
use crate::diagnostic::{Diagnostic, Location};
use crate::preprocessor::{fingerprint, run_session, Session, ShownTab};
use crate::render::Target;
use crate::source_index::SourceIndex;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Per file (book-relative path): line → execution count, as the tool measured it.
pub type Measured = BTreeMap<String, BTreeMap<usize, u64>>;

/// The committed report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Fingerprints of what the measurement depended on besides the sources:
    /// each input folder, and the exclusion list.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// Fingerprint of every source file a figure was measured on.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Per shown region, keyed `path#anchor` (`path` for a whole file).
    #[serde(default)]
    pub snippets: BTreeMap<String, Figure>,
}

/// What the tests ran of one shown region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The shown source lines, `first-last`.
    pub lines: String,
    /// Shown lines the tool counts as code, less those that cannot run.
    pub code: usize,
    /// How many of those the tests ran.
    pub run: usize,
    /// The shown code lines no test ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncovered: Vec<usize>,
    /// Shown code lines on the exclusion list (they cannot run).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_coverable: Vec<usize>,
}

/// A reviewed line that cannot run, from the exclusion list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Book-relative source path.
    pub file: String,
    /// The line's text without its indentation: survives edits that move it.
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExclusionFile {
    #[serde(default)]
    line: Vec<Exclusion>,
}

/// What a tab shows of its coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabCoverage {
    Measured {
        code: usize,
        run: usize,
        not_coverable: usize,
    },
    /// The file or the region changed since the report was written.
    Stale,
}

impl TabCoverage {
    /// The words under a tab, e.g. "all 41 code lines run by the tests".
    pub fn label(self) -> String {
        match self {
            TabCoverage::Stale => {
                "lines run by the tests: not measured since this code changed".to_string()
            }
            TabCoverage::Measured {
                code,
                run,
                not_coverable,
            } => {
                let mut text = match (code, run) {
                    (0, _) => "declarations only: no code lines to run".to_string(),
                    (1, 1) => "its one code line run by the tests".to_string(),
                    (c, r) if c == r => format!("all {c} code lines run by the tests"),
                    (c, r) => format!("{r} of {c} code lines run by the tests"),
                };
                if not_coverable > 0 {
                    text.push_str(&format!(
                        ", {not_coverable} more that cannot run ({})",
                        if not_coverable == 1 {
                            "listed"
                        } else {
                            "all listed"
                        }
                    ));
                }
                text
            }
        }
    }
}

/// The report key of a shown region.
pub fn key(path: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{path}#{a}"),
        None => path.to_string(),
    }
}

/// Whether a tab shows a language's own source (a template or data file is
/// no code any tool measures).
pub fn is_code(path: &str, lang: &Language) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| ext == lang.extension)
}

/// Reads the report named in the settings; `Ok(None)` when there is none yet.
pub fn load(root: &Path, cov: &CoverageSettings) -> Result<Option<Report>, Diagnostic> {
    let text = match std::fs::read_to_string(root.join(&cov.report)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::new(format!("cannot read {}: {e}", cov.report))
                .in_source(Location::new(&cov.report, 0)))
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        Diagnostic::new(format!(
            "{} is not a coverage report: {}",
            cov.report,
            e.message()
        ))
        .in_source(Location::new(&cov.report, line))
        .help(format!("measure again: {}", cov.command))
    })
}

impl Report {
    /// The figure for a tab, if its code is measured: stale when the file's
    /// fingerprint or the shown lines differ from what was measured.
    pub fn for_tab(
        &self,
        index: &SourceIndex,
        path: &str,
        anchor: Option<&str>,
        lines: (usize, usize),
    ) -> TabCoverage {
        let Some(figure) = self.snippets.get(&key(path, anchor)) else {
            return TabCoverage::Stale;
        };
        let opened = index.open(path);
        let fresh = match &*opened {
            Ok(file) => self.files.get(path) == Some(&fingerprint(&file.text())),
            Err(_) => false,
        };
        if !fresh || figure.lines != line_range(lines) {
            return TabCoverage::Stale;
        }
        TabCoverage::Measured {
            code: figure.code,
            run: figure.run,
            not_coverable: figure.not_coverable.len(),
        }
    }
}

fn line_range((first, last): (usize, usize)) -> String {
    format!("{first}-{last}")
}

/// The figure of one shown region: of the lines `first..=last` that the tool
/// counts, leaving out marker lines (nested regions' markers are not shown)
/// and the reviewed lines that cannot run.
pub fn figure(
    measured: &BTreeMap<usize, u64>,
    lines: (usize, usize),
    markers: &[usize],
    cannot_run: &BTreeSet<usize>,
) -> Figure {
    let mut out = Figure {
        lines: line_range(lines),
        ..Figure::default()
    };
    for (&line, &count) in measured.range(lines.0..=lines.1) {
        if markers.binary_search(&line).is_ok() {
            continue;
        }
        if cannot_run.contains(&line) {
            out.not_coverable.push(line);
            continue;
        }
        out.code += 1;
        if count > 0 {
            out.run += 1;
        } else {
            out.uncovered.push(line);
        }
    }
    out
}

/// Parses LCOV line records. Relative `SF:` paths are taken from `base`
/// (book-relative; coverage.py writes them relative to where it ran),
/// absolute ones must lie under `root`. Only `SF`, `DA` and `end_of_record`
/// matter; every other record is skipped.
pub fn parse_lcov(
    text: &str,
    origin: &str,
    root: &Path,
    base: &str,
) -> Result<Measured, Diagnostic> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out = Measured::new();
    let mut current: Option<String> = None;
    let bad = |n: usize, what: String| {
        Diagnostic::new(format!("{origin}: {what}")).in_source(Location::new(origin, n + 1))
    };
    for (n, line) in text.lines().enumerate() {
        if let Some(path) = line.strip_prefix("SF:") {
            let p = Path::new(path);
            let rel = if p.is_absolute() {
                let under = p
                    .strip_prefix(&canonical)
                    .or_else(|_| p.strip_prefix(root))
                    .map_err(|_| bad(n, format!("`{path}` is outside the book root")))?;
                under.to_string_lossy().replace('\\', "/")
            } else {
                format!(
                    "{}/{}",
                    base.trim_end_matches('/'),
                    path.trim_start_matches("./")
                )
            };
            out.entry(rel.clone()).or_default();
            current = Some(rel);
        } else if let Some(rest) = line.strip_prefix("DA:") {
            let file = current
                .as_ref()
                .ok_or_else(|| bad(n, "a DA record before any SF record".to_string()))?;
            let mut fields = rest.split(',');
            let (Some(l), Some(c)) = (fields.next(), fields.next()) else {
                return Err(bad(n, format!("`{line}` is not DA:<line>,<count>")));
            };
            let (Ok(l), Ok(c)) = (l.trim().parse::<usize>(), c.trim().parse::<u64>()) else {
                return Err(bad(n, format!("`{line}` is not DA:<line>,<count>")));
            };
            // Two records for a line (generic code, or a file in several
            // binaries) mean it ran if either ran.
            *out.entry(file.clone()).or_default().entry(l).or_default() += c;
        } else if line.trim() == "end_of_record" {
            current = None;
        }
    }
    Ok(out)
}

/// Reads the exclusion list; a missing file is an empty list.
pub fn exclusions(root: &Path, cov: &CoverageSettings) -> Result<Vec<Exclusion>, Diagnostic> {
    let Some(rel) = &cov.exclusions else {
        return Ok(Vec::new());
    };
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Diagnostic::new(format!("cannot read {rel}: {e}"))),
    };
    let file: ExclusionFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        Diagnostic::new(format!("{rel}: {}", e.message())).in_source(Location::new(rel, line))
    })?;
    for x in &file.line {
        if x.reason.trim().is_empty() || x.text.trim().is_empty() {
            return Err(Diagnostic::new(format!(
                "{rel}: the exclusion of `{}` in {} needs both its text and its reason",
                x.text, x.file
            ))
            .in_source(Location::new(rel, 0)));
        }
    }
    Ok(file.line)
}

/// A fingerprint of every file under a folder (paths and contents), so that
/// a changed, added or removed file changes it.
pub fn folder_fingerprint(root: &Path, dir: &str) -> String {
    let files = crate::book_files::Walk {
        skip_dirs: &[],
        max_depth: usize::MAX,
        extensions: &[],
    }
    .files(root, dir);
    let mut all = String::new();
    for f in files {
        let bytes = std::fs::read(root.join(&f)).unwrap_or_default();
        all.push_str(&f);
        all.push('\0');
        all.push_str(&String::from_utf8_lossy(&bytes));
        all.push('\0');
    }
    fingerprint(&all)
}

fn input_fingerprints(root: &Path, cov: &CoverageSettings) -> BTreeMap<String, String> {
    let mut inputs: BTreeMap<String, String> = cov
        .inputs
        .iter()
        .map(|dir| (dir.clone(), folder_fingerprint(root, dir)))
        .collect();
    if let Some(rel) = &cov.exclusions {
        let text = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        inputs.insert(rel.clone(), fingerprint(&text));
    }
    inputs
}

/// Every code region the book shows, once each (a region shown in two
/// chapters is one entry), with the settings' language.
fn shown_code<'s>(session: &Session, settings: &'s Settings) -> Vec<(&'s Language, ShownTab)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for group in &session.groups {
        for tab in &group.tabs {
            let Some(lang) = settings.language(&tab.lang) else {
                continue;
            };
            if is_code(&tab.path, lang) && seen.insert(key(&tab.path, tab.anchor.as_deref())) {
                out.push((lang, tab.clone()));
            }
        }
    }
    out
}

/// A file's marker lines (sorted), the lines its exclusions name, and its
/// fingerprint.
fn file_facts(
    index: &SourceIndex,
    path: &str,
    excluded: &[Exclusion],
) -> Option<(Vec<usize>, BTreeSet<usize>, String)> {
    let opened = index.open(path);
    let file = opened.as_ref().as_ref().ok()?;
    let texts: Vec<&str> = excluded
        .iter()
        .filter(|x| x.file == path)
        .map(|x| x.text.trim())
        .collect();
    let cannot_run = file
        .lines()
        .enumerate()
        .filter(|(_, l)| texts.contains(&l.trim()))
        .map(|(i, _)| i + 1)
        .collect();
    Some((
        file.scan.marker_lines.clone(),
        cannot_run,
        fingerprint(&file.text()),
    ))
}

fn book_session(root: &Path) -> anyhow::Result<(Session, Settings, CoverageSettings)> {
    let mut md = mdbook_driver::MDBook::load(root)
        .with_context(|| format!("loading the book at {}", root.display()))?;
    let settings = Settings::from_config(&md.config)?;
    let Some(cov) = settings.coverage.clone() else {
        anyhow::bail!(
            "book.toml has no [preprocessor.codetabs.coverage] table: say where the report goes (report = \"coverage.lock\")"
        );
    };
    let src_dir = md.config.book.src.to_string_lossy().replace('\\', "/");
    let mut session = Session::new(root, settings.clone(), Target::Html);
    session.record_fingerprints = true;
    run_session(&mut session, &mut md.book, &src_dir);
    if let Some(p) = session.problems().iter().next() {
        anyhow::bail!("the book does not build: {p}");
    }
    Ok((session, settings, cov))
}

/// What `mdbook-codetabs coverage` measured.
pub struct Measurement {
    pub report: Report,
    /// Per language label: (code lines shown, run).
    pub totals: Vec<(String, usize, usize)>,
    /// Human-readable report, one line per region and per uncovered line.
    pub text: String,
}

impl Measurement {
    pub fn complete(&self) -> bool {
        self.report
            .snippets
            .values()
            .all(|f| f.uncovered.is_empty())
    }
}

/// Maps the LCOV files (`(language key, path)`) onto the regions the book at
/// `root` shows and writes the report named in book.toml.
pub fn measure(root: &Path, lcov: &[(String, String)]) -> anyhow::Result<Measurement> {
    let (session, settings, cov) = book_session(root)?;
    let mut measured = Measured::new();
    for (lang_key, path) in lcov {
        let lang = settings
            .language(lang_key)
            .ok_or_else(|| anyhow::anyhow!("--lcov {lang_key}=…: no such language in book.toml"))?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the LCOV file {path}"))?;
        let got = parse_lcov(&text, path, root, &lang.dir).map_err(|d| anyhow::anyhow!("{d}"))?;
        for (file, lines) in got {
            let into = measured.entry(file).or_default();
            for (l, c) in lines {
                *into.entry(l).or_default() += c;
            }
        }
    }
    let excluded = exclusions(root, &cov).map_err(|d| anyhow::anyhow!("{d}"))?;
    let mut report = Report {
        inputs: input_fingerprints(root, &cov),
        ..Report::default()
    };
    let mut totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut text = String::new();
    let mut missing = Vec::new();
    let mut ran_anyway = Vec::new();
    for (lang, tab) in shown_code(&session, &settings) {
        let Some(lines) = measured.get(&tab.path) else {
            missing.push(format!("{} ({})", tab.path, lang.label));
            continue;
        };
        let Some((markers, cannot_run, fp)) = file_facts(&session.index, &tab.path, &excluded)
        else {
            continue;
        };
        // A line listed as impossible to run that did run is a wrong entry.
        for line in cannot_run.range(tab.first_line..=tab.last_line) {
            if lines.get(line).is_some_and(|count| *count > 0) {
                ran_anyway.push(format!("{}:{line}", tab.path));
            }
        }
        let f = figure(
            lines,
            (tab.first_line, tab.last_line),
            &markers,
            &cannot_run,
        );
        let k = key(&tab.path, tab.anchor.as_deref());
        text.push_str(&format!(
            "{:<10} {k} lines {}: {} of {} code lines run{}\n",
            lang.label,
            f.lines,
            f.run,
            f.code,
            if f.not_coverable.is_empty() {
                String::new()
            } else {
                format!(", {} not coverable", f.not_coverable.len())
            }
        ));
        for l in &f.uncovered {
            text.push_str(&format!("    not run: {}:{l}\n", tab.path));
        }
        let t = totals.entry(lang.label.clone()).or_default();
        t.0 += f.code;
        t.1 += f.run;
        report.files.insert(tab.path.clone(), fp);
        report.snippets.insert(k, f);
    }
    if !missing.is_empty() {
        anyhow::bail!(
            "no coverage data for {}: no test loaded these files, or their language's LCOV was not given",
            missing.join(", ")
        );
    }
    if !ran_anyway.is_empty() {
        ran_anyway.sort();
        ran_anyway.dedup();
        anyhow::bail!(
            "listed as lines that cannot run, but the tests ran them: {}; take them off {}",
            ran_anyway.join(", "),
            cov.exclusions.as_deref().unwrap_or("the exclusion list")
        );
    }
    let body = toml::to_string(&report)?;
    let out = format!(
        "# Which shown lines the tests run, per snippet the book shows, measured by\n# each language's own coverage tool. Written by `{}`; `check` fails\n# when a file changed since (stale) or a shown code line is not run.\n{body}",
        cov.command
    );
    std::fs::write(root.join(&cov.report), out)
        .with_context(|| format!("writing {}", cov.report))?;
    Ok(Measurement {
        report,
        totals: totals.into_iter().map(|(l, (c, r))| (l, c, r)).collect(),
        text,
    })
}

/// `check`: the report exists, was measured on today's sources and inputs,
/// covers every code region shown, and no shown code line goes unrun.
pub fn check(
    root: &Path,
    settings: &Settings,
    session: &Session,
    report: &mut CheckReport,
) -> anyhow::Result<()> {
    let Some(cov) = &settings.coverage else {
        return Ok(());
    };
    let again = format!(
        "measure again with `{}` and commit {}",
        cov.command, cov.report
    );
    let stale = |report: &mut CheckReport, d: Diagnostic| {
        report.add(Kind::StaleCoverage, d.help(again.clone()));
    };
    let recorded = match load(root, cov) {
        Ok(Some(r)) => r,
        Ok(None) => {
            stale(
                report,
                Diagnostic::new(format!("{} does not exist", cov.report)),
            );
            return Ok(());
        }
        Err(d) => {
            stale(report, d);
            return Ok(());
        }
    };
    let excluded = match exclusions(root, cov) {
        Ok(x) => x,
        Err(d) => {
            report.add(Kind::StaleCoverage, d);
            Vec::new()
        }
    };
    for (name, fp) in input_fingerprints(root, cov) {
        if recorded.inputs.get(&name) != Some(&fp) {
            stale(
                report,
                Diagnostic::new(format!(
                    "{name} changed since the coverage in {} was measured",
                    cov.report
                ))
                .in_source(Location::new(&name, 0)),
            );
        }
    }
    let mut shown = BTreeSet::new();
    let mut stale_files = BTreeSet::new();
    for (lang, tab) in shown_code(session, settings) {
        let k = key(&tab.path, tab.anchor.as_deref());
        shown.insert(k.clone());
        let Some((_, _, fp)) = file_facts(&session.index, &tab.path, &excluded) else {
            continue;
        };
        let Some(figure) = recorded.snippets.get(&k) else {
            stale(
                report,
                Diagnostic::new(format!(
                    "`{k}` ({}) is shown but not in {}",
                    lang.label, cov.report
                ))
                .in_source(Location::new(&tab.path, tab.first_line)),
            );
            continue;
        };
        if recorded.files.get(&tab.path) != Some(&fp) {
            if stale_files.insert(tab.path.clone()) {
                stale(
                    report,
                    Diagnostic::new(format!(
                        "{} changed since its coverage in {} was measured",
                        tab.path, cov.report
                    ))
                    .in_source(Location::new(&tab.path, 0)),
                );
            }
            continue;
        }
        let lines = line_range((tab.first_line, tab.last_line));
        if figure.lines != lines {
            stale(
                report,
                Diagnostic::new(format!(
                    "`{k}` now shows lines {lines}, {} measured {}",
                    cov.report, figure.lines
                ))
                .in_source(Location::new(&tab.path, tab.first_line)),
            );
            continue;
        }
        for &line in &figure.uncovered {
            report.add(
                Kind::Uncovered,
                Diagnostic::new(format!(
                    "shown in `{k}` ({}), but no test runs this line",
                    lang.label
                ))
                .in_source(Location::new(&tab.path, line))
                .help("add a vector that reaches it (handlers/README.md), take it out of the shown region, or, if it truly cannot run, list it with its reason in the exclusions"),
            );
        }
    }
    for k in recorded.snippets.keys().filter(|k| !shown.contains(*k)) {
        stale(
            report,
            Diagnostic::new(format!(
                "`{k}` is in {} but no chapter shows it any more",
                cov.report
            )),
        );
    }
    for x in &excluded {
        let opened = session.index.open(&x.file);
        let found = match &*opened {
            Ok(file) => file.lines().any(|l| l.trim() == x.text.trim()),
            Err(_) => false,
        };
        if !found {
            report.add(
                Kind::StaleCoverage,
                Diagnostic::new(format!(
                    "the exclusion `{}` matches no line of {}",
                    x.text, x.file
                ))
                .in_source(Location::new(cov.exclusions.as_deref().unwrap_or(""), 0))
                .help("remove it from the list, or correct its text"),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pairs: &[(usize, u64)]) -> BTreeMap<usize, u64> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn a_region_counts_only_its_own_code_lines() {
        // Lines 1 and 9 lie outside the region; 4 and 7 are the markers of a
        // nested region (a tool may still list a comment line, as esbuild's
        // map can); 5 never ran.
        let measured = lines(&[
            (1, 3),
            (3, 2),
            (4, 1),
            (5, 0),
            (6, 2),
            (7, 1),
            (8, 1),
            (9, 0),
        ]);
        let f = figure(&measured, (2, 8), &[4, 7], &BTreeSet::new());
        assert_eq!(f.lines, "2-8");
        assert_eq!((f.code, f.run), (4, 3));
        assert_eq!(f.uncovered, vec![5]);
        assert_eq!(
            TabCoverage::Measured {
                code: f.code,
                run: f.run,
                not_coverable: 0
            }
            .label(),
            "3 of 4 code lines run by the tests"
        );
    }

    #[test]
    fn lines_that_cannot_run_leave_the_figure() {
        let measured = lines(&[(2, 1), (3, 0), (4, 1)]);
        let f = figure(&measured, (2, 4), &[], &BTreeSet::from([3]));
        assert_eq!((f.code, f.run, f.not_coverable.clone()), (2, 2, vec![3]));
        let label = TabCoverage::Measured {
            code: 2,
            run: 2,
            not_coverable: 1,
        }
        .label();
        assert_eq!(
            label,
            "all 2 code lines run by the tests, 1 more that cannot run (listed)"
        );
    }

    #[test]
    fn labels_say_all_some_one_or_none() {
        let m = |code, run| {
            TabCoverage::Measured {
                code,
                run,
                not_coverable: 0,
            }
            .label()
        };
        assert_eq!(m(41, 41), "all 41 code lines run by the tests");
        assert_eq!(m(41, 39), "39 of 41 code lines run by the tests");
        assert_eq!(m(1, 1), "its one code line run by the tests");
        assert_eq!(m(0, 0), "declarations only: no code lines to run");
        assert!(TabCoverage::Stale.label().contains("not measured"));
    }

    #[test]
    fn lcov_paths_resolve_against_the_language_folder_or_the_root() {
        let root = Path::new("/book");
        let text = "TN:\nSF:pkg/a.py\nDA:3,1\nDA:4,0\nend_of_record\nSF:/book/handlers/rust/b.rs\nDA:7,2\nDA:7,0\nLF:1\nend_of_record\n";
        let got = parse_lcov(text, "py.lcov", root, "handlers/python").expect("parses");
        assert_eq!(got["handlers/python/pkg/a.py"], lines(&[(3, 1), (4, 0)]));
        assert_eq!(got["handlers/rust/b.rs"], lines(&[(7, 2)]));
    }

    #[test]
    fn broken_lcov_names_its_line() {
        let root = Path::new("/book");
        let err = parse_lcov("SF:a.py\nDA:x,1\n", "py.lcov", root, "h").expect_err("bad DA");
        assert_eq!(err.source, Some(Location::new("py.lcov", 2)));
        let err = parse_lcov("SF:/elsewhere/a.py\n", "py.lcov", root, "h").expect_err("outside");
        assert!(
            err.message.contains("outside the book root"),
            "{}",
            err.message
        );
    }
}
