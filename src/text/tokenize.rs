//! Tokens and sentences, split the way the CoNLL training data is split.
//!
//! The tagger is trained on CoNLL-2002 and WikiNEuRal tokens, so raw text is
//! cut the same way: punctuation off words, hyphenated compounds whole
//! (`Noord-Holland`, `VN-Veiligheidsraad`), apostrophes inside words kept
//! (`O'Neill`, `auto's`), Dutch `'s-Hertogenbosch` and `'t` whole, and the
//! language's clitics split off (English `Putin's` → `Putin` `'s`). A period
//! stays on a word only when the language lists the word as an abbreviation,
//! the word is an initial (`J.`) or already holds periods (`o.a.`, `U.S.`).

use super::{Sentence, Span, Token};
use crate::lang::Language;

fn is_space(c: char) -> bool {
    // A BOM, NUL or other control character separates tokens like a space:
    // it is never part of a name, and keeping it out of tokens keeps
    // exports free of characters XML cannot carry.
    c.is_whitespace() || c.is_control() || c == '\u{feff}' || c == '\u{200b}'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks (decomposed diacritics) belong to the letter before them.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// Whether byte `b` is an ASCII letter or digit (the ASCII word characters).
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Whether byte `b` is printable ASCII other than the space: part of a token.
#[inline]
fn is_ascii_graphic(b: u8) -> bool {
    b.wrapping_sub(0x21) < 0x5e
}

/// Splits `text` into tokens, with byte offsets.
pub fn tokenize(text: &str, lang: &Language) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    loop {
        // Skip the space before a run. ASCII needs no decoding: its spaces
        // are the whitespace and control bytes (up to 0x20, and DEL).
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if is_ascii_graphic(b) {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i).expect("i is a char boundary");
                if !is_space(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        if i >= n {
            break;
        }
        // The run of non-space characters from `start`; `plain` while it
        // is nothing but ASCII letters and digits.
        let start = i;
        let mut plain = true;
        while i < n {
            let b = bytes[i];
            if is_ascii_graphic(b) {
                plain &= ASCII_WORD[b as usize];
                i += 1;
            } else if b < 0x80 {
                break;
            } else {
                let c = char_at(text, i).expect("i is a char boundary");
                if is_space(c) {
                    break;
                }
                plain = false;
                i += c.len_utf8();
            }
        }
        if plain {
            // Most runs are one plain word: what `split_chunk` would make of
            // it, without scanning it again.
            match clitic_split(&text[start..i], lang) {
                Some(cut) => {
                    tokens.push(Token {
                        span: Span::new(start, start + cut),
                    });
                    tokens.push(Token {
                        span: Span::new(start + cut, i),
                    });
                }
                None => tokens.push(Token {
                    span: Span::new(start, i),
                }),
            }
        } else {
            split_chunk(text, start, i, lang, &mut tokens);
        }
    }
    tokens
}

/// The character at byte `k` of `s`, if any. ASCII needs no decoding.
#[inline]
fn char_at(s: &str, k: usize) -> Option<char> {
    match s.as_bytes().get(k) {
        None => None,
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => s[k..].chars().next(),
    }
}

/// The character ending just before byte `k` of `s`, if any.
#[inline]
fn char_before(s: &str, k: usize) -> Option<char> {
    match k.checked_sub(1).map(|j| s.as_bytes()[j]) {
        None => None,
        Some(b) if b < 0x80 => Some(char::from(b)),
        Some(_) => s[..k].chars().next_back(),
    }
}

/// Splits one whitespace-free run `text[start..end]` into tokens.
///
/// Works on byte positions and looks at most a few characters around each
/// one, so time is linear in the run and no per-character copy is made:
/// a 20 MB "word" costs one pass and no extra memory.
fn split_chunk(text: &str, start: usize, end: usize, lang: &Language, out: &mut Vec<Token>) {
    let chunk = &text[start..end];
    let bytes = chunk.as_bytes();
    let n = chunk.len();
    let mut push = |a: usize, b: usize| {
        out.push(Token {
            span: Span::new(start + a, start + b),
        })
    };
    let mut k = 0;
    while let Some(c) = char_at(chunk, k) {
        let after = k + c.len_utf8();
        let word_char = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            is_word_char(c)
        };
        if word_char {
            let w_start = k;
            k = scan_word(chunk, k);
            // A hyphen that ends the word belongs to it: Dutch and English
            // elide a shared compound head (`binnen- en buitenland`).
            if k + 1 == n && bytes[k] == b'-' {
                k += 1;
            }
            // A trailing period joins the word when it is an abbreviation.
            if k < n && bytes[k] == b'.' && keeps_period(&chunk[w_start..k], lang) {
                k += 1;
            }
            // Clitics such as English 's are separate tokens in the training data.
            let word = &chunk[w_start..k];
            match clitic_split(word, lang) {
                Some(cut) => {
                    push(w_start, w_start + cut);
                    push(w_start + cut, k);
                }
                None => push(w_start, k),
            }
        } else if is_apostrophe(c) && k == 0 && char_at(chunk, after).is_some_and(is_word_char) {
            // `'s-Hertogenbosch`, `'t`, `'s avonds`, `'81`: an elided article
            // or year, not a quotation mark.
            let w_end = scan_word(chunk, after);
            let word = &chunk[after..w_end];
            let short = word.chars().take_while(|c| c.is_alphabetic()).count();
            let elided = word.chars().all(|c| c.is_ascii_digit())
                || (short <= 2 && word.chars().count() == short)
                || (short <= 2 && word.chars().nth(short).map(is_hyphen).unwrap_or(false));
            if elided {
                push(k, w_end);
                k = w_end;
            } else {
                push(k, after);
                k = after;
            }
        } else if c == '.' || c == '-' {
            // An ellipsis is one token, and so is a dash typed as `--`.
            let s = k;
            while k < n && bytes[k] == c as u8 {
                k += 1;
            }
            push(s, k);
        } else {
            push(k, after);
            k = after;
        }
    }
}

