//! Node-link JSON, as `shared/spec/graph-json.md` specifies.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Map, Value};

use crate::graph::KnowledgeGraph;

/// The graph as a JSON value (the document `write_json` prints).
/// Strings pass the export rule for characters ([`super::clean`]) first, so
/// that JSON carries the same text as every other format.
pub fn to_json_value(graph: &KnowledgeGraph) -> Value {
    let graph = super::clean::clean_graph(graph);
    let nodes: Vec<Value> = graph
        .sorted_nodes()
        .into_iter()
        .map(|n| {
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
        })
        .collect();
    // networkx tells parallel edges of a multigraph apart by `key`.
    let mut keys: HashMap<(&str, &str), u32> = HashMap::new();
    let edges: Vec<Value> = graph
        .sorted_edges()
        .into_iter()
        .map(|(s, t, e)| {
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
        .collect();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": {
            "generator": concat!("kgx ", env!("CARGO_PKG_VERSION")),
            "documents": graph.documents(),
        },
        "nodes": nodes,
        "edges": edges,
    })
}

/// Writes the graph as pretty-printed JSON with a final newline.
pub fn write_json(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json_value(graph))?;
    out.write_all(b"\n")
}
