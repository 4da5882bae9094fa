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
/// `tsj` is read as one sound and not as `t` + `sj`: those that begin with
/// byte `b`, in the order they are tried.
fn groups_starting_with(b: u8) -> &'static [(&'static str, char)] {
    const S: &[(&str, char)] = &[
        ("shch", 's'),
        ("sjtsj", 's'),
        ("sch", 's'),
        ("sh", 's'),
        ("sj", 's'),
    ];
    const T: &[(&str, char)] = &[("tsch", 'c'), ("tsj", 'c'), ("tch", 'c')];
    const Z: &[(&str, char)] = &[("zh", 'z'), ("zj", 'z')];
    const K: &[(&str, char)] = &[("kh", 'k'), ("ks", 'x')];
    const C: &[(&str, char)] = &[("ch", 'k'), ("ck", 'k')];
    const P: &[(&str, char)] = &[("ph", 'f')];
    const O: &[(&str, char)] = &[("oe", 'u'), ("ou", 'u')];
    const I: &[(&str, char)] = &[("ie", 'i')];
    match b {
        b's' => S,
        b't' => T,
        b'z' => Z,
        b'k' => K,
        b'c' => C,
        b'p' => P,
        b'o' => O,
        b'i' => I,
        _ => &[],
    }
}

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

/// Appends the skeleton of an already folded word (no spaces) to `out`:
/// letter groups and single letters rewritten, doubled letters once.
fn rewrite_into(folded: &str, out: &mut String) {
    if folded.is_ascii() {
        return rewrite_ascii_into(folded.as_bytes(), out);
    }
    // Doubled letters (Gennadi / Genadi, Kiiv) count once: a letter equal
    // to the one written just before is left out.
    let mut last: Option<char> = None;
    let mut push = |c: char, out: &mut String| {
        if last != Some(c) {
            out.push(c);
            last = Some(c);
        }
    };
    let mut rest = folded;
    'outer: while let Some(&b) = rest.as_bytes().first() {
        // Only groups that begin with this byte can match.
        for &(from, to) in groups_starting_with(b) {
            // Byte by byte: the groups are too short for a `memcmp` call.
            let f = from.as_bytes();
            let r = rest.as_bytes();
            if r.len() >= f.len() && f.iter().zip(r).all(|(x, y)| x == y) {
                push(to, out);
                rest = &rest[f.len()..];
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        rest = &rest[c.len_utf8()..];
        push(
            match c {
                'j' | 'y' => 'i',
                'w' => 'v',
                'q' => 'k',
                c => c,
            },
            out,
        );
    }
}

/// [`rewrite_into`] for ASCII words (nearly all): bytes, no decoding.
fn rewrite_ascii_into(mut rest: &[u8], out: &mut String) {
    let mut last: Option<u8> = None;
    let mut push = |c: u8, out: &mut String| {
        if last != Some(c) {
            out.push(char::from(c));
            last = Some(c);
        }
    };
    'outer: while let Some(&b) = rest.first() {
        for &(from, to) in groups_starting_with(b) {
            // Byte by byte: the groups are too short for a `memcmp` call.
            let f = from.as_bytes();
            if rest.len() >= f.len() && f.iter().zip(rest).all(|(x, y)| x == y) {
                push(to as u8, out);
                rest = &rest[from.len()..];
                continue 'outer;
            }
        }
        push(
            match b {
                b'j' | b'y' => b'i',
                b'w' => b'v',
                b'q' => b'k',
                b => b,
            },
            out,
        );
        rest = &rest[1..];
    }
}

/// Appends the skeleton of one word to `out` (`tmp` is scratch space).
fn skeleton_word_into(word: &str, out: &mut String, tmp: &mut String) {
    tmp.clear();
    if word.is_ascii() {
        // `fold` without its spaces: the ASCII letters and digits, lowercase.
        tmp.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        tmp.extend(fold(word).chars().filter(|&c| c != ' '));
    }
    rewrite_into(tmp, out);
}

/// The skeleton of one word (see the module documentation).
pub fn skeleton_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    skeleton_word_into(word, &mut out, &mut String::new());
    out
}

