//! `mdbook-codetabs new-handler` on a copy of the repository (handlers/,
//! src/, engine/reports/ and the top-level files: book.toml, codetabs.lock,
//! …): two new handlers, one in a post with one template (post 01) and one in
//! a post with two (post 04, `--namespace payments`), then each language's
//! own tools on the copy:
//!
//! - Ruby: `ruby -wc` and loading the classes; Python: `ruff check`, `ruff
//!   format --check` and importing the modules (handlers/python/.venv);
//!   TypeScript: `tsc --noEmit` over the whole copy (node_modules linked from
//!   the repository); Rust: rustfmt on every file new-handler wrote or edited,
//!   no clippy warning in them, from the one build of the copied handlers
//!   crate (clippy-driver as its compiler, as `cargo clippy` runs it) into the
//!   workspace's target folder (under another package name, so no artifact of
//!   the real crate is replaced), which reuses the compiled tasker crates;
//! - `check` finds nothing new but what a new handler must show: its
//!   `handler` anchors, in no chapter yet, and the changed templates, not yet
//!   in codetabs.lock (no template divergence, no unresolved callable, no
//!   handler missing in a language, no stale README). Once a chapter shows
//!   the handlers and `check --update` records them, nothing new is left;
//! - the new vectors fail in each language's vector runner, on the
//!   placeholder's result, and nothing else runs;
//! - a second run refuses and changes nothing; so do an unknown post, a
//!   post with two templates and no `--namespace`, a step already in a
//!   template and a file that already exists.
//!
//! A language whose tools are missing is skipped with a message on the
//! terminal (not captured by the test harness); `scripts/test` installs them.
//! Warm, the whole file takes about 7 s (`--nocapture` prints the times).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// Installed packages, caches and build output: never copied.
const NOT_COPIED: &[&str] = &[
    "node_modules",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "target",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn codetabs(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mdbook-codetabs"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("runs mdbook-codetabs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Says so on the terminal even when the harness captures test output.
fn loud(message: &str) {
    let _ = writeln!(std::io::stderr(), "\n!!! new_handler test: {message}\n");
}

/// What `new-handler` and `check` read, copied into `to`.
fn copy_book(to: &Path) {
    let from = repo();
    for rel in ["handlers", "src", "engine/reports"] {
        let walk = walkdir::WalkDir::new(from.join(rel))
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !NOT_COPIED.contains(&e.file_name().to_string_lossy().as_ref()));
        for entry in walk {
            let entry = entry.expect("walks the repository");
            let rel = entry
                .path()
                .strip_prefix(&from)
                .expect("inside the repository");
            let target = to.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else if entry.file_type().is_file() {
                std::fs::copy(entry.path(), &target).expect("copies");
            }
        }
    }
    // book.toml, codetabs.lock and any other report `check` reads at the top.
    for entry in std::fs::read_dir(&from).expect("lists the repository") {
        let entry = entry.expect("lists the repository");
        let name = entry.file_name();
        if entry.file_type().is_ok_and(|t| t.is_file()) && !name.to_string_lossy().starts_with('.')
        {
            std::fs::copy(entry.path(), to.join(name)).expect("copies");
        }
    }
}

/// Every file under `root` (links not followed) with its content.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .map(|e| e.expect("walks the copy"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let content = std::fs::read(e.path()).expect("reads");
            (e.path().to_path_buf(), content)
        })
        .collect()
}

/// Runs new-handler, expecting a refusal that names `names`, and nothing changed.
fn refused(root: &Path, args: &[&str], names: &[&str]) {
    let before = snapshot(root);
    let mut all = vec!["new-handler"];
    all.extend_from_slice(args);
    let out = codetabs(root, &all);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail:\n{said}");
    assert!(said.starts_with("error: "), "{said}");
    for name in names {
        assert!(
            said.contains(name),
            "{args:?}: the error should name {name}:\n{said}"
        );
    }
    assert!(
        snapshot(root) == before,
        "{args:?} changed files although it failed"
    );
}

const POST_01: [&str; 2] = ["post_01_ecommerce", "archive_order"];
const POST_04: [&str; 4] = [
    "post_04_team_scaling",
    "record_refund_fee",
    "--namespace",
    "payments",
];

