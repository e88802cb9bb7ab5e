//! Points and stored value on the web: a member's card page (balances, recharge offers, points
//! exchange, history), paying an order or a bill from the card, and the console's loyalty page
//! (the program and messages to members with their delivery counts).

use crate::page::Nav;
use crate::takeout::no_such;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_core::loyalty::{Program, Tier};
use lokal_core::membership::Level;
use lokal_core::{ErrorCode, MerchantId, Msg, OrderId, Principal};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/me/cards/{merchant_id}", get(card_page))
        .route("/me/cards/{merchant_id}/recharge", post(recharge))
        .route("/me/cards/{merchant_id}/exchange", post(exchange))
        .route("/me/cards/{merchant_id}/birthday", post(birthday))
        .route("/orders/{order_id}/pay-card", post(pay_card))
        .route("/merchant/{merchant_id}/loyalty", get(desk).post(set_program))
        .route("/merchant/{merchant_id}/member-messages", post(send_message))
}

/// The stored value the caller's card at `merchant` holds, if they hold one with some on it
/// (offered as a way to pay).
pub(crate) async fn card_balance(ctx: &Ctx, me: &Principal, merchant: MerchantId) -> Option<i64> {
    match ctx.app.member_here(me, merchant).await {
        Ok(Some(c)) if c.row.stored_value > 0 => Some(c.row.stored_value),
        _ => None,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "card_short.html")]
struct CardShortPage {
    nav: Nav,
    order_id: String,
    text: String,
}

/// Pays `order` from the card (`pay_with` = `card`: at once, then the order's page; if the card
/// holds too little, the order waits and the page offers to pay online) or starts paying online
/// (the gateway's page).
pub(crate) async fn start_payment(ctx: &Ctx, nav: &Nav, me: &Principal, order: OrderId, pay_with: &str) -> Response {
    if pay_with == "card" {
        return match ctx.app.pay_with_card(me, order).await {
            Ok(_) => Redirect::to(&format!("/orders/{order}")).into_response(),
            Err(e) if e.code == lokal_core::ErrorCode::InsufficientBalance => {
                let page = CardShortPage { nav: nav.clone(), order_id: order.to_string(), text: nav.error_text(&e) };
                nav.finish((axum::http::StatusCode::CONFLICT, page).into_response())
            }
            Err(e) => nav.refusal(&nav.t("bill-not-paid"), e),
        };
    }
    match ctx.app.pay_order(me, order).await {
        Ok(start) => Redirect::to(&start.pay_url).into_response(),
        Err(e) => nav.refusal(&nav.t("bill-not-paid"), e),
    }
}

fn parse_merchant(id: &str) -> Result<MerchantId, AppError> {
    id.parse::<MerchantId>().map_err(|_| no_such(Msg::new("card-no-such-card")))
}

/// One line of a card's history as shown.
struct Line {
    at: String,
    /// The entry's kind (`recharge`, `card_payment` …; `other` for one not listed).
    kind: &'static str,
    memo: String,
    change: String,
    points: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "card.html")]
struct CardPage {
    nav: Nav,
    merchant_id: String,
    merchant_name: String,
    level: &'static str,
    spend: String,
    stored_value: String,
    points: i64,
    points_value: String,
    points_per_yuan: i64,
    birthday: String,
    /// Pay (minor units), pay in yuan, bonus (minor units), bonus in yuan.
    tiers: Vec<(i64, String, i64, String)>,
    history: Vec<Line>,
    /// Recharges the gateway has not confirmed yet: what was paid, what the card will receive.
    pending: Vec<(String, String)>,
}

/// The kinds of a card's history entries (`card-entry-…` labels); others show as
/// `card-entry-other`.
pub const CARD_ENTRIES: [&str; 6] = ["recharge", "card_payment", "refund", "points", "points_exchange", "points_undo"];

fn entry_kind(kind: &str) -> &'static str {
    CARD_ENTRIES.iter().find(|k| **k == kind).copied().unwrap_or("other")
}

