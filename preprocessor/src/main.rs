//! The `mdbook-codetabs` command: mdBook's preprocessor protocol, plus
//! `build` (mdBook in-process, so no separate mdBook install is needed),
//! `check` and `export-gitbook`.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use mdbook_preprocessor::Preprocessor;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mdbook_codetabs::memory::Allocator = mdbook_codetabs::memory::Allocator {};

/// mdBook preprocessor: four-language code tabs cut from anchored handler
/// files. With no command it speaks mdBook's preprocessor protocol
/// ([context, book] JSON on stdin, the book on stdout), as mdBook runs it.
#[derive(Parser)]
#[command(name = "mdbook-codetabs", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

const EXAMPLES: &str = "Examples:
  mdbook-codetabs build                      build the book in this folder into ./book
  mdbook-codetabs check                      validate the whole book, no rendering
  mdbook-codetabs check --update             record intended changes in codetabs.lock
  mdbook-codetabs export-gitbook gitbook     write the GitBook version into ./gitbook
  mdbook-codetabs new-handler post_01_ecommerce archive_order
                                             a new step handler in all four languages";

#[derive(Subcommand)]
enum Command {
    /// Exit 0 if RENDERER is supported (html, markdown); mdBook asks this
    Supports {
        /// The renderer mdBook is about to run
        renderer: String,
    },
    /// Build the book in-process, with no separate mdBook install
    #[command(after_help = "Example: mdbook-codetabs build path/to/book")]
    Build {
        /// The book's folder (the one with book.toml)
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Validate the whole book without rendering it: anchors, languages, templates, drift
    #[command(after_help = "Examples:
  mdbook-codetabs check                   every problem, one per line; exit 1 if any
  mdbook-codetabs check --format json     the same as JSON, for tools
  mdbook-codetabs check --update          rewrite codetabs.lock and the handler READMEs first

Exit status: 0 no problems, 1 problems found, 2 the check could not run.")]
    Check {
        /// The book's folder (the one with book.toml)
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// How to print the report
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// First rewrite codetabs.lock and the handler READMEs (intended changes)
        #[arg(long)]
        update: bool,
    },
    /// Write a GitBook Git Sync folder (atomic; refuses a non-empty folder it did not write)
    #[command(after_help = "Example: mdbook-codetabs export-gitbook gitbook --book path/to/book")]
    ExportGitbook {
        /// The folder to write
        out_dir: PathBuf,
        /// The book's folder (the one with book.toml)
        #[arg(long, default_value = ".")]
        book: PathBuf,
        /// Replace OUT_DIR even if this command did not write it
        #[arg(long)]
        force: bool,
    },
    /// Map each language's measured line coverage onto the code the book shows; write the report
    #[command(
        after_help = "Example (what scripts/coverage runs after the four tools):
  mdbook-codetabs coverage --lcov ruby=target/coverage/ruby.lcov \\
    --lcov python=target/coverage/python.lcov --lcov rust=target/coverage/rust.lcov \\
    --lcov typescript=target/coverage/typescript.lcov

Writes the report named in book.toml ([preprocessor.codetabs.coverage] report),
printing each shown region's figure and each shown code line no test runs.
Exit status: 0 every shown code line runs, 1 some do not (report written), 2 error."
    )]
    Coverage {
        /// LANG=FILE: the LCOV file a language's coverage tool wrote (give one per language)
        #[arg(long = "lcov", value_name = "LANG=FILE", required = true)]
        lcov: Vec<String>,
        /// The book's folder (the one with book.toml)
        #[arg(long, default_value = ".")]
        book: PathBuf,
    },
    /// Add a step handler in every language: handler files, template steps, registries, a failing vector
    #[command(after_help = "Examples:
  mdbook-codetabs new-handler post_01_ecommerce archive_order
  mdbook-codetabs new-handler post_04_team_scaling issue_credit_note --namespace payments

