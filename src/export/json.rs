//! Node-link JSON, as `shared/spec/graph-json.md` specifies.

use std::io::Write;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use crate::graph::{DocumentInfo, Edge, KnowledgeGraph, Node};

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
    graph_value_with(graph.documents())
}

/// The `graph` attributes with the given document list.
fn graph_value_with(documents: &[DocumentInfo]) -> Value {
    json!({
        "generator": concat!("kgx ", env!("CARGO_PKG_VERSION")),
        "documents": documents,
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

/// Writes the graph as pretty-printed JSON with a final newline: exactly
/// the bytes `serde_json::to_writer_pretty` gives for [`to_json_value`]
/// (a test holds the two together). The nodes and edges, nearly all of a
/// corpus graph, are written by hand ([`node`], [`edge`]) instead of
/// through serde: the export was a fifth of a corpus run.
pub fn write_json(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    // Copies the graph only when some string needs the character rule.
    let graph = super::clean::clean_graph(graph);
    let graph = &*graph;
    // The head goes through serde, with the document list left empty; it
    // ends with the line feed and brace that close the document, which
    // come last.
    let mut buf = serde_json::to_vec_pretty(&Head)?;
    debug_assert!(buf.ends_with(b"\n}"));
    buf.truncate(buf.len() - 2);
    // The documents (one per input: hundreds of thousands in a corpus) are
    // streamed one by one into the empty list, never held as one value.
    if !graph.documents().is_empty() {
        let at = find(&buf, EMPTY_DOCUMENTS).expect("the head lists the documents")
            + EMPTY_DOCUMENTS.len()
            - 1;
        let rest = buf.split_off(at);
        for (k, d) in graph.documents().iter().enumerate() {
            buf.extend_from_slice(if k == 0 { b"\n      " } else { b",\n      " });
            // A document on its own, pretty, indented to its level (JSON
            // strings hold no raw line breaks).
            let one = serde_json::to_vec_pretty(d)?;
            for line in one.split(|&b| b == b'\n').enumerate() {
                if line.0 > 0 {
                    buf.extend_from_slice(b"\n      ");
                }
                buf.extend_from_slice(line.1);
            }
            if buf.len() >= CHUNK {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        buf.extend_from_slice(b"\n    ");
        buf.extend_from_slice(&rest);
    }
    buf.extend_from_slice(b",\n  \"nodes\": ");
    array(&mut buf, out, graph.sorted_nodes(), node)?;
    buf.extend_from_slice(b",\n  \"edges\": ");
    array(&mut buf, out, edges_json(graph), edge)?;
    buf.extend_from_slice(b"\n}\n");
    out.write_all(&buf)?;
    out.flush()
}

/// The document's first three entries (`directed`, `multigraph`, `graph`).
struct Head;

impl Serialize for Head {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("directed", &true)?;
        m.serialize_entry("multigraph", &true)?;
        m.serialize_entry("graph", &graph_value_with(&[]))?;
        m.end()
    }
}

/// The document list of the head as serde prints it when empty.
const EMPTY_DOCUMENTS: &[u8] = b"\"documents\": []";

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Bytes are handed to the output in chunks of about this size.
const CHUNK: usize = 1 << 16;

// The layout is serde_json's pretty printing: two spaces per level,
// `"key": value`, `[]` for an empty array. Nodes and edges are items of a
// top-level array (level 2), so every indentation is known in advance and
// each key is written with its line break and indentation in one piece.

/// `,` + line break + indentation of a node's or edge's entries (level 3) + `"key": `.
macro_rules! key3 {
    ($key:literal) => {
        concat!(",\n      \"", $key, "\": ").as_bytes()
    };
}

/// The same for the entries of `first_seen` (level 4).
macro_rules! key4 {
    ($key:literal) => {
        concat!(",\n        \"", $key, "\": ").as_bytes()
    };
}

/// The same for the entries of a mention or an evidence span (level 5).
macro_rules! key5 {
    ($key:literal) => {
        concat!(",\n          \"", $key, "\": ").as_bytes()
    };
}

/// A top-level array (items at level 2), each item written by `item`; the
/// buffer is passed on to `out` between items once it holds a chunk.
fn array<T>(
    buf: &mut Vec<u8>,
    out: &mut dyn Write,
    items: impl IntoIterator<Item = T>,
    item: fn(&mut Vec<u8>, T),
) -> std::io::Result<()> {
    buf.push(b'[');
    let mut any = false;
    for x in items {
        buf.extend_from_slice(if any { b",\n    " } else { b"\n    " });
        item(buf, x);
        any = true;
        if buf.len() >= CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    if any {
        buf.extend_from_slice(b"\n  ");
    }
    buf.push(b']');
    Ok(())
}

/// A node (at level 2), as [`NodeJson`] serialises it.
fn node(buf: &mut Vec<u8>, n: &Node) {
    buf.extend_from_slice(b"{\n      \"id\": ");
    string(buf, &n.id);
    buf.extend_from_slice(key3!("label"));
    string(buf, &n.label);
    buf.extend_from_slice(key3!("type"));
    string(buf, n.kind.as_str());
    if let Some(v) = &n.event_type {
        buf.extend_from_slice(key3!("event_type"));
        string(buf, v);
    }
    if let Some(v) = &n.time {
        buf.extend_from_slice(key3!("time"));
        string(buf, v);
    }
    if let Some(v) = &n.time_iso {
        buf.extend_from_slice(key3!("time_iso"));
        string(buf, v);
    }
    if let Some(v) = &n.modality {
        buf.extend_from_slice(key3!("modality"));
        string(buf, v);
    }
    buf.extend_from_slice(key3!("aliases"));
    list(buf, &n.aliases, |buf, s| string(buf, s));
    buf.extend_from_slice(key3!("roles"));
    list(buf, &n.roles, |buf, s| string(buf, s));
    buf.extend_from_slice(key3!("mention_count"));
    uint(buf, n.mention_count() as u64);
    buf.extend_from_slice(key3!("salience"));
    // One float per node, and float printing is subtle: serde_json's own.
    serde_json::to_writer(&mut *buf, &n.salience).expect("a Vec takes any bytes");
    if let Some(f) = n.first_seen() {
        buf.extend_from_slice(b",\n      \"first_seen\": {\n        \"doc\": ");
        string(buf, &f.doc);
        buf.extend_from_slice(key4!("start"));
        uint(buf, f.start.into());
        buf.extend_from_slice(b"\n      }");
    }
    buf.extend_from_slice(key3!("mentions"));
    list(buf, &n.mentions, |buf, m| {
        buf.extend_from_slice(b"{\n          \"doc\": ");
        string(buf, &m.doc);
        buf.extend_from_slice(key5!("start"));
        uint(buf, m.start.into());
        buf.extend_from_slice(key5!("end"));
        uint(buf, m.end.into());
        buf.extend_from_slice(key5!("text"));
        string(buf, &m.text);
        if let Some(s) = m.sentence {
            buf.extend_from_slice(key5!("sentence"));
            uint(buf, s.into());
        }
        buf.extend_from_slice(b"\n        }");
    });
    buf.extend_from_slice(b"\n    }");
}

/// An edge (at level 2), as [`EdgeJson`] serialises it.
fn edge(buf: &mut Vec<u8>, e: EdgeJson) {
    buf.extend_from_slice(b"{\n      \"source\": ");
    string(buf, e.source);
    buf.extend_from_slice(key3!("target"));
    string(buf, e.target);
    buf.extend_from_slice(key3!("key"));
    uint(buf, e.key.into());
    buf.extend_from_slice(key3!("relation"));
    string(buf, &e.edge.relation);
    if let Some(label) = &e.edge.label {
        buf.extend_from_slice(key3!("label"));
        string(buf, label);
    }
    buf.extend_from_slice(key3!("weight"));
    uint(buf, e.edge.weight.into());
    buf.extend_from_slice(key3!("evidence"));
    list(buf, &e.edge.evidence, |buf, v| {
        buf.extend_from_slice(b"{\n          \"doc\": ");
        string(buf, &v.doc);
        buf.extend_from_slice(key5!("start"));
        uint(buf, v.start.into());
        buf.extend_from_slice(key5!("end"));
        uint(buf, v.end.into());
        buf.extend_from_slice(b"\n        }");
    });
    buf.extend_from_slice(b"\n    }");
}

/// A list inside a node or an edge (items at level 4), each written by
/// `item`: `[]` when empty, as serde_json prints it.
fn list<T>(buf: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    if items.is_empty() {
        buf.extend_from_slice(b"[]");
        return;
    }
    buf.push(b'[');
    for (i, x) in items.iter().enumerate() {
        buf.extend_from_slice(if i > 0 { b",\n        " } else { b"\n        " });
        item(buf, x);
    }
    buf.extend_from_slice(b"\n      ]");
}

/// A JSON string: copied as it is when nothing in it needs escaping (the
/// usual case), else escaped by serde_json itself.
fn string(buf: &mut Vec<u8>, s: &str) {
    // No early exit: the loop runs over whole vectors of bytes.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        serde_json::to_writer(buf, s).expect("a Vec takes any bytes");
    } else {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

/// A number in decimal.
fn uint(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Evidence, MentionRef, NodeKind};

    /// Strings that exercise every escape serde_json knows.
    const AWKWARD: &[&str] = &[
        "",
        "plain",
        "quote \" inside",
        "back\\slash",
        "\\\"",
        "tab\there\nline",
        "\u{0}\u{1}\u{7}\u{8}\u{b}\u{c}\r\u{1b}\u{1f}\u{7f}",
        "Zürich – Київ “quoted” 🎉",
        "line\u{2028}para\u{2029}end",
        "\u{85}\u{feff}\u{fffd}",
        "</script>&<>'",
    ];

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in AWKWARD {
            let mut buf = Vec::new();
            string(&mut buf, s);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
        for n in [0u64, 7, 10, 99, 4_294_967_295, u64::MAX] {
            let mut buf = Vec::new();
            uint(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
        }
    }

    fn mention(doc: &str, start: u32, text: &str, sentence: Option<u32>) -> MentionRef {
        MentionRef {
            doc: doc.into(),
            start,
            end: start + text.len() as u32,
            text: text.into(),
            sentence,
        }
    }

    /// The bytes serde_json prints for the document as a value.
    fn reference(g: &KnowledgeGraph) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&to_json_value(g)).unwrap();
        out.push(b'\n');
        out
    }

    fn written(g: &KnowledgeGraph) -> Vec<u8> {
        let mut out = Vec::new();
        write_json(g, &mut out).unwrap();
        out
    }

    #[test]
    fn writes_the_bytes_serde_json_writes() {
        let empty = KnowledgeGraph::new();
        assert_eq!(
            String::from_utf8(written(&empty)).unwrap(),
            String::from_utf8(reference(&empty)).unwrap()
        );
        let mut g = KnowledgeGraph::new();
        g.add_document(crate::graph::DocumentInfo {
            id: "d\"1".into(),
            path: Some("a\\b.txt".into()),
            language: "nl".into(),
            bytes: 12,
            date: None,
            source: Some("feed\u{2028}".into()),
        });
        // A second and third document: the list is streamed item by item.
        for (id, date) in [("d2", Some("2024-05-01")), ("d3\n", None)] {
            g.add_document(crate::graph::DocumentInfo {
                id: id.into(),
                path: None,
                language: "en".into(),
                bytes: 7,
                date: date.map(String::from),
                source: None,
            });
        }
        for (i, s) in AWKWARD.iter().enumerate() {
            let kind = NodeKind::ALL[i % 4];
            let mut n = Node::new(format!("{}:{i}{s}", kind.as_str()), *s, kind);
            n.aliases = AWKWARD[..i].iter().map(|a| a.to_string()).collect();
            n.aliases.sort();
            n.aliases.dedup();
            n.roles = if i % 2 == 0 {
                vec![s.to_string()]
            } else {
                vec![]
            };
            if kind == NodeKind::Event {
                n.event_type = Some("conflict".into());
                n.time = Some((*s).into());
                n.modality = Some("asserted".into());
            }
            n.mentions = (0..i as u32)
                .map(|k| mention("d\"1", 10 * k, s, (k % 2 == 0).then_some(k)))
                .collect();
            g.add_node(n);
        }
        let ids: Vec<String> = g.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        for (i, w) in ids.windows(2).enumerate() {
            for relation in ["co_occurs", "role"] {
                g.add_edge(
                    &w[0],
                    &w[1],
                    Edge {
                        relation: relation.into(),
                        label: (i % 3 == 0).then(|| AWKWARD[i].to_string()),
                        weight: i as u32,
                        evidence: (0..i as u32 % 3)
                            .map(|k| Evidence {
                                doc: "d\"1".into(),
                                start: k,
                                end: k + 5,
                            })
                            .collect(),
                    },
                );
            }
        }
        g.finalize();
        assert!(g.node_count() > 5 && g.edge_count() > 5);
        assert_eq!(
            String::from_utf8(written(&g)).unwrap(),
            String::from_utf8(reference(&g)).unwrap()
        );
    }
}
