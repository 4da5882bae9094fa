//! Every export format, read back by the programs users open them with:
//! networkx, igraph, Python's csv and XML modules (tests/consumers.py) and
//! Graphviz's `dot`. Needs python3 with networkx and igraph, and graphviz
//! (see ci-needs.txt).

use std::path::{Path, PathBuf};
use std::process::Command;

use kgx::export::{self, Format, Renderer};
use kgx::graph::{Edge, Evidence, KnowledgeGraph, MentionRef, Node, NodeKind};

/// Labels that break careless writers: markup, quotes, backslashes, line
/// breaks, tabs, emoji, right-to-left text, a control character.
const NASTY: [&str; 16] = [
    "Procter & Gamble",
    "O'Neill",
    "'s-Hertogenbosch",
    "Jan \"de Bulldozer\" Smit",
    "<script>alert(1)</script>",
    "Back\\slash \\N \\n \\",
    "Line one\nLine two",
    "Tab\there",
    "Emoji 🎉 Feest",
    "עברית العربية",
    "Control\u{7}bell",
    "]]> & -- <!-- x -->",
    "a,b;c|d \"e\"",
    "=SUM(A1)",
    "Crème brûlée Ωμέγα",
    "Carriage\r\nreturn",
];

fn nasty_graph() -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    for (i, label) in NASTY.iter().enumerate() {
        let kind = NodeKind::ALL[i % 4];
        let mut n = Node::new(format!("{}:{}-{}", kind.as_str(), i, label), *label, kind);
        n.aliases = vec![format!("{label} (alias)"), "P&G".into()];
        n.roles = vec!["minister \"of\" <things>".into()];
        n.salience = i as f64 / NASTY.len() as f64;
        n.mentions = vec![MentionRef {
            doc: "doc & \"1\"".into(),
            start: i as u32,
            end: i as u32 + 3,
            text: (*label).into(),
            sentence: Some(0),
        }];
        if kind == NodeKind::Event {
            n.event_type = Some("meeting".into());
            n.time = Some("woensdag \"21\"".into());
            n.time_iso = Some("2022-09-21".into());
        }
        g.add_node(n);
    }
    let ids: Vec<String> = g.sorted_nodes().iter().map(|n| n.id.clone()).collect();
    for (i, w) in ids.windows(2).enumerate() {
        let relation = if i % 3 == 0 { "co_occurs" } else { "member_of" };
        let label = (i % 3 != 0).then(|| NASTY[i % NASTY.len()].to_string());
        let edge = Edge {
            relation: relation.into(),
            label,
            weight: 1 + i as u32 % 4,
            evidence: vec![Evidence {
                doc: "doc & \"1\"".into(),
                start: 0,
                end: 10,
            }],
        };
        assert!(g.add_edge(&w[0], &w[1], edge));
    }
    // A parallel edge with another relation, which some readers merge.
    g.add_edge(
        &ids[0],
        &ids[1],
        Edge {
            relation: "located_in".into(),
            label: Some("in & <near>".into()),
            weight: 2,
            evidence: vec![],
        },
    );
    g
}

fn python_checker(dir: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consumers.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .output()
        .expect("python3 must be installed (see ci-needs.txt)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "consumers.py failed on {}:\n{stdout}\n{stderr}",
        dir.display()
    );
    assert!(stdout.contains("consumers: ok"), "{stdout}");
}

/// `dot -Tsvg` must accept the file without a word on stderr.
fn graphviz_accepts(dot: &Path) {
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(dot)
        .output()
        .expect("graphviz's dot must be installed (see ci-needs.txt)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "dot failed on {}: {stderr}",
        dot.display()
    );
    assert!(
        stderr.trim().is_empty(),
        "dot warned on {}: {stderr}",
        dot.display()
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

fn save_all(graph: &KnowledgeGraph, dir: &Path) {
    for (format, name) in [
        (Format::Json, "graph.json"),
        (Format::Dot, "graph.dot"),
        (Format::Gexf, "graph.gexf"),
        (Format::Graphml, "graph.graphml"),
        (Format::Svg, "graph.svg"),
    ] {
        export::save(graph, format, Renderer::Builtin, &dir.join(name)).unwrap();
    }
    export::save(graph, Format::Csv, Renderer::Builtin, dir).unwrap();
}

#[test]
fn nasty_names_survive_every_format_and_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let graph = nasty_graph();
    save_all(&graph, dir.path());
    let expected: Vec<String> = NASTY
        .iter()
        .map(|s| export::clean(s).into_owned())
        .collect();
    assert!(expected.contains(&"Control\u{FFFD}bell".to_string()));
    assert!(expected.contains(&"Carriage\nreturn".to_string()));
    std::fs::write(
        dir.path().join("expected.json"),
        serde_json::to_string(&serde_json::json!({ "labels": expected })).unwrap(),
    )
    .unwrap();
    python_checker(dir.path());
    graphviz_accepts(&dir.path().join("graph.dot"));
    // A dated event makes the GEXF dynamic, with the date as its start.
    let gexf = std::fs::read_to_string(dir.path().join("graph.gexf")).unwrap();
    assert!(gexf.contains("mode=\"dynamic\" timeformat=\"date\""));
    assert!(gexf.contains("start=\"2022-09-21\""));
}

fn kgx() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kgx"))
}

