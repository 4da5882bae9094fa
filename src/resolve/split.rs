//! Two adjacent person names the tagger read as one name.
//!
//! In Dutch the subject may follow the verb, so two names can stand side by
//! side (`... ontmoette Sergej Lavrov Wang Yi`), and a tagger often covers
//! both with one person mention. Such a mention would make one node of two
//! people. A person mention of four or more capitalised words is cut in two
//! (each part at least two words) where one name visibly ends and another
//! begins:
//!
//! 1. the word before the cut has a surname ending (`-ov`, `-yev`, `-enko`,
//!    `-shvili`, ...) from `resources/<lang>/names.tsv`: such a surname ends
//!    a name, and a patronymic (`-vich`) is no surname;
//! 2. the word after the cut is an East Asian family name, which opens a
//!    name (`Xi Jinping`), and exactly two words follow from it;
//! 3. one of the two parts is written elsewhere in the document as a name
//!    of its own.
//!
//! A name with a lowercase particle (`van`, `de`, `bin`) is never cut, and
//! neither is a name whose parts no rule separates (`Andrés Manuel López
//! Obrador`).

use std::collections::HashSet;

use crate::lang::{lines, Language, PerLanguage};
use crate::ner::{EntityKind, Mention};
use crate::text::Document;

use super::keys::skeleton;

/// The longest mention considered: longer runs are lists or noise, and the
/// bound keeps the work per mention constant.
const MAX_WORDS: usize = 8;

/// One language's name-shape data (`names.tsv`), lowercase.
#[derive(Debug, Default)]
pub struct NameShapes {
    /// Surname endings.
    pub surname_suffixes: Vec<&'static str>,
    /// Endings that look like a surname ending but are not (patronymics).
    pub not_surname: Vec<&'static str>,
    /// Family names written first.
    pub family_first: HashSet<&'static str>,
}

impl NameShapes {
    /// Parses a `names.tsv` file.
    pub fn parse(text: &'static str) -> NameShapes {
        let mut s = NameShapes::default();
        for line in lines(text) {
            let Some((name, values)) = line.split_once('\t') else {
                continue;
            };
            let values = values.split('|').map(str::trim).filter(|v| !v.is_empty());
            match name.trim() {
                "surname_suffix" => s.surname_suffixes.extend(values),
                "not_surname" => s.not_surname.extend(values),
                "family_first" => s.family_first.extend(values),
                _ => {}
            }
        }
        s
    }

