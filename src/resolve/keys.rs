//! Alias keys: the forms of a name that resolution compares.
//!
//! A name's *skeleton* folds away what differs between spellings of one name
//! in Dutch, English and German news: case, diacritics, doubled letters and
//! the usual romanisation differences of Russian and Ukrainian names (Dutch
//! `oe`/`sj`/`zj`/`tsj`/`ch`/`j` against English `u`/`sh`/`zh`/`ch`/`kh`/`y`).
//! Two names whose skeletons are equal are spellings of one name; two that
//! differ by one letter may be ([`fuzzy_eq`] decides, with guards).

use unicode_normalization::UnicodeNormalization;

/// Letter groups rewritten before single letters, longest first, so that
/// `tsj` is read as one sound and not as `t` + `sj`.
const GROUPS: &[(&str, &str)] = &[
    ("shch", "s"),
    ("sjtsj", "s"),
    ("tsch", "c"),
    ("tsj", "c"),
    ("tch", "c"),
    ("sch", "s"),
    ("zh", "z"),
    ("zj", "z"),
    ("sh", "s"),
    ("sj", "s"),
    ("kh", "k"),
    ("ch", "k"),
    ("ck", "k"),
    ("ph", "f"),
    ("oe", "u"),
    ("ou", "u"),
    ("ie", "i"),
    ("ks", "x"),
];

/// Lowercase, without diacritics or apostrophes; every other non-letter
/// becomes a space.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    if name.is_ascii() {
        // Most names are ASCII: no decomposition, no multi-char lowercase.
        for b in name.bytes() {
            match b {
                b'\'' | b'`' => {}
                b if b.is_ascii_alphanumeric() => out.push(char::from(b.to_ascii_lowercase())),
                _ => out.push(' '),
            }
        }
        return out;
    }
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '\'' | '’' | 'ʼ' | '`' => {}
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out
}

/// The skeleton of one word (see the module documentation).
pub fn skeleton_word(word: &str) -> String {
    let folded = fold(word).replace(' ', "");
    let mut s = String::with_capacity(folded.len());
    let mut rest = folded.as_str();
    'outer: while !rest.is_empty() {
        // Only these letters begin a group: skip the scan for the others.
        let starts_group = matches!(
            rest.as_bytes()[0],
            b's' | b't' | b'z' | b'k' | b'c' | b'p' | b'o' | b'i'
        );
        for (from, to) in GROUPS.iter().filter(|_| starts_group) {
            if let Some(r) = rest.strip_prefix(from) {
                s.push_str(to);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        rest = &rest[c.len_utf8()..];
        s.push(match c {
            'j' | 'y' => 'i',
            'w' => 'v',
            'q' => 'k',
            c => c,
        });
    }
    // Doubled letters (Gennadi / Genadi, Kiiv) count once.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The skeletons of the words of a name.
pub fn skeleton(name: &str) -> Vec<String> {
    fold(name)
        .split_whitespace()
        .map(skeleton_word)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Levenshtein distance over chars, giving up (returning `max + 1`) once
/// the distance must exceed `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return edit_distance_of(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_of(&a, &b, max)
}

fn edit_distance_of<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        if cur.iter().min().copied().unwrap_or(0) > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Whether two word skeletons are spellings of one name: equal, or (for
/// words of five letters or more, with the same first letter) one edit
/// apart, two for words of nine or more. A word that only adds letters at
/// the end of the other (`ivanov` / `ivanova`, a different person) is
/// never a variant.
pub fn fuzzy_eq(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let len = a.chars().count().min(b.chars().count());
    if len < 5 || a.chars().next() != b.chars().next() {
        return false;
    }
    if a.starts_with(b) || b.starts_with(a) {
        return false;
    }
    let max = if len >= 9 { 2 } else { 1 };
    edit_distance(a, b, max) <= max
}

/// Whether two names (as word skeletons) are spellings of one another:
/// the same number of words, each pair [`fuzzy_eq`].
pub fn fuzzy_name_eq(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && !a.is_empty() && a.iter().zip(b).all(|(x, y)| fuzzy_eq(x, y))
}

/// The initials of the capitalised words of a name (`Shanghai Cooperation
/// Organisation` → `SCO`), used to match acronyms; hyphenated parts count
/// as words.
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Whether a word looks like an acronym: two to six letters, all capitals.
pub fn is_acronym(word: &str) -> bool {
    let n = word.chars().count();
    (2..=6).contains(&n) && word.chars().all(|c| c.is_uppercase() && c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sk(s: &str) -> String {
        skeleton(s).join(" ")
    }

    #[test]
    fn romanisations_share_a_skeleton() {
        assert_eq!(sk("Sobjanin"), sk("Sobyanin"));
        assert_eq!(sk("Cherson"), sk("Kherson"));
        assert_eq!(sk("Michail"), sk("Mikhail"));
        assert_eq!(sk("Koeleba"), sk("Kuleba"));
        assert_eq!(sk("Sergej"), sk("Sergey"));
        assert_eq!(sk("Gennadi"), sk("Gennady"));
        assert_eq!(sk("Kiev"), sk("Kyiv"));
        assert_eq!(sk("Zürich"), sk("Zurich"));
    }

    #[test]
    fn one_letter_variants_are_fuzzy_equal() {
        assert!(fuzzy_eq(
            &skeleton_word("Misjoetin"),
            &skeleton_word("Mishustin")
        ));
        assert!(fuzzy_eq(
            &skeleton_word("Zjoeganov"),
            &skeleton_word("Zyuganov")
        ));
        assert!(fuzzy_eq(
            &skeleton_word("Charkov"),
            &skeleton_word("Kharkiv")
        ));
    }

    #[test]
    fn different_names_are_not_fuzzy_equal() {
        // Feminine form of a surname: another person.
        assert!(!fuzzy_eq(
            &skeleton_word("Ivanov"),
            &skeleton_word("Ivanova")
        ));
        // Short names: one letter is too much.
        assert!(!fuzzy_eq(&skeleton_word("Mali"), &skeleton_word("Bali")));
        assert!(!fuzzy_eq(&skeleton_word("Iran"), &skeleton_word("Irak")));
        // Different first letter.
        assert!(!fuzzy_eq(
            &skeleton_word("Jansen"),
            &skeleton_word("Hansen")
        ));
        assert!(!fuzzy_eq(
            &skeleton_word("Peterson"),
            &skeleton_word("Anderson")
        ));
    }

    #[test]
    fn acronyms_and_initials() {
        assert_eq!(initials("Shanghai Cooperation Organisation"), "SCO");
        assert_eq!(initials("Verenigde Naties"), "VN");
        assert!(is_acronym("SCO"));
        assert!(!is_acronym("Sco"));
        assert!(!is_acronym("A"));
    }
}
