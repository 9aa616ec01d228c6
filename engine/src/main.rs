//! `tasker-book`: the services of the book's engine stack, run by
//! scripts/stack (see engine/README.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tasker_book_engine::config::{self, Role};
use tasker_book_engine::namespaces::{self, Language};
use tasker_book_engine::records::{self, Stack};
use tasker_book_engine::{repo_root, report, services};

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
        /// Cap the engine's wait before a retry (common.backoff.max_backoff_seconds)
        #[arg(long)]
        max_backoff_seconds: Option<u32>,
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
        /// The folder with one sub-folder of templates per language (default: the book's, handlers/templates)
        #[arg(long)]
        from: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Run each post's example on a running stack and write the reports the chapters' timelines draw
    #[command(
        after_help = "Example: tasker-book record-runs --stack-env .tools/stack/stack.env --language python --out engine/reports"
    )]
    RecordRuns {
        /// The stack.env `scripts/stack up` wrote
        #[arg(long)]
        stack_env: PathBuf,
        /// Whose workers run the recorded runs
        #[arg(long, default_value = "python")]
        language: String,
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
            max_backoff_seconds,
            out,
        } => {
            let stack = config::StackSettings {
                orchestration_url,
                max_backoff_seconds,
            };
            config::write(Role::parse(&role)?, &stack, &out)?;
            Ok(())
        }
        Command::Templates {
            language,
            namespaces,
            from,
            out,
        } => {
            let written = namespaces::write_worker_templates(
                &from.unwrap_or_else(|| repo_root().join("handlers/templates")),
                Language::parse(&language)?,
                &namespaces,
                &out,
            )?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(())
        }
        Command::RecordRuns {
            stack_env,
            language,
            out,
        } => {
            let stack = Stack::from_env_file(&stack_env)?;
            let language = Language::parse(&language)?;
            runtime(false)?.block_on(record_runs(&stack, language, &out))
        }
        Command::Orchestration => runtime(true)?.block_on(services::run_orchestration()),
        Command::Worker { language } => {
            let language = Language::parse(&language)?;
            runtime(true)?.block_on(services::run_worker(language))
        }
    }
}

/// One run per recorded workflow, one at a time so that no run's timeline
/// shares the workers with another's.
async fn record_runs(stack: &Stack, language: Language, out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)?;
    for (stem, template) in report::RECORDED {
        let body = records::request_for(language, stem, |_| {})?;
        let run = records::submit_and_settle(stack, language, body).await?;
        let report = report::report(&run, template)?;
        report::check(&report, template)
            .with_context(|| format!("the run of {template} ({})", run.describe()))?;
        let path = out.join(format!("{template}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| path.display().to_string())?;
        println!("{}", path.display());
    }
    Ok(())
}

/// A runtime for one command; the services log through tasker's tracing
/// set-up, the client commands print only their own lines.
fn runtime(services: bool) -> anyhow::Result<tokio::runtime::Runtime> {
    if services {
        tasker_shared::logging::init_tracing();
    }
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
