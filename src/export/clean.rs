//! The one rule for characters an export format cannot carry.
//!
//! XML 1.0 (GEXF, GraphML, SVG) forbids most control characters, and a
//! stray one makes the whole file unreadable; CSV and DOT readers treat them
//! unevenly. So every export applies the same rule to every string before
//! writing, and all formats carry exactly the same text:
//!
//! - a carriage return before a line feed is dropped, and a lone carriage
//!   return becomes a line feed (line breaks are always `\n`);
//! - every other control character (Unicode category Cc: U+0000–U+001F,
//!   U+007F–U+009F) except tab and line feed, and the non-characters U+FFFE
//!   and U+FFFF, become U+FFFD REPLACEMENT CHARACTER.
//!
//! Everything else (quotes, `<`, `&`, backslashes, emoji, right-to-left
//! text) is kept and escaped as each format requires.

use std::borrow::Cow;

use crate::graph::{DocumentInfo, Edge, Evidence, KnowledgeGraph, MentionRef, Node};

/// The character that replaces one a format cannot carry.
pub const REPLACEMENT: char = '\u{FFFD}';

fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// Whether the rule leaves `s` as it is.
fn is_clean(s: &str) -> bool {
    // Every character the rule touches is an ASCII control byte or starts
    // with 0xC2 (U+0080–U+009F) or 0xEF (U+FFFE, U+FFFF): a byte scan
    // settles the usual case before decoding any character. It has no
    // early exit, so that it runs over whole vectors of bytes.
    let suspect =
        |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') | (b == 0x7F) | (b == 0xC2) | (b == 0xEF);
    !s.bytes().fold(false, |any, b| any | suspect(b)) || !s.chars().any(needs_cleaning)
}

/// Applies the rule to one string; borrows when nothing changes.
pub fn clean(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            c if needs_cleaning(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn owned(s: &str) -> String {
    clean(s).into_owned()
}

fn clean_node(n: &Node) -> Node {
    let mentions: Vec<MentionRef> = n
        .mentions
        .iter()
        .map(|m| MentionRef {
            doc: owned(&m.doc).into(),
            text: owned(&m.text).into(),
            ..m.clone()
        })
        .collect();
    Node {
        id: owned(&n.id),
        label: owned(&n.label),
        kind: n.kind,
        aliases: n.aliases.iter().map(|s| owned(s)).collect(),
        roles: n.roles.iter().map(|s| owned(s)).collect(),
        salience: n.salience,
        event_type: n.event_type.as_deref().map(|s| owned(s).into()),
        time: n.time.as_deref().map(|s| owned(s).into()),
        time_iso: n.time_iso.as_deref().map(|s| owned(s).into()),
        modality: n.modality.as_deref().map(|s| owned(s).into()),
        mentions,
    }
}

fn node_is_clean(n: &Node) -> bool {
    let ok = is_clean;
    ok(&n.id)
        && ok(&n.label)
        && n.aliases.iter().all(|s| ok(s))
        && n.roles.iter().all(|s| ok(s))
        && [&n.event_type, &n.time, &n.time_iso, &n.modality]
            .iter()
            .all(|o| o.as_deref().is_none_or(ok))
        && n.mentions.iter().all(|m| ok(&m.doc) && ok(&m.text))
}

fn edge_is_clean(e: &Edge) -> bool {
    let ok = is_clean;
    ok(&e.relation) && e.label.as_deref().is_none_or(ok) && e.evidence.iter().all(|v| ok(&v.doc))
}

fn document_is_clean(d: &DocumentInfo) -> bool {
    let ok = is_clean;
    ok(&d.id)
        && ok(&d.language)
        && d.path.as_deref().is_none_or(ok)
        && d.date.as_deref().is_none_or(ok)
        && d.source.as_deref().is_none_or(ok)
}

/// The graph with the rule applied to every string in it; borrowed (no copy)
/// in the usual case where nothing needs replacing.
pub fn clean_graph(graph: &KnowledgeGraph) -> Cow<'_, KnowledgeGraph> {
    // The check needs no order: sorting is left to the exports.
    let g = graph.petgraph();
    if g.node_weights().all(node_is_clean)
        && g.edge_weights().all(edge_is_clean)
        && graph.documents().iter().all(document_is_clean)
    {
        return Cow::Borrowed(graph);
    }
    let edges = graph.sorted_edges();
    let mut out = KnowledgeGraph::new();
    for d in graph.documents() {
        out.add_document(DocumentInfo {
            id: owned(&d.id),
            path: d.path.as_deref().map(owned),
            language: owned(&d.language),
            bytes: d.bytes,
            date: d.date.as_deref().map(owned),
            source: d.source.as_deref().map(owned),
        });
    }
    for n in graph.sorted_nodes() {
        out.add_node(clean_node(n));
    }
    for (s, t, e) in edges {
        let edge = Edge {
            relation: owned(&e.relation),
            label: e.label.as_deref().map(owned),
            weight: e.weight,
            evidence: e
                .evidence
                .iter()
                .map(|v| Evidence {
                    doc: owned(&v.doc).into(),
                    ..v.clone()
                })
                .collect(),
        };
        out.add_edge(&owned(&s.id), &owned(&t.id), edge);
    }
    // Cleaning can change how texts sort (and join nodes whose ids become
    // equal): restore the canonical order, so that a graph read back
    // exports the same bytes.
    out.sort_references();
    if out.node_count() < graph.node_count() {
        // Nodes joined: their salience must be computed anew.
        out.compute_salience();
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_text_and_replaces_control_characters() {
        assert!(matches!(
            clean("Procter & Gamble \"x\" <y>"),
            Cow::Borrowed(_)
        ));
        assert_eq!(clean("a\tb\nc"), "a\tb\nc");
        assert_eq!(clean("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(
            clean("a\u{0}b\u{1b}c\u{85}d\u{7f}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}"
        );
        assert_eq!(clean("x\u{FFFF}\u{FFFE}"), "x\u{FFFD}\u{FFFD}");
        assert_eq!(clean("שלום 🎉"), "שלום 🎉");
    }

    #[test]
    fn cleans_every_string_of_a_graph() {
        let mut g = KnowledgeGraph::new();
        let mut n = Node::new("a", "A\u{7}", crate::graph::NodeKind::Person);
        n.aliases = vec!["x\u{0}".into()];
        g.add_node(n);
        g.add_node(Node::new("b", "B", crate::graph::NodeKind::Place));
        g.add_edge(
            "a",
            "b",
            Edge {
                relation: "r".into(),
                label: Some("l\u{8}".into()),
                weight: 2,
                evidence: vec![],
            },
        );
        let c = clean_graph(&g);
        assert!(matches!(c, Cow::Owned(_)));
        assert_eq!(c.node("a").unwrap().label, "A\u{FFFD}");
        assert_eq!(c.node("a").unwrap().aliases, vec!["x\u{FFFD}".to_string()]);
        let edges = c.sorted_edges();
        assert_eq!(edges[0].2.label.as_deref(), Some("l\u{FFFD}"));
        assert_eq!(edges[0].2.weight, 2);
    }
}
