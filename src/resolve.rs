//! The resolve stage: [`Mention`]s in, [`Entity`]s out.
//!
//! Mentions that name the same real-world thing become one entity: repeated
//! names, and a surname after the full name (`Ramzan Kadyrov` … `Kadyrov`).

use crate::ner::{EntityKind, Mention};
use crate::text::Document;

/// One real-world actor, organisation or place in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// What it is (never [`EntityKind::Misc`]).
    pub kind: EntityKind,
    /// The fullest name the text gives.
    pub label: String,
    /// Every other form of the name seen, sorted.
    pub aliases: Vec<String>,
    /// Titles and roles the text gives it (`president`, `minister`).
    pub roles: Vec<String>,
    /// Indices into the mention list handed to [`resolve`], in text order.
    pub mentions: Vec<usize>,
}

/// Groups mentions into entities. MISC mentions are left out.
pub fn resolve(doc: &Document, mentions: &[Mention]) -> Vec<Entity> {
    let mut entities: Vec<Entity> = Vec::new();
    for (mi, m) in mentions.iter().enumerate() {
        if m.kind == EntityKind::Misc {
            continue;
        }
        let name = doc.slice(m.span);
        let found = entities.iter_mut().find(|e| {
            e.kind == m.kind
                && (e.label == name
                    || e.aliases.iter().any(|a| a == name)
                    || e.label.rsplit(' ').next() == Some(name))
        });
        match found {
            Some(e) => {
                if e.label != name && !e.aliases.iter().any(|a| a == name) {
                    e.aliases.push(name.to_string());
                }
                e.mentions.push(mi);
            }
            None => entities.push(Entity {
                kind: m.kind,
                label: name.to_string(),
                aliases: Vec::new(),
                roles: Vec::new(),
                mentions: vec![mi],
            }),
        }
    }
    for e in &mut entities {
        e.aliases.sort();
    }
    entities
}
