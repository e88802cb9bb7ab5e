//! Full-text matching in Chinese and English: jieba segmentation (search mode) plus lower-cased
//! words, an inverted index for city-wide queries, per-document term sets for scoring the
//! candidates a geo query already found, and prefix suggestions with one-typo tolerance.

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

/// The text of one document: fields with weights (a name counts more than a tag).
pub type Fields<'a> = &'a [(&'a str, f32)];

/// An inverted index from tokens to keys, with per-key weighted term sets.
pub struct TextIndex<K> {
    docs: HashMap<K, HashMap<String, f32>>,
    postings: HashMap<String, Vec<K>>,
    vocab: BTreeMap<String, usize>,
}

impl<K: Clone + Eq + Hash> Default for TextIndex<K> {
    fn default() -> Self {
        Self { docs: HashMap::new(), postings: HashMap::new(), vocab: BTreeMap::new() }
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
        for (text, weight) in fields {
            for t in tokens(text) {
                let w = terms.entry(t).or_insert(0.0);
                *w = w.max(*weight);
            }
        }
        for t in terms.keys() {
            self.postings.entry(t.clone()).or_default().push(key.clone());
            *self.vocab.entry(t.clone()).or_insert(0) += 1;
        }
        self.docs.insert(key, terms);
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(terms) = self.docs.remove(key) else { return false };
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

    /// How well `key` matches the query tokens: the weighted, idf-scaled sum over matched tokens,
    /// times the share of query tokens matched (so matching every word beats matching one well).
    /// Zero when nothing matches.
    pub fn score(&self, key: &K, query: &[String]) -> f32 {
        let Some(terms) = self.docs.get(key) else { return 0.0 };
        let mut sum = 0.0;
        let mut matched = 0usize;
        for q in query {
            if let Some(w) = terms.get(q) {
                sum += w * self.idf(q);
                matched += 1;
            }
        }
        if matched == 0 { 0.0 } else { sum * matched as f32 / query.len() as f32 }
    }

    /// The best `limit` documents for the query across the whole index, best first.
    pub fn search(&self, query: &[String], limit: usize) -> Vec<(K, f32)> {
        let mut candidates: Vec<&K> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for q in query {
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
    /// When none start with it, words one edit away from the prefix's length are offered instead.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        let prefix = prefix.trim().to_lowercase();
        if prefix.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut found: Vec<(&String, usize)> = self
            .vocab
            .range(prefix.clone()..)
            .take_while(|(w, _)| w.starts_with(&prefix))
            .map(|(w, n)| (w, *n))
            .collect();
        if found.is_empty() {
            let p: Vec<char> = prefix.chars().collect();
            found = self
                .vocab
                .iter()
                .filter(|(w, _)| {
                    let head: Vec<char> = w.chars().take(p.len()).collect();
                    head.len() + 1 >= p.len() && within_one_edit(&head, &p)
                })
                .map(|(w, n)| (w, *n))
                .collect();
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        found.into_iter().take(limit).map(|(w, _)| w.clone()).collect()
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
        let q = tokens("火锅店");
        let hits = idx.search(&q, 10);
        assert_eq!(hits.first().map(|h| h.0), Some(1), "{q:?} {hits:?}");
        assert_eq!(idx.search(&tokens("BEEF"), 10).first().map(|h| h.0), Some(2));
        assert!(idx.score(&3, &tokens("火锅")) == 0.0);
    }

    #[test]
    fn updates_and_removals_change_what_is_found() {
        let mut idx = TextIndex::new();
        idx.upsert("a", &[("coffee", 1.0)]);
        idx.upsert("a", &[("tea", 1.0)]);
        assert!(idx.search(&tokens("coffee"), 5).is_empty());
        assert_eq!(idx.search(&tokens("tea"), 5).len(), 1);
        assert!(idx.remove(&"a"));
        assert!(idx.search(&tokens("tea"), 5).is_empty());
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
    fn one_edit_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("lat"), &c("lqt")));
        assert!(within_one_edit(&c("lat"), &c("la")));
        assert!(within_one_edit(&c("lat"), &c("lart")));
        assert!(!within_one_edit(&c("lat"), &c("lqq")));
    }
}