/// The files new-handler creates for the two handlers (book-relative).
fn new_files() -> Vec<String> {
    let mut files = Vec::new();
    for (folder, stem) in [
        ("post_01_ecommerce/step_handlers", "archive_order_handler"),
        (
            "post_04_team_scaling/payments/step_handlers",
            "record_refund_fee_handler",
        ),
    ] {
        for (lang, ext) in [
            ("ruby", "rb"),
            ("python", "py"),
            ("typescript", "ts"),
            ("rust", "rs"),
        ] {
            files.push(format!("handlers/{lang}/{folder}/{stem}.{ext}"));
        }
    }
    files
}

const VECTORS: [&str; 2] = [
    "post_01_ecommerce/archive_order__success",
    "post_04_team_scaling/record_refund_fee__success",
];

/// What every runner says about the skeleton: the placeholder's result.
const PLACEHOLDER_MISMATCH: &str = "result.placeholder: expected false, got true";

#[test]
fn refuses_what_it_cannot_do_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_book(root);
    refused(
        root,
        &["post_09_nowhere", "archive_order"],
        &[
            "unknown post folder `post_09_nowhere`",
            "handlers/ruby/post_09_nowhere does not exist",
            "post_01_ecommerce",
        ],
    );
    refused(
        root,
        &["post_04_team_scaling", "issue_credit_note"],
        &[
            "post_04_team_scaling has 2 templates",
            "--namespace customer_success (customer_success_process_refund.yaml)",
            "--namespace payments (payments_process_refund.yaml)",
        ],
    );
    refused(
        root,
        &[
            "post_04_team_scaling",
            "issue_credit_note",
            "--namespace",
            "ecommerce",
        ],
        &["--namespace ecommerce", "--namespace payments"],
    );
    refused(
        root,
        &["post_01_ecommerce", "Archive-Order"],
        &["snake_case"],
    );
    refused(root, &["../src", "archive_order"], &["folder's name only"]);
    refused(
        root,
        &["post_01_ecommerce", "validate_cart"],
        &["step `validate_cart` is already in handlers/templates/ruby/ecommerce_order_processing.yaml"],
    );

    // A step in one language's template only still stops every language.
    let python_template = root.join("handlers/templates/python/ecommerce_order_processing.yaml");
    let mut yaml = std::fs::read_to_string(&python_template).expect("template");
    yaml.push_str(
        "  - name: ship_parcel\n    handler:\n      callable: ecommerce.step_handlers.X\n    dependencies: []\n",
    );
    std::fs::write(&python_template, yaml).expect("writes");
    refused(
        root,
        &["post_01_ecommerce", "ship_parcel"],
        &["step `ship_parcel` is already in handlers/templates/python/ecommerce_order_processing.yaml"],
    );

    // A file it would create that exists (here only in TypeScript).
    let existing = "handlers/typescript/post_01_ecommerce/step_handlers/archive_order_handler.ts";
    std::fs::write(root.join(existing), "// mine\n").expect("writes");
    refused(
        root,
        &["post_01_ecommerce", "archive_order"],
        &[&format!("{existing} already exists")],
    );
}

