//! A deterministic demo city: chains and independent stores of every category on a street grid
//! around a centre. The same seed, centre and size always give the same city, so pages, tests and
//! benchmarks see the same data.

use lokal_core::geo::LatLng;
use lokal_core::hours::OpeningHoursJson;
use lokal_core::store::{Category, LatLngJson, StoreProfileJson};

/// A small, fast, deterministic random source (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A chain (brand with several stores).
pub struct Chain {
    /// Brand name.
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// How many stores at the default size.
    pub stores: usize,
    /// Average price per person in fen.
    pub avg_price: i64,
    /// Tags (dishes, services) that search will find.
    pub tags: &'static [&'static str],
    /// Daily hours.
    pub hours: &'static [&'static str],
}

/// The city's chains. The first is the demo owner's.
pub const CHAINS: &[Chain] = &[
    Chain {
        name: "Chongqing Hotpot House 重庆火锅",
        category: Category::Food,
        stores: 8,
        avg_price: 12_000,
        tags: &["火锅", "hotpot", "毛肚", "spicy"],
        hours: &["11:00-14:30", "17:00-02:00"],
    },
    Chain {
        name: "Lanzhou Beef Noodles 兰州牛肉面",
        category: Category::Food,
        stores: 12,
        avg_price: 3_200,
        tags: &["牛肉面", "beef noodles", "拉面"],
        hours: &["07:00-22:00"],
    },
    Chain {
        name: "Moka Coffee 摩卡咖啡",
        category: Category::Food,
        stores: 10,
        avg_price: 2_800,
        tags: &["咖啡", "coffee", "latte", "拿铁"],
        hours: &["07:30-21:00"],
    },
    Chain {
        name: "Xiaolongbao King 小笼包大王",
        category: Category::Food,
        stores: 6,
        avg_price: 4_500,
        tags: &["小笼包", "xiaolongbao", "soup dumplings", "生煎"],
        hours: &["06:30-20:00"],
    },
    Chain {
        name: "Lily Nails 丽丽美甲",
        category: Category::Beauty,
        stores: 5,
        avg_price: 15_800,
        tags: &["美甲", "nails", "manicure"],
        hours: &["10:00-21:00"],
    },
    Chain {
        name: "Starlight KTV 星光KTV",
        category: Category::Leisure,
        stores: 4,
        avg_price: 9_900,
        tags: &["KTV", "karaoke", "唱歌"],
        hours: &["12:00-03:00"],
    },
    Chain {
        name: "Harbor Inn 港湾酒店",
        category: Category::Hotel,
        stores: 4,
        avg_price: 39_900,
        tags: &["酒店", "hotel", "breakfast"],
        hours: &["00:00-24:00"],
    },
    Chain {
        name: "FreshMart 鲜果超市",
        category: Category::Retail,
        stores: 8,
        avg_price: 6_000,
        tags: &["水果", "fruit", "超市", "grocery"],
        hours: &["07:00-23:00"],
    },
    Chain {
        name: "QuickWash Laundry 快洗洗衣",
        category: Category::Services,
        stores: 5,
        avg_price: 3_500,
        tags: &["洗衣", "laundry", "dry cleaning"],
        hours: &["08:00-21:00"],
    },
];

/// A demo deal of a chain, valid at all its stores.
pub struct DemoDeal {
    /// Index into [`CHAINS`].
    pub chain: usize,
    /// Title.
    pub title: &'static str,
    /// Contents: (name, quantity).
    pub contents: &'static [(&'static str, u32)],
    /// Price and original price, fen.
    pub price: i64,
    /// Original price, fen.
    pub original_price: i64,
    /// Uses per voucher.
    pub uses: u32,
    /// Monday to Friday only.
    pub weekdays_only: bool,
}

/// The demo city's group-buy deals.
pub const DEALS: &[DemoDeal] = &[
    DemoDeal {
        chain: 0,
        title: "双人火锅套餐 Hotpot for two",
        contents: &[("鸳鸯锅底 Twin-flavour broth", 1), ("毛肚 Beef tripe", 1), ("肥牛 Sliced beef", 2)],
        price: 16_800,
        original_price: 23_600,
        uses: 1,
        weekdays_only: false,
    },
    DemoDeal {
        chain: 0,
        title: "工作日午市单人餐 Weekday hotpot lunch",
        contents: &[("单人锅底 Single broth", 1), ("肥牛 Sliced beef", 1)],
        price: 5_900,
        original_price: 8_800,
        uses: 1,
        weekdays_only: true,
    },
    DemoDeal {
        chain: 1,
        title: "牛肉面十次卡 10 bowls of beef noodles",
        contents: &[("牛肉面 Beef noodles", 1)],
        price: 16_000,
        original_price: 20_000,
        uses: 10,
        weekdays_only: false,
    },
    DemoDeal {
        chain: 2,
        title: "拿铁两杯 Two lattes",
        contents: &[("拿铁 Latte", 2)],
        price: 3_900,
        original_price: 5_600,
        uses: 1,
        weekdays_only: false,
    },
    DemoDeal {
        chain: 4,
        title: "美甲套餐 Gel manicure",
        contents: &[("Gel manicure", 1)],
        price: 12_800,
        original_price: 19_800,
        uses: 1,
        weekdays_only: false,
    },
];

