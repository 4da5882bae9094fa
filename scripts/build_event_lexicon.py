#!/usr/bin/env python3
"""Derive English event trigger words from ECB+ and write resources/en/events.tsv.

usage: scripts/build_event_lexicon.py [ECB+_DIR] [OUT_TSV]

ECB+ (Cybulska and Vossen, LREC 2014; CC BY 3.0) marks event triggers in
English news as ACTION_* markables pointing at token ids. This script counts
the single-word trigger forms (lowercased), keeps those seen at least
MIN_COUNT times whose stem is in STEM_TYPES (a hand-made map from a general
news-vocabulary stem to a kgx event type), and writes them between the
`# BEGIN ECB+` and `# END ECB+` markers of the output file. Everything outside
the markers (the hand-written part of the lexicon) is kept as it is, so the
script can be re-run at any time.

ECB+ carries no event types, and many of its triggers are too general for a
knowledge graph (`found`, `made`, `set`): the stem map both types the words
and decides which ones are events worth reporting.
"""
import collections
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

MIN_COUNT = 2

# Stem (the start of a lowercased form) -> (event type, part of speech: n or v).
# Longest matching stem wins. Only stems listed here make it into the lexicon.
STEM_TYPES = {
    "arrest": ("arrest", "v"),
    "detain": ("arrest", "v"),
    "detention": ("arrest", "n"),
    "captur": ("arrest", "v"),
    "custody": ("arrest", "n"),
    "attack": ("attack", "v"),
    "assault": ("attack", "v"),
    "shooting": ("attack", "n"),
    "shot": ("attack", "v"),
    "shoot": ("attack", "v"),
    "kill": ("attack", "v"),
    "murder": ("attack", "v"),
    "bomb": ("attack", "v"),
    "stabb": ("attack", "v"),
    "raid": ("attack", "v"),
    "strike": ("attack", "n"),
    "struck": ("attack", "v"),
    "explosion": ("attack", "n"),
    "massacre": ("attack", "n"),
    "ambush": ("attack", "v"),
    "hijack": ("attack", "v"),
    "arson": ("attack", "n"),
    "invad": ("offensive", "v"),
    "invasion": ("offensive", "n"),
    "offensive": ("offensive", "n"),
    "retreat": ("retreat", "v"),
    "withdr": ("retreat", "v"),
    "said": ("statement", "v"),
    "say": ("statement", "v"),
    "told": ("statement", "v"),
    "statement": ("statement", "n"),
    "stated": ("statement", "v"),
    "declar": ("statement", "v"),
    "claim": ("statement", "v"),
    "warn": ("statement", "v"),
    "denied": ("statement", "v"),
    "deny": ("statement", "v"),
    "admit": ("statement", "v"),
    "confirm": ("statement", "v"),
    "insist": ("statement", "v"),
    "accus": ("statement", "v"),
    "condemn": ("statement", "v"),
    "criticiz": ("statement", "v"),
    "announc": ("announcement", "v"),
    "unveil": ("announcement", "v"),
    "speech": ("speech", "n"),
    "address": ("speech", "n"),
    "protest": ("protest", "n"),
    "riot": ("protest", "n"),
    "demonstrat": ("protest", "n"),
    "rall": ("protest", "n"),
    "march": ("protest", "n"),
    "vigil": ("protest", "n"),
    "strik": ("protest", "n"),
    "trial": ("trial", "n"),
    "charg": ("trial", "v"),
    "convict": ("trial", "v"),
    "sentenc": ("trial", "v"),
    "indict": ("trial", "v"),
    "acquit": ("trial", "v"),
    "prosecut": ("trial", "v"),
    "hearing": ("trial", "n"),
    "verdict": ("trial", "n"),
    "election": ("election", "n"),
    "elected": ("election", "v"),
    "re-elected": ("election", "v"),
    "vote": ("vote", "v"),
    "voting": ("vote", "n"),
    "referendum": ("referendum", "n"),
    "summit": ("summit", "n"),
    "meeting": ("meeting", "n"),
    "met": ("meeting", "v"),
    "meet": ("meeting", "v"),
    "talks": ("meeting", "n"),
    "negotiat": ("meeting", "n"),
    "visit": ("meeting", "v"),
    "sanction": ("sanction", "n"),
    "embargo": ("sanction", "n"),
    "ban": ("sanction", "v"),
    "war": ("war", "n"),
    "fighting": ("war", "n"),
    "battle": ("war", "n"),
    "clash": ("war", "n"),
    "annex": ("annexation", "v"),
    "occup": ("annexation", "v"),
    "mobiliz": ("mobilisation", "v"),
    "mobilis": ("mobilisation", "v"),
    "deploy": ("mobilisation", "v"),
    "resign": ("other", "v"),
    "appoint": ("other", "v"),
    "nominat": ("other", "v"),
    "fired": ("other", "v"),
    "escape": ("other", "v"),
    "released": ("other", "v"),
    "evacuat": ("other", "v"),
    "earthquake": ("other", "n"),
    "quake": ("other", "n"),
    "ceasefire": ("other", "n"),
    "deal": ("other", "n"),
    "agreement": ("other", "n"),
    "treaty": ("other", "n"),
}

