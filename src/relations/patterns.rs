//! Typed relations from token patterns: a small matcher over a sentence in
//! which every entity mention is one slot. Patterns are language data
//! (`resources/<lang>/relations.tsv`, format in `docs/RESOLVE.md`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::lang::{Language, PerLanguage};
use crate::ner::EntityKind;
use crate::resolve::lexicon::Lexicon;

/// Which entity types a slot accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Types(Vec<EntityKind>);

impl Types {
    fn parse(s: &str) -> Option<Types> {
        let mut v = Vec::new();
        for t in s.split('|') {
            match t {
                "PER" => v.push(EntityKind::Person),
                "ORG" => v.push(EntityKind::Organisation),
                "LOC" => v.push(EntityKind::Place),
                "ANY" => v.extend([
                    EntityKind::Person,
                    EntityKind::Organisation,
                    EntityKind::Place,
                ]),
                _ => return None,
            }
        }
        Some(Types(v))
    }
    fn accepts(&self, k: EntityKind) -> bool {
        self.0.contains(&k)
    }
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elem {
    /// The source entity.
    Source(Types),
    /// A list of source entities (`A, B en C`).
    Sources(Types),
    /// The target entity.
    Target(Types),
    /// One token, lowercase, out of these words (`@class` alternatives
    /// stand for the words of a class).
    Word(Vec<String>),
    /// One token of a word class.
    Class(String),
    /// A title from the language's titles.
    Title,
    /// Up to this many items of any kind.
    Skip(usize),
}

/// A pattern: relation kind and elements (each with its optional flag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The relation kind it yields.
    pub kind: String,
    /// The elements, each with whether it may be left out.
    pub elems: Vec<(Elem, bool)>,
}

/// A language's relation patterns and word classes.
#[derive(Debug, Default)]
pub struct Patterns {
    /// The patterns, in file order.
    pub patterns: Vec<Pattern>,
    /// Word classes by name (without the `@`), lowercase.
    pub classes: HashMap<String, HashSet<String>>,
    /// The patterns compiled for matching, parallel to `patterns`.
    compiled: Vec<Compiled>,
    /// The bit of each of the first classes, by name (see `word_bits`).
    class_bits: HashMap<String, u128>,
    /// The bit of each word the patterns name, while bits last.
    literal_bits: HashMap<String, u128>,
    /// Each word of those classes, and each word the patterns name, with
    /// the bits of the classes it is in and its own bit: one lookup per
    /// token answers every word test of every pattern.
    word_bits: HashMap<String, u128>,
    /// The shapes of the words of `word_bits`.
    word_shapes: crate::text::WordShapes,
    /// The separator class of source lists (`@sep`).
    sep: ClassRef,
}

/// A word class as the matcher tests it.
#[derive(Clone, Debug, Default)]
enum ClassRef {
    /// No such class: nothing is in it.
    #[default]
    Missing,
    /// One of the first classes: a bit of the token's bits.
    Bit(u128),
    /// A class beyond those, looked up by name.
    Named(String),
}

/// A test of one token: any of `bits` (classes and words), a title, or
/// one of the alternatives that got no bit.
#[derive(Clone, Debug, Default)]
struct WordTest {
    bits: u128,
    title: bool,
    /// Literal words (lowercase) and classes without a bit.
    slow: Vec<Result<String, String>>,
}

/// An [`Elem`] with its words and class names resolved.
#[derive(Clone, Debug)]
enum Step {
    Source(Types),
    Sources(Types),
    Target(Types),
    /// One token passing the test.
    Word(WordTest),
    Skip(usize),
}

/// A pattern ready for matching.
#[derive(Clone, Debug)]
struct Compiled {
    /// The steps, each with whether it may be left out.
    steps: Vec<(Step, bool)>,
}

