//! Reading kgx JSON graphs back in, for `kgx merge` and `kgx extract --into`.
//!
//! A graph read back merges like documents do: nodes with the same id become
//! one (names, roles and mentions united), edges with the same ends and
//! relation add their weights and unite their evidence. Merging the
//! per-document graphs of a corpus therefore gives the graph of the whole
//! corpus extracted at once.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use crate::graph::{DocumentInfo, Edge, KnowledgeGraph, Node};

/// Why a graph file could not be read.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a kgx JSON graph.
    #[error("{path}: not a kgx JSON graph ({message}); graphs to merge must be written with --format json")]
    Malformed {
        /// The path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
struct GraphFile {
    #[serde(default)]
    graph: GraphMeta,
    nodes: Vec<Node>,
    #[serde(default)]
    edges: Vec<EdgeRecord>,
}

#[derive(Deserialize, Default)]
struct GraphMeta {
    #[serde(default)]
    documents: Vec<DocumentInfo>,
}

#[derive(Deserialize)]
struct EdgeRecord {
    source: String,
    target: String,
    #[serde(flatten)]
    edge: Edge,
}

/// Reads a kgx JSON graph from `reader` and merges it into `graph`. `name`
/// names the input in errors. Call [`KnowledgeGraph::finalize`] after the
/// last graph is in.
pub fn read_json_into(
    graph: &mut KnowledgeGraph,
    name: &str,
    reader: impl Read,
) -> Result<(), ImportError> {
    let malformed = |message: String| ImportError::Malformed {
        path: name.to_string(),
        message,
    };
    let file: GraphFile = serde_json::from_reader(std::io::BufReader::new(reader))
        .map_err(|e| malformed(e.to_string()))?;
    for d in file.graph.documents {
        graph.add_document(d);
    }
    for n in file.nodes {
        graph.add_node(n);
    }
    for (i, e) in file.edges.into_iter().enumerate() {
        if !graph.add_edge(&e.source, &e.target, e.edge) {
            return Err(malformed(format!(
                "edge {i} joins {} and {}, but one of them is not a node",
                e.source, e.target
            )));
        }
    }
    Ok(())
}

/// Reads the kgx JSON graph at `path` and merges it into `graph`.
pub fn read_json_file_into(graph: &mut KnowledgeGraph, path: &Path) -> Result<(), ImportError> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| ImportError::Unreadable {
        path: name.clone(),
        source: e,
    })?;
    read_json_into(graph, &name, f)
}

/// Reads one kgx JSON graph.
pub fn from_json(name: &str, reader: impl Read) -> Result<KnowledgeGraph, ImportError> {
    let mut g = KnowledgeGraph::new();
    read_json_into(&mut g, name, reader)?;
    g.finalize();
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::write_json;

    fn json(g: &KnowledgeGraph) -> Vec<u8> {
        let mut out = Vec::new();
        write_json(g, &mut out).unwrap();
        out
    }

    #[test]
    fn round_trips_an_extracted_graph() {
        let ex = crate::Extractor::default();
        let g = ex.extract_text(
            "d1",
            "Minister Jan Smit sprak in Utrecht met Piet de Vries. Smit bleef.",
        );
        assert!(g.edge_count() > 0);
        let first = json(&g);
        let back = from_json("g.json", &first[..]).unwrap();
        assert_eq!(
            String::from_utf8(json(&back)).unwrap(),
            String::from_utf8(first).unwrap()
        );
    }

    #[test]
    fn rejects_dangling_edges_and_non_graphs() {
        let bad = br#"{"nodes": [], "edges": [{"source": "a", "target": "b", "relation": "x", "weight": 1}]}"#;
        let e = from_json("x.json", &bad[..]).unwrap_err().to_string();
        assert!(e.contains("x.json") && e.contains("edge 0"), "{e}");
        let e = from_json("y.json", &b"[1, 2"[..]).unwrap_err().to_string();
        assert!(e.starts_with("y.json: not a kgx JSON graph"), "{e}");
    }
}
