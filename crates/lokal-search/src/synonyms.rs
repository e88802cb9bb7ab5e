//! Common English words for what people look for in a Chinese city, and the Chinese words stores
//! use for it (`hot pot` → 火锅). A visitor who types English finds the stores that only speak
//! Chinese. The phrases are written lower-case, words separated by one space.

/// (English phrase, Chinese words that mean it).
pub const SYNONYMS: &[(&str, &[&str])] = &[
    ("hot pot", &["火锅"]),
    ("hotpot", &["火锅"]),
    ("bbq", &["烧烤", "烤肉"]),
    ("barbecue", &["烧烤", "烤肉"]),
    ("barbeque", &["烧烤", "烤肉"]),
    ("grill", &["烧烤", "烤肉"]),
    ("skewers", &["烧烤", "串串", "羊肉串"]),
    ("coffee", &["咖啡"]),
    ("cafe", &["咖啡"]),
    ("milk tea", &["奶茶"]),
    ("bubble tea", &["奶茶", "珍珠奶茶"]),
    ("boba", &["奶茶", "珍珠奶茶"]),
    ("tea", &["茶", "茶馆", "茶饮"]),
    ("bakery", &["面包", "烘焙"]),
    ("bread", &["面包"]),
    ("cake", &["蛋糕"]),
    ("dessert", &["甜品", "甜点"]),
    ("desserts", &["甜品", "甜点"]),
    ("sushi", &["寿司"]),
    ("japanese", &["日料", "日本料理"]),
    ("korean", &["韩国料理", "韩式", "韩餐"]),
    ("seafood", &["海鲜"]),
    ("crayfish", &["小龙虾"]),
    ("crawfish", &["小龙虾"]),
    ("roast duck", &["烤鸭"]),
    ("peking duck", &["烤鸭", "北京烤鸭"]),
    ("dumplings", &["饺子", "水饺"]),
    ("soup dumplings", &["小笼包", "汤包"]),
    ("noodles", &["面", "面馆", "拉面"]),
    ("rice noodles", &["米线", "米粉"]),
    ("breakfast", &["早餐", "早点"]),
    ("fast food", &["快餐"]),
    ("burger", &["汉堡"]),
    ("burgers", &["汉堡"]),
    ("pizza", &["披萨", "比萨"]),
    ("western", &["西餐"]),
    ("steak", &["牛排"]),
    ("vegetarian", &["素食", "素菜"]),
    ("halal", &["清真"]),
    ("spicy", &["麻辣", "辣"]),
    ("sichuan", &["川菜"]),
    ("cantonese", &["粤菜"]),
    ("dim sum", &["点心", "早茶"]),
    ("bar", &["酒吧"]),
    ("pub", &["酒吧"]),
    ("beer", &["啤酒"]),
    ("karaoke", &["ktv", "唱歌"]),
    ("cinema", &["电影", "影院", "电影院"]),
    ("movie", &["电影", "影院"]),
    ("movies", &["电影", "影院"]),
    ("gym", &["健身"]),
    ("fitness", &["健身"]),
    ("yoga", &["瑜伽"]),
    ("massage", &["按摩", "推拿"]),
    ("foot massage", &["足疗", "足浴"]),
    ("hair", &["美发", "理发"]),
    ("haircut", &["美发", "理发"]),
    ("barber", &["理发"]),
    ("salon", &["美发", "美容"]),
    ("nails", &["美甲"]),
    ("manicure", &["美甲"]),
    ("beauty", &["美容"]),
    ("hotel", &["酒店", "宾馆"]),
    ("hotels", &["酒店", "宾馆"]),
    ("supermarket", &["超市"]),
    ("grocery", &["超市", "生鲜"]),
    ("convenience store", &["便利店"]),
    ("fruit", &["水果"]),
    ("flowers", &["鲜花", "花店"]),
    ("florist", &["花店"]),
    ("laundry", &["洗衣"]),
    ("dry cleaning", &["干洗"]),
    ("pet", &["宠物"]),
    ("pets", &["宠物"]),
    ("bookstore", &["书店"]),
    ("books", &["书店", "图书"]),
];

/// The longest phrase of [`SYNONYMS`] that starts at `words[0]`: its length in words and its
/// Chinese words.
pub fn phrase_at(words: &[String]) -> Option<(usize, &'static [&'static str])> {
    let mut best: Option<(usize, &'static [&'static str])> = None;
    for (phrase, zh) in SYNONYMS {
        let n = phrase.split(' ').count();
        if n <= words.len() && phrase.split(' ').zip(words).all(|(p, w)| p == w) && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, zh));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_longest_phrase_wins() {
        assert_eq!(phrase_at(&words("hot pot near me")), Some((2, &["火锅"][..])));
        assert_eq!(phrase_at(&words("soup dumplings")).map(|p| p.0), Some(2));
        assert_eq!(phrase_at(&words("dumplings")).map(|p| p.1), Some(&["饺子", "水饺"][..]));
        assert_eq!(phrase_at(&words("hot")), None);
    }

    #[test]
    fn phrases_are_lower_case_single_spaced_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (p, zh) in SYNONYMS {
            assert_eq!(*p, p.to_lowercase());
            assert!(!p.contains("  ") && !p.starts_with(' ') && !p.ends_with(' '));
            assert!(seen.insert(*p), "{p} twice");
            assert!(!zh.is_empty());
        }
    }
}
