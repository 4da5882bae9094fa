//! The knowledge graph: typed nodes and edges over petgraph, each carrying
//! the places in the text that support it.
//!
//! Documents are added one extraction at a time ([`KnowledgeGraph::add`]);
//! an entity joins the node of an earlier document that names the same
//! thing (the resolver's alias keys: `Poetin` joins `Vladimir Poetin`), and so do edges
//! with the same ends and relation, adding up weights and evidence. Exports
//! read the graph through [`KnowledgeGraph::sorted_nodes`] and
//! [`KnowledgeGraph::sorted_edges`], so output never depends on the order in
//! which documents arrived.

use arcstr::ArcStr;
use rustc_hash::FxHashSet;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};
use serde::{Deserialize, Serialize};

use crate::extract::Extraction;
use crate::ner::EntityKind;
use crate::relations::NodeRef;
use crate::resolve::AliasIndex;

/// A node's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A person.
    Person,
    /// An organisation.
    Organisation,
    /// A place.
    Place,
    /// An event.
    Event,
}

impl NodeKind {
    /// All node types, in the order legends list them.
    pub const ALL: [NodeKind; 4] = [
        NodeKind::Person,
        NodeKind::Organisation,
        NodeKind::Place,
        NodeKind::Event,
    ];

    /// The name used in every export.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Organisation => "organisation",
            NodeKind::Place => "place",
            NodeKind::Event => "event",
        }
    }

    /// Parses an export name (`person`, `organisation`/`organization`, `place`, `event`).
    pub fn parse(s: &str) -> Option<NodeKind> {
        match s {
            "person" => Some(NodeKind::Person),
            "organisation" | "organization" => Some(NodeKind::Organisation),
            "place" => Some(NodeKind::Place),
            "event" => Some(NodeKind::Event),
            _ => None,
        }
    }

    /// The node type of an entity kind; `None` for MISC, which is never a node.
    pub fn of_entity(kind: EntityKind) -> Option<NodeKind> {
        match kind {
            EntityKind::Person => Some(NodeKind::Person),
            EntityKind::Organisation => Some(NodeKind::Organisation),
            EntityKind::Place => Some(NodeKind::Place),
            EntityKind::Misc => None,
        }
    }
}

/// A document that contributed to the graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The document id.
    pub id: String,
    /// Where it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Its language code.
    pub language: String,
    /// Its length in bytes.
    pub bytes: u64,
    /// Its publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The outlet or feed it came from (JSON Lines `source`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One place where a node is named.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MentionRef {
    /// The document id (shared: a graph holds one copy of each id, and a
    /// mention one pointer to it).
    pub doc: ArcStr,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The text of the mention (shared between equal texts, see
    /// [`KnowledgeGraph::add`]).
    pub text: ArcStr,
    /// Index of the sentence in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<u32>,
}

/// A span of a document that supports an edge: the sentence stating it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// The document id (shared: a graph holds one copy of each id, and a
    /// span one pointer to it).
    pub doc: ArcStr,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// A node: an actor, organisation, place or event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Stable, readable id: `person:vladimir-putin`, `event:doc:3`.
    pub id: String,
    /// What a person would label it: the fullest name, or the trigger phrase.
    pub label: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: NodeKind,
    /// Other forms of the name, sorted.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Titles and roles the text gives it.
    #[serde(default)]
    pub roles: Vec<String>,
    /// How central the node is, 0..=1 (1 for the most central node).
    #[serde(default)]
    pub salience: f64,
    /// For events: the type from the taxonomy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<ArcStr>,
    /// For events: the time expression as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<ArcStr>,
    /// For events: the time as an ISO date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_iso: Option<ArcStr>,
    /// For events: `asserted`, `hypothetical`, `negated`, `future`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<ArcStr>,
    /// Every place the node is named, sorted by document and offset.
    #[serde(default)]
    pub mentions: Vec<MentionRef>,
}

