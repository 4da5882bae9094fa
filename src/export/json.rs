//! Node-link JSON, as `shared/spec/graph-json.md` specifies.

use std::collections::HashMap;
use std::io::Write;

use std::cell::RefCell;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use crate::graph::{KnowledgeGraph, Node};

/// One node as a JSON object.
fn node_value(n: &Node) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(n.id));
    o.insert("label".into(), json!(n.label));
    o.insert("type".into(), json!(n.kind.as_str()));
    if let Some(t) = &n.event_type {
        o.insert("event_type".into(), json!(t));
    }
    if let Some(t) = &n.time {
        o.insert("time".into(), json!(t));
    }
    if let Some(t) = &n.time_iso {
        o.insert("time_iso".into(), json!(t));
    }
    if let Some(t) = &n.modality {
        o.insert("modality".into(), json!(t));
    }
    o.insert("aliases".into(), json!(n.aliases));
    o.insert("roles".into(), json!(n.roles));
    o.insert("mention_count".into(), json!(n.mention_count()));
    o.insert("salience".into(), json!(n.salience));
    if let Some(f) = n.first_seen() {
        o.insert("first_seen".into(), json!({"doc": f.doc, "start": f.start}));
    }
    o.insert("mentions".into(), json!(n.mentions));
    Value::Object(o)
}

/// The edges as JSON objects, in export order, each with its networkx
/// `key` (which tells parallel edges of a multigraph apart).
fn edge_values(graph: &KnowledgeGraph) -> impl Iterator<Item = Value> + '_ {
    let mut keys: HashMap<(&str, &str), u32> = HashMap::new();
    graph.sorted_edges().into_iter().map(move |(s, t, e)| {
        let k = keys.entry((&s.id, &t.id)).or_insert(0);
        let key = *k;
        *k += 1;
        let mut o = Map::new();
        o.insert("source".into(), json!(s.id));
        o.insert("target".into(), json!(t.id));
        o.insert("key".into(), json!(key));
        o.insert("relation".into(), json!(e.relation));
        if let Some(l) = &e.label {
            o.insert("label".into(), json!(l));
        }
        o.insert("weight".into(), json!(e.weight));
        o.insert("evidence".into(), json!(e.evidence));
        Value::Object(o)
    })
}

/// The `graph` attributes.
fn graph_value(graph: &KnowledgeGraph) -> Value {
    json!({
        "generator": concat!("kgx ", env!("CARGO_PKG_VERSION")),
        "documents": graph.documents(),
    })
}

/// The graph as a JSON value (the document `write_json` prints).
/// Strings pass the export rule for characters ([`super::clean`]) first, so
/// that JSON carries the same text as every other format.
pub fn to_json_value(graph: &KnowledgeGraph) -> Value {
    let graph = &super::clean::clean_graph(graph);
    let nodes: Vec<Value> = graph.sorted_nodes().into_iter().map(node_value).collect();
    let edges: Vec<Value> = edge_values(graph).collect();
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
        let nodes = g.sorted_nodes().into_iter().map(node_value);
        m.serialize_entry("nodes", &Seq(RefCell::new(Some(nodes))))?;
        m.serialize_entry("edges", &Seq(RefCell::new(Some(edge_values(g)))))?;
        m.end()
    }
}

/// A sequence serialised from an iterator, consumed once.
struct Seq<I>(RefCell<Option<I>>);

impl<I: Iterator<Item = Value>> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let it = self.0.borrow_mut().take().expect("serialised once");
        s.collect_seq(it)
    }
}

/// Writes the graph as pretty-printed JSON with a final newline.
pub fn write_json(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    // Copies the graph only when some string needs the character rule.
    let graph = super::clean::clean_graph(graph);
    serde_json::to_writer_pretty(&mut *out, &Streamed(&graph))?;
    out.write_all(b"\n")
}
