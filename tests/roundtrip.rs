//! Property tests: graphs whose strings hold markup, quotes, backslashes,
//! line breaks, tabs, emoji, right-to-left text and control characters are
//! exported to every format and parsed back (quick-xml, serde_json, csv, a
//! small DOT reader); every format must give back the graph's strings after
//! the one documented character rule (`kgx::export::clean`). An empty
//! string and a missing one count as the same.

use std::collections::BTreeMap;

use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::Reader;

use kgx::export::{self, clean, Format};
use kgx::graph::{Edge, KnowledgeGraph, Node, NodeKind};

/// What every format must carry of a node: label, type, event type, time,
/// aliases, roles.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct NodeView {
    label: String,
    kind: String,
    event_type: String,
    time: String,
    aliases: Vec<String>,
    roles: Vec<String>,
}

/// An edge: source, target, relation, label, weight.
type EdgeView = (String, String, String, String, u32);

#[derive(Debug, Default, PartialEq)]
struct View {
    nodes: BTreeMap<String, NodeView>,
    edges: Vec<EdgeView>,
}

fn expected(g: &KnowledgeGraph) -> View {
    let c = |s: &str| clean(s).into_owned();
    let nodes = g
        .sorted_nodes()
        .into_iter()
        .map(|n| {
            (
                c(&n.id),
                NodeView {
                    label: c(&n.label),
                    kind: n.kind.as_str().into(),
                    event_type: c(n.event_type.as_deref().unwrap_or("")),
                    time: c(n.time.as_deref().unwrap_or("")),
                    aliases: n.aliases.iter().map(|s| c(s)).collect(),
                    roles: n.roles.iter().map(|s| c(s)).collect(),
                },
            )
        })
        .collect();
    let mut edges: Vec<EdgeView> = g
        .sorted_edges()
        .into_iter()
        .map(|(s, t, e)| {
            (
                c(&s.id),
                c(&t.id),
                c(&e.relation),
                c(e.label.as_deref().unwrap_or("")),
                e.weight,
            )
        })
        .collect();
    edges.sort();
    View { nodes, edges }
}

fn list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(s).expect("lists are JSON arrays")
    }
}

fn set_node_attr(n: &mut NodeView, key: &str, value: String) {
    match key {
        "label" => n.label = value,
        "type" => n.kind = value,
        "event_type" => n.event_type = value,
        "time" => n.time = value,
        "aliases" => n.aliases = list(&value),
        "roles" => n.roles = list(&value),
        _ => {}
    }
}

fn bytes(g: &KnowledgeGraph, f: Format) -> String {
    let mut out = Vec::new();
    export::write(g, f, &mut out).unwrap();
    String::from_utf8(out).expect("exports are UTF-8")
}

fn attrs(e: &quick_xml::events::BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().expect("valid escapes").into_owned(),
            )
        })
        .collect()
}