impl Compiled {
    /// Whether the pattern can match a sentence at all: every step it
    /// cannot leave out needs a token or an entity the sentence has.
    fn possible(&self, sentence: &TokenInfo) -> bool {
        self.steps
            .iter()
            .filter(|(_, optional)| !optional)
            .all(|(step, _)| match step {
                Step::Source(t) | Step::Sources(t) | Step::Target(t) => {
                    t.0.iter().any(|k| sentence.kinds & kind_bit(*k) != 0)
                }
                Step::Word(w) => {
                    w.bits & sentence.bits != 0 || (w.title && sentence.title) || !w.slow.is_empty()
                }
                Step::Skip(_) => true,
            })
    }
}

fn kind_bit(k: EntityKind) -> u8 {
    match k {
        EntityKind::Person => 1,
        EntityKind::Organisation => 2,
        EntityKind::Place => 4,
        EntityKind::Misc => 8,
    }
}

impl Patterns {
    /// Resolves the words and class names of every pattern (after parsing).
    fn compile(&mut self) {
        let mut names: Vec<&String> = self.classes.keys().collect();
        names.sort();
        let mut literals: Vec<&String> = self
            .patterns
            .iter()
            .flat_map(|p| &p.elems)
            .filter_map(|(e, _)| match e {
                Elem::Word(ws) => Some(ws.iter().filter(|x| !x.starts_with('@'))),
                _ => None,
            })
            .flatten()
            .collect();
        literals.sort();
        literals.dedup();
        // One bit each, classes first, as far as 128 bits go.
        let mut bits = (0..128).map(|k| 1u128 << k);
        for (name, bit) in names.into_iter().zip(&mut bits) {
            self.class_bits.insert(name.clone(), bit);
            for w in &self.classes[name] {
                *self.word_bits.entry(w.clone()).or_default() |= bit;
            }
        }
        for (w, bit) in literals.into_iter().zip(&mut bits) {
            self.literal_bits.insert(w.clone(), bit);
            *self.word_bits.entry(w.clone()).or_default() |= bit;
        }
        for w in self.word_bits.keys() {
            self.word_shapes.insert(w);
        }
        self.sep = self.class_ref("sep");
        let compiled = self
            .patterns
            .iter()
            .map(|p| Compiled {
                steps: p
                    .elems
                    .iter()
                    .map(|(e, optional)| (self.step(e), *optional))
                    .collect(),
            })
            .collect();
        self.compiled = compiled;
    }

    fn class_ref(&self, name: &str) -> ClassRef {
        match self.class_bits.get(name) {
            Some(&bit) => ClassRef::Bit(bit),
            None if self.classes.contains_key(name) => ClassRef::Named(name.to_string()),
            None => ClassRef::Missing,
        }
    }

    /// Adds class `name` to a word test.
    fn add_class(&self, test: &mut WordTest, name: &str) {
        match self.class_ref(name) {
            ClassRef::Missing => {}
            ClassRef::Bit(bit) => test.bits |= bit,
            ClassRef::Named(n) => test.slow.push(Err(n)),
        }
    }

    fn step(&self, e: &Elem) -> Step {
        let mut test = WordTest::default();
        match e {
            Elem::Source(t) => return Step::Source(t.clone()),
            Elem::Sources(t) => return Step::Sources(t.clone()),
            Elem::Target(t) => return Step::Target(t.clone()),
            Elem::Skip(n) => return Step::Skip(*n),
            Elem::Word(ws) => {
                for x in ws {
                    match x.strip_prefix('@') {
                        Some("title") => test.title = true,
                        Some(c) => self.add_class(&mut test, c),
                        None => match self.literal_bits.get(x) {
                            Some(&bit) => test.bits |= bit,
                            None => test.slow.push(Ok(x.clone())),
                        },
                    }
                }
            }
            Elem::Class(c) => self.add_class(&mut test, c),
            Elem::Title => test.title = true,
        }
        Step::Word(test)
    }

