//! The relations stage: typed links and weighted co-occurrence between the
//! entities and events of a document, each with the sentence that supports it.
//!
//! Typed relations come from token patterns (`resources/<lang>/relations.tsv`,
//! see [`patterns`]) and from the place gazetteer (a city `located_in` its
//! country when the document names both).

pub mod patterns;

use crate::events::Event;
use crate::ner::EntityKind;
use crate::ner::Mention;
use crate::resolve::demonym::demonym_refs;
use crate::resolve::gazetteer::Gazetteer;
use crate::resolve::lexicon::Lexicon;
use crate::resolve::Entity;
use crate::text::{Document, Span};
use patterns::{Item, Patterns};

/// One end of a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    /// An index into the document's entities.
    Entity(usize),
    /// An index into the document's events.
    Event(usize),
}

/// A link between two nodes, with evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// Where the link starts (for typed relations: the actor, the part, the member).
    pub source: NodeRef,
    /// Where the link ends.
    pub target: NodeRef,
    /// A lowercase word: `co_occurs`, `role`, `leader_of`, `participant_in`, ...
    pub kind: String,
    /// The wording in the text (`minister van Buitenlandse Zaken`), if any.
    pub label: Option<String>,
    /// The sentence spans that state it; its weight is their number.
    pub evidence: Vec<Span>,
}

/// How co-occurrence edges are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cooccurrence {
    /// Entities named in the same sentence.
    #[default]
    Sentence,
    /// Entities named in the same paragraph.
    Paragraph,
    /// No co-occurrence edges.
    Off,
}

/// Finds the relations of a document.
pub fn find_relations(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
    events: &[Event],
    cooccurrence: Cooccurrence,
) -> Vec<Relation> {
    let mut out = Vec::new();
    for (ei, ev) in events.iter().enumerate() {
        let evidence = vec![doc.sentences[ev.mentions[0].sentence].span];
        for &p in &ev.participants {
            out.push(Relation {
                source: NodeRef::Entity(p),
                target: NodeRef::Event(ei),
                kind: "participant_in".into(),
                label: None,
                evidence: evidence.clone(),
            });
        }
        for &p in &ev.places {
            out.push(Relation {
                source: NodeRef::Entity(p),
                target: NodeRef::Event(ei),
                kind: "place_of".into(),
                label: None,
                evidence: evidence.clone(),
            });
        }
    }
    let typed = typed_relations(doc, mentions, entities);
    let gazetteer = gazetteer_relations(doc, mentions, entities);
    out.extend(wider_places(
        events,
        entities,
        typed.iter().chain(&gazetteer),
    ));
    out.extend(typed);
    out.extend(gazetteer);
    out.extend(cooccurrences(doc, mentions, entities, cooccurrence));
    out
}

