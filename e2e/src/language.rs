//! The four languages the book's handlers are written in.

use std::fmt;
use std::str::FromStr;

/// A handler language; its name is also the folder under `handlers/templates/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    TypeScript,
    Ruby,
    Rust,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Python,
        Language::TypeScript,
        Language::Ruby,
        Language::Rust,
    ];

    /// The name used in folders, reports and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript => "typescript",
            Language::Ruby => "ruby",
            Language::Rust => "rust",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .into_iter()
            .find(|language| language.as_str() == name)
            .ok_or_else(|| format!("unknown language {name:?} (python, typescript, ruby, rust)"))
    }
}