# Words that start like a stem above but are not that event (`marched` is,
# `market` is not caught anyway; these are the ones ECB+ actually has).
NOT_EVENTS = {
    "shotgun", "banned", "war-torn", "warm", "warned", "warner", "metal",
    "address", "addressed", "charge", "charges", "rally", "march", "strike",
    "strikes", "deal", "deals", "wars", "sayings", "claims", "visitors",
    "occupants", "meets", "rallied", "banking", "sentence", "sentences",
    "claim", "say", "meet", "kill", "shoot", "fired", "released", "striking",
    "shots", "captures", "escapes", "escape", "nominate", "hijack",
}


def stem_type(form):
    best = None
    for stem, t in STEM_TYPES.items():
        if form.startswith(stem) and (best is None or len(stem) > len(best[0])):
            best = (stem, t)
    if best is None:
        return None
    stem, (etype, pos) = best
    # a short stem must not swallow a longer unrelated word (`ban` in `bank`)
    if len(form) - len(stem) > 4:
        return None
    if form.endswith("ing") and pos == "v":
        pos = "n"
    return etype, pos


def count_triggers(root_dir):
    counts = collections.Counter()
    for path in sorted(glob.glob(os.path.join(root_dir, "*", "*.xml"))):
        root = ET.parse(path).getroot()
        tokens = {t.get("t_id"): (t.text or "") for t in root.iter("token")}
        markables = root.find("Markables")
        if markables is None:
            continue
        for m in markables:
            if not m.tag.startswith("ACTION_") or m.tag in ("ACTION_GENERIC", "ACTION_NEGATION"):
                continue
            ids = [a.get("t_id") for a in m.iter("token_anchor")]
            if len(ids) != 1:
                continue
            form = tokens[ids[0]].lower()
            if re.fullmatch(r"[a-z][a-z-]*", form):
                counts[form] += 1
    return counts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/ecbplus/ECB+"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "resources", "en", "events.tsv")
    counts = count_triggers(src)
    rows = []
    for form, n in counts.items():
        if n < MIN_COUNT or form in NOT_EVENTS:
            continue
        st = stem_type(form)
        if st is None:
            continue
        rows.append((form, st[0], st[1], n))
    rows.sort()
    block = ["# BEGIN ECB+ (generated by scripts/build_event_lexicon.py; do not edit by hand)"]
    block += [f"{form}\t{etype}\t{pos}\t# ecb+ {n}" for form, etype, pos, n in rows]
    block.append("# END ECB+")
    old = open(out, encoding="utf-8").read().splitlines() if os.path.exists(out) else []
    if any(line.startswith("# BEGIN ECB+") for line in old):
        b = next(i for i, l in enumerate(old) if l.startswith("# BEGIN ECB+"))
        e = next(i for i, l in enumerate(old) if l.startswith("# END ECB+"))
        new = old[:b] + block + old[e + 1:]
    else:
        new = old + block
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(new) + "\n")
    print(f"{len(rows)} trigger forms from ECB+ written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
