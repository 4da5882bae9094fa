//! What every drawing format agrees on: a colour and shape per node type,
//! a node's importance (for sizes), and how lists become one string.

use crate::graph::{KnowledgeGraph, Node, NodeKind};

/// How one node type is drawn, in every format that draws.
#[derive(Clone, Copy, Debug)]
pub struct TypeStyle {
    /// Fill colour as `#rrggbb`.
    pub color: &'static str,
    /// The colour as red, green, blue (GEXF and GraphML want numbers).
    pub rgb: (u8, u8, u8),
    /// The Graphviz shape.
    pub dot_shape: &'static str,
    /// The GEXF `viz:shape`.
    pub gexf_shape: &'static str,
}

/// The style of a node type (ColorBrewer Set3-like hues, told apart by shape
/// too, so that the picture survives grey-scale printing and colour blindness).
pub fn type_style(kind: NodeKind) -> TypeStyle {
    match kind {
        NodeKind::Person => TypeStyle {
            color: "#80b1d3",
            rgb: (0x80, 0xb1, 0xd3),
            dot_shape: "ellipse",
            gexf_shape: "disc",
        },
        NodeKind::Organisation => TypeStyle {
            color: "#fdb462",
            rgb: (0xfd, 0xb4, 0x62),
            dot_shape: "box",
            gexf_shape: "square",
        },
        NodeKind::Place => TypeStyle {
            color: "#b3de69",
            rgb: (0xb3, 0xde, 0x69),
            dot_shape: "house",
            gexf_shape: "triangle",
        },
        NodeKind::Event => TypeStyle {
            color: "#fb8072",
            rgb: (0xfb, 0x80, 0x72),
            dot_shape: "diamond",
            gexf_shape: "diamond",
        },
    }
}

/// The relation of co-occurrence edges, drawn lighter than typed relations.
pub const CO_OCCURS: &str = "co_occurs";

/// Each node's importance in 0..=1 for sizing: its salience when the graph
/// has saliences, else its mention count relative to the most-mentioned node.
pub struct Importance {
    by_salience: bool,
    max_mentions: usize,
}

impl Importance {
    /// The importance scale of a graph.
    pub fn of(graph: &KnowledgeGraph) -> Importance {
        let nodes = graph.sorted_nodes();
        Importance {
            by_salience: nodes.iter().any(|n| n.salience > 0.0),
            max_mentions: nodes.iter().map(|n| n.mention_count()).max().unwrap_or(0),
        }
    }

    /// A node's importance, 0..=1.
    pub fn get(&self, n: &Node) -> f64 {
        let v = if self.by_salience {
            n.salience
        } else if self.max_mentions > 0 {
            n.mention_count() as f64 / self.max_mentions as f64
        } else {
            0.0
        };
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The node size Gephi draws (GEXF `viz:size`, GraphML `size`): 10 for
/// the least, 50 for the most important node.
pub fn node_size(importance: f64) -> f64 {
    10.0 + 40.0 * importance
}

/// A list attribute (aliases, roles) as one string, for formats whose
/// attributes are scalars: a JSON array (`["Poetin","President Poetin"]`),
/// so that any item, whatever it holds, reads back exactly. Empty lists are
/// left out by the writers.
pub fn list_value(items: &[String]) -> String {
    serde_json::to_string(items).expect("a list of strings always serialises")
}

/// The ISO date (`YYYY-MM-DD`) at the start of `time_iso`, if it has one:
/// what GEXF's timeline can use.
pub fn iso_date(time_iso: &str) -> Option<&str> {
    let d = time_iso.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(d)
}

/// Formats a number for the drawing formats: at most `places` decimals,
/// no trailing zeros, so output is short and byte-stable.
pub fn num(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_recognised() {
        assert_eq!(iso_date("2022-09-21"), Some("2022-09-21"));
        assert_eq!(iso_date("2022-09-21T10:00"), Some("2022-09-21"));
        assert_eq!(iso_date("2022-09"), None);
        assert_eq!(iso_date("woensdag12"), None);
        assert_eq!(iso_date("2022-0é-21"), None);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0, 2), "1");
        assert_eq!(num(0.125, 2), "0.12");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(num(12.5, 1), "12.5");
    }

    #[test]
    fn lists_are_json_arrays() {
        assert_eq!(list_value(&["a\"b".into(), "c".into()]), r#"["a\"b","c"]"#);
    }
}
