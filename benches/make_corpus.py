#!/usr/bin/env python3
"""Builds a JSON Lines news-like corpus of about SIZE_MB megabytes for
benches/corpus.sh from the shared training data: detokenised CoNLL-2002
Dutch training articles, WikiNEuRal Dutch and English validation sentences
(grouped ten to a document) and the seed article. The pool is repeated with
new document ids until the size is reached. Only training and validation
splits are read, never a test split.

Usage: make_corpus.py SIZE_MB DATA_DIR SEED_FILE OUT.jsonl
"""
import json
import re
import sys


def detok(tokens):
    s = " ".join(tokens)
    s = re.sub(r" ([.,;:!?)\]%])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    return s


def conll_docs(path):
    docs, sents, toks = [], [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("-DOCSTART-"):
                if toks:
                    sents.append(detok(toks))
                    toks = []
                if sents:
                    docs.append(" ".join(sents))
                sents = []
            elif not line:
                if toks:
                    sents.append(detok(toks))
                toks = []
            else:
                toks.append(line.split()[0])
    if toks:
        sents.append(detok(toks))
    if sents:
        docs.append(" ".join(sents))
    return docs


def wikineural_docs(path, per_doc=10):
    sents, toks = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                if parts[0] == "0" and toks:
                    sents.append(detok(toks))
                    toks = []
                toks.append(parts[1])
            elif toks:
                sents.append(detok(toks))
                toks = []
    if toks:
        sents.append(detok(toks))
    return [" ".join(sents[i:i + per_doc]) for i in range(0, len(sents), per_doc)]


def main():
    size_mb, data, seed, out = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    pool = []
    pool += [("conll", d) for d in conll_docs(f"{data}/conll2002/ned.train")]
    pool += [("wikineural-nl", d) for d in wikineural_docs(f"{data}/wikineural/nl/val.conllu")]
    pool += [("wikineural-en", d) for d in wikineural_docs(f"{data}/wikineural/en/val.conllu")]
    with open(seed, encoding="utf-8") as f:
        pool.append(("seed", f.read()))
    target = int(size_mb * 1_000_000)
    written, n = 0, 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            for source, text in pool:
                line = json.dumps({"id": f"d{n:08d}", "text": text, "source": source},
                                  ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                n += 1
                if written >= target:
                    break
    print(f"{out}: {n} documents, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
