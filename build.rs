//! Computes at compile time the look-up tables kgx would otherwise build
//! from its resource files at every start: the NER gazetteer, word and
//! cluster tables of each language (`src/ner/resources.rs`) and the place
//! gazetteer's name index (`src/resolve/gazetteer.rs`), and it decodes the
//! embedded NER models (`src/ner/model.rs`). They are written to
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

/// A cursor over a model file; every read fails past the end.
struct ModelReader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> ModelReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self.b.get(self.pos..self.pos + n).ok_or("truncated")?;
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }
}

/// Decodes a model file (the format `Weights::to_bytes` writes, checked as
/// `Weights::from_bytes` checks it, in `src/ner/model.rs`) into the image
/// `Weights::from_image` reads: bits, fingerprint, stage count, language;
/// per stage scale, alpha and transitions, row count, the occupied-bucket
/// bitmap (one `u64` per 64 buckets) and each block's rank (rows before
/// it), the nonzero rows and an all-zero row.
fn model_image(bytes: &[u8], big_endian: bool) -> Result<Vec<u8>, String> {
    const NUM_LABELS: usize = 9;
    if bytes.get(..6) != Some(b"KGXNER") {
        return Err("bad magic bytes".into());
    }
    if bytes.len() < 6 + 2 + 8 {
        return Err("truncated".into());
    }
    let version = u16::from_le_bytes([bytes[6], bytes[7]]);
    if version != 1 {
        return Err(format!("unsupported format version {version}"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if hash::hash_bytes(body) != u64::from_le_bytes(sum.try_into().expect("8 bytes")) {
        return Err("checksum mismatch".into());
    }
    let mut r = ModelReader { b: body, pos: 8 };
    let lang_len = r.u8()? as usize;
    let lang = r.take(lang_len)?;
    let bits = u32::from(r.u8()?);
    if !(8..=26).contains(&bits) {
        return Err(format!("bad table size 2^{bits}"));
    }
    let fingerprint = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
    let nstages = r.u8()?;
    if !(1..=2).contains(&nstages) {
        return Err(format!("bad stage count {nstages}"));
    }
    let mut w = Writer::new(big_endian);
    w.u64(u64::from(bits));
    w.u64(fingerprint);
    w.u64(u64::from(nstages));
    w.u64(lang.len() as u64);
    w.bytes(lang);
    w.pad();
    let nb = 1usize << bits;
    for _ in 0..nstages {
        let scale = r.u32()?;
        if !f32::from_bits(scale).is_finite() || f32::from_bits(scale) <= 0.0 {
            return Err("bad weight scale".into());
        }
        let alpha = r.u32()?;
        if !f32::from_bits(alpha).is_finite() {
            return Err("bad stage weight".into());
        }
        w.u32(scale);
        w.u32(alpha);
        for _ in 0..(NUM_LABELS + 1) * NUM_LABELS {
            let v = r.u32()?;
            w.u32(v);
        }
        w.pad();
        let nrows = r.u32()? as usize;
        if nrows > nb {
            return Err("too many rows".into());
        }
        let mut blocks = vec![0u64; nb.div_ceil(64)];
        let mut rows = Vec::with_capacity(nrows * NUM_LABELS);
        let mut b = 0usize;
        for k in 0..nrows {
            let d = r.varint()? as usize;
            b = if k == 0 {
                d
            } else {
                b.saturating_add(d).saturating_add(1)
            };
            if b >= nb {
                return Err("bucket out of range".into());
            }
            blocks[b >> 6] |= 1 << (b & 63);
            for _ in 0..NUM_LABELS {
                let z = r.varint()?;
                let x = ((z >> 1) as i64) ^ -((z & 1) as i64);
                rows.push(i16::try_from(x).map_err(|_| "weight out of range")?);
            }
        }
        w.u64(nrows as u64);
        blocks.iter().for_each(|&v| w.u64(v));
        // Each block's rank: the number of rows before it.
        let mut rank = 0u32;
        for v in &blocks {
            w.u32(rank);
            rank += v.count_ones();
        }
        w.pad();
        rows.iter().for_each(|&v| w.u16(v as u16));
        // The all-zero row that empty buckets point to.
        (0..NUM_LABELS).for_each(|_| w.u16(0));
        w.pad();
    }
    if r.pos != body.len() {
        return Err("trailing bytes".into());
    }
    Ok(w.into_bytes())
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

    // NER models: `models/<code>-ner.bin`, decoded. A file that is no
    // valid model gets no image, so that the binary has no model for its
    // language, as when it failed to load at run time.
    let models = root.join("models");
    println!("cargo:rerun-if-changed=models");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&models)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            Some((name.strip_suffix("-ner.bin")?.to_string(), p))
        })
        .collect();
    files.sort();
    let mut code = String::from(
        "/// Embedded NER models by language code, decoded by build.rs.\n\
         static MODELS: &[(&str, &Aligned<[u8]>)] = &[\n",
    );
    for (lang, file) in &files {
        let bytes = std::fs::read(file).expect("model file is readable");
        match model_image(&bytes, big_endian) {
            Ok(image) => {
                let path = out.join(format!("model-{lang}.image"));
                std::fs::write(&path, image).expect("OUT_DIR is writable");
                writeln!(
                    code,
                    "    ({lang:?}, &Aligned(*include_bytes!({:?}))),",
                    path.display().to_string()
                )
                .expect("write to a String");
            }
            Err(e) => println!(
                "cargo:warning={} is no valid NER model ({e}): the binary has no {lang} model",
                file.display()
            ),
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("ner_models.rs"), code).expect("OUT_DIR is writable");

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
