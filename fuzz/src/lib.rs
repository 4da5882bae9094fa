//! The properties the fuzz targets check, one function per target, so that
//! a crash found by `cargo fuzz` can be replayed from a plain test too.

use arbitrary::{Arbitrary, Unstructured};
use clap::ValueEnum;
use kgx::export::Format;
use kgx::graph::{DocumentInfo, Edge, Evidence, KnowledgeGraph, MentionRef, Node, NodeKind};
use kgx::lang::Language;
use kgx::Extractor;

/// Decodes like `kgx --lossy` does: never fails, offsets kept.
fn text_of(data: &[u8]) -> String {
    kgx::text::decode(data.to_vec(), true).expect("lossy decoding never fails")
}

/// Tokens and sentences: in order, not overlapping, on character
/// boundaries, never empty, never holding whitespace; sentences made of
/// consecutive tokens and covering all of them.
pub fn check_tokenize(data: &[u8]) {
    let text = text_of(data);
    for code in Language::codes() {
        let lang = Language::get(code).unwrap();
        let tokens = kgx::text::tokenize(&text, lang);
        let mut end = 0;
        for t in &tokens {
            let (s, e) = (t.span.start as usize, t.span.end as usize);
            assert!(s >= end && e > s && e <= text.len(), "bad token {s}..{e}");
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            assert!(
                !text[s..e].contains(char::is_whitespace),
                "{:?}",
                &text[s..e]
            );
            end = e;
        }
        let sentences = kgx::text::sentences(&text, &tokens, lang);
        let mut next = 0;
        for s in &sentences {
            assert_eq!(s.tokens.start, next);
            assert!(s.tokens.end > s.tokens.start);
            next = s.tokens.end;
        }
        assert_eq!(next, tokens.len());
    }
}

/// The whole pipeline on arbitrary bytes: no panic, every mention's offsets
/// select its text, and the JSON export reads back to the same graph.
pub fn check_extract(data: &[u8]) {
    let text = text_of(data);
    let graph = Extractor::default().extract_text("fuzz", &text);
    for n in graph.petgraph().node_weights() {
        for m in &n.mentions {
            assert_eq!(&text[m.start as usize..m.end as usize], &*m.text);
        }
    }
    check_formats(&graph);
}

