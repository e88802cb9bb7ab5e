//! Messages that leave the box (issue K), through the signed webhook gateway to a local
//! receiver that verifies every signature: the voucher message carries the codes and an absolute
//! link to the QR page; a failing gateway is retried with backoff; the last failure (or a
//! refusal) makes a dead letter that operators list and send again.

use crate::commerce::{buy, create_deal, shop};
use crate::harness::TestApp;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

const SECRET: &str = "webhook-test-secret";

/// A gateway behind Lokal's webhook: it checks `Lokal-Signature`, answers the statuses it is
/// told to (then 200), and keeps what it took.
#[derive(Clone, Default)]
struct Receiver {
    answers: Arc<Mutex<VecDeque<u16>>>,
    taken: Arc<Mutex<Vec<Value>>>,
    forged: Arc<Mutex<usize>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let sig = headers.get("lokal-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let now = i64::try_from(now).expect("secs");
    if lokal_sms::webhook::verify(SECRET.as_bytes(), sig, &body, now, 300).is_err() {
        *r.forged.lock().expect("forged") += 1;
        return StatusCode::UNAUTHORIZED;
    }
    let status = r.answers.lock().expect("answers").pop_front().unwrap_or(200);
    if status == 200 {
        r.taken.lock().expect("taken").push(serde_json::from_slice(&body).expect("json"));
    }
    StatusCode::from_u16(status).expect("status")
}

async fn receiver() -> (Receiver, String) {
    let r = Receiver::default();
    let app = Router::new().fallback(receive).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

async fn spawn(url: &str, max_attempts: i64) -> TestApp {
    let url = url.to_owned();
    TestApp::spawn_config(move |c| {
        c.messages.webhook_url = url;
        // Only the vouchers' messages: the shop's staff invitations would go out too.
        c.messages.webhook = vec![lokal_core::notice::MessageKind::VoucherIssued];
        c.messages.webhook_secret = SECRET.into();
        c.messages.public_url = "https://lokal.example".into();
        c.messages.max_attempts = max_attempts;
        c.messages.timeout_ms = 500;
    })
    .await
}

/// The sends of the newest message to `user`, once none is due or being tried (the server's
/// worker runs on its own; a send being tried is leased for a minute, longer than any backoff
/// these tests reach).
async fn settle(app: &TestApp, user: &str) -> Vec<lokal_store::sends::SendRow> {
    for _ in 0..100 {
        let id: lokal_core::UserId = user.parse().expect("user id");
        let messages = lokal_store::outbox::for_user(app.app.db().pool(), id, 1).await.expect("messages");
        if let Some(m) = messages.first() {
            let sends = app.app.sends_of(&m.id).await.expect("sends");
            let now = app.app.now();
            let busy = sends
                .iter()
                .any(|s| s.status == "pending" && (s.next_attempt_at <= now || s.next_attempt_at > now.plus_secs(50)));
            if !sends.is_empty() && !busy {
                return sends;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the message was not tried");
}

/// A voucher bought: its message leaves the box once, signed, with the code, the deal and the
/// link to the voucher's QR page on this site's public address.
#[tokio::test]
async fn the_voucher_message_leaves_the_box_signed_with_its_code_and_qr_link() {
    let (r, url) = receiver().await;
    let app = spawn(&url, 8).await;
    let s = shop(&app, "Outbound").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, user) = app.user("sms@test.lokal").await;
    let order = buy(&app, &deal, &me, 1).await;
    let sends = settle(&app, &user).await;
    assert_eq!(
        sends.iter().map(|s| (s.channel.as_str(), s.status.as_str())).collect::<Vec<_>>(),
        [("webhook", "sent")]
    );
    let taken = r.taken.lock().expect("taken").clone();
    assert_eq!(taken.len(), 1, "{taken:?}");
    let m = &taken[0];
    let voucher = &order["vouchers"][0];
    let link = format!("https://lokal.example/me/vouchers#voucher-{}", voucher["id"].as_str().expect("voucher id"));
    assert_eq!((m["kind"].as_str(), m["link"].as_str()), (Some("voucher_issued"), Some(link.as_str())), "{m}");
    let code = voucher["code"].as_str().expect("code");
    assert_eq!(m["params"]["codes"].as_str(), Some(code));
    assert_eq!(m["params"]["link"].as_str(), Some(link.as_str()));
    assert!(m["body"].as_str().is_some_and(|b| b.contains(code)), "{m}");
    assert_eq!(*r.forged.lock().expect("forged"), 0);
}

/// A gateway that fails twice is tried again after 10 s and 20 s and then takes the message,
/// once; one that never takes it makes a dead letter after the last try, which an operator lists
/// and sends again; a refusal (4xx) is a dead letter at once.
#[tokio::test]
async fn failures_are_retried_with_backoff_and_the_last_one_makes_a_dead_letter_operators_resend() {
    let (r, url) = receiver().await;
    let app = spawn(&url, 3).await;
    let s = shop(&app, "Retrying").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, user) = app.user("retry-sms@test.lokal").await;
    r.answers.lock().expect("answers").extend([500, 503]);
    buy(&app, &deal, &me, 1).await;
    let first = settle(&app, &user).await;
    assert_eq!((first[0].status.as_str(), first[0].attempts), ("pending", 1), "{first:?}");
    app.clock.advance_secs(10);
    app.app.deliver_messages().await.expect("deliver");
    let second = settle(&app, &user).await;
    assert_eq!((second[0].status.as_str(), second[0].attempts), ("pending", 2));
    app.clock.advance_secs(19);
    assert_eq!(app.app.deliver_messages().await.expect("deliver").sent, 0, "not due before 20 s");
    app.clock.advance_secs(1);
    assert_eq!(app.app.deliver_messages().await.expect("deliver").sent, 1);
    assert_eq!(r.taken.lock().expect("taken").len(), 1);

    // Three failures: dead.
    r.answers.lock().expect("answers").extend([500, 500, 500]);
    buy(&app, &deal, &me, 1).await;
    settle(&app, &user).await;
    app.clock.advance_secs(10);
    app.app.deliver_messages().await.expect("deliver");
    app.clock.advance_secs(20);
    assert_eq!(app.app.deliver_messages().await.expect("deliver").dead, 1);
    let admin = app.admin().await;
    let dead = app.get("/api/v1/admin/dead-letters", Some(&admin)).await.json();
    let items = dead["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{dead}");
    assert_eq!(
        (items[0]["attempts"].as_i64(), items[0]["last_error"].as_str()),
        (Some(3), Some("the webhook answered 500"))
    );
    assert_eq!(app.get("/api/v1/admin/dead-letters", Some(&me)).await.status, 403);
    let retry = format!("/api/v1/admin/dead-letters/{}/retry", items[0]["id"].as_str().expect("id"));
    assert_eq!(app.post(&retry, &json!({}), Some(&admin)).await.status, 204);
    let sent = settle(&app, &user).await;
    assert_eq!(sent[0].status, "sent");
    assert_eq!(r.taken.lock().expect("taken").len(), 2);
    assert_eq!(app.post(&retry, &json!({}), Some(&admin)).await.status, 404, "not dead any more");

    // A refusal is final at once.
    r.answers.lock().expect("answers").push_back(422);
    buy(&app, &deal, &me, 1).await;
    let refused = settle(&app, &user).await;
    assert_eq!((refused[0].status.as_str(), refused[0].attempts), ("dead", 1));
}

/// A mail server on a local port that speaks enough SMTP for a client: it answers `MAIL FROM`
/// with the codes it is told to (then 250) and keeps each message's DATA.
#[derive(Clone, Default)]
struct Sink {
    answers: Arc<Mutex<VecDeque<u16>>>,
    mails: Arc<Mutex<Vec<String>>>,
}

async fn smtp_session(sink: Sink, stream: tokio::net::TcpStream) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" | "HELO" => "250 sink.test\r\n".to_owned(),
            "MAIL" => match sink.answers.lock().expect("answers").pop_front() {
                Some(451) => "451 4.3.0 try again later\r\n".to_owned(),
                Some(550) => "550 5.1.1 no such mailbox\r\n".to_owned(),
                _ => "250 2.1.0 ok\r\n".to_owned(),
            },
            "RCPT" | "RSET" | "NOOP" => "250 ok\r\n".to_owned(),
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                while let Some(l) = lines.next_line().await? {
                    if l == "." {
                        break;
                    }
                    data.push_str(&l);
                    data.push('\n');
                }
                sink.mails.lock().expect("mails").push(data);
                "250 2.0.0 queued\r\n".to_owned()
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 what\r\n".to_owned(),
        };
        write.write_all(answer.as_bytes()).await?;
    }
    Ok(())
}

