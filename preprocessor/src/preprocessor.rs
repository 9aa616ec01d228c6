//! The mdBook `Preprocessor`. Two passes over the book: the first expands
//! tab groups and diagrams and records where each snippet is shown; the
//! second draws the mapping tables, which link to those tabs from any chapter,
//! and gives every panel a link points at a static target (`link_targets`).

use crate::config::Settings;
use crate::data_file;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::directive::{find_directives, Directive};
use crate::handler_catalog::Catalog;
use crate::link_targets;
use crate::mapping;
use crate::render::tables::{self, TableContext};
use crate::render::{self, GroupContext, Rendered, Target};
use crate::resolve;
use crate::resolve::TabGroup;
use crate::shown::{Place, ShownIndex};
use crate::source_index::SourceIndex;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::{HashMap, HashSet};
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
        let problems = std::mem::take(&mut session.problems);
        crate::memory::release_in_background(session);
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

/// Both passes over every chapter of `book`. The first pass runs on several
/// threads (chapters are independent until tables link them); its results
/// are merged in book order, so output and messages do not depend on timing.
pub fn run_session(session: &mut Session, book: &mut Book, src_dir: &str) {
    let mut chapters = Vec::new();
    book.for_each_chapter_mut(|ch| {
        let (loc, out) = chapter_paths(src_dir, ch);
        let mut content = std::mem::take(&mut ch.content);
        // mdBook drops a byte-order mark when it reads a chapter from disk;
        // a chapter from anywhere else gets the same treatment here.
        if content.starts_with('\u{FEFF}') {
            content.replace_range(..'\u{FEFF}'.len_utf8(), "");
        }
        chapters.push((loc, out, content));
    });
    let drafts = session.drafter().draft_all(&chapters);
    for ((loc, _, _), draft) in chapters.iter().zip(drafts) {
        session.absorb(loc, draft);
    }
    session.draw_tables(
        chapters
            .iter()
            .map(|(loc, out, _)| (loc.as_str(), out.as_str())),
    );
    // The same traversal again, so the n-th chapter gets the n-th text back.
    let mut texts = chapters.into_iter();
    book.for_each_chapter_mut(|ch| {
        if let Some((loc, out, content)) = texts.next() {
            ch.content = session.second_pass(&loc, &out, &content).unwrap_or(content);
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

/// Where a directive's output goes: its span in the chapter and the list
/// items and quotes it stands in.
#[derive(Debug, Clone)]
struct Slot {
    span: std::ops::Range<usize>,
    container: String,
    opens_item: bool,
}

impl Slot {
    fn of(d: &Directive) -> Slot {
        Slot {
            span: d.span.clone(),
            container: d.container.clone(),
            opens_item: d.opens_item,
        }
    }
}

/// What a directive became in the first pass.
enum Piece {
    Text(Rendered),
    /// Tables wait for the second pass, when every tab's place is known.
    Table(Directive),
}

/// A directive's output on its way into the chapter text.
enum Output<'a> {
    /// An HTML tab group outside lists and quotes, written straight into
    /// the chapter: its code is copied once, from the file's text.
    Group(TabGroup<'a>, GroupContext<'a>),
    Text(Rendered),
}

impl Output<'_> {
    fn into_rendered(self) -> Rendered {
        match self {
            Output::Group(group, cx) => render::html::render(&group, &cx),
            Output::Text(r) => r,
        }
    }
}

/// A directive as the first pass leaves it.
enum Drafted<'a> {
    Output(Output<'a>),
    Table(Directive),
}

/// A chapter after the first pass.
#[derive(Default)]
enum Expansion {
    /// No directives: the chapter stays as it is.
    #[default]
    Unchanged,
    /// No tables: the text, put together on the drafting thread; only labels
    /// that links point at may still change.
    Done(Rendered),
    /// Holds tables, so the second pass puts it together.
    Pending(Vec<(Slot, Piece)>),
}

/// `content` with each slot replaced by its output, inside its containers,
/// and where the labels of all of them ended up.
fn put_together(content: &str, outputs: Vec<(Slot, Output<'_>)>) -> Rendered {
    let extra: usize = outputs
        .iter()
        .map(|(slot, output)| match output {
            Output::Group(group, cx) => render::html::size(group, cx) + 2,
            Output::Text(Rendered { text: t, .. }) => {
                // Only nested output is prefixed; the common case skips the count.
                let nesting = if slot.container.is_empty() {
                    0
                } else {
                    (slot.container.len() + 1)
                        * (memchr::memchr_iter(b'\n', t.as_bytes()).count() + 2)
                };
                t.len() + 2 + nesting
            }
        })
        .sum();
    let capacity = content.len() + extra;
    let mut out = String::with_capacity(capacity);
    let mut labels = Vec::new();
    let mut copied_to = 0;
    for (slot, output) in outputs {
        out.push_str(&content[copied_to..slot.span.start]);
        match output {
            Output::Group(group, cx) => {
                let mut written =
                    render::set_off(&mut out, |out| render::html::write(out, &group, &cx));
                labels.append(&mut written);
            }
            Output::Text(mut piece) => {
                render::write_in_place(
                    &mut out,
                    &piece.text,
                    &slot.container,
                    slot.opens_item,
                    &mut piece.labels,
                );
                labels.append(&mut piece.labels);
            }
        }
        copied_to = slot.span.end;
    }
    out.push_str(&content[copied_to..]);
    // Growing a chapter's text would copy all of it: the sizes err high.
    debug_assert!(out.len() <= capacity, "{} > {capacity}", out.len());
    Rendered { text: out, labels }
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
    expansions: HashMap<String, Expansion>,
    /// The panel ids that some link of the book points at.
    linked: HashSet<String>,
    problems: Diagnostics,
    /// Every tab group shown, with a fingerprint of each language's snippet
    /// (only when `record_fingerprints` is set).
    pub groups: Vec<GroupRecord>,
    /// Hash every snippet for the drift check; a plain build has no use for it.
    pub record_fingerprints: bool,
    /// The committed coverage report, read once per build for the tabs' figures.
    coverage: Option<crate::coverage::Report>,
}

/// A rendered tab group, for the drift check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// The directive's target as written, e.g. `post_01/…/cart_handler:handler`.
    pub key: String,
    pub at: Location,
    /// (language key, fingerprint of the shown code).
    pub fingerprints: Vec<(String, String)>,
    /// Which lines of which file each language shows, for the coverage report.
    pub tabs: Vec<ShownTab>,
}

/// The source lines one tab shows (marker lines inside them are not shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownTab {
    pub lang: String,
    pub path: String,
    pub anchor: Option<String>,
    pub first_line: usize,
    pub last_line: usize,
}

impl Session {
    pub fn new(root: &Path, settings: Settings, target: Target) -> Self {
        // An unreadable report leaves every tab "not measured"; `check` names
        // the fault, and a build of the pages need not stop for it.
        let coverage = settings
            .coverage
            .as_ref()
            .map(|c| crate::coverage::load(root, c).map(Option::unwrap_or_default))
            .map(Result::unwrap_or_default);
        Session {
            coverage,
            index: SourceIndex::new(root),
            root: root.to_path_buf(),
            settings,
            target,
            shown: ShownIndex::default(),
            catalog: std::cell::OnceCell::new(),
            expansions: HashMap::new(),
            linked: HashSet::new(),
            problems: Diagnostics::default(),
            groups: Vec::new(),
            record_fingerprints: false,
        }
    }

    /// The handler catalogue, scanned on first use.
    pub fn catalog(&self) -> &Catalog {
        self.catalog
            .get_or_init(|| Catalog::scan(&self.settings, &self.root, &self.index))
    }

    pub fn first_pass(&mut self, chapter_loc: &str, chapter_out: &str, content: &str) {
        let draft = self.drafter().draft(chapter_loc, chapter_out, content);
        self.absorb(chapter_loc, draft);
    }

    /// Draws the tables of these chapters (in book order, which orders their
    /// messages), now that every tab's place is known, and notes the panels
    /// they link to.
    pub fn draw_tables<'c>(&mut self, chapters: impl Iterator<Item = (&'c str, &'c str)>) {
        for (chapter_loc, chapter_out) in chapters {
            if !matches!(
                self.expansions.get(chapter_loc),
                Some(Expansion::Pending(_))
            ) {
                continue;
            }
            let Some(Expansion::Pending(pieces)) = self.expansions.remove(chapter_loc) else {
                continue;
            };
            let mut drawn = Vec::with_capacity(pieces.len());
            for (slot, piece) in pieces {
                match piece {
                    Piece::Table(d) => match self.table(&d, chapter_loc, chapter_out) {
                        Ok(t) => {
                            let ids = link_targets::fragments(&t).map(str::to_string);
                            self.linked.extend(ids);
                            drawn.push((slot, Piece::Text(t.into())));
                        }
                        Err(found) => found.into_iter().for_each(|p| self.problems.push(p)),
                    },
                    text => drawn.push((slot, text)),
                }
            }
            self.expansions
                .insert(chapter_loc.to_string(), Expansion::Pending(drawn));
        }
    }

    fn drafter(&self) -> Drafter<'_> {
        Drafter {
            settings: &self.settings,
            index: &self.index,
            target: self.target,
            fingerprints: self.record_fingerprints,
            coverage: self.coverage.as_ref(),
        }
    }

    fn absorb(&mut self, chapter_loc: &str, draft: ChapterDraft) {
        for (path, anchor, place) in draft.shown {
            self.shown.record(path, anchor, place);
        }
        self.linked.extend(draft.linked);
        self.groups.extend(draft.groups);
        draft
            .problems
            .into_iter()
            .for_each(|p| self.problems.push(p));
        self.expansions
            .insert(chapter_loc.to_string(), draft.expansion);
    }

    /// The chapter with every directive replaced; `None` if it had none.
    /// Tables not drawn yet by [`Session::draw_tables`] are drawn here.
    pub fn second_pass(
        &mut self,
        chapter_loc: &str,
        chapter_out: &str,
        content: &str,
    ) -> Option<String> {
        self.draw_tables(std::iter::once((chapter_loc, chapter_out)));
        let done = match self.expansions.remove(chapter_loc)? {
            Expansion::Unchanged => return None,
            Expansion::Done(done) => done,
            Expansion::Pending(pieces) => put_together(
                content,
                pieces
                    .into_iter()
                    .filter_map(|(slot, p)| match p {
                        Piece::Text(t) => Some((slot, Output::Text(t))),
                        Piece::Table(_) => None,
                    })
                    .collect(),
            ),
        };
        Some(link_targets::promote(&done.text, &done.labels, &self.linked).unwrap_or(done.text))
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

/// What the first pass made of one chapter, before it joins the session.
#[derive(Default)]
struct ChapterDraft {
    expansion: Expansion,
    /// (source path, anchor, place) of every tab shown.
    shown: Vec<(String, Option<String>, Place)>,
    groups: Vec<GroupRecord>,
    problems: Vec<Diagnostic>,
    /// Panel ids the chapter's own links point at.
    linked: Vec<String>,
}

/// The read-only part of a session that the first pass needs; shared by the
/// threads that draft chapters.
struct Drafter<'a> {
    settings: &'a Settings,
    index: &'a SourceIndex,
    target: Target,
    fingerprints: bool,
    coverage: Option<&'a crate::coverage::Report>,
}

