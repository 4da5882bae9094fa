#!/bin/sh
# Build the lowercase common-word lists used by the NER tagger.
# Needs Debian packages: apt-get install wdutch wamerican
#   resources/nl/words.txt: lowercase entries of /usr/share/dict/dutch (OpenTaal, BSD / CC BY 3.0), <= 10 chars
#   resources/en/words.txt: lowercase entries of /usr/share/dict/american-english (SCOWL), no possessives
set -e
cd "$(dirname "$0")/.."
LC_ALL=C.UTF-8 grep -E '^[[:lower:]]' /usr/share/dict/dutch | awk 'length($0) <= 10' | LC_ALL=C sort -u > resources/nl/words.txt
LC_ALL=C.UTF-8 grep -E '^[[:lower:]]' /usr/share/dict/american-english | grep -v "'" | LC_ALL=C sort -u > resources/en/words.txt
wc -l resources/nl/words.txt resources/en/words.txt