async fn sink() -> (Sink, u16) {
    let s = Sink::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let served = s.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(smtp_session(served.clone(), stream));
        }
    });
    (s, port)
}

/// The voucher e-mail goes to the buyer's address through SMTP, in their language, with the code
/// and the QR page's link; a server that says "try later" (451) is tried again, one that refuses
/// the mailbox (550) makes a dead letter at once.
#[tokio::test]
async fn the_voucher_e_mail_goes_out_by_smtp_and_a_temporary_refusal_is_retried() {
    let (mails, port) = sink().await;
    let app = TestApp::spawn_config(move |c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.security = "none".into();
        c.smtp.from = "Lokal <noreply@lokal.example>".into();
        c.smtp.timeout_ms = 2_000;
        c.messages.email = vec![lokal_core::notice::MessageKind::VoucherIssued];
        c.messages.public_url = "https://lokal.example".into();
    })
    .await;
    let s = shop(&app, "Mailing").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, user) = app.user("mail@test.lokal").await;
    let order = buy(&app, &deal, &me, 1).await;
    let sent = settle(&app, &user).await;
    assert_eq!(sent.iter().map(|s| (s.channel.as_str(), s.status.as_str())).collect::<Vec<_>>(), [("email", "sent")]);
    let mail = mails.mails.lock().expect("mails")[0].clone();
    let code = order["vouchers"][0]["code"].as_str().expect("code");
    assert!(mail.contains("To: mail@test.lokal") && mail.contains("From: Lokal <noreply@lokal.example>"), "{mail}");
    assert!(mail.contains("Subject: =?utf-8?"), "a Chinese subject, encoded: {mail}");
    assert!(mail.contains("Content-Transfer-Encoding: base64"), "{mail}");
    let (_, encoded) = mail.split_once("\n\n").expect("headers, then the body");
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.decode(encoded.replace('\n', "")).expect("base64");
    let body = String::from_utf8(body).expect("utf-8");
    let link =
        format!("https://lokal.example/me/vouchers#voucher-{}", order["vouchers"][0]["id"].as_str().expect("id"));
    assert!(body.contains(code) && body.contains("券码") && body.contains(&link), "{body}");
    mails.answers.lock().expect("answers").push_back(451);
    buy(&app, &deal, &me, 1).await;
    let later = settle(&app, &user).await;
    assert_eq!((later[0].status.as_str(), later[0].attempts), ("pending", 1));
    app.clock.advance_secs(10);
    assert_eq!(app.app.deliver_messages().await.expect("deliver").sent, 1);
    mails.answers.lock().expect("answers").push_back(550);
    buy(&app, &deal, &me, 1).await;
    let refused = settle(&app, &user).await;
    assert_eq!((refused[0].status.as_str(), refused[0].attempts), ("dead", 1), "{refused:?}");
    assert_eq!(mails.mails.lock().expect("mails").len(), 2);
}

