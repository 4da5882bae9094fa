//! SVG pictures of the graph: drawn here with the built-in force-directed
//! layout, or by Graphviz (`dot -Tsvg` on the DOT export) when asked.
//!
//! The built-in drawing shows each node's type by colour and shape (the
//! same as in DOT and GEXF), its importance by size, its label below it on
//! a white halo, typed relations as dark labelled arrows and co-occurrence
//! as light lines, and a legend. Each node is a `<g class="node TYPE">`
//! whose `<title>` holds the full label (a tooltip in browsers).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::graph::{KnowledgeGraph, Node, NodeKind};

use super::layout::{layout, NodeBox};
use super::style::{num, type_style, Importance, CO_OCCURS};
use super::xml::escape;

/// Labels longer than this are shortened in the picture (the tooltip keeps them whole).
const MAX_LABEL_CHARS: usize = 32;
/// Width of the legend column at the left.
const LEGEND_WIDTH: f64 = 190.0;
const MARGIN: f64 = 24.0;
const FONT: &str = "Helvetica, Arial, 'DejaVu Sans', sans-serif";

/// An estimate of the width of `s` at `size` px: the drawing cannot measure
/// text, and over-estimating a little only leaves more room.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '\'' | '.' | ',' | ' ' | '|' | '!' => 0.32,
            'm' | 'w' | 'M' | 'W' | '@' => 0.85,
            c if c.is_ascii_uppercase() => 0.68,
            c if (c as u32) >= 0x1100 => 1.0,
            _ => 0.56,
        })
        .sum::<f64>()
        * size
}

/// The lines of a node's label as drawn: line breaks kept, each line
/// shortened with an ellipsis when too long.
fn label_lines(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = label
        .split('\n')
        .map(|l| {
            let l = l.replace('\t', " ");
            if l.chars().count() > MAX_LABEL_CHARS {
                let mut s: String = l.chars().take(MAX_LABEL_CHARS - 1).collect();
                s.push('…');
                s
            } else {
                l
            }
        })
        .collect();
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines
}

/// The SVG path of a node's shape centred on (x, y) with radius r.
fn shape(kind: NodeKind, x: f64, y: f64, r: f64) -> String {
    let p = |v: f64| num(v, 1);
    match kind {
        NodeKind::Person => format!("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"", p(x), p(y), p(r)),
        NodeKind::Organisation => {
            let s = r * 0.9;
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"",
                p(x - s),
                p(y - s),
                p(2.0 * s),
                p(2.0 * s),
                p(s * 0.2)
            )
        }
        NodeKind::Place => format!(
            "<polygon points=\"{},{} {},{} {},{} {},{} {},{}\"",
            p(x - r * 0.9),
            p(y + r * 0.85),
            p(x - r * 0.9),
            p(y - r * 0.15),
            p(x),
            p(y - r),
            p(x + r * 0.9),
            p(y - r * 0.15),
            p(x + r * 0.9),
            p(y + r * 0.85)
        ),
        NodeKind::Event => format!(
            "<polygon points=\"{},{} {},{} {},{} {},{}\"",
            p(x),
            p(y - r * 1.1),
            p(x + r * 1.1),
            p(y),
            p(x),
            p(y + r * 1.1),
            p(x - r * 1.1),
            p(y)
        ),
    }
}

struct Drawn<'a> {
    node: &'a Node,
    radius: f64,
    font: f64,
    lines: Vec<String>,
}

