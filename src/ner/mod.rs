//! The ner stage: a [`Document`] in, [`Mention`]s of persons, organisations,
//! places (and MISC names) out.

mod rules;

pub use rules::rule_mentions;

use crate::text::{Document, Span};

/// What a mention names.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation: a party, company, government body, army, newspaper.
    Organisation,
    /// A place: country, region, city, geographic feature.
    Place,
    /// Other names (events, nationalities, titles of works): never a graph node.
    Misc,
}

impl EntityKind {
    /// The name used in the JSON export (`person`, `organisation`, `place`, `misc`).
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
    /// Byte span of the name (no title, no article).
    pub span: Span,
    /// What the name refers to.
    pub kind: EntityKind,
    /// Token indices of the name.
    pub tokens: std::ops::Range<usize>,
    /// Index of the sentence holding it.
    pub sentence: usize,
}

/// Finds the names in a document.
pub fn find_mentions(doc: &Document) -> Vec<Mention> {
    rule_mentions(doc)
}
