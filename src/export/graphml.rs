//! GraphML with typed `<key>` declarations, for Gephi, yEd, networkx and
//! igraph. Besides kgx's attributes, nodes carry `r`, `g`, `b` and `size`,
//! which Gephi's GraphML importer turns into colour and size.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::graph::KnowledgeGraph;

use super::gexf::node_values;
use super::style::{node_size, num, type_style, Importance};
use super::xml::{attr, escape, write_document, Xml};

/// Keys: (id, for, attr.name, attr.type). Ids are prefixed by what they are
/// for because nodes and edges both have a `label`.
const KEYS: [(&str, &str, &str, &str); 18] = [
    ("n_label", "node", "label", "string"),
    ("n_type", "node", "type", "string"),
    ("n_event_type", "node", "event_type", "string"),
    ("n_modality", "node", "modality", "string"),
    ("n_time", "node", "time", "string"),
    ("n_time_iso", "node", "time_iso", "string"),
    ("n_mention_count", "node", "mention_count", "int"),
    ("n_salience", "node", "salience", "double"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_roles", "node", "roles", "string"),
    ("n_r", "node", "r", "int"),
    ("n_g", "node", "g", "int"),
    ("n_b", "node", "b", "int"),
    ("n_size", "node", "size", "double"),
    ("e_relation", "edge", "relation", "string"),
    ("e_label", "edge", "label", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_evidence_count", "edge", "evidence_count", "int"),
];

fn data(w: &mut Xml, key: &str, value: &str) -> quick_xml::Result<()> {
    // Readers disagree on what an empty element means (networkx reads
    // "None"), so empty values are left out, like missing ones.
    if value.is_empty() {
        return Ok(());
    }
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::from_escaped(escape(value)))?;
    Ok(())
}

fn write_xml(graph: &KnowledgeGraph, w: &mut Xml) -> quick_xml::Result<()> {
    let importance = Importance::of(graph);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute((
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ))
        .write_inner_content(|w| {
            for &(id, what, name, ty) in &KEYS {
                w.create_element("key")
                    .with_attribute(("id", id))
                    .with_attribute(("for", what))
                    .with_attribute(("attr.name", name))
                    .with_attribute(("attr.type", ty))
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attribute(("id", "kgx"))
                .with_attribute(("edgedefault", "directed"))
                .write_inner_content(|w| {
                    for n in graph.sorted_nodes() {
                        w.create_element("node")
                            .with_attribute(attr("id", &n.id))
                            .write_inner_content(|w| {
                                data(w, "n_label", &n.label)?;
                                for (key, value) in node_values(n) {
                                    data(w, &format!("n_{key}"), &value)?;
                                }
                                let (r, g, b) = type_style(n.kind).rgb;
                                data(w, "n_r", &r.to_string())?;
                                data(w, "n_g", &g.to_string())?;
                                data(w, "n_b", &b.to_string())?;
                                data(w, "n_size", &num(node_size(importance.get(n)), 2))?;
                                Ok::<(), quick_xml::Error>(())
                            })?;
                    }
                    for (i, (s, t, e)) in graph.sorted_edges().into_iter().enumerate() {
                        w.create_element("edge")
                            .with_attribute(("id", format!("e{i}").as_str()))
                            .with_attribute(attr("source", &s.id))
                            .with_attribute(attr("target", &t.id))
                            .write_inner_content(|w| {
                                data(w, "e_relation", &e.relation)?;
                                if let Some(l) = &e.label {
                                    data(w, "e_label", l)?;
                                }
                                data(w, "e_weight", &e.weight.to_string())?;
                                data(w, "e_evidence_count", &e.evidence.len().to_string())?;
                                Ok::<(), quick_xml::Error>(())
                            })?;
                    }
                    Ok::<(), quick_xml::Error>(())
                })?;
            Ok::<(), quick_xml::Error>(())
        })?;
    Ok(())
}

/// Writes the graph as GraphML.
pub fn write_graphml(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    write_document(graph, out, write_xml)
}
