//! Graphviz DOT: one shape and colour per node type, a legend, font and
//! node size from salience, relation-labelled edges, pen width from weight.
//!
//! Small graphs use `dot`'s layered layout (left to right); from
//! [`FORCE_LAYOUT_FROM`] nodes on, the file asks for `sfdp` with overlap
//! removal, which stays readable where a layered drawing of a dense
//! co-occurrence graph does not. `dot -Tsvg file.dot` honours the choice.

use std::io::Write;

use crate::graph::{KnowledgeGraph, NodeKind};

use super::style::{num, type_style, Importance, CO_OCCURS};

/// The node count from which the file asks for a force-directed layout.
pub const FORCE_LAYOUT_FROM: usize = 40;

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks
/// as `\n` (Graphviz's own line break in labels).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The id of a legend node; graph node ids always hold a `:`, these never do.
fn legend_id(kind: NodeKind) -> String {
    format!("kgx_legend_{}", kind.as_str())
}

/// Writes the graph as a DOT digraph.
pub fn write_dot(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let graph = super::clean::clean_graph(graph);
    let importance = Importance::of(&graph);
    let nodes = graph.sorted_nodes();
    let edges = graph.sorted_edges();
    let force = nodes.len() >= FORCE_LAYOUT_FROM;

    writeln!(out, "digraph kgx {{")?;
    let layout = if force {
        "layout=sfdp, overlap=prism, overlap_scaling=2, splines=true, K=1.2, repulsiveforce=1.5"
    } else {
        "layout=dot, rankdir=LR, ranksep=0.6, nodesep=0.3, splines=true"
    };
    writeln!(
        out,
        "  graph [{layout}, outputorder=edgesfirst, fontname=\"Helvetica\", fontsize=14, labelloc=t, label={}];",
        quote(&format!(
            "{} nodes, {} edges",
            nodes.len(),
            edges.len()
        ))
    )?;
    writeln!(
        out,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=11, color=\"#555555\", penwidth=0.8, margin=\"0.08,0.04\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, fontcolor=\"#333333\", color=\"#555555\", arrowsize=0.6];"
    )?;

    // The legend: one sample node per type, stacked by invisible edges.
    writeln!(out, "  subgraph cluster_legend {{")?;
    writeln!(
        out,
        "    label=\"Legend\"; fontsize=12; style=\"rounded,filled\"; fillcolor=\"#f7f7f7\"; color=\"#999999\";"
    )?;
    for kind in NodeKind::ALL {
        let style = type_style(kind);
        writeln!(
            out,
            "    {} [label={}, shape={}, fillcolor=\"{}\", fontsize=10];",
            legend_id(kind),
            quote(kind.as_str()),
            style.dot_shape,
            style.color
        )?;
    }
    for pair in NodeKind::ALL.windows(2) {
        writeln!(
            out,
            "    {} -> {} [style=invis];",
            legend_id(pair[0]),
            legend_id(pair[1])
        )?;
    }
    writeln!(out, "  }}")?;

    for n in &nodes {
        let style = type_style(n.kind);
        let imp = importance.get(n);
        let mut tooltip = format!("{} ({})", n.label, n.kind.as_str());
        if !n.roles.is_empty() {
            tooltip.push_str(&format!("\nroles: {}", n.roles.join(", ")));
        }
        if let Some(t) = &n.time {
            tooltip.push_str(&format!("\ntime: {t}"));
        }
        tooltip.push_str(&format!("\nmentions: {}", n.mention_count()));
        writeln!(
            out,
            "  {} [label={}, shape={}, fillcolor=\"{}\", fontsize={}, penwidth={}, tooltip={}, type={}, salience={}];",
            quote(&n.id),
            quote(&n.label),
            style.dot_shape,
            style.color,
            num(10.0 + 12.0 * imp, 1),
            num(0.8 + 1.6 * imp, 2),
            quote(&tooltip),
            quote(n.kind.as_str()),
            n.salience,
        )?;
    }
    for (s, t, e) in &edges {
        let width = num(0.6 + (e.weight as f64).ln().min(4.0), 2);
        if e.relation == CO_OCCURS && e.label.is_none() {
            // Co-occurrence is undirected and plentiful: light and unlabelled.
            writeln!(
                out,
                "  {} -> {} [relation={}, weight={}, penwidth={width}, color=\"#b0b0b0\", arrowhead=none];",
                quote(&s.id),
                quote(&t.id),
                quote(&e.relation),
                e.weight,
            )?;
        } else {
            let label = e.label.as_deref().unwrap_or(&e.relation);
            writeln!(
                out,
                "  {} -> {} [label={}, relation={}, weight={}, penwidth={width}];",
                quote(&s.id),
                quote(&t.id),
                quote(label),
                quote(&e.relation),
                e.weight,
            )?;
        }
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting_escapes_quotes_backslashes_and_line_breaks() {
        assert_eq!(
            super::quote("O'Neill \"x\" a\\b\nc"),
            "\"O'Neill \\\"x\\\" a\\\\b\\nc\""
        );
    }
}