    /// What the matcher needs to know of each item of a sentence: the
    /// word bits and title test of each token, computed once; returns the
    /// same for the whole sentence (all bits, any title, the entity types).
    pub fn annotate(&self, items: &[Item], lex: &Lexicon, out: &mut Vec<TokenInfo>) -> TokenInfo {
        out.clear();
        let mut all = TokenInfo::default();
        out.extend(items.iter().map(|item| {
            let info = match item {
                Item::Token(_, w) => TokenInfo {
                    bits: if self.word_shapes.may_contain(w) {
                        self.word_bits.get(*w).copied().unwrap_or(0)
                    } else {
                        0
                    },
                    title: lex.is_title(w),
                    kinds: 0,
                },
                Item::Entity(_, k, _) => TokenInfo {
                    kinds: kind_bit(*k),
                    ..TokenInfo::default()
                },
            };
            all.bits |= info.bits;
            all.title |= info.title;
            all.kinds |= info.kinds;
            info
        }));
        all
    }

    /// Whether pattern number `index` can match a sentence with these
    /// words and entities (from [`Patterns::annotate`]).
    pub fn possible(&self, index: usize, sentence: &TokenInfo) -> bool {
        self.compiled[index].possible(sentence)
    }
}

/// The word bits, title test and entity type of one item, or their union
/// over a sentence.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenInfo {
    bits: u128,
    title: bool,
    kinds: u8,
}

impl Patterns {
    /// Parses a `relations.tsv` file; lines that do not parse are skipped
    /// (a unit test checks that the shipped files have none).
    pub fn parse(text: &str) -> (Patterns, Vec<String>) {
        let mut p = Patterns::default();
        let mut bad = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, body)) = line.split_once('\t') else {
                bad.push(line.to_string());
                continue;
            };
            if let Some(name) = head.strip_prefix('@') {
                p.classes
                    .entry(name.to_string())
                    .or_default()
                    .extend(body.split('|').map(|w| w.trim().to_lowercase()));
                continue;
            }
            match parse_elems(body) {
                Some(elems) => p.patterns.push(Pattern {
                    kind: head.trim().to_string(),
                    elems,
                }),
                None => bad.push(line.to_string()),
            }
        }
        p.compile();
        (p, bad)
    }

    /// The patterns of a language.
    pub fn of(lang: &'static Language) -> &'static Patterns {
        static ALL: PerLanguage<Patterns> = PerLanguage::new();
        ALL.get(lang, |l| Patterns::parse(l.resource("relations.tsv")).0)
    }
}

fn parse_elems(body: &str) -> Option<Vec<(Elem, bool)>> {
    let mut out = Vec::new();
    for raw in body.split_whitespace() {
        let (tok, optional) = match raw.strip_suffix('?') {
            Some(t) if !t.is_empty() => (t, true),
            _ => (raw, false),
        };
        let elem = if let Some(t) = tok.strip_prefix("S+:") {
            Elem::Sources(Types::parse(t)?)
        } else if let Some(t) = tok.strip_prefix("S:") {
            Elem::Source(Types::parse(t)?)
        } else if let Some(t) = tok.strip_prefix("T:") {
            Elem::Target(Types::parse(t)?)
        } else if tok == "@title" {
            Elem::Title
        } else if let Some(c) = tok.strip_prefix('@').filter(|c| !c.contains('|')) {
            Elem::Class(c.to_string())
        } else if let Some(n) = tok.strip_prefix('*') {
            Elem::Skip(n.parse().ok()?)
        } else {
            Elem::Word(tok.split('|').map(str::to_lowercase).collect())
        };
        out.push((elem, optional));
    }
    let sources = out
        .iter()
        .filter(|(e, _)| matches!(e, Elem::Source(_) | Elem::Sources(_)))
        .count();
    let targets = out
        .iter()
        .filter(|(e, _)| matches!(e, Elem::Target(_)))
        .count();
    (sources == 1 && targets == 1).then_some(out)
}

/// One slot of a sentence: a token, or an entity mention.
#[derive(Clone, Debug)]
pub enum Item<'a> {
    /// A token: its index and lowercase text.
    Token(usize, &'a str),
    /// An entity mention: the entity, its type, and its tokens.
    Entity(usize, EntityKind, std::ops::Range<usize>),
}

