//! The long-lived worker processes for Python, TypeScript and Ruby.
//!
//! Protocol (newline-delimited JSON, one object per line):
//! - worker → harness, once, at start: `{"ready": true, "language": "python"}`
//! - harness → worker: `{"id": 7, "callable": "<template callable>", "context": {…}}`
//!   where the context is vector-shaped (namespace, step, template, input,
//!   dependency_results, step_config, retry), so each worker builds its SDK's
//!   step context with the code its vector runner already uses;
//! - worker → harness: `{"id": 7, "outcome": {normalised outcome}}`, or
//!   `{"id": 7, "error": "…"}` when the step cannot even be attempted (the
//!   callable resolves to no handler).
//!
//! Requests are answered as they finish, not in order: a worker may run
//! several at once, and replies are matched by id.
//!
//! The process is driven from plain threads (not tokio's process support) so
//! one worker can serve any number of tokio runtimes, e.g. every test of a
//! test binary, each of which has its own runtime.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::error::{WorkerFailure, WorkerFailureKind};
use crate::language::Language;

/// How much of a worker's stderr is kept for error messages.
const STDERR_TAIL_BYTES: usize = 16 * 1024;
/// Python imports tasker_core's native module, TypeScript compiles on the
/// fly: generous, but a broken environment still fails rather than hangs.
const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// How to start one language's worker.
#[derive(Debug, Clone)]
pub struct WorkerSpec {
    pub language: Language,
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
    pub startup_timeout: Duration,
    /// Shown when the program cannot be spawned at all.
    pub setup_hint: String,
}

