//! The mdBook snippet anchors in the Rust files the book shows: present,
//! balanced, unique and non-empty, with the names the chapters use. The
//! book's preprocessor enforces the same rules at build time; this points at
//! the Rust file as soon as the Rust suite runs. One test case per file.

#[allow(dead_code)] // the template helpers serve the other test binaries
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use support::{files_under, repo_root};

/// Files (relative to handlers/rust) and the anchors the chapters use there.
const REQUIRED_ANCHORS: [(&str, &[&str]); 18] = [
    (
        "post_01_ecommerce/step_handlers/validate_cart_handler.rs",
        &["handler", "retryable_error"],
    ),
    (
        "post_01_ecommerce/step_handlers/process_payment_handler.rs",
        &["handler", "dependency_access", "error_classification"],
    ),
    (
        "post_01_ecommerce/step_handlers/create_order_handler.rs",
        &["handler", "ancestor_results"],
    ),
    (
        "post_01_ecommerce/models/product.rs",
        &["product_model", "catalogue"],
    ),
    ("post_01_ecommerce/models/order.rs", &["order_model"]),
    (
        "post_02_data_pipeline/models/sample_data.rs",
        &["sales_records", "inventory_records", "customer_records"],
    ),
    (
        "post_02_data_pipeline/step_handlers/aggregate_metrics_handler.rs",
        &["handler", "convergence"],
    ),
    (
        "post_02_data_pipeline/step_handlers/generate_insights_handler.rs",
        &["handler", "health_score"],
    ),
    (
        "post_03_microservices/step_handlers/create_user_account_handler.rs",
        &["handler", "idempotency"],
    ),
    (
        "post_03_microservices/step_handlers/setup_billing_profile_handler.rs",
        &["handler", "graceful_degradation"],
    ),
    (
        "post_03_microservices/step_handlers/initialize_preferences_handler.rs",
        &["handler", "plan_defaults"],
    ),
    (
        "post_03_microservices/step_handlers/send_welcome_sequence_handler.rs",
        &["handler", "branch_results"],
    ),
    (
        "post_04_team_scaling/customer_success/step_handlers/get_manager_approval_handler.rs",
        &["handler", "approval_pending"],
    ),
    (
        "post_04_team_scaling/customer_success/step_handlers/execute_refund_workflow_handler.rs",
        &["handler", "cross_namespace"],
    ),
    (
        "post_04_team_scaling/customer_success/step_handlers/validate_refund_request_handler.rs",
        &["handler"],
    ),
    (
        "post_04_team_scaling/payments/step_handlers/notify_customer_handler.rs",
        &["handler"],
    ),
    (
        "post_02_data_pipeline/step_handlers/transform_sales_handler.rs",
        &["handler"],
    ),
    // The post 02 chapter shows the one rounding helper every handler uses.
    ("blog_common.rs", &["rounding"]),
];

fn main() {
    let args = Arguments::from_args();
    let root = rust_root();
    let mut trials = vec![Trial::test("every required anchor file exists", || {
        let missing: Vec<&str> = REQUIRED_ANCHORS
            .iter()
            .map(|(path, _)| *path)
            .filter(|path| !rust_root().join(path).is_file())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("missing: {}", missing.join(", ")).into())
        }
    })];
    for path in files_under(&root, ".rs") {
        let relative = relative(&path);
        // Only the book's sources: not the tests, not the module files.
        if relative.starts_with("tests/") || relative.ends_with("mod.rs") {
            continue;
        }
        trials.push(Trial::test(format!("anchors: {relative}"), move || {
            check_file(&path, &relative)
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn rust_root() -> PathBuf {
    repo_root().join("handlers/rust")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(rust_root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Anchor name → (first line number, the non-marker lines inside it).
type Anchors = BTreeMap<String, (usize, Vec<String>)>;

fn anchors(source: &str, shown: &str) -> Result<Anchors, String> {
    let mut open: Anchors = BTreeMap::new();
    let mut closed: Anchors = BTreeMap::new();
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let marker = line.trim().strip_prefix("//").map(str::trim);
        let (start, name) = match marker {
            Some(rest) if rest.starts_with("ANCHOR:") => (true, &rest["ANCHOR:".len()..]),
            Some(rest) if rest.starts_with("ANCHOR_END:") => (false, &rest["ANCHOR_END:".len()..]),
            _ => {
                for (_, body) in open.values_mut() {
                    body.push(line.to_string());
                }
                continue;
            }
        };
        let name = name.trim().to_string();
        let at = format!("{shown}:{number}");
        if start {
            if open.contains_key(&name) || closed.contains_key(&name) {
                return Err(format!("{at}: anchor {name} used twice"));
            }
            open.insert(name, (number, Vec::new()));
        } else {
            let body = open
                .remove(&name)
                .ok_or_else(|| format!("{at}: ANCHOR_END {name} without ANCHOR"))?;
            closed.insert(name, body);
        }
    }
    if let Some(name) = open.keys().next() {
        return Err(format!("{shown}: anchor {name} is never closed"));
    }
    Ok(closed)
}

fn check_file(path: &Path, relative: &str) -> Result<(), Failed> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{relative}: {e}"))?;
    let found = anchors(&source, relative)?;
    let mut problems = Vec::new();
    let required = REQUIRED_ANCHORS
        .iter()
        .find(|(file, _)| *file == relative)
        .map_or(&[][..], |(_, names)| *names);
    for name in required {
        if !found.contains_key(*name) {
            problems.push(format!("missing anchor {name}"));
        }
    }
    for (name, (line, body)) in &found {
        if body.iter().all(|l| l.trim().is_empty()) {
            problems.push(format!("anchor {name} (line {line}) is empty"));
        }
    }
    if relative.contains("/step_handlers/") {
        // The book shows the handler anchor as a complete file: it must hold
        // every line, starting with the use lines and ending with the impl.
        match found.get("handler") {
            None => problems.push("no handler anchor".to_string()),
            Some((_, body)) => {
                let code: Vec<&str> = source
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("// ANCHOR"))
                    .collect();
                let shown: Vec<&str> = body
                    .iter()
                    .map(String::as_str)
                    .filter(|l| !l.trim().is_empty())
                    .collect();
                if shown != code {
                    problems.push("the handler anchor must span the whole file".to_string());
                }
                if !shown.first().is_some_and(|l| l.starts_with("use ")) {
                    problems.push("the handler anchor must start with the use lines".to_string());
                }
                if !source.contains("impl StepHandler for") {
                    problems.push("no impl StepHandler in the handler anchor".to_string());
                }
                if source.contains("super::") {
                    problems.push(
                        "use crate:: paths: super:: breaks when the snippet is pasted".to_string(),
                    );
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{relative}: {}", problems.join("; ")).into())
    }
}
