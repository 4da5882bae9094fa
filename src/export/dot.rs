//! Graphviz DOT: one shape and colour per node type, relation-labelled
//! edges, pen width from weight.

use std::io::Write;

use crate::graph::{KnowledgeGraph, NodeKind};

/// Shape and fill colour per node type, shared with the legend.
pub(crate) fn style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Person => ("ellipse", "#8dd3c7"),
        NodeKind::Organisation => ("box", "#fdb462"),
        NodeKind::Place => ("house", "#b3de69"),
        NodeKind::Event => ("diamond", "#fb8072"),
    }
}

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks
/// as `\n` (Graphviz's own line break in labels), other control characters dropped.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the graph as a DOT digraph.
pub fn write_dot(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph kgx {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\"];"
    )?;
    writeln!(
        out,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=11];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\"];"
    )?;
    for n in graph.sorted_nodes() {
        let (shape, color) = style(n.kind);
        writeln!(
            out,
            "  {} [label={}, shape={}, fillcolor=\"{}\", type={}];",
            quote(&n.id),
            quote(&n.label),
            shape,
            color,
            quote(n.kind.as_str())
        )?;
    }
    for (s, t, e) in graph.sorted_edges() {
        let label = e.label.as_deref().unwrap_or(&e.relation);
        let width = 1.0 + (e.weight as f64).ln().min(4.0);
        writeln!(
            out,
            "  {} -> {} [label={}, relation={}, weight={}, penwidth={:.2}];",
            quote(&s.id),
            quote(&t.id),
            quote(label),
            quote(&e.relation),
            e.weight,
            width
        )?;
    }
    writeln!(out, "}}")
}
