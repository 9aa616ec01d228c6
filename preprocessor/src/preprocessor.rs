//! The mdBook `Preprocessor`. Two passes over the book: the first expands
//! tab groups and diagrams and records where each snippet is shown; the
//! second draws the mapping tables, which link to those tabs from any chapter.

use crate::config::Settings;
use crate::data_file;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::directive::{find_directives, Directive};
use crate::handler_catalog::Catalog;
use crate::mapping;
use crate::render::tables::{self, TableContext};
use crate::render::{self, GroupContext, Target};
use crate::resolve;
use crate::shown::{Place, ShownIndex};
use crate::source_index::SourceIndex;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::HashMap;
use std::path::Path;

/// The name used in book.toml: `[preprocessor.codetabs]`.
pub const NAME: &str = "codetabs";

#[derive(Debug, Default, Clone, Copy)]
pub struct CodeTabs;

impl CodeTabs {
    pub fn new() -> Self {
        CodeTabs
    }
}

impl Preprocessor for CodeTabs {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> anyhow::Result<Book> {
        let settings = Settings::from_config(&ctx.config)?;
        let Some(target) = Target::for_renderer(&ctx.renderer) else {
            anyhow::bail!(
                "codetabs cannot render for `{}`; it supports html and markdown",
                ctx.renderer
            );
        };
        let src_dir = ctx.config.book.src.to_string_lossy().replace('\\', "/");
        let mut session = Session::new(&ctx.root, settings, target);
        run_session(&mut session, &mut book, &src_dir);
        let problems = session.finish();
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(anyhow::Error::new(problems))
        }
    }

    fn supports_renderer(&self, renderer: &str) -> anyhow::Result<bool> {
        Ok(Target::for_renderer(renderer).is_some())
    }
}

/// Both passes over every chapter of `book`.
pub fn run_session(session: &mut Session, book: &mut Book, src_dir: &str) {
    book.for_each_chapter_mut(|ch| {
        let (loc, out) = chapter_paths(src_dir, ch);
        session.first_pass(&loc, &out, &ch.content);
    });
    book.for_each_chapter_mut(|ch| {
        let (loc, out) = chapter_paths(src_dir, ch);
        if let Some(text) = session.second_pass(&loc, &out, &ch.content) {
            ch.content = text;
        }
    });
}

/// (`src/posts/a.md` for messages, `posts/a.md` for links).
fn chapter_paths(src_dir: &str, chapter: &Chapter) -> (String, String) {
    let rel = chapter
        .source_path
        .as_deref()
        .or(chapter.path.as_deref())
        .unwrap_or(Path::new(&chapter.name))
        .to_string_lossy()
        .replace('\\', "/");
    let out = chapter
        .path
        .as_deref()
        .map_or_else(|| rel.clone(), |p| p.to_string_lossy().replace('\\', "/"));
    (format!("{}/{rel}", src_dir.trim_end_matches('/')), out)
}

/// What a directive became in the first pass.
enum Piece {
    Text(String),
    /// Tables wait for the second pass, when every tab's place is known.
    Table(Directive),
}

/// One build's state: the shared source index, where snippets went, and
/// every problem found.
pub struct Session {
    pub settings: Settings,
    pub index: SourceIndex,
    root: std::path::PathBuf,
    target: Target,
    pub shown: ShownIndex,
    /// Scanned only when a table or `check` needs it.
    catalog: std::cell::OnceCell<Catalog>,
    pieces: HashMap<String, Vec<(std::ops::Range<usize>, Piece)>>,
    problems: Diagnostics,
    /// Every tab group shown, with a fingerprint of each language's snippet.
    pub groups: Vec<GroupRecord>,
}

/// A rendered tab group, for the drift check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// The directive's target as written, e.g. `post_01/…/cart_handler:handler`.
    pub key: String,
    pub at: Location,
    /// (language key, fingerprint of the shown code).
    pub fingerprints: Vec<(String, String)>,
}

impl Session {
    pub fn new(root: &Path, settings: Settings, target: Target) -> Self {
        Session {
            index: SourceIndex::new(root),
            root: root.to_path_buf(),
            settings,
            target,
            shown: ShownIndex::default(),
            catalog: std::cell::OnceCell::new(),
            pieces: HashMap::new(),
            problems: Diagnostics::default(),
            groups: Vec::new(),
        }
    }

    /// The handler catalogue, scanned on first use.
    pub fn catalog(&self) -> &Catalog {
        self.catalog
            .get_or_init(|| Catalog::scan(&self.settings, &self.root, &self.index))
    }

