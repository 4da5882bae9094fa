//! Hashed feature extraction.
//!
//! Every feature is a (template, value) pair hashed to a bucket of a fixed
//! size weight table. Extraction works per document so that document-level
//! features can look at every sentence; all buffers live in [`Scratch`] and
//! are reused, so the per-token work allocates nothing.

use super::hash::{hash_bytes, hash_str, mix};
use super::model::{Stage, NUM_LABELS};
use super::resources::{
    gaz_pos_bit, lower_into, seq_extend, Resources, GAZ_MAX_LEN, GAZ_TYPES, NCL, SEQ_SEED,
};
use super::stacked::StackTables;
use super::typecache::{TypeCache, NEAR};
use rustc_hash::FxHashMap;

// Token flags.
const F_CAP: u32 = 1;
const F_ALLCAPS: u32 = 2;
const F_DIGIT: u32 = 4;
const F_ALLDIGIT: u32 = 8;
const F_HYPHEN: u32 = 16;
const F_PUNCT: u32 = 32;
const F_INITIAL: u32 = 64;
const F_COMMON: u32 = 128;
const F_APOS: u32 = 256;
const F_LOWER: u32 = 512;
const F_DOT: u32 = 1024;
const F_ALPHA: u32 = 2048;

// Document bits.
const D_LOWER: u8 = 1;
const D_CAP_MID: u8 = 2;
const D_CAP_INIT: u8 = 4;
const D_UPPER: u8 = 8;

/// What feature extraction knows about one token.
#[derive(Clone, Copy, Default)]
pub(super) struct Tok {
    wh: u64,
    lh: u64,
    shape: u64,
    short_shape: u64,
    flags: u32,
    gaz: u8,
    /// Gazetteer types of the lowercase form on its own.
    gaz1: u8,
    /// Positions in multi-token gazetteer entries ([`Resources::gaz_pos`]).
    gaz_pos: u16,
    cl: [u16; NCL],
    lower_start: u32,
    lower_end: u32,
    nchars: u32,
    prev_lh: u64,
    next_lh: u64,
    /// Inside a pair of quotes / parentheses (bit 0 / bit 1).
    encl: u8,
}

/// Reusable buffers for feature extraction.
#[derive(Default)]
pub(crate) struct Scratch {
    toks: Vec<Tok>,
    lower: String,
    tmp: String,
    doc: FxHashMap<u64, u8>,
    /// Feature bucket ids of every token of the document, flattened.
    pub feats: Vec<u32>,
    /// `feats[offs[i]..offs[i + 1]]` are the features of token `i`.
    pub offs: Vec<u32>,
    /// Sentence lengths of the document.
    pub sent_lens: Vec<usize>,
    types: FxHashMap<u64, [u16; 5]>,
    /// Capitalised occurrences `(lower hash, token index)`, sorted.
    occ: Vec<(u64, u32)>,
    /// Lower hash -> range in `occ`.
    occ_range: FxHashMap<u64, (u32, u32)>,
    /// Stage-2 (stacked) features, laid out like `feats`/`offs`.
    pub sfeats: Vec<u32>,
    pub soffs: Vec<u32>,
    /// Cache entry of every token (inference path).
    ents: Vec<u32>,
    /// Weight rows of `feats` (inference path).
    ridx: Vec<u32>,
}

// Feature templates.
#[repr(u64)]
#[derive(Clone, Copy)]
pub(super) enum T {
    Bias = 1,
    Word,
    Lower,
    Prefix,
    Suffix,
    Shape,
    ShortShape,
    CapPos,
    Common,
    LowerAt,
    ShapeAt,
    BigramL,
    BigramR,
    Skip,
    Shape3,
    Gaz,
    GazAt,
    Doc,
    Cluster,
    ClusterAt,
    ClusterCap,
    ClusterBigram,
    LenBucket,
    LowerShapeR,
    LowerShapeL,
    WordPrevShape,
    SOwn,
    SPrev,
    SNext,
    SDoc,
    SDocMaj,
    SDocNone,
    SDocFrac,
    SOwnCluster,
    DocCtxL,
    DocCtxR,
    Enclosed,
}

const BOS: u64 = 0xb05_b05_b05;
const EOS: u64 = 0xe05_e05_e05;

#[inline]
fn is_quote_or_punct(c: char) -> bool {
    !c.is_alphanumeric()
}

