//! The message centre (`/me/messages`): what the platform told the person — voucher codes, an
//! order ready to collect, messages from the stores whose member they are — newest first, each
//! linking to what it concerns. The header's badge counts the unread ones; opening the centre
//! reads those it shows (a message that arrives meanwhile stays unread).

use crate::page::Nav;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lokal_api::Ctx;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/me/messages", get(page))
}

/// One message as shown.
struct Line {
    subject: String,
    body: String,
    at: String,
    /// Where it points (`""` for nowhere).
    link: String,
    /// Unread until this visit.
    unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "messages.html")]
struct MessagesPage {
    nav: Nav,
    lines: Vec<Line>,
}

/// The person's latest 50 messages; shows which were new and marks them read.
async fn page(State(ctx): State<Ctx>, mut nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let list = match ctx.app.inbox(&me, 50).await {
        Ok(list) => list,
        Err(e) => return nav.refusal(&nav.t("inbox-title"), e),
    };
    if let Some(newest) = list.first().filter(|_| list.iter().any(|m| m.read_at.is_none())) {
        match ctx.app.mark_inbox_read(&me, Some(&newest.id)).await {
            Ok(marked) => nav.unread_messages = (nav.unread_messages - i64::try_from(marked).unwrap_or(0)).max(0),
            Err(e) => return nav.refusal(&nav.t("inbox-title"), e),
        }
    }
    let lines = list
        .into_iter()
        .map(|m| Line {
            at: nav.near(m.created_at),
            unread: m.read_at.is_none(),
            link: if crate::accounts::safe_next(&m.link) == m.link { m.link } else { String::new() },
            subject: m.subject,
            body: m.body,
        })
        .collect();
    nav.finish(MessagesPage { nav: nav.clone(), lines }.into_response())
}
