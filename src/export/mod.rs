//! The export stage: a [`KnowledgeGraph`] out to the formats users open.
//!
//! Every format carries the same nodes, edges and attributes (see
//! `docs/EXPORTS.md`), after the same [`Filter`] and the same rule for
//! characters a format cannot carry ([`clean`]).

mod clean;
mod csv;
mod dot;
mod filter;
mod gexf;
mod graphml;
mod json;
mod layout;
mod style;
mod svg;
mod xml;

pub use self::csv::{write_csv_dir, write_edges_csv, write_nodes_csv, EDGE_HEADER, NODE_HEADER};
pub use clean::{clean, clean_graph, REPLACEMENT};
pub use dot::{write_dot, FORCE_LAYOUT_FROM};
pub use filter::Filter;
pub use gexf::write_gexf;
pub use graphml::write_graphml;
pub use json::{to_json_value, write_json};
pub use style::list_value;
pub use svg::{write_svg, write_svg_graphviz};

use crate::graph::KnowledgeGraph;
use std::io::Write;
use std::path::Path;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Node-link JSON (networkx `node_link_graph(data, edges="edges")`).
    Json,
    /// Graphviz DOT.
    Dot,
    /// GEXF 1.3, Gephi's own format.
    Gexf,
    /// GraphML (Gephi, yEd, networkx, igraph).
    Graphml,
    /// CSV for Gephi's spreadsheet import: nodes.csv and edges.csv in the -o directory.
    Csv,
    /// An SVG picture.
    Svg,
}

/// Who draws SVG pictures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Renderer {
    /// kgx's own force-directed layout: no external program needed.
    #[default]
    Builtin,
    /// Graphviz's `dot` (must be installed).
    Graphviz,
}

impl Format {
    /// The format a file name asks for (`graph.json` → JSON); a directory
    /// (existing, or named with a trailing `/`) asks for CSV.
    pub fn from_path(path: &Path) -> Option<Format> {
        if path.is_dir() || path.to_str().is_some_and(|s| s.ends_with('/')) {
            return Some(Format::Csv);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "dot" | "gv" => Some(Format::Dot),
            "gexf" => Some(Format::Gexf),
            "graphml" => Some(Format::Graphml),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The names `--format` accepts, for error messages.
    pub fn names() -> &'static str {
        "json, dot, gexf, graphml, csv, svg"
    }
}

/// Writes `graph` in `format` to one stream, drawing SVG with the built-in
/// renderer. CSV is two files: use [`save`] or [`write_nodes_csv`] and
/// [`write_edges_csv`]; asking for it here is an `InvalidInput` error.
pub fn write(graph: &KnowledgeGraph, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    write_with(graph, format, Renderer::Builtin, out)
}

/// Writes `graph` in `format` to one stream, drawing SVG with `renderer`.
pub fn write_with(
    graph: &KnowledgeGraph,
    format: Format,
    renderer: Renderer,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(graph, out),
        Format::Dot => write_dot(graph, out),
        Format::Gexf => write_gexf(graph, out),
        Format::Graphml => write_graphml(graph, out),
        Format::Csv => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "CSV export writes two files (nodes.csv, edges.csv): pass -o DIRECTORY",
        )),
        Format::Svg => match renderer {
            Renderer::Builtin => write_svg(graph, out),
            Renderer::Graphviz => write_svg_graphviz(graph, out),
        },
    }
}

/// Saves `graph` in `format` at `path`, whole or not at all: a file for
/// every format but CSV, which writes `nodes.csv` and `edges.csv` into the
/// directory `path` (created if missing).
pub fn save(
    graph: &KnowledgeGraph,
    format: Format,
    renderer: Renderer,
    path: &Path,
) -> anyhow::Result<()> {
    match format {
        Format::Csv => write_csv_dir(graph, path),
        _ => crate::output::write_atomically(path, |w| write_with(graph, format, renderer, w)),
    }
}
