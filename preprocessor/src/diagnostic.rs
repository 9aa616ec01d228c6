//! Build errors that name both places a problem lives: the chapter line that
//! asked for a snippet and the source line that could not provide it.

use std::fmt;

/// A `file:line` position, with the path as the author sees it (relative to
/// the book root, forward slashes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: String,
    pub line: usize,
}

impl Location {
    pub fn new(path: impl Into<String>, line: usize) -> Self {
        Location {
            path: path.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path)
        } else {
            write!(f, "{}:{}", self.path, self.line)
        }
    }
}

/// One problem found while preprocessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the directive stands (chapter file and line).
    pub chapter: Option<Location>,
    /// Where the source problem stands, when there is a source file involved.
    pub source: Option<Location>,
    pub message: String,
    /// What the author can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            chapter: None,
            source: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn in_chapter(mut self, at: Location) -> Self {
        self.chapter = Some(at);
        self
    }

    pub fn in_source(mut self, at: Location) -> Self {
        self.source = Some(at);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.chapter {
            Some(at) => write!(f, "{at}: {}", self.message)?,
            None => write!(f, "{}", self.message)?,
        }
        if let Some(at) = &self.source {
            write!(f, "\n    source: {at}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n    help: {help}")?;
        }
        Ok(())
    }
}

/// A character that looks like nothing, or like a plain space, but is not
/// one: named, so an error can point at what the author cannot see. Plain
/// spaces and tabs are `None`; so is every visible character.
pub fn invisible_char(c: char) -> Option<String> {
    let name = match c {
        ' ' | '\t' => return None,
        '\u{00A0}' => "NO-BREAK SPACE",
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            "text direction mark"
        }
        '\u{2060}' => "WORD JOINER",
        '\u{2061}'..='\u{2064}' => "invisible math operator",
        '\u{FEFF}' => "BYTE ORDER MARK",
        c if c.is_whitespace() => "a space that is not a plain space",
        _ => return None,
    };
    Some(format!("U+{:04X} ({name})", u32::from(c)))
}

/// Every problem of one build: authors fix them all in one pass instead of
/// rebuilding once per error.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if !self.0.contains(&d) {
            self.0.push(d);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "codetabs found {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.0 {
            writeln!(f, "- {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
