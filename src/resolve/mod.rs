//! The resolve stage: [`Mention`]s in, [`Entity`]s out.
//!
//! Mentions that name the same real-world thing become one entity. Each
//! mention is first reduced to its *name* (a title or article the tagger
//! included is stripped and kept as a role), then mentions are joined by
//! rules, each guarded against over-merging (see `docs/RESOLVE.md`):
//!
//! 1. the same name, by its [skeleton](keys::skeleton) (spelling and
//!    romanisation variants: `Sobjanin` / `Sobyanin`), whatever the type the
//!    tagger gave each mention; the entity takes the majority type, and a
//!    title before the name (`President X`) makes it a person;
//! 2. possessive and inflected forms (`Poetins`) when the bare form is a
//!    name of the document or a known place;
//! 3. places the [gazetteer](gazetteer::Gazetteer) knows under one id
//!    (`Kiev` / `Kyiv`, `Charkov` / `Kharkiv`);
//! 4. names one letter apart (guarded [`keys::fuzzy_eq`]) of the same type;
//! 5. a surname after a person's full name (`Kadyrov` after `Ramzan
//!    Kadyrov`); when two people share the surname, each bare mention goes
//!    to the nearest full name before it;
//! 6. acronyms: `NAME (ACR)`, or an acronym equal to a name's initials;
//!    a person's name followed by another person name in brackets (a
//!    pseudonym);
//! 7. the name part of a hyphenated compound (`Poetin-regime`) when it names
//!    an entity of the document.

pub mod demonym;
pub mod gazetteer;
pub mod index;
pub mod keys;
pub mod lexicon;
pub mod split;

pub use index::AliasIndex;
pub use split::split_names;

use std::collections::BTreeMap;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use crate::ner::{EntityKind, Mention};
use crate::text::{Document, Span};
use gazetteer::Gazetteer;
use keys::{fuzzy_eq, fuzzy_name_eq, initials, is_acronym, skeleton, skeleton_key};
use lexicon::Lexicon;

/// One real-world actor, organisation or place in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// What it is (never [`EntityKind::Misc`]).
    pub kind: EntityKind,
    /// The fullest name the text gives.
    pub label: String,
    /// Every other form of the name seen, sorted.
    pub aliases: Vec<String>,
    /// Titles and roles the text gives it (`president`, `minister van Defensie`).
    pub roles: Vec<String>,
    /// Indices into the mention list handed to [`resolve`], in text order.
    pub mentions: Vec<usize>,
    /// The name's span in each mention, parallel to `mentions`: the mention
    /// without a title the tagger included, or the name part of a
    /// hyphenated compound (`Poetin` in `Poetin-regime`).
    pub names: Vec<Span>,
}

/// A mention reduced to its name.
#[derive(Clone, Debug)]
struct Form<'a> {
    /// Index into the mentions.
    mention: usize,
    /// The tagger's type.
    kind: EntityKind,
    /// Byte span of the name.
    span: Span,
    /// The name as written.
    text: &'a str,
    /// Skeleton words of the name (genitive stripped where that names
    /// something), shared by the forms of one name.
    words: Rc<[String]>,
    /// `words` joined by spaces: the key names are compared by.
    key: Rc<str>,
    /// Roles found around the mention.
    roles: Vec<String>,
    /// A title stands right before the name (strong evidence of a person).
    titled: bool,
    /// First and one-past-last token of the name.
    tokens: std::ops::Range<usize>,
}

impl Form<'_> {
    fn key(&self) -> &str {
        &self.key
    }
}

/// A name's skeleton words and their key (the words joined by spaces).
#[derive(Clone)]
struct Skeleton {
    words: Rc<[String]>,
    key: Rc<str>,
}

impl Skeleton {
    fn new(words: Vec<String>) -> Skeleton {
        Skeleton {
            key: words.join(" ").into(),
            words: words.into(),
        }
    }
}

