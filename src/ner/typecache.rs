//! Per-word-type cache for inference.
//!
//! About half of a token's stage-1 features depend on its word form alone
//! (word, prefixes, suffixes, shape, clusters, ...) or on the form of one
//! neighbour (that neighbour's form, shape and clusters at offset ±1, ±2).
//! News text repeats its word forms, so the token information and the summed
//! weights of those features are computed once per form and model, and a
//! token then costs one hash look-up plus its few context features. Integer
//! sums do not depend on the order of addition: scores are exactly those of
//! summing every feature (a test checks this).

use super::features::{near_cluster, near_lex, own_cluster, own_lex, pusher, tok_info, Tok};
use super::hash::hash_str;
use super::model::{Stage, NUM_LABELS};
use super::resources::Resources;
use rustc_hash::FxHashMap;

/// Word types kept before the cache is emptied (at a document start): about
/// 300 bytes each, so the cache stays near 10 MB per thread and model.
const MAX_TYPES: usize = 1 << 15;

/// Neighbour offsets, in the order of [`Entry::near`].
pub(super) const NEAR: [isize; 4] = [-2, -1, 1, 2];

/// What the cache keeps for one word form.
pub(super) struct Entry {
    /// Byte range of the form in [`TypeCache::keys`].
    key: (u32, u32),
    /// Token information, without the position-dependent parts.
    pub tok: Tok,
    /// Summed weights of the form's own features, not sentence-initial / sentence-initial.
    pub own: [[i32; NUM_LABELS]; 2],
    /// Summed weights of the features it gives a token at offset [`NEAR`]`[k]` from it.
    pub near: [[i32; NUM_LABELS]; 4],
}

/// Token information and partial scores per word form for one model.
pub(crate) struct TypeCache {
    /// Identity of the model the sums belong to (see `Tagger::id`).
    owner: u64,
    bits: u32,
    /// Hash of the form -> entry.
    index: FxHashMap<u64, u32>,
    keys: Vec<u8>,
    entries: Vec<Entry>,
    /// Contributions of the sentence boundary in place of a neighbour.
    boundary: [[i32; NUM_LABELS]; 4],
    lower: String,
    tmp: String,
    feats: Vec<u32>,
}

impl TypeCache {
    /// An empty cache for the model `owner` whose stage 1 is `st`.
    pub(crate) fn new(owner: u64, st: &Stage, bits: u32) -> TypeCache {
        let mut c = TypeCache {
            owner,
            bits,
            index: FxHashMap::default(),
            keys: Vec::new(),
            entries: Vec::new(),
            boundary: [[0; NUM_LABELS]; 4],
            lower: String::new(),
            tmp: String::new(),
            feats: Vec::new(),
        };
        for (slot, &k) in NEAR.iter().enumerate() {
            c.boundary[slot] = c.near_sum(st, k, None);
        }
        c
    }

    /// The model this cache belongs to.
    pub(crate) fn owner(&self) -> u64 {
        self.owner
    }

    /// Table size (log2) of the model.
    pub(super) fn bits(&self) -> u32 {
        self.bits
    }

    /// Call before the tokens of a document are looked up: entry indices
    /// stay valid until the next call.
    pub(super) fn begin_document(&mut self) {
        if self.entries.len() >= MAX_TYPES {
            self.index.clear();
            self.keys.clear();
            self.entries.clear();
        }
    }

    /// Contributions of the sentence boundary at [`NEAR`] offsets.
    #[inline]
    pub(super) fn boundary(&self) -> &[[i32; NUM_LABELS]; 4] {
        &self.boundary
    }

    /// Entry `e` as returned by [`TypeCache::lookup`].
    #[inline]
    pub(super) fn entry(&self, e: u32) -> &Entry {
        &self.entries[e as usize]
    }

    /// The entry of a word form, computed on first sight.
    #[inline]
    pub(super) fn lookup(&mut self, word: &str, res: &Resources, st: &Stage) -> u32 {
        let h = hash_str(word);
        if let Some(&e) = self.index.get(&h) {
            let (a, b) = self.entries[e as usize].key;
            if &self.keys[a as usize..b as usize] == word.as_bytes() {
                return e;
            }
        }
        self.insert(h, word, res, st)
    }

    #[cold]
    fn insert(&mut self, h: u64, word: &str, res: &Resources, st: &Stage) -> u32 {
        self.lower.clear();
        let tok = tok_info(word, res, &mut self.lower, &mut self.tmp);
        let mut own = [[0; NUM_LABELS]; 2];
        for (init, sum) in own.iter_mut().enumerate() {
            let t = if init == 1 { tok.initial() } else { tok };
            self.feats.clear();
            {
                let mut push = pusher(self.bits, &mut self.feats);
                own_lex(&t, &self.lower, &mut push);
                own_cluster(&t, &mut push);
            }
            st.accumulate(&self.feats, sum);
        }
        let mut near = [[0; NUM_LABELS]; 4];
        for (slot, &k) in NEAR.iter().enumerate() {
            near[slot] = self.near_sum(st, k, Some(&tok));
        }
        let start = self.keys.len() as u32;
        self.keys.extend_from_slice(word.as_bytes());
        let e = self.entries.len() as u32;
        self.entries.push(Entry {
            key: (start, self.keys.len() as u32),
            tok,
            own,
            near,
        });
        // On a hash collision the newer form takes the slot; the older
        // one's entry stays valid for the current document.
        self.index.insert(h, e);
        e
    }

    /// Summed weights of the features a token gets from neighbour `o`
    /// (`None`: the sentence boundary) at offset `k`. The neighbour's
    /// offset, not the token's, is what the feature records: a token at
    /// `i` sees its neighbour at `i + k` through offset `k`.
    fn near_sum(&mut self, st: &Stage, k: isize, o: Option<&Tok>) -> [i32; NUM_LABELS] {
        self.feats.clear();
        {
            let mut push = pusher(self.bits, &mut self.feats);
            near_lex(k, o, &mut push);
            if k.abs() == 1 {
                near_cluster(k, o, &mut push);
            }
        }
        let mut sum = [0; NUM_LABELS];
        st.accumulate(&self.feats, &mut sum);
        sum
    }
}