Writes the handler in Ruby, Python, TypeScript and Rust beside the post's others, adds
the step at the end of the post's workflow in all four templates, registers it (Rust
registry and mod.rs, TypeScript registry) and writes handlers/vectors/<post>/<step>__success.json,
which fails until the step is written. Refuses, writing nothing, if any file it would
create exists or the step is already in a template.")]
    NewHandler {
        /// The post's folder under handlers/<lang>/, e.g. post_01_ecommerce
        post: String,
        /// The new step's name in snake_case, e.g. archive_order
        step: String,
        /// The template's namespace_name, for a post with several templates (post 04: customer_success or payments)
        #[arg(long)]
        namespace: Option<String>,
        /// The book's folder (the one with book.toml)
        #[arg(long, default_value = ".")]
        book: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    mdbook_codetabs::memory::tune(mdbook_codetabs::memory::Purge::AfterBuild);
    let result = match Cli::parse().command {
        None => run_protocol(),
        Some(Command::Supports { renderer }) => return supports(&renderer),
        Some(Command::Build { book_dir }) => build(&book_dir),
        Some(Command::Check {
            book_dir,
            format,
            update,
        }) => return check(&book_dir, format, update),
        Some(Command::ExportGitbook {
            out_dir,
            book,
            force,
        }) => export_gitbook(&out_dir, &book, force),
        Some(Command::Coverage { lcov, book }) => return coverage(&book, &lcov),
        Some(Command::NewHandler {
            post,
            step,
            namespace,
            book,
        }) => new_handler(&book, &post, &step, namespace.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn supports(renderer: &str) -> ExitCode {
    match CodeTabs::new().supports_renderer(renderer) {
        Ok(true) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn run_protocol() -> anyhow::Result<()> {
    let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin().lock())?;
    if ctx.mdbook_version != mdbook_preprocessor::MDBOOK_VERSION {
        eprintln!(
            "warning: mdbook-codetabs was built against mdBook {} but is called by mdBook {}",
            mdbook_preprocessor::MDBOOK_VERSION,
            ctx.mdbook_version
        );
    }
    let book = CodeTabs::new().run(&ctx, book)?;
    // Stdout is line-buffered: unbuffered, a large book goes out in tens of
    // thousands of 1 KiB writes.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer(&mut stdout, &book).context("writing the book to stdout")?;
    stdout.flush().context("writing the book to stdout")?;
    Ok(())
}

fn build(root: &Path) -> anyhow::Result<()> {
    let mut book =
        MDBook::load(root).with_context(|| format!("loading the book at {}", root.display()))?;
    // Same name as the book.toml entry: replaces the external command in place,
    // keeping its order and settings.
    book.with_preprocessor(CodeTabs::new());
    book.build().context("building the book")?;
    eprintln!(
        "built {} into {}",
        root.display(),
        book.build_dir_for("html").display()
    );
    // The process ends here: the system takes the whole book back at once,
    // faster than freeing it string by string.
    std::mem::forget(book);
    Ok(())
}

fn check(dir: &Path, format: Format, update: bool) -> ExitCode {
    match mdbook_codetabs::check::check(dir, update) {
        Ok(report) => {
            if matches!(format, Format::Json) {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            if report.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn coverage(root: &Path, lcov: &[String]) -> ExitCode {
    let mut files = Vec::new();
    for arg in lcov {
        let Some((lang, file)) = arg.split_once('=') else {
            eprintln!("error: --lcov {arg}: write LANG=FILE, e.g. --lcov python=target/coverage/python.lcov");
            return ExitCode::from(2);
        };
        files.push((lang.to_string(), file.to_string()));
    }
    match mdbook_codetabs::coverage::measure(root, &files) {
        Ok(m) => {
            print!("{}", m.text);
            for (lang, code, run) in &m.totals {
                println!("{lang}: {run} of {code} shown code lines run by the tests");
            }
            if m.complete() {
                ExitCode::SUCCESS
            } else {
                eprintln!("coverage: some shown code lines are not run (listed above); `check` fails until they are");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn export_gitbook(out: &Path, root: &Path, force: bool) -> anyhow::Result<()> {
    let opts = mdbook_codetabs::export::ExportOptions {
        force,
        ..Default::default()
    };
    let summary = mdbook_codetabs::export::export(root, out, &opts)?;
    eprintln!(
        "exported {} chapters ({} tab groups, {} assets) to {}",
        summary.chapters,
        summary.tab_groups,
        summary.assets,
        out.display()
    );
    Ok(())
}

fn new_handler(root: &Path, post: &str, step: &str, namespace: Option<&str>) -> anyhow::Result<()> {
    let request = mdbook_codetabs::new_handler::Request {
        post,
        step,
        namespace,
    };
    let report = mdbook_codetabs::new_handler::new_handler(root, &request)?;
    print!("{}", report.to_text());
    Ok(())
}
