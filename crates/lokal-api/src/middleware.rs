//! Request-wide machinery, applied to every route by [`apply`].

use crate::error::{ApiError, ErrorPayload, code_for_status, error_json};
use crate::extract::{CredentialSource, Session};
use crate::{Ctx, MAX_BODY_BYTES, SESSION_COOKIE};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use lokal_app::idempotency::Idempotent;
use lokal_app::secret::sha256_hex;
use lokal_core::{ErrorCode, Msg};
use std::sync::Arc;
use std::time::Instant;

/// The request id of the current request, in the request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The language of API messages for the current request (its `Accept-Language`, else the
/// platform's default), in the request extensions.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub lokal_i18n::Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<RequestLang>().copied().unwrap_or(RequestLang(lokal_i18n::Lang::default())))
    }
}

/// Wraps `router` in the request machinery, innermost first: idempotency keys, authentication,
/// metrics, panic catching, request context (request id, error bodies, logging).
pub fn apply(router: Router<Ctx>, ctx: Ctx) -> Router {
    router
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(ctx.clone(), idempotency))
        .layer(from_fn_with_state(ctx.clone(), authenticate))
        .layer(from_fn_with_state(ctx.clone(), metrics))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError(lokal_app::AppError::internal(std::io::Error::other("handler panicked"))).into_response()
        }))
        .layer(from_fn_with_state(ctx.clone(), context))
        .layer(from_fn_with_state(Arc::new(SecurityHeaders::new(&ctx)), security_headers))
        .with_state(ctx)
}

/// The headers every response carries (see docs/API.md, "Security defaults").
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// Scripts only from this site's files (no inline script, no `eval`); styles may be inline
    /// (pages set a few `style` attributes); images from here, `data:`/`blob:` previews, HTTPS
    /// and the configured map tiles' origin; nobody may frame a page. HSTS only over HTTPS
    /// (`[auth] secure_cookies`).
    pub fn new(ctx: &Ctx) -> Self {
        let tiles = tile_origin(&ctx.app.site().maps.tile_url);
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob: https:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        let secure = ctx.app.auth_settings().secure_cookies;
        Self {
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: secure.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }
}

/// ` <scheme>://<host[:port]>` of a tile URL template (`https://{s}.tile.example/{z}/{x}/{y}.png`),
/// or nothing when there is none; a `{s}` subdomain becomes a wildcard.
fn tile_origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return String::new() };
    let host = rest.split('/').next().unwrap_or_default().replace("{s}", "*");
    let ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:*[]".contains(c));
    if ok && (scheme == "http" || scheme == "https") { format!(" {scheme}://{host}") } else { String::new() }
}

/// Adds [`SecurityHeaders`] to every response (a page or an API answer that set its own keeps
/// it).
pub async fn security_headers(State(h): State<Arc<SecurityHeaders>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| h.csp.clone());
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if let Some(hsts) = &h.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    res
}

/// What the request log shows of a path: its route template (`/api/v1/vouchers/{code}`), so that
/// voucher codes, payment references and ids never reach the logs; a path no route matched
/// keeps its plain words and hides every other segment.
fn logged_path(req: &Request) -> String {
    if let Some(m) = req.extensions().get::<MatchedPath>() {
        return m.as_str().to_owned();
    }
    let plain = |seg: &str| {
        seg.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '_' || c == '.')
            || (seg.len() <= 3 && seg.starts_with('v') && seg[1..].chars().all(|c| c.is_ascii_digit()))
    };
    let mut out = String::new();
    for seg in req.uri().path().split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(if plain(seg) { seg } else { "{…}" });
    }
    if out.is_empty() { "/".to_owned() } else { out }
}

