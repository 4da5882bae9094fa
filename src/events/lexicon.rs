//! The events stage's language data, parsed once per language: trigger
//! words, modality cues, time words and argument cues.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::lang::{lines, Language, PerLanguage};
use crate::text::WordShapes;

/// One trigger entry of `events.tsv`.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// The words, lowercase; a `None` marks the gap of a separable verb.
    pub words: Vec<Option<String>>,
    /// The event type.
    pub event_type: String,
    /// A noun (may take adjectives and be a compound head) or a verb.
    pub noun: bool,
    /// Ambiguous: needs a named entity in the sentence and no blocking word before it.
    pub ctx: bool,
    /// Never matched as the head of a longer compound.
    pub nohead: bool,
    /// A verb form that is also a noun: not after a determiner (`stemmen`).
    pub nodet: bool,
    /// Only inside a name the tagger marks MISC (`Olympische Spelen`).
    pub misc: bool,
}

/// What a modality cue does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// Marks the event as hypothetical, negated or future.
    Modality(&'static str),
    /// Cancels a negation: the text denies a name, not the happening.
    Naming,
}

/// A modality cue and how far it reaches.
#[derive(Clone, Copy, Debug)]
pub struct ModalityCue {
    /// What it does.
    pub cue: Cue,
    /// Only within three words before the trigger (else: the whole clause).
    pub near: bool,
}

/// A relative time word: an offset from the document date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offset {
    /// How many units (negative: in the past).
    pub amount: i64,
    /// `d`, `w`, `m` or `y`.
    pub unit: char,
}

/// Everything the events stage knows about one language.
#[derive(Debug, Default)]
pub struct EventLexicon {
    /// Triggers by their first word.
    pub triggers: HashMap<String, Vec<Trigger>>,
    /// Noun triggers that may head a longer compound, longest first.
    pub heads: Vec<(String, usize)>,
    /// `heads` as a trie of their bytes read backwards, for finding the
    /// heads a word ends in without trying each.
    pub head_trie: SuffixTrie,
    /// Single-word triggers in file order (index for `heads`).
    pub single: Vec<Trigger>,
    /// Adjectives that belong to a noun trigger's phrase.
    pub adjectives: HashSet<String>,
    /// Words that mark a new instance of an event.
    pub new_words: HashSet<String>,
    /// Determiners that point back to an earlier mention.
    pub anaphors: HashSet<String>,
    /// Words (or two-word phrases) that block an ambiguous trigger right after them.
    pub blocks: HashSet<String>,
    /// Modality cues by word.
    pub modality: HashMap<String, ModalityCue>,
    /// Two-word cues (`om ... te`): the first before the trigger, the second
    /// after the first, both in the trigger's clause; and what they mark.
    pub framed: Vec<(String, String, &'static str)>,
    /// Determiners: a `nodet` trigger right after one (or after one and an
    /// adjective) is read as a noun, not as the verb it is listed for.
    pub determiners: HashSet<String>,
    /// Weekday names and their ISO numbers.
    pub weekdays: HashMap<String, u32>,
    /// Month names and numbers.
    pub months: HashMap<String, u32>,
    /// Parts of the day (`avond`, `evening`).
    pub day_parts: Vec<String>,
    /// Relative time phrases (split into words) and their offsets.
    pub relative: Vec<(Vec<String>, Offset)>,
    /// The shapes of the trigger words (keys of `triggers`).
    pub trigger_shapes: WordShapes,
    /// First words of the relative phrases.
    pub relative_first: HashSet<String>,
    /// Whether a relative phrase has no words (it matches anywhere).
    pub relative_empty: bool,
    /// The shortest weekday-and-day-part compound (`woensdagavond`) there
    /// can be; `usize::MAX` without day parts.
    pub weekday_part_min: usize,
    /// First bytes of the weekday names (every byte if a name is empty).
    pub weekday_first: ByteSet,
    /// Words before a month that keep it (`begin`, `medio`).
    pub modifiers: HashSet<String>,
    /// Prepositions kept with a time expression.
    pub time_preps: HashSet<String>,
    /// Prepositions that put a place in the place role.
    pub place_preps: HashSet<String>,
    /// Words that open a new clause.
    pub clause_words: HashSet<String>,
    /// Punctuation that ends a clause.
    pub clause_punct: HashSet<String>,
    /// Words that coordinate two names (`en`, `and`).
    pub coordinators: HashSet<String>,
    /// Nouns for a country's forces or government: after a place adjective
    /// they make the place a participant (`de Oekraïense troepen`).
    pub actor_nouns: HashSet<String>,
    /// Nouns for a country's people: after a place adjective they make the
    /// place the event's place (`a speech to the Russian people`).
    pub people_nouns: HashSet<String>,
}

impl EventLexicon {
    /// Whether `word` may be a key of `triggers`: false rules it out
    /// without hashing it (most short function words, all punctuation).
    pub fn may_trigger(&self, word: &str) -> bool {
        self.trigger_shapes.may_contain(word)
    }

