//! The rider's app: apply to ride, see how the application went, and once approved go on and
//! off shift, share a position (typed, or live from the device), work tasks step by step, grab
//! offers in grab mode and see earnings. Every action is a form posting to the same use cases as
//! the API, and comes back to `/rider` saying what happened (Post/Redirect/Get).

use crate::page::encode_query;
use crate::page::{Nav, error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_app::delivery_settings::DispatchMode;
use lokal_app::riders::{Exception, RiderApplicationJson, RiderTask};
use lokal_core::fulfil::RiderStatus;
use lokal_core::fulfil::{TaskEvent, task_next};
use lokal_core::money::yuan;
use lokal_core::{DeliveryId, ErrorCode, Msg, MsgArg, Principal, StoreId};
use lokal_store::riders::RiderRow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/rider", get(rider_page))
        .route("/rider/apply", post(apply))
        .route("/rider/shift", post(shift))
        .route("/rider/location", post(location))
        .route("/rider/tasks/{delivery_id}/{step}", post(task_step))
        .route("/rider/offers/{delivery_id}/grab", post(grab))
}

/// Where the position form starts when the rider has never reported one (central Shanghai).
const DEFAULT_POSITION: (f64, f64) = (31.2304, 121.4737);

/// The vehicles a rider may apply with (words of the `rider-vehicle` label group).
pub const VEHICLES: [&str; 5] = ["bike", "e-bike", "scooter", "car", "foot"];

/// The problems a rider may report on a task (words of the `rider-exception` label group).
pub const EXCEPTIONS: [&str; 3] = ["store_delay", "customer_unreachable", "rider_problem"];

/// What a page says after a form came back: `?done=` (a known outcome) or `?error=` (a
/// refusal, carried as its catalogue key, its field and its arguments — `?error=key&field=f&a.n=i:3`
/// — so that the page writes it in the reader's language).
#[derive(Debug, Default)]
pub(crate) struct Flash {
    /// A known outcome's key.
    pub(crate) done: Option<String>,
    /// The refusal's message key.
    error: Option<String>,
    /// The refused field, if one was.
    field: Option<String>,
    /// The message's arguments, typed (`i:3`, `t:text`).
    args: Vec<(String, String)>,
    /// Every other parameter of the query (`store`).
    rest: Vec<(String, String)>,
}

/// The longest text a flash carries (a key, an argument).
const FLASH_MAX: usize = 200;

impl Flash {
    /// Reads the query of a page a form came back to (`Query<Vec<(String, String)>>`).
    pub(crate) fn of(pairs: Vec<(String, String)>) -> Flash {
        let mut f = Flash::default();
        for (k, v) in pairs {
            let v: String = v.trim().chars().take(FLASH_MAX).collect();
            match k.as_str() {
                "done" => f.done = Some(v),
                "error" => f.error = Some(v),
                "field" => f.field = Some(v),
                _ => match k.strip_prefix("a.") {
                    Some(name) if f.args.len() < 8 => f.args.push((name.to_owned(), v)),
                    Some(_) => {}
                    None => f.rest.push((k, v)),
                },
            }
        }
        f
    }

    /// Another parameter of the query (`store`).
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.rest.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    /// The refusal in the reader's language. Only catalogue messages are shown, like `done=`:
    /// a link cannot make the page say anything else (an unknown `error=` shows nothing).
    pub(crate) fn error_text(&self, nav: &Nav) -> Option<String> {
        let key = self.error.as_deref().filter(|k| !k.is_empty())?;
        if !lokal_i18n::catalogue::has(nav.lang, key) {
            return None;
        }
        let mut msg = Msg::dynamic(key.to_owned());
        for (name, value) in &self.args {
            let Some(name) = arg_name(name) else { continue };
            let value = match value.split_once(':') {
                Some(("i", n)) => n.parse::<i64>().map_or_else(|_| MsgArg::Text(n.to_owned()), MsgArg::Int),
                Some((_, t)) => MsgArg::Text(t.to_owned()),
                None => MsgArg::Text(value.clone()),
            };
            msg.args.push((name, value));
        }
        let field = self.field.as_deref().filter(|f| {
            f.len() <= 64 && f.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
        });
        Some(lokal_api::error::error_message(nav.lang, &msg, field))
    }
}

