//! Event coreference: mentions of one happening within a document become
//! one event (`de protesten` … `deze protesten`).

use super::Event;

/// One event mention with everything found about it, before merging.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The event as this mention alone describes it (one mention).
    pub event: Event,
    /// The trigger entry (`protesten`), to tell repeated words from synonyms.
    pub lemma: String,
    /// A word like `nieuwe`/`new` marks another instance.
    pub new: bool,
    /// The participants named in the trigger's own clause (empty when they
    /// were guessed from the sentence): only these can clash.
    pub clause_participants: Vec<usize>,
    /// The places found by preposition (empty when guessed as the nearest
    /// place or taken from the sentence before).
    pub clause_places: Vec<usize>,
}

/// How many sentences apart two different trigger words of one type may be
/// and still name the same event.
const SYNONYM_WINDOW: usize = 2;
/// How many sentences apart a repeated trigger word may be.
const REPEAT_WINDOW: usize = 4;

fn disjoint(a: &[usize], b: &[usize]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
}

/// The arguments of an event that can clash with another's: its time and
/// the participants and places named in its mentions' own clauses.
#[derive(Default)]
struct Firm {
    participants: Vec<usize>,
    places: Vec<usize>,
}

/// Whether the arguments of two descriptions can belong to one event.
fn compatible(a: &Event, fa: &Firm, b: &Draft) -> bool {
    let b_ev = &b.event;
    let times_clash = match (&a.time_iso, &b_ev.time_iso) {
        (Some(x), Some(y)) => x != y,
        _ => match (&a.time, &b_ev.time) {
            (Some(x), Some(y)) => x.to_lowercase() != y.to_lowercase(),
            _ => false,
        },
    };
    !times_clash
        && !disjoint(&fa.places, &b.clause_places)
        && !disjoint(&fa.participants, &b.clause_participants)
}

/// Types that may name one happening in one sentence: an announcement made
/// in a speech or statement is that speech.
fn same_kind(event: &str, draft: &str, same_sentence: bool) -> bool {
    event == draft
        || (same_sentence
            && matches!(
                (event, draft),
                ("speech" | "statement", "announcement") | ("announcement", "speech" | "statement")
            ))
}

/// How many earlier events (wars aside) a draft is compared with.
const MAX_LOOKBACK: usize = 64;

/// Merges drafts (in text order) into events.
///
/// A draft joins the latest earlier event of the same type whose arguments
/// do not clash (different times, places or participants) and that is close
/// enough: the same trigger word within a few sentences, another word of the
/// type within two, a war anywhere in the document (an article is usually
/// about one). A draft marked as new (`nieuwe protesten`) starts an event.
pub fn merge(drafts: Vec<Draft>) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let mut lemmas: Vec<Vec<String>> = Vec::new();
    let mut firm: Vec<Firm> = Vec::new();
    for d in drafts {
        let sentence = d.event.mentions[0].sentence;
        let target = if d.new {
            None
        } else {
            // Only recent events and wars can take a draft (see the windows
            // above): looking no further back than MAX_LOOKBACK events keeps
            // a document with many events linear.
            let recent = events.len().saturating_sub(MAX_LOOKBACK);
            (0..events.len()).rev().find(|&i| {
                if i < recent && events[i].event_type != "war" {
                    return false;
                }
                let e = &events[i];
                let last = e.mentions.last().map(|m| m.sentence).unwrap_or(0);
                let gap = sentence.saturating_sub(last);
                let window = if e.event_type == "war" {
                    usize::MAX
                } else if lemmas[i].contains(&d.lemma) {
                    REPEAT_WINDOW
                } else {
                    SYNONYM_WINDOW
                };
                same_kind(&e.event_type, &d.event.event_type, gap == 0)
                    && gap <= window
                    && compatible(e, &firm[i], &d)
            })
        };
        match target {
            Some(i) => {
                absorb(
                    &mut events[i],
                    d.event,
                    &d.clause_participants,
                    &d.clause_places,
                );
                lemmas[i].push(d.lemma);
                let f = &mut firm[i];
                for p in d.clause_participants {
                    if !f.participants.contains(&p) {
                        f.participants.push(p);
                    }
                }
                for p in d.clause_places {
                    if !f.places.contains(&p) {
                        f.places.push(p);
                    }
                }
            }
            None => {
                events.push(d.event);
                lemmas.push(vec![d.lemma]);
                firm.push(Firm {
                    participants: d.clause_participants,
                    places: d.clause_places,
                });
            }
        }
    }
    events
}

/// Adds a description's mention and the arguments it adds to an event:
/// those of its own clause, or its guesses when the event has none yet.
fn absorb(e: &mut Event, d: Event, clause_participants: &[usize], clause_places: &[usize]) {
    if e.event_type == "announcement" && d.event_type != "announcement" {
        e.event_type = d.event_type.clone();
    }
    e.mentions.extend(d.mentions);
    e.mentions.sort_by_key(|m| m.span);
    if e.time.is_none() {
        e.time = d.time;
        e.time_iso = d.time_iso;
    }
    let add = |to: &mut Vec<usize>, found: Vec<usize>, firm: &[usize]| {
        let guesses_welcome = to.is_empty();
        for p in found {
            if (guesses_welcome || firm.contains(&p)) && !to.contains(&p) {
                to.push(p);
            }
        }
    };
    add(&mut e.participants, d.participants, clause_participants);
    add(&mut e.places, d.places, clause_places);
}
