//! The operators' side of delivery: the rider application queue (approve, or reject with a
//! reason) and the dispatch board — a self-contained map of riders on shift and open tasks, late
//! and at-risk flags, and reassignment with a reason that goes on the order's timeline.

use crate::page::Nav;
use crate::riders::{Flash, land, poster, short_id};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_app::dispatch::Board;
use lokal_core::Msg;
use lokal_core::fulfil::{TaskEvent, TaskStatus, task_next};
use lokal_core::{DeliveryId, UserId};
use lokal_store::riders::RiderRow;
use std::collections::HashMap;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/admin/riders", get(riders_page))
        .route("/admin/riders/{user_id}/decision", post(decide))
        .route("/admin/riders/{user_id}/suspend", post(suspend))
        .route("/admin/riders/{user_id}/reinstate", post(reinstate))
        .route("/admin/dispatch", get(board_page))
        .route("/admin/dispatch/{delivery_id}/reassign", post(reassign))
}

/// What `?done=` says on these pages.
fn done_text(key: &str) -> Option<Msg> {
    Some(match key {
        "approved" => Msg::new("riders-done-approved"),
        "rejected" => Msg::new("riders-done-rejected"),
        "suspended" => Msg::new("riders-done-suspended"),
        "reinstated" => Msg::new("riders-done-reinstated"),
        "reassigned" => Msg::new("board-done-reassigned"),
        _ => return None,
    })
}

/// A rider (or an applicant) as a line.
struct RiderLine {
    id: String,
    name: String,
    phone: String,
    /// A word of the `rider-vehicle` label group.
    vehicle: String,
    applied: String,
    on_shift: bool,
    /// When the rider last sent a position (the city's time); empty if never.
    located: String,
}

/// A rider record as a line, its times in the city's zone.
fn rider_line(nav: &Nav, r: RiderRow) -> RiderLine {
    RiderLine {
        id: r.user_id.to_string(),
        applied: nav.near(r.created_at),
        on_shift: r.shift_id.is_some(),
        located: r.located_at.map(|at| nav.near(at)).unwrap_or_default(),
        name: r.name,
        phone: r.phone,
        vehicle: r.vehicle,
    }
}

/// The rider queue and the approved riders.
#[derive(Template, WebTemplate)]
#[template(path = "admin_riders.html")]
struct RidersPage {
    nav: Nav,
    error: Option<String>,
    done: Option<String>,
    pending: Vec<RiderLine>,
    approved: Vec<RiderLine>,
    suspended: Vec<RiderLine>,
    /// Recent refused positions and operators' actions on riders, newest first.
    flags: Vec<FlagLine>,
}

/// An audit entry about a rider.
struct FlagLine {
    at: String,
    /// The rider's name (or id when unknown).
    rider: String,
    /// `rider_position_refused`, `rider_suspended`, `rider_reinstated` (the audit action, a word
    /// of the `riders-flag` label group).
    action: String,
    detail: String,
}

/// `GET /admin/riders`.
async fn riders_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let q = Flash::of(q);
    let lists = async {
        Ok::<_, AppError>((
            ctx.app.riders(&me, "pending").await?,
            ctx.app.riders(&me, "approved").await?,
            ctx.app.riders(&me, "suspended").await?,
            ctx.app.audit_log(&me, None).await?,
        ))
    };
    let (pending, approved, suspended, log) = match lists.await {
        Ok(l) => l,
        Err(e) => return nav.refusal(&nav.t("riders-operators-only"), e),
    };
    let names: HashMap<String, String> =
        approved.iter().chain(&suspended).map(|r| (format!("rider:{}", r.user_id), r.name.clone())).collect();
    let flags = log
        .into_iter()
        .filter(|a| a.subject.starts_with("rider:"))
        .take(20)
        .map(|a| FlagLine {
            at: nav.near(a.at),
            rider: names.get(&a.subject).cloned().unwrap_or_else(|| a.subject.clone()),
            action: a.action.replace('.', "_"),
            detail: a.detail,
        })
        .collect();
    let page = RidersPage {
        nav: nav.clone(),
        error: q.error_text(&nav),
        done: q.done.as_deref().and_then(done_text).map(|m| nav.msg(&m)),
        pending: pending.into_iter().map(|r| rider_line(&nav, r)).collect(),
        approved: approved.into_iter().map(|r| rider_line(&nav, r)).collect(),
        suspended: suspended.into_iter().map(|r| rider_line(&nav, r)).collect(),
        flags,
    };
    nav.finish(page.into_response())
}