/// Skips word characters from byte `k`.
#[inline]
fn skip_word_chars(s: &str, mut k: usize) -> usize {
    let bytes = s.as_bytes();
    while k < bytes.len() {
        // ASCII word characters are the letters and digits.
        if ASCII_WORD[bytes[k] as usize] {
            k += 1;
            continue;
        }
        if bytes[k] < 0x80 {
            break;
        }
        let Some(c) = char_at(s, k) else { break };
        if !is_word_char(c) {
            break;
        }
        k += c.len_utf8();
    }
    k
}

/// Scans a word from byte `k` (a word character): word characters, joined
/// by single hyphens, apostrophes, periods (`o.a`, `U.S`, `2.300`) or
/// commas between digits.
fn scan_word(s: &str, k: usize) -> usize {
    let bytes = s.as_bytes();
    let mut k = skip_word_chars(s, k);
    while k < bytes.len() {
        // Most words end at a space or plain punctuation that joins nothing:
        // decide those on the byte alone.
        let b = bytes[k];
        if b < 0x80 && !matches!(b, b'-' | b'\'' | b':' | b'&' | b'.' | b',') {
            break;
        }
        let Some(j) = char_at(s, k) else { break };
        let k1 = k + j.len_utf8();
        let Some(next) = char_at(s, k1) else { break };
        let joins = if is_hyphen(j) || is_apostrophe(j) || j == '–' || j == '\u{ad}' {
            is_word_char(next)
        } else if j == ':' {
            // Clock times and scores: `09:30`, `2:1`.
            let prev = char_before(s, k).unwrap_or(' ');
            prev.is_ascii_digit() && next.is_ascii_digit()
        } else if j == '&' {
            // `AT&T`, `S&M`, `P&O`: capitals joined by an ampersand.
            let prev = char_before(s, k).unwrap_or(' ');
            prev.is_uppercase() && next.is_uppercase()
        } else if j == '.' {
            // `2.300`, `o.a`, `U.S`: a period between short parts or digits.
            let prev = char_before(s, k).unwrap_or(' ');
            (prev.is_ascii_digit() && next.is_ascii_digit())
                || (is_word_char(next) && short_part_before(s, k) && short_part_after(s, k1))
        } else if j == ',' {
            let prev = char_before(s, k).unwrap_or(' ');
            prev.is_ascii_digit() && next.is_ascii_digit()
        } else {
            false
        };
        if !joins {
            break;
        }
        k = skip_word_chars(s, k1);
    }
    k
}

