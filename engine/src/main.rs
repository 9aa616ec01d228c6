//! `tasker-book`: the services of the book's engine stack, run by
//! scripts/stack (see engine/README.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tasker_book_engine::config::{self, Role};
use tasker_book_engine::namespaces::{self, Language};
use tasker_book_engine::{repo_root, services};

#[derive(Parser)]
#[command(
    name = "tasker-book",
    version,
    about = "The book's Tasker services (run by scripts/stack)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a service's configuration (tasker's defaults + engine/config/<role>.toml), checked by tasker's loader
    #[command(
        after_help = "Example: tasker-book config worker --orchestration-url http://127.0.0.1:8080 --out worker.toml"
    )]
    Config {
        /// orchestration or worker
        role: String,
        /// Where the worker reaches orchestration's REST API
        #[arg(long)]
        orchestration_url: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a language's templates, each under that language's namespace (ecommerce → ecommerce_py)
    #[command(
        after_help = "Example: tasker-book templates --language python --namespace payments --out tmpl/"
    )]
    Templates {
        #[arg(long)]
        language: String,
        /// Only templates of this book namespace (repeatable; all when absent)
        #[arg(long = "namespace")]
        namespaces: Vec<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Run tasker-orchestration (config from TASKER_CONFIG_PATH) until SIGTERM
    Orchestration,
    /// Run a worker for rust, typescript or ruby handlers (templates from TASKER_TEMPLATE_PATH) until SIGTERM
    Worker {
        #[arg(long)]
        language: String,
    },
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Config {
            role,
            orchestration_url,
            out,
        } => {
            config::write(Role::parse(&role)?, orchestration_url.as_deref(), &out)?;
            Ok(())
        }
        Command::Templates {
            language,
            namespaces,
            out,
        } => {
            let written = namespaces::write_worker_templates(
                &repo_root().join("handlers/templates"),
                Language::parse(&language)?,
                &namespaces,
                &out,
            )?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(())
        }
        Command::Orchestration => runtime()?.block_on(services::run_orchestration()),
        Command::Worker { language } => {
            let language = Language::parse(&language)?;
            runtime()?.block_on(services::run_worker(language))
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tasker_shared::logging::init_tracing();
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tasker-book: {error:#}");
            ExitCode::FAILURE
        }
    }
}
