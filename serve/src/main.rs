//! `codetabs-serve`: the book at http://localhost:3000, rebuilt in-process
//! the moment a chapter, the theme or a handler file is saved, with open pages
//! reloaded. What `mdbook serve` does, without its one-second polling and
//! without its native watcher's rebuild loop (see `changes`).

mod changes;
mod http;
mod problems;
mod rebuild;

use anyhow::Context;
use clap::Parser;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// Live preview of the book: serves it and rebuilds it in-process the moment
/// a chapter, the theme, book.toml or a watched handler file is saved.
#[derive(Parser)]
#[command(
    name = "codetabs-serve",
    version,
    after_help = "Examples:\n  codetabs-serve                 the book in this folder at http://localhost:3000\n  codetabs-serve path/to/book -p 4000 --open\n  codetabs-serve -n 0.0.0.0      listen on every interface (mind who can reach it)"
)]
struct Opts {
    /// The book's folder (the one with book.toml)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Port to listen on
    #[arg(short, long, default_value_t = 3000)]
    port: u16,
    /// Host name or address to listen on
    #[arg(short = 'n', long, default_value = "localhost")]
    hostname: String,
    /// Open the book in the default browser once it is served
    #[arg(short, long)]
    open: bool,
}

#[global_allocator]
static ALLOCATOR: mdbook_codetabs::memory::Allocator = mdbook_codetabs::memory::Allocator {};

fn main() -> ExitCode {
    mdbook_codetabs::memory::tune(mdbook_codetabs::memory::Purge::Never);
    match run(Opts::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: Opts) -> anyhow::Result<()> {
    let root = opts
        .dir
        .canonicalize()
        .with_context(|| format!("no book folder at {}", opts.dir.display()))?;
    let addr: SocketAddr = (opts.hostname.as_str(), opts.port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {}", opts.hostname))?
        .next()
        .ok_or_else(|| anyhow::anyhow!("{} has no address", opts.hostname))?;

    // The first build must succeed: there is nothing to serve otherwise.
    let built = rebuild::build(&root)?;
    eprintln!(
        "built {} in {:.2} s",
        root.display(),
        built.took.as_secs_f64()
    );

    let reloader = http::Reloader::new();
    let state = http::BuildState::new();
    let output = http::OutputLock::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the web server")?;
    let (bound, server) = runtime.block_on(http::bind(
        addr,
        built.dir.clone(),
        &built.not_found,
        reloader.clone(),
        state.clone(),
        output.clone(),
    ))?;
    std::thread::spawn(move || {
        if let Err(e) = runtime.block_on(server) {
            eprintln!("error: the web server stopped: {e}");
            std::process::exit(1);
        }
    });

    let mut changes = changes::Changes::watch(&root, &built.watch)?;
    let url = format!("http://{bound}/");
    println!("serving at {url} (Ctrl-C stops)");
    if opts.open {
        open_in_browser(&url);
    }
    while let Some(paths) = changes.next() {
        let what = describe(&paths);
        let built = {
            let _rebuilding = output.rebuilding();
            rebuild::build(&root)
        };
        match built {
            Ok(b) => {
                // book.toml may name other folders to watch now.
                if paths.iter().any(|p| p.as_os_str() == "book.toml") {
                    match changes::Changes::watch(&root, &b.watch) {
                        Ok(fresh) => changes = fresh,
                        Err(e) => {
                            eprintln!("error: {e:#} (still watching the folders named before)")
                        }
                    }
                }
                state.set(problems::ok());
                let pages = reloader.reload();
                eprintln!(
                    "rebuilt in {:.2} s ({what} changed); reloading {pages} open page(s)",
                    b.took.as_secs_f64()
                );
            }
            // A broken edit is part of writing: say what is wrong, keep the
            // last good pages up, and wait for the fix.
            Err(e) => {
                state.set(problems::failed(&e));
                eprintln!("error: {e:#}\n(after {what} changed; still serving the last good build)")
            }
        }
    }
    Ok(())
}

/// Best effort: the URL is printed either way.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = opener {
        eprintln!("could not open a browser ({e}); open {url} yourself");
    }
}

fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        [first, rest @ ..] => format!("{} and {} more", first.display(), rest.len()),
        [] => "nothing".into(),
    }
}