impl Tok {
    /// The same token at the start of a sentence.
    pub(super) fn initial(mut self) -> Tok {
        self.flags |= F_INITIAL;
        self
    }
}

/// What the word form alone says about a token (flags, hashes, shape,
/// clusters); its lowercase form is appended to `lower` and left in `tmp`.
pub(super) fn tok_info(word: &str, res: &Resources, lower: &mut String, tmp: &mut String) -> Tok {
    let start = lower.len() as u32;
    lower_into(word, tmp);
    lower.push_str(tmp);
    let mut flags = 0u32;
    let mut n_upper = 0;
    let mut n_alpha = 0;
    let mut n_digit = 0;
    let mut nchars = 0u32;
    let mut shape = 0x5a5au64;
    let mut short = 0xa5a5u64;
    let mut last_class = '\0';
    let mut all_punct = true;
    for (k, c) in word.chars().enumerate() {
        nchars += 1;
        let class = if c.is_uppercase() {
            n_upper += 1;
            n_alpha += 1;
            if k == 0 {
                flags |= F_CAP;
            }
            'X'
        } else if c.is_alphabetic() {
            n_alpha += 1;
            if k == 0 {
                flags |= F_LOWER;
            }
            'x'
        } else if c.is_numeric() {
            n_digit += 1;
            'd'
        } else {
            match c {
                '-' => flags |= F_HYPHEN,
                '\'' | '\u{2019}' => flags |= F_APOS,
                '.' => flags |= F_DOT,
                _ => {}
            }
            c
        };
        if c.is_alphanumeric() {
            all_punct = false;
        }
        if class != last_class {
            shape = mix(shape, class as u64);
            last_class = class;
        }
        if k < 6 {
            short = mix(short, class as u64);
        }
    }
    if n_alpha > 0 {
        flags |= F_ALPHA;
    }
    if n_alpha > 1 && n_upper == n_alpha {
        flags |= F_ALLCAPS;
    }
    if n_digit > 0 {
        flags |= F_DIGIT;
        if n_digit == nchars {
            flags |= F_ALLDIGIT;
        }
    }
    if all_punct && nchars > 0 {
        flags |= F_PUNCT;
    }
    let lh = hash_str(tmp);
    if res.words.contains(&lh) {
        flags |= F_COMMON;
    }
    let wh = hash_str(word);
    Tok {
        wh,
        lh,
        shape,
        short_shape: if nchars > 6 { mix(short, 7) } else { short },
        flags,
        gaz: 0,
        gaz1: res.gaz.get(&seq_extend(SEQ_SEED, lh)).copied().unwrap_or(0),
        gaz_pos: res.gaz_pos.get(&lh).copied().unwrap_or(0),
        cl: res.cluster(wh, lh),
        lower_start: start,
        lower_end: lower.len() as u32,
        nchars,
        prev_lh: BOS,
        next_lh: EOS,
        encl: 0,
    }
}

/// A feature sink that hashes `(template, value)` into a bucket of a
/// `2^bits` table and appends it to `out`.
#[inline]
pub(super) fn pusher(bits: u32, out: &mut Vec<u32>) -> impl FnMut(T, u64) + '_ {
    let shift = 64 - bits;
    move |t: T, v: u64| out.push((mix(t as u64, v) >> shift) as u32)
}

/// Token `i + k` of a sentence, `None` past either end.
#[inline]
fn neighbour(toks: &[Tok], i: usize, k: isize) -> Option<&Tok> {
    let j = i as isize + k;
    if j < 0 || j >= toks.len() as isize {
        None
    } else {
        Some(&toks[j as usize])
    }
}

/// Lowercase hash of a neighbour at offset `k`, or the sentence boundary.
#[inline]
fn lh_or(o: Option<&Tok>, k: isize) -> u64 {
    o.map_or(if k < 0 { BOS } else { EOS }, |t| t.lh)
}

/// Shape of a neighbour at offset `k`, or the sentence boundary.
#[inline]
fn sh_or(o: Option<&Tok>, k: isize) -> u64 {
    o.map_or(if k < 0 { BOS } else { EOS }, |t| t.shape)
}

/// Cluster id (column `g`) of a neighbour at offset `k`, or the boundary.
#[inline]
fn cl_or(o: Option<&Tok>, k: isize, g: usize) -> u64 {
    o.map_or(if k < 0 { 1 << 20 } else { 1 << 21 }, |t| t.cl[g] as u64)
}