impl Node {
    /// A node with no mentions or attributes yet.
    pub fn new(id: impl Into<String>, label: impl Into<String>, kind: NodeKind) -> Node {
        Node {
            id: id.into(),
            label: label.into(),
            kind,
            aliases: Vec::new(),
            roles: Vec::new(),
            salience: 0.0,
            event_type: None,
            time: None,
            time_iso: None,
            modality: None,
            mentions: Vec::new(),
        }
    }

    /// How many times the node is named.
    pub fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    /// The first place it is named.
    pub fn first_seen(&self) -> Option<&MentionRef> {
        self.mentions.first()
    }

    /// Takes in another node's names, roles and mentions.
    ///
    /// The result does not depend on which node came first (the longer
    /// label wins, ties go to the alphabetically first; attributes keep the
    /// smaller value), so a corpus merges to the same graph in any order.
    /// Mentions are only appended here: sorting them on every merge would
    /// be quadratic for a hub node, so [`KnowledgeGraph::finalize`] sorts.
    fn absorb(&mut self, other: Node) {
        let (a, b) = (other.label.chars().count(), self.label.chars().count());
        if a > b || (a == b && other.label < self.label) {
            let old = std::mem::replace(&mut self.label, other.label);
            self.aliases.push(old);
        } else if other.label != self.label {
            self.aliases.push(other.label);
        }
        self.aliases.extend(other.aliases);
        let label = &self.label;
        self.aliases.retain(|a| a != label);
        self.aliases.sort();
        self.aliases.dedup();
        self.roles.extend(other.roles);
        self.roles.sort();
        self.roles.dedup();
        extend_gently(&mut self.mentions, other.mentions);
        min_option(&mut self.event_type, other.event_type);
        min_option(&mut self.time, other.time);
        min_option(&mut self.time_iso, other.time_iso);
        min_option(&mut self.modality, other.modality);
    }
}

/// Appends `more` to `list`, growing it by half instead of doubling: a
/// hub's mention and evidence lists are the bulk of a corpus graph, and
/// doubling leaves a quarter of that memory unused on average. Growth stays
/// geometric, so appending stays amortised constant time.
fn extend_gently<T>(list: &mut Vec<T>, more: Vec<T>) {
    let needed = list.len() + more.len();
    if needed > list.capacity() {
        list.reserve_exact(more.len().max(list.len() / 2));
    }
    list.extend(more);
}

/// Keeps the smaller of two optional values (a value beats none), so that
/// merging is independent of order.
fn min_option<T: Ord>(mine: &mut Option<T>, other: Option<T>) {
    if let Some(o) = other {
        match mine {
            Some(m) if *m <= o => {}
            _ => *mine = Some(o),
        }
    }
}

/// An edge: a typed, weighted relation with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// A lowercase word: `co_occurs`, `participant_in`, `role`, ...
    pub relation: String,
    /// The wording in the text, for typed relations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How many times the text supports it.
    pub weight: u32,
    /// The sentence spans that support it, sorted.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// The graph of one or many documents.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    ids: NodeIds,
    edge_ids: EdgeKeys,
    documents: Vec<DocumentInfo>,
    aliases: AliasIndex,
    strings: Interner,
}

fn hash_of(x: impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(x)
}

/// Node ids to node indices. The table holds only indices and compares
/// through the nodes themselves: a map keyed by `String` would keep a
/// second copy of every id, the largest part of an event node.
#[derive(Clone, Debug, Default)]
struct NodeIds(hashbrown::HashTable<NodeIndex>);

type Graph = StableDiGraph<Node, Edge>;

impl NodeIds {
    fn get(&self, graph: &Graph, id: &str) -> Option<NodeIndex> {
        self.0.find(hash_of(id), |&ix| graph[ix].id == id).copied()
    }

    fn insert(&mut self, graph: &Graph, ix: NodeIndex) {
        self.0
            .insert_unique(hash_of(graph[ix].id.as_str()), ix, |&i| {
                hash_of(graph[i].id.as_str())
            });
    }

    /// Forgets a node; call before removing it from the graph.
    fn remove(&mut self, graph: &Graph, ix: NodeIndex) {
        let id = graph[ix].id.as_str();
        if let Ok(entry) = self.0.find_entry(hash_of(id), |&i| i == ix) {
            entry.remove();
        }
    }
}