/// The skeleton of each distinct name of a document, computed once and
/// shared: a document names the same few entities over and over.
#[derive(Default)]
struct SkeletonCache<'a>(HashMap<&'a str, Skeleton>);

impl<'a> SkeletonCache<'a> {
    fn get(&mut self, text: &'a str) -> &Skeleton {
        self.0.entry(text).or_insert_with(|| shared_skeleton(text))
    }
}

/// How many names the per-thread skeleton cache holds before it starts over.
const SHARED_SKELETONS: usize = 1 << 15;

thread_local! {
    /// Skeletons of the names of earlier documents on this thread: a corpus
    /// names the same people and places in document after document, and a
    /// skeleton depends on the name alone.
    static SKELETONS: std::cell::RefCell<HashMap<Box<str>, Skeleton>> =
        std::cell::RefCell::new(HashMap::default());
}

/// The skeleton of a name, from the per-thread cache when it is there.
fn shared_skeleton(text: &str) -> Skeleton {
    SKELETONS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(text) {
            return s.clone();
        }
        let s = Skeleton::new(skeleton(text));
        if cache.len() >= SHARED_SKELETONS {
            cache.clear();
        }
        cache.insert(text.into(), s.clone());
        s
    })
}

/// Union-find over form indices, remembering its joins so that a form can
/// be taken out again.
struct Sets(Vec<usize>, Vec<(usize, usize)>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect(), Vec::new())
    }
    /// Undoes every join that touches a form in `out`.
    fn remove(&mut self, out: &[bool]) {
        let joins = std::mem::take(&mut self.1);
        self.0 = (0..self.0.len()).collect();
        for (a, b) in joins {
            if !out[a] && !out[b] {
                self.union(a, b);
            }
        }
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let next = self.0[y];
            self.0[y] = r;
            y = next;
        }
        r
    }
    /// Joins two sets; the smaller root (the earlier form) stays root.
    fn union(&mut self, x: usize, y: usize) {
        self.1.push((x, y));
        let (a, b) = (self.find(x), self.find(y));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

/// Whether the document writes a word with a lowercase first letter. The
/// first few questions scan the tokens (a document asks few); after that a
/// set of all such words answers.
#[derive(Default)]
struct LowercaseWords<'a> {
    asked: usize,
    set: Option<rustc_hash::FxHashSet<&'a str>>,
}

impl<'a> LowercaseWords<'a> {
    /// Scans answered before the set is built.
    const SCANS: usize = 8;