/// Features of the word form itself (with its sentence-initial flag):
/// the same for every occurrence of the form, so inference caches their
/// summed weights per word type.
#[inline]
pub(super) fn own_lex(t: &Tok, lower: &str, push: &mut impl FnMut(T, u64)) {
    push(T::Bias, 0);
    push(T::Word, t.wh);
    push(T::Lower, t.lh);
    if t.flags & F_PUNCT == 0 {
        for (n, (k, c)) in lower.char_indices().take(4).enumerate() {
            let end = k + c.len_utf8();
            push(
                T::Prefix,
                mix(n as u64, hash_bytes(&lower.as_bytes()[..end])),
            );
        }
        for (n, (k, _)) in lower.char_indices().rev().take(4).enumerate() {
            push(T::Suffix, mix(n as u64, hash_bytes(&lower.as_bytes()[k..])));
        }
    }
    push(T::Shape, t.shape);
    push(T::ShortShape, t.short_shape);
    own_lex_initial(t, push);
    push(
        T::LenBucket,
        (t.nchars.min(12) as u64) | (((t.flags & (F_CAP | F_ALLCAPS)) as u64) << 8),
    );
}

/// The features of [`own_lex`] that depend on the sentence-initial flag.
#[inline]
fn own_lex_initial(t: &Tok, push: &mut impl FnMut(T, u64)) {
    let caps = t.flags & (F_CAP | F_ALLCAPS | F_INITIAL | F_LOWER);
    push(T::CapPos, caps as u64);
    push(
        T::Common,
        (t.flags & (F_COMMON | F_CAP | F_INITIAL | F_ALLCAPS)) as u64,
    );
}

/// Cluster features of the word form itself (see [`own_lex`]).
#[inline]
pub(super) fn own_cluster(t: &Tok, push: &mut impl FnMut(T, u64)) {
    for g in 0..NCL {
        if g < 3 || t.cl[g] != 0 {
            push(T::Cluster, mix(g as u64, t.cl[g] as u64));
        }
    }
    own_cluster_initial(t, push);
}

/// The features of [`own_cluster`] that depend on the sentence-initial flag.
#[inline]
fn own_cluster_initial(t: &Tok, push: &mut impl FnMut(T, u64)) {
    let caps = t.flags & (F_CAP | F_ALLCAPS | F_INITIAL | F_LOWER);
    push(T::ClusterCap, mix(t.cl[1] as u64, caps as u64));
}

/// All features of [`own_lex`] and [`own_cluster`] that the sentence-initial
/// flag can change: the rest are the same for both variants of a form.
#[inline]
pub(super) fn own_initial(t: &Tok, push: &mut impl FnMut(T, u64)) {
    own_lex_initial(t, push);
    own_cluster_initial(t, push);
}

/// Features of a token that depend only on its neighbour at offset `k`
/// (`None`: past the sentence boundary): lowercase form and shape.
#[inline]
pub(super) fn near_lex(k: isize, o: Option<&Tok>, push: &mut impl FnMut(T, u64)) {
    push(T::LowerAt, mix(k as u64, lh_or(o, k)));
    push(T::ShapeAt, mix(k as u64, sh_or(o, k)));
}

/// Cluster features that depend only on the neighbour at offset `k` (±1).
#[inline]
pub(super) fn near_cluster(k: isize, o: Option<&Tok>, push: &mut impl FnMut(T, u64)) {
    push(T::ClusterAt, mix(k as u64, cl_or(o, k, 1)));
    push(T::ClusterAt, mix((k + 10) as u64, cl_or(o, k, 2)));
}

/// Conjunctions of token `i` with its neighbours' forms and shapes.
#[inline]
fn ctx_lex(toks: &[Tok], i: usize, push: &mut impl FnMut(T, u64)) {
    let t = &toks[i];
    let lh_at = |k: isize| lh_or(neighbour(toks, i, k), k);
    let sh_at = |k: isize| sh_or(neighbour(toks, i, k), k);
    push(T::BigramL, mix(lh_at(-1), t.lh));
    push(T::BigramR, mix(t.lh, lh_at(1)));
    push(T::Skip, mix(lh_at(-1), lh_at(1)));
    push(T::Shape3, mix(mix(sh_at(-1), t.shape), sh_at(1)));
    push(T::LowerShapeR, mix(t.lh, sh_at(1)));
    push(T::LowerShapeL, mix(lh_at(-1), t.shape));
    push(T::WordPrevShape, mix(lh_at(-2), lh_at(-1)));
}

