//! One build of the book, in-process, with the page script that listens for
//! reloads switched on.

use anyhow::Context;
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The websocket path the pages connect to (mdBook's `live-reload-endpoint`).
pub const RELOAD_ENDPOINT: &str = "__livereload";

/// What a finished build left behind.
pub struct Built {
    /// The HTML output folder.
    pub dir: PathBuf,
    /// The page served for unknown paths, relative to `dir`.
    pub not_found: String,
    /// What to watch for the next edit: the sources, the theme, book.toml and
    /// `build.extra-watch-dirs`, as this build's book.toml names them.
    pub watch: Vec<PathBuf>,
    pub took: Duration,
}

/// Builds the book at `root` as `mdbook-codetabs build` does; the pages also
/// get mdBook's live-reload script, pointed at [`RELOAD_ENDPOINT`].
pub fn build(root: &Path) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut book =
        MDBook::load(root).with_context(|| format!("loading the book at {}", root.display()))?;
    book.config
        .set("output.html.live-reload-endpoint", RELOAD_ENDPOINT)
        .context("enabling live reload")?;
    // Absolute links on the 404 page, which is served for any missing path.
    book.config
        .set("output.html.site-url", "/")
        .context("setting the site url")?;
    book.with_preprocessor(CodeTabs::new());
    book.build().context("building the book")?;
    let not_found = book
        .config
        .html_config()
        .unwrap_or_default()
        .get_404_output_file();
    let mut watch = vec![book.source_dir(), book.theme_dir(), root.join("book.toml")];
    watch.extend(
        book.config
            .build
            .extra_watch_dirs
            .iter()
            .map(|d| root.join(d)),
    );
    watch.retain(|p| p.exists());
    Ok(Built {
        dir: book.build_dir_for("html"),
        not_found,
        watch,
        took: started.elapsed(),
    })
}
