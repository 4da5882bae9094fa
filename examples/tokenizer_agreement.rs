//! How often kgx's tokenizer splits a token of a CoNLL file (it should not):
//! `cargo run --release --example tokenizer_agreement -- FILE LANG TOKEN_COLUMN`.
//! Measures the "raw text = training text" promise of the text stage.
use std::io::BufRead;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = kgx::lang::Language::get(&args[2]).unwrap();
    let col: usize = args[3].parse().unwrap();
    let f = std::io::BufReader::new(std::fs::File::open(&args[1]).unwrap());
    let (mut total, mut bad) = (0, 0);
    let mut seen = std::collections::HashMap::new();
    for line in f.lines() {
        let line = line.unwrap();
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() <= col || cols[0] == "-DOCSTART-" {
            continue;
        }
        let tok = cols[col];
        total += 1;
        let t = kgx::text::tokenize(tok, lang);
        if t.len() != 1 {
            bad += 1;
            let parts: Vec<&str> = t.iter().map(|x| &tok[x.span.range()]).collect();
            *seen.entry(format!("{tok} -> {parts:?}")).or_insert(0) += 1;
        }
    }
    let mut v: Vec<_> = seen.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (k, n) in v.iter().take(25) {
        println!("{n} {k}");
    }
    println!("{bad}/{total} tokens split");
}