/// Cluster bigram of token `i` and its left neighbour.
#[inline]
fn ctx_cluster(toks: &[Tok], i: usize, push: &mut impl FnMut(T, u64)) {
    push(
        T::ClusterBigram,
        mix(cl_or(neighbour(toks, i, -1), -1, 1), toks[i].cl[1] as u64),
    );
}

impl Scratch {
    /// Extract the features of every token of a document.
    pub(crate) fn extract<S: AsRef<str>>(&mut self, res: &Resources, bits: u32, doc: &[Vec<S>]) {
        let mut lower = std::mem::take(&mut self.lower);
        let mut tmp = std::mem::take(&mut self.tmp);
        lower.clear();
        self.prepare(res, doc, |w| tok_info(w, res, &mut lower, &mut tmp));
        self.lower = lower;
        self.tmp = tmp;
        // Features.
        self.feats.clear();
        self.offs.clear();
        let mut base = 0usize;
        self.offs.push(0);
        for sent in doc {
            let n = sent.len();
            for i in 0..n {
                self.emit(bits, base, n, i);
                self.offs.push(self.feats.len() as u32);
            }
            base += n;
        }
    }

    /// Stage-1 emission scores (`st` must be stage 1 of the model whose
    /// partial sums `cache` holds) of every token of a document, appended
    /// to `out`. Equal to summing the weights of the features
    /// [`Scratch::extract`] gives, but the features that depend on one word
    /// form only are summed once per form and taken from `cache`.
    pub(crate) fn scores<S: AsRef<str>>(
        &mut self,
        res: &Resources,
        st: &Stage,
        doc: &[Vec<S>],
        cache: &mut TypeCache,
        out: &mut Vec<[i32; NUM_LABELS]>,
    ) {
        cache.begin_document();
        let mut ents = std::mem::take(&mut self.ents);
        ents.clear();
        cache.resolve(doc.iter().flatten().map(|w| w.as_ref()), res, st, &mut ents);
        let mut next = ents.iter();
        self.prepare(res, doc, |_| {
            cache.entry(*next.next().expect("an entry per token")).tok
        });
        // Cached sums first, and the remaining features of every token.
        let mut feats = std::mem::take(&mut self.feats);
        feats.clear();
        self.offs.clear();
        self.offs.push(0);
        let first = out.len();
        let bits = cache.bits();
        let mut base = 0usize;
        for &n in &self.sent_lens {
            let toks = &self.toks[base..base + n];
            let ents = &ents[base..base + n];
            for (i, t) in toks.iter().enumerate() {
                let mut acc = cache.entry(ents[i]).own[(t.flags & F_INITIAL != 0) as usize];
                for (slot, k) in NEAR.into_iter().enumerate() {
                    let j = i as isize + k;
                    let near = if j < 0 || j >= n as isize {
                        &cache.boundary()[slot]
                    } else {
                        &cache.entry(ents[j as usize]).near[slot]
                    };
                    for (a, v) in acc.iter_mut().zip(near) {
                        *a += v;
                    }
                }
                out.push(acc);
                {
                    let mut push = pusher(bits, &mut feats);
                    ctx_lex(toks, i, &mut push);
                    self.ctx_doc(base, n, i, &mut push);
                    ctx_cluster(toks, i, &mut push);
                }
                self.offs.push(feats.len() as u32);
            }
            base += n;
        }
        st.accumulate_all(&feats, &self.offs, &mut out[first..], &mut self.ridx);
        self.feats = feats;
        self.ents = ents;
    }

