#!/usr/bin/env bash
# Regenerates output/ from seeds/ with the release binary: for every
# seeds/NAME.txt, output/NAME.{json,dot,gexf,graphml,svg} and the CSV pair
# in output/NAME-csv/. Run from anywhere; builds the binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
kgx=./target/release/kgx
mkdir -p output
shopt -s nullglob
seeds=(seeds/*.txt)
if [ ${#seeds[@]} -eq 0 ]; then
    echo "regenerate-output: no seeds/*.txt" >&2
    exit 1
fi
for seed in "${seeds[@]}"; do
    name=$(basename "$seed" .txt)
    for ext in json dot gexf graphml svg; do
        "$kgx" extract "$seed" -o "output/$name.$ext"
    done
    "$kgx" extract "$seed" --format csv -o "output/$name-csv"
    echo "output/$name.{json,dot,gexf,graphml,svg} output/$name-csv/"
done
