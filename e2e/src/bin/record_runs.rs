//! Records the success run of every workflow (post 04: both templates) in
//! one language (Python, the real SDK, by default) and writes
//! `e2e/reports/<template file stem>.json`, the files the book's timeline
//! directive reads.
//!
//!     cargo run -p tasker-e2e --bin record-runs [-- --language python --delay-ms 20 --out e2e/reports]
//!
//! Another language or folder is for comparing runs; the committed reports
//! are Python's, in e2e/reports.

use std::process::ExitCode;
use std::time::Duration;

use tasker_e2e::report::{check_against, check_shape};
use tasker_e2e::{repo_root, scenarios, Harness, Language, RunOptions, RunOutcome};

/// Recorded with a small dispatch delay per step (see RunOptions) so the
/// timeline shows which steps overlap; without it every bar would be a few
/// microseconds wide.
const DEFAULT_DELAY_MS: u64 = 20;

fn main() -> ExitCode {
    match record() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("record-runs: {message}");
            ExitCode::FAILURE
        }
    }
}

fn record() -> Result<(), String> {
    let mut language = Language::Python;
    let mut delay_ms = DEFAULT_DELAY_MS;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--language" => language = value.parse()?,
            "--delay-ms" => {
                delay_ms = value
                    .parse()
                    .map_err(|e| format!("--delay-ms {value:?}: {e}"))?;
            }
            "--out" => out = Some(std::path::PathBuf::from(value)),
            _ => {
                return Err(format!(
                    "unknown argument {arg} (--language, --delay-ms, --out)"
                ))
            }
        }
    }

    let root = repo_root();
    let options = RunOptions {
        dispatch_delay: Duration::from_millis(delay_ms),
        ..RunOptions::default()
    };
    let harness = Harness::new(&root, options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let reports = out.unwrap_or_else(|| root.join("e2e/reports"));
    std::fs::create_dir_all(&reports).map_err(|e| format!("{}: {e}", reports.display()))?;

    for (stem, input) in scenarios::success_cases() {
        let workflow = harness
            .workflow(language, stem)
            .map_err(|e| e.to_string())?;
        let report = runtime
            .block_on(harness.run(&workflow, input))
            .map_err(|e| e.to_string())?;
        if report.outcome != RunOutcome::Complete {
            return Err(format!("{stem} ({language}) did not complete: {report:?}"));
        }
        let text = report.to_json_pretty().map_err(|e| e.to_string())?;
        // Never write a report the book (and the e2e tests) would reject.
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let mut problems = check_shape(&value);
        problems.extend(check_against(&report, &workflow));
        if !problems.is_empty() {
            return Err(format!("{stem}: {}", problems.join("; ")));
        }
        let path = reports.join(format!("{stem}.json"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        let span = report
            .steps
            .iter()
            .filter_map(|step| step.span())
            .map(|(_, end)| end)
            .fold(0.0, f64::max);
        println!(
            "wrote {} ({} steps, {span:.1} ms)",
            path.display(),
            report.steps.len()
        );
    }
    Ok(())
}