    /// Token information (from `tok`), document statistics, neighbours,
    /// capitalised occurrences and gazetteer matches of a document.
    fn prepare<S: AsRef<str>>(
        &mut self,
        res: &Resources,
        doc: &[Vec<S>],
        mut tok: impl FnMut(&str) -> Tok,
    ) {
        self.toks.clear();
        self.doc.clear();
        self.sent_lens.clear();
        self.sent_lens.extend(doc.iter().map(Vec::len));
        // Token info and document statistics.
        for sent in doc {
            let mut initial = true;
            for w in sent {
                let w = w.as_ref();
                let mut t = tok(w);
                if initial {
                    t.flags |= F_INITIAL;
                }
                if t.flags & F_ALPHA != 0 {
                    let bit = if t.flags & F_ALLCAPS != 0 {
                        D_UPPER
                    } else if t.flags & F_CAP != 0 {
                        if initial {
                            D_CAP_INIT
                        } else {
                            D_CAP_MID
                        }
                    } else if t.flags & F_LOWER != 0 {
                        D_LOWER
                    } else {
                        0
                    };
                    *self.doc.entry(t.lh).or_insert(0) |= bit;
                }
                if initial && !w.chars().all(is_quote_or_punct) {
                    initial = false;
                }
                self.toks.push(t);
            }
        }
        // Neighbours and capitalised occurrences.
        self.occ.clear();
        self.occ_range.clear();
        let mut base = 0usize;
        for (&n, sent) in self.sent_lens.iter().zip(doc) {
            let mut quote = false;
            let mut paren = false;
            for (i, w) in (base..base + n).zip(sent) {
                match w.as_ref() {
                    "\"" | "'" | "``" | "''" | "\u{201c}" | "\u{201d}" | "\u{201e}"
                    | "\u{2018}" | "\u{2019}" => quote = !quote,
                    "(" => paren = true,
                    ")" => paren = false,
                    _ => self.toks[i].encl = quote as u8 | (paren as u8) << 1,
                }
                if i > base {
                    self.toks[i].prev_lh = self.toks[i - 1].lh;
                }
                if i + 1 < base + n {
                    self.toks[i].next_lh = self.toks[i + 1].lh;
                }
                let f = self.toks[i].flags;
                if f & F_ALPHA != 0 && f & (F_CAP | F_ALLCAPS) != 0 {
                    self.occ.push((self.toks[i].lh, i as u32));
                }
            }
            base += n;
        }
        self.occ.sort_unstable();
        let mut k = 0;
        while k < self.occ.len() {
            let mut e = k + 1;
            while e < self.occ.len() && self.occ[e].0 == self.occ[k].0 {
                e += 1;
            }
            if e - k > 1 {
                self.occ_range.insert(self.occ[k].0, (k as u32, e as u32));
            }
            k = e;
        }
        // Gazetteer matches, per sentence.
        let mut base = 0usize;
        for sent in doc {
            let n = sent.len();
            let toks = &mut self.toks[base..base + n];
            for i in 0..n {
                let mut h = SEQ_SEED;
                for len in 1..=GAZ_MAX_LEN.min(n - i) {
                    h = seq_extend(h, toks[i + len - 1].lh);
                    // Only sequences whose every token occurs at its position
                    // in some entry of this length can be in the gazetteer.
                    let m = if len == 1 {
                        toks[i].gaz1
                    } else if (0..len).all(|p| toks[i + p].gaz_pos & gaz_pos_bit(p, len) != 0) {
                        res.gaz.get(&h).copied().unwrap_or(0)
                    } else {
                        0
                    };
                    if m != 0 {
                        for ty in 0..GAZ_TYPES {
                            if m & (1 << ty) == 0 {
                                continue;
                            }
                            let b = 3 * ty as u8;
                            if len == 1 {
                                toks[i].gaz |= 1 << (b + 2);
                            } else {
                                toks[i].gaz |= 1 << b;
                                for t in &mut toks[i + 1..i + len] {
                                    t.gaz |= 1 << (b + 1);
                                }
                            }
                        }
                    }
                    // A token in no multi-token entry ends every longer match.
                    if toks[i + len - 1].gaz_pos == 0 {
                        break;
                    }
                }
            }
            base += n;
        }
    }

    /// All stage-1 features of token `i` of the sentence at `base` (length
    /// `n`), in the order the models were trained with (dropout masks in
    /// training are drawn per position, so the order is part of training).
    #[inline]
    fn emit(&mut self, bits: u32, base: usize, n: usize, i: usize) {
        let mut feats = std::mem::take(&mut self.feats);
        let mut push = pusher(bits, &mut feats);
        let toks = &self.toks[base..base + n];
        let t = &toks[i];
        let lower = &self.lower[t.lower_start as usize..t.lower_end as usize];
        own_lex(t, lower, &mut push);
        for k in [-2isize, -1, 1, 2] {
            near_lex(k, neighbour(toks, i, k), &mut push);
        }
        ctx_lex(toks, i, &mut push);
        self.ctx_doc(base, n, i, &mut push);
        own_cluster(t, &mut push);
        for k in [-1isize, 1] {
            near_cluster(k, neighbour(toks, i, k), &mut push);
        }
        ctx_cluster(toks, i, &mut push);
        drop(push);
        self.feats = feats;
    }

