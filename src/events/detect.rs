//! Trigger detection: which words of a sentence mention an event.
//!
//! Lowercased tokens are looked up in a HashMap of trigger words (phrases
//! and separable verbs continue from their first word). A word that is not a
//! trigger may still end in one: the head of a hyphenated or closed compound
//! (`anti-oorlogsprotesten`, `televisietoespraak`) decides its type.

use std::ops::Range;

use super::lexicon::{EventLexicon, Trigger};
use crate::ner::{EntityKind, Mention};
use crate::text::Document;

/// One trigger found in the text, before modality, arguments and coreference.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Tokens of the trigger phrase as reported (adjective and name included).
    pub tokens: Range<usize>,
    /// The trigger word itself.
    pub head: usize,
    /// The event type.
    pub event_type: String,
    /// A noun phrase (else a verb).
    pub noun: bool,
    /// The sentence.
    pub sentence: usize,
    /// The lowercase trigger entry (`protesten`), for coreference.
    pub lemma: String,
}

/// How far (in tokens, within the sentence) a separable verb's particle may follow its verb.
const MAX_GAP: usize = 15;

/// Finds the trigger candidates of one sentence (`in_sentence`: its name mentions).
pub fn detect(
    doc: &Document,
    sentence: usize,
    in_sentence: &[&Mention],
    lex: &EventLexicon,
) -> Vec<Candidate> {
    let range = doc.sentences[sentence].tokens.clone();
    let lower: Vec<&str> = range.clone().map(|i| doc.lower(i)).collect();
    let word = |i: usize| lower[i - range.start];
    let has_entity = in_sentence.iter().any(|m| m.kind != EntityKind::Misc);
    // Which name covers each token, looked up once per sentence (a scan of
    // every name per token would be quadratic in a long sentence).
    let mut name_at: Vec<Option<&Mention>> = vec![None; range.len()];
    let mut misc_at: Vec<Option<&Mention>> = vec![None; range.len()];
    for &m in in_sentence {
        let at = if m.kind == EntityKind::Misc {
            &mut misc_at
        } else {
            &mut name_at
        };
        for i in m.tokens.clone() {
            if let Some(slot) = i.checked_sub(range.start).and_then(|k| at.get_mut(k)) {
                slot.get_or_insert(m);
            }
        }
    }
    let inside_name = |i: usize| name_at[i - range.start].is_some();
    let blocked = |i: usize| {
        let one = i > range.start && lex.blocks.contains(word(i - 1));
        let two = i > range.start + 1
            && lex
                .blocks
                .contains(&format!("{} {}", word(i - 2), word(i - 1)));
        one || two
    };
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if inside_name(i) {
            i += 1;
            continue;
        }
        let found = phrase_at(&lower, i - range.start, lex)
            .map(|(t, len)| (t, i..i + len))
            .or_else(|| compound_head(word(i), lex).map(|t| (t, i..i + 1)));
        let Some((trigger, mut tokens)) = found else {
            i += 1;
            continue;
        };
        let after_determiner =
            (1..=2).any(|back| i >= range.start + back && lex.determiners.contains(word(i - back)));
        if (trigger.ctx && (!has_entity || blocked(i))) || (trigger.nodet && after_determiner) {
            i += 1;
            continue;
        }
        let head = i;
        let misc = misc_at[head - range.start];
        if trigger.misc && misc.is_none() {
            i += 1;
            continue;
        }
        let lemma = trigger
            .words
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        if trigger.noun && i > range.start && lex.adjectives.contains(word(i - 1)) {
            tokens.start = i - 1;
        }
        // A name of the tagger's MISC kind around the trigger (`Tweede
        // Wereldoorlog`) is the event's name: report it whole.
        if let Some(m) = misc {
            tokens = tokens.start.min(m.tokens.start)..tokens.end.max(m.tokens.end);
        }
        i = tokens.end.max(i + 1);
        out.push(Candidate {
            tokens,
            head,
            event_type: trigger.event_type.clone(),
            noun: trigger.noun,
            sentence,
            lemma,
        });
    }
    out
}