    /// The lexicon of a language, parsed on first use.
    pub fn of(lang: &'static Language) -> &'static EventLexicon {
        static ALL: PerLanguage<EventLexicon> = PerLanguage::new();
        ALL.get(lang, EventLexicon::parse)
    }

    fn parse(lang: &'static Language) -> EventLexicon {
        let mut lex = EventLexicon::default();
        let mut seen = HashSet::default();
        for line in lines(lang.resource("events.tsv")) {
            let cols: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|c| !c.is_empty() && !c.starts_with('#'))
                .collect();
            if let Some(kind) = cols.first().and_then(|c| c.strip_prefix('@')) {
                let set = match kind {
                    "adj" => &mut lex.adjectives,
                    "new" => &mut lex.new_words,
                    "anaphor" => &mut lex.anaphors,
                    "block" => &mut lex.blocks,
                    "det" => &mut lex.determiners,
                    _ => continue,
                };
                set.extend(cols[1..].iter().map(|w| w.to_lowercase()));
                continue;
            }
            if cols.len() < 2 || !seen.insert(cols[0].to_lowercase()) {
                // The first entry of a form wins: hand-written rows come first.
                continue;
            }
            let flags: Vec<&str> = cols
                .get(2)
                .map(|f| f.split(',').collect())
                .unwrap_or_default();
            let words: Vec<Option<String>> = cols[0]
                .split_whitespace()
                .map(|w| (w != "...").then(|| w.to_lowercase()))
                .collect();
            let trigger = Trigger {
                event_type: cols[1].to_string(),
                noun: flags.contains(&"n"),
                ctx: flags.contains(&"ctx"),
                nohead: flags.contains(&"nohead"),
                nodet: flags.contains(&"nodet"),
                misc: flags.contains(&"misc"),
                words,
            };
            if trigger.words.len() == 1 {
                lex.single.push(trigger.clone());
            }
            if let Some(Some(first)) = trigger.words.first() {
                lex.triggers.entry(first.clone()).or_default().push(trigger);
            }
        }
        for list in lex.triggers.values_mut() {
            // Longest phrase first, so `in hechtenis genomen` beats `in hechtenis`.
            list.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
        }
        lex.heads = lex
            .single
            .iter()
            .enumerate()
            .filter(|(_, t)| t.noun && !t.nohead && !t.ctx)
            .filter_map(|(i, t)| t.words[0].clone().map(|w| (w, i)))
            .filter(|(w, _)| w.chars().count() >= 4)
            .collect();
        lex.heads
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        for (h, i) in &lex.heads {
            lex.head_trie.insert(h, *i);
        }
        for line in lines(lang.resource("modality.txt")) {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 2 {
                continue;
            }
            let cue = match cols[1] {
                "naming" => Cue::Naming,
                "hypothetical" => Cue::Modality("hypothetical"),
                "negated" => Cue::Modality("negated"),
                "future" => Cue::Modality("future"),
                _ => continue,
            };
            if let Some((first, second)) = cols[0].split_once(" ... ") {
                if let Cue::Modality(m) = cue {
                    lex.framed
                        .push((first.to_lowercase(), second.to_lowercase(), m));
                }
                continue;
            }
            let near = cols.get(2) == Some(&"near");
            lex.modality
                .insert(cols[0].to_lowercase(), ModalityCue { cue, near });
        }
        for line in lines(lang.resource("time.tsv")) {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let word = cols.get(1).map(|w| w.to_lowercase()).unwrap_or_default();
            let value = cols.get(2).copied().unwrap_or("");
            match cols[0] {
                "weekday" => {
                    if let Ok(n) = value.parse() {
                        lex.weekdays.insert(word, n);
                    }
                }
                "month" => {
                    if let Ok(n) = value.parse() {
                        lex.months.insert(word, n);
                    }
                }
                "part" => lex.day_parts.push(word),
                "relative" => {
                    if let Some(offset) = parse_offset(value) {
                        let words = word.split_whitespace().map(String::from).collect();
                        lex.relative.push((words, offset));
                    }
                }
                "modifier" => {
                    lex.modifiers.insert(word);
                }
                "prep" => {
                    lex.time_preps.insert(word);
                }
                _ => {}
            }
        }
        for word in lex.triggers.keys() {
            lex.trigger_shapes.insert(word);
        }
        for (words, _) in &lex.relative {
            match words.first() {
                Some(w) => {
                    lex.relative_first.insert(w.clone());
                }
                None => lex.relative_empty = true,
            }
        }
        let shortest = |words: &mut dyn Iterator<Item = &String>| words.map(String::len).min();
        lex.weekday_part_min = match (
            shortest(&mut lex.weekdays.keys()),
            shortest(&mut lex.day_parts.iter()),
        ) {
            (Some(a), Some(b)) => a + b,
            _ => usize::MAX,
        };
        for name in lex.weekdays.keys() {
            lex.weekday_first.insert_first(name);
        }
        // Longest relative phrase first.
        lex.relative
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        for line in lines(lang.resource("event_args.tsv")) {
            let mut cols = line.split('\t').map(str::trim);
            let set = match cols.next() {
                Some("place_prep") => &mut lex.place_preps,
                Some("clause") => &mut lex.clause_words,
                Some("punct") => &mut lex.clause_punct,
                Some("coord") => &mut lex.coordinators,
                Some("actor_noun") => &mut lex.actor_nouns,
                Some("people_noun") => &mut lex.people_nouns,
                _ => continue,
            };
            set.extend(cols.filter(|c| !c.is_empty()).map(str::to_lowercase));
        }
        lex
    }
}

/// Words stored by their bytes from the end: which of them a word ends in.
#[derive(Debug, Default)]
pub struct SuffixTrie {
    /// The nodes; the root is the first.
    nodes: Vec<TrieNode>,
    /// The root's children by byte (0: none), for a quick first step.
    root: Vec<u32>,
    /// The length of the shortest word stored.
    shortest: usize,
}

/// A node of a [`SuffixTrie`].
#[derive(Debug, Default)]
struct TrieNode {
    /// The next byte (towards the word's start) and its node.
    children: Vec<(u8, u32)>,
    /// The value of the word ending here.
    value: Option<usize>,
}

impl SuffixTrie {
    /// Adds a word with its value (the first value of a word is kept).
    pub fn insert(&mut self, word: &str, value: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
            self.root = vec![0; 256];
            self.shortest = word.len();
        }
        self.shortest = self.shortest.min(word.len());
        let mut node = 0;
        for &b in word.as_bytes().iter().rev() {
            node = match self.nodes[node].children.iter().find(|(c, _)| *c == b) {
                Some(&(_, next)) => next as usize,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.push((b, next as u32));
                    if node == 0 {
                        self.root[b as usize] = next as u32;
                    }
                    next
                }
            };
        }
        self.nodes[node].value.get_or_insert(value);
    }

    /// The length of the shortest word stored (0 when empty).
    pub fn shortest(&self) -> usize {
        self.shortest
    }

    /// The value of the longest stored word that `word` ends in and that
    /// leaves at least `keep` bytes of `word` before it.
    pub fn longest_suffix(&self, word: &str, keep: usize) -> Option<usize> {
        let bytes = word.as_bytes();
        let max_len = bytes.len().checked_sub(keep)?;
        let mut node = 0;
        let mut best = None;
        for &b in bytes.iter().rev().take(max_len) {
            let next = if node == 0 {
                match self.root.get(b as usize) {
                    Some(&n) if n != 0 => n,
                    _ => break,
                }
            } else {
                match self.nodes[node].children.iter().find(|(c, _)| *c == b) {
                    Some(&(_, n)) => n,
                    None => break,
                }
            };
            node = next as usize;
            if let Some(v) = self.nodes[node].value {
                best = Some(v);
            }
        }
        best
    }
}