/// The name of a catalogue argument (every `$name` some message uses), as the `'static` name a
/// [`Msg`] holds; `None` for a name no message knows.
fn arg_name(name: &str) -> Option<&'static str> {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut all = std::collections::BTreeSet::new();
            for lang in lokal_i18n::Lang::ALL {
                for vars in lokal_i18n::catalogue::keys(lang).into_values() {
                    all.extend(vars);
                }
            }
            // Once, for the catalogue's own (finite) names.
            all.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect()
        })
        .iter()
        .copied()
        .find(|n| *n == name)
}

/// The query that carries a refusal to the page a form comes back to (see [`Flash`]).
pub(crate) fn error_query(e: &AppError) -> String {
    let short = |s: &str| encode_query(&s.chars().take(FLASH_MAX).collect::<String>());
    let mut q = format!("error={}", short(&e.msg.key));
    if let Some(f) = &e.field {
        q.push_str(&format!("&field={}", short(f)));
    }
    for (name, value) in &e.msg.args {
        let typed = match value {
            MsgArg::Int(n) => format!("i:{n}"),
            MsgArg::Text(t) => format!("t:{t}"),
            MsgArg::Money(m) => format!("t:{}", yuan(*m)),
        };
        q.push_str(&format!("&a.{name}={}", short(&typed)));
    }
    q
}

