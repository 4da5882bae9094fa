//! Language identification by function words.
//!
//! News text is dense in function words (`de`, `het`, `van` / `the`, `of`,
//! `and`), so counting hits against each language's stop-word list is both
//! fast and reliable for documents longer than a sentence. Adding a language
//! means adding its `stopwords.txt`; nothing here changes.

use crate::lang::Language;

/// Picks the language whose stop words cover most words of `text`; the first
/// registered language (Dutch) when nothing matches.
pub fn detect_language(text: &str) -> &'static Language {
    let all = Language::all();
    let mut counts = vec![0usize; all.len()];
    // One buffer for the lowercase word: no allocation per word.
    let mut w = String::new();
    // The first few thousand words are plenty and keep huge inputs cheap.
    for word in text.split_whitespace().take(5000) {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        w.clear();
        if word.is_ascii() {
            w.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            w.push_str(&word.to_lowercase());
        }
        for (i, lang) in all.iter().enumerate() {
            if lang.stopwords.contains(w.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let best = (0..all.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    &all[best.unwrap_or(0)]
}
