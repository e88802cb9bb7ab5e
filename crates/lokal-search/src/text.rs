//! Full-text matching in Chinese and English: jieba segmentation (search mode) plus lower-cased
//! words, an inverted index for city-wide queries, per-document term sets for scoring the
//! candidates a geo query already found, and prefix suggestions with one-typo tolerance.
//!
//! Documents are indexed with more than their words: every Chinese word also under its pinyin
//! (`火锅` as `huoguo` and `hg`, see [`crate::pinyin`]) and every two adjacent Latin words also
//! joined (`Hot Pot` as `hotpot`). A [`Query`] is a list of groups of alternatives: an English
//! phrase of [`crate::synonyms`] becomes one group that also accepts its Chinese words
//! (`hot pot` matches `hotpot` or `火锅`).

use crate::pinyin::{is_han, spellings};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::OnceLock;

fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The searchable tokens of `text`: jieba's search-mode words, lower-cased, without whitespace
/// and punctuation, deduplicated in order.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in jieba().cut_for_search(text, true) {
        let w = t.word.trim().to_lowercase();
        if w.is_empty() || !w.chars().any(char::is_alphanumeric) {
            continue;
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// How much a spelling (pinyin, initials, joined words) counts against the word it spells.
const SPELLING_WEIGHT: f32 = 0.8;
/// How much a spelling through a less common reading of a character counts (`重庆` as
/// `chongqing` is right, `胡家` as `hugu` is not: both are kept, the common reading first).
const RARE_READING_WEIGHT: f32 = 0.25;

/// Every token `text` is indexed under, with its weight factor: its [`tokens`] (1.0), the
/// pinyin and initials of its Chinese words, and adjacent Latin words joined.
pub fn index_tokens(text: &str) -> Vec<(String, f32)> {
    let words = tokens(text);
    let mut out: Vec<(String, f32)> = words.iter().map(|w| (w.clone(), 1.0)).collect();
    let add = |t: String, weight: f32, out: &mut Vec<(String, f32)>| match out.iter_mut().find(|(o, _)| *o == t) {
        Some((_, w)) => *w = w.max(weight),
        None => out.push((t, weight)),
    };
    for w in &words {
        let (full, initials) = spellings(w);
        for list in [full, initials] {
            for (i, sp) in list.into_iter().enumerate() {
                add(sp, if i == 0 { SPELLING_WEIGHT } else { RARE_READING_WEIGHT }, &mut out);
            }
        }
    }
    let latin: Vec<String> =
        text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    for pair in latin.windows(2) {
        add(format!("{}{}", pair[0], pair[1]), SPELLING_WEIGHT, &mut out);
    }
    out
}

/// A parsed search: groups of alternative tokens; a document matches a group when it has any
/// of its alternatives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    groups: Vec<Vec<String>>,
}

impl Query {
    /// The query for what a person typed: its words, with English phrases that name something
    /// Chinese stores call otherwise (see [`crate::synonyms`]) accepting those words too.
    pub fn parse(text: &str) -> Query {
        let words = tokens(text);
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match crate::synonyms::phrase_at(&words[i..]) {
                Some((n, zh)) => {
                    let mut g = vec![words[i..i + n].concat()];
                    g.extend(zh.iter().map(|z| z.to_lowercase()));
                    groups.push(g);
                    i += n;
                }
                None => {
                    groups.push(vec![words[i].clone()]);
                    i += 1;
                }
            }
        }
        groups.dedup();
        Query { groups }
    }

    /// Whether it has no word.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// How many of its groups `doc_tokens` (from [`index_tokens`]) match.
    pub fn matched(&self, doc_tokens: &[(String, f32)]) -> usize {
        self.groups.iter().filter(|g| g.iter().any(|a| doc_tokens.iter().any(|(t, _)| t == a))).count()
    }

    /// Every alternative of every group.
    pub fn alternatives(&self) -> impl Iterator<Item = &String> {
        self.groups.iter().flatten()
    }
}

/// A document's own words and its (spelling, Chinese word) pairs, to undo on removal.
type DocWords = (Vec<String>, Vec<(String, String)>);

