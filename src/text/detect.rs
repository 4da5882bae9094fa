//! Language identification by function words.
//!
//! News text is dense in function words (`de`, `het`, `van` / `the`, `of`,
//! `and`), so counting hits against each language's stop-word list is both
//! fast and reliable for documents longer than a sentence. Adding a language
//! means adding its `stopwords.txt`; nothing here changes.

use crate::lang::Language;

/// Every stop word of every language, with a bit per language that lists
/// it (bit `i` for `Language::all()[i]`), and the longest one's length:
/// one lookup per word instead of one per language.
struct StopWords {
    langs: rustc_hash::FxHashMap<&'static str, u64>,
    longest: usize,
}

fn stop_words() -> &'static StopWords {
    static SW: std::sync::OnceLock<StopWords> = std::sync::OnceLock::new();
    SW.get_or_init(|| {
        let mut langs = rustc_hash::FxHashMap::default();
        // A bit per language: a unit test checks that there are at most 64.
        for (i, lang) in Language::all().iter().enumerate() {
            for &w in &lang.stopwords {
                *langs.entry(w).or_insert(0) |= 1u64 << i;
            }
        }
        let longest = langs.keys().map(|w| w.len()).max().unwrap_or(0);
        StopWords { langs, longest }
    })
}

/// The words of `text` as `str::split_whitespace` finds them, without
/// decoding ASCII bytes.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    // The whitespace character at byte `i`, if any, and its length.
    let space_at = move |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (matches!(b, b'\t'..=b'\r' | b' '), 1)
        } else {
            let c = text[i..].chars().next().expect("i is a char boundary");
            (c.is_whitespace(), c.len_utf8())
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (space, len) = space_at(i);
            if !space {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (space, len) = space_at(i);
            if space {
                break;
            }
            i += len;
        }
        Some(&text[start..i])
    })
}

/// Picks the language whose stop words cover most words of `text`; the first
/// registered language (Dutch) when nothing matches.
pub fn detect_language(text: &str) -> &'static Language {
    let all = Language::all();
    let mut counts = vec![0usize; all.len()];
    let sw = stop_words();
    // One buffer for the lowercase word: no allocation per word.
    let mut w = String::new();
    // The first few thousand words are plenty and keep huge inputs cheap.
    for word in words(text).take(5000) {
        let word = if word.is_ascii() {
            let b = word.as_bytes();
            let start = b
                .iter()
                .position(u8::is_ascii_alphanumeric)
                .unwrap_or(b.len());
            let end = b
                .iter()
                .rposition(u8::is_ascii_alphanumeric)
                .map_or(start, |e| e + 1);
            &word[start..end]
        } else {
            word.trim_matches(|c: char| !c.is_alphanumeric())
        };
        // Lowercasing never shortens a word by more than a third (`İ` is
        // two bytes, `i̇` three): a longer word is no stop word.
        if word.is_empty() || word.len() > 3 * sw.longest {
            continue;
        }
        w.clear();
        if word.is_ascii() {
            if word.len() > sw.longest {
                continue;
            }
            w.push_str(word);
            w.make_ascii_lowercase();
        } else {
            w.push_str(&word.to_lowercase());
        }
        let Some(&bits) = sw.langs.get(w.as_str()) else {
            continue;
        };
        for (i, c) in counts.iter_mut().enumerate() {
            if bits & (1 << i) != 0 {
                *c += 1;
            }
        }
    }
    let best = (0..all.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    &all[best.unwrap_or(0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_split_whitespace() {
        for text in [
            "",
            "  de\tminister\r\nzei\u{b}\u{c}x ",
            "“Nee,” zei\u{a0}ze\u{2003}toen\u{85}weer… ",
            "één",
        ] {
            let want: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(words(text).collect::<Vec<_>>(), want, "{text:?}");
        }
        for b in 0..0x80u8 {
            let c = char::from(b);
            assert_eq!(matches!(b, b'\t'..=b'\r' | b' '), c.is_whitespace(), "{b}");
        }
    }

    #[test]
    fn languages_fit_the_stop_word_bits() {
        assert!(Language::all().len() <= 64);
    }

    #[test]
    fn picks_the_language_of_the_function_words() {
        let en = "The minister said that the talks with the union would go on in the spring.";
        assert_eq!(detect_language(en).code, "en");
        let nl = "De minister zei dat het overleg met de bond in het voorjaar doorgaat.";
        assert_eq!(detect_language(nl).code, "nl");
        assert_eq!(detect_language("THE MINISTER AND THE UNION").code, "en");
        assert_eq!(detect_language("").code, Language::all()[0].code);
    }
}