const ALIYUN_ID: &str = "LTAI5tTestAccessKey";
const ALIYUN_SECRET: &str = "aliyun-test-secret";

/// A fake Alibaba Cloud SMS (`SendSms`): it verifies each request's RPC signature with the
/// AccessKey secret (`SignatureDoesNotMatch` otherwise), answers the codes it is told to (then
/// `OK`) and keeps what it sent: (number, sign name, template, template variables).
#[derive(Clone, Default)]
struct FakeAliyun {
    answers: Arc<Mutex<VecDeque<&'static str>>>,
    sent: Arc<Mutex<Vec<Texted>>>,
}

/// A text as sent: (number, sign name, template, template variables).
type Texted = (String, String, String, Value);

async fn aliyun_send(State(f): State<FakeAliyun>, body: String) -> axum::Json<Value> {
    use lokal_sms::aliyun;
    let answer = |r: aliyun::SendSmsResponse| axum::Json(serde_json::to_value(r).expect("json"));
    let Ok(params) = aliyun::parse_query(&body) else {
        return answer(aliyun::SendSmsResponse::error("MissingParameter", "body", "r"));
    };
    if aliyun::verify(ALIYUN_SECRET, "POST", &params).is_err() {
        return answer(aliyun::SendSmsResponse::error("SignatureDoesNotMatch", "signature", "r"));
    }
    let Ok((sms, _)) = aliyun::SendSms::from_params(&params) else {
        return answer(aliyun::SendSmsResponse::error("MissingParameter", "params", "r"));
    };
    if let Some(code) = f.answers.lock().expect("answers").pop_front() {
        return answer(aliyun::SendSmsResponse::error(code, "as told", "r"));
    }
    let vars = serde_json::from_str(sms.template_param.as_deref().unwrap_or("{}")).expect("TemplateParam is JSON");
    f.sent.lock().expect("sent").push((sms.phone_numbers, sms.sign_name, sms.template_code, vars));
    answer(aliyun::SendSmsResponse::ok("900619746936498440^0", "r"))
}

