//! The language data resolution reads: `resources/<lang>/resolve.tsv`
//! (settings `name<TAB>value|value|...`) and the language's title list.

use rustc_hash::FxHashSet as HashSet;

use crate::lang::{lines, Language, PerLanguage};

/// One language's resolution words, lowercase.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Suffixes of possessive or inflected name forms (`s` of `Poetins`).
    pub genitive: Vec<&'static str>,
    /// Words stripped from the front of a name (`de`, `the`).
    pub articles: HashSet<&'static str>,
    /// Words that may stand around a title (`voormalig`, `former`).
    pub modifiers: HashSet<&'static str>,
    /// Words joining a title to what it is a title of (`van`, `of`).
    pub connectors: HashSet<&'static str>,
    /// Lowercase parts that make a hyphenated compound a name of its own.
    pub compound_heads: HashSet<&'static str>,
    /// Titles (from `titles.txt`) and other role words (from `resolve.tsv`).
    pub roles: HashSet<&'static str>,
    /// Titles only: a title right before a name marks a person.
    pub titles: HashSet<&'static str>,
    /// The shapes of the titles, to rule most words out before hashing them.
    title_shapes: crate::text::WordShapes,
}

impl Lexicon {
    fn parse(lang: &'static Language) -> Lexicon {
        let mut lex = Lexicon {
            titles: lang.titles.clone(),
            roles: lang.titles.clone(),
            ..Lexicon::default()
        };
        for line in lines(lang.resource("resolve.tsv")) {
            let Some((name, values)) = line.split_once('\t') else {
                continue;
            };
            let values = values.split('|').map(str::trim).filter(|v| !v.is_empty());
            match name.trim() {
                "genitive" => lex.genitive.extend(values),
                "article" => lex.articles.extend(values),
                "modifier" => lex.modifiers.extend(values),
                "connector" => lex.connectors.extend(values),
                "compound_head" => lex.compound_heads.extend(values),
                "role" => lex.roles.extend(values),
                _ => {}
            }
        }
        // Longest suffix first, so `'s` is tried before `s`.
        lex.genitive.sort_by_key(|s| std::cmp::Reverse(s.len()));
        lex.compound_heads.extend(lang.org_words.iter().copied());
        for t in &lex.titles {
            lex.title_shapes.insert(t);
        }
        lex
    }

    /// The lexicon of a language.
    pub fn of(lang: &'static Language) -> &'static Lexicon {
        static ALL: PerLanguage<Lexicon> = PerLanguage::new();
        ALL.get(lang, Lexicon::parse)
    }

    /// Whether a lowercase word is a title, or a hyphenated compound of
    /// titles and modifiers (`krijgsheer-dictator`, `oud-president`).
    pub fn is_title(&self, lower: &str) -> bool {
        (self.title_shapes.may_contain(lower) && self.titles.contains(lower))
            || (lower.contains('-')
                && lower.split('-').any(|p| self.titles.contains(p))
                && lower
                    .split('-')
                    .all(|p| self.titles.contains(p) || self.modifiers.contains(p)))
    }

    /// Whether a lowercase word is a role word (title or other role word).
    pub fn is_role(&self, lower: &str) -> bool {
        self.is_title(lower) || self.roles.contains(lower)
    }
}
