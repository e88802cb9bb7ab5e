//! E-mail behind the message gateway port: SMTP (`[smtp]`) by lettre, over STARTTLS (port 587,
//! the default), implicit TLS (465) or, for a relay on the same host, plain. The message is the
//! rendered text in the person's language with the link under it. A 4xx answer of the server
//! (or no answer) is tried again, a 5xx refuses the message for good.

use crate::outbound::{MessageGateway, Outgoing, SendError};
use crate::payments::BoxFuture;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lokal_core::notice::Channel;

/// `[smtp]`: the server that sends e-mail. Empty `host`: no e-mail.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// The server (`smtp.exmail.qq.com`); empty for no e-mail.
    pub host: String,
    /// Its port: 587 (STARTTLS), 465 (TLS), 25.
    pub port: u16,
    /// `starttls`, `tls`, or `none` (only for a relay on this host or a test sink).
    pub security: String,
    /// The login; empty for none.
    pub username: String,
    /// Its password: a secret, redacted when shown.
    pub password: String,
    /// The sender, `Lokal <noreply@lokal.example>`.
    pub from: String,
    /// Milliseconds a delivery may take.
    pub timeout_ms: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 587,
            security: "starttls".into(),
            username: String::new(),
            password: String::new(),
            from: String::new(),
            timeout_ms: 10_000,
        }
    }
}

impl SmtpSettings {
    /// These settings with the password replaced by `***`.
    pub fn redacted(&self) -> Self {
        let mut shown = self.clone();
        if !shown.password.is_empty() {
            shown.password = "***".into();
        }
        shown
    }
}

/// The SMTP gateway.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// A gateway for `settings` (checked now: a bad sender or security is an error at start).
    pub fn new(settings: &SmtpSettings) -> Result<Self, String> {
        let from: Mailbox = settings.from.parse().map_err(|e| format!("[smtp] from {:?}: {e}", settings.from))?;
        let host = settings.host.as_str();
        let builder = match settings.security.as_str() {
            "starttls" => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| format!("[smtp] host: {e}"))?
            }
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| format!("[smtp] host: {e}"))?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            other => return Err(format!("[smtp] security must be starttls, tls or none, not {other:?}")),
        };
        let mut builder =
            builder.port(settings.port).timeout(Some(std::time::Duration::from_millis(settings.timeout_ms.max(1))));
        if !settings.username.is_empty() {
            builder = builder.credentials(Credentials::new(settings.username.clone(), settings.password.clone()));
        }
        Ok(Self { transport: builder.build(), from })
    }
}

impl MessageGateway for Smtp {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let to: Mailbox = message.to.parse().map_err(|e| SendError::Refused(format!("the address: {e}")))?;
            let text = if message.link.is_empty() {
                message.body.clone()
            } else {
                format!("{}\n\n{}\n", message.body, message.link)
            };
            let email = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(message.subject.clone())
                .message_id(Some(format!("<{}@lokal>", message.id)))
                .header(ContentType::TEXT_PLAIN)
                .body(text)
                .map_err(|e| SendError::Refused(format!("the message: {e}")))?;
            match self.transport.send(email).await {
                Ok(answer) => Ok(answer.message().collect::<Vec<_>>().join(" ")),
                Err(e) if e.is_permanent() => Err(SendError::Refused(format!("the mail server refused it: {e}"))),
                Err(e) => Err(SendError::Retry(format!("the mail server: {e}"))),
            }
        })
    }
}
