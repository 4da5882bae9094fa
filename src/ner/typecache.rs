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

use super::features::{
    near_cluster, near_lex, own_cluster, own_initial, own_lex, pusher, tok_info, Tok, T,
};
use super::hash::hash_str;
use super::model::{prefetch, Stage, NUM_LABELS};
use super::resources::Resources;

/// Word types kept before the cache is purged (at a document start, see
/// [`TypeCache::purge`]): about 330 bytes each, so the cache stays under
/// 22 MB per thread and model.
const MAX_TYPES: usize = 1 << 16;

/// Neighbour offsets, in the order of [`Entry::near`].
pub(super) const NEAR: [isize; 4] = [-2, -1, 1, 2];

/// A word form as the cache stores it: inline if short (nearly all are),
/// so that checking a hit reads no other memory than the entry.
#[derive(Clone, Copy)]
struct Key {
    len: u32,
    /// Start in [`TypeCache::keys`] of a form longer than `short`.
    start: u32,
    /// A short form, zero-padded.
    short: [u8; 16],
}

impl Key {
    fn new(word: &[u8], keys: &mut Vec<u8>) -> Key {
        let mut k = Key {
            len: word.len() as u32,
            start: 0,
            short: [0; 16],
        };
        if word.len() <= k.short.len() {
            k.short[..word.len()].copy_from_slice(word);
        } else {
            k.start = keys.len() as u32;
            keys.extend_from_slice(word);
        }
        k
    }

    fn bytes<'a>(&'a self, keys: &'a [u8]) -> &'a [u8] {
        let n = self.len as usize;
        if n <= self.short.len() {
            &self.short[..n]
        } else {
            &keys[self.start as usize..self.start as usize + n]
        }
    }

    #[inline]
    fn matches(&self, word: &[u8], keys: &[u8]) -> bool {
        if word.len() != self.len as usize {
            return false;
        }
        if word.len() <= self.short.len() {
            let mut padded = [0u8; 16];
            padded[..word.len()].copy_from_slice(word);
            padded == self.short
        } else {
            self.bytes(keys) == word
        }
    }
}

/// Hash of a word form -> entry: open addressing with linear probing, a
/// slot holding the upper half of the hash and the entry (8 bytes, so that
/// a probe mostly reads one cache line).
#[derive(Default)]
struct Index {
    /// `tag << 32 | (entry + 1)`, 0 for an empty slot.
    slots: Vec<u64>,
    len: usize,
}

impl Index {
    #[inline]
    fn tag(h: u64) -> u64 {
        h >> 32
    }

