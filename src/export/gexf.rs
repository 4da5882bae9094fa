//! GEXF 1.3, Gephi's native format: typed attributes, `viz:` colour, size
//! and shape per node, edge weights and kinds, and `start` dates on dated
//! events so that Gephi's timeline can play the graph.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::graph::{KnowledgeGraph, Node};

use super::style::{iso_date, list_value, node_size, num, type_style, Importance};
use super::xml::{attr, escape, write_document, Xml};

/// Node attributes: (id and title, GEXF type).
const NODE_ATTRIBUTES: [(&str, &str); 9] = [
    ("type", "string"),
    ("event_type", "string"),
    ("modality", "string"),
    ("time", "string"),
    ("time_iso", "string"),
    ("mention_count", "integer"),
    ("salience", "double"),
    ("aliases", "string"),
    ("roles", "string"),
];

/// Edge attributes beyond GEXF's own `weight` and `label`.
const EDGE_ATTRIBUTES: [(&str, &str); 2] = [("relation", "string"), ("evidence_count", "integer")];

/// A node's attribute values, in [`NODE_ATTRIBUTES`] order; empty ones are left out.
pub(crate) fn node_values(n: &Node) -> Vec<(&'static str, String)> {
    let mut v = vec![("type", n.kind.as_str().to_string())];
    for (key, val) in [
        ("event_type", &n.event_type),
        ("modality", &n.modality),
        ("time", &n.time),
        ("time_iso", &n.time_iso),
    ] {
        if let Some(s) = val {
            v.push((key, s.to_string()));
        }
    }
    v.push(("mention_count", n.mention_count().to_string()));
    v.push(("salience", n.salience.to_string()));
    if !n.aliases.is_empty() {
        v.push(("aliases", list_value(&n.aliases)));
    }
    if !n.roles.is_empty() {
        v.push(("roles", list_value(&n.roles)));
    }
    v
}

fn declare(w: &mut Xml, class: &str, attributes: &[(&str, &str)]) -> quick_xml::Result<()> {
    w.create_element("attributes")
        .with_attribute(("class", class))
        .with_attribute(("mode", "static"))
        .write_inner_content(|w| {
            for (id, ty) in attributes {
                w.create_element("attribute")
                    .with_attribute(("id", *id))
                    .with_attribute(("title", *id))
                    .with_attribute(("type", *ty))
                    .write_empty()?;
            }
            Ok::<(), quick_xml::Error>(())
        })?;
    Ok(())
}

fn attvalues(w: &mut Xml, values: &[(&str, String)]) -> quick_xml::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (key, value) in values {
            w.create_element("attvalue")
                .with_attribute(("for", *key))
                .with_attribute(attr("value", value))
                .write_empty()?;
        }
        Ok::<(), quick_xml::Error>(())
    })?;
    Ok(())
}

/// The date a node appears on Gephi's timeline.
fn start(n: &Node) -> Option<&str> {
    n.time_iso.as_deref().and_then(iso_date)
}

fn write_xml(graph: &KnowledgeGraph, w: &mut Xml) -> quick_xml::Result<()> {
    let importance = Importance::of(graph);
    let nodes = graph.sorted_nodes();
    let edges = graph.sorted_edges();
    // The graph is dynamic only when some event is dated; a static graph
    // keeps Gephi's timeline out of the way.
    let dynamic = nodes.iter().any(|n| start(n).is_some());

    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attribute(("xmlns", "http://gexf.net/1.3"))
        .with_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute((
            "xsi:schemaLocation",
            "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
        ))
        .with_attribute(("version", "1.3"))
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new(concat!(
                        "kgx ",
                        env!("CARGO_PKG_VERSION")
                    )))?;
                let docs: Vec<&str> = graph.documents().iter().map(|d| d.id.as_str()).collect();
                let description = format!("Knowledge graph of {}", docs.join(", "));
                w.create_element("description")
                    .write_text_content(BytesText::from_escaped(escape(&description)))?;
                Ok::<(), quick_xml::Error>(())
            })?;
            let mut g = w
                .create_element("graph")
                .with_attribute(("defaultedgetype", "directed"));
            g = if dynamic {
                g.with_attribute(("mode", "dynamic"))
                    .with_attribute(("timeformat", "date"))
            } else {
                g.with_attribute(("mode", "static"))
            };
            g.write_inner_content(|w| {
                declare(w, "node", &NODE_ATTRIBUTES)?;
                declare(w, "edge", &EDGE_ATTRIBUTES)?;
                w.create_element("nodes").write_inner_content(|w| {
                    for n in &nodes {
                        let style = type_style(n.kind);
                        let mut el = w
                            .create_element("node")
                            .with_attribute(attr("id", &n.id))
                            .with_attribute(attr("label", &n.label));
                        if let Some(d) = start(n) {
                            el = el.with_attribute(("start", d));
                        }
                        el.write_inner_content(|w| {
                            attvalues(w, &node_values(n))?;
                            let (r, g, b) = style.rgb;
                            w.create_element("viz:color")
                                .with_attribute(("r", r.to_string().as_str()))
                                .with_attribute(("g", g.to_string().as_str()))
                                .with_attribute(("b", b.to_string().as_str()))
                                .with_attribute(("a", "1.0"))
                                .write_empty()?;
                            w.create_element("viz:size")
                                .with_attribute((
                                    "value",
                                    num(node_size(importance.get(n)), 2).as_str(),
                                ))
                                .write_empty()?;
                            w.create_element("viz:shape")
                                .with_attribute(("value", style.gexf_shape))
                                .write_empty()?;
                            Ok::<(), quick_xml::Error>(())
                        })?;
                    }
                    Ok::<(), quick_xml::Error>(())
                })?;
                w.create_element("edges").write_inner_content(|w| {
                    for (i, (s, t, e)) in edges.iter().enumerate() {
                        let mut el = w
                            .create_element("edge")
                            .with_attribute(("id", i.to_string().as_str()))
                            .with_attribute(attr("source", &s.id))
                            .with_attribute(attr("target", &t.id))
                            .with_attribute(("weight", e.weight.to_string().as_str()))
                            // Gephi keeps parallel edges apart by kind.
                            .with_attribute(attr("kind", &e.relation));
                        if let Some(l) = &e.label {
                            el = el.with_attribute(attr("label", l));
                        }
                        // An edge to a dated event appears with it on the timeline.
                        if let Some(d) = [start(s), start(t)].into_iter().flatten().max() {
                            el = el.with_attribute(("start", d));
                        }
                        el.write_inner_content(|w| {
                            attvalues(
                                w,
                                &[
                                    ("relation", e.relation.clone()),
                                    ("evidence_count", e.evidence.len().to_string()),
                                ],
                            )
                        })?;
                    }
                    Ok::<(), quick_xml::Error>(())
                })?;
                Ok::<(), quick_xml::Error>(())
            })?;
            Ok::<(), quick_xml::Error>(())
        })?;
    Ok(())
}

/// Writes the graph as GEXF 1.3.
pub fn write_gexf(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    write_document(graph, out, write_xml)
}
