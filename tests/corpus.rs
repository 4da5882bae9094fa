//! Corpus runs: JSON Lines, directories, threads, per-document graphs,
//! merging and adding to an existing graph.

use std::path::Path;
use std::process::{Command, Stdio};

use kgx::{Extractor, KnowledgeGraph};

mod common;
use common::{kgx, stderr};

/// Short news items written for these tests; names recur across them so
/// that documents merge, and one name is spelled two ways of equal length.
const DOCS: &[(&str, &str)] = &[
    ("a1", "Minister Karel De-Vries bezocht woensdag Arnhem met Anna Jansen.\n\nDe NAVO vergaderde in Brussel."),
    ("a2", "Minister Karel De Vries sprak in Arnhem met burgemeester Anna Jansen. Jansen was blij."),
    ("b1", "President Maria Ortega landde in Madrid. Ortega ontmoette Karel De Vries van de NAVO."),
    ("b2", "In Brussel protesteerden boeren tegen de Europese Commissie. Anna Jansen sprak hen toe."),
    ("c1", "Senator John Miller met Maria Ortega in Washington on Monday. Miller praised NATO."),
];

fn write_corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("nl/sub")).unwrap();
    for (id, text) in &DOCS[..3] {
        std::fs::write(dir.join("nl/sub").join(format!("{id}.txt")), text).unwrap();
    }
    let jsonl: String = DOCS[3..]
        .iter()
        .map(|(id, text)| {
            serde_json::json!({"id": id, "text": text, "date": "2024-03-01", "source": "test"})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(dir.join("more.jsonl"), jsonl).unwrap();
}

#[test]
fn output_is_identical_for_any_thread_count_and_path_order() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let one = kgx(
        &["extract", "-q", "-j", "1", "nl", "more.jsonl"],
        dir.path(),
    );
    let two = kgx(
        &["extract", "-q", "-j", "2", "more.jsonl", "nl"],
        dir.path(),
    );
    assert!(one.status.success(), "{}", stderr(&one));
    assert!(two.status.success(), "{}", stderr(&two));
    assert!(one.stdout.len() > 1000);
    assert_eq!(one.stdout, two.stdout);
    let again = kgx(
        &["extract", "-q", "-j", "2", "nl", "more.jsonl"],
        dir.path(),
    );
    assert_eq!(one.stdout, again.stdout);
    let g: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let docs = g["graph"]["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    assert_eq!(docs[3]["source"], "test");
    assert_eq!(docs[3]["date"], "2024-03-01");
}

#[test]
fn malformed_jsonl_line_is_reported_with_its_number_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id": "x1", "text": "Minister Karel De Vries bezocht Arnhem."}"#,
        r#"{"id": "x2", "text": "kapot"#,
        "",
        r#"{"text": "geen id"}"#,
        r#"{"id": 4, "text": "Anna Jansen sprak in Utrecht met Maria Ortega."}"#,
    ];
    std::fs::write(dir.path().join("c.jsonl"), lines.join("\n")).unwrap();
    let o = kgx(&["extract", "-q", "c.jsonl"], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("c.jsonl:2: bad JSON Lines record"), "{err}");
    assert!(err.contains("c.jsonl:4: bad JSON Lines record"), "{err}");
    assert!(
        !err.contains("c.jsonl:3"),
        "a blank line is not an error: {err}"
    );
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(common::document_ids(&g), ["4", "x1"]);
}

#[test]
fn stdin_is_read_as_a_stream_of_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["extract", "-q", "--jsonl", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for (id, text) in DOCS {
            let line = serde_json::json!({"id": id, "text": text}).to_string();
            writeln!(stdin, "{line}").unwrap();
        }
    }
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        g["graph"]["documents"].as_array().unwrap().len(),
        DOCS.len()
    );
    assert_eq!(g["graph"]["documents"][0]["path"], "-:1");
}

#[test]
fn merging_per_document_graphs_gives_the_corpus_graph() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let whole = kgx(
        &["extract", "-q", "nl", "more.jsonl", "-o", "whole.json"],
        dir.path(),
    );
    assert!(whole.status.success(), "{}", stderr(&whole));
    let per = kgx(
        &["extract", "-q", "nl", "more.jsonl", "--per-doc", "per"],
        dir.path(),
    );
    assert!(per.status.success(), "{}", stderr(&per));
    assert!(
        per.stdout.is_empty(),
        "--per-doc without -o prints no merged graph"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("per"))
        .unwrap()
        .map(|e| format!("per/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    assert_eq!(files.len(), DOCS.len());
    // In reverse order, to show merging does not depend on it.
    files.reverse();
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", "merged.json"]);
    let merged = kgx(&args, dir.path());
    assert!(merged.status.success(), "{}", stderr(&merged));
    let a = std::fs::read_to_string(dir.path().join("whole.json")).unwrap();
    let b = std::fs::read_to_string(dir.path().join("merged.json")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn into_adds_new_documents_to_an_existing_graph() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let whole = kgx(&["extract", "-q", "nl", "more.jsonl"], dir.path());
    let first = kgx(
        &["extract", "-q", "more.jsonl", "-o", "all.json"],
        dir.path(),
    );
    assert!(first.status.success(), "{}", stderr(&first));
    // The JSON Lines documents are already in: they are left out, not doubled.
    let add = kgx(
        &["extract", "-q", "nl", "more.jsonl", "--into", "all.json"],
        dir.path(),
    );
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(
        stderr(&add).contains("2 document(s) already in the graph"),
        "{}",
        stderr(&add)
    );
    let all = std::fs::read(dir.path().join("all.json")).unwrap();
    assert_eq!(
        String::from_utf8(all).unwrap(),
        String::from_utf8(whole.stdout).unwrap()
    );
}

#[test]
fn stats_summarise_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());
    let o = kgx(
        &[
            "extract",
            "-q",
            "--stats",
            "nl",
            "more.jsonl",
            "-o",
            "g.json",
        ],
        dir.path(),
    );
    let err = stderr(&o);
    assert!(err.contains("kgx: stats: 5 documents"), "{err}");
    assert!(err.contains(" person,"), "{err}");
    for stage in [
        "tokenize",
        "ner",
        "resolve",
        "events",
        "relations",
        "export",
    ] {
        assert!(err.contains(stage), "{stage} missing: {err}");
    }
}

fn graph_json(g: &KnowledgeGraph) -> String {
    let mut out = Vec::new();
    kgx::export::write_json(g, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn graph_merging_does_not_depend_on_document_order() {
    let ex = Extractor::default();
    let extractions: Vec<_> = DOCS
        .iter()
        .map(|(id, text)| ex.extract_document(&ex.document(id, text.to_string())))
        .collect();
    let build = |order: &[usize]| {
        let mut g = KnowledgeGraph::new();
        for &i in order {
            g.add(extractions[i].clone());
        }
        g.finalize();
        graph_json(&g)
    };
    let forward = build(&[0, 1, 2, 3, 4]);
    assert!(forward.contains("De-Vries") && forward.contains("\"Karel De Vries\""));
    assert_eq!(forward, build(&[4, 3, 2, 1, 0]));
    assert_eq!(forward, build(&[1, 0, 3, 4, 2]));
}
