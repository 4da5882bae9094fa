//! Event arguments: the clause around a trigger, its participants (persons
//! and organisations, the subject first) and its places.

use std::ops::Range;

use super::lexicon::EventLexicon;
use crate::ner::{EntityKind, Mention};
use crate::resolve::demonym::DemonymRef;
use crate::text::Document;

/// How many tokens either side of a trigger its clause, arguments and time
/// may reach: news sentences are far shorter, and the bound keeps a
/// pathological sentence (a 20 MB line, say) linear in its length.
pub const REACH: usize = 60;

/// The clause around token `head`: the tokens between the nearest clause
/// boundaries (punctuation, relative pronouns, conjunctions) on either side.
pub fn clause(doc: &Document, lex: &EventLexicon, sentence: usize, head: usize) -> Range<usize> {
    let range = doc.sentences[sentence].tokens.clone();
    let boundary = |i: usize| {
        let w = doc.lower(i);
        lex.clause_punct.contains(w) || lex.clause_words.contains(w)
    };
    // A clause never reaches further than REACH tokens from its head, so
    // that a sentence without punctuation costs linear time.
    let first = range.start.max(head.saturating_sub(REACH));
    let last = range.end.min(head + REACH);
    let mut start = head;
    while start > first && !boundary(start - 1) {
        start -= 1;
    }
    let mut end = head + 1;
    while end < last && !boundary(end) {
        end += 1;
    }
    start..end
}

/// How many words before a name its preposition may stand.
const GOVERN_WINDOW: usize = 4;

/// Whether a place preposition governs the mention: one of the four words
/// before it, with no punctuation or other name in between (`in heel
/// Rusland`, `uit de omgeving van Kiev`), or it is coordinated with a governed
/// place (`in Moskou en Sint-Petersburg`).
fn governed(
    doc: &Document,
    lex: &EventLexicon,
    m: &Mention,
    sentence: &[&Mention],
    sentence_start: usize,
) -> bool {
    let mut i = m.tokens.start;
    for _ in 0..GOVERN_WINDOW {
        if i == sentence_start {
            return false;
        }
        i -= 1;
        let w = doc.lower(i);
        if lex.place_preps.contains(w) {
            return true;
        }
        if lex.coordinators.contains(w) {
            return sentence.iter().any(|o| {
                o.kind == EntityKind::Place
                    && o.tokens.end == i
                    && governed(doc, lex, o, sentence, sentence_start)
            });
        }
        if lex.clause_punct.contains(w) || doc.token_text(i).chars().any(char::is_uppercase) {
            return false;
        }
    }
    false
}

/// The participants and places of an event, as entity indices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arguments {
    /// Persons and organisations (and places acting as subject), subject first.
    pub participants: Vec<usize>,
    /// Places.
    pub places: Vec<usize>,
    /// The participants were found in the trigger's clause (not guessed
    /// from the nearest name in the sentence).
    pub participants_in_clause: bool,
    /// The places were found by preposition (in the clause or the
    /// sentence), not guessed as the nearest place name.
    pub places_firm: bool,
}

/// Where a trigger stands, and what it needs.
#[derive(Clone, Debug)]
pub struct Site<'a> {
    /// The sentence.
    pub sentence: usize,
    /// The trigger's clause.
    pub clause: Range<usize>,
    /// The trigger phrase.
    pub tokens: Range<usize>,
    /// Time expressions of the sentence: names inside them (`Saturday` read
    /// as a place) are no arguments.
    pub times: &'a [Range<usize>],
    /// The event needs a speaker, so a place may stand in for one.
    pub speaker: bool,
    /// The heads of the sentence's other triggers: a name beyond one of
    /// them belongs to that one (`de ontmoeting over de oorlog in Oekraïne`).
    pub others: &'a [usize],
}

