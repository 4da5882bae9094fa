//! The export stage: a [`KnowledgeGraph`] out to the formats users open.

mod dot;
mod json;

pub use dot::write_dot;
pub use json::{to_json_value, write_json};

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
}

impl Format {
    /// The format a file extension asks for (`graph.json` → JSON).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "dot" | "gv" => Some(Format::Dot),
            _ => None,
        }
    }

    /// The names `--format` accepts, for error messages.
    pub fn names() -> &'static str {
        "json, dot"
    }
}

/// Writes `graph` in `format`.
pub fn write(graph: &KnowledgeGraph, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(graph, out),
        Format::Dot => write_dot(graph, out),
    }
}
