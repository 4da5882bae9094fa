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
    /// Keyed by bytes, so that an ASCII word needs no UTF-8 check.
    langs: rustc_hash::FxHashMap<&'static [u8], u64>,
    longest: usize,
}

fn stop_words() -> &'static StopWords {
    static SW: std::sync::OnceLock<StopWords> = std::sync::OnceLock::new();
    SW.get_or_init(|| {
        let mut langs = rustc_hash::FxHashMap::default();
        // A bit per language: a unit test checks that there are at most 64.
        for (i, lang) in Language::all().iter().enumerate() {
            for &w in &lang.stopwords {
                *langs.entry(w.as_bytes()).or_insert(0) |= 1u64 << i;
            }
        }
        let longest = langs.keys().map(|w| w.len()).max().unwrap_or(0);
        StopWords { langs, longest }
    })
}

/// The words of `text` as `str::split_whitespace` finds them, without
/// decoding ASCII bytes, each with whether it is all ASCII.
fn words(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    // The whitespace character at byte `i`, if any, and its length.
    let space_at = move |i: usize| -> (bool, usize) {
        let c = text[i..].chars().next().expect("i is a char boundary");
        (c.is_whitespace(), c.len_utf8())
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !is_ascii_space(b) {
                    break;
                }
                i += 1;
            } else {
                let (space, len) = space_at(i);
                if !space {
                    break;
                }
                i += len;
            }
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if is_ascii_space(b) {
                    break;
                }
                i += 1;
            } else {
                let (space, len) = space_at(i);
                if space {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        Some((&text[start..i], ascii))
    })
}

/// The ASCII bytes `char::is_whitespace` accepts.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Longest lowercase word looked up without a heap buffer.
const SHORT: usize = 32;

/// Picks the language whose stop words cover most words of `text`; the first
/// registered language (Dutch) when nothing matches.
pub fn detect_language(text: &str) -> &'static Language {
    let all = Language::all();
    let mut counts = vec![0usize; all.len()];
    let sw = stop_words();
    // Buffers for the lowercase word: no allocation per word.
    let mut short = [0u8; SHORT];
    let mut w = String::new();
    // The first few thousand words are plenty and keep huge inputs cheap.
    for (word, ascii) in words(text).take(5000) {
        let bits = if ascii {
            let b = word.as_bytes();
            let start = b
                .iter()
                .position(u8::is_ascii_alphanumeric)
                .unwrap_or(b.len());
            let end = b
                .iter()
                .rposition(u8::is_ascii_alphanumeric)
                .map_or(start, |e| e + 1);
            let core = &b[start..end];
            if core.is_empty() || core.len() > sw.longest {
                continue;
            }
            let lower = if core.len() <= SHORT {
                let buf = &mut short[..core.len()];
                buf.copy_from_slice(core);
                buf.make_ascii_lowercase();
                &*buf
            } else {
                w.clear();
                w.push_str(&word[start..end]);
                w.make_ascii_lowercase();
                w.as_bytes()
            };
            sw.langs.get(lower).copied()
        } else {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            // Lowercasing never shortens a word by more than a third (`İ` is
            // two bytes, `i̇` three): a longer word is no stop word.
            if word.is_empty() || word.len() > 3 * sw.longest {
                continue;
            }
            w.clear();
            w.push_str(&word.to_lowercase());
            sw.langs.get(w.as_bytes()).copied()
        };
        let Some(bits) = bits else {
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
            let got: Vec<&str> = words(text).map(|(w, _)| w).collect();
            assert_eq!(got, want, "{text:?}");
            for (w, ascii) in words(text) {
                assert_eq!(ascii, w.is_ascii(), "{w:?}");
            }
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