fn read_gexf(s: &str) -> View {
    let mut r = Reader::from_str(s);
    let mut v = View::default();
    let mut node: Option<(String, NodeView)> = None;
    let mut edge: Option<EdgeView> = None;
    loop {
        match r.read_event().expect("well-formed GEXF") {
            Event::Start(e) | Event::Empty(e) => {
                let a = attrs(&e);
                match e.name().as_ref() {
                    b"node" => {
                        let n = NodeView {
                            label: a["label"].clone(),
                            ..NodeView::default()
                        };
                        node = Some((a["id"].clone(), n));
                    }
                    b"edge" => {
                        let label = a.get("label").cloned().unwrap_or_default();
                        let weight = a["weight"].parse().unwrap();
                        edge = Some((
                            a["source"].clone(),
                            a["target"].clone(),
                            String::new(),
                            label,
                            weight,
                        ));
                    }
                    b"attvalue" => {
                        let (key, value) = (a["for"].as_str(), a["value"].clone());
                        if let Some((_, n)) = node.as_mut() {
                            set_node_attr(n, key, value);
                        } else if let Some(e) = edge.as_mut() {
                            if key == "relation" {
                                e.2 = value;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"node" => {
                    let (id, n) = node.take().unwrap();
                    v.nodes.insert(id, n);
                }
                b"edge" => v.edges.push(edge.take().unwrap()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    v.edges.sort();
    v
}

fn read_graphml(s: &str) -> View {
    let mut r = Reader::from_str(s);
    let mut v = View::default();
    let mut node: Option<(String, NodeView)> = None;
    let mut edge: Option<EdgeView> = None;
    let mut key: Option<String> = None;
    loop {
        match r.read_event().expect("well-formed GraphML") {
            Event::Start(e) => {
                let a = attrs(&e);
                match e.name().as_ref() {
                    b"node" => node = Some((a["id"].clone(), NodeView::default())),
                    b"edge" => {
                        edge = Some((
                            a["source"].clone(),
                            a["target"].clone(),
                            String::new(),
                            String::new(),
                            0,
                        ))
                    }
                    b"data" => key = Some(a["key"].clone()),
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(k) = key.take() {
                    let value = t.unescape().expect("valid escapes").into_owned();
                    if let Some((_, n)) = node.as_mut() {
                        set_node_attr(n, k.trim_start_matches("n_"), value);
                    } else if let Some(e) = edge.as_mut() {
                        match k.as_str() {
                            "e_relation" => e.2 = value,
                            "e_label" => e.3 = value,
                            "e_weight" => e.4 = value.parse::<f64>().unwrap() as u32,
                            _ => {}
                        }
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"node" => {
                    let (id, n) = node.take().unwrap();
                    v.nodes.insert(id, n);
                }
                b"edge" => v.edges.push(edge.take().unwrap()),
                b"data" => key = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    v.edges.sort();
    v
}

fn read_json(s: &str) -> View {
    let d: serde_json::Value = serde_json::from_str(s).expect("valid JSON");
    let str_of = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let list_of = |v: &serde_json::Value| {
        v.as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let mut v = View::default();
    for n in d["nodes"].as_array().unwrap() {
        v.nodes.insert(
            str_of(&n["id"]),
            NodeView {
                label: str_of(&n["label"]),
                kind: str_of(&n["type"]),
                event_type: str_of(&n["event_type"]),
                time: str_of(&n["time"]),
                aliases: list_of(&n["aliases"]),
                roles: list_of(&n["roles"]),
            },
        );
    }
    for e in d["edges"].as_array().unwrap() {
        v.edges.push((
            str_of(&e["source"]),
            str_of(&e["target"]),
            str_of(&e["relation"]),
            str_of(&e["label"]),
            e["weight"].as_u64().unwrap() as u32,
        ));
    }
    v.edges.sort();
    v
}

fn read_csv(nodes: &str, edges: &str) -> View {
    let mut v = View::default();
    let mut r = csv::Reader::from_reader(nodes.as_bytes());
    assert_eq!(
        r.headers().unwrap(),
        &csv::StringRecord::from(export::NODE_HEADER.to_vec())
    );
    for rec in r.records() {
        let rec = rec.expect("valid CSV");
        v.nodes.insert(
            rec[0].to_string(),
            NodeView {
                label: rec[1].to_string(),
                kind: rec[2].to_string(),
                event_type: rec[3].to_string(),
                time: rec[5].to_string(),
                aliases: list(&rec[9]),
                roles: list(&rec[10]),
            },
        );
    }
    let mut r = csv::Reader::from_reader(edges.as_bytes());
    for rec in r.records() {
        let rec = rec.expect("valid CSV");
        assert_eq!(&rec[2], "Directed");
        v.edges.push((
            rec[0].to_string(),
            rec[1].to_string(),
            rec[5].to_string(),
            rec[4].to_string(),
            rec[3].parse().unwrap(),
        ));
    }
    v.edges.sort();
    v
}

/// Reads one DOT double-quoted string at the start of `s`; returns it and the rest.
fn dot_string(s: &str) -> (String, &str) {
    assert!(s.starts_with('"'), "expected a quoted string at {s:?}");
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &s[i + 2..]),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => out.push('\n'),
                Some(c) => out.push(c),
                None => break,
            },
            c => out.push(c),
        }
    }
    panic!("unterminated DOT string in {s:?}")
}

/// The value of `key=` in a DOT attribute list that holds quoted values.
fn dot_attr(mut rest: &str, key: &str) -> Option<String> {
    loop {
        let at = rest.find(&format!("{key}=\""))?;
        // Only a whole key: preceded by '[' or ' '.
        let before = rest[..at].chars().last();
        let (value, after) = dot_string(&rest[at + key.len() + 1..]);
        if matches!(before, Some('[') | Some(' ')) {
            return Some(value);
        }
        rest = after;
    }
}

fn read_dot(s: &str) -> View {
    let mut v = View::default();
    for line in s.lines() {
        let Some(stmt) = line.strip_prefix("  ") else {
            continue;
        };
        if !stmt.starts_with('"') {
            continue;
        }
        let (id, rest) = dot_string(stmt);
        if let Some(target) = rest.strip_prefix(" -> ") {
            let (t, attrs) = dot_string(target);
            v.edges.push((
                id,
                t,
                dot_attr(attrs, "relation").unwrap(),
                String::new(),
                0,
            ));
        } else {
            let label = dot_attr(rest, "label").unwrap();
            let kind = dot_attr(rest, "type").unwrap();
            v.nodes.insert(
                id,
                NodeView {
                    label,
                    kind,
                    ..NodeView::default()
                },
            );
        }
    }
    v.edges.sort();
    v
}

fn read_svg(s: &str) -> BTreeMap<String, (String, String)> {
    let mut r = Reader::from_str(s);
    let mut nodes = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match r.read_event().expect("well-formed SVG") {
            Event::Start(e) => match e.name().as_ref() {
                b"g" => {
                    let a = attrs(&e);
                    if let Some(kind) = a.get("class").and_then(|c| c.strip_prefix("node ")) {
                        current = Some((a["data-id"].clone(), kind.to_string()));
                    }
                }
                b"title" => {
                    in_title = true;
                    title.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_title => title.push_str(&t.unescape().unwrap()),
            Event::End(e) if e.name().as_ref() == b"title" => {
                in_title = false;
                if let Some((id, kind)) = current.take() {
                    nodes.insert(id, (title.clone(), kind));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    nodes
}

fn nasty_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"', '\'', '<', '>', '&', '\\', '\n', '\t', '\r', ' ', ',', ';', '|', '=', '#', '[', ']',
        '{', '🎉', 'ש', 'ع', '\u{202E}', '\u{200F}', 'é', '\u{0}', '\u{7}', '\u{1b}', '\u{7f}',
        '\u{85}', '\u{FFFE}', '\u{FFFF}', '\u{FEFF}',
    ]);
    prop::collection::vec(
        prop_oneof![3 => prop::char::range('a', 'z'), 2 => special, 1 => any::<char>()],
        0..10,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn node_strategy() -> impl Strategy<
    Value = (
        String,
        usize,
        Vec<String>,
        Vec<String>,
        Option<String>,
        Option<String>,
    ),
> {
    (
        nasty_string(),
        0..4usize,
        prop::collection::vec(nasty_string(), 0..3),
        prop::collection::vec(nasty_string(), 0..2),
        prop::option::of(nasty_string()),
        prop::option::of(nasty_string()),
    )
}

fn graph_strategy() -> impl Strategy<Value = KnowledgeGraph> {
    (
        prop::collection::vec(node_strategy(), 1..6),
        prop::collection::vec(
            (
                0..6usize,
                0..6usize,
                nasty_string(),
                prop::option::of(nasty_string()),
                1..50u32,
            ),
            0..8,
        ),
    )
        .prop_map(|(nodes, edges)| {
            let mut g = KnowledgeGraph::new();
            let mut ids = Vec::new();
            for (i, (label, kind, aliases, roles, event_type, time)) in
                nodes.into_iter().enumerate()
            {
                let kind = NodeKind::ALL[kind];
                let id = format!("n{i}:{label}");
                let mut n = Node::new(id.clone(), label, kind);
                n.aliases = aliases;
                n.roles = roles;
                n.event_type = event_type.map(Into::into);
                n.time = time.map(Into::into);
                n.salience = i as f64 / 5.0;
                g.add_node(n);
                ids.push(id);
            }
            for (a, b, relation, label, weight) in edges {
                let (a, b) = (&ids[a % ids.len()], &ids[b % ids.len()]);
                let relation = format!("r{relation}");
                g.add_edge(
                    a,
                    b,
                    Edge {
                        relation,
                        label,
                        weight,
                        evidence: vec![],
                    },
                );
            }
            g
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_format_gives_back_the_same_graph(g in graph_strategy()) {
        let want = expected(&g);
        prop_assert_eq!(&read_json(&bytes(&g, Format::Json)), &want, "json");
        prop_assert_eq!(&read_gexf(&bytes(&g, Format::Gexf)), &want, "gexf");
        prop_assert_eq!(&read_graphml(&bytes(&g, Format::Graphml)), &want, "graphml");

        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        export::write_nodes_csv(&g, &mut nodes).unwrap();
        export::write_edges_csv(&g, &mut edges).unwrap();
        let csv = read_csv(&String::from_utf8(nodes).unwrap(), &String::from_utf8(edges).unwrap());
        prop_assert_eq!(&csv, &want, "csv");

        // DOT carries ids, labels, types and relations.
        let dot = read_dot(&bytes(&g, Format::Dot));
        let dot_nodes: BTreeMap<_, _> = want.nodes.iter().map(|(id, n)| (id.clone(), (n.label.clone(), n.kind.clone()))).collect();
        let got: BTreeMap<_, _> = dot.nodes.iter().map(|(id, n)| (id.clone(), (n.label.clone(), n.kind.clone()))).collect();
        prop_assert_eq!(&got, &dot_nodes, "dot nodes");
        let mut dot_edges: Vec<_> = want.edges.iter().map(|e| (e.0.clone(), e.1.clone(), e.2.clone())).collect();
        dot_edges.sort();
        let got_edges: Vec<_> = dot.edges.iter().map(|e| (e.0.clone(), e.1.clone(), e.2.clone())).collect();
        prop_assert_eq!(got_edges, dot_edges, "dot edges");

        // SVG: each node's group names it in full.
        prop_assert_eq!(read_svg(&bytes(&g, Format::Svg)), dot_nodes, "svg");
    }
}

#[test]
fn the_rule_is_applied_not_just_the_escaping() {
    let mut g = KnowledgeGraph::new();
    g.add_node(Node::new("p:1", "Bell\u{7}\r\nNext", NodeKind::Person));
    let gexf = bytes(&g, Format::Gexf);
    assert!(gexf.contains("label=\"Bell\u{FFFD}&#10;Next\""), "{gexf}");
    assert_eq!(read_gexf(&gexf).nodes["p:1"].label, "Bell\u{FFFD}\nNext");
    assert_eq!(
        read_json(&bytes(&g, Format::Json)).nodes["p:1"].label,
        "Bell\u{FFFD}\nNext"
    );
}

/// Found by the `export` fuzz target: ids that differ only in characters the
/// rule replaces become one node, and every format agrees on that node.
#[test]
fn ids_equal_after_the_character_rule_are_one_node_in_every_format() {
    let mut g = KnowledgeGraph::new();
    g.add_node(Node::new("a\u{1}", "one", NodeKind::Person));
    g.add_node(Node::new("a\u{2}", "two", NodeKind::Person));
    assert_eq!(g.node_count(), 2);
    let json = read_json(&bytes(&g, Format::Json));
    let graphml = read_graphml(&bytes(&g, Format::Graphml));
    let gexf = read_gexf(&bytes(&g, Format::Gexf));
    assert_eq!(json.nodes.len(), 1);
    assert_eq!(graphml.nodes.len(), 1);
    assert_eq!(gexf.nodes.len(), 1);
    assert!(json
        .nodes
        .contains_key(&format!("a{}", export::REPLACEMENT)));
}

/// Found by the `export` fuzz target: the character rule can change how
/// mention texts sort; the JSON still reads back and writes the same bytes.
#[test]
fn json_reads_back_to_the_same_bytes_when_cleaning_reorders_mentions() {
    use kgx::graph::MentionRef;
    let mut g = KnowledgeGraph::new();
    let mut n = Node::new("event:x", "x", NodeKind::Event);
    for text in ["\u{1}\u{1}", "\u{fffd}", "a"] {
        n.mentions.push(MentionRef {
            doc: "d".into(),
            start: 0,
            end: 0,
            text: text.into(),
            sentence: None,
        });
    }
    g.add_node(n);
    g.finalize();
    let first = bytes(&g, Format::Json);
    let back = kgx::import::from_json("g.json", first.as_bytes()).expect("reads back");
    assert_eq!(bytes(&back, Format::Json), first);
}

/// Found by the `export` fuzz target: a node joined by the character rule
/// carries a salience computed for the joined node, so the JSON reads back
/// to the same bytes.
#[test]
fn nodes_joined_by_the_character_rule_read_back_to_the_same_bytes() {
    use kgx::graph::MentionRef;
    let mut g = KnowledgeGraph::new();
    g.add_node(Node::new("event:\u{1}", "", NodeKind::Event));
    let mut n = Node::new("event:\u{2}", "", NodeKind::Event);
    n.mentions.push(MentionRef {
        doc: "d".into(),
        start: 0,
        end: 1,
        text: "x".into(),
        sentence: None,
    });
    g.add_node(n);
    g.add_node(Node::new("person:other", "Other", NodeKind::Person));
    g.finalize();
    let first = bytes(&g, Format::Json);
    let back = kgx::import::from_json("g.json", first.as_bytes()).expect("reads back");
    assert_eq!(bytes(&back, Format::Json), first);
}
