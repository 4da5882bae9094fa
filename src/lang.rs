//! Language resources: everything language-specific is data.
//!
//! Each language is a folder `resources/<code>/` of plain word lists, read
//! into a [`Language`] once. The stages look words up here and never branch
//! on the language's name, so adding a language means adding its folder, an
//! entry in [`REGISTRY`] and a trained model, not new code paths.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// The raw text of one language's resource files, embedded in the binary.
struct LanguageFiles {
    code: &'static str,
    stopwords: &'static str,
    abbreviations: &'static str,
    clitics: &'static str,
    titles: &'static str,
    org_words: &'static str,
    /// Every other resource file of the language, by file name, for the
    /// stages that parse their own data (events, relations, ...).
    other: &'static [(&'static str, &'static str)],
}

macro_rules! language_files {
    ($code:literal) => {
        LanguageFiles {
            code: $code,
            stopwords: include_str!(concat!("../resources/", $code, "/stopwords.txt")),
            abbreviations: include_str!(concat!("../resources/", $code, "/abbreviations.txt")),
            clitics: include_str!(concat!("../resources/", $code, "/clitics.txt")),
            titles: include_str!(concat!("../resources/", $code, "/titles.txt")),
            org_words: include_str!(concat!("../resources/", $code, "/org_words.txt")),
            other: &[
                (
                    "events.tsv",
                    include_str!(concat!("../resources/", $code, "/events.tsv")),
                ),
                (
                    "time.tsv",
                    include_str!(concat!("../resources/", $code, "/time.tsv")),
                ),
                (
                    "event_args.tsv",
                    include_str!(concat!("../resources/", $code, "/event_args.tsv")),
                ),
                (
                    "modality.txt",
                    include_str!(concat!("../resources/", $code, "/modality.txt")),
                ),
                (
                    "relations.tsv",
                    include_str!(concat!("../resources/", $code, "/relations.tsv")),
                ),
                (
                    "resolve.tsv",
                    include_str!(concat!("../resources/", $code, "/resolve.tsv")),
                ),
                (
                    "names.tsv",
                    include_str!(concat!("../resources/", $code, "/names.tsv")),
                ),
                (
                    "demonyms.tsv",
                    include_str!(concat!("../resources/", $code, "/demonyms.tsv")),
                ),
            ],
        }
    };
}

/// The languages kgx knows, the default (used when detection finds nothing) first.
const REGISTRY: &[LanguageFiles] = &[language_files!("nl"), language_files!("en")];

/// One language's word lists, parsed.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-1 code, as used in `--lang` and the JSON export.
    pub code: &'static str,
    /// Function words, lowercase: language detection and the "common word" test.
    pub stopwords: HashSet<&'static str>,
    /// Abbreviations that keep their period (lowercase, without the final period).
    abbreviations: HashSet<String>,
    /// Suffixes split off as tokens of their own (English `'s`).
    pub clitics: Vec<&'static str>,
    /// Titles and role words that stand before a person's name (lowercase).
    pub titles: HashSet<&'static str>,
    /// Words that mark an organisation name (`partij`, `ministerie`, `Council`), lowercase.
    pub org_words: HashSet<&'static str>,
    other: &'static [(&'static str, &'static str)],
}

/// Lines of a resource file: trimmed, without blanks and `#` comments.
pub fn lines(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Language {
    fn parse(files: &LanguageFiles) -> Language {
        Language {
            code: files.code,
            stopwords: lines(files.stopwords).collect(),
            abbreviations: lines(files.abbreviations)
                .map(|l| l.trim_end_matches('.').to_lowercase())
                .collect(),
            clitics: lines(files.clitics).collect(),
            titles: lines(files.titles).collect(),
            org_words: lines(files.org_words).collect(),
            other: files.other,
        }
    }

    /// All known languages, the default first.
    pub fn all() -> &'static [Language] {
        static ALL: OnceLock<Vec<Language>> = OnceLock::new();
        ALL.get_or_init(|| REGISTRY.iter().map(Language::parse).collect())
    }

    /// The language with this code, if kgx knows it.
    pub fn get(code: &str) -> Option<&'static Language> {
        Language::all().iter().find(|l| l.code == code)
    }

    /// The codes of all known languages, for error messages.
    pub fn codes() -> Vec<&'static str> {
        Language::all().iter().map(|l| l.code).collect()
    }

    /// The text of another resource file of this language (`events.tsv`,
    /// `relations.tsv`, ...); empty if the language has none.
    pub fn resource(&self, name: &str) -> &'static str {
        self.other
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
            .unwrap_or("")
    }

    /// Whether `word` (without its final period) is a known abbreviation.
    pub fn is_abbreviation(&self, word: &str) -> bool {
        let word = word.trim_end_matches('.');
        // A short ASCII word (nearly every one) is lowercased on the stack.
        let mut buf = [0u8; 32];
        if word.len() <= buf.len() && word.is_ascii() {
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|w| self.abbreviations.contains(w));
        }
        self.abbreviations.contains(&word.to_lowercase())
    }
}

/// One value per known language, each computed on first use: a stage's
/// parsed lexicon, so that a run parses only the languages it meets.
pub struct PerLanguage<T> {
    cells: OnceLock<Box<[OnceLock<T>]>>,
}

impl<T> PerLanguage<T> {
    /// No value computed yet (for a `static`).
    pub const fn new() -> PerLanguage<T> {
        PerLanguage {
            cells: OnceLock::new(),
        }
    }

    /// The value of `lang`, computed by `init` the first time.
    ///
    /// # Panics
    /// If `lang` is not one of [`Language::all`].
    pub fn get(&self, lang: &'static Language, init: impl FnOnce(&'static Language) -> T) -> &T {
        let all = Language::all();
        let cells = self
            .cells
            .get_or_init(|| all.iter().map(|_| OnceLock::new()).collect());
        let i = all
            .iter()
            .position(|l| l.code == lang.code)
            .expect("a known language");
        cells[i].get_or_init(|| init(lang))
    }
}

impl<T> Default for PerLanguage<T> {
    fn default() -> Self {
        PerLanguage::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_language_values_are_computed_once_each_on_first_use() {
        let values: PerLanguage<String> = PerLanguage::new();
        let (nl, en) = (Language::get("nl").unwrap(), Language::get("en").unwrap());
        let calls = std::cell::Cell::new(0);
        let init = |l: &'static Language| {
            calls.set(calls.get() + 1);
            l.code.to_uppercase()
        };
        assert_eq!(values.get(nl, init), "NL");
        assert_eq!(values.get(nl, init), "NL");
        assert_eq!(calls.get(), 1);
        assert_eq!(values.get(en, init), "EN");
        assert_eq!(calls.get(), 2);
    }
}