/// JSON Lines records: any line either parses or gives an error naming
/// the line; never a panic.
pub fn check_jsonl(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count();
    for r in kgx::input::jsonl_records("f.jsonl".into(), data, true) {
        match r {
            Ok(d) => assert!(!d.id.is_empty()),
            Err(e) => {
                let msg = e.to_string();
                let line: usize = msg
                    .strip_prefix("f.jsonl:")
                    .and_then(|m| m.split(':').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("no line number: {msg}"));
                assert!(line >= 1 && line <= lines);
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct FuzzNode {
    name: String,
    label: String,
    kind: u8,
    aliases: Vec<String>,
    roles: Vec<String>,
    event_type: Option<String>,
    time: Option<String>,
    mentions: Vec<(u8, u32, u16, String, Option<u32>)>,
}

#[derive(Arbitrary, Debug)]
struct FuzzEdge {
    source: u8,
    target: u8,
    relation: String,
    label: Option<String>,
    weight: u16,
    evidence: Vec<(u8, u32, u16)>,
}

#[derive(Arbitrary, Debug)]
struct FuzzGraph {
    docs: Vec<(String, String, Option<String>)>,
    nodes: Vec<FuzzNode>,
    edges: Vec<FuzzEdge>,
}

/// An arbitrary graph built through the public API, as a corpus run could.
fn build_graph(u: &mut Unstructured) -> arbitrary::Result<KnowledgeGraph> {
    let f = FuzzGraph::arbitrary(u)?;
    let doc_ids: Vec<String> = if f.docs.is_empty() {
        vec!["d".into()]
    } else {
        f.docs.iter().map(|d| d.0.clone()).collect()
    };
    let doc = |i: u8| doc_ids[i as usize % doc_ids.len()].clone();
    let mut g = KnowledgeGraph::new();
    for (id, lang, date) in f.docs {
        g.add_document(DocumentInfo {
            id,
            path: None,
            language: lang,
            bytes: 0,
            date,
            source: None,
        });
    }
    let mut ids = Vec::new();
    for n in f.nodes {
        let kind = NodeKind::ALL[n.kind as usize % NodeKind::ALL.len()];
        let id = format!("{}:{}", kind.as_str(), n.name);
        let mut node = Node::new(id.clone(), n.label, kind);
        node.aliases = n.aliases;
        node.roles = n.roles;
        node.event_type = n.event_type.map(Into::into);
        node.time = n.time.map(Into::into);
        node.mentions = n
            .mentions
            .into_iter()
            .map(|(d, start, len, text, sentence)| MentionRef {
                doc: doc(d).into(),
                start,
                end: start.saturating_add(len as u32),
                text: text.into(),
                sentence,
            })
            .collect();
        g.add_node(node);
        ids.push(id);
    }
    if !ids.is_empty() {
        for e in f.edges {
            let s = &ids[e.source as usize % ids.len()];
            let t = &ids[e.target as usize % ids.len()];
            let evidence = e
                .evidence
                .into_iter()
                .map(|(d, start, len)| Evidence {
                    doc: doc(d).into(),
                    start,
                    end: start.saturating_add(len as u32),
                })
                .collect();
            g.add_edge(
                s,
                t,
                Edge {
                    relation: e.relation,
                    label: e.label,
                    weight: e.weight as u32,
                    evidence,
                },
            );
        }
    }
    g.finalize();
    Ok(g)
}

/// Every export format on an arbitrary graph: writing succeeds and the
/// output parses back as its format.
pub fn check_export(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(mut g) = build_graph(&mut u) {
        // Every graph kgx writes is finalized first (mentions and evidence
        // sorted): export the same kind of graph.
        g.finalize();
        check_formats(&g);
    }
}

/// Writes `graph` in every format `--format` offers (new formats are picked
/// up automatically) and parses each output back.
pub fn check_formats(graph: &KnowledgeGraph) {
    for &format in Format::value_variants() {
        let name = format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        if format == Format::Csv {
            // CSV is two files (nodes, edges): each must parse back.
            for write in [kgx::export::write_nodes_csv, kgx::export::write_edges_csv] {
                let mut out = Vec::new();
                write(graph, &mut out).unwrap_or_else(|e| panic!("csv: write failed: {e}"));
                parses_back(&name, graph, &out);
            }
            continue;
        }
        let mut out = Vec::new();
        kgx::export::write(graph, format, &mut out)
            .unwrap_or_else(|e| panic!("{format:?}: write failed: {e}"));
        parses_back(&name, graph, &out);
    }
}

fn parses_back(format: &str, graph: &KnowledgeGraph, out: &[u8]) {
    match format {
        "json" => {
            let back = kgx::import::from_json("fuzz.json", out)
                .unwrap_or_else(|e| panic!("JSON does not read back: {e}"));
            let mut again = Vec::new();
            kgx::export::write_json(&back, &mut again).unwrap();
            assert_eq!(
                String::from_utf8_lossy(out),
                String::from_utf8_lossy(&again),
                "JSON changes on a round trip"
            );
            // The character rule may make two ids equal (`a\u{1}`, `a\u{2}`:
            // kgx's own ids are slugs and never hold such characters), so
            // the counts to compare are those of the cleaned graph.
            let cleaned = kgx::export::clean_graph(graph);
            assert_eq!(back.node_count(), cleaned.node_count());
            assert_eq!(back.edge_count(), cleaned.edge_count());
        }
        "gexf" | "graphml" | "svg" | "xml" => {
            let mut r = quick_xml::Reader::from_reader(out);
            let mut buf = Vec::new();
            let mut depth = 0i64;
            loop {
                match r.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(quick_xml::events::Event::Text(t)) => {
                        t.unescape()
                            .unwrap_or_else(|e| panic!("{format}: bad text: {e}"));
                    }
                    Ok(_) => {}
                    Err(e) => panic!(
                        "{format}: not well-formed XML at {}: {e}",
                        r.buffer_position()
                    ),
                }
                buf.clear();
            }
            assert_eq!(depth, 0, "{format}: unbalanced elements");
            assert!(std::str::from_utf8(out).is_ok(), "{format}: not UTF-8");
            assert!(
                !out.iter()
                    .any(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')),
                "{format}: a control character XML 1.0 forbids"
            );
        }
        "csv" => {
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(false)
                .from_reader(out);
            for rec in r.records() {
                rec.unwrap_or_else(|e| panic!("csv: {e}"));
            }
        }
        "dot" => {
            let s = std::str::from_utf8(out).expect("DOT is UTF-8");
            assert!(
                s.starts_with("digraph") || s.starts_with("strict digraph"),
                "{s}"
            );
            assert!(s.trim_end().ends_with('}'));
            dot_balanced(s);
        }
        _ => assert!(!out.is_empty(), "{format}: empty output"),
    }
}

/// Quoted strings close and braces balance outside them.
fn dot_balanced(s: &str) {
    let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
    for c in s.chars() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_str = true,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "DOT: '}}' before '{{'");
        }
    }
    assert!(!in_str, "DOT: unterminated string");
    assert_eq!(depth, 0, "DOT: unbalanced braces");
}