    /// Entries whose hash has the same upper half as `h`, in probe order,
    /// passed to `is_it` until it says yes.
    #[inline]
    fn find(&self, h: u64, mut is_it: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let v = self.slots[i];
            if v == 0 {
                return None;
            }
            if v >> 32 == Self::tag(h) && is_it((v as u32) - 1) {
                return Some((v as u32) - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// Start loading the slot where a probe for `h` begins.
    #[inline]
    fn prefetch(&self, h: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[h as usize & (self.slots.len() - 1)]);
        }
    }

    /// The first candidate entry for `h` (to be checked by the caller).
    #[inline]
    fn first(&self, h: u64) -> Option<u32> {
        self.find(h, |_| true)
    }

    /// Add entry `e` with hash `h`; the table must have room
    /// ([`Index::full`] false).
    fn insert(&mut self, h: u64, e: u32) {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = Self::tag(h) << 32 | (e as u64 + 1);
        self.len += 1;
    }

    /// True if one more entry would fill the table over half (probe runs
    /// then get long).
    fn full(&self) -> bool {
        (self.len + 1) * 2 > self.slots.len()
    }

    /// Empty the table, with room for `n` entries.
    fn reset(&mut self, n: usize) {
        let size = (n * 2).next_power_of_two().max(1024);
        if size > self.slots.len() {
            self.slots = vec![0; size];
        } else {
            self.slots.iter_mut().for_each(|v| *v = 0);
        }
        self.len = 0;
    }
}

/// What the cache keeps for one word form.
pub(super) struct Entry {
    key: Key,
    /// Hash of the form.
    hash: u64,
    /// Look-ups since the last purge.
    hits: u32,
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
    index: Index,
    /// Forms too long for [`Key::short`].
    keys: Vec<u8>,
    entries: Vec<Entry>,
    hashes: Vec<u64>,
    /// Capacity, [`MAX_TYPES`] (smaller in tests).
    max_types: usize,
    /// Purges so far.
    purges: u64,
    /// Contributions of the sentence boundary in place of a neighbour.
    boundary: [[i32; NUM_LABELS]; 4],
    lower: String,
    tmp: String,
    feats: Vec<u32>,
    offs: Vec<u32>,
    ridx: Vec<u32>,
}

impl TypeCache {
    /// An empty cache for the model `owner` whose stage 1 is `st`.
    pub(crate) fn new(owner: u64, st: &Stage, bits: u32) -> TypeCache {
        let mut c = TypeCache {
            owner,
            bits,
            index: Index::default(),
            keys: Vec::new(),
            entries: Vec::new(),
            hashes: Vec::new(),
            max_types: MAX_TYPES,
            purges: 0,
            boundary: [[0; NUM_LABELS]; 4],
            lower: String::new(),
            tmp: String::new(),
            feats: Vec::new(),
            offs: Vec::new(),
            ridx: Vec::new(),
        };
        for (slot, &k) in NEAR.iter().enumerate() {
            c.boundary[slot] = c.boundary_sum(st, k);
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
        if self.entries.len() >= self.max_types {
            self.purge();
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

    /// The entries of `words` (computed on first sight), appended to
    /// `ents`. All index probes go first, then all entry reads: the loads
    /// of each pass are independent, so their cache misses overlap.
    pub(super) fn resolve<'a>(
        &mut self,
        words: impl Iterator<Item = &'a str> + Clone,
        res: &Resources,
        st: &Stage,
        ents: &mut Vec<u32>,
    ) {
        let first = ents.len();
        self.hashes.clear();
        for w in words.clone() {
            let h = hash_str(w);
            self.hashes.push(h);
            self.index.prefetch(h);
        }
        for &h in &self.hashes {
            let e = self.index.first(h).unwrap_or(u32::MAX);
            if let Some(entry) = self.entries.get(e as usize) {
                // All of it is read: key, token information, sums.
                prefetch(entry);
                prefetch(&entry.tok);
                prefetch(&entry.own[1]);
                prefetch(&entry.near[0]);
                prefetch(&entry.near[2]);
                prefetch(&entry.near[3][NUM_LABELS - 1]);
            }
            ents.push(e);
        }
        for (k, w) in words.enumerate() {
            let e = ents[first + k];
            let hit = e != u32::MAX && {
                let entry = &mut self.entries[e as usize];
                let hit = entry.key.matches(w.as_bytes(), &self.keys);
                entry.hits = entry.hits.saturating_add(hit as u32);
                hit
            };
            if !hit {
                ents[first + k] = self.lookup(self.hashes[k], w, res, st);
            }
        }
    }

    /// The entry of a word form with hash `h`, computed on first sight.
    fn lookup(&mut self, h: u64, word: &str, res: &Resources, st: &Stage) -> u32 {
        // An earlier token of the same document may have added it.
        let (entries, keys) = (&self.entries, &self.keys);
        let found = self.index.find(h, |e| {
            entries[e as usize].key.matches(word.as_bytes(), keys)
        });
        match found {
            Some(e) => e,
            None => self.insert(h, word, res, st),
        }
    }

    #[cold]
    fn insert(&mut self, h: u64, word: &str, res: &Resources, st: &Stage) -> u32 {
        self.lower.clear();
        let tok = tok_info(word, res, &mut self.lower, &mut self.tmp);
        // Segments of `feats`: own features (not sentence-initial), the
        // features the sentence-initial flag changes with the flag and
        // without it (the initial variant is summed as the difference), and
        // the four neighbour offsets.
        let bits = self.bits;
        self.feats.clear();
        self.offs.clear();
        self.offs.push(0);
        {
            let mut push = pusher(bits, &mut self.feats);
            own_lex(&tok, &self.lower, &mut push);
            own_cluster(&tok, &mut push);
        }
        self.offs.push(self.feats.len() as u32);
        own_initial(&tok.initial(), &mut pusher(bits, &mut self.feats));
        self.offs.push(self.feats.len() as u32);
        own_initial(&tok, &mut pusher(bits, &mut self.feats));
        self.offs.push(self.feats.len() as u32);
        for &k in &NEAR {
            near_feats(k, Some(&tok), &mut pusher(bits, &mut self.feats));
            self.offs.push(self.feats.len() as u32);
        }
        let mut sums = [[0; NUM_LABELS]; 7];
        st.accumulate_all(&self.feats, &self.offs, &mut sums, &mut self.ridx);
        let mut initial = sums[0];
        for (x, (p, m)) in initial.iter_mut().zip(sums[1].iter().zip(&sums[2])) {
            *x += p - m;
        }
        let e = self.entries.len() as u32;
        self.entries.push(Entry {
            key: Key::new(word.as_bytes(), &mut self.keys),
            hash: h,
            hits: 0,
            tok,
            own: [sums[0], initial],
            near: [sums[3], sums[4], sums[5], sums[6]],
        });
        if self.index.full() {
            self.index.reset(2 * self.entries.len());
            for (k, entry) in self.entries.iter().enumerate() {
                self.index.insert(entry.hash, k as u32);
            }
        } else {
            self.index.insert(h, e);
        }
        e
    }

    /// Keep (at most half of the capacity of) the entries used most since
    /// the last purge, so that the frequent forms stay.
    fn purge(&mut self) {
        self.purges += 1;
        let mut hits: Vec<u32> = self.entries.iter().map(|e| e.hits).collect();
        let keep = self.max_types / 2;
        // Entries with more hits than the `keep`-th most used one stay (ties
        // at that count go, so at most `keep` remain).
        let cut = if hits.len() > keep {
            *hits.select_nth_unstable_by(keep, |a, b| b.cmp(a)).1
        } else {
            0
        };
        // In place, so that the memory stays allocated.
        let old_keys = std::mem::take(&mut self.keys);
        let keys = &mut self.keys;
        self.entries.retain_mut(|e| {
            let keep = e.hits > cut;
            if keep {
                e.key = Key::new(e.key.bytes(&old_keys), keys);
            }
            keep
        });
        self.index.reset(self.max_types);
        for (k, e) in self.entries.iter_mut().enumerate() {
            e.hits = 0;
            self.index.insert(e.hash, k as u32);
        }
    }

    /// Summed weights of the features a token gets from the sentence
    /// boundary at offset `k`.
    fn boundary_sum(&mut self, st: &Stage, k: isize) -> [i32; NUM_LABELS] {
        self.feats.clear();
        near_feats(k, None, &mut pusher(self.bits, &mut self.feats));
        let mut sum = [0; NUM_LABELS];
        st.accumulate(&self.feats, &mut sum);
        sum
    }
}

/// The features a token gets from its neighbour `o` (`None`: the sentence
/// boundary) at offset `k`. The neighbour's offset, not the token's, is what
/// the feature records: a token at `i` sees its neighbour at `i + k`
/// through offset `k`.
fn near_feats(k: isize, o: Option<&Tok>, push: &mut impl FnMut(T, u64)) {
    near_lex(k, o, push);
    if k.abs() == 1 {
        near_cluster(k, o, push);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::Scratch;
    use crate::ner::Tagger;

    /// Documents of made-up sentences with repeated, capitalised, quoted,
    /// long, non-ASCII and gazetteer words.
    fn documents() -> Vec<Vec<Vec<String>>> {
        let sentences = [
            "De burgemeester van Den Haag opende dinsdag het nieuwe stadhuis .",
            "Volgens \" Karel Smitsma \" ( 54 ) is de arbeidsongeschiktheidsverzekering te duur .",
            "KAREL SMITSMA werkte eerder in Zürich en Verenigde Staten , zei hij .",
            "Het bedrijf Tromvaart BV meldt een winst van 3,5 miljoen euro .",
            "Smitsma en Tromvaart tekenden in het café aan de Maas een contract .",
            "In New York opende Tromvaart een kantoor ; Smitsma leidt het .",
        ];
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let mut docs = Vec::new();
        for d in 0..4 {
            let mut doc: Vec<Vec<String>> = Vec::new();
            for (k, s) in sentences
                .iter()
                .enumerate()
                .skip(d)
                .chain(sentences.iter().enumerate())
            {
                let mut w = words(s);
                // New forms in every document, so that the cache fills up.
                w.push(format!("Woord{}x{}", d, k));
                doc.push(w);
            }
            doc.push(Vec::new());
            doc.push(vec!["Alleen".to_string()]);
            docs.push(doc);
        }
        docs
    }

    #[test]
    fn cached_scores_equal_the_sums_of_all_features() {
        let tagger = Tagger::embedded("nl").expect("embedded nl model");
        let (res, st, bits) = (tagger.res, &tagger.w.stages[0], tagger.w.bits);
        let mut cache = TypeCache::new(u64::MAX, st, bits);
        // Small enough that the cache is purged between documents.
        cache.max_types = 40;
        let (mut full, mut fast) = (Scratch::default(), Scratch::default());
        for doc in documents() {
            full.extract(res, bits, &doc);
            let want: Vec<[i32; NUM_LABELS]> = full
                .offs
                .windows(2)
                .map(|o| {
                    let mut acc = [0; NUM_LABELS];
                    st.accumulate(&full.feats[o[0] as usize..o[1] as usize], &mut acc);
                    acc
                })
                .collect();
            let mut got = Vec::new();
            fast.scores(res, st, &doc, &mut cache, &mut got);
            assert_eq!(got, want);
        }
        assert!(cache.purges > 0, "the test should exercise purging");
    }

    #[test]
    fn the_initial_flag_changes_only_the_features_own_initial_lists() {
        let tagger = Tagger::embedded("nl").expect("embedded nl model");
        // Without the features `own_initial` lists, both variants of a form
        // have the same features.
        let rest = |t: &Tok, lower: &str| {
            let (mut all, mut flagged) = (Vec::new(), Vec::new());
            {
                let mut push = pusher(tagger.w.bits, &mut all);
                own_lex(t, lower, &mut push);
                own_cluster(t, &mut push);
            }
            own_initial(t, &mut pusher(tagger.w.bits, &mut flagged));
            for f in flagged {
                let k = all.iter().position(|&g| g == f).expect("a listed feature");
                all.remove(k);
            }
            all.sort_unstable();
            all
        };
        for w in [
            "de", "Den", "HAAG", "Smitsma", "3,5", "\"", "café", "Zürich",
        ] {
            let (mut lower, mut tmp) = (String::new(), String::new());
            let t = tok_info(w, tagger.res, &mut lower, &mut tmp);
            assert_eq!(rest(&t, &lower), rest(&t.initial(), &lower), "{w}");
        }
    }

    #[test]
    fn keys_match_only_their_own_form() {
        let mut keys = Vec::new();
        for w in ["", "a", "sixteen-letters!", "seventeen letters", "café"] {
            let k = Key::new(w.as_bytes(), &mut keys);
            assert!(k.matches(w.as_bytes(), &keys), "{w}");
            assert_eq!(k.bytes(&keys), w.as_bytes());
            for other in ["b", "sixteen-letters?", "seventeen letterz", "cafe", "a\0"] {
                assert!(!k.matches(other.as_bytes(), &keys), "{w} vs {other}");
            }
        }
    }
}