    /// The name shapes of a language.
    pub fn of(lang: &'static Language) -> &'static NameShapes {
        static ALL: PerLanguage<NameShapes> = PerLanguage::new();
        ALL.get(lang, |l| NameShapes::parse(l.resource("names.tsv")))
    }

    /// Whether a word (as written) ends like a surname: a listed ending
    /// after a stem of at least three letters, and no patronymic ending.
    pub fn is_surname(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        if self.not_surname.iter().any(|s| w.ends_with(s)) {
            return false;
        }
        self.surname_suffixes.iter().any(|s| {
            w.strip_suffix(s)
                .is_some_and(|stem| stem.chars().count() >= 3)
        })
    }
}

/// Whether a token can be part of a cut name: a capitalised word (a
/// hyphen inside is fine: `Jong-un`).
fn name_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Where to cut a person mention of `words` (as written), if anywhere: the
/// index of the first word of the second name.
fn cut(shapes: &NameShapes, words: &[&str], known: &dyn Fn(&[&str]) -> bool) -> Option<usize> {
    let n = words.len();
    if !(4..=MAX_WORDS).contains(&n) || !words.iter().all(|w| name_word(w)) {
        return None;
    }
    let family = |w: &str| shapes.family_first.contains(w.to_lowercase().as_str());
    (2..=n - 2).find(|&k| {
        shapes.is_surname(words[k - 1])
            || (k == n - 2 && family(words[k]) && !family(words[k - 1]))
            || known(&words[..k])
            || known(&words[k..])
    })
}

/// Cuts every person mention that holds two adjacent names into two person
/// mentions (see the module doc); other mentions pass unchanged, in order.
pub fn split_names(doc: &Document, mentions: Vec<Mention>) -> Vec<Mention> {
    let shapes = NameShapes::of(doc.language());
    let long = |m: &Mention| m.kind == EntityKind::Person && m.tokens.len() >= 4;
    if !mentions.iter().any(long) {
        return mentions;
    }
    // The names written on their own elsewhere (two words or more).
    let own: HashSet<String> = mentions
        .iter()
        .filter(|m| m.tokens.len() >= 2 && m.tokens.len() < 4)
        .map(|m| skeleton(doc.slice(m.span)).join(" "))
        .collect();
    let known = |words: &[&str]| own.contains(&skeleton(&words.join(" ")).join(" "));
    let mut out = Vec::with_capacity(mentions.len() + 1);
    for m in mentions {
        if long(&m) {
            let words: Vec<&str> = m.tokens.clone().map(|t| doc.token_text(t)).collect();
            if let Some(k) = cut(shapes, &words, &known) {
                let at = m.tokens.start + k;
                out.push(Mention::over_tokens(
                    doc,
                    m.tokens.start..at,
                    m.kind,
                    m.sentence,
                ));
                out.push(Mention::over_tokens(
                    doc,
                    at..m.tokens.end,
                    m.kind,
                    m.sentence,
                ));
                continue;
            }
        }
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::doc_with;
    use EntityKind::Person as Per;

    fn names(text: &str, lang: &str, tagged: &[(&str, EntityKind)]) -> Vec<String> {
        let (doc, ms) = doc_with(text, lang, tagged);
        split_names(&doc, ms)
            .iter()
            .map(|m| doc.slice(m.span).to_string())
            .collect()
    }

    #[test]
    fn a_surname_ending_ends_the_first_name() {
        let text = "Gisteren ontving Boris Tsjernov Maria Kowalczyk in het paleis.";
        assert_eq!(
            names(text, "nl", &[("Boris Tsjernov Maria Kowalczyk", Per)]),
            ["Boris Tsjernov", "Maria Kowalczyk"]
        );
        let text = "Then Olena Marchenko Peter Smith Jones left.";
        assert_eq!(
            names(text, "en", &[("Olena Marchenko Peter Smith Jones", Per)]),
            ["Olena Marchenko", "Peter Smith Jones"]
        );
    }

    #[test]
    fn an_east_asian_family_name_opens_the_second_name() {
        let text = "Daarna sprak Amara Diallo Zhao Lijun over handel.";
        assert_eq!(
            names(text, "nl", &[("Amara Diallo Zhao Lijun", Per)]),
            ["Amara Diallo", "Zhao Lijun"]
        );
    }

    #[test]
    fn a_part_named_alone_elsewhere_is_a_name() {
        let text = "Later begroette Pieter Hendriks Karel Mulder. Karel Mulder bleef.";
        assert_eq!(
            names(
                text,
                "nl",
                &[("Pieter Hendriks Karel Mulder", Per), ("Karel Mulder", Per)]
            ),
            ["Pieter Hendriks", "Karel Mulder", "Karel Mulder"]
        );
    }

    #[test]
    fn single_long_names_stay_whole() {
        // No rule separates the parts of one long name.
        let text = "Andrés Manuel López Obrador won the vote.";
        assert_eq!(
            names(text, "en", &[("Andrés Manuel López Obrador", Per)]),
            ["Andrés Manuel López Obrador"]
        );
        // A patronymic is no surname; three words are never cut.
        let text = "Ivan Sergejevitsj Petrov Ivanov sprak. Toen kwam Lev Tolstoj Wang.";
        assert_eq!(
            names(
                text,
                "nl",
                &[
                    ("Ivan Sergejevitsj Petrov Ivanov", Per),
                    ("Lev Tolstoj Wang", Per)
                ]
            ),
            ["Ivan Sergejevitsj Petrov Ivanov", "Lev Tolstoj Wang"]
        );
        // A particle keeps the name whole; so does a surname at the end.
        let text = "Jan Peter van Ivanov en Anna Maria Sofia Petrova kwamen.";
        assert_eq!(
            names(
                text,
                "nl",
                &[
                    ("Jan Peter van Ivanov", Per),
                    ("Anna Maria Sofia Petrova", Per)
                ]
            ),
            ["Jan Peter van Ivanov", "Anna Maria Sofia Petrova"]
        );
        // Organisations are never cut.
        let text = "Het bedrijf Gazprom Neft Kuznetsov Holding groeide.";
        assert_eq!(
            names(
                text,
                "nl",
                &[("Gazprom Neft Kuznetsov Holding", EntityKind::Organisation)]
            ),
            ["Gazprom Neft Kuznetsov Holding"]
        );
    }
}