    pub fn first_pass(&mut self, chapter_loc: &str, chapter_out: &str, content: &str) {
        let (directives, parse_errors) = find_directives(content);
        for e in parse_errors {
            self.problems.push(
                Diagnostic::new(e.message)
                    .in_chapter(Location::new(chapter_loc, e.line))
                    .help("directives look like {{#codetabs path/stem:anchor title=\"…\" langs=ruby,python}}"),
            );
        }
        let slug = render::slug(chapter_loc);
        let mut pieces = Vec::new();
        for (ordinal, d) in directives.into_iter().enumerate() {
            let at = Location::new(chapter_loc, d.line);
            let cx = GroupContext {
                chapter_slug: &slug,
                ordinal,
                source_url: self.settings.source_url.as_deref(),
            };
            let rendered = match d.name.as_str() {
                "mapping" | "api-mapping" => {
                    pieces.push((d.span.clone(), Piece::Table(d)));
                    continue;
                }
                "timeline" => data_file::timeline(&d, &self.index, &at)
                    .map(|(report, title)| {
                        let id = format!("codetabs-run-{}-{}", cx.chapter_slug, cx.ordinal + 1);
                        render::timeline::render(&report, &id, title.as_deref(), self.target)
                    })
                    .map_err(|e| vec![e]),
                "dag" => data_file::diagram(&d, &self.index, &at)
                    .map(|(graph, title)| {
                        render::render_diagram(&graph, title.as_deref(), self.target, &cx)
                    })
                    .map_err(|e| vec![e]),
                _ => resolve::request(&d, &self.settings, &at)
                    .map_err(|e| vec![e])
                    .and_then(|req| resolve::resolve(&req, &self.settings, &self.index, &at))
                    .map(|group| {
                        self.groups.push(GroupRecord {
                            key: d.positional.join(" "),
                            at: at.clone(),
                            fingerprints: group
                                .tabs
                                .iter()
                                .map(|t| (t.lang.key.clone(), fingerprint(&t.snippet.code)))
                                .collect(),
                        });
                        let gid = render::group_id(&cx);
                        for tab in &group.tabs {
                            self.shown.record(
                                &tab.path,
                                group.anchor.as_deref(),
                                Place {
                                    chapter: chapter_out.to_string(),
                                    id: format!("{gid}-{}", tab.lang.key),
                                },
                            );
                        }
                        render::render(&group, self.target, &cx)
                    }),
            };
            match rendered {
                Ok(text) => pieces.push((d.span.clone(), Piece::Text(text))),
                Err(found) => found.into_iter().for_each(|p| self.problems.push(p)),
            }
        }
        self.pieces.insert(chapter_loc.to_string(), pieces);
    }

    /// The chapter with every directive replaced; `None` if it had none.
    pub fn second_pass(
        &mut self,
        chapter_loc: &str,
        chapter_out: &str,
        content: &str,
    ) -> Option<String> {
        let pieces = self.pieces.remove(chapter_loc)?;
        if pieces.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(content.len() * 2);
        let mut copied_to = 0;
        for (span, piece) in pieces {
            let text = match piece {
                Piece::Text(t) => t,
                Piece::Table(d) => match self.table(&d, chapter_loc, chapter_out) {
                    Ok(t) => t,
                    Err(found) => {
                        found.into_iter().for_each(|p| self.problems.push(p));
                        continue;
                    }
                },
            };
            out.push_str(&content[copied_to..span.start]);
            out.push('\n');
            out.push_str(&text);
            out.push('\n');
            copied_to = span.end;
        }
        out.push_str(&content[copied_to..]);
        Some(out)
    }

    fn table(
        &mut self,
        d: &Directive,
        chapter_loc: &str,
        chapter_out: &str,
    ) -> Result<String, Vec<Diagnostic>> {
        let at = Location::new(chapter_loc, d.line);
        let catalog = self.catalog();
        let cx = TableContext {
            chapter: chapter_out,
            shown: &self.shown,
            target: self.target,
        };
        if d.name == "mapping" {
            mapping::step_table(d, &self.settings, &self.index, catalog, &at)
                .map(|t| tables::step_table(&t, &cx))
        } else {
            mapping::api_table(d, &self.settings, &self.index, catalog, &at)
                .map(|t| tables::api_table(&t, &cx))
                .map_err(|e| vec![e])
        }
    }

    pub fn finish(self) -> Diagnostics {
        self.problems
    }

    /// Problems found so far, without ending the session.
    pub fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// FNV-1a, 64 bits, as hex: stable across runs and platforms, which is all
/// a change detector needs.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Expands one chapter on its own (both passes): for tests and tools that
/// work a chapter at a time. Links between chapters need [`CodeTabs::run`].
pub fn expand(
    content: &str,
    chapter_loc: &str,
    settings: &Settings,
    index_root: &Path,
    target: Target,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let mut session = Session::new(index_root, settings.clone(), target);
    let out = chapter_loc
        .split_once('/')
        .map_or(chapter_loc, |(_, rest)| rest)
        .to_string();
    session.first_pass(chapter_loc, &out, content);
    let text = session.second_pass(chapter_loc, &out, content);
    let problems = session.finish();
    if problems.is_empty() {
        Ok(text)
    } else {
        Err(problems.0)
    }
}