/// Whether at most two word characters come before byte `dot`. Looks at no
/// more than three, so long words cost nothing extra.
fn short_part_before(s: &str, dot: usize) -> bool {
    s[..dot]
        .chars()
        .rev()
        .take(3)
        .take_while(|&c| is_word_char(c))
        .count()
        <= 2
}

/// Whether at most two word characters follow from byte `from`.
fn short_part_after(s: &str, from: usize) -> bool {
    s[from..]
        .chars()
        .take(3)
        .take_while(|&c| is_word_char(c))
        .count()
        <= 2
}

fn keeps_period(word: &str, lang: &Language) -> bool {
    let mut cs = word.chars();
    let first = cs.next();
    let single_upper = first.map(char::is_uppercase).unwrap_or(false) && cs.next().is_none();
    single_upper || word.contains('.') || lang.is_abbreviation(word)
}

/// Where to cut a clitic off the end of `word`, if the language splits it.
fn clitic_split(word: &str, lang: &Language) -> Option<usize> {
    let last = word.as_bytes().last()?.to_ascii_lowercase();
    for clitic in &lang.clitics {
        // The last byte rules out almost every word before any slicing.
        let clitic_last = clitic.as_bytes().last().map(u8::to_ascii_lowercase);
        if clitic_last == Some(last) && word.len() > clitic.len() {
            let cut = word.len() - clitic.len();
            if word.is_char_boundary(cut) && word[cut..].eq_ignore_ascii_case(clitic) {
                return Some(cut);
            }
        }
    }
    None
}

fn is_terminator(tok: &str) -> bool {
    matches!(tok, "." | "!" | "?" | "..." | "…" | "?!" | "!?")
}

fn is_closer(tok: &str) -> bool {
    matches!(tok, "”" | "’" | "\"" | "'" | ")" | "]" | "»")
}

fn starts_sentence(tok: &str) -> bool {
    tok.chars()
        .next()
        .map(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '“' | '‘' | '"' | '\'' | '„' | '(' | '[' | '«' | '-' | '–' | '—' | '•' | '*'
                )
        })
        .unwrap_or(false)
}

/// Groups tokens into sentences.
///
/// A sentence ends at `.`, `!`, `?` or `...` followed by a capital, a digit,
/// an opening quote or the end of the text (closing quotes and brackets stay
/// with the sentence they close); at a blank line; and at a line break
/// before a line that starts like a sentence (headlines and bylines have no
/// final period).
pub fn sentences(text: &str, tokens: &[Token], _lang: &Language) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut start = 0;
    let tok = |i: usize| &text[tokens[i].span.range()];
    let bytes = text.as_bytes();
    // Every terminator starts with one of these bytes (`…` with 0xe2): the
    // others need no string compare.
    let may_end = |i: usize| {
        matches!(
            bytes.get(tokens[i].span.start as usize),
            Some(b'.' | b'!' | b'?' | 0xe2)
        )
    };
    let mut i = 0;
    while i < tokens.len() {
        let mut boundary = false;
        let mut end = i + 1;
        if may_end(i) && is_terminator(tok(i)) {
            while end < tokens.len()
                && is_closer(tok(end))
                && !gap_has_newline(text, tokens, end - 1)
            {
                end += 1;
            }
            boundary = end >= tokens.len() || starts_sentence(tok(end));
        }
        let mut blank_line = false;
        if end < tokens.len() {
            let gap = &bytes[tokens[end - 1].span.end as usize..tokens[end].span.start as usize];
            let (newlines, control) = match gap {
                b"" | b" " => (0, false),
                _ => gap_kind(gap),
            };
            if newlines >= 2 {
                boundary = true;
                blank_line = true;
            } else if control {
                // A NUL or other control byte is no part of running text:
                // never let a sentence (and so a name) run across it.
                boundary = true;
            } else if newlines == 1 && starts_sentence(tok(end)) {
                boundary = true;
            }
        } else {
            boundary = true;
        }
        if boundary {
            out.push(Sentence {
                span: Span::new(
                    tokens[start].span.start as usize,
                    tokens[end - 1].span.end as usize,
                ),
                tokens: start..end,
                paragraph,
            });
            if blank_line {
                paragraph += 1;
            }
            start = end;
        }
        i = end;
    }
    out
}

