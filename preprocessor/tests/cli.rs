//! The command line as a user types it: version, per-command help with
//! examples, and misspellings answered with the right spelling. (mdBook's
//! own calls, no arguments and `supports`, are in protocol.rs.)

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mdbook-codetabs"))
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_names_the_command_and_its_version() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        format!("mdbook-codetabs {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn each_command_has_help_with_examples() {
    for (command, example) in [
        ("check", "mdbook-codetabs check --update"),
        ("build", "mdbook-codetabs build path/to/book"),
        (
            "export-gitbook",
            "mdbook-codetabs export-gitbook gitbook --book",
        ),
    ] {
        let out = run(&[command, "--help"]);
        assert!(out.status.success(), "{command}");
        let help = text(&out.stdout);
        assert!(help.contains(example), "{command}: {help}");
    }
    let top = text(&run(&["--help"]).stdout);
    for command in ["supports", "build", "check", "export-gitbook"] {
        assert!(top.contains(command), "{top}");
    }
}

#[test]
fn a_misspelled_option_or_command_suggests_the_right_one() {
    let out = run(&["check", "--updte"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("'--updte'") && err.contains("'--update'"),
        "{err}"
    );

    let out = run(&["chek"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("'chek'") && err.contains("'check'"), "{err}");

    let out = run(&["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("'xml'") && err.contains("text, json"), "{err}");
}

#[test]
fn export_needs_its_folder_and_says_so() {
    let out = run(&["export-gitbook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("<OUT_DIR>"),
        "{}",
        text(&out.stderr)
    );
}