/// Back to `page` after a form: with `?done={done}` when it worked, with the refusal (see
/// [`Flash`]) when the use case said no, the refusal page when the caller may not do this at
/// all, and the error page when the server failed.
pub(crate) fn land(nav: &Nav, page: &str, result: Result<(), AppError>, done: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("{page}?done={done}")).into_response(),
        Err(e) if matches!(e.code, ErrorCode::Forbidden | ErrorCode::Unauthenticated) => {
            nav.refusal(&nav.t("rider-not-allowed"), e)
        }
        Err(e) if (400..500).contains(&e.code.status()) => {
            Redirect::to(&format!("{page}?{}", error_query(&e))).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// The caller behind a posted form, or the response that ends the request (the expired-form
/// page, or the login page).
pub(crate) fn poster(nav: &Nav, headers: &HeaderMap, token: &str) -> Result<Principal, Response> {
    nav.verify_form(headers, token)?;
    nav.caller().ok_or_else(|| nav.to_login())
}

/// What `?done=` says on the rider page.
fn done_text(key: &str) -> Option<Msg> {
    Some(match key {
        "applied" => Msg::new("rider-done-applied"),
        "shift-on" => Msg::new("rider-done-shift-on"),
        "shift-off" => Msg::new("rider-done-shift-off"),
        "location" => Msg::new("rider-done-location"),
        "arrived" => Msg::new("rider-done-arrived"),
        "picked-up" => Msg::new("rider-done-picked-up"),
        "delivered" => Msg::new("rider-done-delivered"),
        "exception" => Msg::new("rider-done-exception"),
        "grabbed" => Msg::new("rider-done-grabbed"),
        _ => return None,
    })
}

/// A task (or an offer) as a card.
struct TaskCard {
    id: String,
    order: String,
    /// The task's status (a word of the `rider-task` label group: what the rider does next).
    status: String,
    store_name: String,
    store_address: String,
    drop_address: String,
    /// The door, floor or room (shown on the rider's own tasks, not on offers).
    drop_door: String,
    /// Who receives it and their phone (own tasks only).
    contact: String,
    phone: String,
    distance: String,
    pay: String,
    ready: String,
    eta: String,
    lines: Vec<String>,
    note: String,
    can_arrive: bool,
    can_pick_up: bool,
    can_deliver: bool,
}

/// A distance for people: `800 m`, `1.2 km`.
pub(crate) fn metres(nav: &Nav, m: i64) -> String {
    if m < 1000 {
        nav.t1("rider-metres", "n", m)
    } else {
        nav.t1("rider-km", "km", format!("{:.1}", m as f64 / 1000.0))
    }
}

/// The last eight characters of an id (the random part of a UUIDv7), for people.
pub(crate) fn short_id(id: &str) -> String {
    id.get(id.len().saturating_sub(8)..).unwrap_or(id).to_owned()
}

/// A task as its card, its times read in its store's zone (`offset_min` east of UTC).
fn card(nav: &Nav, t: RiderTask, offset_min: i64) -> TaskCard {
    let d = &t.delivery;
    let status = d.status;
    let can = |e| task_next(status, e).is_some();
    TaskCard {
        id: d.id.to_string(),
        order: short_id(&d.order_id.to_string()),
        status: status.as_str().to_owned(),
        store_name: t.order.store_name.clone(),
        store_address: t.store_address.clone(),
        drop_address: t.order.detail.address.clone(),
        drop_door: t.order.detail.door.clone(),
        contact: t.order.detail.contact_name.clone(),
        phone: t.order.detail.contact_phone.clone(),
        distance: metres(nav, d.distance_m),
        pay: yuan(d.rider_pay),
        ready: nav.clock_at(d.ready_at, offset_min),
        eta: nav.clock_at(d.eta_at, offset_min),
        lines: t
            .order
            .lines
            .iter()
            .map(|l| match l.options.trim() {
                "" => format!("{} × {}", l.quantity, l.name),
                o => format!("{} × {} ({o})", l.quantity, l.name),
            })
            .collect(),
        note: t.order.detail.note.clone(),
        can_arrive: can(TaskEvent::Arrive),
        can_pick_up: can(TaskEvent::PickUp),
        can_deliver: can(TaskEvent::Deliver),
    }
}

/// A waiting task offered in grab mode: the store, how far and what it pays (the door and who
/// receives it are for the rider who grabs it).
struct OfferCard {
    id: String,
    store_name: String,
    store_address: String,
    /// Store to door.
    distance: String,
    /// The rider to the store.
    from_rider: String,
    pay: String,
    ready: String,
}

/// A past or open shift.
struct ShiftLine {
    started: String,
    /// When it ended; empty while it is open.
    ended: String,
    earned: String,
    topup: String,
}

/// The rider page: the application form, its status, or the rider's app.
#[derive(Template, WebTemplate)]
#[template(path = "rider.html")]
struct RiderPage {
    nav: Nav,
    error: Option<String>,
    done: Option<String>,
    /// `""` (never applied), `pending`, `approved` or `rejected`.
    status: String,
    reason: String,
    can_apply: bool,
    approved: bool,
    name: String,
    vehicle: String,
    vehicles: [&'static str; 5],
    exceptions: [&'static str; 3],
    on_shift: bool,
    shift_since: String,
    lat: String,
    lng: String,
    /// When the position was last sent; empty if never.
    located: String,
    grab: bool,
    tasks: Vec<TaskCard>,
    offers: Vec<OfferCard>,
    balance: String,
    delivered: usize,
    shifts: Vec<ShiftLine>,
}

/// `GET /rider`.
async fn rider_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let q = Flash::of(q);
    let mut page = RiderPage {
        nav: nav.clone(),
        error: q.error_text(&nav),
        done: q.done.as_deref().and_then(done_text).map(|m| nav.msg(&m)),
        status: String::new(),
        reason: String::new(),
        can_apply: true,
        approved: false,
        name: nav.user.clone().unwrap_or_default(),
        vehicle: String::new(),
        vehicles: VEHICLES,
        exceptions: EXCEPTIONS,
        on_shift: false,
        shift_since: String::new(),
        lat: format!("{:.4}", DEFAULT_POSITION.0),
        lng: format!("{:.4}", DEFAULT_POSITION.1),
        located: String::new(),
        grab: ctx.app.delivery_settings().dispatch_mode == DispatchMode::Grab,
        tasks: Vec::new(),
        offers: Vec::new(),
        balance: yuan(0),
        delivered: 0,
        shifts: Vec::new(),
    };
    match ctx.app.rider_me(&me).await {
        Ok(r) => {
            page.can_apply = r.status == RiderStatus::Rejected;
            page.approved = r.status == RiderStatus::Approved;
            page.status = r.status.to_string();
            page.reason.clone_from(&r.reason);
            page.name.clone_from(&r.name);
            page.vehicle.clone_from(&r.vehicle);
            if page.approved
                && let Err(e) = fill(&ctx, &nav, &me, &r, &mut page).await
            {
                if e.code.status() >= 500 {
                    return error_page(e);
                }
                page.error = Some(nav.error_text(&e));
            }
        }
        Err(e) if e.code == ErrorCode::NotFound => {}
        Err(e) => return error_page(e),
    }
    nav.finish(page.into_response())
}

/// Fills in the approved rider's part of the page: shift, position, tasks, offers, earnings.
/// The rider's own times (shifts, position) are read in the city's zone, a task's in its
/// store's.
async fn fill(ctx: &Ctx, nav: &Nav, me: &Principal, r: &RiderRow, page: &mut RiderPage) -> Result<(), AppError> {
    page.on_shift = r.shift_id.is_some();
    if let Some((lat, lng)) = r.position {
        page.lat = format!("{:.6}", lat as f64 / 1e7);
        page.lng = format!("{:.6}", lng as f64 / 1e7);
    }
    if let Some(at) = r.located_at {
        page.located = nav.near(at);
    }
    let earnings = ctx.app.rider_earnings(me).await?;
    page.balance = yuan(earnings.balance);
    page.delivered = earnings.delivered.len();
    if let Some(open) = earnings.shifts.iter().find(|s| Some(s.id) == r.shift_id) {
        page.shift_since = nav.near(open.started_at);
    }
    page.shifts = earnings
        .shifts
        .iter()
        .take(5)
        .map(|s| ShiftLine {
            started: nav.near(s.started_at),
            ended: s.ended_at.map(|at| nav.near(at)).unwrap_or_default(),
            earned: yuan(s.earned),
            topup: yuan(s.topup),
        })
        .collect();
    let mut offsets = HashMap::new();
    page.tasks = cards(ctx, nav, ctx.app.rider_tasks(me).await?, &mut offsets).await;
    if page.grab && page.on_shift {
        for o in ctx.app.rider_offers(me).await? {
            let offset = match offsets.get(&o.store_id) {
                Some(v) => *v,
                None => {
                    let v = ctx.app.public_store(o.store_id).await.map_or(0, |s| s.row.utc_offset_min);
                    offsets.insert(o.store_id, v);
                    v
                }
            };
            page.offers.push(OfferCard {
                id: o.id.to_string(),
                store_name: o.store_name,
                store_address: o.store_address,
                distance: metres(nav, o.distance_m),
                from_rider: metres(nav, o.from_rider_m),
                pay: yuan(o.pay),
                ready: nav.clock_at(o.ready_at, offset),
            });
        }
    }
    Ok(())
}

/// Tasks as cards, each in its store's zone (looked up once per store).
async fn cards(ctx: &Ctx, nav: &Nav, tasks: Vec<RiderTask>, offsets: &mut HashMap<StoreId, i64>) -> Vec<TaskCard> {
    let city = i64::from(nav.zone.offset_minutes_at(nav.now_ms));
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let store = t.delivery.store_id;
        let offset = match offsets.get(&store) {
            Some(o) => *o,
            None => {
                let o = ctx.app.public_store(store).await.map_or(city, |v| v.row.utc_offset_min);
                offsets.insert(store, o);
                o
            }
        };
        out.push(card(nav, t, offset));
    }
    out
}

/// The application form.
#[derive(Debug, serde::Deserialize)]
struct ApplyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    vehicle: String,
}

