//! Integration tests of the named-entity tagger.
use kgx::ner::{EntityKind, Label, ModelError, Tagger};
use std::io::Write;
use std::process::Command;

fn nl() -> &'static Tagger {
    Tagger::embedded("nl").expect("embedded Dutch model loads")
}

#[test]
fn embedded_models_load() {
    assert_eq!(nl().lang(), "nl");
    let en = Tagger::embedded("en").expect("embedded English model loads");
    assert_eq!(en.lang(), "en");
    assert!(Tagger::embedded("xx").is_none());
}

#[test]
fn model_bytes_roundtrip() {
    let bytes = nl().to_bytes();
    let t = Tagger::from_bytes(&bytes).expect("roundtrip");
    let doc = vec![vec!["Jan", "woont", "in", "Gent", "."]];
    assert_eq!(t.tag_document(&doc), nl().tag_document(&doc));
}

#[test]
fn corrupt_or_truncated_models_are_errors() {
    let bytes = nl().to_bytes();
    assert!(matches!(Tagger::from_bytes(b""), Err(ModelError::BadMagic)));
    assert!(matches!(
        Tagger::from_bytes(b"GARBAGE GARBAGE"),
        Err(ModelError::BadMagic)
    ));
    assert!(matches!(
        Tagger::from_bytes(b"KGXNER"),
        Err(ModelError::Truncated)
    ));
    let mut v = bytes.clone();
    v[6] = 99; // format version
    assert!(matches!(
        Tagger::from_bytes(&v),
        Err(ModelError::UnsupportedVersion(_))
    ));
    // Truncation at many points, and single flipped bytes: errors, never panics.
    for cut in [7, 8, 10, 20, 100, 1000, bytes.len() / 2, bytes.len() - 1] {
        assert!(Tagger::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for pos in [9, 12, 20, 50, 400, bytes.len() / 3, bytes.len() - 3] {
        let mut v = bytes.clone();
        v[pos] ^= 0x5a;
        assert!(Tagger::from_bytes(&v).is_err(), "flip at {pos}");
    }
    let err = Tagger::from_bytes(&bytes[..bytes.len() / 2])
        .err()
        .expect("error");
    assert!(!err.to_string().is_empty());
    let missing = Tagger::load(std::path::Path::new("/nonexistent/model.bin"));
    assert!(matches!(missing, Err(ModelError::Io { .. })));
}

fn entities(sent: &[&str], labels: &[Label]) -> Vec<(String, EntityKind)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if let Some(kind) = labels[i].kind() {
            let mut j = i + 1;
            while j < labels.len() && labels[j].is_inside() && labels[j].kind() == Some(kind) {
                j += 1;
            }
            out.push((sent[i..j].join(" "), kind));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn finds_obvious_dutch_names() {
    let doc: Vec<Vec<&str>> = vec![
        "Minister Wouter Verbeke van Buitenlandse Zaken reisde dinsdag naar Parijs ."
            .split(' ')
            .collect(),
        "Daar sprak Verbeke met de Franse president over de oorlog in Oekraïne ."
            .split(' ')
            .collect(),
        "Volgens de Verenigde Naties zijn sinds maart duizenden mensen gevlucht ."
            .split(' ')
            .collect(),
    ];
    let labels = nl().tag_document(&doc);
    assert_eq!(labels.len(), 3);
    for (s, l) in doc.iter().zip(&labels) {
        assert_eq!(s.len(), l.len());
    }
    let found: Vec<_> = doc
        .iter()
        .zip(&labels)
        .flat_map(|(s, l)| entities(s, l))
        .collect();
    eprintln!("{found:?}");
    assert!(found.contains(&("Wouter Verbeke".into(), EntityKind::Person)));
    assert!(found.contains(&("Parijs".into(), EntityKind::Place)));
    assert!(found.contains(&("Oekraïne".into(), EntityKind::Place)));
    assert!(found.contains(&("Verbeke".into(), EntityKind::Person)));
}

#[test]
fn finds_obvious_english_names() {
    let en = Tagger::embedded("en").expect("English model");
    let doc: Vec<Vec<&str>> = vec![
        "Angela Morrison was born in Chicago and later moved to London ."
            .split(' ')
            .collect(),
    ];
    let labels = en.tag_document(&doc);
    let found = entities(&doc[0], &labels[0]);
    eprintln!("{found:?}");
    assert!(found.contains(&("Angela Morrison".into(), EntityKind::Person)));
    assert!(found.contains(&("Chicago".into(), EntityKind::Place)));
    assert!(found.contains(&("London".into(), EntityKind::Place)));
}

#[test]
fn empty_inputs() {
    assert!(nl().tag_document(&[]).is_empty());
    let out = nl().tag_document(&[vec![], vec!["Gent"]]);
    assert_eq!(out.len(), 2);
    assert!(out[0].is_empty());
    assert_eq!(out[1].len(), 1);
}

#[test]
fn never_produces_invalid_bio() {
    let doc: Vec<Vec<&str>> = vec![
        "de van der Berg en Co , „ Het Laatste Nieuws ” , 's-Hertogenbosch"
            .split(' ')
            .collect(),
        "Poetins VS-president NAVO-top Den Haag Koninklijke Philips Electronics N.V."
            .split(' ')
            .collect(),
    ];
    for labels in nl().tag_document(&doc) {
        let mut prev = Label::O;
        for l in labels {
            if l.is_inside() {
                assert_eq!(prev.kind(), l.kind(), "I- after {prev:?}");
            }
            prev = l;
        }
    }
}

#[test]
fn cli_conll_passthrough() {
    let input = "-DOCSTART- -DOCSTART- O\nJan N O\nwoont V O\nin Prep O\nAmsterdam N O\n. Punc O\n\n-DOCSTART- -DOCSTART- O\nPiet\n\n";
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(input.as_bytes()).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["tag", "--conll"])
        .arg(f.path())
        .output()
        .expect("run kgx");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let in_lines: Vec<&str> = input.lines().collect();
    let out_lines: Vec<&str> = text.lines().collect();
    assert_eq!(in_lines.len(), out_lines.len());
    for (i, o) in in_lines.iter().zip(&out_lines) {
        if i.is_empty() || i.starts_with("-DOCSTART-") {
            assert_eq!(i, o);
        } else {
            let (head, tag) = o.rsplit_once(' ').expect("tag appended");
            assert_eq!(head, *i);
            assert!([
                "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"
            ]
            .contains(&tag));
        }
    }
    assert!(out_lines[4].ends_with("B-LOC"), "{}", out_lines[4]);
}

#[test]
fn cli_errors_are_one_line_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["tag", "--conll", "/nonexistent/file.conll"])
        .output()
        .expect("run kgx");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let mut bad = tempfile::NamedTempFile::new().expect("temp");
    bad.write_all(b"KGXNER\x01\x00garbage").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["tag", "--conll", "/dev/null", "--model"])
        .arg(bad.path())
        .output()
        .expect("run kgx");
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
