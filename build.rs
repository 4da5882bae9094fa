//! Computes at compile time the look-up tables kgx would otherwise build
//! from its resource files at every start: the NER gazetteer, word and
//! cluster tables of each language (`src/ner/resources.rs`) and the place
//! gazetteer's name index (`src/resolve/gazetteer.rs`). They are written to
//! `OUT_DIR` as byte images that the binary embeds and reads in place
//! (`src/radix.rs`). The code that computes them is the crate's own,
//! included here by path, so the tables cannot drift from the rules.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/ner/hash.rs"]
mod hash;
#[allow(dead_code)]
#[path = "src/resolve/keys.rs"]
mod keys;
#[allow(dead_code)]
#[path = "src/radix_writer.rs"]
mod radix_writer;
// Allows its own unused items (the binary uses other parts of it).
#[path = "src/ner/resource_tables.rs"]
mod resource_tables;

use radix_writer::Writer;
use resource_tables::{Sources, Tables};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Keys of a map in increasing order, with their values.
fn sorted<V: Copy>(map: &HashMap<u64, V>) -> Vec<(u64, V)> {
    let mut v: Vec<(u64, V)> = map.iter().map(|(&k, &v)| (k, v)).collect();
    v.sort_unstable_by_key(|e| e.0);
    v
}

/// The image `Resources::embedded` reads: fingerprint, `gaz`, `gaz_pos`,
/// `words`, `clusters`.
fn ner_image(t: &Tables, big_endian: bool) -> Vec<u8> {
    let mut w = Writer::new(big_endian);
    w.u64(t.fingerprint);
    let gaz = sorted(&t.gaz);
    w.set(&gaz.iter().map(|e| e.0).collect::<Vec<_>>());
    gaz.iter().for_each(|e| w.u8(e.1));
    w.pad();
    let pos = sorted(&t.gaz_pos);
    w.set(&pos.iter().map(|e| e.0).collect::<Vec<_>>());
    pos.iter().for_each(|e| w.u16(e.1));
    w.pad();
    let mut words: Vec<u64> = t.words.iter().copied().collect();
    words.sort_unstable();
    w.set(&words);
    let cl = sorted(&t.clusters);
    w.set(&cl.iter().map(|e| e.0).collect::<Vec<_>>());
    for (_, ids) in &cl {
        ids.iter().for_each(|&id| w.u16(id));
    }
    w.into_bytes()
}

/// Byte offset and length of `sub`, a slice of `text`.
fn span(text: &str, sub: &str) -> [u32; 2] {
    let off = sub.as_ptr() as usize - text.as_ptr() as usize;
    [off as u32, sub.len() as u32]
}