    fn contains(&mut self, doc: &'a Document, word: &str) -> bool {
        let lowercase = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
        if self.set.is_none() && self.asked < Self::SCANS {
            self.asked += 1;
            return doc.tokens.iter().any(|t| {
                t.span.end - t.span.start == word.len() as u32 && {
                    let w = doc.slice(t.span);
                    w == word && lowercase(w)
                }
            });
        }
        self.set
            .get_or_insert_with(|| {
                (0..doc.tokens.len())
                    .map(|t| doc.token_text(t))
                    .filter(|w| lowercase(w))
                    .collect()
            })
            .contains(word)
    }
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

/// Reduces a mention to its name: strips leading titles, modifiers and
/// articles (keeping titles as roles) as long as a capitalised word remains.
fn name_tokens(
    doc: &Document,
    lex: &Lexicon,
    tokens: std::ops::Range<usize>,
) -> (std::ops::Range<usize>, Vec<String>) {
    let mut start = tokens.start;
    let mut roles = Vec::new();
    while start + 1 < tokens.end {
        let w = doc.lower(start);
        if lex.is_title(w) {
            roles.push(w.to_string());
        } else if !(lex.articles.contains(w) || lex.modifiers.contains(w)) {
            break;
        }
        start += 1;
    }
    if !(start..tokens.end).any(|t| is_capitalised(doc.token_text(t))) {
        return (tokens, Vec::new());
    }
    (start..tokens.end, roles)
}

/// A role phrase right before a name: `president`, `voormalig president`,
/// `minister van Buitenlandse Zaken`. Returns the phrase and whether the
/// title stands right before the name (modifiers aside), which marks a person.
fn role_before(
    doc: &Document,
    lex: &Lexicon,
    first: usize,
    sentence_start: usize,
) -> Option<(String, bool)> {
    let mut k = first;
    let mut saw_connector = false;
    let mut caps_after_connector = false;
    let lo = first.saturating_sub(7).max(sentence_start);
    while k > lo {
        k -= 1;
        let w = doc.token_text(k);
        let lw = doc.lower(k);
        if lex.is_title(lw) {
            // `minister van Defensie`: the name must not be what the title
            // is a title *of*; a capitalised word must come between.
            if saw_connector && !caps_after_connector {
                return None;
            }
            let mut from = k;
            while from > sentence_start && lex.modifiers.contains(doc.lower(from - 1)) {
                from -= 1;
            }
            let phrase: Vec<String> = (from..first)
                .map(|t| doc.token_text(t).to_string())
                .collect();
            let mut phrase = phrase.join(" ");
            if let Some(c) = phrase.get(..1) {
                if from == sentence_start {
                    phrase = c.to_lowercase() + &phrase[1..];
                }
            }
            let adjacent = (k + 1..first).all(|t| lex.modifiers.contains(doc.lower(t)));
            return Some((phrase, adjacent));
        }
        if lex.connectors.contains(lw) {
            saw_connector = true;
        } else if is_capitalised(w) && is_word(w) {
            if !saw_connector {
                caps_after_connector = true;
            }
        } else if !lex.modifiers.contains(lw) {
            return None;
        }
    }
    None
}

/// Whether a title and a connector stand right before token `first`
/// (`minister van` …), with at most one modifier or article between.
fn title_connector_before(
    doc: &Document,
    lex: &Lexicon,
    first: usize,
    sentence_start: usize,
) -> bool {
    if first < sentence_start + 2 {
        return false;
    }
    if !lex.connectors.contains(doc.lower(first - 1)) {
        return false;
    }
    (first.saturating_sub(4).max(sentence_start)..first - 1)
        .rev()
        .any(|k| lex.is_title(doc.lower(k)))
}

/// A role in an apposition right after a name: `NAME, hoofd van de X,`.
fn role_after(doc: &Document, lex: &Lexicon, end: usize, sentence_end: usize) -> Option<String> {
    if end >= sentence_end || doc.token_text(end) != "," {
        return None;
    }
    let mut k = end + 1;
    while k < sentence_end && lex.modifiers.contains(doc.lower(k)) {
        k += 1;
    }
    if k >= sentence_end || !lex.is_role(doc.lower(k)) {
        return None;
    }
    let from = end + 1;
    let mut to = k + 1;
    while to < sentence_end && to - from < 10 && is_word(doc.token_text(to)) {
        to += 1;
    }
    let stop = to >= sentence_end || !is_word(doc.token_text(to));
    let last = if stop { to } else { k + 1 };
    let words: Vec<&str> = (from..last).map(|t| doc.token_text(t)).collect();
    Some(words.join(" "))
}

/// Groups mentions into entities. MISC mentions are left out, except a
/// hyphenated compound whose name part names an entity (`Poetin-regime`).
pub fn resolve(doc: &Document, mentions: &[Mention]) -> Vec<Entity> {
    let lang = doc.language();
    let lex = Lexicon::of(lang);
    let gaz = Gazetteer::get();

    let mut cache = SkeletonCache::default();
    let demonyms = demonym::Demonyms::of(lang);
    // Words the document writes in lowercase, and the name keys of all
    // mentions (built when first needed: few documents need them).
    let mut lowercase_words = LowercaseWords::default();
    let mut mention_keys: Option<rustc_hash::FxHashSet<Rc<str>>> = None;

    // Step 0: forms.
    let mut forms: Vec<Form> = Vec::new();
    let mut compounds: Vec<usize> = Vec::new(); // mentions that may be compounds
    for (mi, m) in mentions.iter().enumerate() {
        let single_compound = m.tokens.len() == 1 && doc.token_text(m.tokens.start).contains('-');
        if m.kind == EntityKind::Misc {
            if single_compound {
                compounds.push(mi);
            }
            continue;
        }
        // `Russian` read as a name: a place adjective, no entity.
        // (`demonym::is_demonym_mention`, with the table looked up once.)
        if m.tokens.len() == 1
            && demonyms
                .place_keys(doc.token_text(m.tokens.start))
                .is_some()
        {
            continue;
        }
        let sentence = &doc.sentences[m.sentence];
        let mut toks = m.tokens.clone();
        // A capitalised function word opening the sentence is no part of a
        // name (`Nadat Lavrov`): a word the document also writes lowercase.
        if toks.start == sentence.tokens.start && toks.len() >= 2 {
            let w = doc.token_text(toks.start);
            let lw = doc.lower(toks.start);
            if w != lw
                && !lex.connectors.contains(lw)
                && !lex.articles.contains(lw)
                && (lang.stopwords.contains(lw) || lowercase_words.contains(doc, lw))
            {
                toks.start += 1;
            }
        }
        // `minister van Buitenlandse Zaken Lavrov` tagged as one name: the
        // name is the part the document also uses on its own.
        if toks.len() >= 2 && title_connector_before(doc, lex, toks.start, sentence.tokens.start) {
            let mention_keys = mention_keys.get_or_insert_with(|| {
                mentions
                    .iter()
                    .map(|m| cache.get(doc.slice(m.span)).key.clone())
                    .collect()
            });
            if let Some(k) = (toks.start + 1..toks.end).find(|&k| {
                let text = &doc.text
                    [doc.tokens[k].span.start as usize..doc.tokens[toks.end - 1].span.end as usize];
                mention_keys.contains(skeleton_key(text).as_str())
            }) {
                toks.start = k;
            }
        }
        let (toks, mut roles) = name_tokens(doc, lex, toks);
        let mut titled = !roles.is_empty();
        if let Some((phrase, adjacent)) = role_before(doc, lex, toks.start, sentence.tokens.start) {
            titled |= adjacent;
            roles.push(phrase);
        }
        if let Some(phrase) = role_after(doc, lex, toks.end, sentence.tokens.end) {
            roles.push(phrase);
        }
        let span = Span::new(
            doc.tokens[toks.start].span.start as usize,
            doc.tokens[toks.end - 1].span.end as usize,
        );
        let text = doc.slice(span);
        let Skeleton { words, key } = cache.get(text).clone();
        forms.push(Form {
            mention: mi,
            kind: m.kind,
            span,
            words,
            key,
            text,
            roles,
            titled,
            tokens: toks,
        });
    }

    // Step 2: genitives. `Poetins` is `Poetin` when `Poetin` is a name here
    // or a known place.
    // The outcome depends on the text alone: found once per distinct name.
    let keys: rustc_hash::FxHashSet<Rc<str>> = forms.iter().map(|f| f.key.clone()).collect();
    let mut genitives: HashMap<&str, Option<Skeleton>> = HashMap::default();
    for f in &mut forms {
        let stripped = genitives.entry(f.text).or_insert_with(|| {
            for suffix in &lex.genitive {
                let Some(stem) = f.text.strip_suffix(suffix) else {
                    continue;
                };
                if stem.chars().count() < 3 {
                    continue;
                }
                let words = skeleton(stem);
                let key = words.join(" ");
                if keys.contains(key.as_str()) || gaz.lookup_key(&key).is_some() {
                    return Some(Skeleton::new(words));
                }
            }
            None
        });
        if let Some(stem) = stripped {
            f.words = stem.words.clone();
            f.key = stem.key.clone();
        }
    }

    let n = forms.len();
    let mut sets = Sets::new(n);

    // Step 1: same key.
    let mut by_key: HashMap<&str, usize> = HashMap::default();
    for (i, f) in forms.iter().enumerate() {
        match by_key.get(f.key()) {
            Some(&j) => sets.union(i, j),
            None => {
                by_key.insert(f.key(), i);
            }
        }
    }

    // Type votes per set, recomputed after each round of joins.
    let vote = |sets: &mut Sets, forms: &[Form]| -> Vec<EntityKind> {
        // Indexed by set root (a form index).
        let mut score: Vec<[usize; 3]> = vec![[0; 3]; forms.len()];
        let mut titled: Vec<bool> = vec![false; forms.len()];
        for (i, f) in forms.iter().enumerate() {
            let r = sets.find(i);
            let s = &mut score[r];
            match f.kind {
                EntityKind::Person => s[0] += 1,
                EntityKind::Organisation => s[1] += 1,
                _ => s[2] += 1,
            }
            titled[r] |= f.titled;
        }
        (0..forms.len())
            .map(|i| {
                let r = sets.find(i);
                if titled[r] {
                    return EntityKind::Person;
                }
                let s = score[r];
                let first = forms[r].kind;
                let firsti = match first {
                    EntityKind::Person => 0,
                    EntityKind::Organisation => 1,
                    _ => 2,
                };
                let best = (0..3).max_by_key(|&k| (s[k], k == firsti)).unwrap_or(2);
                [
                    EntityKind::Person,
                    EntityKind::Organisation,
                    EntityKind::Place,
                ][best]
            })
            .collect()
    };
    let kinds = vote(&mut sets, &forms);

    // Step 3: gazetteer places.
    let mut by_place: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..n {
        if kinds[i] != EntityKind::Place {
            continue;
        }
        if let Some(p) = gaz.lookup_key(forms[i].key()) {
            match by_place.get(p.id) {
                Some(&j) => sets.union(i, j),
                None => {
                    by_place.insert(p.id, i);
                }
            }
        }
    }

    // The first form of each distinct name: forms with one key are one set
    // already, so the pairwise passes below compare distinct names only and
    // a document that repeats a few names thousands of times stays linear.
    let reps: Vec<usize> = {
        let mut r: Vec<usize> = by_key.values().copied().collect();
        r.sort_unstable();
        r
    };

    // Step 4: one-letter variants of the same type.
    for (a, &i) in reps.iter().enumerate() {
        for &j in &reps[..a] {
            if kinds[i] == kinds[j]
                && sets.find(i) != sets.find(j)
                && fuzzy_name_eq(&forms[i].words, &forms[j].words)
                // The gazetteer knows a place's spellings: a known place is
                // no variant of another name (`Oekraïne` / `Oekraïense`).
                && !(kinds[i] == EntityKind::Place
                    && (gaz.lookup_key(forms[i].key()).is_some()
                        || gaz.lookup_key(forms[j].key()).is_some()))
            {
                sets.union(i, j);
            }
        }
    }
    let kinds = vote(&mut sets, &forms);

    // Step 6a: NAME (ACR) and NAME (Pseudonym).
    let at = |t: usize| -> &str {
        if t < doc.tokens.len() {
            doc.token_text(t)
        } else {
            ""
        }
    };
    let by_end: HashMap<usize, usize> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| (f.tokens.end, i))
        .collect();
    for i in 0..n {
        let f = &forms[i];
        if f.tokens.len() != 1
            || f.tokens.start < 2
            || at(f.tokens.start - 1) != "("
            || at(f.tokens.end) != ")"
        {
            continue;
        }
        let Some(&h) = by_end.get(&(f.tokens.start - 1)) else {
            continue;
        };
        let acronym = is_acronym(f.text);
        let ok = if kinds[h] == EntityKind::Person {
            !acronym && kinds[i] == EntityKind::Person
        } else {
            acronym && kinds[i] != EntityKind::Person
        };
        if ok {
            sets.union(i, h);
        }
    }
    // Step 6b: acronyms equal to the initials of exactly one longer name.
    for &i in &reps {
        if !is_acronym(forms[i].text) {
            continue;
        }
        let mut hits: Vec<usize> = reps
            .iter()
            .copied()
            .filter(|&j| {
                forms[j].words.len() >= 2
                    && kinds[j] != EntityKind::Person
                    && initials(forms[j].text) == forms[i].text
            })
            .map(|j| sets.find(j))
            .collect();
        hits.sort_unstable();
        hits.dedup();
        if hits.len() == 1 {
            sets.union(i, hits[0]);
        }
    }
    let kinds = vote(&mut sets, &forms);

