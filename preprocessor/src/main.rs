//! The `mdbook-codetabs` command: mdBook's preprocessor protocol, plus a
//! `build` that runs mdBook in-process so no separate mdBook install is needed.

use anyhow::Context;
use mdbook_codetabs::CodeTabs;
use mdbook_driver::MDBook;
use mdbook_preprocessor::Preprocessor;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  mdbook-codetabs                      read [context, book] JSON on stdin (mdBook runs this)
  mdbook-codetabs supports <renderer>  exit 0 if <renderer> is supported (html, markdown)
  mdbook-codetabs build [BOOK_DIR]     build the book in-process (default: current folder)
  mdbook-codetabs help                 this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None => run_protocol(),
        Some("supports") => return supports(args.get(1)),
        Some("build") => build(args.get(1)),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn supports(renderer: Option<&String>) -> ExitCode {
    let Some(renderer) = renderer else {
        eprintln!("error: `supports` needs a renderer name\n{USAGE}");
        return ExitCode::from(2);
    };
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
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book).context("writing the book to stdout")?;
    stdout.flush().context("writing the book to stdout")?;
    Ok(())
}

fn build(dir: Option<&String>) -> anyhow::Result<()> {
    let root = dir.map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut book =
        MDBook::load(&root).with_context(|| format!("loading the book at {}", root.display()))?;
    // Same name as the book.toml entry: replaces the external command in place,
    // keeping its order and settings.
    book.with_preprocessor(CodeTabs::new());
    book.build().context("building the book")?;
    eprintln!(
        "built {} into {}",
        root.display(),
        book.build_dir_for("html").display()
    );
    Ok(())
}
