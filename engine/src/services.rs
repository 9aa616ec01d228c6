//! Orchestration and the workers, each bootstrapped in-process from the
//! published crates (tasker-orchestration, tasker-worker 0.1.8) and run until
//! SIGTERM or Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tasker_orchestration::orchestration::bootstrap::OrchestrationBootstrap;
use tasker_worker::worker::handlers::{
    HandlerDispatchConfig, HandlerDispatchService, StepHandlerRegistry,
};
use tasker_worker::WorkerBootstrap;

use crate::bridge::{BridgeRegistry, HandlerProcess, StepShape};
use crate::namespaces::Language;
use crate::repo_root;

/// Steps one worker process runs at once. Node and Ruby answer concurrently;
/// the Rust handlers are async.
const MAX_CONCURRENT_STEPS: usize = 8;
/// How long a handler process may take to load its handlers.
const HANDLER_PROCESS_READY: Duration = Duration::from_secs(120);

async fn shutdown_signal() -> Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    Ok(())
}

pub async fn run_orchestration() -> Result<()> {
    let mut handle = OrchestrationBootstrap::bootstrap()
        .await
        .map_err(|error| anyhow::anyhow!("orchestration did not start: {error}"))?;
    eprintln!("tasker-book: orchestration running");
    shutdown_signal().await?;
    let stopped = tokio::time::timeout(Duration::from_secs(20), handle.stop()).await;
    if !matches!(stopped, Ok(Ok(()))) {
        eprintln!("tasker-book: orchestration did not stop cleanly");
    }
    Ok(())
}

/// The handler process a language's worker core hands its steps to.
async fn handler_process(language: Language) -> Result<Arc<HandlerProcess>> {
    let root = repo_root();
    let (shape, program, args) = match language {
        Language::TypeScript => {
            let tsx = root.join("handlers/typescript/node_modules/.bin/tsx");
            anyhow::ensure!(
                tsx.exists(),
                "{} is missing: run scripts/test-typescript once (it installs handlers/typescript/node_modules)",
                tsx.display()
            );
            (
                StepShape::FfiStepEvent,
                tsx.display().to_string(),
                vec![root
                    .join("engine/workers/typescript/worker.ts")
                    .display()
                    .to_string()],
            )
        }
        Language::Ruby => (
            StepShape::TaskSequenceStep,
            "ruby".to_string(),
            vec![
                "-I".to_string(),
                root.join("handlers/ruby/sdk/lib").display().to_string(),
                root.join("engine/workers/ruby/worker.rb")
                    .display()
                    .to_string(),
            ],
        ),
        other => anyhow::bail!(
            "{} handlers run in their own worker, not behind the bridge",
            other.name()
        ),
    };
    HandlerProcess::spawn(
        language.name(),
        shape,
        &program,
        &args,
        &root,
        HANDLER_PROCESS_READY,
    )
    .await
}

async fn serve<R: StepHandlerRegistry>(registry: Arc<R>, service_id: &str) -> Result<()> {
    let mut handle = WorkerBootstrap::bootstrap()
        .await
        .map_err(|error| anyhow::anyhow!("worker did not start: {error}"))?;
    let dispatch = handle
        .take_dispatch_handles()
        .context("the worker core handed out no dispatch channels")?;
    let config = HandlerDispatchConfig {
        max_concurrent_handlers: MAX_CONCURRENT_STEPS,
        service_id: service_id.to_string(),
        ..HandlerDispatchConfig::default()
    };
    let (service, _capacity) = HandlerDispatchService::new(
        dispatch.dispatch_receiver,
        dispatch.completion_sender,
        registry,
        config,
    );
    tokio::spawn(service.run());
    eprintln!(
        "tasker-book: {service_id} serving {:?}",
        handle.supported_namespaces().await
    );
    shutdown_signal().await?;
    let _ = tokio::time::timeout(Duration::from_secs(20), handle.stop()).await;
    Ok(())
}

pub async fn run_worker(language: Language) -> Result<()> {
    let service_id = format!("{}-worker", language.name());
    match language {
        Language::Rust => {
            serve(
                Arc::new(tasker_blog_handlers::BlogHandlerRegistry::new()),
                &service_id,
            )
            .await
        }
        Language::TypeScript | Language::Ruby => {
            // Started first, so that no step arrives before its handlers are loaded.
            let process = handler_process(language).await?;
            serve(Arc::new(BridgeRegistry::new(process)), &service_id).await
        }
        Language::Python => {
            anyhow::bail!("the Python worker is tasker-py's own: engine/workers/python/worker.py")
        }
    }
}
