//! `[preprocessor.codetabs]` in book.toml: which languages, in what order,
//! where their files live.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One language's tab.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Key used in `langs=` and `{lang}` (e.g. `python`).
    #[serde(skip)]
    pub key: String,
    /// Tab label (e.g. `Python`).
    pub label: String,
    /// Folder, relative to the book root, that a snippet path is taken from.
    pub dir: String,
    /// File extension appended to a snippet path (no dot).
    pub extension: String,
    /// highlight.js language of the fence.
    pub highlight: String,
}

/// The whole table, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Languages in tab order.
    pub languages: Vec<Language>,
    /// Link template for "view source": `{path}`, `{start}`, `{end}`.
    pub source_url: Option<String>,
    /// Folder of each language's task templates, with `{lang}`.
    pub templates: String,
    /// Where `check` records snippet fingerprints (book-relative).
    pub lockfile: String,
    /// Line coverage of the shown code: `None` shows no figures and checks none.
    pub coverage: Option<CoverageSettings>,
    /// mdBook's `output.html.code.hidelines`: per highlight.js language, the
    /// prefix of the lines its HTML renderer hides (Rust's `# ` is built in).
    pub hidelines: BTreeMap<String, String>,
}

/// `[preprocessor.codetabs.coverage]`: the measured report the book shows
/// and `check` holds fresh (see [`crate::coverage`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageSettings {
    /// The committed report (book-relative), written by `mdbook-codetabs coverage`.
    pub report: String,
    /// Reviewed lines that cannot run, each with its reason (book-relative TOML).
    #[serde(default)]
    pub exclusions: Option<String>,
    /// Folders the measurement also depends on (the test vectors): a change
    /// in any file under them makes the report stale, as a changed source does.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// The command that measures again, named in every staleness message.
    #[serde(default = "default_coverage_command")]
    pub command: String,
}

fn default_coverage_command() -> String {
    "mdbook-codetabs coverage".to_string()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSettings {
    languages: Option<Vec<String>>,
    language: Option<BTreeMap<String, Language>>,
    source_url: Option<String>,
    templates: Option<String>,
    lockfile: Option<String>,
    coverage: Option<CoverageSettings>,
    // Read by the GitBook export, not by the preprocessor.
    #[allow(dead_code)]
    gitbook_exclude: Option<toml_value::Any>,
    // mdBook's own keys for every preprocessor table.
    #[allow(dead_code)]
    command: Option<toml_value::Any>,
    #[allow(dead_code)]
    before: Option<toml_value::Any>,
    #[allow(dead_code)]
    after: Option<toml_value::Any>,
    #[allow(dead_code)]
    renderers: Option<toml_value::Any>,
    #[allow(dead_code)]
    optional: Option<toml_value::Any>,
}

mod toml_value {
    /// Accepts any value: we only need mdBook's keys to be allowed, not read.
    #[derive(Debug)]
    pub struct Any;
    impl<'de> serde::Deserialize<'de> for Any {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| Any)
        }
    }
}

fn builtin(key: &str) -> Option<Language> {
    let (label, ext, hl) = match key {
        "ruby" => ("Ruby", "rb", "ruby"),
        "python" => ("Python", "py", "python"),
        "typescript" => ("TypeScript", "ts", "typescript"),
        "rust" => ("Rust", "rs", "rust"),
        _ => return None,
    };
    Some(Language {
        key: key.to_string(),
        label: label.to_string(),
        dir: format!("handlers/{key}"),
        extension: ext.to_string(),
        highlight: hl.to_string(),
    })
}