/// Finds the arguments of a trigger.
///
/// Participants: persons and organisations in the clause, in text order (the
/// subject usually comes first), plus a place named before the trigger
/// without a preposition (`Rusland trok zich terug`); if the clause names
/// none, the nearest person or organisation in the sentence. Places: place
/// names in the clause governed by a place preposition, else the governed
/// ones in the sentence, else the nearest place name in the sentence.
pub fn arguments(
    doc: &Document,
    lex: &EventLexicon,
    mentions: &[Mention],
    entity_of: &[Option<usize>],
    in_sentence: &[usize],
    site: &Site,
) -> Arguments {
    let Site {
        sentence,
        ref clause,
        ref tokens,
        times,
        speaker,
        others,
    } = *site;
    let sentence_start = doc.sentences[sentence].tokens.start;
    let named: Vec<(usize, &Mention)> = in_sentence
        .iter()
        .map(|&mi| (mi, &mentions[mi]))
        .filter(|(mi, _)| entity_of[*mi].is_some())
        .filter(|(_, m)| {
            !times
                .iter()
                .any(|t| t.start < m.tokens.end && m.tokens.start < t.end)
        })
        .map(|(mi, m)| (entity_of[mi].unwrap_or(0), m))
        .collect();
    let distance = |m: &Mention| {
        if m.tokens.end <= tokens.start {
            tokens.start - m.tokens.end
        } else {
            m.tokens.start.saturating_sub(tokens.end)
        }
    };
    let places_in_sentence: Vec<&Mention> = named
        .iter()
        .map(|(_, m)| *m)
        .filter(|m| m.kind == EntityKind::Place)
        .collect();
    let governed = |m: &Mention| governed(doc, lex, m, &places_in_sentence, sentence_start);
    let mut args = Arguments::default();
    let beyond_other = |m: &Mention| {
        others.iter().any(|&h| {
            !tokens.contains(&h)
                && ((tokens.end <= h && h < m.tokens.start)
                    || (m.tokens.end <= h && h < tokens.start))
        })
    };
    let in_clause = |m: &Mention| {
        m.tokens.start >= clause.start && m.tokens.end <= clause.end && !beyond_other(m)
    };
    for (e, m) in &named {
        if !in_clause(m) {
            continue;
        }
        match m.kind {
            EntityKind::Person | EntityKind::Organisation => push(&mut args.participants, *e),
            EntityKind::Place if governed(m) => push(&mut args.places, *e),
            EntityKind::Place if m.tokens.end <= tokens.start => push(&mut args.participants, *e),
            EntityKind::Place => push(&mut args.places, *e),
            EntityKind::Misc => {}
        }
    }
    let nearest = |kinds: &[EntityKind], skip: &[usize]| {
        named
            .iter()
            .filter(|(e, m)| kinds.contains(&m.kind) && !skip.contains(e))
            .min_by_key(|(_, m)| (distance(m), m.tokens.start))
            .map(|(e, _)| *e)
    };
    args.participants_in_clause = !args.participants.is_empty();
    if args.places.is_empty() {
        for (e, m) in &named {
            if m.kind == EntityKind::Place
                && governed(m)
                && !beyond_other(m)
                && !args.participants.contains(e)
            {
                push(&mut args.places, *e);
            }
        }
    }
    args.places_firm = !args.places.is_empty();
    if args.participants.is_empty() {
        // Else, for an event that needs a speaker, a place named before it
        // without a preposition: capitals and countries speak in the news
        // (`Moskou kondigde aan`, `Washington said`).
        let actor = nearest(&[EntityKind::Person, EntityKind::Organisation], &[]).or_else(|| {
            named
                .iter()
                .filter(|(_, m)| {
                    speaker
                        && m.kind == EntityKind::Place
                        && m.tokens.end <= tokens.start
                        && !governed(m)
                })
                .min_by_key(|(_, m)| (distance(m), m.tokens.start))
                .map(|(e, _)| *e)
        });
        args.participants.extend(actor);
    }
    if args.places.is_empty() {
        let place = named
            .iter()
            .filter(|(e, m)| {
                m.kind == EntityKind::Place && !args.participants.contains(e) && !beyond_other(m)
            })
            .min_by_key(|(_, m)| (distance(m), m.tokens.start))
            .map(|(e, _)| *e);
        args.places.extend(place);
    }
    args
}

fn push(list: &mut Vec<usize>, e: usize) {
    if !list.contains(&e) {
        list.push(e);
    }
}

/// Adds the places that place adjectives in the trigger's clause stand
/// for: before an actor noun the place takes part (`de Oekraïense troepen
/// rukten op`: Oekraïne), before a people noun it is where the event
/// happened (`a speech to the Russian people`: Russia). `refs` are the
/// document's demonyms in text order; an adjective beyond another trigger
/// belongs to that one.
pub fn demonym_arguments(
    doc: &Document,
    lex: &EventLexicon,
    refs: &[DemonymRef],
    site: &Site,
    args: &mut Arguments,
) {
    let Site {
        ref clause,
        ref tokens,
        others,
        ..
    } = *site;
    let from = refs.partition_point(|r| r.token < clause.start);
    for r in refs[from..].iter().take_while(|r| r.token < clause.end) {
        let beyond = others.iter().any(|&h| {
            !tokens.contains(&h)
                && ((tokens.end <= h && h < r.token) || (r.token < h && h < tokens.start))
        });
        if beyond || r.token + 1 >= clause.end {
            continue;
        }
        let next = doc.lower(r.token + 1);
        if lex.actor_nouns.contains(next) && !args.places.contains(&r.entity) {
            push(&mut args.participants, r.entity);
        } else if lex.people_nouns.contains(next) && !args.participants.contains(&r.entity) {
            push(&mut args.places, r.entity);
        }
    }
}