#[test]
fn a_new_handler_builds_in_four_languages_and_its_vector_fails_in_each() {
    let started = Instant::now();
    // The copy lives at the same path every run, emptied first: the copied
    // crate then keeps its incremental compilation (keyed by its path) and
    // the TypeScript check its build info, halving the Rust check when warm.
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new_handler");
    if copy.exists() {
        std::fs::remove_dir_all(&copy).expect("empties the last run's copy");
    }
    std::fs::create_dir_all(&copy).expect("mkdir");
    let root = copy.as_path();
    copy_book(root);
    let baseline = findings(root);
    if !baseline.is_empty() {
        loud(&format!(
            "the repository itself has check findings; they are left out of the comparison: {baseline:?}"
        ));
    }

    for args in [&POST_01[..], &POST_04[..]] {
        let mut all = vec!["new-handler"];
        all.extend_from_slice(args);
        let out = codetabs(root, &all);
        let said = text(&out);
        assert!(out.status.success(), "{args:?}:\n{said}");
        let files = new_files();
        let mine = if args[0] == POST_01[0] {
            &files[..4]
        } else {
            &files[4..]
        };
        for file in mine {
            assert!(said.contains(&format!("created {file}\n")), "{said}");
            let source = std::fs::read_to_string(root.join(file)).expect("written");
            assert_eq!(source.matches("ANCHOR: handler").count(), 1, "{file}");
            assert_eq!(source.matches("ANCHOR_END: handler").count(), 1, "{file}");
        }
        for lang in ["ruby", "python", "typescript", "rust"] {
            assert!(
                said.contains(&format!("updated handlers/templates/{lang}/")),
                "{said}"
            );
        }
        for registry in [
            "handlers/rust/registry.rs",
            "handlers/typescript/registry.ts",
        ] {
            assert!(said.contains(&format!("updated {registry}\n")), "{said}");
        }
    }
    for vector in VECTORS {
        assert!(root
            .join(format!("handlers/vectors/{vector}.json"))
            .is_file());
    }

    // Twice: refused, nothing changed on disk.
    refused(
        root,
        &POST_01,
        &["step `archive_order` is already in handlers/templates/ruby/ecommerce_order_processing.yaml"],
    );
    refused(
        root,
        &POST_04,
        &["step `record_refund_fee` is already in handlers/templates/ruby/payments_process_refund.yaml"],
    );

    check_sees_only_what_a_new_handler_must_show(root, &baseline);

    // Rust builds in the background; the other languages meanwhile.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let rust = scope.spawn(|| timed("Rust", || rust(root)));
        let mut failures = Vec::new();
        for (lang, check) in [
            ("Ruby", ruby as fn(&Path) -> Result<(), String>),
            ("Python", python),
            ("TypeScript", typescript),
        ] {
            if let Err(e) = timed(lang, || check(root)) {
                failures.push(format!("{lang}: {e}"));
            }
        }
        match rust.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("Rust: {e}")),
            Err(_) => failures.push("Rust: the check panicked".to_string()),
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    check_passes_once_a_chapter_shows_them(root, &baseline);
    eprintln!(
        "new_handler: four languages checked in {:?}",
        started.elapsed()
    );
}

type Finding = (String, String, String);