    /// Features of token `base + i` that depend on the document: gazetteer
    /// matches (its own and its neighbours'), what the document says about
    /// its word form, quotes/parentheses, contexts of other occurrences.
    #[inline]
    fn ctx_doc(&self, base: usize, n: usize, i: usize, push: &mut impl FnMut(T, u64)) {
        let toks = &self.toks[base..base + n];
        let t = &toks[i];
        // Gazetteers, conjoined with capitalisation.
        let cap = (t.flags & (F_CAP | F_ALLCAPS)) as u64;
        if t.gaz != 0 {
            for b in 0..(3 * GAZ_TYPES) as u64 {
                if t.gaz & (1 << b) != 0 {
                    push(T::Gaz, b | cap << 8);
                }
            }
        }
        for k in [-1isize, 1] {
            if let Some(o) = neighbour(toks, i, k) {
                if o.gaz != 0 {
                    push(T::GazAt, mix(k as u64, o.gaz as u64 | cap << 8));
                }
            }
        }
        // Document-level evidence about this word form.
        if t.flags & F_ALPHA != 0 && t.flags & (F_CAP | F_ALLCAPS) != 0 {
            let d = self.doc.get(&t.lh).copied().unwrap_or(0);
            push(
                T::Doc,
                (d as u64) | ((t.flags & (F_INITIAL | F_ALLCAPS | F_COMMON)) as u64) << 8,
            );
        }
        if t.encl != 0 {
            push(T::Enclosed, t.encl as u64 | cap << 8);
        }
        // Contexts of the other capitalised occurrences of this word.
        if let Some(&(a, b)) = self.occ_range.get(&t.lh) {
            let me = (base + i) as u32;
            for &(_, j) in self.occ[a as usize..b as usize]
                .iter()
                .filter(|o| o.1 != me)
                .take(6)
            {
                let o = &self.toks[j as usize];
                push(T::DocCtxL, o.prev_lh);
                push(T::DocCtxR, o.next_lh);
            }
        }
    }

    /// Stage-2 features from first-stage predictions `pred` (label indices
    /// of every token of the document last passed to [`Scratch::extract`]):
    /// the token's own and neighbouring predicted labels, and how the same
    /// word form was labelled elsewhere in the document.
    pub(crate) fn stack(&mut self, bits: u32, pred: &[u8]) {
        self.each_stacked(pred, |t, (prev, y, next), others, feats| {
            let mut push = pusher(bits, feats);
            stack_label_feats(prev, y, next, &mut push);
            stack_cluster_feat(t, y, &mut push);
            if let Some(c) = others {
                stack_doc_feats(&c, stack_cap(t), &mut push);
            }
        });
    }

    /// Stage-2 scores of every token, appended to `out`: the sums of the
    /// weights of [`Scratch::stack`]'s features, taken from `tables` where
    /// they depend on a few small values only. The one feature per token
    /// that does not (the cluster) is left in `sfeats`/`soffs` for the
    /// caller to add.
    pub(crate) fn stack_scores(
        &mut self,
        bits: u32,
        pred: &[u8],
        st: &Stage,
        tables: &StackTables,
        out: &mut Vec<[i32; NUM_LABELS]>,
    ) {
        let shift = 64 - bits;
        self.each_stacked(pred, |t, (prev, y, next), others, feats| {
            let mut acc = tables.labels(prev, y, next);
            if let Some(c) = others {
                stack_doc_feats(&c, stack_cap(t), &mut |tm: T, v: u64| {
                    let row = tables
                        .doc(tm, v)
                        .unwrap_or_else(|| st.row((mix(tm as u64, v) >> shift) as u32));
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += w as i32;
                    }
                });
            }
            out.push(acc);
            stack_cluster_feat(t, y, &mut pusher(bits, feats));
        });
    }

    /// Calls `f` for every token of the document with its predicted labels
    /// around it ([`labels_around`]), how its form is labelled elsewhere
    /// ([`Scratch::others`]) and `sfeats`, to push its stage-2 features;
    /// `soffs` marks where each token's features end.
    fn each_stacked(
        &mut self,
        pred: &[u8],
        mut f: impl FnMut(&Tok, (u64, u64, u64), Option<[u16; 5]>, &mut Vec<u32>),
    ) {
        self.sfeats.clear();
        self.soffs.clear();
        self.soffs.push(0);
        self.count_types(pred);
        let mut base = 0usize;
        for &n in &self.sent_lens {
            for i in 0..n {
                let t = &self.toks[base + i];
                let around = labels_around(&pred[base..base + n], i);
                let others = self.others(t, around.1);
                f(t, around, others, &mut self.sfeats);
                self.soffs.push(self.sfeats.len() as u32);
            }
            base += n;
        }
    }

    /// Count, per entity type, the predicted labels of every alphabetic
    /// word form of the document (see [`Scratch::others`]).
    fn count_types(&mut self, pred: &[u8]) {
        self.types.clear();
        for (t, &y) in self.toks.iter().zip(pred) {
            if t.flags & F_ALPHA != 0 {
                // Saturating: a word may occur more often than a counter holds.
                let n = &mut self.types.entry(t.lh).or_insert([0; 5])[(y as usize).div_ceil(2)];
                *n = n.saturating_add(1);
            }
        }
    }

    /// How the other occurrences of token `t`'s form (labelled `y` itself)
    /// are labelled: counts per type (none, PER, ORG, LOC, MISC); `None`
    /// for a token without letters.
    #[inline]
    fn others(&self, t: &Tok, y: u64) -> Option<[u16; 5]> {
        if t.flags & F_ALPHA == 0 {
            return None;
        }
        let mut c = self.types.get(&t.lh).copied().unwrap_or([0; 5]);
        let own = (y as usize).div_ceil(2);
        c[own] = c[own].saturating_sub(1);
        Some(c)
    }
}

