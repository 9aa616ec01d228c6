//! Reading a Tasker task template's steps and dependencies into a layered
//! graph, so the book's workflow diagrams are drawn from the same YAML the
//! tests load, never by hand.

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    /// `handler.callable`, what the worker resolves to a handler.
    pub callable: Option<String>,
    /// 1-based line of the step's `name:` in the template (0 if not found).
    pub line: usize,
    /// Indexes of the steps this one waits for.
    pub deps: Vec<usize>,
    /// Stage: 0 for steps with no dependencies, else one past the latest dependency.
    pub layer: usize,
    /// Position inside the stage, in template order.
    pub row: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowGraph {
    pub name: String,
    pub namespace: String,
    pub version: String,
    pub steps: Vec<Step>,
}

impl WorkflowGraph {
    pub fn layers(&self) -> usize {
        self.steps.iter().map(|s| s.layer + 1).max().unwrap_or(0)
    }

    pub fn rows(&self) -> usize {
        self.steps.iter().map(|s| s.row + 1).max().unwrap_or(0)
    }

    /// Step names grouped by stage, in order.
    pub fn stages(&self) -> Vec<Vec<&str>> {
        let mut stages = vec![Vec::new(); self.layers()];
        for s in &self.steps {
            stages[s.layer].push(s.name.as_str());
        }
        stages
    }
}

#[derive(Deserialize)]
struct RawTemplate {
    name: String,
    namespace_name: String,
    version: String,
    #[serde(default)]
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
struct RawStep {
    name: String,
    #[serde(default)]
    dependencies: Vec<String>,
    handler: Option<RawHandler>,
}

#[derive(Deserialize)]
struct RawHandler {
    callable: Option<String>,
}

/// A problem in the template, at a 1-based line where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub line: usize,
    pub message: String,
}

pub fn from_yaml(text: &str) -> Result<WorkflowGraph, GraphError> {
    let raw: RawTemplate = serde_yaml::from_str(text).map_err(|e| GraphError {
        line: e.location().map_or(0, |l| l.line()),
        message: format!("not a task template: {e}"),
    })?;
    if raw.steps.is_empty() {
        return Err(GraphError {
            line: 0,
            message: "the template has no steps".into(),
        });
    }
    let line_of = |name: &str| {
        text.lines()
            .position(|l| l.trim_start().trim_start_matches("- ").trim() == format!("name: {name}"))
            .map_or(0, |i| i + 1)
    };
    let index: HashMap<&str, usize> = raw
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let mut deps = Vec::with_capacity(raw.steps.len());
    for s in &raw.steps {
        let mut mine = Vec::new();
        for d in &s.dependencies {
            match index.get(d.as_str()) {
                Some(i) => mine.push(*i),
                None => {
                    return Err(GraphError {
                        line: line_of(&s.name),
                        message: format!("step `{}` depends on unknown step `{d}`", s.name),
                    })
                }
            }
        }
        deps.push(mine);
    }
    let layers = layer_steps(&deps).map_err(|i| GraphError {
        line: line_of(&raw.steps[i].name),
        message: format!("step `{}` is part of a dependency cycle", raw.steps[i].name),
    })?;
    let mut next_row = vec![0; layers.iter().max().map_or(0, |m| m + 1)];
    let steps = raw
        .steps
        .iter()
        .zip(deps)
        .zip(&layers)
        .map(|((s, deps), &layer)| {
            let row = next_row[layer];
            next_row[layer] += 1;
            Step {
                name: s.name.clone(),
                callable: s.handler.as_ref().and_then(|h| h.callable.clone()),
                line: line_of(&s.name),
                deps,
                layer,
                row,
            }
        })
        .collect();
    Ok(WorkflowGraph {
        name: raw.name,
        namespace: raw.namespace_name,
        version: raw.version,
        steps,
    })
}

/// Longest-path layering; `Err(step)` names a step on a cycle.
fn layer_steps(deps: &[Vec<usize>]) -> Result<Vec<usize>, usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Visiting,
        Done(usize),
    }
    fn visit(i: usize, deps: &[Vec<usize>], marks: &mut [Mark]) -> Result<usize, usize> {
        match marks[i] {
            Mark::Done(l) => return Ok(l),
            Mark::Visiting => return Err(i),
            Mark::New => {}
        }
        marks[i] = Mark::Visiting;
        let mut layer = 0;
        for &d in &deps[i] {
            layer = layer.max(visit(d, deps, marks)? + 1);
        }
        marks[i] = Mark::Done(layer);
        Ok(layer)
    }
    let mut marks = vec![Mark::New; deps.len()];
    (0..deps.len())
        .map(|i| visit(i, deps, &mut marks))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIAMOND: &str = "name: reg\nnamespace_name: ms\nversion: 1.0.0\nsteps:\n  - name: create\n  - name: billing\n    dependencies: [create]\n  - name: prefs\n    dependencies: [create]\n  - name: welcome\n    dependencies: [billing, prefs]\n";

    #[test]
    fn layers_a_diamond() {
        let g = from_yaml(DIAMOND).expect("parses");
        assert_eq!(
            g.stages(),
            vec![vec!["create"], vec!["billing", "prefs"], vec!["welcome"]]
        );
        assert_eq!(g.steps[3].deps, vec![1, 2]);
        assert_eq!((g.layers(), g.rows()), (3, 2));
    }

    #[test]
    fn unknown_dependency_names_the_step_line() {
        let text = DIAMOND.replace("[billing, prefs]", "[billing, nope]");
        let err = from_yaml(&text).expect_err("unknown dep");
        assert!(err.message.contains("unknown step `nope`"));
        assert_eq!(err.line, 10);
    }

    #[test]
    fn cycles_are_refused() {
        let text = "name: c\nnamespace_name: n\nversion: 1\nsteps:\n  - name: a\n    dependencies: [b]\n  - name: b\n    dependencies: [a]\n";
        assert!(from_yaml(text)
            .expect_err("cycle")
            .message
            .contains("cycle"));
    }

    #[test]
    fn bad_yaml_reports_a_line() {
        let err = from_yaml("name: x\nsteps: [\n  - a: b\n").expect_err("bad yaml");
        assert!(err.line > 0, "{err:?}");
    }
}
