//! What every page needs: who is looking, the CSRF token, cookies, and error pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use lokal_api::extract::{MaybeCaller, Session, constant_time_eq};
use lokal_api::middleware::cookie_value;
use lokal_api::{ApiError, CSRF_COOKIE, Ctx};
use lokal_app::AppError;
use lokal_core::ErrorCode;

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
}

impl FromRequestParts<Ctx> for Nav {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, Self::Rejection> {
        let Ok(MaybeCaller(session)) = MaybeCaller::from_request_parts(parts, ctx).await;
        let user = match &session {
            Some(s) => Some(ctx.app.me(&s.auth.principal).await.map_err(error_page)?.display_name),
            None => None,
        };
        let (csrf, new_csrf) = match cookie_value(&parts.headers, CSRF_COOKIE) {
            Some(c) if c.len() == 64 => (c, false),
            _ => (lokal_app::secret::random_token().map_err(error_page)?, true),
        };
        Ok(Nav { user, csrf, new_csrf, session, secure: ctx.app.auth_settings().secure_cookies })
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
            Ok(status) if status.is_client_error() => self.finish(message(status, heading, &e.message, self.clone())),
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
            set_cookie(&mut res, &format!("{CSRF_COOKIE}={}; Path=/; SameSite=Lax", self.csrf), self.secure);
        }
        res
    }

    /// Checks a posted form's CSRF token against the cookie, and that the post came from this
    /// site when the browser says where it came from.
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
                "Form expired",
                "This form was open too long or came from another site. Go back, reload the page and try again.",
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

/// The page for a failed request. Internal causes are logged, never shown.
pub fn error_page(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        tracing::error!(error = %e, cause = ?std::error::Error::source(&e).map(ToString::to_string), "page failed");
    }
    let nav = Nav { user: None, csrf: String::new(), new_csrf: false, session: None, secure: false };
    let text = if status.is_server_error() {
        "Something went wrong on our side. Please try again in a moment."
    } else {
        e.message.as_str()
    };
    message(status, "Sorry", text, nav)
}

/// Unknown routes: a JSON error under `/api/`, a page elsewhere.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(ErrorCode::NotFound, "no such resource").into_response();
    }
    let nav = Nav { user: None, csrf: String::new(), new_csrf: false, session: None, secure: false };
    message(StatusCode::NOT_FOUND, "Page not found", "There is nothing at this address.", nav)
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