/// Calls `f` with the skeleton of each word of a name, in order, skipping
/// empty ones; one scratch buffer serves every word.
fn skeleton_words(name: &str, mut f: impl FnMut(&str)) {
    // Words are no longer than the name, unless folding expands a letter.
    let mut word = String::with_capacity(name.len());
    let mut tmp = String::with_capacity(name.len());
    if name.is_ascii() {
        // `fold` splits at every ASCII byte that is no letter, digit or
        // apostrophe; the words need no second fold.
        let bytes = name.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            tmp.clear();
            while i < bytes.len() {
                let b = bytes[i];
                i += 1;
                match b {
                    b'\'' | b'`' => {}
                    b if b.is_ascii_alphanumeric() => tmp.push(char::from(b.to_ascii_lowercase())),
                    _ => break,
                }
            }
            if !tmp.is_empty() {
                word.clear();
                rewrite_into(&tmp, &mut word);
                f(&word);
            }
        }
        return;
    }
    for w in fold(name).split_whitespace() {
        word.clear();
        skeleton_word_into(w, &mut word, &mut tmp);
        if !word.is_empty() {
            f(&word);
        }
    }
}

/// The skeletons of the words of a name.
pub fn skeleton(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    skeleton_words(name, |w| out.push(w.to_string()));
    out
}

/// The skeleton words of a name joined by single spaces: `skeleton(name).join(" ")`
/// without the intermediate vector.
pub fn skeleton_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_skeleton_key(name, &mut out);
    out
}

/// Appends [`skeleton_key`]`(name)` to `out`; returns whether it was not
/// empty.
pub fn push_skeleton_key(name: &str, out: &mut String) -> bool {
    let start = out.len();
    skeleton_words(name, |w| {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(w);
    });
    out.len() > start
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
    // Names are short: two rows on the stack, no allocation.
    const STACK: usize = 32;
    if b.len() < STACK {
        let (mut prev, mut cur) = ([0usize; STACK], [0usize; STACK]);
        return edit_rows(a, b, max, &mut prev[..=b.len()], &mut cur[..=b.len()]);
    }
    let (mut prev, mut cur) = (vec![0; b.len() + 1], vec![0; b.len() + 1]);
    edit_rows(a, b, max, &mut prev, &mut cur)
}

/// The dynamic programme of [`edit_distance_of`] over two rows of
/// `b.len() + 1`, within the band `|i - j| <= max` (a cell outside it is
/// more than `max` anyway); every value is capped at `max + 1`.
fn edit_rows<'r, T: PartialEq>(
    a: &[T],
    b: &[T],
    max: usize,
    mut prev: &'r mut [usize],
    mut cur: &'r mut [usize],
) -> usize {
    let over = max + 1;
    for (j, x) in prev.iter_mut().enumerate() {
        *x = j.min(over);
    }
    for i in 1..=a.len() {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(b.len());
        cur[lo - 1] = if lo == 1 { i.min(over) } else { over };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(prev[j - 1] + cost)
                .min(over);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        // The next row reads one cell beyond this row's band.
        if hi < b.len() {
            cur[hi + 1] = over;
        }
        if row_min > max {
            return over;
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
    // Most pairs differ in their first letter: the cheapest test first
    // (equal words always share their first byte).
    if a.as_bytes().first() != b.as_bytes().first() {
        return false;
    }
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // Nearly every name: bytes are letters, and the first are equal.
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let len = a.len().min(b.len());
        if len < 5 || a.starts_with(b) || b.starts_with(a) {
            return false;
        }
        return within_edits(a, b, if len >= 9 { 2 } else { 1 });
    }
    let len = if a.is_ascii() && b.is_ascii() {
        a.len().min(b.len())
    } else {
        a.chars().count().min(b.chars().count())
    };
    if len < 5 || a.chars().next() != b.chars().next() {
        return false;
    }
    if a.starts_with(b) || b.starts_with(a) {
        return false;
    }
    let max = if len >= 9 { 2 } else { 1 };
    if a.is_ascii() && b.is_ascii() {
        return within_edits(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_edits(&a, &b, max)
}

/// Whether `a` and `b` are at most `max` edits apart: `edit_distance(a, b,
/// max) <= max`, decided without the table. Equal first (or last) letters
/// never need an edit in some optimal alignment, so they are stripped; at
/// the first difference one of three edits must be made. For the one or
/// two edits names allow this tries at most nine short paths: far cheaper
/// than a table row per letter, and most pairs fail at once.
fn within_edits<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[p..], &b[p..]);
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - s], &b[..b.len() - s]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()) <= max;
    }
    if max == 0 || a.len().abs_diff(b.len()) > max {
        return false;
    }
    if max == 1 {
        // One edit leaves one letter on each side once the equal ends are
        // stripped (an insertion or deletion leaves none on one side).
        return a.len() == 1 && b.len() == 1;
    }
    within_edits(&a[1..], &b[1..], max - 1)
        || within_edits(&a[1..], b, max - 1)
        || within_edits(a, &b[1..], max - 1)
}