pub const DEFAULT_ORDER: &[&str] = &["ruby", "python", "typescript", "rust"];
pub const DEFAULT_TEMPLATES: &str = "handlers/templates/{lang}";
pub const DEFAULT_LOCKFILE: &str = "codetabs.lock";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            languages: DEFAULT_ORDER.iter().filter_map(|k| builtin(k)).collect(),
            source_url: None,
            templates: DEFAULT_TEMPLATES.to_string(),
            lockfile: DEFAULT_LOCKFILE.to_string(),
            coverage: None,
            hidelines: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Reads `preprocessor.codetabs` from the book config.
    pub fn from_config(config: &mdbook_preprocessor::config::Config) -> anyhow::Result<Self> {
        let raw: RawSettings = config
            .get("preprocessor.codetabs")
            .map_err(|e| anyhow::anyhow!("book.toml [preprocessor.codetabs]: {e:#}"))?
            .unwrap_or_default();
        let hidelines = config
            .get("output.html.code.hidelines")
            .map_err(|e| anyhow::anyhow!("book.toml [output.html.code.hidelines]: {e:#}"))?
            .unwrap_or_default();
        Ok(Settings {
            hidelines,
            ..Self::from_raw(raw)?
        })
    }

    fn from_raw(raw: RawSettings) -> anyhow::Result<Self> {
        let custom = raw.language.unwrap_or_default();
        let order: Vec<String> = raw
            .languages
            .unwrap_or_else(|| DEFAULT_ORDER.iter().map(|s| s.to_string()).collect());
        let mut languages = Vec::new();
        for key in order {
            // The key becomes an id suffix and a class in a fence's info string.
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                anyhow::bail!(
                    "book.toml [preprocessor.codetabs]: language key `{key}` may hold only \
                     lowercase letters, digits, `-` and `_`"
                );
            }
            let lang = match custom.get(&key) {
                Some(l) => Language {
                    key: key.clone(),
                    ..l.clone()
                },
                None => builtin(&key).ok_or_else(|| {
                    anyhow::anyhow!(
                        "book.toml [preprocessor.codetabs]: language `{key}` has no built-in \
                         settings; add [preprocessor.codetabs.language.{key}] with label, dir, \
                         extension and highlight"
                    )
                })?,
            };
            if languages.iter().any(|l: &Language| l.key == key) {
                anyhow::bail!(
                    "book.toml [preprocessor.codetabs]: language `{key}` is listed twice"
                );
            }
            languages.push(lang);
        }
        if languages.is_empty() {
            anyhow::bail!("book.toml [preprocessor.codetabs]: `languages` is empty");
        }
        Ok(Settings {
            languages,
            source_url: raw.source_url,
            templates: raw
                .templates
                .unwrap_or_else(|| DEFAULT_TEMPLATES.to_string()),
            lockfile: raw.lockfile.unwrap_or_else(|| DEFAULT_LOCKFILE.to_string()),
            coverage: raw.coverage,
            hidelines: BTreeMap::new(),
        })
    }

    pub fn language(&self, key: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.key == key)
    }

    pub fn keys(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.key.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> anyhow::Result<Settings> {
        let raw: RawSettings = toml::from_str(toml_text)?;
        Settings::from_raw(raw)
    }

    #[test]
    fn defaults_to_four_languages_in_book_order() {
        let s = parse("command = 'x'\nbefore = ['links']").expect("parses");
        assert_eq!(s.keys(), vec!["ruby", "python", "typescript", "rust"]);
        assert_eq!(
            s.language("typescript").map(|l| l.extension.as_str()),
            Some("ts")
        );
    }

    #[test]
    fn order_and_custom_language() {
        let s = parse(
            "languages = ['go', 'rust']\n[language.go]\nlabel='Go'\ndir='h/go'\nextension='go'\nhighlight='go'",
        )
        .expect("parses");
        assert_eq!(s.keys(), vec!["go", "rust"]);
    }

    #[test]
    fn unknown_keys_and_languages_are_errors() {
        assert!(parse("langauges = ['ruby']").is_err());
        let err = parse("languages = ['cobol']").expect_err("unknown language");
        assert!(err.to_string().contains("cobol"));
        let err = parse(
            "languages = ['C#']\n[language.'C#']\nlabel='C#'\ndir='h/cs'\nextension='cs'\nhighlight='csharp'",
        )
        .expect_err("key unfit for an id");
        assert!(err.to_string().contains("language key `C#`"), "{err}");
    }
}