/// The text of one document: fields with weights (a name counts more than a tag).
pub type Fields<'a> = &'a [(&'a str, f32)];

/// An inverted index from tokens to keys, with per-key weighted term sets.
pub struct TextIndex<K> {
    docs: HashMap<K, HashMap<String, f32>>,
    postings: HashMap<String, Vec<K>>,
    vocab: BTreeMap<String, usize>,
    /// For suggestions: the documents' own words (no spellings or joins), with document counts.
    words: BTreeMap<String, usize>,
    /// For suggestions: the Chinese words each spelling stands for, with their document counts.
    spelled: BTreeMap<String, HashMap<String, usize>>,
    /// Per document, its own words and the (spelling, word) pairs it added.
    doc_words: HashMap<K, DocWords>,
}

impl<K: Clone + Eq + Hash> Default for TextIndex<K> {
    fn default() -> Self {
        Self {
            docs: HashMap::new(),
            postings: HashMap::new(),
            vocab: BTreeMap::new(),
            words: BTreeMap::new(),
            spelled: BTreeMap::new(),
            doc_words: HashMap::new(),
        }
    }
}

impl<K: Clone + Eq + Hash> TextIndex<K> {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Documents indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Indexes (or re-indexes) `key` with its weighted fields.
    pub fn upsert(&mut self, key: K, fields: Fields<'_>) {
        self.remove(&key);
        let mut terms: HashMap<String, f32> = HashMap::new();
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut own: Vec<String> = Vec::new();
        for (text, weight) in fields {
            for (t, factor) in index_tokens(text) {
                let w = terms.entry(t).or_insert(0.0);
                *w = w.max(*weight * factor);
            }
            let words = tokens(text);
            for w in &words {
                if !own.contains(w) {
                    own.push(w.clone());
                }
            }
            for word in words.into_iter().filter(|w| w.chars().all(is_han)) {
                let (full, initials) = spellings(&word);
                for sp in full.into_iter().chain(initials) {
                    if !pairs.iter().any(|(s, w)| *s == sp && *w == word) {
                        pairs.push((sp, word.clone()));
                    }
                }
            }
        }
        for (sp, word) in &pairs {
            *self.spelled.entry(sp.clone()).or_default().entry(word.clone()).or_insert(0) += 1;
        }
        for w in &own {
            *self.words.entry(w.clone()).or_insert(0) += 1;
        }
        self.doc_words.insert(key.clone(), (own, pairs));
        for t in terms.keys() {
            self.postings.entry(t.clone()).or_default().push(key.clone());
            *self.vocab.entry(t.clone()).or_insert(0) += 1;
        }
        self.docs.insert(key, terms);
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(terms) = self.docs.remove(key) else { return false };
        let (own, pairs) = self.doc_words.remove(key).unwrap_or_default();
        for w in own {
            if let Some(n) = self.words.get_mut(&w) {
                *n -= 1;
                if *n == 0 {
                    self.words.remove(&w);
                }
            }
        }
        for (sp, word) in pairs {
            if let Some(words) = self.spelled.get_mut(&sp) {
                if let Some(n) = words.get_mut(&word) {
                    *n -= 1;
                    if *n == 0 {
                        words.remove(&word);
                    }
                }
                if words.is_empty() {
                    self.spelled.remove(&sp);
                }
            }
        }
        for t in terms.keys() {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|k| k != key);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
            if let Some(n) = self.vocab.get_mut(t) {
                *n -= 1;
                if *n == 0 {
                    self.vocab.remove(t);
                }
            }
        }
        true
    }

    fn idf(&self, token: &str) -> f32 {
        let df = self.vocab.get(token).copied().unwrap_or(0) as f32;
        (1.0 + (self.docs.len() as f32 + 1.0) / (df + 1.0)).ln()
    }

    /// How well `key` matches the query: per group, the best weighted, idf-scaled alternative
    /// it has, summed, times the share of groups matched (so matching every word beats matching
    /// one well). Zero when nothing matches.
    pub fn score(&self, key: &K, query: &Query) -> f32 {
        let Some(terms) = self.docs.get(key) else { return 0.0 };
        let mut sum = 0.0;
        let mut matched = 0usize;
        for group in &query.groups {
            let best = group.iter().filter_map(|a| terms.get(a).map(|w| w * self.idf(a))).fold(0.0f32, f32::max);
            if best > 0.0 {
                sum += best;
                matched += 1;
            }
        }
        if matched == 0 { 0.0 } else { sum * matched as f32 / query.groups.len() as f32 }
    }

    /// The score ([`Self::score`]) of every document that matches the query at all, found
    /// through the postings of its alternatives: what a search near a point looks its
    /// candidates up in, instead of scoring every store around.
    pub fn scores(&self, query: &Query) -> HashMap<K, f32> {
        let mut out = HashMap::new();
        for q in query.alternatives() {
            for k in self.postings.get(q).into_iter().flatten() {
                if !out.contains_key(k) {
                    out.insert(k.clone(), self.score(k, query));
                }
            }
        }
        out.retain(|_, s| *s > 0.0);
        out
    }

    /// The best `limit` documents for the query across the whole index, best first (equal
    /// scores in the order their alternatives' postings list them).
    pub fn search(&self, query: &Query, limit: usize) -> Vec<(K, f32)> {
        let mut candidates: Vec<&K> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for q in query.alternatives() {
            for k in self.postings.get(q).into_iter().flatten() {
                if seen.insert(k) {
                    candidates.push(k);
                }
            }
        }
        let mut scored: Vec<(K, f32)> = candidates.into_iter().map(|k| (k.clone(), self.score(k, query))).collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(limit);
        scored
    }

    /// Up to `limit` indexed words starting with `prefix` (lower-cased), most frequent first.
    /// A prefix of a pinyin spelling suggests the Chinese words it spells (`huog` → `火锅`).
    /// When nothing starts with it, words one edit away from the prefix's length are offered.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        let prefix = prefix.trim().to_lowercase();
        if prefix.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut found: Vec<(&String, usize)> = self
            .words
            .range(prefix.clone()..)
            .take_while(|(w, _)| w.starts_with(&prefix))
            .map(|(w, n)| (w, *n))
            .collect();
        for (_, words) in self.spelled.range(prefix.clone()..).take_while(|(sp, _)| sp.starts_with(&prefix)) {
            found.extend(words.iter().map(|(w, n)| (w, *n)));
        }
        if found.is_empty() {
            let p: Vec<char> = prefix.chars().collect();
            found = self
                .words
                .iter()
                .filter(|(w, _)| {
                    let head: Vec<char> = w.chars().take(p.len()).collect();
                    head.len() + 1 >= p.len() && within_one_edit(&head, &p)
                })
                .map(|(w, n)| (w, *n))
                .collect();
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut out: Vec<String> = Vec::new();
        for (w, _) in found {
            if !out.contains(w) {
                out.push(w.clone());
            }
            if out.len() == limit {
                break;
            }
        }
        out
    }
}

/// Whether `a` and `b` differ by at most one insertion, deletion or substitution.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < short.len() && j < long.len() {
        if short[i] == long[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        if short.len() == long.len() {
            i += 1;
        }
        j += 1;
    }
    edits + (long.len() - j) + (short.len() - i) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_segmented_and_english_lower_cased() {
        let t = tokens("重庆火锅店 Hotpot House!");
        assert!(t.contains(&"火锅".to_owned()), "{t:?}");
        assert!(t.contains(&"hotpot".to_owned()) && t.contains(&"house".to_owned()), "{t:?}");
        assert!(!t.iter().any(|w| w == "!"));
    }

    #[test]
    fn a_multi_word_chinese_query_finds_the_dish() {
        let mut idx = TextIndex::new();
        idx.upsert(1, &[("重庆火锅", 3.0), ("毛肚 spicy", 2.0)]);
        idx.upsert(2, &[("兰州牛肉面", 3.0), ("beef noodles", 2.0)]);
        idx.upsert(3, &[("Moka Coffee", 3.0), ("latte", 2.0)]);
        let q = Query::parse("火锅店");
        let hits = idx.search(&q, 10);
        assert_eq!(hits.first().map(|h| h.0), Some(1), "{q:?} {hits:?}");
        assert_eq!(idx.search(&Query::parse("BEEF"), 10).first().map(|h| h.0), Some(2));
        assert!(idx.score(&3, &Query::parse("火锅")) == 0.0);
    }

    #[test]
    fn updates_and_removals_change_what_is_found() {
        let mut idx = TextIndex::new();
        idx.upsert("a", &[("coffee", 1.0)]);
        idx.upsert("a", &[("tea", 1.0)]);
        assert!(idx.search(&Query::parse("coffee"), 5).is_empty());
        assert_eq!(idx.search(&Query::parse("tea"), 5).len(), 1);
        assert!(idx.remove(&"a"));
        assert!(idx.search(&Query::parse("tea"), 5).is_empty());
        assert!(idx.suggest("te", 5).is_empty());
    }

    #[test]
    fn suggestions_complete_prefixes_and_forgive_one_typo() {
        let mut idx = TextIndex::new();
        idx.upsert(1, &[("latte latte macchiato", 1.0)]);
        idx.upsert(2, &[("latte", 1.0)]);
        idx.upsert(3, &[("lasagne", 1.0)]);
        assert_eq!(idx.suggest("la", 2), vec!["latte", "lasagne"]);
        assert_eq!(idx.suggest("lqt", 5), vec!["latte"], "one substitution");
        assert!(idx.suggest("zzz", 5).is_empty());
    }

    #[test]
    fn chinese_names_are_found_by_pinyin_initials_and_english_words() {
        let mut idx = TextIndex::new();
        idx.upsert(1, &[("重庆老火锅", 3.0), ("毛肚", 2.0)]);
        idx.upsert(2, &[("兰州牛肉面", 3.0)]);
        idx.upsert(3, &[("Hot Pot House", 3.0)]);
        idx.upsert(4, &[("星巴克咖啡", 3.0)]);
        let top = |q: &str| idx.search(&Query::parse(q), 10).into_iter().map(|h| h.0).collect::<Vec<_>>();
        assert_eq!(top("huoguo"), vec![1]);
        assert_eq!(top("hg"), vec![1]);
        assert_eq!(top("chongqing"), vec![1], "the place name's real reading");
        assert_eq!(top("niurou mian").first(), Some(&2));
        let hot_pot = top("hot pot");
        assert!(hot_pot.contains(&1) && hot_pot.contains(&3), "{hot_pot:?}");
        assert_eq!(top("coffee"), vec![4]);
        assert_eq!(top("Coffee").len(), 1);
        // The Chinese word itself ranks above its spelling.
        let exact = idx.score(&1, &Query::parse("火锅"));
        assert!(exact > idx.score(&1, &Query::parse("huoguo")), "{exact}");
    }

    #[test]
    fn spellings_suggest_the_chinese_words_they_spell_and_leave_with_their_document() {
        let mut idx = TextIndex::new();
        idx.upsert(1, &[("重庆火锅", 3.0)]);
        idx.upsert(2, &[("latte", 1.0)]);
        assert_eq!(idx.suggest("huog", 3), vec!["火锅"]);
        assert_eq!(idx.suggest("la", 3), vec!["latte"]);
        assert!(idx.remove(&1));
        assert!(idx.suggest("huog", 3).is_empty());
    }

    #[test]
    fn a_query_groups_english_phrases_with_their_chinese_words() {
        let q = Query::parse("Hot Pot 人民广场");
        assert_eq!(q.groups[0], vec!["hotpot".to_owned(), "火锅".to_owned()]);
        assert!(q.groups.iter().any(|g| g == &vec!["人民".to_owned()]));
        assert!(Query::parse("  !! ").is_empty());
        assert_eq!(q.matched(&index_tokens("麻辣火锅 人民")), 2);
    }

    #[test]
    fn one_edit_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("lat"), &c("lqt")));
        assert!(within_one_edit(&c("lat"), &c("la")));
        assert!(within_one_edit(&c("lat"), &c("lart")));
        assert!(!within_one_edit(&c("lat"), &c("lqq")));
    }
}
