//! What every page needs: who is looking, the CSRF token, cookies, and error pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use lokal_api::extract::{MaybeCaller, Session, constant_time_eq};
use lokal_api::middleware::cookie_value;
use lokal_api::{ApiError, Ctx, csrf_cookie, session_csrf};
use lokal_app::AppError;
use lokal_core::{ErrorCode, Msg, MsgArg, Timestamp};
use lokal_i18n::{Lang, Zone, format as fmt};
use std::borrow::Cow;

/// The page frame: the logged-in user's name and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The display name, if logged in.
    pub user: Option<String>,
    /// The token every form posts back.
    pub csrf: String,
    /// Set when the CSRF cookie must be (re)issued with this response.
    pub new_csrf: bool,
    /// The session, if logged in.
    pub session: Option<Session>,
    /// Whether cookies are marked `Secure`.
    pub secure: bool,
    /// The language of the page.
    pub lang: Lang,
    /// The city's time zone (times that concern no particular store).
    pub zone: Zone,
    /// This page's path and query, where the language switch comes back to.
    pub here: String,
    /// Where to come back to after logging in: this page for a GET, else the page on this
    /// site whose form was posted (its `Referer`), else the home page.
    pub back: String,
    /// The current time, epoch ms (for "today 14:43").
    pub now_ms: i64,
    /// Map tiles (`[maps]`).
    pub maps: std::sync::Arc<lokal_app::site::MapSettings>,
    /// The city centre (`[site] center`).
    pub center: lokal_core::geo::LatLng,
    /// The place the person chose or shared (the `loc` cookie), if any.
    pub place: Option<lokal_core::geo::LatLng>,
    /// Messages from stores the person has not read (the badge on "consultations").
    pub unread_chats: i64,
    /// Messages in the message centre the person has not read (the badge on "messages").
    pub unread_messages: i64,
}

/// The cookie that remembers the place a person shared or picked (`lat,lng`).
pub const PLACE_COOKIE: &str = "loc";

/// The place in a `loc` cookie's value.
pub fn parse_place(v: &str) -> Option<lokal_core::geo::LatLng> {
    let (lat, lng) = v.split_once(',')?;
    lokal_core::geo::LatLng::new(lat.trim().parse().ok()?, lng.trim().parse().ok()?).ok()
}

/// The catalogue key of an enum word's label: `status-pay-at-store` for `("status",
/// "pay_at_store")`.
pub fn label_key(group: &str, word: &str) -> String {
    let mut key = String::with_capacity(group.len() + 1 + word.len());
    key.push_str(group);
    key.push('-');
    key.extend(word.chars().map(|c| if c == '_' { '-' } else { c }));
    key
}

/// The cookie the language switch sets.
pub const LANG_COOKIE: &str = "lang";

impl FromRequestParts<Ctx> for Nav {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Self::Rejection> {
        let Ok(MaybeCaller(session)) = MaybeCaller::from_request_parts(parts, ctx).await;
        let (user, saved, badges) = match &session {
            Some(s) => {
                let me = ctx.app.me(&s.auth.principal).await.map_err(error_page)?;
                let badges = ctx.app.my_badges(&s.auth.principal).await.map_err(error_page)?;
                (Some(me.display_name), me.lang, badges)
            }
            None => (None, None, lokal_app::notify::Badges::default()),
        };
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let cookie = cookie_value(&parts.headers, LANG_COOKIE);
        let lang = Lang::negotiate(saved.as_deref(), cookie.as_deref(), accept, ctx.app.site().lang);
        let here = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let back = if parts.method == axum::http::Method::GET { here.clone() } else { referer_path(&parts.headers) };
        // Logged in: the session's own token. A visitor: a random cookie posted back.
        let secure = ctx.app.auth_settings().secure_cookies;
        let (csrf, new_csrf) = match (&session, cookie_value(&parts.headers, csrf_cookie(secure))) {
            (Some(s), _) => (session_csrf(&s.token), false),
            (None, Some(c)) if c.len() == 64 => (c, false),
            (None, _) => (lokal_app::secret::random_token().map_err(error_page)?, true),
        };
        Ok(Nav {
            user,
            csrf,
            new_csrf,
            session,
            secure,
            lang,
            zone: ctx.app.site().zone.clone(),
            here,
            back,
            now_ms: ctx.app.now().millis(),
            maps: ctx.app.site().maps.clone(),
            center: ctx.app.site().center,
            place: cookie_value(&parts.headers, PLACE_COOKIE).as_deref().and_then(parse_place),
            unread_chats: badges.chats,
            unread_messages: badges.messages,
        })
    }
}