    // Step 5: a surname after a full name. Candidates are the multi-word
    // person names whose last word is the surname (or a spelling of it).
    let mut picks: Vec<(usize, usize)> = Vec::new();
    let mut ambiguous = vec![false; n];
    // The full names a surname may belong to depend on the word alone:
    // found once per distinct surname, not once per mention.
    let mut cands_of: HashMap<&str, Vec<usize>> = HashMap::default();
    for i in 0..n {
        let f = &forms[i];
        if f.words.len() != 1 || is_acronym(f.text) {
            continue;
        }
        if kinds[i] != EntityKind::Person && gaz.lookup_key(f.key()).is_some() {
            continue;
        }
        let w = &f.words[0];
        let is_full_name = |j: usize| {
            forms[j].words.len() >= 2
                && kinds[j] == EntityKind::Person
                && forms[j].words.last().is_some_and(|l| fuzzy_eq(l, w))
        };
        let rep_cands = cands_of
            .entry(w.as_str())
            .or_insert_with(|| reps.iter().copied().filter(|&j| is_full_name(j)).collect());
        if rep_cands.is_empty() {
            continue;
        }
        let mut roots: Vec<usize> = rep_cands.iter().map(|&j| sets.find(j)).collect();
        roots.sort_unstable();
        roots.dedup();
        if roots.len() == 1 {
            sets.union(i, roots[0]);
            continue;
        }
        let mut cands: Vec<usize> = (0..n).filter(|&j| is_full_name(j)).collect();
        // Ambiguous: this mention goes to the nearest full name before it
        // (or the first after it), and leaves its same-key group.
        cands.sort_by_key(|&j| forms[j].mention);
        let pick = cands
            .iter()
            .rev()
            .find(|&&j| forms[j].mention < f.mention)
            .or_else(|| cands.first())
            .copied()
            .expect("candidates are not empty");
        ambiguous[i] = true;
        picks.push((i, pick));
    }
    if !picks.is_empty() {
        sets.remove(&ambiguous);
        for (i, pick) in picks {
            sets.union(i, pick);
        }
    }
    let kinds = vote(&mut sets, &forms);

