//! Time expressions: weekdays, dates, months, years and relative phrases,
//! kept as written and resolved to ISO dates where the text (or the
//! document date) allows.

use std::ops::Range;

use super::lexicon::{EventLexicon, Offset};
use crate::text::Document;

/// A time expression found in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeExpr {
    /// Its tokens, a leading preposition included (`op 5 september`).
    pub tokens: Range<usize>,
    /// The ISO value: `2022-09-28`, `2022-09`, `2022`, `2022-W37`, if resolvable.
    pub iso: Option<String>,
}

/// What an expression says before the document date is known.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Value {
    Weekday(u32),
    Date {
        day: u32,
        month: u32,
        year: Option<i64>,
    },
    Month {
        month: u32,
        year: Option<i64>,
    },
    Year(i64),
    Relative(Offset),
}

/// The time expressions of one sentence, in text order. `future` picks the
/// next (not the last) weekday of that name when resolving against `date`.
pub fn find_times(
    doc: &Document,
    sentence: usize,
    lex: &EventLexicon,
    date: Option<(i64, u32, u32)>,
    future: bool,
) -> Vec<TimeExpr> {
    let range = doc.sentences[sentence].tokens.clone();
    let lower: Vec<&str> = range.clone().map(|i| doc.lower(i)).collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < lower.len() {
        let Some((len, value)) = expression_at(&lower, k, lex) else {
            k += 1;
            continue;
        };
        let mut start = k;
        if start > 0 && lex.modifiers.contains(lower[start - 1]) {
            start -= 1;
        }
        if start > 0 && lex.time_preps.contains(lower[start - 1]) {
            start -= 1;
        }
        out.push(TimeExpr {
            tokens: range.start + start..range.start + k + len,
            iso: resolve(value, date, future),
        });
        k += len;
    }
    out
}

fn number(w: &str) -> Option<i64> {
    if w.is_empty() || w.len() > 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}

fn year(w: &str) -> Option<i64> {
    number(w).filter(|y| (1000..=2999).contains(y) && w.len() == 4)
}

/// The month a word names, also after a modifier joined by a hyphen (`mid-march`).
fn month(w: &str, lex: &EventLexicon) -> Option<u32> {
    lex.months.get(w).copied().or_else(|| {
        // (A byte search: `-` is never part of a multi-byte character.)
        let h = w.bytes().position(|b| b == b'-')?;
        let (m, rest) = (&w[..h], &w[h + 1..]);
        // The month first: it rules out almost every hyphenated word
        // without building `{m}-`.
        let month = lex.months.get(rest).copied()?;
        (lex.modifiers.contains(m) || lex.modifiers.contains(&format!("{m}-"))).then_some(month)
    })
}

/// A time expression starting at word `k`: how many words, and its value.
fn expression_at(lower: &[&str], k: usize, lex: &EventLexicon) -> Option<(usize, Value)> {
    let w = lower[k];
    let get = |j: usize| lower.get(j).copied().unwrap_or("");
    // Cheap tests (a set of first words, lengths, first bytes) rule out most
    // words before the phrase and weekday scans.
    let first = w.as_bytes().first().copied().unwrap_or(0);
    let relative: &[_] = if lex.relative_empty || lex.relative_first.contains(w) {
        &lex.relative
    } else {
        &[]
    };
    for (words, offset) in relative {
        if words.iter().enumerate().all(|(j, x)| get(k + j) == x) {
            return Some((words.len(), Value::Relative(*offset)));
        }
    }
    if let Some(&d) = lex.weekdays.get(w) {
        let part = lex.day_parts.iter().any(|p| p == get(k + 1));
        return Some((1 + part as usize, Value::Weekday(d)));
    }
    if w.len() >= lex.weekday_part_min && lex.weekday_first.contains(first) {
        for (name, &d) in &lex.weekdays {
            if let Some(rest) = w.strip_prefix(name.as_str()) {
                if lex.day_parts.iter().any(|p| p == rest) {
                    return Some((1, Value::Weekday(d)));
                }
            }
        }
    }
    // 28 september [2022]
    if let Some((day, m)) = number(w).and_then(|d| Some((d, month(get(k + 1), lex)?))) {
        if (1..=31).contains(&day) {
            let y = year(get(k + 2));
            return Some((
                2 + y.is_some() as usize,
                Value::Date {
                    day: day as u32,
                    month: m,
                    year: y,
                },
            ));
        }
    }
    if let Some(m) = month(w, lex) {
        // September 28[,] [2022]
        if let Some(day) = number(get(k + 1)).filter(|d| (1..=31).contains(d)) {
            let comma = get(k + 2) == ",";
            let y = year(get(k + 2 + comma as usize));
            let len = 2 + if y.is_some() { 1 + comma as usize } else { 0 };
            return Some((
                len,
                Value::Date {
                    day: day as u32,
                    month: m,
                    year: y,
                },
            ));
        }
        let y = year(get(k + 1));
        let before = k > 0 && {
            let p = lower[k - 1];
            lex.time_preps.contains(p) || lex.modifiers.contains(p)
        };
        // A bare month name needs a preposition, modifier or year: English
        // `may` and `march` are common words too.
        if y.is_some() || before || w.contains('-') {
            return Some((1 + y.is_some() as usize, Value::Month { month: m, year: y }));
        }
    }
    if let Some(y) = year(w) {
        if k > 0 && lex.time_preps.contains(lower[k - 1]) {
            return Some((1, Value::Year(y)));
        }
    }
    None
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + (m <= 2) as i64;
    (y, m, d)
}

