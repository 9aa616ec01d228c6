//! The generated tables: drawn from templates and handler sources, so a
//! rename in one language shows up, and a broken callable fails the build.

use mdbook_codetabs::config::Settings;
use mdbook_codetabs::preprocessor::expand;
use mdbook_codetabs::render::Target;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn template(callable: &str) -> String {
    format!("name: flow\nnamespace_name: shop\nversion: 1.0.0\nsteps:\n  - name: pay\n    handler:\n      callable: {callable}\n")
}

fn settings() -> Settings {
    let mut s = Settings::default();
    s.languages.retain(|l| l.key == "ruby" || l.key == "python");
    s
}

fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "handlers/ruby/pay_handler.rb", "module Shop\n  class PayHandler < TaskerCore::StepHandler::Base\n    def call(context)\n      context.get_input('x')\n    end\n  end\nend\n");
    write(root, "handlers/python/pay_handler.py", "class PayHandler(StepHandler):\n    handler_name = \"shop.PayHandler\"\n\n    def call(self, context):\n        # context.get_input(\"in a comment only\")\n        return self.success({})\n");
    write(
        root,
        "handlers/templates/ruby/flow.yaml",
        &template("Shop::PayHandler"),
    );
    write(
        root,
        "handlers/templates/python/flow.yaml",
        &template("shop.PayHandler"),
    );
    write(
        root,
        "api.toml",
        "[[api]]\nwhat = \"Read an input\"\nruby = { call = \"context.get_input(k)\", find = \".get_input(\" }\npython = { call = \"context.get_input(k)\", find = \".get_input(\" }\n",
    );
    dir
}

fn render(root: &Path, chapter: &str, target: Target) -> Result<String, Vec<String>> {
    expand(chapter, "src/c.md", &settings(), root, target)
        .map(|o| o.expect("changed"))
        .map_err(|e| e.iter().map(ToString::to_string).collect())
}

#[test]
fn step_table_names_each_language_class_and_callable() {
    let dir = book();
    let out = render(
        dir.path(),
        "{{#mapping handlers/templates/{lang}/flow.yaml}}",
        Target::Html,
    )
    .expect("renders");
    // A row per language under a header row per step.
    assert!(out.contains("<th scope=\"rowgroup\" colspan=\"3\"><code>pay</code></th>"));
    assert!(out.contains("<tr><th scope=\"row\">Ruby</th><td>PayHandler<br>"));
    assert!(out.contains("<code class=\"codetabs-callable\">Shop::PayHandler</code>"));
    assert!(out.contains("<code class=\"codetabs-callable\">shop.PayHandler</code>"));
    assert!(out.contains("pay_handler.rb:2"), "class line: {out}");
    let md = render(
        dir.path(),
        "{{#mapping handlers/templates/{lang}/flow.yaml}}",
        Target::GitBook,
    )
    .expect("renders");
    assert!(
        md.contains(
            "| `pay` | PayHandler<br>`Shop::PayHandler` | PayHandler<br>`shop.PayHandler` |"
        ),
        "{md}"
    );
}

#[test]
fn renaming_a_class_in_one_language_changes_the_table() {
    let dir = book();
    let root = dir.path();
    write(
        root,
        "handlers/python/pay_handler.py",
        "class ChargeHandler(StepHandler):\n    handler_name = \"shop.ChargeHandler\"\n",
    );
    write(
        root,
        "handlers/templates/python/flow.yaml",
        &template("shop.ChargeHandler"),
    );
    let out = render(
        root,
        "{{#mapping handlers/templates/{lang}/flow.yaml}}",
        Target::Html,
    )
    .expect("renders");
    assert!(out.contains("<td>ChargeHandler<br>"), "{out}");
    assert!(out.contains("shop.ChargeHandler"));
    assert!(!out.contains("shop.PayHandler"));
}

#[test]
fn a_callable_that_names_nothing_fails_with_both_places() {
    let dir = book();
    write(
        dir.path(),
        "handlers/templates/python/flow.yaml",
        &template("shop.Gone"),
    );
    let errors = render(
        dir.path(),
        "\n{{#mapping handlers/templates/{lang}/flow.yaml}}",
        Target::Html,
    )
    .expect_err("fails");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("src/c.md:2"), "{}", errors[0]);
    assert!(
        errors[0].contains("handlers/templates/python/flow.yaml:5"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("`shop.Gone`"));
}

#[test]
fn api_table_finds_real_uses_and_ignores_comments() {
    let dir = book();
    let out = render(dir.path(), "{{#api-mapping api.toml}}", Target::Html).expect("renders");
    // A row per language: the call, then the handlers that use it.
    let ruby_row = out
        .split("<th scope=\"row\">Ruby</th>")
        .nth(1)
        .expect("ruby row");
    let ruby_row = &ruby_row[..ruby_row.find("</tr>").expect("row end")];
    let python_row = out
        .split("<th scope=\"row\">Python</th>")
        .nth(1)
        .expect("python row");
    let python_row = &python_row[..python_row.find("</tr>").expect("row end")];
    assert!(ruby_row.ends_with("<td>Pay</td>"), "{ruby_row}");
    assert!(python_row.ends_with("<td>no handler</td>"), "{python_row}");
}

#[test]
fn api_table_rejects_an_unknown_language() {
    let dir = book();
    write(
        dir.path(),
        "api.toml",
        "[[api]]\nwhat = \"x\"\npyhton = { call = \"y\" }\n",
    );
    let errors = render(dir.path(), "{{#api-mapping api.toml}}", Target::Html).expect_err("fails");
    assert!(
        errors[0].contains("unknown language `pyhton`"),
        "{errors:?}"
    );
}