/// A set of bytes, for ruling words out by their first byte.
#[derive(Clone, Debug, Default)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    /// Adds the first byte of `word`; an empty word can match anything,
    /// so it adds every byte.
    fn insert_first(&mut self, word: &str) {
        match word.as_bytes().first() {
            Some(&b) => self.0[usize::from(b >> 6)] |= 1 << (b & 63),
            None => self.0 = [u64::MAX; 4],
        }
    }

    /// Whether the set holds `b`.
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// Parses `-1d`, `2w`, `0y`.
fn parse_offset(value: &str) -> Option<Offset> {
    let unit = value.chars().last()?;
    if !matches!(unit, 'd' | 'w' | 'm' | 'y') {
        return None;
    }
    let amount = value[..value.len() - 1].parse().ok()?;
    Some(Offset { amount, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_triggers_and_cues() {
        for code in ["nl", "en"] {
            let lex = EventLexicon::of(Language::get(code).unwrap());
            assert!(lex.triggers.len() > 100, "{code}");
            assert!(!lex.modality.is_empty(), "{code}");
            assert_eq!(lex.weekdays.len(), 7, "{code}");
            assert_eq!(lex.months.values().max(), Some(&12), "{code}");
            assert!(!lex.place_preps.is_empty(), "{code}");
            assert!(!lex.actor_nouns.is_empty(), "{code}");
            assert!(!lex.people_nouns.is_empty(), "{code}");
        }
    }

    #[test]
    fn separable_verbs_keep_their_gap() {
        let lex = EventLexicon::of(Language::get("nl").unwrap());
        let t = &lex.triggers["kondigde"][0];
        assert_eq!(
            t.words,
            vec![Some("kondigde".into()), None, Some("aan".into())]
        );
        assert_eq!(t.event_type, "announcement");
    }

    #[test]
    fn suffix_trie_finds_the_longest_head_leaving_a_stem() {
        let mut t = SuffixTrie::default();
        t.insert("oorlog", 1);
        t.insert("log", 2);
        t.insert("protest", 3);
        assert_eq!(t.longest_suffix("wereldoorlog", 3), Some(1));
        assert_eq!(t.longest_suffix("pooorlog", 3), Some(2));
        assert_eq!(t.longest_suffix("oorlog", 0), Some(1));
        assert_eq!(t.longest_suffix("oorlog", 3), Some(2));
        assert_eq!(t.longest_suffix("og", 3), None);
        assert_eq!(t.longest_suffix("protesten", 0), None);
        assert_eq!(SuffixTrie::default().longest_suffix("oorlog", 0), None);
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(
            parse_offset("-1w"),
            Some(Offset {
                amount: -1,
                unit: 'w'
            })
        );
        assert_eq!(parse_offset("x"), None);
    }
}
