//! Workflow diagrams: an inline SVG for HTML (no script, no network) and a
//! Mermaid block for GitBook, which draws Mermaid itself.

use super::escape_html;
use crate::workflow_graph::WorkflowGraph;
use std::fmt::Write;

const CHAR_W: usize = 8;
const NODE_H: usize = 34;
const GAP_X: usize = 56;
const GAP_Y: usize = 18;
const PAD: usize = 8;
/// Wider than this, a left-to-right drawing is scaled down until its labels
/// are too small to read in mdBook's content column: draw top-down instead.
const MAX_WIDE: usize = 720;
const GAP_DOWN: usize = 30;

pub fn svg(graph: &WorkflowGraph, id: &str, title: Option<&str>) -> String {
    let longest = graph.steps.iter().map(|s| s.name.len()).max().unwrap_or(4);
    let node_w = longest * CHAR_W + 24;
    let (layers, rows) = (graph.layers(), graph.rows());
    let wide = PAD * 2 + layers * node_w + layers.saturating_sub(1) * GAP_X;
    let down = wide > MAX_WIDE;
    let (width, height) = if down {
        (
            PAD * 2 + rows * node_w + rows.saturating_sub(1) * GAP_Y,
            PAD * 2 + layers * NODE_H + layers.saturating_sub(1) * GAP_DOWN,
        )
    } else {
        (
            wide,
            PAD * 2 + rows * NODE_H + rows.saturating_sub(1) * GAP_Y,
        )
    };
    // Stages with fewer steps are centred against the widest one.
    let per_layer: Vec<usize> = graph.stages().iter().map(Vec::len).collect();
    let pos = |layer: usize, row: usize| {
        if down {
            let offset = (rows - per_layer[layer]) * (node_w + GAP_Y) / 2;
            (
                PAD + offset + row * (node_w + GAP_Y),
                PAD + layer * (NODE_H + GAP_DOWN),
            )
        } else {
            let offset = (rows - per_layer[layer]) * (NODE_H + GAP_Y) / 2;
            (
                PAD + layer * (node_w + GAP_X),
                PAD + offset + row * (NODE_H + GAP_Y),
            )
        }
    };
    let caption = title.map_or_else(
        || {
            format!(
                "Workflow {} ({} {})",
                graph.name, graph.namespace, graph.version
            )
        },
        str::to_string,
    );
    let stages: Vec<String> = graph
        .stages()
        .iter()
        .enumerate()
        .map(|(i, s)| format!("stage {}: {}", i + 1, s.join(", ")))
        .collect();
    let mut out = String::new();
    // tabindex: on a phone the figure scrolls sideways (it does not shrink
    // below a readable size), and the keyboard must be able to scroll it.
    let _ = writeln!(
        out,
        "<figure class=\"codetabs-dag\" id=\"{id}\" tabindex=\"0\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"{id}-caption\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    let _ = writeln!(
        out,
        "<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>"
    );
    for step in &graph.steps {
        let (x2, y2) = pos(step.layer, step.row);
        for &d in &step.deps {
            let from = &graph.steps[d];
            let (x1, y1) = pos(from.layer, from.row);
            let curve = if down {
                let (sx, sy, ex, ey) = (x1 + node_w / 2, y1 + NODE_H, x2 + node_w / 2, y2);
                let mid = (sy + ey) / 2;
                format!("M{sx},{sy} C{sx},{mid} {ex},{mid} {ex},{ey}")
            } else {
                let (sx, sy, ex, ey) = (x1 + node_w, y1 + NODE_H / 2, x2, y2 + NODE_H / 2);
                let mid = (sx + ex) / 2;
                format!("M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}")
            };
            let _ = writeln!(
                out,
                "<path class=\"edge\" d=\"{curve}\" marker-end=\"url(#{id}-arrow)\"/>"
            );
        }
    }
    for step in &graph.steps {
        let (x, y) = pos(step.layer, step.row);
        let _ = writeln!(
            out,
            "<g class=\"node\"><rect x=\"{x}\" y=\"{y}\" width=\"{node_w}\" height=\"{NODE_H}\" rx=\"6\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text></g>",
            x + node_w / 2,
            y + NODE_H / 2,
            escape_html(&step.name)
        );
    }
    let _ = writeln!(
        out,
        "</svg>\n<figcaption id=\"{id}-caption\">{}: {}.</figcaption>\n</figure>",
        escape_html(&caption),
        escape_html(&stages.join("; "))
    );
    out
}

pub fn mermaid(graph: &WorkflowGraph, title: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(t) = title {
        out.push_str(&super::markdown_title(t));
    }
    out.push_str("```mermaid\ngraph LR\n");
    // A step with no edges at all still needs a line of its own to appear.
    let mut linked = vec![false; graph.steps.len()];
    for (i, s) in graph.steps.iter().enumerate() {
        for &d in &s.deps {
            linked[i] = true;
            linked[d] = true;
        }
    }
    for (i, s) in graph.steps.iter().enumerate() {
        if !linked[i] {
            let _ = writeln!(out, "  {}", s.name);
        }
        for &d in &s.deps {
            let _ = writeln!(out, "  {} --> {}", graph.steps[d].name, s.name);
        }
    }
    out.push_str("```\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow_graph::from_yaml;

    const LINEAR: &str = "name: shop\nnamespace_name: ecommerce\nversion: 1.0.0\nsteps:\n  - name: a<b\n  - name: c\n    dependencies: [a<b]\n";

    #[test]
    fn svg_has_nodes_edges_and_escaped_text() {
        let g = from_yaml(LINEAR).expect("parses");
        let out = svg(&g, "dag-1", None);
        assert_eq!(out.matches("<g class=\"node\">").count(), 2);
        assert_eq!(out.matches("class=\"edge\"").count(), 1);
        assert!(out.contains("a&lt;b"));
        assert!(!out.contains("a<b"));
        assert!(out.contains("stage 1: a&lt;b; stage 2: c"));
    }

    #[test]
    fn long_chains_are_drawn_top_down() {
        let text = "name: w\nnamespace_name: n\nversion: 1\nsteps:\n  - name: validate_the_cart\n  - name: process_payment\n    dependencies: [validate_the_cart]\n  - name: update_inventory\n    dependencies: [process_payment]\n  - name: create_the_order\n    dependencies: [update_inventory]\n";
        let out = svg(&from_yaml(text).expect("parses"), "d", None);
        // One column: every node at the same x, each stage lower than the last.
        assert_eq!(out.matches("<rect x=\"8\"").count(), 4, "{out}");
        assert!(out.contains("viewBox=\"0 0 176 "), "{out}");
    }

    #[test]
    fn mermaid_lists_every_edge() {
        let g = from_yaml(LINEAR).expect("parses");
        assert_eq!(
            mermaid(&g, None),
            "```mermaid\ngraph LR\n  a<b --> c\n```\n"
        );
    }
}
