//! The mdBook `Preprocessor`: for every chapter, find directives, resolve
//! them against one shared source index, and splice in the rendered tabs.

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::directive::find_directives;
use crate::render::{self, GroupContext, Target};
use crate::resolve;
use crate::source_index::SourceIndex;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
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
        let index = SourceIndex::new(&ctx.root);
        let src_dir = ctx.config.book.src.to_string_lossy().replace('\\', "/");
        let mut problems = Diagnostics::default();
        book.for_each_chapter_mut(|chapter| {
            let chapter_path = chapter_location(&src_dir, chapter);
            match expand(&chapter.content, &chapter_path, &settings, &index, target) {
                Ok(Some(text)) => chapter.content = text,
                Ok(None) => {}
                Err(found) => found.into_iter().for_each(|d| problems.push(d)),
            }
        });
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

fn chapter_location(src_dir: &str, chapter: &Chapter) -> String {
    let rel = chapter
        .source_path
        .as_deref()
        .or(chapter.path.as_deref())
        .unwrap_or(Path::new(&chapter.name));
    format!(
        "{}/{}",
        src_dir.trim_end_matches('/'),
        rel.to_string_lossy().replace('\\', "/")
    )
}

/// Expands every directive of one chapter. `Ok(None)` when there are none.
pub fn expand(
    content: &str,
    chapter_path: &str,
    settings: &Settings,
    index: &SourceIndex,
    target: Target,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let (directives, parse_errors) = find_directives(content);
    let mut problems: Vec<Diagnostic> = parse_errors
        .into_iter()
        .map(|e| {
            Diagnostic::new(e.message)
                .in_chapter(Location::new(chapter_path, e.line))
                .help("directives look like {{#codetabs path/stem:anchor title=\"…\" langs=ruby,python}}")
        })
        .collect();
    if directives.is_empty() && problems.is_empty() {
        return Ok(None);
    }
    let slug = render::slug(chapter_path);
    let mut out = String::with_capacity(content.len() * 2);
    let mut copied_to = 0;
    for (ordinal, d) in directives.iter().enumerate() {
        let at = Location::new(chapter_path, d.line);
        let cx = GroupContext {
            chapter_slug: &slug,
            ordinal,
            source_url: settings.source_url.as_deref(),
        };
        let rendered = if d.name == "dag" {
            resolve::diagram(d, index, &at)
                .map(|(graph, title)| render::render_diagram(&graph, title.as_deref(), target, &cx))
                .map_err(|e| vec![e])
        } else {
            resolve::request(d, settings, &at)
                .map_err(|e| vec![e])
                .and_then(|req| resolve::resolve(&req, settings, index, &at))
                .map(|group| render::render(&group, target, &cx))
        };
        match rendered {
            Ok(text) => {
                out.push_str(&content[copied_to..d.span.start]);
                out.push('\n');
                out.push_str(&text);
                out.push('\n');
                copied_to = d.span.end;
            }
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.push_str(&content[copied_to..]);
    Ok(Some(out))
}
