//! The rider's app: apply to ride, see how the application went, and once approved go on and
//! off shift, share a position (typed, or live from the device), work tasks step by step, grab
//! offers in grab mode and see earnings. Every action is a form posting to the same use cases as
//! the API, and comes back to `/rider` saying what happened (Post/Redirect/Get).

use crate::discover::{when, yuan};
use crate::orderdesk::urlencode;
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
use lokal_core::fulfil::{TaskEvent, TaskStatus, task_next};
use lokal_core::{DeliveryId, ErrorCode, FieldError, Principal};
use lokal_store::riders::RiderRow;

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

/// The vehicles a rider may apply with: (value, label).
const VEHICLES: [(&str, &str); 5] =
    [("bike", "Bicycle"), ("e-bike", "E-bike"), ("scooter", "Scooter"), ("car", "Car"), ("foot", "On foot")];

/// What a page says after a form came back: `?done=` (a known outcome) or `?error=` (the
/// refusal's message).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Flash {
    /// A known outcome's key.
    pub(crate) done: Option<String>,
    /// A refusal's message.
    pub(crate) error: Option<String>,
}

impl Flash {
    /// The refusal's message, trimmed to a sane length.
    pub(crate) fn error_text(&self) -> Option<String> {
        self.error.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(|e| e.chars().take(200).collect())
    }
}

/// Back to `page` after a form: with `?done={done}` when it worked, with the refusal's message
/// when the use case said no, the refusal page when the caller may not do this at all, and the
/// error page when the server failed.
pub(crate) fn land(nav: &Nav, page: &str, result: Result<(), AppError>, done: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("{page}?done={done}")).into_response(),
        Err(e) if matches!(e.code, ErrorCode::Forbidden | ErrorCode::Unauthenticated) => nav.refusal("Not allowed", e),
        Err(e) if (400..500).contains(&e.code.status()) => {
            let message: String = nav.error_text(&e).chars().take(200).collect();
            Redirect::to(&format!("{page}?error={}", urlencode(&message))).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// The caller behind a posted form, or the response that ends the request (the expired-form
/// page, or the login page).
pub(crate) fn poster(nav: &Nav, headers: &HeaderMap, token: &str) -> Result<Principal, Response> {
    nav.verify_form(headers, token)?;
    nav.caller().ok_or_else(|| Redirect::to("/login").into_response())
}

/// What `?done=` says on the rider page.
fn done_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "applied" => "Application sent. An operator will look at it soon.",
        "shift-on" => "You are on shift. Share your position so tasks can reach you.",
        "shift-off" => "Shift ended. Tasks you had not picked up went back to the dispatcher.",
        "location" => "Position sent.",
        "arrived" => "Marked as at the store.",
        "picked-up" => "Picked up. At the door, ask for the 4-digit delivery code.",
        "delivered" => "Delivered. The pay is credited to your balance.",
        "exception" => "Problem reported.",
        "grabbed" => "The task is yours.",
        _ => return None,
    })
}

/// A task (or an offer) as a card.
struct TaskCard {
    id: String,
    order: String,
    status: String,
    status_text: &'static str,
    store_name: String,
    store_address: String,
    drop_address: String,
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

/// A status for people.
fn status_text(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Waiting => "waiting for a rider",
        TaskStatus::Assigned => "go to the store",
        TaskStatus::AtStore => "at the store",
        TaskStatus::PickedUp => "on the way to the door",
        TaskStatus::Delivered => "delivered",
        TaskStatus::Cancelled => "cancelled",
    }
}

/// A distance for people.
fn metres(m: i64) -> String {
    if m < 1000 { format!("{m} m") } else { format!("{:.1} km", m as f64 / 1000.0) }
}

/// The last eight characters of an id (the random part of a UUIDv7), for people.
pub(crate) fn short_id(id: &str) -> String {
    id.get(id.len().saturating_sub(8)..).unwrap_or(id).to_owned()
}