    // Step 7: hyphenated compounds whose name part names an entity here.
    let mut key_root: HashMap<&str, usize> = HashMap::default();
    for (i, f) in forms.iter().enumerate() {
        key_root.entry(f.key()).or_insert(i);
    }
    // A compound joins only if nothing but its own repeats joined it.
    let alone = |sets: &mut Sets, i: usize| {
        (0..n).all(|k| sets.find(k) != sets.find(i) || forms[k].key() == forms[i].key())
    };
    let mut moved: Vec<(usize, usize, Span)> = Vec::new(); // (mention, target form, span)
    let compound_of = |tok: usize, skip: Option<usize>| -> Option<(usize, Span)> {
        let text = doc.token_text(tok);
        let base = doc.tokens[tok].span.start as usize;
        let mut offset = 0;
        let mut parts = Vec::new();
        for p in text.split('-') {
            parts.push((offset, p));
            offset += p.len() + 1;
        }
        let caps: Vec<&(usize, &str)> = parts.iter().filter(|(_, p)| is_capitalised(p)).collect();
        if parts.len() < 2 || caps.len() != 1 {
            return None;
        }
        if parts.iter().any(|(_, p)| {
            !is_capitalised(p) && lex.compound_heads.contains(p.to_lowercase().as_str())
        }) {
            return None;
        }
        let (off, part) = *caps[0];
        let mut words = skeleton(part);
        let mut target = key_root.get(words.join(" ").as_str()).copied();
        if target.is_none() {
            for suffix in &lex.genitive {
                if let Some(stem) = part.strip_suffix(suffix) {
                    words = skeleton(stem);
                    target = key_root.get(words.join(" ").as_str()).copied();
                    if target.is_some() {
                        break;
                    }
                }
            }
        }
        let t = target.filter(|&t| Some(t) != skip)?;
        Some((t, Span::new(base + off, base + off + part.len())))
    };
    let mut drop = vec![false; n];
    for i in 0..n {
        let f = &forms[i];
        if f.tokens.len() == 1 && f.text.contains('-') && alone(&mut sets, i) {
            if let Some((t, span)) = compound_of(f.tokens.start, Some(i)) {
                moved.push((f.mention, t, span));
                drop[i] = true;
            }
        }
    }
    for &mi in &compounds {
        if let Some((t, span)) = compound_of(mentions[mi].tokens.start, None) {
            moved.push((mi, t, span));
        }
    }

