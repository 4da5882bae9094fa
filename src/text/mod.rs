//! The text stage: bytes in, a [`Document`] out.
//!
//! Loading checks UTF-8 (naming the byte offset of the first bad byte),
//! tokenisation splits text the way the CoNLL training data is split (so the
//! tagger sees at run time what it saw in training), and sentence splitting
//! uses the language's abbreviation list so that `o.a.` or `Dr.` do not end a
//! sentence. Every token and sentence keeps byte offsets into the original
//! text: nothing downstream ever works on a normalised copy.

mod detect;
mod load;
mod tokenize;

pub use detect::detect_language;
pub use load::{decode, DecodeError};
pub use tokenize::{sentences, tokenize};

use crate::lang::Language;

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The span as a `Range<usize>`, for slicing the document text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The shapes (length up to 15 bytes, first byte) of a set of words: a
/// test that rules most other words out before a hash lookup does.
#[derive(Clone, Debug, Default)]
pub struct WordShapes([[u64; 4]; 16]);

impl WordShapes {
    /// Adds the shape of `word`. An empty word can match anything (the
    /// test of an empty word looks at no byte), so it adds every byte.
    pub fn insert(&mut self, word: &str) {
        let set = &mut self.0[word.len().min(15)];
        match word.as_bytes().first() {
            Some(&b) => set[usize::from(b >> 6)] |= 1 << (b & 63),
            None => *set = [u64::MAX; 4],
        }
    }

    /// Whether `word` has the shape of a word added: false means it is
    /// none of them.
    pub fn may_contain(&self, word: &str) -> bool {
        let set = &self.0[word.len().min(15)];
        word.as_bytes()
            .first()
            .is_none_or(|&b| set[usize::from(b >> 6)] & (1 << (b & 63)) != 0)
    }
}

/// One token: a word, a number or a punctuation mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the token stands in the document text.
    pub span: Span,
}

/// One sentence: a run of tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// From the first byte of the first token to the end of the last one.
    pub span: Span,
    /// Indices into [`Document::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// Index of the paragraph (blank-line separated block) the sentence is in.
    pub paragraph: usize,
}

/// A document after the text stage.
#[derive(Clone, Debug)]
pub struct Document {
    /// The document id: the file stem, or the `id` of a JSON Lines record.
    pub id: String,
    /// Where the document came from (a path, `-`, or `FILE:LINE` for JSON Lines).
    pub path: Option<String>,
    /// The text exactly as decoded; every offset refers to it.
    pub text: String,
    /// The language's code (`nl`, `en`), detected or forced.
    pub lang: &'static str,
    /// The publication date (`YYYY-MM-DD`) when known, for resolving relative times.
    pub date: Option<String>,
    /// All tokens, in text order.
    pub tokens: Vec<Token>,
    /// All sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// Every token lowercased, computed once for all stages: see [`Document::lower`].
    lower: LowerTokens,
}

/// The lowercase form of every token, in one buffer: the stages compare
/// lowercase words all the time, and one copy per document is far cheaper
/// than a `String` per token per stage.
#[derive(Clone, Debug, Default)]
struct LowerTokens {
    /// The document text with its ASCII letters lowercased, followed by the
    /// lowercase forms of the tokens that are not ASCII.
    text: String,
    /// Where each token's lowercase form stands in `text`: an ASCII token
    /// keeps its own span (ASCII lowercasing keeps every length).
    spans: Vec<Span>,
}

impl LowerTokens {
    fn new(text: &str, tokens: &[Token]) -> LowerTokens {
        let mut lower = String::with_capacity(text.len() + text.len() / 8);
        lower.push_str(text);
        lower.make_ascii_lowercase();
        let mut spans = Vec::with_capacity(tokens.len());
        for t in tokens {
            let w = &text[t.span.range()];
            if w.is_ascii() {
                spans.push(t.span);
            } else {
                // `str::to_lowercase`, not per char: it knows a final sigma.
                let at = lower.len();
                lower.push_str(&w.to_lowercase());
                spans.push(Span::new(at, lower.len()));
            }
        }
        LowerTokens { text: lower, spans }
    }
}

impl Document {
    /// Runs the text stage on decoded text: picks the language (unless
    /// `lang` forces one), then tokenises and splits sentences.
    pub fn new(id: impl Into<String>, text: String, lang: Option<&Language>) -> Document {
        let language = match lang {
            Some(l) => l,
            None => detect_language(&text),
        };
        let tokens = tokenize(&text, language);
        let sentences = sentences(&text, &tokens, language);
        let lower = LowerTokens::new(&text, &tokens);
        Document {
            id: id.into(),
            path: None,
            text,
            lang: language.code,
            date: None,
            tokens,
            sentences,
            lower,
        }
    }

    /// The lowercase text of a token (`str::to_lowercase` of
    /// [`Document::token_text`]), computed once per document.
    pub fn lower(&self, i: usize) -> &str {
        &self.lower.text[self.lower.spans[i].range()]
    }

    /// The text of a token.
    pub fn token_text(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.range()]
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The language's resources.
    pub fn language(&self) -> &'static Language {
        Language::get(self.lang).expect("document language is always a known one")
    }

    /// Index of the sentence holding token `i`.
    pub fn sentence_of_token(&self, i: usize) -> usize {
        self.sentences
            .partition_point(|s| s.tokens.end <= i)
            .min(self.sentences.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_shapes_rule_out_only_words_of_other_shapes() {
        let mut shapes = WordShapes::default();
        for w in ["zei", "protesteerde", "demonstratiesgolfje"] {
            shapes.insert(w);
        }
        // Every word added passes, and so does any word of its shape.
        for w in [
            "zei",
            "zag",
            "protesteerde",
            "demonstratiesgolfje",
            "dxxxxxxxxxxxxxxxxxxx",
        ] {
            assert!(shapes.may_contain(w), "{w}");
        }
        for w in ["de", "ze", "het", ",", "protesteerd"] {
            assert!(!shapes.may_contain(w), "{w:?}");
        }
        // No byte rules an empty word out; adding one rules in no other word.
        assert!(shapes.may_contain(""));
        shapes.insert("");
        assert!(!shapes.may_contain("de"));
    }

    #[test]
    fn lowercase_tokens_match_to_lowercase() {
        let text = "De MINISTER zei: ΟΔΟΣ İstanbul, O'Neill's Zürich.".to_string();
        let doc = Document::new("t", text, Language::get("en"));
        for i in 0..doc.tokens.len() {
            assert_eq!(doc.lower(i), doc.token_text(i).to_lowercase());
        }
        assert!(doc.tokens.len() > 8);
    }
}