async fn card_page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    // The id is parsed before it goes into a redirect: a raw one could hold a newline.
    let merchant = match parse_merchant(&id) {
        Ok(m) => m,
        Err(e) => return nav.refusal(&nav.t("card-heading"), e),
    };
    let Some(me) = nav.caller() else {
        return Redirect::to(&format!("/login?next=/me/cards/{merchant}")).into_response();
    };
    let (card, lines) = match ctx.app.my_card(&me, merchant).await {
        Ok(c) => c,
        Err(e) => return nav.refusal(&nav.t("card-heading"), e),
    };
    let program = match ctx.app.loyalty_program(merchant).await {
        Ok(p) => p,
        Err(e) => return nav.refusal(&nav.t("card-heading"), e),
    };
    let pending = match ctx.app.pending_recharges(&me, merchant).await {
        Ok(list) => list.into_iter().map(|r| (nav.money(r.pay), nav.money(r.pay + r.bonus))).collect(),
        Err(e) => return nav.refusal(&nav.t("card-heading"), e),
    };
    let page = CardPage {
        pending,
        nav: nav.clone(),
        merchant_id: id,
        merchant_name: card.row.merchant_name.clone(),
        level: card.level.as_str(),
        spend: nav.money(card.row.spend),
        stored_value: nav.money(card.row.stored_value),
        points: card.row.points,
        points_value: nav.money(card.row.points),
        points_per_yuan: program.points_per_yuan,
        birthday: card.row.birthday.clone().unwrap_or_default(),
        tiers: program.tiers.iter().map(|t| (t.pay, nav.money(t.pay), t.bonus, nav.money(t.bonus))).collect(),
        history: lines
            .into_iter()
            .map(|l| {
                let points = l.balance == "points";
                let change = if points {
                    let sign = if l.change > 0 { "+" } else { "-" };
                    format!("{sign}{}", nav.t1("card-points-change", "n", l.change.abs()))
                } else if l.change > 0 {
                    format!("+{}", nav.money(l.change))
                } else {
                    nav.money(l.change)
                };
                Line {
                    at: nav.near(l.at),
                    kind: entry_kind(&l.kind),
                    memo: crate::takeout::note_text(&nav, &l.memo),
                    change,
                    points,
                }
            })
            .collect(),
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct AmountForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    amount: String,
}

/// A card form's member and merchant, after its CSRF check (else the response to send).
fn card_form(
    nav: &Nav,
    headers: &HeaderMap,
    csrf: &str,
    id: &str,
    heading: &'static str,
) -> Result<(Principal, MerchantId), Response> {
    nav.verify_form(headers, csrf)?;
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let merchant = parse_merchant(id).map_err(|e| nav.refusal(&nav.t(heading), e))?;
    Ok((me, merchant))
}

async fn recharge(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AmountForm>,
) -> Response {
    let (me, merchant) = match card_form(&nav, &headers, &f.csrf_token, &id, "card-not-recharged") {
        Ok(who) => who,
        Err(refused) => return refused,
    };
    let pay = f.amount.trim().parse::<i64>().unwrap_or(0);
    match ctx.app.start_recharge(&me, merchant, None, pay).await {
        Ok(start) => Redirect::to(&start.pay_url).into_response(),
        Err(e) => nav.refusal(&nav.t("card-not-recharged"), e),
    }
}

async fn exchange(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AmountForm>,
) -> Response {
    let (me, merchant) = match card_form(&nav, &headers, &f.csrf_token, &id, "card-not-exchanged") {
        Ok(who) => who,
        Err(refused) => return refused,
    };
    let points = f.amount.trim().parse::<i64>().unwrap_or(0);
    match ctx.app.exchange_points(&me, merchant, points).await {
        Ok(_) => Redirect::to("/me/coupons").into_response(),
        Err(e) => nav.refusal(&nav.t("card-not-exchanged"), e),
    }
}