    // Build the entities, in order of first mention.
    let mut groups: BTreeMap<usize, Vec<(usize, Span, Option<usize>)>> = BTreeMap::new();
    for i in 0..n {
        if !drop[i] {
            groups.entry(sets.find(i)).or_default().push((
                forms[i].mention,
                forms[i].span,
                Some(i),
            ));
        }
    }
    for (mi, t, span) in moved {
        groups
            .entry(sets.find(t))
            .or_default()
            .push((mi, span, None));
    }
    let mut out: Vec<Entity> = groups
        .into_iter()
        .map(|(root, mut members)| {
            members.sort_by_key(|m| m.0);
            let fs: Vec<&Form> = members
                .iter()
                .filter_map(|m| m.2)
                .map(|i| &forms[i])
                .collect();
            // Fullest form: most words, then longest, then earliest; a
            // possessive form only when nothing else is there.
            let label_form = fs
                .iter()
                .max_by_key(|f| {
                    let plain = cache.get(f.text).words == f.words;
                    (
                        plain,
                        f.words.len(),
                        f.text.chars().count(),
                        std::cmp::Reverse(f.mention),
                    )
                })
                .copied();
            let label = label_form.map(|f| f.text.to_string()).unwrap_or_default();
            let mut aliases: Vec<String> = members
                .iter()
                .map(|m| doc.slice(m.1).to_string())
                .filter(|a| *a != label)
                .collect();
            aliases.sort();
            aliases.dedup();
            let mut roles: Vec<String> = fs.iter().flat_map(|f| f.roles.iter().cloned()).collect();
            roles.sort();
            roles.dedup();
            // The tagger now and then reads a bare city or country name as
            // a person (`Kharkiv`, `Sri Lanka`): a group of untitled names
            // that the gazetteer knows, every one, as a place is that place.
            let mut kind = kinds[root];
            if kind == EntityKind::Person
                && !fs.is_empty()
                && fs
                    .iter()
                    .all(|f| !f.titled && f.roles.is_empty() && gaz.lookup_key(f.key()).is_some())
            {
                kind = EntityKind::Place;
            }
            Entity {
                kind,
                label,
                aliases,
                roles,
                mentions: members.iter().map(|m| m.0).collect(),
                names: members.iter().map(|m| m.1).collect(),
            }
        })
        .collect();
    out.sort_by_key(|e| e.mentions[0]);
    out
}

#[cfg(test)]
pub(crate) mod tests;
