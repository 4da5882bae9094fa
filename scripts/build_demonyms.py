#!/usr/bin/env python3
"""Builds resources/<lang>/demonyms.tsv: place adjectives (demonyms) and the
place each one refers to (`Russische` -> Rusland, `Chechen` -> Chechnya).

No demonym list is copied. The adjectives are derived by the regular
morphology of each language from place names, and a derived form is kept
only when the language's public word list has it as a capitalised word:

- place names: the gazetteer resources/exonyms.tsv (countries and CLDR
  regions, all their names), the hand-written region list
  resources/<lang>/places.txt, and capitalised words of the word list that
  end like a country or region name (`-ië`, `-land`, `-stan`; `-ia`, `-ya`);
- word lists: OpenTaal (Debian package `wdutch`, /usr/share/dict/dutch) and
  SCOWL (Debian package `wamerican`, /usr/share/dict/american-english);
- a few irregular forms no rule derives (`Brits`, `British`, `Dutch`) are
  listed in IRREGULAR below, hand-written.

Output, one adjective a line (Dutch also with its inflected `-e` form):

    Adjective<TAB>name|name|...

where the names are every name of the place (all gazetteer names for a
gazetteer place). An adjective that several places could give keeps the
first (countries first, then regions, then the rest).

usage: python3 scripts/build_demonyms.py nl > resources/nl/demonyms.tsv
       python3 scripts/build_demonyms.py en > resources/en/demonyms.tsv
"""
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WORDLIST = {"nl": "/usr/share/dict/dutch", "en": "/usr/share/dict/american-english"}

# Endings stripped from a place name to get the stem an adjective is built on.
STRIP = {
    "nl": ["", "land", "and", "ië", "ije", "je", "ne", "e", "en", "a", "us", "istan", "stan", "o", "ien"],
    "en": ["", "a", "ia", "ya", "e", "y", "ey", "o", "on", "en", "ium", "istan", "stan", "land", "nya", "us"],
}
# Endings added to a stem; `+` doubles the stem's last letter (Rus -> Russisch),
# `~` doubles the vowel before the stem's last consonant (Zwed -> Zweeds).
ADD = {
    "nl": ["", "s", "isch", "+isch", "sch", "aans", "iaans", "ees", "ens", "~s", "iatisch", "atisch"],
    "en": ["n", "an", "ian", "ese", "ish", "+ish", "i", "ean"],
}
# The word list words that may name a place, by ending.
# (Not `-land`, `-ia`: Dutch village names and English given names end so.)
PLACE_ENDINGS = {"nl": ("ië", "stan"), "en": ("stan",)}

# Irregular adjectives, hand-written: adjective -> a name of the place.
IRREGULAR = {
    "nl": {
        "Brits": "Verenigd Koninkrijk",
        "Amerikaans": "Verenigde Staten",
        "Vlaams": "Vlaanderen",
        "Waals": "Wallonië",
        "Baskisch": "Baskenland",
        "Wit-Russisch": "Wit-Rusland",
        "Koerdisch": "Koerdistan",
        "Saoedisch": "Saoedi-Arabië",
        "Iers": "Ierland",
        "IJslands": "IJsland",
        "Grieks": "Griekenland",
        "Schots": "Schotland",
        "Welsh": "Wales",
        "Deens": "Denemarken",
        "Noors": "Noorwegen",
        "Spaans": "Spanje",
        "Portugees": "Portugal",
        "Tsjechisch": "Tsjechië",
        "Slowaaks": "Slowakije",
        "Kroatisch": "Kroatië",
        "Servisch": "Servië",
        "Hongaars": "Hongarije",
        "Roemeens": "Roemenië",
        "Bulgaars": "Bulgarije",
        "Zwitsers": "Zwitserland",
        "Oostenrijks": "Oostenrijk",
        "Frans": "Frankrijk",
        "Belgisch": "België",
        "Israëlisch": "Israël",
        "Libanees": "Libanon",
        "Jemenitisch": "Jemen",
        "Filipijns": "Filipijnen",
        "Nieuw-Zeelands": "Nieuw-Zeeland",
        "Zuid-Afrikaans": "Zuid-Afrika",
        "Noord-Koreaans": "Noord-Korea",
        "Zuid-Koreaans": "Zuid-Korea",
        "Indiaas": "India",
        "Aziatisch": "Azië",
        "Venezolaans": "Venezuela",
        "Cypriotisch": "Cyprus",
        "Bosnisch": "Bosnië en Herzegovina",
        "Palestijns": "Palestijnse gebieden",
    },
    "en": {
        "British": "United Kingdom",
        "Dutch": "Netherlands",
        "French": "France",
        "Swiss": "Switzerland",
        "Greek": "Greece",
        "Irish": "Ireland",
        "Welsh": "Wales",
        "Scottish": "Scotland",
        "English": "England",
        "Danish": "Denmark",
        "Norwegian": "Norway",
        "Spanish": "Spain",
        "Portuguese": "Portugal",
        "Czech": "Czechia",
        "Chechen": "Chechnya",
        "Thai": "Thailand",
        "Filipino": "Philippines",
        "Philippine": "Philippines",
        "Lebanese": "Lebanon",
        "Icelandic": "Iceland",
        "American": "United States",
        "Saudi": "Saudi Arabia",
        "Belarusian": "Belarus",
        "Kurdish": "Kurdistan",
        "Basque": "Basque Country",
        "Flemish": "Flanders",
        "Peruvian": "Peru",
        "Argentine": "Argentina",
        "Argentinian": "Argentina",
        "Afghan": "Afghanistan",
        "Kazakh": "Kazakhstan",
        "Uzbek": "Uzbekistan",
        "Tajik": "Tajikistan",
        "Kyrgyz": "Kyrgyzstan",
        "Turkmen": "Turkmenistan",
        "Kosovar": "Kosovo",
        "Crimean": "Crimea",
        "Polish": "Poland",
        "German": "Germany",
        "Cypriot": "Cyprus",
        "Bosnian": "Bosnia and Herzegovina",
        "Palestinian": "Palestinian Territories",
        "Emirati": "United Arab Emirates",
        "Moldovan": "Moldova",
        "Qatari": "Qatar",
        "Dagestani": "Dagestan",
    },
}