/// `POST /rider/apply`.
async fn apply(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<ApplyForm>) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let body = RiderApplicationJson { name: f.name, phone: f.phone, vehicle: f.vehicle };
    land(&nav, "/rider", ctx.app.apply_rider(&me, body).await.map(|_| ()), "applied")
}

/// The shift buttons.
#[derive(Debug, serde::Deserialize)]
struct ShiftForm {
    #[serde(default)]
    csrf_token: String,
    /// `1` to go on shift, anything else to end it.
    #[serde(default)]
    on: String,
}

/// `POST /rider/shift`: on (`on=1`) or off shift.
async fn shift(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<ShiftForm>) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    if f.on == "1" {
        land(&nav, "/rider", ctx.app.start_shift(&me).await.map(|_| ()), "shift-on")
    } else {
        land(&nav, "/rider", ctx.app.end_shift(&me).await.map(|_| ()), "shift-off")
    }
}

/// The typed position.
#[derive(Debug, serde::Deserialize)]
struct LocationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lng: String,
}

/// `POST /rider/location`.
async fn location(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<LocationForm>) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let (Ok(lat), Ok(lng)) = (f.lat.trim().parse::<f64>(), f.lng.trim().parse::<f64>()) else {
        let e = AppError::new(ErrorCode::ValidationFailed, Msg::new("rider-position-not-numbers"));
        return land(&nav, "/rider", Err(e), "");
    };
    land(&nav, "/rider", ctx.app.rider_location(&me, lat, lng).await, "location")
}