/// What a match found: sources, target, and the tokens of the wording.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Source entities.
    pub sources: Vec<usize>,
    /// Target entity.
    pub target: Option<usize>,
    /// First and last token of the words matched outside the entities.
    pub words: Option<(usize, usize)>,
}

/// A point to backtrack to: sources only grow during a match, so their
/// length is enough to restore them.
#[derive(Clone, Copy)]
struct Mark {
    sources: usize,
    target: Option<usize>,
    words: Option<(usize, usize)>,
}

impl Found {
    fn mark(&self) -> Mark {
        Mark {
            sources: self.sources.len(),
            target: self.target,
            words: self.words,
        }
    }

    fn reset(&mut self, m: Mark) {
        self.sources.truncate(m.sources);
        self.target = m.target;
        self.words = m.words;
    }
}

/// Matches patterns against one sentence. Every method leaves `found`
/// as it was when it fails, and extends it when it succeeds.
struct Matcher<'a> {
    items: &'a [Item<'a>],
    info: &'a [TokenInfo],
    pats: &'a Patterns,
}

impl Matcher<'_> {
    fn in_class(&self, c: &ClassRef, pos: usize, w: &str) -> bool {
        match c {
            ClassRef::Missing => false,
            ClassRef::Bit(bit) => self.info[pos].bits & bit != 0,
            ClassRef::Named(name) => self.in_named(name, w),
        }
    }

    fn in_named(&self, class: &str, w: &str) -> bool {
        self.pats.classes.get(class).is_some_and(|s| s.contains(w))
    }

    fn word_ok(&self, test: &WordTest, pos: usize, w: &str) -> bool {
        let info = &self.info[pos];
        info.bits & test.bits != 0
            || (test.title && info.title)
            || test.slow.iter().any(|x| match x {
                Ok(word) => word == w,
                Err(class) => self.in_named(class, w),
            })
    }

    fn note(found: &mut Found, t: usize) {
        found.words = Some(match found.words {
            None => (t, t),
            Some((a, b)) => (a.min(t), b.max(t)),
        });
    }

    /// Matches `pat` at `pos`; on success fills `found` and returns true.
    fn run(&self, pat: &[(Step, bool)], pos: usize, found: &mut Found) -> bool {
        let Some(((step, optional), rest)) = pat.split_first() else {
            return true;
        };
        if *optional && self.one(step, rest, pos, found) {
            return true;
        }
        if *optional {
            return self.run(rest, pos, found);
        }
        self.one(step, rest, pos, found)
    }

    /// Runs `rest` at `pos` after `found` was changed from `mark`; undoes
    /// the change if that fails.
    fn then(&self, rest: &[(Step, bool)], pos: usize, found: &mut Found, mark: Mark) -> bool {
        if self.run(rest, pos, found) {
            return true;
        }
        found.reset(mark);
        false
    }

    fn one(&self, step: &Step, rest: &[(Step, bool)], pos: usize, found: &mut Found) -> bool {
        match step {
            Step::Skip(n) => {
                for k in 0..=*n {
                    if pos + k > self.items.len() {
                        break;
                    }
                    if self.run(rest, pos + k, found) {
                        return true;
                    }
                }
                false
            }
            Step::Source(t) | Step::Target(t) => {
                let Some(Item::Entity(e, k, _)) = self.items.get(pos) else {
                    return false;
                };
                if !t.accepts(*k) {
                    return false;
                }
                let mark = found.mark();
                if matches!(step, Step::Source(_)) {
                    found.sources.push(*e);
                } else {
                    found.target = Some(*e);
                }
                self.then(rest, pos + 1, found, mark)
            }
            Step::Sources(t) => {
                // Greedy list: entity (separator+ gap? entity)*.
                let mark = found.mark();
                let mut p = pos;
                let mut end = pos;
                loop {
                    match self.items.get(p) {
                        Some(Item::Entity(e, k, _)) if t.accepts(*k) => {
                            found.sources.push(*e);
                            p += 1;
                            end = p;
                        }
                        _ => break,
                    }
                    // Separators, then up to four other words, before the next item.
                    let is_sep = |q: usize, w: &str| self.in_class(&self.pats.sep, q, w);
                    let (mut q, mut seps, mut gap) = (p, 0, 0);
                    loop {
                        match self.items.get(q) {
                            Some(Item::Token(_, w)) if is_sep(q, w) => seps += 1,
                            Some(Item::Token(_, w))
                                if seps > 0 && gap < 4 && w.chars().any(char::is_alphabetic) =>
                            {
                                gap += 1
                            }
                            _ => break,
                        }
                        q += 1;
                    }
                    match self.items.get(q) {
                        Some(Item::Entity(_, k, _)) if seps > 0 && t.accepts(*k) => p = q,
                        _ => break,
                    }
                }
                if found.sources.len() == mark.sources {
                    return false;
                }
                self.then(rest, end, found, mark)
            }
            Step::Word(test) => {
                let Some(Item::Token(t, w)) = self.items.get(pos) else {
                    return false;
                };
                if !self.word_ok(test, pos, w) {
                    return false;
                }
                let mark = found.mark();
                Self::note(found, *t);
                self.then(rest, pos + 1, found, mark)
            }
        }
    }
}

