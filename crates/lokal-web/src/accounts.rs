//! Home, login, registration, logout and the account page.

use crate::page::{Nav, error_page, set_cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::extract::ClientIp;
use lokal_api::{Ctx, SESSION_COOKIE};
use lokal_app::AppError;
use lokal_app::accounts::{NewSession, Registration, SessionKind};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/register", get(register_form).post(register))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/invitations/{invitation_id}/{answer}", post(answer_invitation))
        .route("/account/merchants/{merchant_id}/leave", post(leave_merchant))
        .route("/lang", post(switch_language))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth_form.html")]
struct AuthForm {
    nav: Nav,
    heading: String,
    action: &'static str,
    registering: bool,
    error: Option<String>,
    login: String,
    phone: String,
    display_name: String,
    /// Where to go once logged in (a path on this site).
    next: String,
}

impl AuthForm {
    fn login(nav: Nav) -> Self {
        Self {
            heading: nav.t("auth-log-in").into_owned(),
            nav,
            action: "/login",
            registering: false,
            error: None,
            login: String::new(),
            phone: String::new(),
            display_name: String::new(),
            next: String::new(),
        }
    }
    fn register(nav: Nav) -> Self {
        let heading = nav.t("auth-create-account");
        Self { heading: heading.into_owned(), action: "/register", registering: true, ..Self::login(nav) }
    }
    /// Shows the form again with the error; internal failures become an error page.
    fn refuse(mut self, e: AppError) -> Response {
        let status = StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            return error_page(e);
        }
        self.error = Some(self.nav.error_text(&e));
        let nav = self.nav.clone();
        nav.finish((status, self).into_response())
    }
}

