//! The events stage: what happened, when, where and who took part.
//!
//! 1. [`detect`]: trigger words from the language's lexicon
//!    (`resources/<lang>/events.tsv`), compound heads, MISC names.
//! 2. [`modality`]: cue words in the trigger's clause; hypothetical and
//!    negated mentions are dropped, future ones kept and marked.
//! 3. [`args`] and [`time`]: participants, places and the time expression.
//! 4. [`coref`]: mentions of one happening merged into one event.
//!
//! See `docs/EVENTS.md` for the rules and their reasons.

pub mod args;
pub mod coref;
pub mod detect;
pub mod lexicon;
pub mod modality;
pub mod time;

use crate::ner::{EntityKind, Mention};
use crate::resolve::Entity;
use crate::text::{Document, Span};

use lexicon::EventLexicon;

/// One place in the text where an event is mentioned (its trigger words).
#[derive(Clone, Debug, PartialEq)]
pub struct EventMention {
    /// Byte span of the trigger phrase.
    pub span: Span,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// The trigger phrase as written.
    pub text: String,
}

/// One event reported by a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// A type from the taxonomy (`speech`, `protest`, `arrest`, ..., `other`).
    pub event_type: String,
    /// The trigger phrase of the first mention, as written.
    pub label: String,
    /// Every mention of this event, in text order.
    pub mentions: Vec<EventMention>,
    /// The time expression as written (`woensdag`, `begin maart`).
    pub time: Option<String>,
    /// The time as an ISO date (`2022-09-21`) when it can be resolved.
    pub time_iso: Option<String>,
    /// `asserted` events happened; `hypothetical`, `negated`, `future` ... did not (yet).
    pub modality: Option<String>,
    /// Indices of participating entities (in the entity list), the subject first.
    pub participants: Vec<usize>,
    /// Indices of the entities where it took place.
    pub places: Vec<usize>,
}

/// Event types that need a participant to be worth a node: a statement or
/// speech without a known speaker tells an analyst nothing.
const NEEDS_SPEAKER: &[&str] = &["statement", "speech", "announcement", "meeting"];

/// How many sentences back a sentence without places looks for its scene.
const SCENE_REACH: usize = 2;

/// Finds the events of a document, resolving relative times against the
/// document's own date.
pub fn find_events(doc: &Document, mentions: &[Mention], entities: &[Entity]) -> Vec<Event> {
    find_events_dated(doc, mentions, entities, doc.date.as_deref())
}