impl Drafter<'_> {
    /// Drafts every chapter, on as many threads as the machine has (at most 8).
    fn draft_all(&self, chapters: &[(String, String, String)]) -> Vec<ChapterDraft> {
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(8)
            .min(chapters.len());
        let draft = |(loc, out, content): &(String, String, String)| self.draft(loc, out, content);
        if threads <= 1 {
            return chapters.iter().map(draft).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chapter) = chapters.get(i) else {
                    break done;
                };
                done.push((i, draft(chapter)));
            }
        };
        let mut slots: Vec<Option<ChapterDraft>> = chapters.iter().map(|_| None).collect();
        std::thread::scope(|scope| {
            // The calling thread works too: what it allocates stays in the
            // allocator's main arena, where mdBook's rendering can reuse it.
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut finished = vec![work()];
            for helper in helpers {
                match helper.join() {
                    Ok(done) => finished.push(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            for (i, d) in finished.into_iter().flatten() {
                slots[i] = Some(d);
            }
        });
        slots.into_iter().map(Option::unwrap_or_default).collect()
    }

    fn draft(&self, chapter_loc: &str, chapter_out: &str, content: &str) -> ChapterDraft {
        let mut draft = ChapterDraft::default();
        let (directives, parse_errors) = find_directives(content);
        for e in parse_errors {
            draft.problems.push(
                Diagnostic::new(e.message)
                    .in_chapter(Location::new(chapter_loc, e.line))
                    .help(e.help.unwrap_or_else(|| {
                        "directives look like {{#codetabs path/stem:anchor title=\"…\" langs=ruby,python}}".to_string()
                    })),
            );
        }
        let slug = render::slug(chapter_loc);
        // The export's tables link to the heading above a group (GitBook's
        // tabs have no ids); the HTML book links to the panels themselves.
        let headings = match self.target {
            Target::GitBook => render::gitbook::heading_ids(content),
            Target::Html => {
                let ids = link_targets::fragments(content).map(str::to_string);
                draft.linked.extend(ids);
                Vec::new()
            }
        };
        // Without tables the chapter is put together here, and each HTML
        // group outside lists and quotes is written straight into it.
        let has_tables = directives
            .iter()
            .any(|d| matches!(d.name.as_str(), "mapping" | "api-mapping"));
        let mut drafted: Vec<(Slot, Drafted)> = Vec::new();
        for (ordinal, d) in directives.into_iter().enumerate() {
            let at = Location::new(chapter_loc, d.line);
            let cx = GroupContext {
                chapter_slug: &slug,
                ordinal,
                source_url: self.settings.source_url.as_deref(),
                hidelines: &self.settings.hidelines,
            };
            let rendered = match d.name.as_str() {
                "mapping" | "api-mapping" => {
                    drafted.push((Slot::of(&d), Drafted::Table(d)));
                    continue;
                }
                "timeline" => data_file::timeline(&d, self.index, &at)
                    .map(|(report, title)| {
                        let id = format!("codetabs-run-{}-{}", cx.chapter_slug, cx.ordinal + 1);
                        Output::Text(
                            render::timeline::render(&report, &id, title.as_deref(), self.target)
                                .into(),
                        )
                    })
                    .map_err(|e| vec![e]),
                "dag" => data_file::diagram(&d, self.index, &at)
                    .map(|(graph, title)| {
                        Output::Text(
                            render::render_diagram(&graph, title.as_deref(), self.target, &cx)
                                .into(),
                        )
                    })
                    .map_err(|e| vec![e]),
                _ => resolve::request(&d, self.settings, &at)
                    .map_err(|e| vec![e])
                    .and_then(|req| resolve::resolve(&req, self.settings, self.index, &at))
                    .map(|mut group| {
                        // Only `check` compares fingerprints; a build skips hashing.
                        if self.fingerprints {
                            draft.groups.push(GroupRecord {
                                key: d.positional.join(" "),
                                at: at.clone(),
                                fingerprints: group
                                    .tabs
                                    .iter()
                                    .map(|t| (t.lang.key.clone(), fingerprint(&t.snippet.code())))
                                    .collect(),
                                tabs: group
                                    .tabs
                                    .iter()
                                    .map(|t| ShownTab {
                                        lang: t.lang.key.clone(),
                                        path: t.path.clone(),
                                        anchor: t.anchor.clone(),
                                        first_line: t.snippet.first_line,
                                        last_line: t.snippet.last_line,
                                    })
                                    .collect(),
                            });
                        }
                        if let Some(report) = self.coverage {
                            for tab in group
                                .tabs
                                .iter_mut()
                                .filter(|t| crate::coverage::is_code(&t.path, t.lang))
                            {
                                tab.coverage = Some(report.for_tab(
                                    self.index,
                                    &tab.path,
                                    tab.anchor.as_deref(),
                                    (tab.snippet.first_line, tab.snippet.last_line),
                                ));
                            }
                        }
                        let gid = render::group_id(&cx);
                        let heading = headings
                            .iter()
                            .rev()
                            .find(|(at, _)| *at < d.span.start)
                            .map(|(_, id)| id.clone());
                        for tab in &group.tabs {
                            draft.shown.push((
                                tab.path.clone(),
                                group.anchor.clone(),
                                Place {
                                    chapter: chapter_out.to_string(),
                                    id: format!("{gid}-{}", tab.lang.key),
                                    heading: heading.clone(),
                                },
                            ));
                        }
                        if self.target == Target::Html && !has_tables && d.container.is_empty() {
                            Output::Group(group, cx.clone())
                        } else {
                            Output::Text(render::render(&group, self.target, &cx))
                        }
                    }),
            };
            match rendered {
                Ok(output) => drafted.push((Slot::of(&d), Drafted::Output(output))),
                Err(found) => found.into_iter().for_each(|p| draft.problems.push(p)),
            }
        }
        draft.expansion = if drafted.is_empty() {
            Expansion::Unchanged
        } else if has_tables {
            Expansion::Pending(
                drafted
                    .into_iter()
                    .map(|(slot, d)| match d {
                        Drafted::Output(o) => (slot, Piece::Text(o.into_rendered())),
                        Drafted::Table(t) => (slot, Piece::Table(t)),
                    })
                    .collect(),
            )
        } else {
            Expansion::Done(put_together(
                content,
                drafted
                    .into_iter()
                    .filter_map(|(slot, d)| match d {
                        Drafted::Output(o) => Some((slot, o)),
                        Drafted::Table(_) => None,
                    })
                    .collect(),
            ))
        };
        draft
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