/// Whether two names (as word skeletons) are spellings of one another:
/// the same number of words, each pair [`fuzzy_eq`].
pub fn fuzzy_name_eq<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.iter()
            .zip(b)
            .all(|(x, y)| fuzzy_eq(x.as_ref(), y.as_ref()))
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

    /// Every letter group, in the order they are tried (the table
    /// `groups_starting_with` splits by first byte).
    const GROUPS: &[(&str, char)] = &[
        ("shch", 's'),
        ("sjtsj", 's'),
        ("tsch", 'c'),
        ("tsj", 'c'),
        ("tch", 'c'),
        ("sch", 's'),
        ("zh", 'z'),
        ("zj", 'z'),
        ("sh", 's'),
        ("sj", 's'),
        ("kh", 'k'),
        ("ch", 'k'),
        ("ck", 'k'),
        ("ph", 'f'),
        ("oe", 'u'),
        ("ou", 'u'),
        ("ie", 'i'),
        ("ks", 'x'),
    ];

    /// The skeleton as first written (one `String` per step), to check
    /// that the allocation-free version computes the same.
    fn reference_skeleton(name: &str) -> Vec<String> {
        fold(name)
            .split_whitespace()
            .map(reference_word)
            .filter(|w| !w.is_empty())
            .collect()
    }

    fn reference_word(w: &str) -> String {
        {
            let folded = fold(w).replace(' ', "");
            let mut s = String::new();
            let mut rest = folded.as_str();
            'outer: while !rest.is_empty() {
                for (from, to) in GROUPS {
                    if let Some(r) = rest.strip_prefix(from) {
                        s.push(*to);
                        rest = r;
                        continue 'outer;
                    }
                }
                let c = rest.chars().next().unwrap();
                rest = &rest[c.len_utf8()..];
                s.push(match c {
                    'j' | 'y' => 'i',
                    'w' => 'v',
                    'q' => 'k',
                    c => c,
                });
            }
            let mut out = String::new();
            for c in s.chars() {
                if !out.ends_with(c) {
                    out.push(c);
                }
            }
            out
        }
    }

    #[test]
    fn fast_skeleton_equals_the_reference() {
        for name in [
            "Sjtsjerbakov-Tsjaikovski",
            "O'Neill  van der Berg",
            "AT&T (U.S.)",
            "Zürich–Genève",
            "Straße Ĳsselmeer İstanbul",
            "Kachchh Shchukin Wooqq",
            "''",
            "",
            "Φιλιππος ΣΟΦΟΣ",
            "Ñandú 42nd",
        ] {
            assert_eq!(skeleton(name), reference_skeleton(name), "{name}");
            assert_eq!(skeleton_key(name), reference_skeleton(name).join(" "));
            for w in name.split(' ') {
                assert_eq!(skeleton_word(w), reference_word(w), "{w}");
            }
        }
    }

    #[test]
    fn groups_are_split_by_first_byte_in_order() {
        for b in 0..=255u8 {
            let want: Vec<(&str, char)> = GROUPS
                .iter()
                .copied()
                .filter(|(from, _)| from.as_bytes()[0] == b)
                .collect();
            assert_eq!(groups_starting_with(b), want.as_slice(), "{}", b as char);
        }
    }

    /// Plain Levenshtein distance, for comparison.
    fn full_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn banded_distance_is_exact_up_to_max() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "sobianin",
            "sobanin",
            "kharkiv",
            "karkiv",
            "karkov",
            "aaaaab",
            "baaaaa",
            "zürich",
            "zurich",
            "abcdefghij",
            "abcdfeghij",
        ];
        for a in words {
            for b in words {
                for max in 0..4 {
                    let d = full_distance(a, b);
                    let got = edit_distance(a, b, max);
                    if d <= max {
                        assert_eq!(got, d, "{a} {b} {max}");
                    } else {
                        assert!(got > max, "{a} {b} {max}");
                    }
                }
            }
        }
    }

    #[test]
    fn stripped_search_agrees_with_the_distance() {
        // Every word over a small alphabet up to five letters, against each
        // other: the search must say exactly what the distance says.
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        words.extend(["kitten", "sitting", "zürich", "zurich", "abcdfeghij"].map(String::from));
        for a in &words {
            for b in words.iter().step_by(7) {
                for max in 0..3 {
                    let want = full_distance(a, b) <= max;
                    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                    assert_eq!(within_edits(&x, &y, max), want, "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn edit_distance_on_long_and_short_words() {
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
        assert_eq!(edit_distance("kitten", "sitting", 1), 2);
        let long_a = "a".repeat(80);
        let long_b = format!("{}b", "a".repeat(79));
        assert_eq!(edit_distance(&long_a, &long_b, 2), 1);
        assert_eq!(edit_distance("zürich", "zurich", 2), 1);
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
