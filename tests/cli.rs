//! The `kgx extract` command end to end on the seed article and on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn kgx(args: &[&str]) -> Output {
    common::kgx(args, Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/seed-article.txt")
}

fn seed_json() -> serde_json::Value {
    let out = kgx(&["extract", seed().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn every_mention_slices_its_text_and_types_are_known() {
    let text = std::fs::read(seed()).unwrap();
    let g = seed_json();
    let nodes = g["nodes"].as_array().unwrap();
    assert!(nodes.len() > 10, "the seed names many actors");
    for n in nodes {
        let ty = n["type"].as_str().unwrap();
        assert!(
            ["person", "organisation", "place", "event"].contains(&ty),
            "type {ty}"
        );
        let mentions = n["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty(), "node {} has mentions", n["id"]);
        assert_eq!(
            n["mention_count"].as_u64().unwrap() as usize,
            mentions.len()
        );
        for m in mentions {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &text[s..e],
                m["text"].as_str().unwrap().as_bytes(),
                "mention of {}",
                n["id"]
            );
            assert_eq!(m["doc"], "seed-article");
        }
    }
    for e in g["edges"].as_array().unwrap() {
        assert!(e["weight"].as_u64().unwrap() >= 1);
        for ev in e["evidence"].as_array().unwrap() {
            let (s, en) = (
                ev["start"].as_u64().unwrap() as usize,
                ev["end"].as_u64().unwrap() as usize,
            );
            assert!(s < en && en <= text.len());
        }
    }
    assert_eq!(g["graph"]["documents"][0]["language"], "nl");
    assert_eq!(
        g["graph"]["documents"][0]["bytes"].as_u64().unwrap() as usize,
        text.len()
    );
}

#[test]
fn output_is_byte_identical_between_runs() {
    let a = kgx(&["extract", seed().to_str().unwrap()]);
    let b = kgx(&["extract", seed().to_str().unwrap()]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let a = kgx(&["extract", seed().to_str().unwrap(), "--format", "dot"]);
    let b = kgx(&["extract", seed().to_str().unwrap(), "--format", "dot"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn format_follows_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.dot");
    let r = kgx(&[
        "extract",
        seed().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let dot = std::fs::read_to_string(&out).unwrap();
    assert!(dot.starts_with("digraph"));
    assert!(r.stdout.is_empty());
}

#[test]
fn graphviz_accepts_the_dot_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("g.dot");
    assert!(kgx(&[
        "extract",
        seed().to_str().unwrap(),
        "-o",
        dot.to_str().unwrap()
    ])
    .status
    .success());
    let r = Command::new("dot")
        .args(["-Tsvg", dot.to_str().unwrap()])
        .output()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    assert!(r.status.success());
    assert!(
        r.stderr.is_empty(),
        "dot warned: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(String::from_utf8_lossy(&r.stdout).contains("<svg"));
}

#[test]
fn networkx_loads_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let r = kgx(&[
        "extract",
        seed().to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(r.status.success());
    let g = seed_json();
    let script = r#"
import json, sys, networkx as nx
g = nx.node_link_graph(json.load(open(sys.argv[1])), edges="edges")
print(g.number_of_nodes(), g.number_of_edges())
"#;
    let r = Command::new("python3")
        .args(["-c", script, json.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        r.status.success(),
        "networkx failed: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let counts = String::from_utf8(r.stdout).unwrap();
    let expected = format!(
        "{} {}",
        g["nodes"].as_array().unwrap().len(),
        g["edges"].as_array().unwrap().len()
    );
    assert_eq!(counts.trim(), expected);
}

fn assert_one_line_error(r: &Output, needle: &str) {
    assert_eq!(r.status.code(), Some(2), "exit code");
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    assert!(!err.contains("panicked"));
}

#[test]
fn missing_path_is_one_line_and_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.json");
    let r = kgx(&["extract", "no/such/file.txt", "-o", out.to_str().unwrap()]);
    assert_one_line_error(&r, "no/such/file.txt");
    assert!(!out.exists());
}

#[test]
fn non_utf8_names_file_and_offset_and_keeps_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Jan Smit woont in Gent\xff en meer.").unwrap();
    let out = dir.path().join("g.json");
    std::fs::write(&out, "previous graph").unwrap();
    let r = kgx(&[
        "extract",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&r, "bad.txt");
    assert!(String::from_utf8_lossy(&r.stderr).contains("byte 22"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous graph");
    // No temporary file is left behind either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn unknown_format_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.xyz");
    let r = kgx(&[
        "extract",
        seed().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&r, "--format");
    assert!(!out.exists());
    let r = kgx(&["extract", seed().to_str().unwrap(), "--format", "pdf"]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn output_into_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nope/g.json");
    let r = kgx(&[
        "extract",
        seed().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&r, "does not exist");
}

#[test]
fn empty_document_gives_an_empty_graph() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let r = kgx(&["extract", empty.to_str().unwrap()]);
    assert!(r.status.success());
    let g: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(g["nodes"].as_array().unwrap().len(), 0);
    assert_eq!(g["edges"].as_array().unwrap().len(), 0);
}

#[test]
fn standard_input_and_jsonl_are_documents() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["extract", "-", "--lang", "en"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"President Maria Lopez met Chancellor Otto Brandt in Vienna.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g["graph"]["documents"][0]["id"], "stdin");
    assert!(!g["nodes"].as_array().unwrap().is_empty());

    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("c.jsonl");
    std::fs::write(
        &jl,
        "{\"id\": \"a\", \"text\": \"Jan Smit woont in Gent.\"}\n{\"id\": \"b\", \"text\": \"Piet de Vries woont in Brugge.\"}\n",
    )
    .unwrap();
    let out = kgx(&["extract", jl.to_str().unwrap()]);
    assert!(out.status.success());
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::document_ids(&g), ["a", "b"]);
}

#[test]
fn tag_prints_mentions_of_raw_text_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.txt");
    let text = "Minister Jan de Vries sprak dinsdag in Rotterdam met de Europese Commissie.";
    std::fs::write(&f, text).unwrap();
    let r = kgx(&["tag", f.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(r.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    for m in &lines {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], m["text"].as_str().unwrap());
    }
    let found: Vec<(&str, &str)> = lines
        .iter()
        .map(|m| (m["text"].as_str().unwrap(), m["type"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("Jan de Vries", "person")), "{found:?}");
    assert!(found.contains(&("Rotterdam", "place")), "{found:?}");
}
