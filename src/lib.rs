//! kgx: knowledge-graph extraction (actors, places, organisations, events) from news text.
pub mod ner;