/// The number of line feeds in the gap between two tokens, and whether it
/// holds a control character that is not whitespace. Most gaps are one
/// space: ASCII is judged by the byte, anything else by its char.
fn gap_kind(gap: &[u8]) -> (usize, bool) {
    let mut newlines = 0;
    let mut control = false;
    for &b in gap {
        match b {
            b'\n' => newlines += 1,
            b' ' | b'\t' | 0x0b | 0x0c | b'\r' => {}
            0..=0x1f | 0x7f => control = true,
            0x80.. => {
                let s = std::str::from_utf8(gap).expect("a gap between tokens is whole chars");
                let control = s.chars().any(|c| c.is_control() && !c.is_whitespace());
                let newlines = gap.iter().filter(|&&b| b == b'\n').count();
                return (newlines, control);
            }
            _ => {}
        }
    }
    (newlines, control)
}

fn gap_has_newline(text: &str, tokens: &[Token], before: usize) -> bool {
    text.as_bytes()[tokens[before].span.end as usize..tokens[before + 1].span.start as usize]
        .contains(&b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, lang: &str) -> Vec<String> {
        let l = Language::get(lang).unwrap();
        tokenize(text, l)
            .iter()
            .map(|t| text[t.span.range()].to_string())
            .collect()
    }

    #[test]
    fn dutch_compounds_and_apostrophes() {
        assert_eq!(
            toks(
                "In 's-Hertogenbosch en Noord-Holland zei O'Neill: ‘nee’.",
                "nl"
            ),
            [
                "In",
                "'s-Hertogenbosch",
                "en",
                "Noord-Holland",
                "zei",
                "O'Neill",
                ":",
                "‘",
                "nee",
                "’",
                "."
            ]
        );
        assert_eq!(
            toks("Poetins auto's (klein)kinderen", "nl"),
            ["Poetins", "auto's", "(", "klein", ")", "kinderen"]
        );
    }

    #[test]
    fn english_possessive_is_split() {
        assert_eq!(toks("Putin's army", "en"), ["Putin", "'s", "army"]);
        assert_eq!(toks("Putin’s army", "en"), ["Putin", "’s", "army"]);
    }

    #[test]
    fn abbreviations_and_initials_keep_their_period() {
        assert_eq!(
            toks("o.a. dr. Jansen en J. Smit, 2.300 man.", "nl"),
            ["o.a.", "dr.", "Jansen", "en", "J.", "Smit", ",", "2.300", "man", "."]
        );
    }

    #[test]
    fn control_bytes_and_unicode_spaces_separate_tokens() {
        for b in 0..0x80u8 {
            assert_eq!(b <= 0x20 || b == 0x7f, is_space(char::from(b)), "{b}");
            assert_eq!(
                b.is_ascii_alphanumeric(),
                is_word_char(char::from(b)),
                "{b}"
            );
        }
        assert_eq!(
            toks(
                "a\u{0}b\u{7f}c\u{a0}d\u{2003}e\u{feff}f\u{85}g\tZ\u{1}",
                "nl"
            ),
            ["a", "b", "c", "d", "e", "f", "g", "Z"]
        );
        assert_eq!(
            toks("Café’s naïve e\u{301}tude", "en"),
            ["Café", "’s", "naïve", "e\u{301}tude"]
        );
    }

    #[test]
    fn sentences_split_at_periods_and_headlines() {
        let text = "Dit is zin een. Dr. Smit kwam ook.\n\nKop zonder punt\nDan tekst “met citaat.” En meer.";
        let l = Language::get("nl").unwrap();
        let t = tokenize(text, l);
        let s = sentences(text, &t, l);
        let got: Vec<&str> = s.iter().map(|s| &text[s.span.range()]).collect();
        assert_eq!(
            got,
            [
                "Dit is zin een.",
                "Dr. Smit kwam ook.",
                "Kop zonder punt",
                "Dan tekst “met citaat.”",
                "En meer."
            ]
        );
        assert_eq!(s[2].paragraph, 1);
    }
}
