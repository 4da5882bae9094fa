//! Narrowing a graph before export: by node type, edge weight, salience
//! rank and relation. The same filter serves every format.

use std::collections::HashSet;

use crate::graph::{KnowledgeGraph, NodeKind};

use super::style::CO_OCCURS;

/// Which nodes and edges to export. The default keeps everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Keep only nodes of these types (`None`: all types).
    pub types: Option<Vec<NodeKind>>,
    /// Keep only edges whose weight is at least this.
    pub min_weight: Option<u32>,
    /// Keep only the N most salient nodes (ties: more mentions first, then
    /// id) and the edges among them; applied after the other filters.
    pub top: Option<usize>,
    /// Drop co-occurrence edges, keeping typed relations only.
    pub no_cooccurrence: bool,
}

impl Filter {
    /// Parses one node type name, any case (`Person`, `organization`), for `--types`.
    pub fn parse_type(s: &str) -> Result<NodeKind, String> {
        let t = s.trim();
        NodeKind::parse(&t.to_ascii_lowercase()).ok_or_else(|| {
            format!("unknown node type '{t}' (known: person, organisation, place, event)")
        })
    }

    /// Parses a comma-separated list of node types (`person,place`).
    pub fn parse_types(s: &str) -> Result<Vec<NodeKind>, String> {
        s.split(',')
            .filter(|t| !t.trim().is_empty())
            .map(Filter::parse_type)
            .collect()
    }

    /// True when the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Applies the filter to `graph`. Edge filters drop edges only: a node
    /// left without edges stays (it is still in the text); `--top` then ranks
    /// the nodes that remain.
    pub fn apply(&self, graph: &mut KnowledgeGraph) {
        if let Some(types) = &self.types {
            graph.retain_nodes(|n| types.contains(&n.kind));
        }
        if self.no_cooccurrence {
            graph.retain_edges(|e| e.relation != CO_OCCURS);
        }
        if let Some(min) = self.min_weight {
            graph.retain_edges(|e| e.weight >= min);
        }
        if let Some(top) = self.top {
            let mut nodes = graph.sorted_nodes();
            nodes.sort_by(|a, b| {
                b.salience
                    .total_cmp(&a.salience)
                    .then(b.mention_count().cmp(&a.mention_count()))
                    .then(a.id.cmp(&b.id))
            });
            let keep: HashSet<String> = nodes.iter().take(top).map(|n| n.id.clone()).collect();
            graph.retain_nodes(|n| keep.contains(&n.id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, Node};

    fn graph() -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        for (id, kind, sal) in [
            ("a", NodeKind::Person, 1.0),
            ("b", NodeKind::Place, 0.5),
            ("c", NodeKind::Organisation, 0.7),
            ("d", NodeKind::Event, 0.1),
        ] {
            let mut n = Node::new(id, id.to_uppercase(), kind);
            n.salience = sal;
            g.add_node(n);
        }
        let edge = |relation: &str, weight| Edge {
            relation: relation.into(),
            label: None,
            weight,
            evidence: vec![],
        };
        g.add_edge("a", "b", edge("co_occurs", 1));
        g.add_edge("a", "c", edge("member_of", 3));
        g.add_edge("c", "b", edge("located_in", 1));
        g.add_edge("a", "d", edge("participant_in", 2));
        g
    }

    fn ids(g: &KnowledgeGraph) -> Vec<String> {
        g.sorted_nodes().iter().map(|n| n.id.clone()).collect()
    }

    fn edges(g: &KnowledgeGraph) -> Vec<String> {
        g.sorted_edges()
            .iter()
            .map(|(s, t, e)| format!("{}-{}:{}", s.id, t.id, e.relation))
            .collect()
    }

    #[test]
    fn empty_filter_keeps_everything() {
        let mut g = graph();
        Filter::default().apply(&mut g);
        assert_eq!(ids(&g), ["a", "b", "c", "d"]);
        assert_eq!(g.edge_count(), 4);
    }

    #[test]
    fn types_drop_nodes_and_their_edges() {
        let mut g = graph();
        let f = Filter {
            types: Some(Filter::parse_types("person, Place").unwrap()),
            ..Filter::default()
        };
        f.apply(&mut g);
        assert_eq!(ids(&g), ["a", "b"]);
        assert_eq!(edges(&g), ["a-b:co_occurs"]);
        assert!(Filter::parse_types("person,planet").is_err());
    }

    #[test]
    fn edge_filters_keep_nodes() {
        let mut g = graph();
        let f = Filter {
            min_weight: Some(2),
            no_cooccurrence: true,
            ..Filter::default()
        };
        f.apply(&mut g);
        assert_eq!(ids(&g), ["a", "b", "c", "d"]);
        assert_eq!(edges(&g), ["a-c:member_of", "a-d:participant_in"]);
    }

    #[test]
    fn top_keeps_the_most_salient_nodes_and_edges_among_them() {
        let mut g = graph();
        let f = Filter {
            top: Some(2),
            ..Filter::default()
        };
        f.apply(&mut g);
        assert_eq!(ids(&g), ["a", "c"]);
        assert_eq!(edges(&g), ["a-c:member_of"]);
    }
}