/// (source, target, relation) to edge indices, comparing through the
/// edges themselves (see [`NodeIds`]).
#[derive(Clone, Debug, Default)]
struct EdgeKeys(hashbrown::HashTable<EdgeIndex>);

impl EdgeKeys {
    fn key(graph: &Graph, ex: EdgeIndex) -> (NodeIndex, NodeIndex, &str) {
        let (a, b) = graph.edge_endpoints(ex).expect("indexed edges exist");
        (a, b, graph[ex].relation.as_str())
    }

    fn get(&self, graph: &Graph, key: (NodeIndex, NodeIndex, &str)) -> Option<EdgeIndex> {
        self.0
            .find(hash_of(key), |&ex| Self::key(graph, ex) == key)
            .copied()
    }

    fn insert(&mut self, graph: &Graph, ex: EdgeIndex) {
        let hash = hash_of(Self::key(graph, ex));
        self.0
            .insert_unique(hash, ex, |&e| hash_of(Self::key(graph, e)));
    }

    /// Keeps the edges that are still in the graph.
    fn retain_existing(&mut self, graph: &Graph) {
        self.0.retain(|ex| graph.edge_weight(*ex).is_some());
    }
}

/// One shared copy of each string the graph repeats: document ids and
/// mention texts. A corpus names the same few thousand things
/// millions of times; a `String` per mention would make memory grow with
/// every mention's bytes instead of one pointer each.
#[derive(Clone, Debug, Default)]
struct Interner(FxHashSet<ArcStr>);

impl Interner {
    /// The shared copy of `s`.
    fn get(&mut self, s: &str) -> ArcStr {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a = ArcStr::from(s);
        self.0.insert(a.clone());
        a
    }

    /// Replaces `a` by the shared copy of its text.
    fn share(&mut self, a: &mut ArcStr) {
        let shared = self.get(a);
        *a = shared;
    }
}