/// `place_of` edges from the places that contain an event's places: an
/// event in Grozny also took place in Chechnya when the document says that
/// Grozny lies in Chechnya (`located_in`, from a pattern or the gazetteer).
/// One level up only, and never a place the event already has; the
/// evidence is that of the containment.
pub fn wider_places<'a>(
    events: &[Event],
    entities: &[Entity],
    relations: impl Iterator<Item = &'a Relation>,
) -> Vec<Relation> {
    let mut up: std::collections::BTreeMap<usize, Vec<(usize, &'a Relation)>> =
        std::collections::BTreeMap::new();
    for r in relations {
        if let (NodeRef::Entity(a), NodeRef::Entity(b), "located_in") =
            (r.source, r.target, r.kind.as_str())
        {
            if entities[a].kind == EntityKind::Place && entities[b].kind == EntityKind::Place {
                up.entry(a).or_default().push((b, r));
            }
        }
    }
    let mut out = Vec::new();
    for (ei, ev) in events.iter().enumerate() {
        let mut added: Vec<usize> = Vec::new();
        for p in &ev.places {
            for &(q, r) in up.get(p).map(Vec::as_slice).unwrap_or_default() {
                if ev.places.contains(&q) || ev.participants.contains(&q) || added.contains(&q) {
                    continue;
                }
                added.push(q);
                out.push(Relation {
                    source: NodeRef::Entity(q),
                    target: NodeRef::Event(ei),
                    kind: "place_of".into(),
                    label: Some(format!("via {}", entities[*p].label)),
                    evidence: r.evidence.clone(),
                });
            }
        }
    }
    out
}

/// The entity slot starting at each token: (entity, kind, name tokens).
type Slots = Vec<Option<(usize, EntityKind, std::ops::Range<usize>)>>;

/// Where each entity mention (its name part only, without a title the
/// tagger included) starts, as one slot over its tokens.
fn entity_slots(doc: &Document, mentions: &[Mention], entities: &[Entity]) -> Slots {
    let mut slot: Slots = vec![None; doc.tokens.len()];
    for (ei, e) in entities.iter().enumerate() {
        for (&mi, &name) in e.mentions.iter().zip(&e.names) {
            let m = &mentions[mi];
            let mut toks = m
                .tokens
                .clone()
                .filter(|&t| doc.tokens[t].span.overlaps(name));
            let Some(a) = toks.next() else {
                continue;
            };
            let b = toks.next_back().unwrap_or(a);
            slot[a] = Some((ei, e.kind, a..b + 1));
        }
    }
    // A place adjective stands for its place (`de Oekraïense minister X`,
    // `Grozny, the Chechen capital`).
    for r in demonym_refs(doc, mentions, entities) {
        if slot[r.token].is_none() {
            slot[r.token] = Some((r.entity, EntityKind::Place, r.token..r.token + 1));
        }
    }
    slot
}

/// Walks the items of a sentence: tokens, and each entity slot as one item.
fn for_each_item<'d>(
    doc: &'d Document,
    sentence: &crate::text::Sentence,
    slot: &Slots,
    mut f: impl FnMut(Item<'d>),
) {
    let mut t = sentence.tokens.start;
    while t < sentence.tokens.end {
        match &slot[t] {
            Some((ei, kind, r)) => {
                f(Item::Entity(*ei, *kind, r.clone()));
                t = r.end.max(t + 1);
            }
            None => {
                f(Item::Token(t, doc.lower(t)));
                t += 1;
            }
        }
    }
}

/// Relations from the language's token patterns, one per (source, target,
/// kind), with every sentence that states it as evidence.
pub fn typed_relations(doc: &Document, mentions: &[Mention], entities: &[Entity]) -> Vec<Relation> {
    let lang = doc.language();
    let pats = Patterns::of(lang);
    let lex = Lexicon::of(lang);
    let mut found: Vec<Relation> = Vec::new();
    let slots = entity_slots(doc, mentions, entities);
    let mut items = Vec::new();
    let mut info = Vec::new();
    for sentence in &doc.sentences {
        // Every pattern links two entities: most sentences name fewer.
        let mut named = 0;
        for t in sentence.tokens.clone() {
            named += usize::from(slots[t].is_some());
        }
        if named < 2 {
            continue;
        }
        items.clear();
        for_each_item(doc, sentence, &slots, |item| items.push(item));
        let named = items
            .iter()
            .filter(|i| matches!(i, Item::Entity(..)))
            .take(2)
            .count();
        if named < 2 {
            continue;
        }
        let items = &items;
        let span = sentence.span;
        let whole = pats.annotate(items, lex, &mut info);
        for (pi, p) in pats.patterns.iter().enumerate() {
            if !pats.possible(pi, &whole) {
                continue;
            }
            for f in patterns::find(pats, pi, items, &info) {
                let Some(t) = f.target else { continue };
                let label = f
                    .words
                    .map(|(a, b)| {
                        doc.text[doc.tokens[a].span.start as usize..doc.tokens[b].span.end as usize]
                            .trim_matches(|c: char| c == ',' || c.is_whitespace())
                            .to_string()
                    })
                    .filter(|l| !l.is_empty());
                for &s in &f.sources {
                    if s == t {
                        continue;
                    }
                    let (source, target) = (NodeRef::Entity(s), NodeRef::Entity(t));
                    // The first pattern that links two entities in a sentence wins.
                    if found.iter().any(|r| {
                        r.source == source && r.target == target && r.evidence.contains(&span)
                    }) {
                        continue;
                    }
                    match found
                        .iter_mut()
                        .find(|r| r.source == source && r.target == target && r.kind == p.kind)
                    {
                        Some(r) => r.evidence.push(span),
                        None => found.push(Relation {
                            source,
                            target,
                            kind: p.kind.clone(),
                            label: label.clone(),
                            evidence: vec![span],
                        }),
                    }
                }
            }
        }
    }
    found
}

/// `located_in` from the gazetteer: a city the document names lies in a
/// country the document names. The evidence is the city's first sentence.
pub fn gazetteer_relations(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
) -> Vec<Relation> {
    let gaz = Gazetteer::get();
    let place_of = |e: &Entity| {
        if e.kind != crate::ner::EntityKind::Place {
            return None;
        }
        std::iter::once(&e.label)
            .chain(&e.aliases)
            .find_map(|n| gaz.lookup(n))
    };
    let places: Vec<Option<&gazetteer_place::Place>> = entities.iter().map(place_of).collect();
    let mut out = Vec::new();
    for (ci, city) in places.iter().enumerate() {
        let Some(parent) = city.and_then(|c| c.parent) else {
            continue;
        };
        for (pi, country) in places.iter().enumerate() {
            if pi != ci && country.is_some_and(|c| c.id == parent) {
                let first = &mentions[entities[ci].mentions[0]];
                out.push(Relation {
                    source: NodeRef::Entity(ci),
                    target: NodeRef::Entity(pi),
                    kind: "located_in".into(),
                    label: None,
                    evidence: vec![doc.sentences[first.sentence].span],
                });
            }
        }
    }
    out
}

use crate::resolve::gazetteer as gazetteer_place;

/// `co_occurs` relations between entities named in the same sentence (or
/// paragraph), one piece of evidence per sentence, in a stable order.
pub fn cooccurrences(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
    mode: Cooccurrence,
) -> Vec<Relation> {
    if mode == Cooccurrence::Off {
        return Vec::new();
    }
    let mut entity_of = vec![None; mentions.len()];
    for (ei, e) in entities.iter().enumerate() {
        for &m in &e.mentions {
            entity_of[m] = Some(ei);
        }
    }
    // Each entity mention as (window, entity), and each window's span: from
    // the first to the last byte of the sentences that hold its mentions.
    // Windows are sentence or paragraph numbers, so plain vectors (no map,
    // no list per window) hold them.
    let mut in_window: Vec<(usize, usize)> = Vec::new();
    let mut window_span: Vec<Option<Span>> = Vec::new();
    for (mi, m) in mentions.iter().enumerate() {
        let Some(ei) = entity_of[mi] else { continue };
        let sentence = &doc.sentences[m.sentence];
        let key = match mode {
            Cooccurrence::Sentence => m.sentence,
            _ => sentence.paragraph,
        };
        if window_span.len() <= key {
            window_span.resize(key + 1, None);
        }
        let w = window_span[key].get_or_insert(sentence.span);
        *w = Span {
            start: w.start.min(sentence.span.start),
            end: w.end.max(sentence.span.end),
        };
        in_window.push((key, ei));
    }
    in_window.sort_unstable();
    in_window.dedup();
    // Every pair of distinct entities of a window, with the window: sorted
    // by pair, then window, so each pair's evidence is in window order.
    // Packed as `a << 64 | b << 32 | window` (entity and sentence numbers
    // are below 2^32, as token offsets are), one integer compare apiece.
    let pack = |a: usize, b: usize, key: usize| (a as u128) << 64 | (b as u128) << 32 | key as u128;
    let groups: Vec<&[(usize, usize)]> = in_window.chunk_by(|x, y| x.0 == y.0).collect();
    let count = groups.iter().map(|g| g.len() * (g.len() - 1) / 2).sum();
    let mut pairs: Vec<u128> = Vec::with_capacity(count);
    for group in groups {
        for (i, &(key, a)) in group.iter().enumerate() {
            for &(_, b) in &group[i + 1..] {
                pairs.push(pack(a, b, key));
            }
        }
    }
    pairs.sort_unstable();
    let part = |p: u128, shift: u32| (p >> shift) as u32 as usize;
    pairs
        .chunk_by(|x, y| x >> 32 == y >> 32)
        .map(|group| Relation {
            source: NodeRef::Entity((group[0] >> 64) as usize),
            target: NodeRef::Entity(part(group[0], 32)),
            kind: "co_occurs".into(),
            label: None,
            evidence: group
                .iter()
                .map(|&p| window_span[part(p, 0)].expect("a window with entities has a span"))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