impl WorkerSpec {
    /// The worker of `language` with that language's own environment, or
    /// `None` for Rust (its handlers run in-process).
    pub fn standard(root: &Path, language: Language) -> Option<WorkerSpec> {
        let workers = root.join("e2e/workers");
        let handlers = root.join("handlers");
        let spec = |program: PathBuf, args: Vec<OsString>, cwd: PathBuf, hint: &str| WorkerSpec {
            language,
            program,
            args,
            cwd,
            env: Vec::new(),
            startup_timeout: DEFAULT_STARTUP_TIMEOUT,
            setup_hint: hint.to_string(),
        };
        match language {
            Language::Rust => None,
            Language::Python => {
                let mut spec = spec(
                    handlers.join("python/.venv/bin/python"),
                    vec![workers.join("python/worker.py").into()],
                    handlers.join("python"),
                    "run scripts/test-python once: it creates handlers/python/.venv",
                );
                // tasker_core's native module logs on import unless told not to;
                // bytecode stays out of handlers/ (this harness does not own it).
                spec.env.push(("RUST_LOG".into(), "warn".into()));
                spec.env
                    .push(("PYTHONDONTWRITEBYTECODE".into(), "1".into()));
                spec.env.push(("PYTHONUNBUFFERED".into(), "1".into()));
                Some(spec)
            }
            // tsx compiles the worker and the handlers on the fly; running it
            // from handlers/typescript makes it use that package's tsconfig.
            Language::TypeScript => Some(spec(
                handlers.join("typescript/node_modules/.bin/tsx"),
                vec![workers.join("typescript/worker.ts").into()],
                handlers.join("typescript"),
                "run scripts/test-typescript once: it installs handlers/typescript/node_modules",
            )),
            Language::Ruby => Some(spec(
                PathBuf::from("ruby"),
                vec![
                    "-I".into(),
                    handlers.join("ruby/sdk/lib").into(),
                    workers.join("ruby/worker.rb").into(),
                ],
                handlers.join("ruby"),
                "run scripts/test-ruby once: it installs Ruby",
            )),
        }
    }
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Value>>>>;

/// A running worker process.
pub struct WorkerProcess {
    language: Language,
    child: Mutex<Child>,
    /// Lines for the writer thread, which owns the worker's stdin: a worker
    /// that stops reading fills the pipe, and the write must then block that
    /// thread, not a runtime thread (the step timeout has to keep ticking).
    requests: Mutex<Option<mpsc::Sender<String>>>,
    pending: Pending,
    next_id: AtomicU64,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Arc<AtomicBool>,
    stdout_closed: Arc<AtomicBool>,
    /// The first line that was not a protocol message, if any.
    protocol_error: Arc<Mutex<Option<String>>>,
}

/// What a worker said about one request.
pub enum WorkerReply {
    Outcome(Value),
    /// The worker could not attempt the step (no handler for the callable).
    Unresolved(String),
    /// No reply within the step's timeout.
    TimedOut,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The data behind these locks stays consistent even if a holder panicked
    // (each update is a single insert/remove/append).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl WorkerProcess {
    /// Spawns the worker and waits for its ready line. `step` is the step
    /// that needed the worker, for the error message.
    pub async fn start(spec: &WorkerSpec, step: &str) -> Result<Arc<Self>, WorkerFailure> {
        let failure = |detail: String, stderr: String| WorkerFailure {
            language: spec.language,
            step: step.to_string(),
            kind: WorkerFailureKind::StartFailed,
            detail,
            stderr,
        };
        let mut child = Command::new(&spec.program)
            .args(&spec.args)
            .current_dir(&spec.cwd)
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                failure(
                    format!(
                        "cannot run {}: {e} ({})",
                        spec.program.display(),
                        spec.setup_hint
                    ),
                    String::new(),
                )
            })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(failure(
                "stdio pipes were not created".into(),
                String::new(),
            ));
        };

        let worker = Arc::new(WorkerProcess {
            language: spec.language,
            child: Mutex::new(child),
            requests: Mutex::new(Some(spawn_stdin_writer(stdin))),
            pending: Arc::new(Mutex::new(HashMap::new())),
            next_id: AtomicU64::new(1),
            stderr: Arc::new(Mutex::new(Vec::new())),
            stderr_done: Arc::new(AtomicBool::new(false)),
            stdout_closed: Arc::new(AtomicBool::new(false)),
            protocol_error: Arc::new(Mutex::new(None)),
        });
        worker.spawn_stderr_reader(stderr);
        let ready = worker.spawn_stdout_reader(stdout);

        match tokio::time::timeout(spec.startup_timeout, ready).await {
            Ok(Ok(line)) if line.get("ready") == Some(&Value::Bool(true)) => Ok(worker),
            Ok(Ok(line)) => Err(failure(
                format!("expected a ready line, got {line}"),
                worker.stderr_tail(),
            )),
            Ok(Err(_)) => {
                let status = worker.exit_status();
                let detail = match lock(&worker.protocol_error).clone() {
                    Some(line) => format!("wrote {line:?} instead of the ready line ({status})"),
                    None => format!("exited before it was ready ({status})"),
                };
                Err(failure(detail, worker.stderr_tail()))
            }
            Err(_) => {
                worker.kill();
                Err(failure(
                    format!("not ready after {:?}", spec.startup_timeout),
                    worker.stderr_tail(),
                ))
            }
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// True once the worker closed its stdout (it exited or is exiting).
    pub fn is_dead(&self) -> bool {
        self.stdout_closed.load(Ordering::SeqCst)
    }

    /// Sends one request and waits up to `timeout` for its reply.
    pub async fn call(
        &self,
        step: &str,
        callable: &str,
        context: &Value,
        timeout: Duration,
    ) -> Result<WorkerReply, WorkerFailure> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (sender, receiver) = oneshot::channel();
        lock(&self.pending).insert(id, sender);
        let mut line = json!({"id": id, "callable": callable, "context": context}).to_string();
        line.push('\n');
        let written = lock(&self.requests)
            .as_ref()
            .map(|requests| requests.send(line));
        let written = match written {
            Some(Ok(())) => Ok(()),
            Some(Err(_)) => Err("the stdin writer has stopped"),
            None => Err("stdin already closed"),
        };
        if let Err(error) = written {
            lock(&self.pending).remove(&id);
            return Err(self.crashed(step, format!("cannot send the request: {error}")));
        }
        match tokio::time::timeout(timeout, receiver).await {
            Ok(Ok(reply)) => {
                if let Some(outcome) = reply.get("outcome") {
                    Ok(WorkerReply::Outcome(outcome.clone()))
                } else if let Some(error) = reply.get("error") {
                    Ok(WorkerReply::Unresolved(
                        error
                            .as_str()
                            .map_or_else(|| error.to_string(), String::from),
                    ))
                } else {
                    Err(WorkerFailure {
                        language: self.language,
                        step: step.to_string(),
                        kind: WorkerFailureKind::Protocol,
                        detail: format!("reply has neither outcome nor error: {reply}"),
                        stderr: self.stderr_tail(),
                    })
                }
            }
            // The reader dropped every pending sender: stdout closed.
            Ok(Err(_)) => {
                let detail = match lock(&self.protocol_error).clone() {
                    Some(line) => format!("wrote {line:?}, which is not a protocol message"),
                    None => format!("exited while running the step ({})", self.exit_status()),
                };
                Err(self.crashed(step, detail))
            }
            Err(_) => {
                // A late reply finds no sender and is dropped.
                lock(&self.pending).remove(&id);
                Ok(WorkerReply::TimedOut)
            }
        }
    }

    fn crashed(&self, step: &str, detail: String) -> WorkerFailure {
        WorkerFailure {
            language: self.language,
            step: step.to_string(),
            kind: WorkerFailureKind::Crashed,
            detail,
            stderr: self.stderr_tail(),
        }
    }

    /// The last bytes of the worker's stderr. Waits briefly for the stderr
    /// pipe to drain if the process has ended, so a crash message includes
    /// the traceback that caused it.
    pub fn stderr_tail(&self) -> String {
        if self.is_dead() {
            let deadline = Instant::now() + Duration::from_secs(2);
            while !self.stderr_done.load(Ordering::SeqCst) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(10));
            }
        }
        String::from_utf8_lossy(&lock(&self.stderr)).into_owned()
    }

    /// "exit status: 3", "still running" … for messages.
    fn exit_status(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match lock(&self.child).try_wait() {
                Ok(Some(status)) => return status.to_string(),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Ok(None) => return "still running".to_string(),
                Err(error) => return format!("status unknown: {error}"),
            }
        }
    }

    fn kill(&self) {
        let mut child = lock(&self.child);
        // Already-exited children make kill() fail harmlessly.
        let _ = child.kill();
        let _ = child.wait();
    }

    fn spawn_stderr_reader(&self, mut stderr: impl Read + Send + 'static) {
        let (tail, done) = (Arc::clone(&self.stderr), Arc::clone(&self.stderr_done));
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stderr.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let mut tail = lock(&tail);
                tail.extend_from_slice(&buffer[..read]);
                let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
                tail.drain(..excess);
            }
            done.store(true, Ordering::SeqCst);
        });
    }

    /// Routes replies to their waiting callers; the first line goes to the
    /// returned receiver (the ready line).
    fn spawn_stdout_reader(&self, stdout: impl Read + Send + 'static) -> oneshot::Receiver<Value> {
        let (ready_sender, ready) = oneshot::channel();
        let pending = Arc::clone(&self.pending);
        let closed = Arc::clone(&self.stdout_closed);
        let protocol_error = Arc::clone(&self.protocol_error);
        thread::spawn(move || {
            let mut ready_sender = Some(ready_sender);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.trim().is_empty() {
                    continue;
                }
                let Ok(message) = serde_json::from_str::<Value>(&line) else {
                    // Anything else on stdout means the worker's output is no
                    // longer trustworthy: stop, fail what is in flight.
                    *lock(&protocol_error) = Some(line);
                    break;
                };
                if let Some(sender) = ready_sender.take() {
                    let _ = sender.send(message);
                    continue;
                }
                let id = message.get("id").and_then(Value::as_u64);
                if let Some(sender) = id.and_then(|id| lock(&pending).remove(&id)) {
                    // The caller may have timed out and gone: nothing to do then.
                    let _ = sender.send(message);
                }
            }
            closed.store(true, Ordering::SeqCst);
            // Dropping the senders wakes every waiting caller with an error.
            lock(&pending).clear();
        });
        ready
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        // Closing stdin is the polite stop (workers exit on EOF); kill makes
        // sure a stuck worker does not outlive the harness.
        lock(&self.requests).take();
        self.kill();
    }
}