/// A name as a label: runs of whitespace and control characters (a line
/// break, a NUL, a BOM inside a mention) become one space. Mentions keep the
/// exact text; labels are for reading and must survive XML exports.
pub fn clean_name(name: &str) -> String {
    let b = name.as_bytes();
    if b.iter().all(|&c| (0x20..0x7f).contains(&c))
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.windows(2).any(|w| w == b"  ")
    {
        // Printable ASCII with single inner spaces (most names): nothing
        // to fold.
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    for part in name
        .split(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}')
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Lowercase, hyphen-separated form of a name for ids: letters and digits
/// kept (in any script), everything else folded into single hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let add = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    };
    if name.is_ascii() {
        // ASCII lowercases letter by letter: no iterator of lowercase forms.
        for b in name.bytes() {
            add(char::from(b.to_ascii_lowercase()), &mut out);
        }
    } else {
        for c in name.chars().flat_map(char::to_lowercase) {
            add(c, &mut out);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// The documents in the graph (sorted by id once finalized).
    pub fn documents(&self) -> &[DocumentInfo] {
        &self.documents
    }

    /// Records a document. [`finalize`](Self::finalize) sorts them by id,
    /// then path (inserting in order would be quadratic in a corpus whose
    /// ids do not arrive sorted).
    pub fn add_document(&mut self, info: DocumentInfo) {
        self.documents.push(info);
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.ids.get(&self.graph, id).map(|ix| &self.graph[ix])
    }

    /// The underlying petgraph graph, for analysis with petgraph's algorithms.
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }

    /// Adds a node, merging it into the node with the same id if there is
    /// one. Entity nodes join the alias index, so that later documents (and
    /// graphs read back from JSON for `--into` or `merge`) resolve to them.
    pub fn add_node(&mut self, mut node: Node) -> NodeIndex {
        for m in &mut node.mentions {
            self.strings.share(&mut m.doc);
            self.strings.share(&mut m.text);
        }
        self.add_shared_node(node)
    }

    /// [`add_node`](Self::add_node) for a node whose mention documents and
    /// texts are already the graph's shared copies.
    fn add_shared_node(&mut self, node: Node) -> NodeIndex {
        match self.ids.get(&self.graph, &node.id) {
            Some(ix) => {
                // Only names the node did not have yet go to the index: a
                // hub named in every document would otherwise be indexed
                // again for each.
                let known = &self.graph[ix];
                let fresh: Vec<String> = std::iter::once(&node.label)
                    .chain(&node.aliases)
                    .filter(|n| **n != known.label && known.aliases.binary_search(n).is_err())
                    .cloned()
                    .collect();
                self.graph[ix].absorb(node);
                let n = &self.graph[ix];
                if n.kind != NodeKind::Event {
                    if let Some((first, rest)) = fresh.split_first() {
                        self.aliases.insert(&n.id, n.kind.as_str(), first, rest);
                    }
                }
                ix
            }
            None => {
                if node.kind != NodeKind::Event {
                    self.aliases
                        .insert(&node.id, node.kind.as_str(), &node.label, &node.aliases);
                }
                let ix = self.graph.add_node(node);
                self.ids.insert(&self.graph, ix);
                ix
            }
        }
    }

    /// Adds an edge between two existing node ids, merging it into an edge
    /// with the same ends and relation (weights add, evidence unites).
    /// Returns `false` if either id is unknown.
    pub fn add_edge(&mut self, source: &str, target: &str, mut edge: Edge) -> bool {
        let (Some(a), Some(b)) = (
            self.ids.get(&self.graph, source),
            self.ids.get(&self.graph, target),
        ) else {
            return false;
        };
        for v in &mut edge.evidence {
            self.strings.share(&mut v.doc);
        }
        self.add_edge_between(a, b, edge);
        true
    }

    /// [`add_edge`](Self::add_edge) between nodes already found; evidence
    /// documents already shared.
    fn add_edge_between(&mut self, a: NodeIndex, b: NodeIndex, edge: Edge) {
        match self.edge_ids.get(&self.graph, (a, b, &edge.relation)) {
            Some(ex) => {
                let e = &mut self.graph[ex];
                e.weight += edge.weight;
                // Sorted once in `finalize`, not on every merge.
                extend_gently(&mut e.evidence, edge.evidence);
                min_option(&mut e.label, edge.label);
            }
            None => {
                let ex = self.graph.add_edge(a, b, edge);
                self.edge_ids.insert(&self.graph, ex);
            }
        }
    }

    /// Adds one document's extraction: its entities and events become nodes
    /// (joining the node of an earlier document that names the same thing,
    /// found with the resolver's alias keys), its relations edges.
    pub fn add(&mut self, ex: Extraction) {
        let doc = self.strings.get(&ex.document.id);
        let mut entity_ids: Vec<String> = Vec::with_capacity(ex.entities.len());
        let mut entity_ixs: Vec<NodeIndex> = Vec::with_capacity(ex.entities.len());
        for e in &ex.entities {
            let kind = NodeKind::of_entity(e.kind).expect("entities are never MISC");
            // Two entities of one document were kept apart on purpose (say,
            // two people called Smith): never join both to one node.
            let found = self
                .aliases
                .find(kind.as_str(), &e.label, &e.aliases, |id| {
                    self.ids.get(&self.graph, id).is_none() || entity_ids.iter().any(|x| x == id)
                });
            let id = found.unwrap_or_else(|| {
                let base = format!("{}:{}", kind.as_str(), slug(&e.label));
                let mut id = base.clone();
                let mut n = 1;
                while self.ids.get(&self.graph, &id).is_some() || entity_ids.contains(&id) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                id
            });
            let mut node = Node::new(id.clone(), clean_name(&e.label), kind);
            node.aliases = e.aliases.iter().map(|a| clean_name(a)).collect();
            node.aliases.retain(|a| *a != node.label);
            node.aliases.sort();
            node.aliases.dedup();
            node.roles = e.roles.clone();
            node.mentions = e
                .mentions
                .iter()
                .map(|&m| {
                    let m = &ex.mentions[m];
                    MentionRef {
                        // The document's own id, nearly always: shared already.
                        doc: if m.doc == doc {
                            doc.clone()
                        } else {
                            self.strings.get(&m.doc)
                        },
                        text: self.strings.get(&m.text),
                        ..m.clone()
                    }
                })
                .collect();
            entity_ixs.push(self.add_shared_node(node));
            entity_ids.push(id);
        }
        let mut event_ixs = Vec::with_capacity(ex.events.len());
        for (i, ev) in ex.events.iter().enumerate() {
            let id = format!("event:{}:{}", doc, i);
            let mut node = Node::new(id, clean_name(&ev.label), NodeKind::Event);
            // Event types, times and modalities repeat: one copy each.
            node.event_type = Some(self.strings.get(&ev.event_type));
            node.time = ev.time.as_deref().map(|t| self.strings.get(t));
            node.time_iso = ev.time_iso.as_deref().map(|t| self.strings.get(t));
            node.modality = ev.modality.as_deref().map(|t| self.strings.get(t));
            node.mentions = ev
                .mentions
                .iter()
                .map(|m| MentionRef {
                    doc: doc.clone(),
                    start: m.span.start,
                    end: m.span.end,
                    text: self.strings.get(&m.text),
                    sentence: Some(m.sentence as u32),
                })
                .collect();
            event_ixs.push(self.add_shared_node(node));
        }
        let ix_of = |r: NodeRef| match r {
            NodeRef::Entity(i) => entity_ixs[i],
            NodeRef::Event(i) => event_ixs[i],
        };
        for rel in ex.relations {
            let (s, t) = (ix_of(rel.source), ix_of(rel.target));
            let evidence: Vec<Evidence> = rel
                .evidence
                .iter()
                .map(|sp| Evidence {
                    doc: doc.clone(),
                    start: sp.start,
                    end: sp.end,
                })
                .collect();
            self.add_edge_between(
                s,
                t,
                Edge {
                    relation: rel.kind,
                    label: rel.label,
                    weight: evidence.len().max(1) as u32,
                    evidence,
                },
            );
        }
        self.add_document(ex.document);
    }

    /// Makes the graph ready to export after the last [`add`](Self::add):
    /// sorts and deduplicates mentions and evidence (appended unsorted while
    /// adding, to keep merging linear) and recomputes salience.
    pub fn finalize(&mut self) {
        self.sort_references();
        self.compute_salience();
    }

    /// Sorts (and dedups) every node's mentions and every edge's evidence:
    /// the canonical order the exports write.
    pub(crate) fn sort_references(&mut self) {
        self.documents
            .sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
        for n in self.graph.node_weights_mut() {
            n.mentions.sort();
            n.mentions.dedup();
        }
        for e in self.graph.edge_weights_mut() {
            e.evidence.sort();
            e.evidence.dedup();
        }
    }

    /// Recomputes every node's salience: mentions count most, links to
    /// distinct neighbours next; scaled so the most central node has 1.
    pub fn compute_salience(&mut self) {
        let ixs: Vec<NodeIndex> = self.graph.node_indices().collect();
        let mut raw = Vec::with_capacity(ixs.len());
        for &ix in &ixs {
            let mut neighbours: Vec<NodeIndex> = self.graph.neighbors_undirected(ix).collect();
            neighbours.sort_unstable();
            neighbours.dedup();
            let mentions = self.graph[ix].mention_count() as f64;
            raw.push((1.0 + mentions).ln() + 0.25 * (1.0 + neighbours.len() as f64).ln());
        }
        let max = raw.iter().cloned().fold(0.0f64, f64::max);
        for (&ix, r) in ixs.iter().zip(raw) {
            let s = if max > 0.0 { r / max } else { 0.0 };
            // Rounded so that the exports stay short and byte-stable.
            self.graph[ix].salience = (s * 10000.0).round() / 10000.0;
        }
    }

    /// All nodes, sorted by id.
    pub fn sorted_nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.graph.node_weights().collect();
        // Ids are unique: an unstable sort gives the one order.
        v.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// All edges as `(source, target, edge)`, sorted by source id, target id and relation.
    pub fn sorted_edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        // Each node's place in id order, so that edges sort by two numbers
        // and compare strings only between parallel edges (ids are unique,
        // so the places order the edges as the ids would).
        let mut order: Vec<NodeIndex> = self.graph.node_indices().collect();
        order.sort_unstable_by(|&a, &b| self.graph[a].id.cmp(&self.graph[b].id));
        let mut rank = vec![0u32; self.graph.node_bound()];
        for (r, ix) in order.iter().enumerate() {
            rank[ix.index()] = r as u32;
        }
        let mut v: Vec<(u64, &Node, &Node, &Edge)> = self
            .graph
            .edge_references()
            .map(|e| {
                let (s, t) = (e.source(), e.target());
                let key = (u64::from(rank[s.index()]) << 32) | u64::from(rank[t.index()]);
                (key, &self.graph[s], &self.graph[t], e.weight())
            })
            .collect();
        // Edges with one pair of ends are few: sorted by relation (unique
        // among them) after the sort by ends, in place.
        v.sort_unstable_by_key(|x| x.0);
        for run in v.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| a.3.relation.cmp(&b.3.relation));
            }
        }
        v.into_iter().map(|(_, s, t, e)| (s, t, e)).collect()
    }

    /// Keeps only the nodes for which `keep` is true (and the edges between them).
    pub fn retain_nodes(&mut self, mut keep: impl FnMut(&Node) -> bool) {
        let drop: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&ix| !keep(&self.graph[ix]))
            .collect();
        for ix in drop {
            self.ids.remove(&self.graph, ix);
            self.graph.remove_node(ix);
        }
        self.edge_ids.retain_existing(&self.graph);
    }

    /// Keeps only the edges for which `keep` is true.
    pub fn retain_edges(&mut self, mut keep: impl FnMut(&Edge) -> bool) {
        let drop: Vec<EdgeIndex> = self
            .graph
            .edge_indices()
            .filter(|&ex| !keep(&self.graph[ex]))
            .collect();
        for ex in drop {
            self.graph.remove_edge(ex);
        }
        self.edge_ids.retain_existing(&self.graph);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(relation: &str) -> Edge {
        Edge {
            relation: relation.into(),
            label: None,
            weight: 1,
            evidence: vec![],
        }
    }

    #[test]
    fn id_and_edge_indexes_follow_removals() {
        let mut g = KnowledgeGraph::new();
        for id in ["a", "b", "c"] {
            g.add_node(Node::new(id, id.to_uppercase(), NodeKind::Place));
        }
        assert!(g.add_edge("a", "b", edge("located_in")));
        assert!(g.add_edge("a", "b", edge("co_occurs")));
        assert!(g.add_edge("a", "b", edge("located_in")));
        assert_eq!(g.edge_count(), 2);
        g.retain_nodes(|n| n.id != "b");
        assert!(g.node("b").is_none());
        assert!(!g.add_edge("a", "b", edge("located_in")));
        // Slots freed by the removal are reused: lookups must not see the old node.
        g.add_node(Node::new("d", "D", NodeKind::Place));
        g.add_node(Node::new("b", "B again", NodeKind::Place));
        assert_eq!(g.node("b").map(|n| n.label.as_str()), Some("B again"));
        assert_eq!(g.node("d").map(|n| n.label.as_str()), Some("D"));
        assert!(g.add_edge("a", "b", edge("located_in")));
        assert!(g.add_edge("a", "b", edge("located_in")));
        assert!(g.add_edge("c", "d", edge("co_occurs")));
        assert_eq!(g.edge_count(), 2);
        let weights: Vec<u32> = g.sorted_edges().iter().map(|e| e.2.weight).collect();
        assert_eq!(weights, vec![2, 1]);
        g.retain_edges(|e| e.relation != "co_occurs");
        assert!(g.add_edge("c", "d", edge("co_occurs")));
        assert_eq!(g.edge_count(), 2);
    }
}