/// ISO weekday (1 = Monday) of a day count.
fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    ((days + 3).rem_euclid(7) + 1) as u32
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// ISO week (`2022-W37`) of a day count.
fn iso_week(days: i64) -> String {
    // The week belongs to the year of its Thursday.
    let thursday = days - weekday(days) as i64 + 4;
    let (y, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
    format!("{y:04}-W{week:02}")
}

fn resolve(value: Value, date: Option<(i64, u32, u32)>, future: bool) -> Option<String> {
    let doc_days = date.map(|(y, m, d)| days_from_civil(y, m, d));
    match value {
        Value::Date {
            day,
            month,
            year: Some(y),
        } => Some(format!("{y:04}-{month:02}-{day:02}")),
        Value::Date { day, month, .. } => {
            date.map(|(y, _, _)| format!("{y:04}-{month:02}-{day:02}"))
        }
        Value::Month {
            month,
            year: Some(y),
        } => Some(format!("{y:04}-{month:02}")),
        Value::Month { month, .. } => date.map(|(y, _, _)| format!("{y:04}-{month:02}")),
        Value::Year(y) => Some(format!("{y:04}")),
        Value::Weekday(wd) => {
            let today = doc_days?;
            let diff = (weekday(today) as i64 - wd as i64).rem_euclid(7);
            Some(iso_date(if future {
                today + (7 - diff) % 7
            } else {
                today - diff
            }))
        }
        Value::Relative(Offset { amount, unit }) => {
            let today = doc_days?;
            let (y, m, _) = date?;
            Some(match unit {
                'd' => iso_date(today + amount),
                'w' => iso_week(today + 7 * amount),
                'm' => {
                    let total = y * 12 + m as i64 - 1 + amount;
                    format!(
                        "{:04}-{:02}",
                        total.div_euclid(12),
                        total.rem_euclid(12) + 1
                    )
                }
                _ => format!("{:04}", y + amount),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2022, 9, 21), (2000, 2, 29), (1999, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        // 2022-09-21 was a Wednesday.
        assert_eq!(weekday(days_from_civil(2022, 9, 21)), 3);
        assert_eq!(iso_week(days_from_civil(2022, 9, 21)), "2022-W38");
        assert_eq!(iso_week(days_from_civil(2021, 1, 1)), "2020-W53");
    }

    #[test]
    fn weekdays_resolve_to_the_last_one_or_the_next() {
        let date = Some((2022, 9, 24)); // a Saturday
        assert_eq!(
            resolve(Value::Weekday(3), date, false).as_deref(),
            Some("2022-09-21")
        );
        assert_eq!(
            resolve(Value::Weekday(6), date, false).as_deref(),
            Some("2022-09-24")
        );
        assert_eq!(
            resolve(Value::Weekday(1), date, true).as_deref(),
            Some("2022-09-26")
        );
        assert_eq!(resolve(Value::Weekday(1), None, true), None);
    }

    #[test]
    fn relative_offsets_resolve() {
        let date = Some((2022, 1, 15));
        let rel = |amount, unit| Value::Relative(Offset { amount, unit });
        assert_eq!(
            resolve(rel(-1, 'd'), date, false).as_deref(),
            Some("2022-01-14")
        );
        assert_eq!(
            resolve(rel(-1, 'm'), date, false).as_deref(),
            Some("2021-12")
        );
        assert_eq!(resolve(rel(1, 'y'), date, false).as_deref(), Some("2023"));
        assert_eq!(parse_date("2022-09-24"), Some((2022, 9, 24)));
        assert_eq!(parse_date("24-09"), None);
    }
}