/// The task named in the path, or the refusal to show.
fn task_id(raw: &str) -> Result<DeliveryId, AppError> {
    raw.parse::<DeliveryId>().map_err(|_| AppError::not_found("task"))
}

/// A task form: its token, and for some steps the consumer's delivery code or an exception's
/// kind and note.
#[derive(Debug, serde::Deserialize)]
struct TaskForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
}

/// The exception named by the form's `kind`.
fn exception_kind(raw: &str) -> Result<Exception, AppError> {
    match raw {
        "store_delay" => Ok(Exception::StoreDelay),
        "customer_unreachable" => Ok(Exception::CustomerUnreachable),
        "rider_problem" => Ok(Exception::RiderProblem),
        _ => Err(AppError::new(ErrorCode::ValidationFailed, Msg::new("rider-exception-unknown"))),
    }
}

/// `POST /rider/tasks/{id}/{step}`: `arrived`, `picked-up`, `delivered` (with `code`) or
/// `exception` (with `kind` and `note`).
async fn task_step(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((id, step)): Path<(String, String)>,
    Form(f): Form<TaskForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let id = match task_id(&id) {
        Ok(id) => id,
        Err(e) => return land(&nav, "/rider", Err(e), ""),
    };
    let result = match step.as_str() {
        "arrived" => ctx.app.task_arrived(&me, id).await.map(|_| ()),
        "picked-up" => ctx.app.task_picked_up(&me, id).await.map(|_| ()),
        "delivered" => ctx.app.task_delivered(&me, id, f.code.trim()).await.map(|_| ()),
        "exception" => match exception_kind(f.kind.trim()) {
            Ok(kind) => ctx.app.task_exception(&me, id, kind, &f.note).await,
            Err(e) => Err(e),
        },
        _ => return nav.refusal(&nav.t("rider-not-found"), AppError::not_found("page")),
    };
    land(&nav, "/rider", result, &step)
}

/// `POST /rider/offers/{id}/grab` (grab mode).
async fn grab(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<TaskForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let result = match task_id(&id) {
        Ok(id) => ctx.app.grab_task(&me, id).await,
        Err(e) => Err(e),
    };
    land(&nav, "/rider", result, "grabbed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lokal_i18n::Lang;

    /// The pairs a query string reads as.
    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                let bytes = v.as_bytes();
                let mut out = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' && i + 2 < bytes.len() {
                        out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap_or(b'?'));
                        i += 3;
                    } else {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
                (k.to_owned(), String::from_utf8(out).unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn a_refusal_crosses_the_redirect_as_a_key_and_reads_in_the_page_language() {
        let e = AppError::new(ErrorCode::ValidationFailed, Msg::new("field-too-long").with("max", 40));
        let e = AppError { field: Some("name".into()), ..e };
        let q = error_query(&e);
        assert!(q.starts_with("error=field-too-long") && q.contains("a.max=i%3A40"), "{q}");
        for lang in Lang::ALL {
            let nav = Nav::bare(lang);
            assert_eq!(Flash::of(pairs(&q)).error_text(&nav), Some(nav.error_text(&e)));
        }
        // A page's own refusal, and a link that names no message of the catalogue.
        let own = AppError::new(ErrorCode::ValidationFailed, Msg::new("rider-position-not-numbers"));
        let zh = Nav::bare(Lang::ZhCn);
        assert_eq!(
            Flash::of(pairs(&error_query(&own))).error_text(&zh),
            Some(zh.t("rider-position-not-numbers").into_owned())
        );
        assert_eq!(Flash::of(pairs("error=you-won-a-prize")).error_text(&zh), None);
        assert_eq!(Flash::of(pairs("store=abc&done=location")).get("store").as_deref(), Some("abc"));
    }
}
