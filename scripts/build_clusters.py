#!/usr/bin/env python3
"""Cheap distributional word clusters for the NER tagger.

For every word (exact case) seen at least MIN_COUNT times in unlabelled text,
build a context vector of the (lowercased) words at positions -2, -1, +1, +2
(restricted to the most frequent context words; rarer ones are replaced by a
word-shape class), weight it with positive PMI, reduce it to DIM dimensions
with a randomised SVD, and run spherical k-means at three granularities.

Usage: build_clusters.py OUT.tsv FILE [FILE...]
  FILE: CoNLL-style (token in the first column, or idx<TAB>token<TAB>tag) or
        ECB+ XML (<token ...>word</token>); only the tokens are used, never tags.
Output lines: word<TAB>cluster id per clustering (KGX_KS, default 64,256,1024).
Needs: pip install numpy
"""
import collections
import os
import html
import re
import sys

import numpy as np

NCTX = 2000
DIM = 96
KS = tuple(int(k) for k in os.environ.get("KGX_KS", "64,256,1024").split(","))
MIN_COUNT = int(os.environ.get("KGX_MIN_COUNT", "2"))
SEED = 7


def read_sentences(path):
    if path.endswith(".xml"):
        sents = collections.OrderedDict()
        with open(path, encoding="utf-8") as f:
            for m in re.finditer(r'<token [^>]*sentence="(\d+)"[^>]*>([^<]*)</token>', f.read()):
                sents.setdefault(m.group(1), []).append(html.unescape(m.group(2)))
        return list(sents.values())
    out, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    out.append(cur)
                cur = []
                continue
            if line.startswith("-DOCSTART-"):
                continue
            if "\t" in line:
                cols = line.split("\t")
                tok = cols[1] if len(cols) >= 3 and cols[0].isdigit() else cols[0]
            else:
                tok = line.split()[0]
            cur.append(tok)
    if cur:
        out.append(cur)
    return out


def shape(w):
    s = re.sub(r"[A-ZÀ-Þ]", "X", w)
    s = re.sub(r"[a-zß-ÿ]", "x", s)
    s = re.sub(r"[0-9]", "d", s)
    return "<" + re.sub(r"(.)\1+", r"\1", s)[:6] + ">"


def kmeans(x, k, rng, iters=25):
    n = x.shape[0]
    c = x[rng.choice(n, k, replace=False)].copy()
    for _ in range(iters):
        sim = x @ c.T
        a = sim.argmax(1)
        c = np.zeros_like(c)
        np.add.at(c, a, x)
        empty = np.where(~c.any(1))[0]
        if len(empty):
            c[empty] = x[rng.choice(n, len(empty), replace=False)]
        c /= np.linalg.norm(c, axis=1, keepdims=True) + 1e-9
    return (x @ c.T).argmax(1)


def main():
    out_path, files = sys.argv[1], sys.argv[2:]
    sents = []
    for p in files:
        if p.endswith("/"):
            import glob
            for q in sorted(glob.glob(p + "**/*.xml", recursive=True)):
                sents.extend(read_sentences(q))
        else:
            sents.extend(read_sentences(p))
    counts = collections.Counter(w for s in sents for w in s)
    vocab = [w for w, c in counts.most_common() if c >= MIN_COUNT]
    vid = {w: i for i, w in enumerate(vocab)}
    lc = collections.Counter(w.lower() for s in sents for w in s)
    ctx_words = [w for w, _ in lc.most_common(NCTX)]
    cid = {w: i for i, w in enumerate(ctx_words)}
    shapes = {}

    def ctx(w):
        if w is None:
            return NCTX
        i = cid.get(w.lower())
        if i is not None:
            return i
        s = shape(w)
        if s not in shapes:
            shapes[s] = len(shapes)
        return NCTX + 1 + shapes[s]

    rows, cols = [], []
    for s in sents:
        padded = [None, None] + s + [None, None]
        cids = [ctx(w) for w in padded]
        for i, w in enumerate(s):
            r = vid.get(w)
            if r is None:
                continue
            j = i + 2
            for slot, off in enumerate((-2, -1, 1, 2)):
                rows.append(r)
                cols.append(slot * 10000 + cids[j + off])
    rows = np.array(rows)
    cols = np.array(cols)
    ucols, cols = np.unique(cols, return_inverse=True)
    m = np.zeros((len(vocab), len(ucols)), dtype=np.float32)
    np.add.at(m, (rows, cols), 1.0)
    total = m.sum()
    pr = m.sum(1, keepdims=True) / total
    pc = (m.sum(0, keepdims=True) / total) ** 0.75
    pc /= pc.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(m / total / (pr * pc))
    pmi[~np.isfinite(pmi)] = 0
    np.maximum(pmi, 0, out=pmi)
    rng = np.random.default_rng(SEED)
    omega = rng.standard_normal((pmi.shape[1], DIM + 20)).astype(np.float32)
    y = pmi @ omega
    q, _ = np.linalg.qr(pmi @ (pmi.T @ y))
    b = q.T @ pmi
    ub, s, _ = np.linalg.svd(b, full_matrices=False)
    emb = (q @ ub[:, :DIM]) * np.sqrt(s[:DIM])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    ids = [kmeans(emb, k, rng) for k in KS]
    with open(out_path, "w", encoding="utf-8") as f:
        for i, w in enumerate(vocab):
            if "\t" in w or not w:
                continue
            f.write(w + "".join(f"\t{c[i]}" for c in ids) + "\n")
    print(f"{len(sents)} sentences, {sum(counts.values())} tokens, {len(vocab)} words clustered", file=sys.stderr)


if __name__ == "__main__":
    main()
