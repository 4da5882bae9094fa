//! The events stage: what happened, when, where and who took part.

use crate::ner::Mention;
use crate::resolve::Entity;
use crate::text::{Document, Span};

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

/// Finds the events of a document.
pub fn find_events(_doc: &Document, _mentions: &[Mention], _entities: &[Entity]) -> Vec<Event> {
    Vec::new()
}
