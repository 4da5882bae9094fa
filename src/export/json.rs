//! Node-link JSON, as `shared/spec/graph-json.md` specifies.

use std::io::Write;

use std::cell::RefCell;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use crate::graph::{Edge, KnowledgeGraph, Node};

/// One node as a JSON object (serialised straight to the writer: building
/// a `Value` per node first cost a third of the export's time).
struct NodeJson<'a>(&'a Node);

/// `first_seen`: where the node is named first.
#[derive(serde::Serialize)]
struct FirstSeen<'a> {
    doc: &'a str,
    start: u32,
}

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("id", &n.id)?;
        o.serialize_entry("label", &n.label)?;
        o.serialize_entry("type", n.kind.as_str())?;
        if let Some(t) = &n.event_type {
            o.serialize_entry("event_type", t)?;
        }
        if let Some(t) = &n.time {
            o.serialize_entry("time", t)?;
        }
        if let Some(t) = &n.time_iso {
            o.serialize_entry("time_iso", t)?;
        }
        if let Some(t) = &n.modality {
            o.serialize_entry("modality", t)?;
        }
        o.serialize_entry("aliases", &n.aliases)?;
        o.serialize_entry("roles", &n.roles)?;
        o.serialize_entry("mention_count", &n.mention_count())?;
        o.serialize_entry("salience", &n.salience)?;
        if let Some(f) = n.first_seen() {
            let first = FirstSeen {
                doc: &f.doc,
                start: f.start,
            };
            o.serialize_entry("first_seen", &first)?;
        }
        o.serialize_entry("mentions", &n.mentions)?;
        o.end()
    }
}

/// One edge as a JSON object, with its networkx `key` (which tells
/// parallel edges of a multigraph apart).
struct EdgeJson<'a> {
    source: &'a str,
    target: &'a str,
    key: u32,
    edge: &'a Edge,
}

impl Serialize for EdgeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.edge;
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("source", self.source)?;
        o.serialize_entry("target", self.target)?;
        o.serialize_entry("key", &self.key)?;
        o.serialize_entry("relation", &e.relation)?;
        if let Some(l) = &e.label {
            o.serialize_entry("label", l)?;
        }
        o.serialize_entry("weight", &e.weight)?;
        o.serialize_entry("evidence", &e.evidence)?;
        o.end()
    }
}

/// The edges in export order, each with its key.
fn edges_json(graph: &KnowledgeGraph) -> impl Iterator<Item = EdgeJson<'_>> + '_ {
    // Edges come sorted by source and target, so the parallel edges of a
    // pair are neighbours: counting them needs no map.
    let mut previous: Option<(&str, &str)> = None;
    let mut next_key = 0u32;
    graph.sorted_edges().into_iter().map(move |(s, t, e)| {
        let pair = (s.id.as_str(), t.id.as_str());
        if previous != Some(pair) {
            previous = Some(pair);
            next_key = 0;
        }
        let key = next_key;
        next_key += 1;
        EdgeJson {
            source: &s.id,
            target: &t.id,
            key,
            edge: e,
        }
    })
}

/// The `graph` attributes.
fn graph_value(graph: &KnowledgeGraph) -> Value {
    json!({
        "generator": concat!("kgx ", env!("CARGO_PKG_VERSION")),
        "documents": graph.documents(),
    })
}

/// A node or edge as a JSON value.
fn value(v: impl Serialize) -> Value {
    // Maps with string keys and plain fields: serialising cannot fail.
    serde_json::to_value(v).expect("graph items serialise to JSON")
}

/// The graph as a JSON value (the document `write_json` prints).
/// Strings pass the export rule for characters ([`super::clean`]) first, so
/// that JSON carries the same text as every other format.
pub fn to_json_value(graph: &KnowledgeGraph) -> Value {
    let graph = &super::clean::clean_graph(graph);
    let nodes: Vec<Value> = graph
        .sorted_nodes()
        .into_iter()
        .map(|n| value(NodeJson(n)))
        .collect();
    let edges: Vec<Value> = edges_json(graph).map(value).collect();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": graph_value(graph),
        "nodes": nodes,
        "edges": edges,
    })
}

/// Serialises the same document as [`to_json_value`] one node and one edge
/// at a time, so that writing a big graph needs no second copy of it in
/// memory (keys in the same, alphabetical, order).
struct Streamed<'a>(&'a KnowledgeGraph);

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("directed", &true)?;
        m.serialize_entry("multigraph", &true)?;
        m.serialize_entry("graph", &graph_value(g))?;
        let nodes = g.sorted_nodes().into_iter().map(NodeJson);
        m.serialize_entry("nodes", &Seq(RefCell::new(Some(nodes))))?;
        m.serialize_entry("edges", &Seq(RefCell::new(Some(edges_json(g)))))?;
        m.end()
    }
}

/// A sequence serialised from an iterator, consumed once.
struct Seq<I>(RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let it = self.0.borrow_mut().take().expect("serialised once");
        s.collect_seq(it)
    }
}

/// Writes the graph as pretty-printed JSON with a final newline.
pub fn write_json(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    // Copies the graph only when some string needs the character rule.
    let graph = super::clean::clean_graph(graph);
    // serde writes many tiny pieces: buffer them here, where the writer's
    // type is known, rather than calling through `dyn Write` for each.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &Streamed(&graph))?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}
