//! kgx: a knowledge-graph extractor for news and report text.
//!
//! The pipeline is a chain of plain stages, each a module with one entry
//! point and a plain data type handed to the next:
//!
//! ```text
//! bytes ─text─▶ Document ─ner─▶ Vec<Mention> ─resolve─▶ Vec<Entity>
//!       ─events─▶ Vec<Event> ─relations─▶ Vec<Relation>
//!       ─graph─▶ KnowledgeGraph ─export─▶ json | dot | ...
//! ```
//!
//! [`Extractor`] owns the settings and runs the stages; language-specific
//! knowledge lives in `resources/<lang>/` and is read by [`lang::Language`].
//!
//! ```
//! let ex = kgx::Extractor::default();
//! let graph = ex.extract_text("doc", "Minister Jan Smit sprak in Utrecht met de NAVO.");
//! assert!(graph.node_count() > 0);
//! ```

pub mod corpus;
pub mod events;
pub mod export;
pub mod extract;
pub mod graph;
pub mod import;
pub mod input;
pub mod lang;
pub mod ner;
pub mod output;
mod radix;
pub mod relations;
pub mod resolve;
pub mod text;
pub mod timing;

pub use extract::{Extraction, Extractor, Options};
pub use graph::KnowledgeGraph;
