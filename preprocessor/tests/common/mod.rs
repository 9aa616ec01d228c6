//! Helpers shared by the integration tests.

/// Every anchored region of a source file as the book should show it, cut
/// here independently of the preprocessor: marker lines dropped, blank edge
/// lines trimmed, common indentation removed. The whole file is one more.
pub fn regions(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let is_marker = |l: &str| {
        let t = l.trim_start();
        ["#", "//"].iter().any(|c| {
            t.strip_prefix(c)
                .map(str::trim_start)
                .is_some_and(|r| r.starts_with("ANCHOR:") || r.starts_with("ANCHOR_END:"))
        })
    };
    let cut = |from: usize, to: usize| -> String {
        let kept: Vec<&str> = lines[from..to]
            .iter()
            .copied()
            .filter(|l| !is_marker(l))
            .collect();
        let first = kept.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        let last = kept
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .map_or(0, |i| i + 1);
        let kept = &kept[first..last.max(first)];
        let indent = kept
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        kept.iter()
            .map(|l| {
                if l.trim().is_empty() {
                    "\n".to_string()
                } else {
                    format!("{}\n", &l[indent..])
                }
            })
            .collect()
    };
    let mut out = vec![cut(0, lines.len())];
    for (i, l) in lines.iter().enumerate() {
        let t = l
            .trim_start()
            .trim_start_matches('#')
            .trim_start_matches('/')
            .trim_start();
        if let Some(name) = t.strip_prefix("ANCHOR:") {
            let name = name.trim();
            let end = lines[i + 1..]
                .iter()
                .position(|x| x.contains(&format!("ANCHOR_END: {name}")))
                .expect("anchor closed");
            out.push(cut(i + 1, i + 1 + end));
        }
    }
    out
}