/// What a page's markup is rendered into at first: pages are 10 to 40 KB, and growing a buffer
/// from a template's own size hint copies a page several times over.
const PAGE_BYTES: usize = 48 * 1024;

/// A page as an HTML response, rendered into a buffer of [`PAGE_BYTES`] (a template that cannot
/// render is logged and answered 500, as `askama_web` does).
pub fn html(page: &impl Template) -> Response {
    let mut buf = String::with_capacity(PAGE_BYTES);
    match page.render_into(&mut buf) {
        Ok(()) => ([(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], buf).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The path of the `Referer` if it is a page of this site (same `Host`), else `/`.
fn referer_path(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|h| h.to_str().ok()).and_then(|r| r.parse::<Uri>().ok());
    match (host, referer) {
        (Some(host), Some(r)) if r.authority().is_some_and(|a| a.as_str() == host) => {
            r.path_and_query().map_or("/", |p| p.as_str()).to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// What pages write: catalogue texts, money and local times in the page's language.
impl Nav {
    /// To the login page, coming back here (or to the page that posted) afterwards.
    pub fn to_login(&self) -> Response {
        let next = crate::accounts::safe_next(&self.back);
        let to = if next == "/" { "/login".to_owned() } else { format!("/login?next={}", encode_query(next)) };
        axum::response::Redirect::to(&to).into_response()
    }

    /// A frame for pages rendered without a request (error pages): the platform's defaults.
    pub fn bare(lang: Lang) -> Nav {
        Nav {
            user: None,
            csrf: String::new(),
            new_csrf: false,
            session: None,
            secure: false,
            lang,
            zone: Zone::default(),
            here: "/".into(),
            back: "/".into(),
            now_ms: 0,
            maps: std::sync::Arc::default(),
            center: lokal_core::geo::LatLng::PEOPLES_SQUARE,
            place: None,
            unread_chats: 0,
            unread_messages: 0,
        }
    }

    /// The catalogue text of `key`, borrowed from the catalogue when it is plain (no
    /// placeable): a page writes dozens of them without copying each.
    pub fn t(&self, key: &str) -> Cow<'static, str> {
        lokal_i18n::text(self.lang, key)
    }

    /// The catalogue text of `key` with one argument.
    pub fn t1(&self, key: &'static str, name: &'static str, v: impl Into<MsgArg>) -> String {
        self.msg(&Msg::new(key).with(name, v))
    }

    /// The catalogue text of `key` with two arguments.
    pub fn t2(
        &self,
        key: &'static str,
        a: &'static str,
        av: impl Into<MsgArg>,
        b: &'static str,
        bv: impl Into<MsgArg>,
    ) -> String {
        self.msg(&Msg::new(key).with(a, av).with(b, bv))
    }

    /// A message in the page's language.
    pub fn msg(&self, m: &Msg) -> String {
        lokal_i18n::render(self.lang, m)
    }

    /// The label of an enum word (`status-paid` for `("status", "paid")`): no internal word
    /// reaches a page untranslated.
    pub fn label(&self, group: &str, word: &str) -> Cow<'static, str> {
        // Keys are short: built on the stack, as pages label dozens of words each.
        let mut buf = [0u8; 96];
        let len = group.len() + 1 + word.len();
        if len > buf.len() {
            return lokal_i18n::text(self.lang, &label_key(group, word));
        }
        buf[..group.len()].copy_from_slice(group.as_bytes());
        buf[group.len()] = b'-';
        for (i, b) in word.bytes().enumerate() {
            buf[group.len() + 1 + i] = if b == b'_' { b'-' } else { b };
        }
        match std::str::from_utf8(&buf[..len]) {
            Ok(key) => lokal_i18n::text(self.lang, key),
            Err(_) => lokal_i18n::text(self.lang, &label_key(group, word)),
        }
    }

    /// The reason of a refusal, in the page's language.
    pub fn error_text(&self, e: &AppError) -> String {
        lokal_api::error::error_message(self.lang, &e.msg, e.field.as_deref())
    }

    /// Money: `¥168`, `¥168.50`.
    pub fn money(&self, minor: i64) -> String {
        fmt::money(minor)
    }

    /// An instant in the city's time zone: `2026年12月2日 14:43`.
    pub fn datetime(&self, at: Timestamp) -> String {
        fmt::datetime(self.lang, at.millis(), &self.zone)
    }

    /// An instant in the city's time zone as people near now say it: `今天 14:43`.
    pub fn near(&self, at: Timestamp) -> String {
        fmt::near(self.lang, at.millis(), self.now_ms, &self.zone)
    }

    /// An instant at a place `offset_min` east of UTC (a store), as people near now say it.
    pub fn near_at(&self, at: Timestamp, offset_min: i64) -> String {
        let zone = Zone::fixed_minutes(i32::try_from(offset_min).unwrap_or(480));
        fmt::near(self.lang, at.millis(), self.now_ms, &zone)
    }

    /// An instant at a place `offset_min` east of UTC (a store) as its desk shows it: the clock
    /// time alone when it is today there (`14:43`), else with its day (`明天 09:30`,
    /// `12月2日 14:43`).
    pub fn clock_at(&self, at: Timestamp, offset_min: i64) -> String {
        let zone = Zone::fixed_minutes(i32::try_from(offset_min).unwrap_or(480));
        let (day, today) = (zone.local(at.millis()), zone.local(self.now_ms));
        if (day.year, day.month, day.day) == (today.year, today.month, today.day) {
            self.time_at(at, offset_min)
        } else {
            self.near_at(at, offset_min)
        }
    }

    /// A date in the city's time zone: `2026年12月2日`.
    pub fn date(&self, at: Timestamp) -> String {
        fmt::date(self.lang, at.millis(), &self.zone)
    }

    /// A clock time in the city's time zone: `14:43`.
    pub fn time(&self, at: Timestamp) -> String {
        fmt::time(at.millis(), &self.zone)
    }

    /// A clock time at a place `offset_min` east of UTC (a store): `14:43`.
    pub fn time_at(&self, at: Timestamp, offset_min: i64) -> String {
        fmt::time(at.millis(), &Zone::fixed_minutes(i32::try_from(offset_min).unwrap_or(480)))
    }

    /// Where the person is, for "near me": the place they shared or picked, else the city
    /// centre.
    pub fn here_or_center(&self) -> lokal_core::geo::LatLng {
        self.place.unwrap_or(self.center)
    }

    /// The languages of the switch: (tag, label, whether it is the page's).
    pub fn languages(&self) -> [(&'static str, &'static str, bool); 2] {
        Lang::ALL.map(|l| (l.tag(), l.label(), l == self.lang))
    }
}

impl Nav {
    /// The logged-in caller, if any.
    pub fn caller(&self) -> Option<lokal_core::Principal> {
        self.session.as_ref().map(|s| s.auth.principal.clone())
    }

    /// The page for a refused action: the refusal's own message for client errors (keeping the
    /// page frame), the opaque error page for server errors.
    pub fn refusal(&self, heading: &str, e: AppError) -> Response {
        match StatusCode::from_u16(e.code.status()) {
            Ok(status) if status.is_client_error() => {
                self.finish(message(status, heading, &self.error_text(&e), self.clone()))
            }
            _ => error_page(e),
        }
    }

    /// Whether the viewer operates the platform (shows the admin link).
    pub fn is_admin(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.auth.principal.is_admin())
    }

    /// Whether the viewer is staff of some merchant (shows the console link).
    pub fn is_staff(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.auth.principal.grants.iter().any(|g| matches!(g.role, lokal_core::Role::Staff(_))))
    }

    /// Whether the viewer rides for the platform (shows the rider app link).
    pub fn is_rider(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.auth.principal.has_role(lokal_core::Role::Rider))
    }

    /// Adds the CSRF cookie to `res` if this request had none.
    pub fn finish(&self, mut res: Response) -> Response {
        if self.new_csrf {
            let name = csrf_cookie(self.secure);
            set_cookie(&mut res, &format!("{name}={}; Path=/; SameSite=Lax", self.csrf), self.secure);
        }
        res
    }

    /// Checks a posted form's CSRF token against the session's (or, for a visitor, the
    /// cookie's), and that the post came from this site when the browser says where it came from.
    pub fn verify_form(&self, headers: &HeaderMap, posted: &str) -> Result<(), Response> {
        let same_origin = match (
            headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, h)| h == host),
            _ => true,
        };
        if !self.new_csrf && same_origin && constant_time_eq(posted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(self.finish(message(
                StatusCode::FORBIDDEN,
                &self.t("page-form-expired-heading"),
                &self.t("page-form-expired-text"),
                self.clone(),
            )))
        }
    }
}

