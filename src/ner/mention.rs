//! From tagger labels to [`Mention`]s: the ner stage's entry point.

use super::{EntityKind, Label, Tagger};
use crate::text::{Document, Span};

impl EntityKind {
    /// The name used in exports (`person`, `organisation`, `place`, `misc`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::Misc => "misc",
        }
    }
}

/// One place in a document where a name occurs.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// Byte span of the name.
    pub span: Span,
    /// What the name refers to.
    pub kind: EntityKind,
    /// Token indices of the name.
    pub tokens: std::ops::Range<usize>,
    /// Index of the sentence holding it.
    pub sentence: usize,
}

impl Mention {
    /// The mention covering tokens `tokens` (non-empty) of sentence `sentence`.
    pub fn over_tokens(
        doc: &Document,
        tokens: std::ops::Range<usize>,
        kind: EntityKind,
        sentence: usize,
    ) -> Mention {
        Mention {
            span: Span::new(
                doc.tokens[tokens.start].span.start as usize,
                doc.tokens[tokens.end - 1].span.end as usize,
            ),
            kind,
            tokens,
            sentence,
        }
    }
}

/// Finds the names in a document with the language's trained tagger (the
/// rule-based detector stands in for a language that has no model yet).
pub fn find_mentions(doc: &Document) -> Vec<Mention> {
    let Some(tagger) = Tagger::embedded(doc.lang) else {
        return super::rule_mentions(doc);
    };
    let sentences: Vec<Vec<&str>> = doc
        .sentences
        .iter()
        .map(|s| {
            s.tokens
                .clone()
                .map(|i| as_trained(doc.token_text(i)))
                .collect()
        })
        .collect();
    let labels = tagger.tag_document(&sentences);
    mentions_from_labels(doc, &labels)
}

/// The token as the training data would spell it: CoNLL-2002 and
/// WikiNEuRal use straight quotes, so curly ones would be unknown words.
fn as_trained(token: &str) -> &str {
    match token {
        "“" | "”" | "„" | "«" | "»" => "\"",
        "‘" | "’" | "‚" => "'",
        t => t,
    }
}

fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Turns BIO labels (one list per sentence) into mentions. An `I-` label
/// that does not continue a name of its type starts one, as conlleval reads it.
pub fn mentions_from_labels(doc: &Document, labels: &[Vec<Label>]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (si, (sentence, tags)) in doc.sentences.iter().zip(labels).enumerate() {
        let mut open: Option<(usize, EntityKind)> = None;
        let base = sentence.tokens.start;
        let mut close = |open: &mut Option<(usize, EntityKind)>, mut end: usize| {
            if let Some((mut start, kind)) = open.take() {
                // A name neither starts nor ends with a quote or a bracket.
                while start < end && !is_word(doc.token_text(start)) {
                    start += 1;
                }
                while end > start && !is_word(doc.token_text(end - 1)) {
                    end -= 1;
                }
                if start == end {
                    return;
                }
                out.push(Mention::over_tokens(doc, start..end, kind, si));
            }
        };
        for (k, tag) in tags.iter().enumerate() {
            let i = base + k;
            match tag.kind() {
                None => close(&mut open, i),
                Some(kind) => {
                    let continues = !tag.is_begin() && matches!(open, Some((_, k2)) if k2 == kind);
                    if !continues {
                        close(&mut open, i);
                        open = Some((i, kind));
                    }
                }
            }
        }
        close(&mut open, base + tags.len());
    }
    out
}
