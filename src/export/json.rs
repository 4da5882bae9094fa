//! Node-link JSON, as `shared/spec/graph-json.md` specifies.

use std::io::Write;

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

/// Writes the graph as pretty-printed JSON with a final newline: exactly
/// the bytes `serde_json::to_writer_pretty` gives for [`to_json_value`]
/// (a test holds the two together), with the nodes and edges, nearly all of
/// a corpus graph, written by [`Pretty`] instead of through serde: the
/// export was a fifth of a corpus run.
pub fn write_json(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    // Copies the graph only when some string needs the character rule.
    let graph = super::clean::clean_graph(graph);
    let graph = &*graph;
    // The head, small and varied, goes through serde; it ends with the
    // line feed and brace that close the document, which come last.
    let mut head = serde_json::to_vec_pretty(&Head(graph))?;
    debug_assert!(head.ends_with(b"\n}"));
    head.truncate(head.len() - 2);
    let mut p = Pretty {
        buf: head,
        out,
    };
    p.buf.extend_from_slice(b",\n  \"nodes\": ");
    p.array(2, graph.sorted_nodes(), Pretty::node)?;
    p.buf.extend_from_slice(b",\n  \"edges\": ");
    p.array(2, edges_json(graph), Pretty::edge)?;
    p.buf.extend_from_slice(b"\n}\n");
    p.out.write_all(&p.buf)?;
    p.out.flush()
}

/// The document's first three entries (`directed`, `multigraph`, `graph`).
struct Head<'a>(&'a KnowledgeGraph);

impl Serialize for Head<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("directed", &true)?;
        m.serialize_entry("multigraph", &true)?;
        m.serialize_entry("graph", &graph_value(self.0))?;
        m.end()
    }
}

/// Bytes are handed to the output in chunks of about this size.
const CHUNK: usize = 1 << 16;