/// The longest trigger starting at word `k` of `lower`, and how many
/// contiguous words it covers (a separable verb's particle is not counted
/// unless it follows right away).
fn phrase_at<'a>(lower: &[&str], k: usize, lex: &'a EventLexicon) -> Option<(&'a Trigger, usize)> {
    if !lex.may_trigger(lower[k]) {
        return None;
    }
    let list = lex.triggers.get(lower[k])?;
    'entries: for t in list {
        let mut pos = k;
        let mut contiguous = true;
        let mut covered = 1;
        let mut gap = false;
        for w in &t.words[1..] {
            match w {
                None => gap = true,
                Some(w) => {
                    if gap {
                        let end = lower.len().min(pos + 1 + MAX_GAP);
                        match (pos + 1..end).find(|&j| lower[j] == w) {
                            Some(j) => {
                                contiguous &= j == pos + 1;
                                pos = j;
                            }
                            None => continue 'entries,
                        }
                        gap = false;
                    } else if lower.get(pos + 1) == Some(&w.as_str()) {
                        pos += 1;
                    } else {
                        continue 'entries;
                    }
                    if contiguous {
                        covered = pos - k + 1;
                    }
                }
            }
        }
        return Some((t, covered));
    }
    None
}

/// The trigger a compound word ends in: the last part of a hyphenated word
/// (`tv-uitzending`), else a noun trigger of four letters or more that the
/// word ends in, after at least three letters of its own (`wereldoorlog`).
fn compound_head<'a>(word: &str, lex: &'a EventLexicon) -> Option<&'a Trigger> {
    // The byte `-` never occurs inside a multi-byte character.
    let hyphen = word.bytes().rposition(|b| b == b'-');
    if let Some(h) = hyphen {
        let last = &word[h + 1..];
        if let Some(t) = lex
            .triggers
            .get(last)
            .and_then(|l| l.iter().find(|t| t.words.len() == 1 && t.noun && !t.nohead))
        {
            return Some(t);
        }
    }
    let word = hyphen.map_or(word, |h| &word[h + 1..]);
    // Too short for any head with a stem before it.
    if word.len() < lex.head_trie.shortest() + 3 {
        return None;
    }
    // The first of `heads` (longest first) that the word ends in, after
    // at least three bytes of its own.
    lex.head_trie
        .longest_suffix(word, 3)
        .map(|i| &lex.single[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn nl() -> &'static EventLexicon {
        EventLexicon::of(Language::get("nl").unwrap())
    }

    #[test]
    fn compound_heads_are_typed_by_their_last_part() {
        assert_eq!(
            compound_head("anti-kernprotesten", nl())
                .unwrap()
                .event_type,
            "protest"
        );
        assert_eq!(
            compound_head("burgeroorlog", nl()).unwrap().event_type,
            "war"
        );
        assert!(compound_head("vredesproces", nl()).is_none());
        assert!(compound_head("kop", nl()).is_none());
        // A short last part that is itself a noun trigger.
        let short = nl()
            .triggers
            .values()
            .flatten()
            .filter(|t| t.words.len() == 1 && t.noun && !t.nohead)
            .filter_map(|t| t.words[0].as_deref())
            .min_by_key(|w| (w.len(), *w))
            .expect("nl has noun triggers");
        let word = format!("x-{short}");
        assert_eq!(
            compound_head(&word, nl()).map(|t| &t.words),
            nl().triggers[short]
                .iter()
                .find(|t| t.words.len() == 1 && t.noun && !t.nohead)
                .map(|t| &t.words)
        );
    }

    #[test]
    fn separable_verbs_find_their_particle() {
        let lower: Vec<&str> = "de minister kondigde gisteren nieuwe maatregelen aan"
            .split(' ')
            .collect();
        let (t, len) = phrase_at(&lower, 2, nl()).unwrap();
        assert_eq!(t.event_type, "announcement");
        assert_eq!(len, 1);
        let short: Vec<&str> = "de minister kondigde gisteren".split(' ').collect();
        assert!(phrase_at(&short, 2, nl()).is_none());
    }
}