/// An approval or a rejection.
#[derive(Debug, serde::Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    /// `1` approves; anything else rejects.
    #[serde(default)]
    approve: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/riders/{user_id}/decision`.
async fn decide(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(user): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let Ok(user) = user.parse::<UserId>() else {
        return land(&nav, "/admin/riders", Err(AppError::not_found("rider application")), "");
    };
    let approve = f.approve == "1";
    let result = ctx.app.decide_rider(&me, user, approve, &f.reason).await.map(|_| ());
    land(&nav, "/admin/riders", result, if approve { "approved" } else { "rejected" })
}

/// A suspension or a reinstatement, with its reason.
#[derive(Debug, serde::Deserialize)]
struct ReasonForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/riders/{user_id}/suspend`.
async fn suspend(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(user): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    set_standing(&ctx, &nav, &headers, &user, &f, true).await
}

/// `POST /admin/riders/{user_id}/reinstate`.
async fn reinstate(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(user): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    set_standing(&ctx, &nav, &headers, &user, &f, false).await
}

/// Suspends (or reinstates) the rider `user` and goes back to the riders page.
async fn set_standing(
    ctx: &Ctx,
    nav: &Nav,
    headers: &HeaderMap,
    user: &str,
    f: &ReasonForm,
    suspend: bool,
) -> Response {
    let me = match poster(nav, headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let Ok(user) = user.parse::<UserId>() else {
        return land(nav, "/admin/riders", Err(AppError::not_found("rider")), "");
    };
    let (result, done) = if suspend {
        (ctx.app.suspend_rider(&me, user, &f.reason).await, "suspended")
    } else {
        (ctx.app.reinstate_rider(&me, user, &f.reason).await, "reinstated")
    };
    land(nav, "/admin/riders", result.map(|_| ()), done)
}

/// The map's size in SVG units.
const MAP_W: f64 = 640.0;
/// The map's height in SVG units.
const MAP_H: f64 = 400.0;
/// Room kept clear around the outermost points (labels).
const MARGIN: f64 = 40.0;
/// The least span the map shows, degrees (about 500 m), so one point or a tight cluster is not
/// blown up to the whole map.
const MIN_SPAN_DEG: f64 = 0.005;

/// An equirectangular projection fitted to the bounding box of some points (1e-7 degrees).
struct Projection {
    /// Cosine of the middle latitude: how much a degree of longitude shrinks.
    cos: f64,
    /// The box's centre, degrees.
    centre: (f64, f64),
    /// SVG units per degree of latitude.
    scale: f64,
}

impl Projection {
    /// Fits the map to `points`; with none, any projection does (nothing is drawn).
    fn fit(points: &[(i64, i64)]) -> Self {
        let deg: Vec<(f64, f64)> = points.iter().map(|p| (p.0 as f64 / 1e7, p.1 as f64 / 1e7)).collect();
        if deg.is_empty() {
            return Projection { cos: 1.0, centre: (0.0, 0.0), scale: 1.0 };
        }
        let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lat, lng) in &deg {
            south = south.min(*lat);
            north = north.max(*lat);
            west = west.min(*lng);
            east = east.max(*lng);
        }
        let cos = ((south + north) / 2.0).to_radians().cos().max(0.01);
        let width = ((east - west) * cos).max(MIN_SPAN_DEG);
        let height = (north - south).max(MIN_SPAN_DEG);
        let scale = ((MAP_W - 2.0 * MARGIN) / width).min((MAP_H - 2.0 * MARGIN) / height);
        Projection { cos, centre: ((south + north) / 2.0, (west + east) / 2.0), scale }
    }

    /// Where a point (1e-7 degrees) lands on the map.
    fn at(&self, p: (i64, i64)) -> (f64, f64) {
        let (lat, lng) = (p.0 as f64 / 1e7, p.1 as f64 / 1e7);
        (MAP_W / 2.0 + (lng - self.centre.1) * self.cos * self.scale, MAP_H / 2.0 - (lat - self.centre.0) * self.scale)
    }
}

/// A rider on the map.
struct RiderMark {
    x: String,
    y: String,
    label: String,
}

/// A task on the map: a square at the store, a triangle at the door, a line between.
struct TaskMark {
    colour: &'static str,
    line: (String, String, String, String),
    /// The square's top-left corner.
    square: (String, String),
    /// The triangle's points.
    triangle: String,
    /// The task's status (a `task-status` word).
    status: String,
    title: String,
}

/// A task as a row of the table.
struct TaskRow {
    id: String,
    order: String,
    /// The task's status (a `task-status` label).
    status: String,
    /// The rider's name, or empty while it waits for one.
    rider: String,
    eta: String,
    /// Minutes until the promised arrival (negative: late by so many).
    eta_in: i64,
    late: bool,
    at_risk: bool,
    movable: bool,
}

/// The dispatch board.
#[derive(Template, WebTemplate)]
#[template(path = "dispatch_board.html")]
struct BoardPage {
    nav: Nav,
    error: Option<String>,
    done: Option<String>,
    width: f64,
    height: f64,
    riders: Vec<RiderMark>,
    marks: Vec<TaskMark>,
    /// Riders on shift who have not sent a position yet.
    unplaced: Vec<String>,
    tasks: Vec<TaskRow>,
    /// The reassign choices: (user id, name, vehicle and load).
    choices: Vec<(String, String)>,
}

