//! Typed relations from token patterns: a small matcher over a sentence in
//! which every entity mention is one slot. Patterns are language data
//! (`resources/<lang>/relations.tsv`, format in `docs/RESOLVE.md`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use crate::lang::Language;
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
        (p, bad)
    }

    /// The patterns of a language.
    pub fn of(lang: &'static Language) -> &'static Patterns {
        static ALL: OnceLock<Vec<(&'static str, Patterns)>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            Language::all()
                .iter()
                .map(|l| (l.code, Patterns::parse(l.resource("relations.tsv")).0))
                .collect()
        });
        all.iter()
            .find(|(c, _)| *c == lang.code)
            .map(|(_, p)| p)
            .expect("every known language has patterns")
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
pub enum Item {
    /// A token: its index and lowercase text.
    Token(usize, String),
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

struct Matcher<'a> {
    items: &'a [Item],
    classes: &'a HashMap<String, HashSet<String>>,
    lex: &'a Lexicon,
}

impl Matcher<'_> {
    fn word_ok(&self, e: &Elem, w: &str) -> bool {
        match e {
            Elem::Word(ws) => ws.iter().any(|x| match x.strip_prefix('@') {
                Some("title") => self.lex.is_title(w),
                Some(c) => self.classes.get(c).is_some_and(|s| s.contains(w)),
                None => x == w,
            }),
            Elem::Class(c) => self.classes.get(c).is_some_and(|s| s.contains(w)),
            Elem::Title => self.lex.is_title(w),
            _ => false,
        }
    }

    fn note(found: &mut Found, t: usize) {
        found.words = Some(match found.words {
            None => (t, t),
            Some((a, b)) => (a.min(t), b.max(t)),
        });
    }

    /// Matches `pat` at `pos`; on success fills `found` and returns true.
    fn run(&self, pat: &[(Elem, bool)], pos: usize, found: &mut Found) -> bool {
        let Some(((elem, optional), rest)) = pat.split_first() else {
            return true;
        };
        if *optional {
            let mut f = found.clone();
            if self.one(elem, rest, pos, &mut f) {
                *found = f;
                return true;
            }
            return self.run(rest, pos, found);
        }
        self.one(elem, rest, pos, found)
    }

    fn one(&self, elem: &Elem, rest: &[(Elem, bool)], pos: usize, found: &mut Found) -> bool {
        match elem {
            Elem::Skip(n) => {
                for k in 0..=*n {
                    if pos + k > self.items.len() {
                        break;
                    }
                    let mut f = found.clone();
                    if self.run(rest, pos + k, &mut f) {
                        *found = f;
                        return true;
                    }
                }
                false
            }
            Elem::Source(t) | Elem::Target(t) => {
                let Some(Item::Entity(e, k, _)) = self.items.get(pos) else {
                    return false;
                };
                if !t.accepts(*k) {
                    return false;
                }
                let mut f = found.clone();
                if matches!(elem, Elem::Source(_)) {
                    f.sources.push(*e);
                } else {
                    f.target = Some(*e);
                }
                if self.run(rest, pos + 1, &mut f) {
                    *found = f;
                    return true;
                }
                false
            }
            Elem::Sources(t) => {
                // Greedy list: entity (separator+ gap? entity)*.
                let mut list = Vec::new();
                let mut p = pos;
                let mut end = pos;
                loop {
                    match self.items.get(p) {
                        Some(Item::Entity(e, k, _)) if t.accepts(*k) => {
                            list.push(*e);
                            p += 1;
                            end = p;
                        }
                        _ => break,
                    }
                    // Separators, then up to four other words, before the next item.
                    let is_sep = |w: &str| self.word_ok(&Elem::Class("sep".into()), w);
                    let (mut q, mut seps, mut gap) = (p, 0, 0);
                    loop {
                        match self.items.get(q) {
                            Some(Item::Token(_, w)) if is_sep(w) => seps += 1,
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
                if list.is_empty() {
                    return false;
                }
                let mut f = found.clone();
                f.sources.extend(list);
                if self.run(rest, end, &mut f) {
                    *found = f;
                    return true;
                }
                false
            }
            _ => {
                let Some(Item::Token(t, w)) = self.items.get(pos) else {
                    return false;
                };
                if !self.word_ok(elem, w) {
                    return false;
                }
                let mut f = found.clone();
                Self::note(&mut f, *t);
                if self.run(rest, pos + 1, &mut f) {
                    *found = f;
                    return true;
                }
                false
            }
        }
    }
}

/// Every match of `pattern` in a sentence's items (one per start position).
pub fn find(
    pattern: &Pattern,
    items: &[Item],
    classes: &HashMap<String, HashSet<String>>,
    lex: &Lexicon,
) -> Vec<Found> {
    let m = Matcher {
        items,
        classes,
        lex,
    };
    // A pattern that must begin with an entity can only start at one.
    let entity_first = matches!(
        pattern.elems.first(),
        Some((Elem::Source(_) | Elem::Sources(_) | Elem::Target(_), false))
    );
    let mut out = Vec::new();
    for (pos, item) in items.iter().enumerate() {
        if entity_first && !matches!(item, Item::Entity(..)) {
            continue;
        }
        let mut f = Found::default();
        if m.run(&pattern.elems, pos, &mut f) && f.target.is_some() && !f.sources.is_empty() {
            out.push(f);
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
    fn pattern_needs_one_source_and_one_target() {
        let (p, bad) = Patterns::parse("role\tS:PER van\nrole\tS:PER van T:XYZ\n");
        assert!(p.patterns.is_empty());
        assert_eq!(bad.len(), 2);
    }
}
