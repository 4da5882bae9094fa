//! A first, rule-based name detector: runs of capitalised words, typed by
//! title words before them and organisation words inside them.

use super::{EntityKind, Mention};
use crate::text::Document;

fn is_capitalised(word: &str) -> bool {
    word.chars().next().map(char::is_uppercase).unwrap_or(false)
}

/// Mentions from capitalisation and the language's title and organisation words.
pub fn rule_mentions(doc: &Document) -> Vec<Mention> {
    let lang = doc.language();
    let mut out = Vec::new();
    for (si, sentence) in doc.sentences.iter().enumerate() {
        let mut i = sentence.tokens.start;
        while i < sentence.tokens.end {
            let w = doc.token_text(i);
            let initial = i == sentence.tokens.start;
            let common = lang.stopwords.contains(w.to_lowercase().as_str());
            if !is_capitalised(w)
                || common
                || (initial && lang.titles.contains(w.to_lowercase().as_str()))
            {
                i += 1;
                continue;
            }
            let start = i;
            while i < sentence.tokens.end && is_capitalised(doc.token_text(i)) {
                i += 1;
            }
            if initial && i - start == 1 {
                continue;
            }
            let words: Vec<String> = (start..i)
                .map(|k| doc.token_text(k).to_lowercase())
                .collect();
            let after_title = start > sentence.tokens.start
                && lang
                    .titles
                    .contains(doc.token_text(start - 1).to_lowercase().as_str());
            let kind = if words.iter().any(|w| lang.org_words.contains(w.as_str()))
                || words
                    .iter()
                    .all(|w| w.len() >= 2 && doc.token_text(start).chars().all(char::is_uppercase))
            {
                EntityKind::Organisation
            } else if after_title || i - start >= 2 {
                EntityKind::Person
            } else {
                EntityKind::Place
            };
            out.push(Mention::over_tokens(doc, start..i, kind, si));
        }
    }
    out
}