async fn birthday(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AmountForm>,
) -> Response {
    let (me, merchant) = match card_form(&nav, &headers, &f.csrf_token, &id, "card-not-saved") {
        Ok(who) => who,
        Err(refused) => return refused,
    };
    match ctx.app.set_member_birthday(&me, merchant, &f.amount).await {
        Ok(_) => Redirect::to(&format!("/me/cards/{merchant}")).into_response(),
        Err(e) => nav.refusal(&nav.t("card-not-saved"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn pay_card(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(order) = id.parse::<OrderId>() else {
        return nav.refusal(&nav.t("bill-not-paid"), no_such(Msg::new("order-no-such-order")));
    };
    start_payment(&ctx, &nav, &me, order, "card").await
}

/// A sent message as listed.
struct SentMessage {
    subject: String,
    /// `new_deal`, `coupon_gift`, `birthday` or `news`.
    kind: String,
    /// The lowest level it went to (`member` … `black`).
    min_level: String,
    at: String,
    delivered: i64,
    capped: i64,
    /// Member and what became of the message for them (`delivered`, `capped`).
    recipients: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "loyalty_desk.html")]
struct DeskPage {
    nav: Nav,
    merchant_id: String,
    points_per_yuan: i64,
    /// The offers as "pay:bonus" in yuan, one per line, for the form.
    tiers_text: String,
    members: i64,
    opted_in: i64,
    messages: Vec<SentMessage>,
    /// The kinds of messages (`new_deal` …).
    kinds: [&'static str; 4],
    /// The levels a message may go to from (`member` … `black`).
    levels: [&'static str; 4],
}

async fn desk(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(merchant) = id.parse::<MerchantId>() else {
        return nav.refusal(&nav.t("loyalty-title"), no_such(Msg::new("card-no-such-merchant")));
    };
    let ((members, opted_in), sent) =
        match (ctx.app.member_counts(&me, merchant).await, ctx.app.member_messages(&me, merchant).await) {
            (Ok(m), Ok(s)) => (m, s),
            (Err(e), _) | (_, Err(e)) => return nav.refusal(&nav.t("loyalty-title"), e),
        };
    let program = match ctx.app.loyalty_program(merchant).await {
        Ok(p) => p,
        Err(e) => return nav.refusal(&nav.t("loyalty-title"), e),
    };
    let mut messages = Vec::new();
    for (i, m) in sent.into_iter().enumerate() {
        // The recipients of the latest five messages are listed on the page.
        let recipients = if i < 5 {
            ctx.app
                .member_message_deliveries(&me, merchant, &m.id)
                .await
                .map(|d| d.into_iter().map(|(_, name, status)| (name, status)).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        messages.push(SentMessage {
            subject: m.subject,
            kind: m.kind,
            min_level: if m.min_level.is_empty() { Level::Member.as_str().to_owned() } else { m.min_level },
            at: nav.near(m.created_at),
            delivered: m.delivered,
            capped: m.capped,
            recipients,
        });
    }
    let page = DeskPage {
        nav: nav.clone(),
        merchant_id: id,
        points_per_yuan: program.points_per_yuan,
        tiers_text: program
            .tiers
            .iter()
            .map(|t| format!("{}:{}", plain(t.pay), plain(t.bonus)))
            .collect::<Vec<_>>()
            .join("\n"),
        opted_in,
        members,
        messages,
        kinds: lokal_app::messages::MESSAGE_KINDS,
        levels: Level::LADDER.map(|(l, _)| l.as_str()),
    };
    nav.finish(page.into_response())
}

/// Yuan without the sign, for form fields: `500` or `12.50`.
fn plain(minor: i64) -> String {
    lokal_core::money::yuan(minor).trim_start_matches('¥').to_owned()
}

#[derive(Debug, serde::Deserialize)]
struct ProgramForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    points_per_yuan: String,
    /// One offer per line: `pay:bonus` in yuan (`500:50`).
    #[serde(default)]
    tiers: String,
}

async fn set_program(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ProgramForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(merchant) = id.parse::<MerchantId>() else {
        return nav.refusal(&nav.t("loyalty-not-saved"), no_such(Msg::new("card-no-such-merchant")));
    };
    let refuse = |why: Msg| nav.refusal(&nav.t("loyalty-not-saved"), AppError::new(ErrorCode::ValidationFailed, why));
    let Ok(points_per_yuan) = f.points_per_yuan.trim().parse::<i64>() else {
        return refuse(Msg::new("loyalty-points-per-yuan-range"));
    };
    let mut tiers = Vec::new();
    for line in f.tiers.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (pay, bonus) = line.split_once(':').unwrap_or((line, "0"));
        match (crate::merchants::parse_yuan(pay), crate::merchants::parse_yuan(bonus)) {
            (Some(pay), Some(bonus)) => tiers.push(Tier { pay, bonus }),
            _ => return refuse(Msg::new("loyalty-tiers-format")),
        }
    }
    match ctx.app.set_loyalty_program(&me, merchant, Program { points_per_yuan, tiers }).await {
        Ok(_) => Redirect::to(&format!("/merchant/{merchant}/loyalty")).into_response(),
        Err(e) => nav.refusal(&nav.t("loyalty-not-saved"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct MessageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    min_level: String,
}

async fn send_message(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<MessageForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(merchant) = id.parse::<MerchantId>() else {
        return nav.refusal(&nav.t("loyalty-not-sent"), no_such(Msg::new("card-no-such-merchant")));
    };
    let min_level = match f.min_level.as_str() {
        "" => None,
        name => match Level::LADDER.iter().map(|(l, _)| *l).find(|l| l.as_str() == name) {
            Some(l) => Some(l),
            None => {
                let e = AppError::new(ErrorCode::ValidationFailed, Msg::new("loyalty-level-unknown"));
                return nav.refusal(&nav.t("loyalty-not-sent"), e);
            }
        },
    };
    let draft = lokal_app::messages::MessageDraft { kind: f.kind, subject: f.subject, body: f.body, min_level };
    match ctx.app.send_member_message(&me, merchant, draft).await {
        Ok(_) => Redirect::to(&format!("/merchant/{merchant}/loyalty")).into_response(),
        Err(e) => nav.refusal(&nav.t("loyalty-not-sent"), e),
    }
}