/// A task as its card.
fn card(t: RiderTask) -> TaskCard {
    let d = &t.delivery;
    let status = TaskStatus::parse(&d.status).unwrap_or(TaskStatus::Cancelled);
    let can = |e| task_next(status, e).is_some();
    TaskCard {
        id: d.id.to_string(),
        order: short_id(&d.order_id.to_string()),
        status: d.status.clone(),
        status_text: status_text(status),
        store_name: t.order.store_name.clone(),
        store_address: t.store_address.clone(),
        drop_address: t.order.detail.address.clone(),
        distance: metres(d.distance_m),
        pay: yuan(d.rider_pay),
        ready: when(d.ready_at),
        eta: when(d.eta_at),
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

/// A past or open shift.
struct ShiftLine {
    started: String,
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
    vehicles: Vec<(&'static str, &'static str)>,
    on_shift: bool,
    shift_since: String,
    lat: String,
    lng: String,
    located: String,
    grab: bool,
    tasks: Vec<TaskCard>,
    offers: Vec<TaskCard>,
    balance: String,
    delivered: usize,
    shifts: Vec<ShiftLine>,
}

/// `GET /rider`.
async fn rider_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Flash>) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let mut page = RiderPage {
        nav: nav.clone(),
        error: q.error_text(),
        done: q.done.as_deref().and_then(done_text).map(str::to_owned),
        status: String::new(),
        reason: String::new(),
        can_apply: true,
        approved: false,
        name: nav.user.clone().unwrap_or_default(),
        vehicle: String::new(),
        vehicles: VEHICLES.to_vec(),
        on_shift: false,
        shift_since: String::new(),
        lat: format!("{:.4}", DEFAULT_POSITION.0),
        lng: format!("{:.4}", DEFAULT_POSITION.1),
        located: String::from("never"),
        grab: ctx.app.delivery_settings().dispatch_mode == DispatchMode::Grab,
        tasks: Vec::new(),
        offers: Vec::new(),
        balance: yuan(0),
        delivered: 0,
        shifts: Vec::new(),
    };
    match ctx.app.rider_me(&me).await {
        Ok(r) => {
            page.can_apply = r.status == "rejected";
            page.approved = r.status == "approved";
            page.status.clone_from(&r.status);
            page.reason.clone_from(&r.reason);
            page.name.clone_from(&r.name);
            page.vehicle.clone_from(&r.vehicle);
            if page.approved
                && let Err(e) = fill(&ctx, &me, &r, &mut page).await
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
async fn fill(ctx: &Ctx, me: &Principal, r: &RiderRow, page: &mut RiderPage) -> Result<(), AppError> {
    page.on_shift = r.shift_id.is_some();
    if let Some((lat, lng)) = r.position {
        page.lat = format!("{:.6}", lat as f64 / 1e7);
        page.lng = format!("{:.6}", lng as f64 / 1e7);
    }
    if let Some(at) = r.located_at {
        page.located = when(at);
    }
    let earnings = ctx.app.rider_earnings(me).await?;
    page.balance = yuan(earnings.balance);
    page.delivered = earnings.delivered.len();
    if let Some(open) = earnings.shifts.iter().find(|s| Some(s.id) == r.shift_id) {
        page.shift_since = when(open.started_at);
    }
    page.shifts = earnings
        .shifts
        .iter()
        .take(5)
        .map(|s| ShiftLine {
            started: when(s.started_at),
            ended: s.ended_at.map_or_else(|| String::from("on shift"), when),
            earned: yuan(s.earned),
            topup: yuan(s.topup),
        })
        .collect();
    page.tasks = ctx.app.rider_tasks(me).await?.into_iter().map(card).collect();
    if page.grab && page.on_shift {
        page.offers = ctx.app.rider_offers(me).await?.into_iter().map(card).collect();
    }
    Ok(())
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
        let e = FieldError::new("lat", "latitude and longitude must be numbers, like 31.2304 and 121.4737");
        return land(&nav, "/rider", Err(e.into()), "");
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
        _ => Err(FieldError::new("kind", "must be store_delay, customer_unreachable or rider_problem").into()),
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
        _ => return nav.refusal("Not found", AppError::not_found("page")),
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