/// The image `Gazetteer::get` reads, following the rules of
/// `Gazetteer::parse`: the text's length; the places as spans of the text
/// (id, kind, parent); id hash -> place (the last place with that id);
/// name-skeleton hash -> (place, span of the skeleton in the key bytes)
/// (the first place with that name); the key bytes.
fn gazetteer_image(text: &str, big_endian: bool) -> Vec<u8> {
    let mut places: Vec<[u32; 6]> = Vec::new();
    let mut by_id: HashMap<u64, (&str, u32)> = HashMap::new();
    let mut by_key: HashMap<u64, (String, u32)> = HashMap::new();
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    for line in lines {
        let mut cols = line.split('\t');
        let (Some(id), Some(kind), Some(parent), Some(names)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let ix = places.len() as u32;
        let [io, il] = span(text, id);
        let [ko, kl] = span(text, kind);
        let [po, pl] = span(text, parent);
        places.push([io, il, ko, kl, po, pl]);
        let old = by_id.insert(hash::hash_str(id), (id, ix));
        assert!(old.is_none_or(|o| o.0 == id), "place ids collide: {id}");
        for name in names.split('|') {
            let key = keys::skeleton(name).join(" ");
            if key.is_empty() {
                continue;
            }
            let e = by_key
                .entry(hash::hash_str(&key))
                .or_insert_with(|| (key.clone(), ix));
            assert_eq!(e.0, key, "gazetteer keys collide");
        }
    }
    let mut w = Writer::new(big_endian);
    w.u64(text.len() as u64);
    w.u64(places.len() as u64);
    for p in &places {
        p.iter().for_each(|&v| w.u32(v));
    }
    w.pad();
    let mut ids: Vec<(u64, u32)> = by_id.iter().map(|(&h, &(_, ix))| (h, ix)).collect();
    ids.sort_unstable();
    w.set(&ids.iter().map(|e| e.0).collect::<Vec<_>>());
    ids.iter().for_each(|e| w.u32(e.1));
    w.pad();
    let mut names: Vec<(u64, &str, u32)> = by_key
        .iter()
        .map(|(&h, (k, ix))| (h, k.as_str(), *ix))
        .collect();
    names.sort_unstable();
    w.set(&names.iter().map(|e| e.0).collect::<Vec<_>>());
    let mut blob = String::new();
    for &(_, key, ix) in &names {
        w.u32(ix);
        w.u32(blob.len() as u32);
        w.u32(key.len() as u32);
        blob.push_str(key);
    }
    w.pad();
    w.u64(blob.len() as u64);
    w.bytes(blob.as_bytes());
    w.into_bytes()
}

/// Column of a language's names in `countries.tsv`, from its header
/// (`# code<TAB>nl names<TAB>en names`).
fn country_column(countries: &str, code: &str) -> usize {
    let header = countries.lines().next().unwrap_or("");
    header
        .split('\t')
        .position(|c| c.split_whitespace().next() == Some(code))
        .unwrap_or_else(|| {
            panic!("resources/countries.tsv has no column for language {code:?} in its header")
        })
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    for p in [
        "build.rs",
        "resources",
        "src/ner/hash.rs",
        "src/resolve/keys.rs",
        "src/radix_writer.rs",
        "src/ner/resource_tables.rs",
    ] {
        println!("cargo:rerun-if-changed={p}");
    }
    let res = root.join("resources");

    // NER tables: one per language folder with word clusters.
    let countries = read(&res.join("countries.tsv"));
    let places = read(&res.join("places.txt"));
    let mut langs: Vec<String> = std::fs::read_dir(&res)
        .expect("resources/ is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("clusters.tsv").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    langs.sort();
    let mut code = String::from(
        "/// NER tables by language: code, column in `countries.tsv`, image.\n\
         static NER_TABLES: &[(&str, usize, &Aligned<[u8]>)] = &[\n",
    );
    for lang in &langs {
        let dir = res.join(lang);
        let lang_places = read(&dir.join("places.txt"));
        let src = Sources {
            lang_col: country_column(&countries, lang),
            countries: &countries,
            places: &[&places, &lang_places],
            words: &read(&dir.join("words.txt")),
            clusters: &read(&dir.join("clusters.tsv")),
        };
        let path = out.join(format!("ner-{lang}.tables"));
        std::fs::write(&path, ner_image(&Tables::build(&src), big_endian))
            .expect("OUT_DIR is writable");
        writeln!(
            code,
            "    ({lang:?}, {}, &Aligned(*include_bytes!({:?}))),",
            src.lang_col,
            path.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    std::fs::write(out.join("ner_tables.rs"), code).expect("OUT_DIR is writable");

    // The place gazetteer.
    let exonyms = read(&res.join("exonyms.tsv"));
    let path = out.join("gazetteer.tables");
    std::fs::write(&path, gazetteer_image(&exonyms, big_endian)).expect("OUT_DIR is writable");
    std::fs::write(
        out.join("gazetteer_image.rs"),
        format!(
            "/// The image of the built-in gazetteer (see build.rs).\n\
             static IMAGE: &Aligned<[u8]> = &Aligned(*include_bytes!({:?}));\n",
            path.display().to_string()
        ),
    )
    .expect("OUT_DIR is writable");
}