/// Writes the graph as SVG, laid out and drawn without external programs.
pub fn write_svg(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let graph = super::clean::clean_graph(graph);
    let importance = Importance::of(&graph);
    let nodes = graph.sorted_nodes();
    let edges = graph.sorted_edges();
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();

    let drawn: Vec<Drawn> = nodes
        .iter()
        .map(|n| {
            let imp = importance.get(n);
            Drawn {
                node: n,
                radius: 7.0 + 18.0 * imp.sqrt(),
                font: 11.0 + 9.0 * imp,
                lines: label_lines(&n.label),
            }
        })
        .collect();
    let boxes: Vec<NodeBox> = drawn
        .iter()
        .map(|d| {
            let label_w = d
                .lines
                .iter()
                .map(|l| text_width(l, d.font))
                .fold(0.0, f64::max);
            NodeBox {
                half_width: (label_w / 2.0).max(d.radius * 1.1) + 2.0,
                above: d.radius * 1.1,
                below: d.radius * 1.1 + 3.0 + d.font * 1.15 * d.lines.len() as f64,
            }
        })
        .collect();
    // Parallel edges (both directions, several relations) pull as one.
    let mut pulls: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (s, t, e) in &edges {
        let (a, b) = (index[s.id.as_str()], index[t.id.as_str()]);
        if a != b {
            *pulls.entry((a.min(b), a.max(b))).or_insert(0.0) += e.weight as f64;
        }
    }
    let pulls: Vec<(usize, usize, f64)> = pulls.into_iter().map(|((a, b), w)| (a, b, w)).collect();
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        importance
            .get(nodes[b])
            .total_cmp(&importance.get(nodes[a]))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0; nodes.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut pos = layout(&boxes, &pulls, &rank);

    // Fit: the drawing's bounding box, moved right of the legend.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    if !pos.is_empty() {
        (min_x, min_y, max_x, max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (p, b) in pos.iter().zip(&boxes) {
            min_x = min_x.min(p.0 - b.half_width);
            max_x = max_x.max(p.0 + b.half_width);
            min_y = min_y.min(p.1 - b.above);
            max_y = max_y.max(p.1 + b.below);
        }
    }
    let title_h = 40.0;
    let (dx, dy) = (
        MARGIN + LEGEND_WIDTH + MARGIN - min_x,
        MARGIN + title_h - min_y,
    );
    for p in &mut pos {
        p.0 += dx;
        p.1 += dy;
    }
    let width = (max_x - min_x) + LEGEND_WIDTH + 3.0 * MARGIN;
    let height = ((max_y - min_y) + title_h + 2.0 * MARGIN).max(330.0);
    let p = |v: f64| num(v, 1);

    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\">",
        w = p(width),
        h = p(height)
    )?;
    let mut counts = BTreeMap::new();
    for n in &nodes {
        *counts.entry(n.kind).or_insert(0usize) += 1;
    }
    let docs: Vec<&str> = graph.documents().iter().map(|d| d.id.as_str()).collect();
    writeln!(
        out,
        "<title>{}</title>",
        escape(&format!("kgx knowledge graph: {}", docs.join(", ")))
    )?;
    writeln!(
        out,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444444\"/></marker></defs>"
    )?;
    writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    )?;
    writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">{}</text>",
        p(MARGIN),
        p(MARGIN + 14.0),
        escape(&format!(
            "{} · {} nodes, {} edges",
            match docs.len() {
                0 => "kgx".to_string(),
                1 => docs[0].to_string(),
                n => format!("{n} documents"),
            },
            nodes.len(),
            edges.len()
        ))
    )?;

    // Edges first, co-occurrence under typed relations.
    writeln!(out, "<g class=\"edges\">")?;
    let mut typed = Vec::new();
    for (s, t, e) in &edges {
        let (a, b) = (index[s.id.as_str()], index[t.id.as_str()]);
        if e.relation == CO_OCCURS && e.label.is_none() {
            let w = 0.6 + (e.weight as f64).ln().min(3.0) * 0.8;
            writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9a9a9a\" stroke-opacity=\"0.55\" stroke-width=\"{}\"><title>{}</title></line>",
                p(pos[a].0),
                p(pos[a].1),
                p(pos[b].0),
                p(pos[b].1),
                num(w, 2),
                escape(&format!("{} — {} ({}, weight {})", s.label, t.label, e.relation, e.weight))
            )?;
        } else {
            typed.push((a, b, *e));
        }
    }
    for &(a, b, e) in &typed {
        let (x1, y1, x2, y2) = (pos[a].0, pos[a].1, pos[b].0, pos[b].1);
        let len = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt().max(0.01);
        // Stop at the target's edge so that the arrowhead shows.
        let back = (drawn[b].radius + 2.0).min(len / 2.0);
        let (ex, ey) = (x2 - (x2 - x1) / len * back, y2 - (y2 - y1) / len * back);
        let w = 1.0 + (e.weight as f64).ln().min(3.0) * 0.8;
        let label = e.label.as_deref().unwrap_or(&e.relation);
        writeln!(
            out,
            "<g class=\"relation\"><title>{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#444444\" stroke-width=\"{}\" marker-end=\"url(#arrow)\"/>",
            escape(&format!(
                "{} → {}: {} (weight {})",
                drawn[a].node.label, drawn[b].node.label, label, e.weight
            )),
            p(x1),
            p(y1),
            p(ex),
            p(ey),
            num(w, 2)
        )?;
        // The wording goes on the edge only where it fits between the two
        // shapes; otherwise it would cover node labels (the tooltip keeps it).
        let wording = label_lines(label).join(" ");
        let free = len - drawn[a].radius - drawn[b].radius;
        if free > text_width(&wording, 9.0) + 8.0 {
            write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#333333\" stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\">{}</text>",
                p((x1 + x2) / 2.0),
                p((y1 + y2) / 2.0 - 2.0),
                escape(&wording)
            )?;
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</g>")?;

    // Nodes: least important first, so that central actors lie on top.
    writeln!(out, "<g class=\"nodes\">")?;
    for &i in order.iter().rev() {
        let d = &drawn[i];
        let n = d.node;
        let style = type_style(n.kind);
        let (x, y) = pos[i];
        let mut tip = format!("{} ({})", n.label, n.kind.as_str());
        if !n.roles.is_empty() {
            tip.push_str(&format!("\nroles: {}", n.roles.join(", ")));
        }
        if let Some(t) = &n.time {
            tip.push_str(&format!("\ntime: {t}"));
        }
        tip.push_str(&format!(
            "\nmentions: {}, salience: {}",
            n.mention_count(),
            n.salience
        ));
        writeln!(
            out,
            "<g class=\"node {}\" data-id=\"{}\"><title>{}</title><desc>{}</desc>",
            n.kind.as_str(),
            escape(&n.id),
            escape(&n.label),
            escape(&tip)
        )?;
        writeln!(
            out,
            "{} fill=\"{}\" stroke=\"#333333\" stroke-width=\"{}\"/>",
            shape(n.kind, x, y, d.radius),
            style.color,
            num(0.8 + d.radius / 20.0, 2)
        )?;
        let weight = if d.font >= 14.0 {
            " font-weight=\"bold\""
        } else {
            ""
        };
        write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} text-anchor=\"middle\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">",
            p(x),
            p(y + d.radius * 1.1 + 2.0 + d.font * 0.9),
            num(d.font, 1)
        )?;
        for (k, line) in d.lines.iter().enumerate() {
            if k == 0 {
                write!(out, "<tspan x=\"{}\">{}</tspan>", p(x), escape(line))?;
            } else {
                write!(
                    out,
                    "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                    p(x),
                    num(d.font * 1.15, 1),
                    escape(line)
                )?;
            }
        }
        writeln!(out, "</text></g>")?;
    }
    writeln!(out, "</g>")?;

    // The legend.
    let (lx, ly) = (MARGIN, MARGIN + title_h);
    writeln!(out, "<g class=\"legend\">")?;
    writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"262\" rx=\"6\" fill=\"#f7f7f7\" stroke=\"#bbbbbb\"/>",
        p(lx),
        p(ly),
        p(LEGEND_WIDTH)
    )?;
    writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#222222\">Legend</text>",
        p(lx + 12.0),
        p(ly + 22.0)
    )?;
    for (k, kind) in NodeKind::ALL.into_iter().enumerate() {
        let y = ly + 48.0 + 28.0 * k as f64;
        writeln!(
            out,
            "{} fill=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>",
            shape(kind, lx + 24.0, y, 9.0),
            type_style(kind).color
        )?;
        writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#222222\">{} ({})</text>",
            p(lx + 44.0),
            p(y + 4.0),
            kind.as_str(),
            counts.get(&kind).copied().unwrap_or(0)
        )?;
    }
    let y = ly + 48.0 + 28.0 * 4.0;
    writeln!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9a9a9a\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#222222\">co-occurrence</text>",
        p(lx + 12.0),
        p(y),
        p(lx + 36.0),
        p(y),
        p(lx + 44.0),
        p(y + 4.0)
    )?;
    let y = y + 26.0;
    writeln!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#444444\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#222222\">relation</text>",
        p(lx + 12.0),
        p(y),
        p(lx + 36.0),
        p(y),
        p(lx + 44.0),
        p(y + 4.0)
    )?;
    writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555555\">size: salience</text>",
        p(lx + 12.0),
        p(y + 30.0)
    )?;
    writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555555\">line width: weight</text>",
        p(lx + 12.0),
        p(y + 46.0)
    )?;
    writeln!(out, "</g>")?;
    writeln!(out, "</svg>")
}

/// Writes the graph as SVG drawn by Graphviz: the DOT export piped through
/// `dot -Tsvg` (which follows the layout the DOT file asks for).
pub fn write_svg_graphviz(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut dot_source = Vec::new();
    super::dot::write_dot(graph, &mut dot_source)?;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "cannot run Graphviz's dot ({e}); install graphviz or use --renderer builtin"
                ),
            )
        })?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Feed stdin from a thread so that a large drawing cannot deadlock on full pipes.
    let feeder = std::thread::spawn(move || stdin.write_all(&dot_source));
    let output = child.wait_with_output()?;
    feeder
        .join()
        .map_err(|_| std::io::Error::other("the thread feeding dot panicked"))??;
    if !output.status.success() {
        return Err(std::io::Error::other(format!(
            "Graphviz's dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    out.write_all(&output.stdout)
}