/// Predicted labels of token `i` of a sentence and of its neighbours, with
/// 9 for the sentence start and 10 for its end.
#[inline]
fn labels_around(pred: &[u8], i: usize) -> (u64, u64, u64) {
    let prev = if i == 0 { 9 } else { pred[i - 1] as u64 };
    let next = pred.get(i + 1).map_or(10, |&p| p as u64);
    (prev, pred[i] as u64, next)
}

/// The capitalisation a stage-2 document feature is conjoined with.
#[inline]
pub(super) fn stack_cap(t: &Tok) -> u64 {
    (t.flags & (F_CAP | F_ALLCAPS | F_INITIAL)) as u64
}

/// The capitalisation values [`stack_cap`] can give, in table order.
pub(super) const STACK_CAPS: [u64; 8] = {
    let (c, a, i) = (F_CAP as u64, F_ALLCAPS as u64, F_INITIAL as u64);
    [0, c, a, c | a, i, i | c, i | a, i | c | a]
};

/// Stage-2 features from the predicted labels of a token (`y`) and its
/// neighbours (`prev`, `next`, see [`labels_around`]).
#[inline]
pub(super) fn stack_label_feats(prev: u64, y: u64, next: u64, push: &mut impl FnMut(T, u64)) {
    push(T::SOwn, y);
    push(T::SPrev, mix(prev, y));
    push(T::SNext, mix(y, next));
}

/// The stage-2 feature of a token's predicted label `y` with its form's
/// cluster: the one [`StackTables`] cannot hold.
#[inline]
fn stack_cluster_feat(t: &Tok, y: u64, push: &mut impl FnMut(T, u64)) {
    push(T::SOwnCluster, mix(y, t.cl[1] as u64));
}

/// Stage-2 features from how the document labels the other occurrences of
/// a form (`c`, see [`Scratch::others`]), conjoined with the token's
/// capitalisation `cap`: every type seen, the majority type and the share
/// of entity labels, or that there are no other occurrences.
#[inline]
pub(super) fn stack_doc_feats(c: &[u16; 5], cap: u64, push: &mut impl FnMut(T, u64)) {
    let total: u16 = c.iter().sum();
    if total == 0 {
        push(T::SDocNone, cap);
        return;
    }
    let mut maj = 0;
    for ty in 0..5 {
        if c[ty] > 0 {
            push(T::SDoc, ty as u64 | cap << 8);
        }
        if c[ty] > c[maj] || (maj == 0 && ty > 0 && c[ty] > 0) {
            maj = ty;
        }
    }
    push(T::SDocMaj, maj as u64 | cap << 8);
    let ent = total - c[0];
    let frac = if ent == 0 {
        0
    } else if ent * 2 < total {
        1
    } else if ent < total {
        2
    } else {
        3
    };
    push(T::SDocFrac, frac | cap << 8);
}
