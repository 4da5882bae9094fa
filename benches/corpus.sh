#!/usr/bin/env bash
# End-to-end corpus benchmark: builds a JSON Lines corpus of SIZE_MB
# megabytes from ../shared/data (see make_corpus.py), runs the release
# `kgx extract` on it under /usr/bin/time -v, and prints MB/s and peak RSS.
#
# Usage: benches/corpus.sh SIZE_MB [JOBS]     (run from the project root)
# Needs /usr/bin/time (Debian package `time`; installed here if missing).
set -euo pipefail
size=${1:?usage: benches/corpus.sh SIZE_MB [JOBS]}
jobs=${2:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${KGX_DATA:-$root/../shared/data}
if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null || { echo "install the Debian package 'time'" >&2; exit 2; }
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/benches/make_corpus.py" "$size" "$data" "$root/seeds/seed-article.txt" "$tmp/corpus.jsonl"
bytes=$(stat -c %s "$tmp/corpus.jsonl")
# Flush the corpus just written, so that the kernel's write-back of it does
# not run during the timed extraction.
sync
/usr/bin/time -v "$root/target/release/kgx" extract -q --stats -j "$jobs" \
    "$tmp/corpus.jsonl" -o "$tmp/graph.json" 2>"$tmp/time.txt" || { cat "$tmp/time.txt" >&2; exit 1; }
grep '^kgx: stats' "$tmp/time.txt"
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tmp/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$tmp/time.txt")
awk -v b="$bytes" -v s="$secs" -v r="$rss" -v c="$cpu" -v j="$jobs" 'BEGIN {
    printf "corpus %.1f MB, -j %s: %.2f s wall, %.2f MB/s, peak RSS %.0f MB, CPU %s, graph %s\n",
        b / 1e6, (j == 0 ? "all" : j), s, b / 1e6 / s, r / 1024, c, "ok" }'