# Derived forms that are words of another meaning, hand-written: `Pols`
# (wrist), `Indiaans` (Native American, not Indian), `Rus` (a Russian). English needs no such
# list: a derived form that the word list also has in lowercase is dropped
# (`Marine`); Dutch keeps those (`Chinees`, `Pools` are also lowercase words).
NOT_DEMONYM = {"nl": {"Pols", "Polse", "Indiaans", "Indiaanse", "Rus"}, "en": set()}

VOWELS = "aeiouy"


def read_words(lang):
    with open(WORDLIST[lang], encoding="utf-8") as f:
        return {w.strip() for w in f if w[:1].isupper()}


def read_gazetteer():
    """[(names)] of countries and regions, in file order."""
    out = []
    with open(os.path.join(ROOT, "resources", "exonyms.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4 and cols[1] in ("country", "region"):
                out.append([n for n in cols[3].split("|") if n])
    return out


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def derive(lang, name):
    """Candidate adjectives of one place name."""
    out = []
    for strip in STRIP[lang]:
        if strip and not name.endswith(strip):
            continue
        stem = name[: len(name) - len(strip)] if strip else name
        if len(stem) < 3:
            continue
        for add in ADD[lang]:
            if add.startswith("+"):
                out.append(stem + stem[-1] + add[1:])
            elif add.startswith("~"):
                # `Zwed` -> `Zweed`: a single vowel before a final consonant
                if len(stem) >= 3 and stem[-1].lower() not in VOWELS \
                        and stem[-2].lower() in VOWELS and stem[-3].lower() not in VOWELS:
                    out.append(stem[:-1] + stem[-2] + stem[-1] + add[1:])
            elif not add and (strip != "land" or not stem.endswith("s")):
                continue  # the stem itself is an adjective only in `Duits-land`
            elif add == "s" and strip not in ("", "land", "and", "en", "us", "ije"):
                continue  # `Karel-s` from `Karelië` is a name's genitive
            elif strip or add != "s" or name[-1].lower() not in VOWELS + "ë":
                # a whole name plus `s` is a genitive unless the name ends in
                # a consonant (`Brussels`, `Nederlands`; not `Belgiës`)
                out.append(stem + add)
    return out


def inflect_nl(adj):
    """The Dutch attributive form: `Russisch` -> `Russische`, `Chinees` -> `Chinese`."""
    if len(adj) >= 4 and adj.endswith("s") and adj[-2] == adj[-3] and adj[-2] in "aeou" \
            and adj[-4] not in VOWELS:
        return adj[:-2] + "se"
    return adj + "e"


def main():
    lang = sys.argv[1] if len(sys.argv) > 1 else "nl"
    words = read_words(lang)
    with open(WORDLIST[lang], encoding="utf-8") as f:
        lowercase = {w.strip() for w in f if w[:1].islower()}
    places = read_gazetteer()
    known = {n for names in places for n in names}
    places += [[n] for n in read_list(os.path.join(ROOT, "resources", lang, "places.txt")) if n not in known]
    known |= {n for names in places for n in names}
    places += [[w] for w in sorted(words) if w.endswith(PLACE_ENDINGS[lang]) and w not in known and len(w) > 4]
    # adjective -> (common prefix with the place name, order, names): the
    # place whose name the adjective shares most letters with wins
    # (`Nigeriaans` is Nigeria's, not Niger's), then the earlier place.
    best = {}
    for order, names in enumerate(places):
        for name in names:
            for adj in derive(lang, name):
                # a real capitalised word, and no place name itself
                if adj not in words or adj in known or adj in NOT_DEMONYM[lang]:
                    continue
                # Dutch place adjectives end in -s or -sch (`Fins`, not `Fin`)
                if lang == "nl" and not adj.endswith("s"):
                    continue
                if lang == "en" and adj.lower() in lowercase:
                    continue
                prefix = len(os.path.commonprefix([adj, name]))
                key = (prefix, -order)
                if adj not in best or key > best[adj][0]:
                    best[adj] = (key, names)
    adjective = {adj: names for adj, (_, names) in best.items()}
    by_name = {n: names for names in places for n in names}
    for adj, name in IRREGULAR[lang].items():
        names = by_name.get(name, [name])
        adjective[adj] = names
    print(f"# Place adjectives (demonyms) for kgx, {lang}: built by scripts/build_demonyms.py")
    print("# from resources/exonyms.tsv, resources/%s/places.txt and the %s word list." % (lang, WORDLIST[lang]))
    print("# Do not edit by hand. adjective<TAB>names of the place")
    lines = {}
    for adj, names in adjective.items():
        lines[adj] = names
        if lang == "nl":
            lines.setdefault(inflect_nl(adj), names)
    for adj in sorted(lines):
        print(f"{adj}\t{'|'.join(lines[adj])}")


if __name__ == "__main__":
    main()
