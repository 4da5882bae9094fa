//! Labels, Viterbi decoding and the binary model format.

use super::hash::hash_bytes;
use super::ModelError;
use crate::radix::Image;
use std::borrow::Cow;

/// Number of BIO labels.
pub const NUM_LABELS: usize = 9;
/// Row of the transition table used for the sentence start.
pub(crate) const START: usize = NUM_LABELS;

/// Entity types of the CoNLL scheme.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
    Misc,
}

impl EntityKind {
    /// CoNLL type name: PER, ORG, LOC, MISC.
    pub fn conll(&self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Organisation => "ORG",
            EntityKind::Place => "LOC",
            EntityKind::Misc => "MISC",
        }
    }
}

/// BIO label set: O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Label {
    O = 0,
    BPer,
    IPer,
    BOrg,
    IOrg,
    BLoc,
    ILoc,
    BMisc,
    IMisc,
}

impl Label {
    /// All labels in index order.
    pub const ALL: [Label; NUM_LABELS] = [
        Label::O,
        Label::BPer,
        Label::IPer,
        Label::BOrg,
        Label::IOrg,
        Label::BLoc,
        Label::ILoc,
        Label::BMisc,
        Label::IMisc,
    ];

    /// The CoNLL spelling, e.g. `B-PER`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::O => "O",
            Label::BPer => "B-PER",
            Label::IPer => "I-PER",
            Label::BOrg => "B-ORG",
            Label::IOrg => "I-ORG",
            Label::BLoc => "B-LOC",
            Label::ILoc => "I-LOC",
            Label::BMisc => "B-MISC",
            Label::IMisc => "I-MISC",
        }
    }

    /// Entity type, `None` for `O`.
    pub fn kind(&self) -> Option<EntityKind> {
        match self {
            Label::O => None,
            Label::BPer | Label::IPer => Some(EntityKind::Person),
            Label::BOrg | Label::IOrg => Some(EntityKind::Organisation),
            Label::BLoc | Label::ILoc => Some(EntityKind::Place),
            Label::BMisc | Label::IMisc => Some(EntityKind::Misc),
        }
    }

    /// True for the B- labels.
    pub fn is_begin(&self) -> bool {
        matches!(self, Label::BPer | Label::BOrg | Label::BLoc | Label::BMisc)
    }

    /// True for the I- labels.
    pub fn is_inside(&self) -> bool {
        matches!(self, Label::IPer | Label::IOrg | Label::ILoc | Label::IMisc)
    }

    /// Index in [`Label::ALL`].
    pub fn index(&self) -> usize {
        *self as usize
    }

    /// Label from its index.
    pub fn from_index(i: usize) -> Option<Label> {
        Label::ALL.get(i).copied()
    }

    /// Parse a CoNLL tag; IOB1-style `I-` tags are accepted as is, unknown
    /// types (and `O`) give `O`.
    pub fn parse(tag: &str) -> Label {
        match tag {
            "B-PER" => Label::BPer,
            "I-PER" => Label::IPer,
            "B-ORG" => Label::BOrg,
            "I-ORG" => Label::IOrg,
            "B-LOC" => Label::BLoc,
            "I-LOC" => Label::ILoc,
            "B-MISC" => Label::BMisc,
            "I-MISC" => Label::IMisc,
            _ => Label::O,
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// May label `cur` follow `prev` (`START` for the first token)?
#[inline]
pub(crate) const fn allowed(prev: usize, cur: usize) -> bool {
    // I-X (even index > 0) needs B-X (index - 1) or I-X before it.
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    prev == cur || prev + 1 == cur
}

/// The labels allowed before each label, in index order.
pub(crate) const PREDECESSORS: [&[usize]; NUM_LABELS] = {
    const ANY: &[usize] = &[0, 1, 2, 3, 4, 5, 6, 7, 8];
    [ANY, ANY, &[1, 2], ANY, &[3, 4], ANY, &[5, 6], ANY, &[7, 8]]
};

/// Score type for Viterbi.
pub(crate) trait Score: Copy + PartialOrd + std::ops::Add<Output = Self> {
    const NEG: Self;
    /// Shifts a row of path scores so that its best is zero: scores then
    /// stay bounded however long the sentence (a 100,000-token sentence
    /// would overflow `i32` otherwise), and the argmax is unchanged.
    fn rebase(row: &mut [Self; NUM_LABELS]);
}
impl Score for f32 {
    const NEG: f32 = f32::NEG_INFINITY;
    fn rebase(row: &mut [f32; NUM_LABELS]) {
        let m = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        if m.is_finite() {
            row.iter_mut().for_each(|v| *v -= m);
        }
    }
}
impl Score for i32 {
    const NEG: i32 = i32::MIN / 4;
    fn rebase(row: &mut [i32; NUM_LABELS]) {
        let m = row.iter().copied().max().unwrap_or(0);
        row.iter_mut()
            .for_each(|v| *v = v.saturating_sub(m).max(Self::NEG));
    }
}

/// Constrained first-order Viterbi. `emit[t][y]`, `trans[prev][y]` with row
/// `START` for the first token. Writes label indices into `out`.
pub(crate) fn viterbi<S: Score>(
    emit: &[[S; NUM_LABELS]],
    trans: &[[S; NUM_LABELS]; NUM_LABELS + 1],
    back: &mut Vec<[u8; NUM_LABELS]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    let n = emit.len();
    if n == 0 {
        return;
    }
    back.clear();
    back.resize(n, [0; NUM_LABELS]);
    let mut cur = [S::NEG; NUM_LABELS];
    for y in 0..NUM_LABELS {
        if allowed(START, y) {
            cur[y] = trans[START][y] + emit[0][y];
        }
    }
    for t in 1..n {
        let mut next = [S::NEG; NUM_LABELS];
        let bt = &mut back[t];
        for y in 0..NUM_LABELS {
            // The first best predecessor in index order, as a plain loop over
            // the allowed ones would find it.
            let mut best = S::NEG;
            let mut arg = 0u8;
            for &p in PREDECESSORS[y] {
                let s = cur[p] + trans[p][y];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            next[y] = best + emit[t][y];
            bt[y] = arg;
        }
        S::rebase(&mut next);
        cur = next;
    }
    let mut best = 0;
    for y in 1..NUM_LABELS {
        if cur[y] > cur[best] {
            best = y;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best as u8;
    for t in (1..n).rev() {
        out[t - 1] = back[t][out[t] as usize];
    }
}

/// Start loading the cache line of `x` (a hint: no effect on results).
#[inline]
pub(crate) fn prefetch<X>(x: &X) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch only hints the cache, for any address; SSE is
        // part of every x86_64 target.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const X).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// 64 buckets of the weight table: which have a nonzero row, and the index
/// of the first such row in [`Stage::rows`].
#[derive(Clone, Copy, Default)]
pub(crate) struct Block {
    bits: u64,
    rank: u32,
}

/// One linear stage: quantised emission weights and transitions.
///
/// Only nonzero rows of the `2^bits x NUM_LABELS` table are stored; a
/// bitmap with rank counts (64 KiB per 2^20 buckets... 16 bytes per 64
/// buckets) maps a bucket to its row. Features whose bucket is empty cost
/// one cache-friendly bitmap probe and a read of the shared all-zero row.
#[derive(Clone)]
pub(crate) struct Stage {
    pub scale: f32,
    /// Weight of the stage-1 scores in a stacked stage (unused in stage 1).
    pub alpha: f32,
    pub trans: [[i32; NUM_LABELS]; NUM_LABELS + 1],
    blocks: Vec<Block>,
    /// Nonzero rows in bucket order, then one all-zero row: borrowed from
    /// the binary for an embedded model ([`Weights::from_image`]).
    rows: Cow<'static, [[i16; NUM_LABELS]]>,
}

impl Stage {
    /// Build from a dense bucket-major table of `2^bits * NUM_LABELS` weights.
    pub(crate) fn from_dense(
        scale: f32,
        alpha: f32,
        trans: [[i32; NUM_LABELS]; NUM_LABELS + 1],
        bits: u32,
        emit: &[i16],
    ) -> Stage {
        let mut b = StageBuilder::new(bits);
        for (bucket, row) in emit.chunks_exact(NUM_LABELS).enumerate() {
            if row.iter().any(|&v| v != 0) {
                let mut r = [0i16; NUM_LABELS];
                r.copy_from_slice(row);
                b.push(bucket, r);
            }
        }
        b.finish(scale, alpha, trans)
    }

    /// Row of a bucket: its nonzero row, or the all-zero row after them.
    #[inline]
    fn row_index(&self, f: u32) -> u32 {
        let blk = &self.blocks[(f >> 6) as usize];
        let bit = 1u64 << (f & 63);
        let present = blk.rank + (blk.bits & (bit - 1)).count_ones();
        if blk.bits & bit != 0 {
            present
        } else {
            self.zero_row()
        }
    }

    /// Index of the all-zero row kept after the nonzero ones.
    #[inline]
    fn zero_row(&self) -> u32 {
        (self.rows.len() - 1) as u32
    }

    /// Weight row of bucket `f`.
    #[inline]
    pub(crate) fn row(&self, f: u32) -> &[i16; NUM_LABELS] {
        &self.rows[self.row_index(f) as usize]
    }

    /// Sum the rows of `feats` into `acc`.
    #[inline]
    pub(crate) fn accumulate(&self, feats: &[u32], acc: &mut [i32; NUM_LABELS]) {
        for &f in feats {
            add_row(acc, &self.rows[self.row_index(f) as usize]);
        }
    }

    /// Add to `out[t]` the rows of features `feats[offs[t]..offs[t + 1]]`
    /// for every `t`. The rows of all features are found first: those loads
    /// do not depend on each other, so their cache misses overlap, which a
    /// token's ten or so features are too few for.
    pub(crate) fn accumulate_all(
        &self,
        feats: &[u32],
        offs: &[u32],
        out: &mut [[i32; NUM_LABELS]],
        idx: &mut Vec<u32>,
    ) {
        idx.clear();
        // Blocks are requested a few features ahead, each row as soon as
        // it is known.
        const AHEAD: usize = 16;
        for &f in feats.iter().take(AHEAD) {
            prefetch(&self.blocks[(f >> 6) as usize]);
        }
        for (k, &f) in feats.iter().enumerate() {
            if let Some(&g) = feats.get(k + AHEAD) {
                prefetch(&self.blocks[(g >> 6) as usize]);
            }
            let i = self.row_index(f);
            prefetch(&self.rows[i as usize]);
            idx.push(i);
        }
        for (t, acc) in out.iter_mut().enumerate() {
            for &i in &idx[offs[t] as usize..offs[t + 1] as usize] {
                add_row(acc, &self.rows[i as usize]);
            }
        }
    }

    /// Nonzero rows with their bucket numbers, in bucket order.
    fn iter_rows(&self) -> impl Iterator<Item = (usize, &[i16; NUM_LABELS])> + '_ {
        self.blocks.iter().enumerate().flat_map(move |(k, blk)| {
            let mut bits = blk.bits;
            let mut idx = blk.rank as usize;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                idx += 1;
                Some((k * 64 + b, &self.rows[idx - 1]))
            })
        })
    }

    /// Number of nonzero rows.
    pub(crate) fn nrows(&self) -> usize {
        self.rows.len() - 1
    }
}

#[inline]
fn add_row(acc: &mut [i32; NUM_LABELS], row: &[i16; NUM_LABELS]) {
    for (a, &v) in acc.iter_mut().zip(row) {
        *a += v as i32;
    }
}

/// Builds a [`Stage`] from rows pushed in increasing bucket order.
struct StageBuilder {
    blocks: Vec<Block>,
    rows: Vec<[i16; NUM_LABELS]>,
}

impl StageBuilder {
    fn new(bits: u32) -> StageBuilder {
        StageBuilder {
            blocks: vec![Block::default(); (1usize << bits).div_ceil(64)],
            rows: Vec::new(),
        }
    }
    fn push(&mut self, bucket: usize, row: [i16; NUM_LABELS]) {
        self.blocks[bucket >> 6].bits |= 1 << (bucket & 63);
        self.rows.push(row);
    }
    fn finish(
        mut self,
        scale: f32,
        alpha: f32,
        trans: [[i32; NUM_LABELS]; NUM_LABELS + 1],
    ) -> Stage {
        let mut rank = 0u32;
        for b in &mut self.blocks {
            b.rank = rank;
            rank += b.bits.count_ones();
        }
        // Empty buckets point here, so that summing needs no branch.
        self.rows.push([0; NUM_LABELS]);
        Stage {
            scale,
            alpha,
            trans,
            blocks: self.blocks,
            rows: self.rows.into(),
        }
    }
}

/// Quantised model: stage 1 sees token features; stage 2 (optional) also
/// sees features of stage 1's predictions (document label consistency).
pub(crate) struct Weights {
    pub lang: String,
    pub bits: u32,
    pub fingerprint: u64,
    pub stages: Vec<Stage>,
}

pub(crate) const MAGIC: &[u8; 6] = b"KGXNER";
pub(crate) const FORMAT_VERSION: u16 = 1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.b.len() - self.pos < n {
            return Err(ModelError::Truncated);
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes(s.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        let s = self.take(8)?;
        Ok(u64::from_le_bytes(s.try_into().expect("8 bytes")))
    }
    /// A varint. Nearly all of a model's are one or two bytes (bucket
    /// gaps and quantised weights): those are read without the general
    /// loop, which keeps loading a model cheap at start-up.
    #[inline(always)]
    fn varint(&mut self) -> Result<u64, ModelError> {
        if let [b0, rest @ ..] = &self.b[self.pos..] {
            if *b0 < 0x80 {
                self.pos += 1;
                return Ok(u64::from(*b0));
            }
            if let Some(&b1) = rest.first() {
                if b1 < 0x80 {
                    self.pos += 2;
                    return Ok(u64::from(b0 & 0x7f) | u64::from(b1) << 7);
                }
            }
        }
        self.varint_long()
    }
    #[inline(never)]
    fn varint_long(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt("varint too long".into()))
    }
}

impl Weights {
    /// Serialise: header, then per stage transitions and nonzero emission rows, checksum.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(self.lang.len() as u8);
        out.extend_from_slice(self.lang.as_bytes());
        out.push(self.bits as u8);
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.push(self.stages.len() as u8);
        for st in &self.stages {
            out.extend_from_slice(&st.scale.to_le_bytes());
            out.extend_from_slice(&st.alpha.to_le_bytes());
            for row in &st.trans {
                for v in row {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
            out.extend_from_slice(&(st.nrows() as u32).to_le_bytes());
            let mut prev = 0usize;
            for (k, (b, row)) in st.iter_rows().enumerate() {
                put_varint(&mut out, if k == 0 { b } else { b - prev - 1 } as u64);
                prev = b;
                for &v in row {
                    put_varint(&mut out, zigzag(v as i64));
                }
            }
        }
        let sum = hash_bytes(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model that `build.rs` decoded and checked at compile time
    /// (`model_image`): start-up decodes nothing, and the rows (most of a
    /// model) are used in place, in the binary.
    pub(crate) fn from_image(bytes: &'static [u8]) -> Weights {
        let mut img = Image::new(bytes);
        let bits = img.u64() as u32;
        let fingerprint = img.u64();
        let nstages = img.u64() as usize;
        let lang_len = img.u64() as usize;
        let lang = String::from_utf8_lossy(img.slice::<u8>(lang_len)).into_owned();
        let stages = (0..nstages)
            .map(|_| {
                let head = img.slice::<u32>(2 + (NUM_LABELS + 1) * NUM_LABELS);
                let mut trans = [[0i32; NUM_LABELS]; NUM_LABELS + 1];
                for (v, &x) in trans.iter_mut().flatten().zip(&head[2..]) {
                    *v = x as i32;
                }
                let nrows = img.u64() as usize;
                let nblocks = (1usize << bits).div_ceil(64);
                let bitmap = img.slice::<u64>(nblocks);
                let ranks = img.slice::<u32>(nblocks);
                let blocks = bitmap
                    .iter()
                    .zip(ranks)
                    .map(|(&bits, &rank)| Block { bits, rank })
                    .collect();
                Stage {
                    scale: f32::from_bits(head[0]),
                    alpha: f32::from_bits(head[1]),
                    trans,
                    blocks,
                    // The image has the all-zero row after the others.
                    rows: Cow::Borrowed(img.slice::<[i16; NUM_LABELS]>(nrows + 1)),
                }
            })
            .collect();
        Weights {
            lang,
            bits,
            fingerprint,
            stages,
        }
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Weights, ModelError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut r = Reader {
            b: bytes,
            pos: MAGIC.len(),
        };
        let version = r.u16()?;
        if version != FORMAT_VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        if bytes.len() < 8 + r.pos {
            return Err(ModelError::Truncated);
        }
        let body = &bytes[..bytes.len() - 8];
        let stored = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().expect("8 bytes"));
        let lang_len = r.u8()? as usize;
        let lang = std::str::from_utf8(r.take(lang_len)?)
            .map_err(|_| ModelError::Corrupt("language code is not UTF-8".into()))?
            .to_string();
        if hash_bytes(body) != stored {
            // Distinguish a cut-off file from a damaged one where possible.
            return Err(if bytes.len() < 64 {
                ModelError::Truncated
            } else {
                ModelError::Corrupt("checksum mismatch (damaged or truncated file)".into())
            });
        }
        let mut r = Reader {
            b: body,
            pos: r.pos,
        };
        let bits = r.u8()? as u32;
        if !(8..=26).contains(&bits) {
            return Err(ModelError::Corrupt(format!("bad table size 2^{bits}")));
        }
        let fingerprint = r.u64()?;
        let nstages = r.u8()? as usize;
        if !(1..=2).contains(&nstages) {
            return Err(ModelError::Corrupt(format!("bad stage count {nstages}")));
        }
        let mut stages = Vec::with_capacity(nstages);
        for _ in 0..nstages {
            stages.push(read_stage(&mut r, bits)?);
        }
        if r.pos != body.len() {
            return Err(ModelError::Corrupt("trailing bytes".into()));
        }
        Ok(Weights {
            lang,
            bits,
            fingerprint,
            stages,
        })
    }
}

fn read_stage(r: &mut Reader<'_>, bits: u32) -> Result<Stage, ModelError> {
    let scale = f32::from_bits(r.u32()?);
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ModelError::Corrupt("bad weight scale".into()));
    }
    let alpha = f32::from_bits(r.u32()?);
    if !alpha.is_finite() {
        return Err(ModelError::Corrupt("bad stage weight".into()));
    }
    let mut trans = [[0i32; NUM_LABELS]; NUM_LABELS + 1];
    for row in trans.iter_mut() {
        for v in row.iter_mut() {
            *v = r.u32()? as i32;
        }
    }
    let nrows = r.u32()? as usize;
    let nb = 1usize << bits;
    if nrows > nb {
        return Err(ModelError::Corrupt("too many rows".into()));
    }
    let mut builder = StageBuilder::new(bits);
    builder.rows.reserve(nrows);
    let mut b = 0usize;
    for k in 0..nrows {
        let d = r.varint()? as usize;
        b = if k == 0 {
            d
        } else {
            b.saturating_add(d).saturating_add(1)
        };
        if b >= nb {
            return Err(ModelError::Corrupt("bucket out of range".into()));
        }
        let mut row = [0i16; NUM_LABELS];
        for v in row.iter_mut() {
            let x = unzigzag(r.varint()?);
            *v = i16::try_from(x).map_err(|_| ModelError::Corrupt("weight out of range".into()))?;
        }
        builder.push(b, row);
    }
    Ok(builder.finish(scale, alpha, trans))
}
