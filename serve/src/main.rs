//! `codetabs-serve`: the book at http://localhost:3000, rebuilt in-process
//! the moment a chapter, the theme or a handler file is saved, with open pages
//! reloaded. What `mdbook serve` does, without its one-second polling and
//! without its native watcher's rebuild loop (see `changes`).

mod changes;
mod http;
mod problems;
mod rebuild;

use anyhow::Context;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: codetabs-serve [BOOK_DIR] [-p|--port PORT] [-n|--hostname HOST] [-o|--open]
  Serves BOOK_DIR (default: the current folder) at http://HOST:PORT/
  (default localhost:3000) and rebuilds it whenever a chapter, the theme,
  book.toml or a file under build.extra-watch-dirs changes; --open opens
  the book in the default browser.";

struct Opts {
    dir: PathBuf,
    host: String,
    port: u16,
    open: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> anyhow::Result<Opts> {
    let mut opts = Opts {
        dir: PathBuf::from("."),
        host: "localhost".into(),
        port: 3000,
        open: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "-p" | "--port" => {
                let v = value(&arg)?;
                opts.port = v
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--port: `{v}` is not a port number"))?;
            }
            "-n" | "--hostname" => opts.host = value(&arg)?,
            "-o" | "--open" => opts.open = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            flag if flag.starts_with('-') => anyhow::bail!("unknown option `{flag}`\n{USAGE}"),
            dir => opts.dir = PathBuf::from(dir),
        }
    }
    Ok(opts)
}

fn run() -> anyhow::Result<()> {
    let opts = parse_args()?;
    let root = opts
        .dir
        .canonicalize()
        .with_context(|| format!("no book folder at {}", opts.dir.display()))?;
    let addr: SocketAddr = (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {}", opts.host))?
        .next()
        .ok_or_else(|| anyhow::anyhow!("{} has no address", opts.host))?;

    // The first build must succeed: there is nothing to serve otherwise.
    let built = rebuild::build(&root)?;
    eprintln!(
        "built {} in {:.2} s",
        root.display(),
        built.took.as_secs_f64()
    );

    let reloader = http::Reloader::new();
    let state = http::BuildState::new();
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
        match rebuild::build(&root) {
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
