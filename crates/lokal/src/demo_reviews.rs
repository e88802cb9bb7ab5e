//! The demo city's reviews: real review rows by demo diners, so that every rating a page shows
//! is the Bayesian average of reviews anyone can read on the store page (and a store nobody has
//! reviewed shows "暂无评价", not stars). Deterministic for a seed.

use crate::city::Rng;
use lokal_app::App;
use lokal_app::accounts::Registration;
use lokal_core::review::ReviewVisibility;
use lokal_core::store::Category;
use lokal_core::{MerchantId, StoreId, Timestamp, UserId};
use lokal_store::reviews::{self, ReviewRow};

/// A store to review: its ids, category and how good it is (the mean stars × 100 its diners give).
pub struct ToReview {
    /// The store.
    pub store: StoreId,
    /// Its merchant.
    pub merchant: MerchantId,
    /// Its category.
    pub category: Category,
    /// Mean stars × 100 (350–495).
    pub quality_x100: i64,
    /// A fixed number of reviews (the demo staff's flagship always has some), else drawn.
    pub reviews: Option<u64>,
}

const DINERS: &[&str] = &[
    "吃货小王",
    "Lily 在上海",
    "阿杰",
    "美食猎人",
    "周末去哪儿",
    "小胖",
    "Tom from Jing'an",
    "苏苏",
    "老陈",
    "爱吃辣的猫",
    "Vivian",
    "大白",
    "路过的食客",
    "徐汇小张",
    "米粒",
    "Kevin W.",
    "晴天",
    "阿May",
    "胖虎",
    "一只鹿",
];

/// (stars at least, text) per kind of store: what a diner says.
fn texts(category: Category) -> &'static [(i64, &'static str)] {
    match category {
        Category::Food => &[
            (5, "味道很正宗，分量足，服务员也很热情，下次还来！"),
            (5, "Great food and quick service. The set for two is a good deal."),
            (4, "整体不错，就是周末人有点多，要排队。"),
            (4, "环境干净，上菜快，性价比挺高的。"),
            (3, "味道一般，价格偏贵，可以再改进。"),
            (2, "等了四十分钟才上菜，有点失望。"),
            (1, "菜是凉的，体验很差。"),
        ],
        Category::Beauty => &[
            (5, "技师手法很专业，环境也舒服，强烈推荐。"),
            (4, "效果满意，价格合理，就是要提前预约。"),
            (3, "还行，没有想象中好。"),
            (2, "推销太多了，体验不太好。"),
        ],
        Category::Leisure => {
            &[(5, "和朋友玩得很开心，设备新，服务好。"), (4, "环境不错，周末有点吵。"), (3, "一般般，性价比不算高。")]
        }
        Category::Hotel => &[
            (5, "Clean room, friendly staff, great location near People's Square."),
            (4, "位置方便，房间干净，早餐可以更丰富。"),
            (3, "隔音一般，晚上有点吵。"),
        ],
        Category::Retail | Category::Services => &[
            (5, "东西齐全，店员很耐心，附近最方便的一家。"),
            (4, "服务快，价格公道。"),
            (3, "还可以，就是营业时间短了点。"),
            (2, "态度一般，等了很久。"),
        ],
    }
}

const TAGS: &[&str] = &["味道赞", "服务好", "环境好", "性价比高", "上菜快", "分量足", "值得再来"];

/// Creates the demo diners and the reviews of `stores`; 1 in 5 stores gets none.
pub async fn seed(app: &App, stores: &[ToReview], seed: u64) -> anyhow::Result<usize> {
    let mut diners: Vec<UserId> = Vec::with_capacity(DINERS.len());
    for (i, name) in DINERS.iter().enumerate() {
        let reg = Registration {
            email: Some(format!("diner{:02}@demo.lokal", i + 1)),
            password: crate::demo::DEMO_PASSWORD.into(),
            display_name: Some((*name).into()),
            ..Registration::default()
        };
        diners.push(app.create_account(reg).await?.id);
    }
    let now = app.now().millis();
    let mut rng = Rng::new(seed ^ 0x005E_ED0F_2EE1);
    let mut written = 0;
    for s in stores {
        let skip = rng.below(5) == 0;
        // Popular places have many reviews, most few: a long tail.
        let drawn = 1 + (rng.unit().powi(2) * 60.0) as u64;
        let n = match s.reviews {
            Some(n) => n,
            None if skip => continue,
            None => drawn,
        };
        let mut tx = app.db().begin().await?;
        let mut figures = (0, 0);
        for k in 0..n {
            // Stars around the store's quality: its mean plus a spread of about one star.
            let noise = (rng.unit() + rng.unit() - 1.0) * 150.0;
            let stars = ((s.quality_x100 as f64 + noise) / 100.0).round().clamp(1.0, 5.0) as i64;
            let choices: Vec<&(i64, &str)> =
                texts(s.category).iter().filter(|(at_least, _)| stars >= *at_least).collect();
            let body = choices.first().map_or("", |t| t.1);
            let body = if choices.len() > 1 { choices[rng.below(choices.len() as u64) as usize].1 } else { body };
            let tags: Vec<&str> = if stars >= 4 { vec![*rng.pick(TAGS)] } else { Vec::new() };
            let dims = if s.category == Category::Food {
                serde_json::json!({"taste": stars, "service": (stars + rng.below(2) as i64 - 1).clamp(1, 5)})
            } else {
                serde_json::json!({"service": stars})
            };
            let row = ReviewRow {
                id: uuid::Uuid::now_v7().to_string(),
                store_id: s.store,
                merchant_id: s.merchant,
                user_id: diners[rng.below(diners.len() as u64) as usize],
                subject: format!("demo:{}:{k}", s.store),
                rating: stars,
                dimensions_json: dims.to_string(),
                body: body.into(),
                tags_json: serde_json::to_string(&tags)?,
                photos_json: "[]".into(),
                photo_count: 0,
                avg_spend: None,
                status: ReviewVisibility::Visible,
                hidden_reason: String::new(),
                helpful: rng.below(8) as i64,
                reply: String::new(),
                reply_at: None,
                reply_by: None,
                follow_up: String::new(),
                follow_up_at: None,
                // Within the last 60 days.
                created_at: Timestamp(now - (rng.unit() * 60.0 * 86_400_000.0) as i64),
            };
            if let Some(f) = reviews::insert(&mut tx, &row).await? {
                figures = f;
                written += 1;
            }
        }
        reviews::set_store_rating(&mut tx, s.store, lokal_core::review::bayesian_x100(figures.1, figures.0)).await?;
        tx.commit().await?;
    }
    Ok(written)
}
