//! Modality: whether a mentioned event happened (`asserted`), will happen
//! (`future`), might happen (`hypothetical`) or did not (`negated`).

use std::ops::Range;

use super::lexicon::{Cue, EventLexicon};
use crate::text::Document;

/// How many words before the trigger a `near` cue (`geen`, `no`) reaches.
const NEAR: usize = 3;

/// The modality of the trigger phrase `tokens`, from the cue words of its clause.
///
/// Framed cues (`om ... te`: a purpose) need their first word before the
/// trigger and their second after that. A negation beats a hypothesis,
/// which beats a future; a naming verb in the
/// clause (`wordt geen oorlog genoemd`, `not called a war`) cancels the
/// negation, since the text denies a name, not the happening.
pub fn modality(
    doc: &Document,
    lex: &EventLexicon,
    clause: Range<usize>,
    tokens: Range<usize>,
) -> &'static str {
    let (mut negated, mut hypothetical, mut future, mut naming) = (false, false, false, false);
    let lower: Vec<&str> = clause.clone().map(|i| doc.lower(i)).collect();
    for (first, second, m) in &lex.framed {
        let Some(a) = (clause.start..tokens.start).position(|i| lower[i - clause.start] == first)
        else {
            continue;
        };
        if lower[a + 1..].iter().any(|w| w == second) {
            match *m {
                "negated" => negated = true,
                "hypothetical" => hypothetical = true,
                _ => future = true,
            }
        }
    }
    for i in clause.clone() {
        if tokens.contains(&i) {
            continue;
        }
        let Some(cue) = lex.modality.get(doc.lower(i)) else {
            continue;
        };
        if cue.near && !(i < tokens.start && tokens.start - i <= NEAR) {
            continue;
        }
        match cue.cue {
            Cue::Naming => naming = true,
            Cue::Modality("negated") => negated = true,
            Cue::Modality("hypothetical") => hypothetical = true,
            Cue::Modality(_) => future = true,
        }
    }
    if negated && !naming {
        "negated"
    } else if hypothetical {
        "hypothetical"
    } else if future {
        "future"
    } else {
        "asserted"
    }
}
