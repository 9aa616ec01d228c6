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
  mdbook-codetabs check [BOOK_DIR] [--format text|json] [--update]
                                       validate the whole book without rendering; --update
                                       first rewrites codetabs.lock and the handler READMEs
  mdbook-codetabs export-gitbook OUT_DIR [--book BOOK_DIR] [--force]
                                       write a GitBook Git Sync folder (atomic; refuses a
                                       non-empty folder it did not write unless --force)
  mdbook-codetabs help                 this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None => run_protocol(),
        Some("supports") => return supports(args.get(1)),
        Some("build") => build(args.get(1)),
        Some("check") => return check(&args[1..]),
        Some("export-gitbook") => export_gitbook(&args[1..]),
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
    // Stdout is line-buffered: unbuffered, a large book goes out in tens of
    // thousands of 1 KiB writes.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
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

fn check(args: &[String]) -> ExitCode {
    let mut dir = PathBuf::from(".");
    let mut json = false;
    let mut update = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--update" => update = true,
            "--format" => match it.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                other => {
                    eprintln!("error: --format takes text or json, not {other:?}\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--format=json" => json = true,
            "--format=text" => json = false,
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
            path => dir = PathBuf::from(path),
        }
    }
    match mdbook_codetabs::check::check(&dir, update) {
        Ok(report) => {
            if json {
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

fn export_gitbook(args: &[String]) -> anyhow::Result<()> {
    let mut out: Option<PathBuf> = None;
    let mut root = PathBuf::from(".");
    let mut opts = mdbook_codetabs::export::ExportOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--force" => opts.force = true,
            "--book" => {
                root = it
                    .next()
                    .map(PathBuf::from)
                    .ok_or_else(|| anyhow::anyhow!("--book needs a folder\n{USAGE}"))?;
            }
            flag if flag.starts_with('-') => anyhow::bail!("unknown option `{flag}`\n{USAGE}"),
            path if out.is_none() => out = Some(PathBuf::from(path)),
            extra => anyhow::bail!("unexpected argument `{extra}`\n{USAGE}"),
        }
    }
    let out =
        out.ok_or_else(|| anyhow::anyhow!("export-gitbook needs an output folder\n{USAGE}"))?;
    let summary = mdbook_codetabs::export::export(&root, &out, &opts)?;
    eprintln!(
        "exported {} chapters ({} tab groups, {} assets) to {}",
        summary.chapters,
        summary.tab_groups,
        summary.assets,
        out.display()
    );
    Ok(())
}
