//! Stage-2 weights summed in advance.
//!
//! Most stage-2 features (see `Scratch::stack`) take a handful of values:
//! the predicted labels around a token, the types its form gets elsewhere
//! in the document, its capitalisation. Their rows are summed once per
//! model into small tables that stay in the processor's cache, so a token
//! costs a few table reads instead of a hashed look-up per feature. Integer
//! sums do not depend on the order of addition: scores are exactly those of
//! summing every feature (a test checks this).

use super::features::{stack_label_feats, STACK_CAPS, T};
use super::hash::mix;
use super::model::{Stage, NUM_LABELS};

/// Label values of [`stack_label_feats`]: 0..9, 9 for the sentence start,
/// 10 for its end.
const LABEL_VALUES: usize = NUM_LABELS + 2;

/// Templates of the document features, in table order.
const DOC_TEMPLATES: [T; 4] = [T::SDoc, T::SDocMaj, T::SDocFrac, T::SDocNone];

/// Values a document feature has besides the capitalisation: types 0..5.
const DOC_VALUES: usize = 5;

/// Summed stage-2 rows of one model.
pub(crate) struct StackTables {
    /// Sum of the label features by `(prev, y, next)`.
    labels: Vec<[i32; NUM_LABELS]>,
    /// Row of a document feature by template, value and capitalisation.
    doc: Vec<[i16; NUM_LABELS]>,
}

impl StackTables {
    /// Tables for stage `st` of a model with `2^bits` buckets.
    pub(crate) fn new(st: &Stage, bits: u32) -> StackTables {
        let shift = 64 - bits;
        let bucket = |tm: T, v: u64| (mix(tm as u64, v) >> shift) as u32;
        let mut labels = vec![[0; NUM_LABELS]; LABEL_VALUES * NUM_LABELS * LABEL_VALUES];
        for prev in 0..LABEL_VALUES {
            for y in 0..NUM_LABELS {
                for next in 0..LABEL_VALUES {
                    let mut feats = Vec::with_capacity(3);
                    stack_label_feats(prev as u64, y as u64, next as u64, &mut |tm, v| {
                        feats.push(bucket(tm, v))
                    });
                    st.accumulate(&feats, &mut labels[label_index(prev, y, next)]);
                }
            }
        }
        let mut doc = Vec::with_capacity(DOC_TEMPLATES.len() * DOC_VALUES * STACK_CAPS.len());
        for tm in DOC_TEMPLATES {
            for x in 0..DOC_VALUES as u64 {
                for cap in STACK_CAPS {
                    let v = if matches!(tm, T::SDocNone) {
                        cap
                    } else {
                        x | cap << 8
                    };
                    doc.push(*st.row(bucket(tm, v)));
                }
            }
        }
        StackTables { labels, doc }
    }

    /// Summed rows of the label features of `stack_label_feats`.
    #[inline]
    pub(crate) fn labels(&self, prev: u64, y: u64, next: u64) -> [i32; NUM_LABELS] {
        self.labels[label_index(prev as usize, y as usize, next as usize)]
    }

    /// Row of document feature `(tm, v)`; `None` for one the table does not
    /// hold (the caller then looks it up).
    #[inline]
    pub(crate) fn doc(&self, tm: T, v: u64) -> Option<&[i16; NUM_LABELS]> {
        let k = DOC_TEMPLATES.iter().position(|&d| d as u64 == tm as u64)?;
        let (x, cap) = if matches!(tm, T::SDocNone) {
            (0, v)
        } else {
            (v & 0xff, v >> 8)
        };
        let c = STACK_CAPS.iter().position(|&c| c == cap)?;
        if x >= DOC_VALUES as u64 {
            return None;
        }
        self.doc
            .get((k * DOC_VALUES + x as usize) * STACK_CAPS.len() + c)
    }
}

#[inline]
fn label_index(prev: usize, y: usize, next: usize) -> usize {
    (prev * NUM_LABELS + y) * LABEL_VALUES + next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::Scratch;
    use crate::ner::Tagger;

    #[test]
    fn tabled_scores_equal_the_sums_of_all_features() {
        let tagger = Tagger::embedded("nl").expect("embedded nl model");
        let (st, bits) = (&tagger.w.stages[1], tagger.w.bits);
        let tables = StackTables::new(st, bits);
        // Repeated forms in every capitalisation, so that every document
        // feature fires; labels cycle so that every label context occurs.
        let doc: Vec<Vec<String>> = [
            "Volgens Smitsma opende Tromvaart BV dinsdag een kantoor in Den Haag .",
            "SMITSMA en smitsma en Smitsma : drie keer dezelfde naam .",
            "Tromvaart , Den Haag en Zürich ( 2024 ) .",
            "",
            "Smitsma",
        ]
        .iter()
        .map(|s| s.split_whitespace().map(String::from).collect())
        .collect();
        let mut sc = Scratch::default();
        sc.extract(tagger.res, bits, &doc);
        let n: usize = doc.iter().map(Vec::len).sum();
        for step in [1, 4, 7] {
            let pred: Vec<u8> = (0..n)
                .map(|i| ((i * step + i / 9) % NUM_LABELS) as u8)
                .collect();
            sc.stack(bits, &pred);
            let want: Vec<[i32; NUM_LABELS]> = sc
                .soffs
                .windows(2)
                .map(|o| {
                    let mut acc = [0; NUM_LABELS];
                    st.accumulate(&sc.sfeats[o[0] as usize..o[1] as usize], &mut acc);
                    acc
                })
                .collect();
            let mut got = Vec::new();
            sc.stack_scores(bits, &pred, st, &tables, &mut got);
            st.accumulate_all(&sc.sfeats, &sc.soffs, &mut got, &mut Vec::new());
            assert_eq!(got, want, "labels stepping by {step}");
        }
    }
}
