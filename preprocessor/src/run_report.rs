//! Reading a recorded workflow run (`tasker-book record-runs` writes these
//! from the real engine's records) for the chapters' "what happened when it
//! ran" timelines.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunReport {
    pub workflow: String,
    pub namespace: String,
    #[serde(default)]
    pub version: String,
    pub language: String,
    /// What ran the workflow, e.g. "tasker-orchestration 0.1.8".
    #[serde(default)]
    pub engine: Option<String>,
    /// What ran the handlers, e.g. "tasker-py 0.1.8".
    #[serde(default)]
    pub workers: Option<String>,
    pub outcome: String,
    pub steps: Vec<StepRun>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StepRun {
    pub name: String,
    #[serde(default)]
    pub dependencies: Vec<String>,
    pub outcome: String,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Attempt {
    /// When the engine queued the attempt (before a worker claimed it).
    #[serde(default)]
    pub queued_ms: Option<f64>,
    pub start_ms: f64,
    pub end_ms: f64,
    /// When the engine settled the attempt's result (after the worker's answer).
    #[serde(default)]
    pub settled_ms: Option<f64>,
    pub outcome: String,
    #[serde(default)]
    pub error_code: Option<String>,
}

impl RunReport {
    pub fn from_json(text: &str) -> Result<RunReport, (usize, String)> {
        serde_json::from_str(text).map_err(|e| (e.line(), format!("not a run report: {e}")))
    }

    /// The run's length: the end of its last attempt.
    pub fn span_ms(&self) -> f64 {
        self.steps
            .iter()
            .flat_map(|s| s.attempts.iter().map(Attempt::until))
            .fold(0.0, f64::max)
    }

    /// The largest set of steps in flight at one moment (in report order):
    /// the run's widest point of parallelism.
    pub fn widest(&self) -> Vec<&str> {
        let mut best: Vec<&str> = Vec::new();
        for step in &self.steps {
            for a in &step.attempts {
                // Every maximal overlap contains some attempt's start.
                let at = a.from();
                let running: Vec<&str> = self
                    .steps
                    .iter()
                    .filter(|s| s.attempts.iter().any(|x| x.from() <= at && at < x.until()))
                    .map(|s| s.name.as_str())
                    .collect();
                if running.len() > best.len() {
                    best = running;
                }
            }
        }
        best
    }

    /// Pairs of steps whose attempts were in flight at the same time.
    pub fn overlaps(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        for (i, a) in self.steps.iter().enumerate() {
            for b in &self.steps[i + 1..] {
                let hit = a.attempts.iter().any(|x| {
                    b.attempts
                        .iter()
                        .any(|y| x.from() < y.until() && y.from() < x.until())
                });
                if hit {
                    out.push((a.name.as_str(), b.name.as_str()));
                }
            }
        }
        out
    }
}

impl Attempt {
    /// The attempt in flight: from queued (or started) to settled (or ended).
    pub fn from(&self) -> f64 {
        self.queued_ms.unwrap_or(self.start_ms)
    }

    pub fn until(&self) -> f64 {
        self.settled_ms.unwrap_or(self.end_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"workflow": "w", "namespace": "n", "version": "1", "language": "python", "outcome": "complete",
      "steps": [
        {"name": "a", "dependencies": [], "outcome": "complete", "attempts": [{"start_ms": 0.0, "end_ms": 5.0, "outcome": "success"}]},
        {"name": "b", "dependencies": [], "outcome": "complete", "attempts": [{"start_ms": 1.0, "end_ms": 4.0, "outcome": "success"}]},
        {"name": "c", "dependencies": ["a", "b"], "outcome": "complete", "attempts": [{"start_ms": 5.5, "end_ms": 9.0, "outcome": "success"}]}
      ]}"#;

    #[test]
    fn finds_parallel_steps_and_span() {
        let r = RunReport::from_json(REPORT).expect("parses");
        assert_eq!(r.overlaps(), vec![("a", "b")]);
        assert_eq!(r.widest(), vec!["a", "b"]);
        assert!((r.span_ms() - 9.0).abs() < 1e-9);
    }

    #[test]
    fn queued_and_settled_times_count_as_in_flight() {
        // b runs 6..7, but the engine queued it at 4 and settled a at 6.5.
        let r = RunReport::from_json(
            r#"{"workflow": "w", "namespace": "n", "language": "rust", "engine": "e 1", "outcome": "complete",
              "steps": [
                {"name": "a", "outcome": "complete", "attempts": [{"start_ms": 1.0, "end_ms": 2.0, "settled_ms": 6.5, "outcome": "success"}]},
                {"name": "b", "outcome": "complete", "attempts": [{"queued_ms": 4.0, "start_ms": 6.0, "end_ms": 7.0, "settled_ms": 8.0, "outcome": "success"}]}
              ]}"#,
        )
        .expect("parses");
        assert_eq!(r.overlaps(), vec![("a", "b")]);
        assert!((r.span_ms() - 8.0).abs() < 1e-9);
        assert_eq!(r.engine.as_deref(), Some("e 1"));
    }

    #[test]
    fn bad_json_has_a_line() {
        let err = RunReport::from_json("{\n\"workflow\": 3\n}").expect_err("bad");
        assert_eq!(err.0, 2);
    }
}