/// Every match of pattern number `index` of `pats` in a sentence's items
/// (one per start position); `info` is [`Patterns::annotate`] of the items.
pub fn find(pats: &Patterns, index: usize, items: &[Item], info: &[TokenInfo]) -> Vec<Found> {
    let steps = &pats.compiled[index].steps;
    let m = Matcher { items, info, pats };
    // A pattern that must begin with an entity can only start at one.
    let entity_first = matches!(
        steps.first(),
        Some((Step::Source(_) | Step::Sources(_) | Step::Target(_), false))
    );
    let mut out = Vec::new();
    let mut f = Found::default();
    for (pos, item) in items.iter().enumerate() {
        if entity_first && !matches!(item, Item::Entity(..)) {
            continue;
        }
        if m.run(steps, pos, &mut f) {
            if f.target.is_some() && !f.sources.is_empty() {
                out.push(f.clone());
            }
            f = Found::default();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_pattern_files_parse_whole() {
        for lang in Language::all() {
            let (p, bad) = Patterns::parse(lang.resource("relations.tsv"));
            assert!(bad.is_empty(), "{}: bad lines {bad:?}", lang.code);
            assert!(p.patterns.len() >= 10, "{}", lang.code);
            assert!(p.classes.contains_key("sep"));
        }
    }

    #[test]
    fn patterns_are_skipped_only_when_a_required_part_is_missing() {
        let (p, bad) = Patterns::parse(
            "@lead\tchief|head\nleader_of\tS:PER , @lead? of T:ORG\nrole\tS:PER works|toils T:LOC\n",
        );
        assert!(bad.is_empty());
        let lex = Lexicon::of(Language::get("en").unwrap());
        let items = [
            Item::Entity(0, EntityKind::Person, 0..1),
            Item::Token(1, ","),
            Item::Token(2, "of"),
            Item::Entity(1, EntityKind::Organisation, 3..4),
        ];
        let mut info = Vec::new();
        let whole = p.annotate(&items, lex, &mut info);
        // The optional class word may be missing; `works|toils` and a place may not.
        assert!(p.possible(0, &whole));
        assert!(!p.possible(1, &whole));
        let found = find(&p, 0, &items, &info);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].sources, [0]);
        assert_eq!(found[0].target, Some(1));
        assert_eq!(found[0].words, Some((1, 2)));
    }

    #[test]
    fn pattern_needs_one_source_and_one_target() {
        let (p, bad) = Patterns::parse("role\tS:PER van\nrole\tS:PER van T:XYZ\n");
        assert!(p.patterns.is_empty());
        assert_eq!(bad.len(), 2);
    }
}