/// Finds the events of a document, resolving relative times against `date`
/// (`YYYY-MM-DD`; ignored if malformed).
pub fn find_events_dated(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
    date: Option<&str>,
) -> Vec<Event> {
    let lex = EventLexicon::of(doc.language());
    let date = date.and_then(time::parse_date);
    let mut entity_of = vec![None; mentions.len()];
    for (ei, e) in entities.iter().enumerate() {
        for &m in &e.mentions {
            if m < entity_of.len() && e.kind != EntityKind::Misc {
                entity_of[m] = Some(ei);
            }
        }
    }
    // Mentions by sentence, so that each sentence sees only its own.
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); doc.sentences.len()];
    for (mi, m) in mentions.iter().enumerate() {
        if let Some(list) = by_sentence.get_mut(m.sentence) {
            list.push(mi);
        }
    }
    // Place adjectives that stand for a place of the document (`Russische`).
    let demonyms = crate::resolve::demonym::demonym_refs(doc, mentions, entities);
    let mut drafts: Vec<coref::Draft> = Vec::new();
    for (si, here) in by_sentence.iter().enumerate() {
        let names_place = here
            .iter()
            .any(|&mi| mentions[mi].kind == EntityKind::Place && entity_of[mi].is_some());
        // A sentence that names no place continues the scene of the ones
        // just before it (same paragraph): `... in Grozny. Ze werden gearresteerd.`
        // Its places: those of the events of the latest earlier sentence (at
        // most SCENE_REACH back) that had any.
        let mut scene: Vec<usize> = Vec::new();
        if !names_place {
            let mut from = None;
            for d in drafts.iter().rev() {
                let ds = d.event.mentions[0].sentence;
                if ds + SCENE_REACH < si
                    || doc.sentences[ds].paragraph != doc.sentences[si].paragraph
                    || from.is_some_and(|f| f != ds)
                {
                    break;
                }
                if d.event.places.is_empty() {
                    continue;
                }
                from = Some(ds);
                for &p in d.event.places.iter().rev() {
                    if !scene.contains(&p) {
                        scene.insert(0, p);
                    }
                }
            }
        }
        let here_mentions: Vec<&Mention> = here.iter().map(|&mi| &mentions[mi]).collect();
        let candidates = detect::detect(doc, si, &here_mentions, lex);
        let heads: Vec<usize> = candidates.iter().map(|c| c.head).collect();
        // Time expressions of the sentence, found once (per reading).
        let mut times_by_reading: [Option<Vec<time::TimeExpr>>; 2] = [None, None];
        for c in candidates {
            let clause = args::clause(doc, lex, si, c.head);
            let modality = modality::modality(doc, lex, clause.clone(), c.tokens.clone());
            if modality == "hypothetical" || modality == "negated" {
                continue;
            }
            let needs_speaker = NEEDS_SPEAKER.contains(&c.event_type.as_str());
            let future = modality == "future";
            let all_times = times_by_reading[future as usize]
                .get_or_insert_with(|| time::find_times(doc, si, lex, date, future));
            // Arguments, times and competing triggers within REACH tokens.
            let lo = c.head.saturating_sub(args::REACH);
            let hi = c.head + args::REACH;
            let times: Vec<&time::TimeExpr> = all_times
                .iter()
                .filter(|t| t.tokens.end > lo && t.tokens.start < hi)
                .collect();
            let time_tokens: Vec<std::ops::Range<usize>> =
                times.iter().map(|t| t.tokens.clone()).collect();
            let near = {
                let a = here.partition_point(|&mi| mentions[mi].tokens.end <= lo);
                let b = here.partition_point(|&mi| mentions[mi].tokens.start < hi);
                &here[a..b.max(a)]
            };
            let near_heads = {
                let a = heads.partition_point(|&h| h < lo);
                let b = heads.partition_point(|&h| h < hi);
                &heads[a..b.max(a)]
            };
            let site = args::Site {
                sentence: si,
                clause: clause.clone(),
                tokens: c.tokens.clone(),
                times: &time_tokens,
                speaker: needs_speaker,
                others: near_heads,
            };
            let mut a = args::arguments(doc, lex, mentions, &entity_of, near, &site);
            args::demonym_arguments(doc, lex, &demonyms, &site, &mut a);
            if a.places.is_empty() {
                a.places = scene.clone();
            }
            // `officials said`: a verb of saying without a known speaker is
            // dropped at once (a noun like `the meeting` may still find its
            // participants in an earlier mention, see below).
            if needs_speaker && !c.noun && a.participants.is_empty() {
                continue;
            }
            // The time in the clause nearest the trigger, else the sentence's nearest.
            let dist = |t: &time::TimeExpr| {
                let in_clause = t.tokens.start >= clause.start && t.tokens.end <= clause.end;
                let d = if t.tokens.end <= c.head {
                    c.head - t.tokens.end
                } else {
                    t.tokens.start.saturating_sub(c.head)
                };
                (!in_clause, d)
            };
            // A time beyond another trigger belongs to that one (`announced
            // that a vote would follow next month`).
            let beyond_other = |t: &time::TimeExpr| {
                near_heads.iter().any(|&h| {
                    h != c.head
                        && ((c.tokens.end <= h && h < t.tokens.start)
                            || (t.tokens.end <= h && h < c.tokens.start))
                })
            };
            let when = times
                .iter()
                .copied()
                .filter(|t| !beyond_other(t))
                .min_by_key(|t| dist(t));
            let span = Span {
                start: doc.tokens[c.tokens.start].span.start,
                end: doc.tokens[c.tokens.end - 1].span.end,
            };
            let text = doc.slice(span).to_string();
            let new = (c.tokens.start.saturating_sub(2)..c.tokens.start)
                .chain(c.tokens.clone())
                .filter(|&i| i >= doc.sentences[si].tokens.start && i != c.head)
                .any(|i| lex.new_words.contains(doc.lower(i)));
            let (time, time_iso) = match when {
                Some(t) => {
                    let span = Span {
                        start: doc.tokens[t.tokens.start].span.start,
                        end: doc.tokens[t.tokens.end - 1].span.end,
                    };
                    (Some(doc.slice(span).to_string()), t.iso.clone())
                }
                None => (None, None),
            };
            drafts.push(coref::Draft {
                event: Event {
                    event_type: c.event_type.clone(),
                    label: text.clone(),
                    mentions: vec![EventMention {
                        span,
                        sentence: si,
                        text,
                    }],
                    time,
                    time_iso,
                    modality: Some(modality.to_string()),
                    participants: a.participants.clone(),
                    places: a.places.clone(),
                },
                lemma: c.lemma,
                new,
                // A speaker is part of what a statement is: two statements by
                // different speakers never merge, however the speakers of the
                // verbs were found.
                clause_participants: if a.participants_in_clause || (needs_speaker && !c.noun) {
                    a.participants.clone()
                } else {
                    Vec::new()
                },
                clause_places: if a.places_firm {
                    a.places.clone()
                } else {
                    Vec::new()
                },
            });
        }
    }
    // The speaker test comes after coreference: `the meeting` may take its
    // participants from an earlier `met`.
    let home = home_place(entities);
    coref::merge(drafts)
        .into_iter()
        .filter(|e| !(NEEDS_SPEAKER.contains(&e.event_type.as_str()) && e.participants.is_empty()))
        .map(|mut e| {
            // An event whose text names no place happened, as far as the
            // article tells, where the article is set.
            if e.places.is_empty() && !e.participants.contains(&home.unwrap_or(usize::MAX)) {
                e.places.extend(home);
            }
            e
        })
        .collect()
}

/// The place an article is set in: the place it names most, when it names
/// it at least three times and twice as often as any other place.
fn home_place(entities: &[Entity]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Place)
        .map(|(i, e)| (e.mentions.len(), i))
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match counts.as_slice() {
        [(n, i)] if *n >= 3 => Some(*i),
        [(n, i), (m, _), ..] if *n >= 3 && *n > *m => Some(*i),
        _ => None,
    }
}

#[cfg(test)]
mod home_tests {
    use super::*;

    fn place(mentions: usize) -> Entity {
        Entity {
            kind: EntityKind::Place,
            label: format!("P{mentions}"),
            aliases: Vec::new(),
            roles: Vec::new(),
            mentions: (0..mentions).collect(),
            names: Vec::new(),
        }
    }

    #[test]
    fn the_home_place_is_the_most_named_place_named_thrice() {
        assert_eq!(home_place(&[place(2), place(5), place(4)]), Some(1));
        // A tie, or a place named too rarely, sets no scene.
        assert_eq!(home_place(&[place(4), place(4)]), None);
        assert_eq!(home_place(&[place(2)]), None);
        assert_eq!(home_place(&[]), None);
    }
}