/// Gives the request an id (a well-formed incoming `x-request-id` is kept), writes error bodies,
/// logs internal errors once with their cause chain, and sets the `x-request-id` header.
pub async fn context(State(ctx): State<Ctx>, mut req: Request, next: Next) -> Response {
    let incoming = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let id = incoming.map_or_else(|| uuid::Uuid::now_v7().simple().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = lokal_i18n::Lang::negotiate(None, None, accept, ctx.app.site().lang);
    req.extensions_mut().insert(RequestLang(lang));
    let method = req.method().clone();
    let is_api = req.uri().path().starts_with("/api/");
    let path = logged_path(&req);
    let start = std::time::Instant::now();
    let res = next.run(req).await;
    let mut res = finish_error(res, &id, is_api, &method, &path, lang);
    // Method, route template and status only: never headers, bodies, query strings or the raw
    // path, which may hold tokens, passwords, phone numbers, voucher codes or payment references.
    tracing::info!(request_id = %id, %method, %path, status = res.status().as_u16(), ms = start.elapsed().as_millis() as u64, "request");
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

fn finish_error(
    res: Response,
    id: &str,
    is_api: bool,
    method: &Method,
    path: &str,
    lang: lokal_i18n::Lang,
) -> Response {
    let status = res.status();
    let payload = res.extensions().get::<ErrorPayload>().cloned();
    let payload = match payload {
        Some(p) => p,
        // Bare errors from the router or a layer (unknown route, wrong method, body limit):
        // give API clients the same JSON shape. Pages render their own error pages.
        None if is_api && (status.is_client_error() || status.is_server_error()) && !is_json(&res) => {
            let code = code_for_status(status);
            ErrorPayload { code, msg: default_message(code), field: None, cause: None }
        }
        None => return res,
    };
    if status.is_server_error() {
        tracing::error!(request_id = %id, %method, %path, code = payload.code.as_str(), cause = payload.cause.as_deref().unwrap_or("-"), "request failed");
    }
    let (mut parts, _) = res.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(error_json(&payload, id, lang)))
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn default_message(code: ErrorCode) -> Msg {
    match code {
        ErrorCode::NotFound => Msg::new("not-found"),
        ErrorCode::MethodNotAllowed => Msg::new("err-method-not-allowed"),
        ErrorCode::PayloadTooLarge => Msg::new("err-body-too-large"),
        ErrorCode::UnsupportedMediaType => Msg::new("err-json-content-type"),
        ErrorCode::MalformedRequest => Msg::new("err-malformed-request"),
        ErrorCode::Internal => Msg::new("err-internal"),
        _ => Msg::new("err-request-refused"),
    }
}

async fn metrics(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let res = next.run(req).await;
    ctx.metrics.observe(&method, &route, res.status().as_u16(), start.elapsed().as_secs_f64());
    res
}

/// Reads the bearer token or session cookie and, if it names a live session, stores the
/// [`Session`] in the request extensions for the `Caller` extractors. A bad token is the same as
/// none: endpoints that need a caller answer 401.
async fn authenticate(State(ctx): State<Ctx>, mut req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| (t.trim().to_owned(), CredentialSource::Bearer));
    let cookie = || cookie_value(req.headers(), SESSION_COOKIE).map(|t| (t, CredentialSource::Cookie));
    if let Some((token, source)) = bearer.or_else(cookie) {
        match ctx.app.authenticate(&token).await {
            Ok(Some(auth)) => {
                req.extensions_mut().insert(Session { auth, token, source });
            }
            Ok(None) => {}
            Err(e) => return ApiError(e).into_response(),
        }
    }
    next.run(req).await
}

/// The value of cookie `name`, if sent.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// Paths whose responses carry a secret (a session token): they ignore `Idempotency-Key`, because
/// a stored response would keep the token in the database. Retrying them is safe anyway: a
/// repeated registration answers `email_taken`, a repeated login opens another session.
/// Paths without idempotency keys: logins, and uploads (not a payment; too large to replay).
const NOT_IDEMPOTENT: [&str; 2] = ["/api/v1/auth/", "/api/v1/uploads"];

/// Honours `Idempotency-Key` on API POSTs: the same key and the same request (method, path,
/// query, body) replay the first response; the same key with a different request is
/// `422 idempotency_key_reused`. Keys are per caller (per account, or shared by anonymous callers).
async fn idempotency(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let applies = req.method() == Method::POST
        && path.starts_with("/api/")
        && !NOT_IDEMPOTENT.iter().any(|p| path.starts_with(p));
    let key = req.headers().get("idempotency-key").map(|v| v.to_str().map(str::to_owned));
    let Some(key) = key.filter(|_| applies) else {
        return next.run(req).await;
    };
    let Ok(key) = key else {
        let e = lokal_core::FieldError::new("Idempotency-Key", "field-idempotency-key");
        return ApiError::from(e).into_response();
    };
    let lang = req.extensions().get::<RequestLang>().map_or(lokal_i18n::Lang::default(), |l| l.0);
    let scope = req
        .extensions()
        .get::<Session>()
        .map_or_else(|| String::from("anonymous"), |s| s.auth.principal.user_id.to_string());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::new(ErrorCode::PayloadTooLarge, "err-body-too-large").into_response();
    };
    let mut material = format!("{} {}\n", parts.method, parts.uri).into_bytes();
    material.extend_from_slice(&bytes);
    let hash = sha256_hex(&material);
    match ctx.app.idempotency_claim(&scope, &key, &hash).await {
        Err(e) => ApiError(e).into_response(),
        Ok(Idempotent::Replay(status, body)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
            res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            res
        }
        Ok(Idempotent::Run) => {
            // If the handler panics or the client goes away, this future is dropped before the
            // outcome is stored: the guard then frees the key so a retry can run.
            let mut guard = ClaimGuard { ctx: ctx.clone(), scope, key, armed: true };
            let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            let res = store_outcome(&ctx, &guard.scope, &guard.key, res, lang).await;
            guard.armed = false;
            res
        }
    }
}

/// Releases a claimed key unless disarmed.
struct ClaimGuard {
    ctx: Ctx,
    scope: String,
    key: String,
    armed: bool,
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        if self.armed {
            let (ctx, scope, key) = (self.ctx.clone(), std::mem::take(&mut self.scope), std::mem::take(&mut self.key));
            tokio::spawn(async move {
                if let Err(e) = ctx.app.idempotency_release(&scope, &key).await {
                    tracing::warn!(error = %e, "could not release an idempotency key");
                }
            });
        }
    }
}

/// Whether a refusal depends only on the request itself and so may be replayed. Refusals that
/// depend on headers or time (authentication, CSRF, rate limits) are not stored: the retry runs.
fn replayable(status: StatusCode) -> bool {
    !status.is_server_error() && !matches!(status.as_u16(), 401 | 403 | 429)
}

async fn store_outcome(ctx: &Ctx, scope: &str, key: &str, res: Response, lang: lokal_i18n::Lang) -> Response {
    let status = res.status();
    if !replayable(status) {
        if let Err(e) = ctx.app.idempotency_release(scope, key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return res;
    }
    // Errors are stored as their payload; the context layer renders both the first response
    // and replays with the same body (apart from the request id).
    if let Some(p) = res.extensions().get::<ErrorPayload>().cloned() {
        let body = error_json(&p, "replayed", lang);
        if let Err(e) = ctx.app.idempotency_complete(scope, key, status.as_u16(), &body).await {
            tracing::warn!(error = %e, "could not store an idempotent response");
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 16 * MAX_BODY_BYTES).await else {
        let _ = ctx.app.idempotency_release(scope, key).await;
        return ApiError::new(ErrorCode::Internal, "err-internal").into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(e) = ctx.app.idempotency_complete(scope, key, status.as_u16(), &text).await {
        tracing::warn!(error = %e, "could not store an idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}