/// The menus of the first chains: (chain index, section, item, price in fen).
pub const MENUS: &[(usize, &str, &str, i64)] = &[
    (0, "Broths", "鸳鸯锅底 Twin-flavour broth", 5800),
    (0, "Meats", "毛肚 Beef tripe", 3800),
    (0, "Meats", "鸭肠 Duck intestine", 2800),
    (0, "Meats", "肥牛 Sliced beef", 4200),
    (1, "Noodles", "兰州牛肉面 Lanzhou beef noodles", 2200),
    (1, "Sides", "凉拌牛肉 Cold beef", 2600),
    (2, "Coffee", "拿铁 Latte", 2800),
    (2, "Coffee", "美式 Americano", 2200),
    (3, "Dumplings", "蟹粉小笼包 Crab xiaolongbao", 4800),
    (3, "Dumplings", "生煎包 Pan-fried buns", 1800),
];

/// An independent store's kind: (name pattern, category, price, tags, hours).
type Independent = (&'static str, Category, i64, &'static [&'static str], &'static [&'static str]);

const INDEPENDENTS: &[Independent] = &[
    (
        "{s}家小馆 {S}'s Bistro",
        Category::Food,
        8_500,
        &["本帮菜", "shanghainese", "红烧肉"],
        &["11:00-14:00", "17:00-22:00"],
    ),
    ("{s}记面馆 {S}'s Noodles", Category::Food, 2_500, &["面", "noodles", "葱油拌面"], &["06:30-20:30"]),
    ("{s}氏烧烤 {S} BBQ", Category::Food, 9_000, &["烧烤", "bbq", "羊肉串"], &["17:00-03:00"]),
    ("{s}家奶茶 {S} Milk Tea", Category::Food, 1_800, &["奶茶", "milk tea", "bubble tea"], &["10:00-22:00"]),
    ("{s}师傅理发 Master {S} Barber", Category::Beauty, 5_000, &["理发", "haircut"], &["09:00-21:00"]),
    ("{s}氏推拿 {S} Massage", Category::Beauty, 16_800, &["按摩", "massage", "spa"], &["11:00-01:00"]),
    ("{s}家桌游 {S} Board Games", Category::Leisure, 6_800, &["桌游", "board games", "剧本杀"], &["13:00-02:00"]),
    ("{s}家民宿 {S} Guesthouse", Category::Hotel, 28_800, &["民宿", "guesthouse"], &["00:00-24:00"]),
    ("{s}记便利店 {S} Mart", Category::Retail, 2_000, &["便利店", "convenience store", "snacks"], &["00:00-24:00"]),
    ("{s}师傅修车 {S} Bike Repair", Category::Services, 3_000, &["修车", "bike repair"], &["08:00-19:00"]),
];

const SURNAMES: &[(&str, &str)] = &[
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
];

const STREETS: &[(&str, &str)] = &[
    ("南京东路", "East Nanjing Rd"),
    ("福州路", "Fuzhou Rd"),
    ("西藏中路", "Middle Xizang Rd"),
    ("人民大道", "People's Ave"),
    ("淮海中路", "Middle Huaihai Rd"),
    ("延安东路", "East Yan'an Rd"),
    ("北京东路", "East Beijing Rd"),
    ("黄河路", "Huanghe Rd"),
    ("汉口路", "Hankou Rd"),
    ("九江路", "Jiujiang Rd"),
    ("河南中路", "Middle Henan Rd"),
    ("四川中路", "Middle Sichuan Rd"),
];

/// One generated store.
pub struct DemoStore {
    /// Index into [`CHAINS`], or `None` for an independent store.
    pub chain: Option<usize>,
    /// The profile to create it with.
    pub profile: StoreProfileJson,
    /// Rating × 100 to seed until real reviews exist.
    pub rating_x100: i64,
    /// Monthly sales to seed until real orders exist.
    pub monthly_sales: i64,
}

/// The Chinese ordinal of a second, third … branch on one street (`二`, `三` …); the first has none.
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        _ => n.to_string(),
    }
}

/// Builds `n` stores around `center` for `seed`: the chains' stores first (scaled to `n`), then
/// independents. Stores sit along a 150 m street grid whose extent grows with `n`, keeping about
/// 60 stores per square kilometre.
pub fn generate(seed: u64, center: LatLng, n: usize) -> Vec<DemoStore> {
    generate_iter(seed, center, n).collect()
}

/// [`generate`] one store at a time, for cities too large to hold as profiles all at once.
pub fn generate_iter(seed: u64, center: LatLng, n: usize) -> impl Iterator<Item = DemoStore> {
    let mut rng = Rng::new(seed);
    let side_m = ((n as f64 / 60.0).sqrt() * 1000.0).max(1500.0);
    let chain_total: usize = CHAINS.iter().map(|c| c.stores).sum();
    let scale = (n as f64 * 0.3 / chain_total as f64).max(0.0);
    let mut plan: Vec<Option<usize>> = Vec::with_capacity(n);
    for (i, c) in CHAINS.iter().enumerate() {
        let k = ((c.stores as f64 * scale).round() as usize).max(1);
        plan.extend(std::iter::repeat_n(Some(i), k));
    }
    plan.truncate(n);
    plan.resize(n, None);
    let block = 150.0;
    // Branches are named by their street as people say it: 重庆火锅（南京东路店）, then 南京东路二店.
    let mut branches: std::collections::HashMap<(usize, &str), usize> = std::collections::HashMap::new();
    plan.into_iter().enumerate().map(move |(i, chain)| {
        // A point on a street: snap one coordinate to the grid, let the other run along it.
        let along = (rng.unit() - 0.5) * side_m;
        let across = ((rng.unit() - 0.5) * side_m / block).round() * block;
        let (north, east) = if rng.below(2) == 0 { (across, along) } else { (along, across) };
        let point = center.offset_m(north, east);
        let (street_cn, street_en) = *rng.pick(STREETS);
        let number = 1 + rng.below(800);
        let (name, category, avg_price, tags, hours) = match chain {
            Some(c) => {
                let ch = &CHAINS[c];
                let nth = branches.entry((c, street_cn)).or_insert(0);
                *nth += 1;
                let branch = format!("{}（{street_cn}{}店）", ch.name, ordinal(*nth));
                (branch, ch.category, ch.avg_price, ch.tags, ch.hours)
            }
            None => {
                let (pattern, category, price, tags, hours) = *rng.pick(INDEPENDENTS);
                let (s, s_en) = *rng.pick(SURNAMES);
                (pattern.replace("{s}", s).replace("{S}", s_en), category, price, tags, hours)
            }
        };
        let delivers = category == Category::Food && rng.below(10) < 7;
        let price_jitter = 80 + rng.below(41) as i64; // 80–120 %
        let name: String = name.chars().take(64).collect();
        let profile = StoreProfileJson {
            name,
            category: Some(category.as_str().to_owned()),
            address: Some(format!("{street_cn}{number}号 ({number} {street_en}, Shanghai)")),
            location: Some(LatLngJson { lat: point.lat(), lng: point.lng() }),
            phone: Some(format!("+86216{:07}", 1_000_000 + i)),
            utc_offset_min: Some(480),
            hours: Some(OpeningHoursJson::every_day(hours)),
            avg_price: Some(avg_price * price_jitter / 100),
            tags: Some(tags.iter().map(|t| (*t).to_owned()).collect()),
            photos: Some(vec![]),
            delivery: Some(delivers),
            pickup: Some(category == Category::Food || category == Category::Retail),
            dine_in: Some(category != Category::Retail),
            delivery_radius_m: delivers.then(|| 2_000 + 500 * rng.below(7) as u32),
            delivery_area: None,
        };
        DemoStore {
            chain,
            profile,
            rating_x100: 350 + rng.below(146) as i64,
            monthly_sales: (rng.unit().powi(3) * 3_000.0) as i64,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_city_and_every_profile_is_valid() {
        let center = LatLng::new(31.2304, 121.4737).expect("valid");
        let a = generate(7, center, 240);
        let b = generate(7, center, 240);
        assert_eq!(a.len(), 240);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.profile.name, y.profile.name);
            assert_eq!(x.profile.location, y.profile.location);
        }
        for s in &a {
            lokal_core::store::StoreProfile::parse(s.profile.clone()).expect("valid profile");
            let loc = s.profile.location.expect("located");
            let p = LatLng::new(loc.lat, loc.lng).expect("valid");
            assert!(center.distance_m(&p) < 2_000.0 * 1.5, "within the city");
        }
        let categories: std::collections::HashSet<_> = a.iter().filter_map(|s| s.profile.category.clone()).collect();
        assert_eq!(categories.len(), Category::ALL.len(), "every category appears");
        assert!(a.iter().filter(|s| s.chain.is_some()).count() >= 60);
        assert_ne!(generate(8, center, 240)[0].profile.location, a[0].profile.location);
        // Branches are named by their street, and no two branches of a chain share a name.
        let branches: Vec<&str> = a.iter().filter(|s| s.chain.is_some()).map(|s| s.profile.name.as_str()).collect();
        assert!(branches.iter().all(|n| n.ends_with("店）")), "{branches:?}");
        let distinct: std::collections::HashSet<_> = branches.iter().collect();
        assert_eq!(distinct.len(), branches.len(), "{branches:?}");
    }
}
