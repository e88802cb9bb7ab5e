//! Chinese words spelled the way people type them on a phone before the IME picks characters:
//! full pinyin without tones (`火锅` → `huoguo`) and initials (`hg`). Characters with several
//! readings give every combination, up to a bound (`重庆` → `zhongqing`, `chongqing`), because the
//! first reading of a character is often not the one a place name uses.

use pinyin::ToPinyinMulti;

/// Readings of one word at most (a word of many polyphonic characters would explode).
const MAX_SPELLINGS: usize = 8;
/// Readings of one character considered at most.
const MAX_READINGS: usize = 3;

/// Whether `c` is a CJK ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The full-pinyin spellings and the initials of a word made only of Chinese characters, each
/// list deduplicated, most common reading first; empty for anything else. Initials are given
/// only for words of two characters or more (one letter matches far too much).
pub fn spellings(word: &str) -> (Vec<String>, Vec<String>) {
    if word.is_empty() || !word.chars().all(is_han) {
        return (Vec::new(), Vec::new());
    }
    // Per character: its distinct plain readings.
    let mut per_char: Vec<Vec<&'static str>> = Vec::new();
    for m in word.to_pinyin_multi() {
        let Some(m) = m else { return (Vec::new(), Vec::new()) };
        let mut readings: Vec<&'static str> = Vec::new();
        for p in m {
            let r = p.plain();
            if !readings.contains(&r) {
                readings.push(r);
            }
            if readings.len() == MAX_READINGS {
                break;
            }
        }
        per_char.push(readings);
    }
    let mut full: Vec<String> = vec![String::new()];
    let mut initials: Vec<String> = vec![String::new()];
    for readings in &per_char {
        full = combine(&full, readings.iter().copied());
        initials = combine(&initials, readings.iter().map(|r| &r[..1]));
    }
    if per_char.len() < 2 {
        initials.clear();
    }
    (full, initials)
}

/// Every `prefix + next` for the prefixes and the next pieces, deduplicated in order, at most
/// [`MAX_SPELLINGS`] (the first prefixes with the first pieces are the common readings).
fn combine<'a>(prefixes: &[String], next: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in prefixes {
        for n in next.clone() {
            let s = format!("{p}{n}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    // In order, the first reading of every character comes first: keep the commonest.
    out.truncate(MAX_SPELLINGS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_spelled_in_full_pinyin_and_initials() {
        let (full, initials) = spellings("火锅");
        assert_eq!(full.first().map(String::as_str), Some("huoguo"));
        assert_eq!(initials.first().map(String::as_str), Some("hg"));
    }

    #[test]
    fn polyphonic_place_names_are_found_by_their_real_reading() {
        let (full, initials) = spellings("重庆");
        assert!(full.contains(&"chongqing".to_owned()), "{full:?}");
        assert!(initials.contains(&"cq".to_owned()), "{initials:?}");
        assert!(full.len() <= MAX_SPELLINGS);
    }

    #[test]
    fn only_chinese_words_are_spelled_and_single_characters_have_no_initials() {
        assert_eq!(spellings("hotpot"), (Vec::new(), Vec::new()));
        assert_eq!(spellings("KTV唱歌"), (Vec::new(), Vec::new()));
        let (full, initials) = spellings("面");
        assert!(full.contains(&"mian".to_owned()));
        assert!(initials.is_empty());
    }

    #[test]
    fn long_words_stay_bounded() {
        let (full, initials) = spellings("重重重重重重");
        assert!(full.len() <= MAX_SPELLINGS && initials.len() <= MAX_SPELLINGS);
        assert!(full[0].len() >= 6);
    }
}