/// One decimal place is plenty for SVG coordinates.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The board's map, table and choices; times in the city's zone.
fn build_board(nav: &Nav, q: &Flash, b: Board, now: i64) -> BoardPage {
    let mut points: Vec<(i64, i64)> = b.riders.iter().filter_map(|(r, _)| r.position).collect();
    points.extend(b.tasks.iter().flat_map(|t| [t.delivery.pickup, t.delivery.drop]));
    let proj = Projection::fit(&points);
    let name_of = |id: Option<UserId>| match id {
        None => String::new(),
        Some(u) => b
            .riders
            .iter()
            .find(|(r, _)| r.user_id == u)
            .map_or_else(|| nav.t("board-rider-off-shift").into_owned(), |(r, _)| r.name.clone()),
    };
    let mut marks = Vec::new();
    let mut rows = Vec::new();
    for t in &b.tasks {
        let d = &t.delivery;
        let ((px, py), (dx, dy)) = (proj.at(d.pickup), proj.at(d.drop));
        let colour = if t.late {
            "#cf222e"
        } else if t.at_risk {
            "#e36209"
        } else {
            "#0969da"
        };
        let order = short_id(&d.order_id.to_string());
        marks.push(TaskMark {
            colour,
            line: (n(px), n(py), n(dx), n(dy)),
            square: (n(px - 5.0), n(py - 5.0)),
            triangle: format!(
                "{},{} {},{} {},{}",
                n(dx),
                n(dy - 7.0),
                n(dx - 6.0),
                n(dy + 5.0),
                n(dx + 6.0),
                n(dy + 5.0)
            ),
            status: d.status.to_string(),
            title: nav.msg(&match d.rider_id {
                None => Msg::new("board-map-task-waiting")
                    .with("order", &order)
                    .with("status", nav.label("task-status", d.status.as_str())),
                Some(u) => Msg::new("board-map-task")
                    .with("order", &order)
                    .with("status", nav.label("task-status", d.status.as_str()))
                    .with("rider", name_of(Some(u))),
            }),
        });
        let status = d.status;
        rows.push(TaskRow {
            id: d.id.to_string(),
            order,
            status: d.status.to_string(),
            rider: name_of(d.rider_id),
            eta: nav.near(d.eta_at),
            eta_in: (d.eta_at.millis() - now) / 60_000,
            late: t.late,
            at_risk: t.at_risk,
            movable: status == TaskStatus::Waiting || task_next(status, TaskEvent::Release).is_some(),
        });
    }
    // What needs attention first: late, then at risk, each oldest first.
    rows.sort_by_key(|r| (!r.late, !r.at_risk));
    let riders = b
        .riders
        .iter()
        .filter_map(|(r, load)| {
            let (x, y) = proj.at(r.position?);
            Some(RiderMark { x: n(x), y: n(y), label: nav.t2("board-map-rider", "name", &r.name, "n", *load) })
        })
        .collect();
    BoardPage {
        nav: nav.clone(),
        error: q.error_text(nav),
        done: q.done.as_deref().and_then(done_text).map(|m| nav.msg(&m)),
        width: MAP_W,
        height: MAP_H,
        riders,
        marks,
        unplaced: b.riders.iter().filter(|(r, _)| r.position.is_none()).map(|(r, _)| r.name.clone()).collect(),
        tasks: rows,
        choices: b
            .riders
            .iter()
            .map(|(r, load)| {
                let label = Msg::new("board-choice")
                    .with("name", &r.name)
                    .with("vehicle", nav.label("rider-vehicle", &r.vehicle))
                    .with("n", *load);
                (r.user_id.to_string(), nav.msg(&label))
            })
            .collect(),
    }
}

/// `GET /admin/dispatch`.
async fn board_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let q = Flash::of(q);
    match ctx.app.dispatch_board(&me).await {
        Ok(b) => nav.finish(build_board(&nav, &q, b, ctx.app.now().millis()).into_response()),
        Err(e) => nav.refusal(&nav.t("riders-operators-only"), e),
    }
}

/// A reassignment.
#[derive(Debug, serde::Deserialize)]
struct ReassignForm {
    #[serde(default)]
    csrf_token: String,
    /// The rider to give it to; empty hands it back to the dispatcher.
    #[serde(default)]
    rider: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/dispatch/{delivery_id}/reassign`.
async fn reassign(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ReassignForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let back = |e: AppError| land(&nav, "/admin/dispatch", Err(e), "");
    let Ok(id) = id.parse::<DeliveryId>() else { return back(AppError::not_found("task")) };
    let to = match f.rider.trim() {
        "" => None,
        r => match r.parse::<UserId>() {
            Ok(u) => Some(u),
            Err(_) => return back(AppError::not_found("rider")),
        },
    };
    land(&nav, "/admin/dispatch", ctx.app.reassign(&me, id, to, &f.reason).await, "reassigned")
}