/// A voucher bought by a buyer with a phone is texted through Alibaba Cloud SMS: the approved
/// template with the code and the QR page's link, the number without +86, every request signed;
/// a flow-control refusal is tried again, an illegal number is a dead letter at once.
#[tokio::test]
async fn the_voucher_sms_goes_out_through_alibaba_cloud_with_its_template_and_signature() {
    let fake = FakeAliyun::default();
    let router = Router::new().fallback(axum::routing::post(aliyun_send)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let app = TestApp::spawn_config(move |c| {
        c.sms.provider = "aliyun".into();
        c.sms.access_key_id = ALIYUN_ID.into();
        c.sms.access_key_secret = ALIYUN_SECRET.into();
        c.sms.sign_name = "Lokal本地生活".into();
        c.sms.templates.insert("voucher_issued".into(), "SMS_465930123".into());
        c.sms.endpoint = endpoint;
        c.sms.timeout_ms = 2_000;
        c.messages.public_url = "https://lokal.example".into();
    })
    .await;
    let s = shop(&app, "Texting").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let user = lokal_store::users::UserRow {
        id: lokal_core::UserId::generate(),
        email: None,
        phone: Some("+8613800138000".into()),
        password_hash: "!".into(),
        display_name: "手机用户".into(),
        created_at: app.app.now(),
        disabled: false,
        lang: None,
    };
    lokal_store::users::insert(app.app.db().pool(), &user).await.expect("user");
    let session = app.app.open_session(user.id, lokal_app::accounts::SessionKind::Api).await.expect("session");
    let (me, id) = (session.token, user.id.to_string());
    let order = buy(&app, &deal, &me, 1).await;
    let sends = settle(&app, &id).await;
    assert_eq!(sends.iter().map(|s| (s.channel.as_str(), s.status.as_str())).collect::<Vec<_>>(), [("sms", "sent")]);
    let sent = fake.sent.lock().expect("sent").clone();
    let (number, sign, template, vars) = &sent[0];
    assert_eq!((number.as_str(), sign.as_str(), template.as_str()), ("13800138000", "Lokal本地生活", "SMS_465930123"));
    let link =
        format!("https://lokal.example/me/vouchers#voucher-{}", order["vouchers"][0]["id"].as_str().expect("id"));
    assert_eq!(vars["codes"].as_str(), order["vouchers"][0]["code"].as_str());
    assert_eq!((vars["link"].as_str(), vars["quantity"].as_str()), (Some(link.as_str()), Some("1")), "{vars}");
    assert_eq!(sends[0].provider_ref, "900619746936498440^0");

    fake.answers.lock().expect("answers").push_back("isv.BUSINESS_LIMIT_CONTROL");
    buy(&app, &deal, &me, 1).await;
    let limited = settle(&app, &id).await;
    assert_eq!((limited[0].status.as_str(), limited[0].attempts), ("pending", 1));
    assert!(limited[0].last_error.contains("isv.BUSINESS_LIMIT_CONTROL"), "{limited:?}");
    app.clock.advance_secs(10);
    assert_eq!(app.app.deliver_messages().await.expect("deliver").sent, 1);
    fake.answers.lock().expect("answers").push_back("isv.MOBILE_NUMBER_ILLEGAL");
    buy(&app, &deal, &me, 1).await;
    let illegal = settle(&app, &id).await;
    assert_eq!((illegal[0].status.as_str(), illegal[0].attempts), ("dead", 1), "{illegal:?}");
    assert_eq!(fake.sent.lock().expect("sent").len(), 2);
}