/// `?next=` on the login and register pages.
#[derive(Debug, Default, serde::Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// `next` if it is a path on this site, else the home page (no open redirect).
pub(crate) fn safe_next(next: &str) -> &str {
    // A path on this site, of plain URL characters only: no scheme, no `//host`, no backslash,
    // no whitespace or control character a browser would strip into `//host`.
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"/-_.~?=&%#:+,".contains(&b);
    let ok = next.len() <= 1000
        && next.starts_with('/')
        && next.as_bytes().get(1).is_none_or(|b| *b != b'/')
        && next.bytes().all(plain)
        && !next.starts_with("/logout");
    if ok { next } else { "/" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_site() {
        for good in ["/", "/c/ab12cd34", "/stores/x?sort=helpful#reviews"] {
            assert_eq!(super::safe_next(good), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\u{1}",
            "https://evil.example",
            "/ok\r\nSet-Cookie:x",
            "/logout",
            "evil",
        ] {
            assert_eq!(super::safe_next(bad), "/", "{bad:?}");
        }
    }
}

async fn login_form(nav: Nav, axum::extract::Query(q): axum::extract::Query<NextQuery>) -> Response {
    let next = if q.next.is_empty() { String::new() } else { safe_next(&q.next).to_owned() };
    nav.finish(AuthForm { next, ..AuthForm::login(nav.clone()) }.into_response())
}

async fn register_form(
    nav: Nav,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Response {
    let next = if q.next.is_empty() { String::new() } else { safe_next(&q.next).to_owned() };
    let mut res = nav.finish(AuthForm { next, ..AuthForm::register(nav.clone()) }.into_response());
    // The browser's device id, for the per-device sign-up limit.
    if lokal_api::middleware::cookie_value(&headers, lokal_api::DEVICE_COOKIE).is_none()
        && let Ok(id) = lokal_app::secret::random_token()
    {
        let cookie = format!("{}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000", lokal_api::DEVICE_COOKIE);
        set_cookie(&mut res, &cookie, nav.secure);
    }
    res
}

/// Gives the touches of this browser's campaign visits to the user (and credits a sign-up);
/// a failure here never fails the login.
async fn bind_visitor(ctx: &Ctx, headers: &HeaderMap, user: lokal_core::UserId, signed_up: bool) {
    if let Some(v) = lokal_api::middleware::cookie_value(headers, crate::campaigns::VISITOR_COOKIE)
        && let Err(e) = ctx.app.bind_visitor(&v, user, signed_up).await
    {
        tracing::warn!(error = %e.msg, "campaign visits not bound to the account");
    }
}

#[derive(Debug, serde::Deserialize)]
struct LoginFields {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(ctx): State<Ctx>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginFields>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    match ctx.app.login(&f.login, &f.password, ip, SessionKind::Web).await {
        Ok((user, session)) => {
            bind_visitor(&ctx, &headers, user.id, false).await;
            logged_in(&ctx, session, safe_next(&f.next))
        }
        Err(e) => AuthForm { login: f.login, next: f.next, ..AuthForm::login(nav) }.refuse(e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct RegisterFields {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

async fn register(
    State(ctx): State<Ctx>,
    nav: Nav,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<RegisterFields>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let reg = Registration {
        email: Some(f.email.clone()),
        phone: Some(f.phone.clone()),
        password: f.password,
        display_name: Some(f.display_name.clone()),
    };
    let device = lokal_api::middleware::cookie_value(&headers, lokal_api::DEVICE_COOKIE);
    match ctx.app.register(reg, SessionKind::Web, ip, device.as_deref()).await {
        Ok((user, session)) => {
            bind_visitor(&ctx, &headers, user.id, true).await;
            logged_in(&ctx, session, safe_next(&f.next))
        }
        Err(e) => AuthForm {
            login: f.email,
            phone: f.phone,
            display_name: f.display_name,
            next: f.next,
            ..AuthForm::register(nav)
        }
        .refuse(e),
    }
}

fn logged_in(ctx: &Ctx, session: NewSession, next: &str) -> Response {
    let max_age = ctx.app.auth_settings().session_ttl_hours * 3600;
    let secure = ctx.app.auth_settings().secure_cookies;
    let mut res = Redirect::to(next).into_response();
    set_cookie(
        &mut res,
        &format!("{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}", session.token),
        secure,
    );
    res
}

#[derive(Debug, serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<CsrfOnly>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    if let Some(s) = &nav.session
        && let Err(e) = ctx.app.logout(&s.token).await
    {
        return error_page(e);
    }
    let mut res = Redirect::to("/").into_response();
    set_cookie(&mut res, &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"), nav.secure);
    res
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    display_name: String,
    email: String,
    phone: String,
    since: String,
    roles: Vec<String>,
    /// The saved language's tag, empty when none is saved.
    saved_lang: String,
    /// Invitations to staffs waiting for an answer: (id, merchant, role).
    invitations: Vec<(String, String, String)>,
    /// The merchants whose staff this person is: (merchant id, name, role, may leave).
    staff_of: Vec<(String, String, String, bool)>,
    done: Option<String>,
    error: Option<String>,
}

/// What `?done=` says on the account page.
fn account_done(key: &str) -> Option<lokal_core::Msg> {
    Some(lokal_core::Msg::new(match key {
        "accepted" => "account-done-accepted",
        "declined" => "account-done-declined",
        "left" => "account-done-left",
        _ => return None,
    }))
}

async fn account(
    State(ctx): State<Ctx>,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let flash = crate::riders::Flash::of(q);
    let Some(session) = nav.session.clone() else {
        return Redirect::to("/login?next=/account").into_response();
    };
    let me = &session.auth.principal;
    let user = match ctx.app.me(me).await {
        Ok(u) => u,
        Err(e) => return error_page(e),
    };
    let invitations = match ctx.app.my_invitations(me).await {
        Ok(list) => {
            list.into_iter().map(|(i, merchant)| (i.id, merchant, nav.label("role", &i.role).into_owned())).collect()
        }
        Err(e) => return error_page(e),
    };
    let mut staff_of = Vec::new();
    for g in me.grants.iter().filter(|g| matches!(g.role, lokal_core::Role::Staff(_))) {
        let Some(m) = g.merchant_id else { continue };
        let name = ctx.app.merchant(me, m).await.map(|r| r.name).unwrap_or_default();
        let may_leave = ctx.app.may_leave(me, m).await.unwrap_or(false);
        staff_of.push((m.to_string(), name, nav.label("role", g.role.as_str()).into_owned(), may_leave));
    }
    let page = AccountPage {
        display_name: user.display_name,
        email: user.email.unwrap_or_else(|| "—".into()),
        phone: user.phone.unwrap_or_else(|| "—".into()),
        since: nav.date(user.created_at),
        roles: session.auth.principal.grants.iter().map(|g| nav.label("role", g.role.as_str()).into_owned()).collect(),
        saved_lang: user.lang.unwrap_or_default(),
        invitations,
        staff_of,
        done: flash.done.as_deref().and_then(account_done).map(|m| nav.msg(&m)),
        error: flash.error_text(&nav),
        nav: nav.clone(),
    };
    let mut res = nav.finish(page.into_response());
    res.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    res
}

#[derive(Debug, serde::Deserialize)]
struct LangFields {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
    /// From the account page: `saved` keeps the choice on the account, `browser` forgets it.
    #[serde(default)]
    remember: String,
}

/// The language switch (中文 / EN on every page): sets the `lang` cookie for a year and, for a
/// logged-in person, saves the choice on their account (so it follows them to other devices);
/// then back to the page they were on.
async fn switch_language(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<LangFields>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let forget = f.remember == "browser";
    let lang = match lokal_i18n::Lang::parse(&f.lang) {
        Some(l) => l,
        None if forget => nav.lang,
        None => {
            return nav.refusal(
                &nav.t("lang-switch"),
                AppError::from(lokal_core::FieldError::new("lang", "field-lang-unknown")),
            );
        }
    };
    if let Some(s) = &nav.session {
        let saved = if forget { None } else { Some(lang.tag()) };
        if let Err(e) = ctx.app.set_language(&s.auth.principal, saved).await {
            return error_page(e);
        }
    }
    let mut res = Redirect::to(safe_next(&f.next)).into_response();
    let cookie = format!("{}={}; Path=/; SameSite=Lax; Max-Age=31536000", crate::page::LANG_COOKIE, lang.tag());
    set_cookie(&mut res, &cookie, nav.secure);
    res
}

/// `POST /account/invitations/{id}/accept|decline`.
async fn answer_invitation(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    axum::extract::Path((id, answer)): axum::extract::Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let me = match crate::riders::poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return error_page(lokal_app::AppError::not_found_any()),
    };
    let result = ctx.app.answer_invitation(&me, &id, accept).await.map(|_| ());
    crate::riders::land(&nav, "/account", result, if accept { "accepted" } else { "declined" })
}

/// `POST /account/merchants/{merchant_id}/leave`.
async fn leave_merchant(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    axum::extract::Path(merchant): axum::extract::Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let me = match crate::riders::poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let Ok(merchant) = merchant.parse::<lokal_core::MerchantId>() else {
        return error_page(lokal_app::AppError::not_found("merchant"));
    };
    let result = ctx.app.leave_merchant(&me, merchant).await;
    crate::riders::land(&nav, "/account", result, "left")
}