/// Appends a `Set-Cookie` header, marked `Secure` when the site is served over HTTPS.
pub fn set_cookie(res: &mut Response, cookie: &str, secure: bool) {
    let cookie = if secure { format!("{cookie}; Secure") } else { cookie.to_owned() };
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "message.html")]
struct MessagePage {
    nav: Nav,
    heading: String,
    text: String,
}

/// A page with a heading and a sentence.
pub fn message(status: StatusCode, heading: &str, text: &str, nav: Nav) -> Response {
    (status, MessagePage { nav, heading: heading.into(), text: text.into() }).into_response()
}

/// An error page waiting for its language: [`render_error_pages`] writes it once the request's
/// language is known, so that helpers without a request can still refuse in the reader's words.
#[derive(Debug, Clone)]
pub struct PageError {
    /// The heading.
    pub heading: Msg,
    /// The sentence.
    pub text: Msg,
}

/// The page for a failed request. Internal causes are logged, never shown.
pub fn error_page(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        tracing::error!(error = %e, cause = ?std::error::Error::source(&e).map(ToString::to_string), "page failed");
    }
    let text = if status.is_server_error() { Msg::new("page-error-internal") } else { e.msg };
    pending_page(status, Msg::new("page-error-heading"), text)
}

fn pending_page(status: StatusCode, heading: Msg, text: Msg) -> Response {
    let mut res = status.into_response();
    res.extensions_mut().insert(PageError { heading, text });
    res
}