/// The thread that writes request lines to the worker's stdin. It ends, and
/// closes stdin (EOF: the worker's signal to exit), when the sender is
/// dropped or the pipe breaks.
fn spawn_stdin_writer(mut stdin: ChildStdin) -> mpsc::Sender<String> {
    let (sender, lines) = mpsc::channel::<String>();
    thread::spawn(move || {
        for line in lines {
            if stdin
                .write_all(line.as_bytes())
                .and_then(|()| stdin.flush())
                .is_err()
            {
                // The worker is gone; its stdout reader reports that.
                break;
            }
        }
    });
    sender
}

/// One worker per language, started on first use and restarted if it died.
pub struct WorkerPool {
    specs: HashMap<Language, WorkerSpec>,
    running: tokio::sync::Mutex<HashMap<Language, Arc<WorkerProcess>>>,
}

impl WorkerPool {
    pub fn new(root: &Path) -> Self {
        let specs = Language::ALL
            .into_iter()
            .filter_map(|language| {
                WorkerSpec::standard(root, language).map(|spec| (language, spec))
            })
            .collect();
        Self {
            specs,
            running: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Replaces how a language's worker is started (tests use this to start
    /// deliberately broken workers).
    pub fn set_spec(&mut self, spec: WorkerSpec) {
        self.specs.insert(spec.language, spec);
    }

    /// The running worker for `language`, started if needed.
    pub async fn worker(
        &self,
        language: Language,
        step: &str,
    ) -> Result<Arc<WorkerProcess>, WorkerFailure> {
        // Held across the start-up so that two steps needing the same worker
        // at once start it once.
        let mut running = self.running.lock().await;
        if let Some(worker) = running.get(&language).filter(|w| !w.is_dead()) {
            return Ok(Arc::clone(worker));
        }
        let spec = self.specs.get(&language).ok_or_else(|| WorkerFailure {
            language,
            step: step.to_string(),
            kind: WorkerFailureKind::StartFailed,
            detail: "this language has no worker process (its handlers run in-process)".into(),
            stderr: String::new(),
        })?;
        let worker = WorkerProcess::start(spec, step).await?;
        running.insert(language, Arc::clone(&worker));
        Ok(worker)
    }
}