fn extract_all(input: &Path, dir: &Path, extra: &[&str]) {
    for ext in ["json", "dot", "gexf", "graphml", "svg"] {
        let out = kgx()
            .arg("extract")
            .arg(input)
            .args(extra)
            .arg("-o")
            .arg(dir.join(format!("graph.{ext}")))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = kgx()
        .arg("extract")
        .arg(input)
        .args(extra)
        .args(["--format", "csv", "-o"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "csv: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/seed-article.txt")
}

#[test]
fn the_seed_graph_reads_the_same_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    extract_all(&seed(), dir.path(), &[]);
    python_checker(dir.path());
    graphviz_accepts(&dir.path().join("graph.dot"));
}

const TEXT: &str = "Minister Jan O'Neill van Procter & Gamble sprak dinsdag in 's-Hertogenbosch \
met burgemeester Anna de Vries. Later reisde O'Neill naar Utrecht, waar Procter & Gamble \
een fabriek heeft. De NAVO en de Verenigde Naties volgden het bezoek van O'Neill aan Utrecht.\n";

#[test]
fn a_written_text_reads_the_same_everywhere_and_filters_apply() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bericht.txt");
    std::fs::write(&input, TEXT).unwrap();
    let all = dir.path().join("all");
    std::fs::create_dir(&all).unwrap();
    extract_all(&input, &all, &[]);
    python_checker(&all);
    graphviz_accepts(&all.join("graph.dot"));

    let filtered = dir.path().join("filtered");
    std::fs::create_dir(&filtered).unwrap();
    let flags = ["--types", "person,place", "--top", "3", "--min-weight", "1"];
    extract_all(&input, &filtered, &flags);
    python_checker(&filtered);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(filtered.join("graph.json")).unwrap())
            .unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty() && nodes.len() <= 3, "{nodes:?}");
    for n in nodes {
        let t = n["type"].as_str().unwrap();
        assert!(t == "person" || t == "place", "{t}");
    }
}

#[test]
fn graphviz_renderer_draws_the_same_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.svg");
    export::save(&nasty_graph(), Format::Svg, Renderer::Graphviz, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("<svg"));
    assert!(svg.contains("Procter &amp; Gamble"));
}

#[test]
fn csv_needs_a_directory_and_says_so() {
    let out = kgx()
        .arg("extract")
        .arg(seed())
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-o DIRECTORY"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn exports_are_byte_identical_across_runs() {
    let g = nasty_graph();
    for format in [
        Format::Json,
        Format::Dot,
        Format::Gexf,
        Format::Graphml,
        Format::Svg,
    ] {
        let mut a = Vec::new();
        let mut b = Vec::new();
        export::write(&g, format, &mut a).unwrap();
        export::write(&g, format, &mut b).unwrap();
        assert_eq!(a, b, "{format:?}");
    }
}

/// A graph big enough for the force layout (sfdp), with typed, labelled
/// relations: Graphviz must draw it without a warning, and the built-in
/// SVG must stay quick.
fn big_graph(n: usize) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    for i in 0..n {
        let kind = NodeKind::ALL[i % 4];
        let mut node = Node::new(
            format!("{}:n{i}", kind.as_str()),
            format!("Node {i} & co"),
            kind,
        );
        node.salience = 1.0 / (1 + i % 17) as f64;
        g.add_node(node);
    }
    let ids: Vec<String> = g.sorted_nodes().iter().map(|n| n.id.clone()).collect();
    for i in 0..n {
        for (k, relation) in [(1, "co_occurs"), (7, "member_of"), (13, "located_in")] {
            let j = (i * 31 + k) % n;
            if i != j {
                let label = (relation != "co_occurs").then(|| format!("is {relation} \"x\""));
                g.add_edge(
                    &ids[i],
                    &ids[j],
                    Edge {
                        relation: relation.into(),
                        label,
                        weight: 1 + (i % 3) as u32,
                        evidence: vec![],
                    },
                );
            }
        }
    }
    g
}

#[test]
fn a_big_graph_draws_without_warnings_and_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let g = big_graph(120);
    assert!(g.node_count() >= export::FORCE_LAYOUT_FROM);
    let dot = dir.path().join("big.dot");
    export::save(&g, Format::Dot, Renderer::Builtin, &dot).unwrap();
    assert!(std::fs::read_to_string(&dot)
        .unwrap()
        .contains("layout=sfdp"));
    graphviz_accepts(&dot);
    let start = std::time::Instant::now();
    let mut svg = Vec::new();
    export::write(&big_graph(600), Format::Svg, &mut svg).unwrap();
    let took = start.elapsed();
    assert!(
        took.as_secs() < 20,
        "built-in SVG of 600 nodes took {took:?}"
    );
    eprintln!("built-in SVG of 600 nodes: {took:?}");
}