/// Unknown routes: a JSON error under `/api/`, a page elsewhere.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(ErrorCode::NotFound, "no such resource").into_response();
    }
    pending_page(StatusCode::NOT_FOUND, Msg::new("page-not-found-heading"), Msg::new("page-not-found-text"))
}

/// Writes the pages of [`PageError`]s in the request's language (the person's saved one, the
/// `lang` cookie, the browser's, the platform's).
pub async fn render_error_pages(
    axum::extract::State(ctx): axum::extract::State<Ctx>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let cookie = cookie_value(req.headers(), LANG_COOKIE);
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let principal = req.extensions().get::<Session>().map(|s| s.auth.principal.clone());
    let res = next.run(req).await;
    let Some(err) = res.extensions().get::<PageError>().cloned() else {
        return res;
    };
    let saved = match principal {
        Some(p) => ctx.app.me(&p).await.ok().and_then(|u| u.lang),
        None => None,
    };
    let lang = Lang::negotiate(saved.as_deref(), cookie.as_deref(), accept.as_deref(), ctx.app.site().lang);
    let nav = Nav::bare(lang);
    let (heading, text) = (nav.msg(&err.heading), nav.msg(&err.text));
    let (mut parts, _) = res.into_parts();
    let page = message(parts.status, &heading, &text, nav);
    let (page_parts, body) = page.into_parts();
    parts.headers.extend(page_parts.headers);
    parts.extensions.remove::<PageError>();
    Response::from_parts(parts, body)
}

/// The absolute URL of `path` on this site as the request addressed it (what a printed QR code
/// encodes).
pub fn site_url(headers: &HeaderMap, path: &str) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost:8080");
    format!("http://{host}{path}")
}

/// `text` as an SVG QR code at least `px` pixels wide (empty if it cannot be encoded).
pub fn qr_svg(text: &str, px: u32) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(q) => q.render::<qrcode::render::svg::Color>().min_dimensions(px, px).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

/// What a query value keeps as it is: RFC 3986's unreserved characters and `/` (for paths in
/// `next=`); everything else is percent-encoded.
const QUERY_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// `s` percent-encoded for a query value.
pub fn encode_query(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}