/// `check --format json` findings as (kind, source or chapter, message).
fn findings(root: &Path) -> Vec<Finding> {
    let out = codetabs(root, &["check", ".", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let at = f["source"]
                .as_str()
                .or_else(|| f["chapter"].as_str())
                .unwrap_or("");
            (
                f["kind"].as_str().unwrap_or("").to_string(),
                at.to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Findings that are not in `baseline` (the untouched copy's) and not
/// `stale-coverage`: a measured coverage report names the vectors folder as
/// an input, so any new vector makes it stale until `cargo make coverage`
/// measures again.
fn new_findings(root: &Path, baseline: &[Finding]) -> Vec<Finding> {
    findings(root)
        .into_iter()
        .filter(|f| f.0 != "stale-coverage" && !baseline.contains(f))
        .collect()
}

/// The new `handler` anchors are in no chapter yet, and the chapters show
/// the templates whole, so those changed in every language; nothing else:
/// no template divergence, no unresolved callable, no handler missing in a
/// language, no stale README table, no drift.
fn check_sees_only_what_a_new_handler_must_show(root: &Path, baseline: &[Finding]) {
    let found = new_findings(root, baseline);
    let mut orphans: Vec<&str> = found
        .iter()
        .filter(|(kind, _, _)| kind == "orphan-anchor")
        .map(|(_, at, _)| at.rsplit_once(':').map_or(at.as_str(), |(file, _)| file))
        .collect();
    orphans.sort_unstable();
    let mut expected = new_files();
    expected.sort();
    assert_eq!(orphans, expected, "{found:#?}");
    let mut locked: Vec<&str> = found
        .iter()
        .filter(|(kind, _, _)| kind == "stale-lockfile")
        .map(|(_, _, message)| message.as_str())
        .collect();
    locked.sort_unstable();
    assert_eq!(locked.len(), 2, "{found:#?}");
    assert!(
        locked[0].contains("ecommerce_order_processing.yaml"),
        "{found:#?}"
    );
    assert!(
        locked[1].contains("payments_process_refund.yaml"),
        "{found:#?}"
    );
    assert!(
        locked
            .iter()
            .all(|m| m.contains("changed in every language")),
        "{found:#?}"
    );
    let other: Vec<_> = found
        .iter()
        .filter(|(kind, _, _)| kind != "orphan-anchor" && kind != "stale-lockfile")
        .collect();
    assert!(other.is_empty(), "{other:#?}");
}

/// Shown in a chapter and recorded with `check --update`, the new handlers
/// leave `check` with nothing new to report: the four templates agree beyond
/// their callables, every snippet resolves in every language.
fn check_passes_once_a_chapter_shows_them(root: &Path, baseline: &[Finding]) {
    let chapter = root.join("src/posts/01-ecommerce.md");
    let mut markdown = std::fs::read_to_string(&chapter).expect("chapter");
    markdown.push_str(
        "\n{{#codetabs post_01_ecommerce/step_handlers/archive_order_handler:handler title=\"ArchiveOrderHandler\"}}\n\n\
         {{#codetabs post_04_team_scaling/payments/step_handlers/record_refund_fee_handler:handler}}\n",
    );
    std::fs::write(&chapter, markdown).expect("writes");
    let update = codetabs(root, &["check", ".", "--update"]);
    assert!(
        text(&update).contains("updated codetabs.lock"),
        "{}",
        text(&update)
    );
    let left = new_findings(root, baseline);
    assert!(left.is_empty(), "{left:#?}");
}

/// `check()`, its time printed (seen with `--nocapture`).
fn timed(lang: &str, check: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let started = Instant::now();
    let result = check();
    eprintln!("new_handler: {lang} checked in {:?}", started.elapsed());
    result
}

/// Whether `program` runs at all (`--version`).
fn available(program: &Path) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `program`; the combined output, and whether it succeeded.
fn run(dir: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (bool, String) {
    let program = program.as_ref();
    match Command::new(program).args(args).current_dir(dir).output() {
        Ok(out) => (out.status.success(), text(&out)),
        Err(e) => (false, format!("cannot run {program:?}: {e}")),
    }
}

fn succeeds(
    dir: &Path,
    program: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
) -> Result<String, String> {
    let (ok, out) = run(dir, &program, args);
    if ok {
        Ok(out)
    } else {
        Err(format!(
            "`{} {}` failed:\n{out}",
            program.as_ref().to_string_lossy(),
            args.join(" ")
        ))
    }
}

/// The vector runner's output: it must fail, on both vectors, and only them.
fn fails_on_the_placeholder(
    what: &str,
    (ok, out): (bool, String),
    ran: &str,
) -> Result<(), String> {
    let mismatches = out.matches(PLACEHOLDER_MISMATCH).count();
    if ok || mismatches < 2 || !out.contains(ran) || !VECTORS.iter().all(|v| out.contains(v)) {
        return Err(format!(
            "{what}: expected both new vectors to fail on `{PLACEHOLDER_MISMATCH}` (and `{ran}`):\n{out}"
        ));
    }
    Ok(())
}

fn handler_files(lang: &str) -> Vec<String> {
    new_files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("handlers/{lang}/")))
        .map(|f| f[format!("handlers/{lang}/").len()..].to_string())
        .collect()
}

fn ruby(root: &Path) -> Result<(), String> {
    if !available(Path::new("ruby")) || !available(Path::new("rspec")) {
        loud("SKIPPED Ruby: ruby or rspec is missing (apt-get install ruby ruby-rspec)");
        return Ok(());
    }
    let dir = root.join("handlers/ruby");
    let files = handler_files("ruby");
    for file in &files {
        let out = succeeds(&dir, "ruby", &["-wc", file])?;
        if out.trim() != "Syntax OK" {
            return Err(format!("ruby -wc {file}: {out}"));
        }
    }
    let load = "require 'tasker_core'\n\
                files, names = ARGV.partition { |a| a.end_with?('.rb') }\n\
                files.each { |f| require File.expand_path(f) }\n\
                names.each { |n| raise \"#{n} is no handler\" unless Object.const_get(n) < TaskerCore::StepHandler::Base; puts n }";
    let mut args = vec!["-w", "-I", "sdk/lib", "-e", load];
    args.extend(files.iter().map(String::as_str));
    args.extend([
        "Ecommerce::StepHandlers::ArchiveOrderHandler",
        "Payments::StepHandlers::RecordRefundFeeHandler",
    ]);
    let loaded = succeeds(&dir, "ruby", &args)?;
    if loaded.trim_end()
        != "Ecommerce::StepHandlers::ArchiveOrderHandler\nPayments::StepHandlers::RecordRefundFeeHandler"
    {
        return Err(format!("loading the Ruby handlers printed:\n{loaded}"));
    }
    let runner = run(
        &dir,
        "rspec",
        &[
            "spec/vectors_spec.rb",
            "-e",
            "archive_order__success",
            "-e",
            "record_refund_fee__success",
        ],
    );
    fails_on_the_placeholder("rspec", runner, "2 examples, 2 failures")
}

fn python(root: &Path) -> Result<(), String> {
    let venv = repo().join("handlers/python/.venv/bin");
    let (python, ruff) = (venv.join("python"), venv.join("ruff"));
    if !available(&python) || !available(&ruff) {
        loud("SKIPPED Python: no handlers/python/.venv with ruff (run scripts/test python once)");
        return Ok(());
    }
    let dir = root.join("handlers/python");
    let files = handler_files("python");
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    succeeds(&dir, &ruff, &[&["check"], &files[..]].concat())?;
    succeeds(&dir, &ruff, &[&["format", "--check"], &files[..]].concat())?;
    let import = "import importlib\n\
                  for module, name in [\n\
                  \x20   ('post_01_ecommerce.step_handlers.archive_order_handler', 'ArchiveOrderHandler'),\n\
                  \x20   ('post_04_team_scaling.payments.step_handlers.record_refund_fee_handler', 'RecordRefundFeeHandler'),\n\
                  ]:\n\
                  \x20   print(getattr(importlib.import_module(module), name).handler_name)\n";
    let out = Command::new(&python)
        .args(["-c", import])
        .env("RUST_LOG", "warn")
        .current_dir(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let printed = String::from_utf8_lossy(&out.stdout);
    if !out.status.success()
        || printed.trim_end()
            != "ecommerce.step_handlers.ArchiveOrderHandler\npayments.step_handlers.RecordRefundFeeHandler"
    {
        return Err(format!("importing the Python handlers:\n{}", text(&out)));
    }
    let runner = run(
        &dir,
        &python,
        &[
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "tests/test_vectors.py",
            "-k",
            "archive_order__success or record_refund_fee__success",
        ],
    );
    fails_on_the_placeholder("pytest", runner, "2 failed, ")
}

fn typescript(root: &Path) -> Result<(), String> {
    let modules = repo().join("handlers/typescript/node_modules");
    let tsc = modules.join(".bin/tsc");
    if !available(Path::new("node")) || !tsc.is_file() {
        loud("SKIPPED TypeScript: node or handlers/typescript/node_modules is missing (run scripts/test typescript once)");
        return Ok(());
    }
    let dir = root.join("handlers/typescript");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&modules, dir.join("node_modules")).map_err(|e| e.to_string())?;
    let info = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new_handler.tsbuildinfo");
    let info = info.to_string_lossy();
    succeeds(
        &dir,
        &tsc,
        &[
            "--noEmit",
            "-p",
            "tsconfig.json",
            "--incremental",
            "--tsBuildInfoFile",
            &info,
        ],
    )?;
    let runner = run(
        &dir,
        "node",
        &[
            "--import",
            "tsx",
            "--test",
            "--test-reporter=tap",
            "--test-name-pattern=archive_order__success|record_refund_fee__success",
            "tests/vectors.test.ts",
        ],
    );
    let (_, out) = &runner;
    if !out.contains("# pass 0\n") {
        return Err(format!("node --test ran more than the two vectors:\n{out}"));
    }
    fails_on_the_placeholder("node --test", runner, "# fail 2\n")
}

/// The copy's handlers crate as the only member of a workspace of its own,
/// under another package name: its artifacts in the shared target folder
/// cannot replace the real crate's, and the tasker crates are reused.
fn rust(root: &Path) -> Result<(), String> {
    if !available(Path::new("protoc")) {
        loud("SKIPPED Rust: protoc is missing (apt-get install protobuf-compiler)");
        return Ok(());
    }
    let repo = repo();
    let workspace = std::fs::read_to_string(repo.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let members = workspace
        .lines()
        .find(|l| l.trim_start().starts_with("members"))
        .ok_or("no members line in Cargo.toml")?;
    let workspace = workspace.replace(members, "members = [\"handlers/rust\"]");
    std::fs::write(root.join("Cargo.toml"), workspace).map_err(|e| e.to_string())?;
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let manifest = root.join("handlers/rust/Cargo.toml");
    let crate_toml = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let renamed = crate_toml.replacen(
        "name = \"tasker-blog-handlers\"",
        "name = \"tasker-blog-handlers-new-handler-test\"",
        1,
    );
    if renamed == crate_toml {
        return Err("handlers/rust/Cargo.toml: package name not found".into());
    }
    std::fs::write(&manifest, renamed).map_err(|e| e.to_string())?;

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_run = |args: &[&str]| {
        let mut command = Command::new(&cargo);
        command
            .args(args)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            // As scripts/test-rust-handlers builds them: the same fingerprints.
            .env("SQLX_OFFLINE", "true")
            // clippy-driver compiles the copied crate, as `cargo clippy` runs
            // it: one build lints the files and makes the vectors' binary.
            .env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver");
        // What cargo sets for this test process (CARGO_MANIFEST_DIR,
        // CARGO_PKG_NAME, …) must not reach the build: some build scripts
        // (ring's) rerun when those change, and would then be rebuilt here
        // and again in every ordinary build of the workspace.
        for (name, _) in std::env::vars_os() {
            if set_by_cargo_for_tests(&name.to_string_lossy()) {
                command.env_remove(&name);
            }
        }
        let out = command.output();
        match out {
            Ok(out) => (out.status.success(), text(&out)),
            Err(e) => (false, format!("cannot run cargo: {e}")),
        }
    };
    // rustfmt and clippy on the files new-handler wrote or edited only: the
    // rest of the crate is not this test's business.
    let mut touched: Vec<String> = handler_files("rust");
    touched.extend([
        "registry.rs".to_string(),
        "post_01_ecommerce/step_handlers/mod.rs".to_string(),
        "post_04_team_scaling/payments/step_handlers/mod.rs".to_string(),
    ]);
    let rust_dir = root.join("handlers/rust");
    if available(Path::new("rustfmt")) {
        for file in &touched {
            let source = std::fs::read_to_string(rust_dir.join(file)).map_err(|e| e.to_string())?;
            if rustfmt(&source)? != source {
                return Err(format!("handlers/rust/{file} is not as rustfmt writes it"));
            }
        }
    } else {
        loud("rustfmt is missing: the generated Rust's layout is not checked");
    }
    let (ok, out) = cargo_run(&[
        "test",
        "--no-run",
        "--test",
        "vectors",
        "--message-format=short",
    ]);
    let flagged: Vec<&str> = out
        .lines()
        .filter(|l| {
            touched
                .iter()
                .any(|f| l.starts_with(&format!("handlers/rust/{f}:")))
        })
        .collect();
    if !ok || !flagged.is_empty() {
        return Err(format!(
            "cargo test --no-run with clippy-driver on the copy:\n{}",
            if ok { flagged.join("\n") } else { out }
        ));
    }
    for vector in VECTORS {
        let runner = cargo_run(&[
            "test", "--quiet", "--test", "vectors", "--", vector, "--exact",
        ]);
        let (ok, out) = &runner;
        if *ok || out.matches(PLACEHOLDER_MISMATCH).count() != 1 || !out.contains(vector) {
            return Err(format!(
                "{vector} should fail on `{PLACEHOLDER_MISMATCH}`:\n{out}"
            ));
        }
        if !out.contains("0 passed; 1 failed") {
            return Err(format!("{vector}: more than one vector ran:\n{out}"));
        }
    }
    Ok(())
}

/// `source` as rustfmt writes it (read from stdin, so `mod` lines are not followed).
fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(source.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("rustfmt failed: {}", text(&out)))
    }
}

/// The variables cargo gives a test process (and build scripts), as opposed
/// to a user's own cargo configuration (CARGO_HOME, CARGO_BUILD_*, …).
fn set_by_cargo_for_tests(name: &str) -> bool {
    name == "CARGO"
        || name == "OUT_DIR"
        || [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_BIN_",
            "CARGO_CFG_",
            "CARGO_FEATURE_",
            "CARGO_CRATE_",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
            "CARGO_RUSTC_CURRENT_DIR",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}