/// serde_json's pretty printing (two spaces per level, `"key": value`,
/// `[]` for an empty array), written straight into a buffer.
struct Pretty<'w> {
    buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl Pretty<'_> {
    /// A line break and the indentation of `level`.
    fn newline(&mut self, level: usize) {
        self.buf.push(b'\n');
        self.buf.resize(self.buf.len() + 2 * level, b' ');
    }

    /// The key of an object's entry at `level`, after a comma unless the
    /// entry is the first.
    fn key(&mut self, first: bool, level: usize, key: &str) {
        if !first {
            self.buf.push(b',');
        }
        self.newline(level);
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    /// An entry with a string value.
    fn str_entry(&mut self, first: bool, level: usize, key: &str, value: &str) {
        self.key(first, level, key);
        string(&mut self.buf, value);
    }

    /// An entry with a number value.
    fn uint_entry(&mut self, level: usize, key: &str, value: u64) {
        self.key(false, level, key);
        uint(&mut self.buf, value);
    }

    /// The end of an object whose entries are at `level`.
    fn end_object(&mut self, level: usize) {
        self.newline(level - 1);
        self.buf.push(b'}');
    }

    /// An array whose items are at `level`, each written by `item` (which
    /// may pass the buffer on to the output between items).
    fn array<T>(
        &mut self,
        level: usize,
        items: impl IntoIterator<Item = T>,
        mut item: impl FnMut(&mut Self, usize, T),
    ) -> std::io::Result<()> {
        self.buf.push(b'[');
        let mut any = false;
        for (i, x) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.newline(level);
            item(self, level, x);
            any = true;
            if self.buf.len() >= CHUNK {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        if any {
            self.newline(level - 1);
        }
        self.buf.push(b']');
        Ok(())
    }

    /// An array of strings (never long: written without passing on).
    fn strings(&mut self, level: usize, items: &[String]) {
        self.buf.push(b'[');
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.newline(level);
            string(&mut self.buf, s);
        }
        if !items.is_empty() {
            self.newline(level - 1);
        }
        self.buf.push(b']');
    }

    /// An array of small objects, written by `item` (buffered whole:
    /// mention and evidence lists are per node or edge).
    fn objects<T>(&mut self, level: usize, items: &[T], item: fn(&mut Self, usize, &T)) {
        self.buf.push(b'[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.newline(level);
            self.buf.push(b'{');
            item(self, level + 1, x);
            self.end_object(level + 1);
        }
        if !items.is_empty() {
            self.newline(level - 1);
        }
        self.buf.push(b']');
    }

    /// A node, as [`NodeJson`] serialises it, at `level`.
    fn node(&mut self, level: usize, n: &Node) {
        let l = level + 1;
        self.buf.push(b'{');
        self.str_entry(true, l, "id", &n.id);
        self.str_entry(false, l, "label", &n.label);
        self.str_entry(false, l, "type", n.kind.as_str());
        for (key, value) in [
            ("event_type", &n.event_type),
            ("time", &n.time),
            ("time_iso", &n.time_iso),
            ("modality", &n.modality),
        ] {
            if let Some(v) = value {
                self.str_entry(false, l, key, v);
            }
        }
        self.key(false, l, "aliases");
        self.strings(l + 1, &n.aliases);
        self.key(false, l, "roles");
        self.strings(l + 1, &n.roles);
        self.uint_entry(l, "mention_count", n.mention_count() as u64);
        self.key(false, l, "salience");
        // Floats are rare (one per node) and subtle: serde_json prints them.
        serde_json::to_writer(&mut self.buf, &n.salience).expect("a Vec takes any bytes");
        if let Some(f) = n.first_seen() {
            self.key(false, l, "first_seen");
            self.buf.push(b'{');
            self.str_entry(true, l + 1, "doc", &f.doc);
            self.uint_entry(l + 1, "start", f.start.into());
            self.end_object(l + 1);
        }
        self.key(false, l, "mentions");
        self.objects(l + 1, &n.mentions, |p, level, m| {
            p.str_entry(true, level, "doc", &m.doc);
            p.uint_entry(level, "start", m.start.into());
            p.uint_entry(level, "end", m.end.into());
            p.str_entry(false, level, "text", &m.text);
            if let Some(s) = m.sentence {
                p.uint_entry(level, "sentence", s.into());
            }
        });
        self.end_object(l);
    }

    /// An edge, as [`EdgeJson`] serialises it, at `level`.
    fn edge(&mut self, level: usize, e: EdgeJson) {
        let l = level + 1;
        self.buf.push(b'{');
        self.str_entry(true, l, "source", e.source);
        self.str_entry(false, l, "target", e.target);
        self.uint_entry(l, "key", e.key.into());
        self.str_entry(false, l, "relation", &e.edge.relation);
        if let Some(label) = &e.edge.label {
            self.str_entry(false, l, "label", label);
        }
        self.uint_entry(l, "weight", e.edge.weight.into());
        self.key(false, l, "evidence");
        self.objects(l + 1, &e.edge.evidence, |p, level, v| {
            p.str_entry(true, level, "doc", &v.doc);
            p.uint_entry(level, "start", v.start.into());
            p.uint_entry(level, "end", v.end.into());
        });
        self.end_object(l);
    }
}

/// A JSON string: copied as it is when nothing in it needs escaping (the
/// usual case), else escaped by serde_json itself.
fn string(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, s).expect("a Vec takes any bytes");
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
        for (i, s) in AWKWARD.iter().enumerate() {
            let kind = NodeKind::ALL[i % 4];
            let mut n = Node::new(format!("{}:{i}{s}", kind.as_str()), *s, kind);
            n.aliases = AWKWARD[..i].iter().map(|a| a.to_string()).collect();
            n.aliases.sort();
            n.aliases.dedup();
            n.roles = if i % 2 == 0 { vec![s.to_string()] } else { vec![] };
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
