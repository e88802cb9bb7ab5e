//! Accounts and sessions: register, log in, log out, and turning a token back into a caller.

use crate::secret::{hash_password, random_token, sha256_hex, verify_password};
use crate::{App, AppError};
use lokal_core::account::{DisplayName, Email, LoginId, Password, Phone};
use lokal_core::{ErrorCode, FieldError, Principal, Timestamp, UserId};
use lokal_store::sessions::{self, SessionRow};
use lokal_store::users::{self, UserRow};
use lokal_store::{StoreError, grants};
use std::net::IpAddr;
use tokio::sync::OnceCell;

/// What a person fills in to register.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    /// E-mail address (this or `phone` is required).
    pub email: Option<String>,
    /// Phone number (this or `email` is required).
    pub phone: Option<String>,
    /// The password, 8 to 128 characters.
    pub password: String,
    /// Shown name; defaults to the part of the e-mail before `@` or the phone's last digits.
    pub display_name: Option<String>,
}

/// How the session is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser cookie (pages).
    Web,
    /// A bearer token (the API).
    Api,
}

/// A new session: the secret token is returned once and only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The bearer token or cookie value.
    pub token: String,
    /// When it expires.
    pub expires_at: Timestamp,
}

/// An authenticated request's caller and session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who, with their grants.
    pub principal: Principal,
    /// The session used.
    pub session: SessionRow,
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.filter(|v| !v.trim().is_empty())
}

static DECOY: OnceCell<String> = OnceCell::const_new();

impl App {
    /// Creates a consumer account and logs it in. Sign-ups are limited per client address
    /// (`max_signups_per_ip` an hour) and per browser (`max_signups_per_device` a day, by its
    /// device cookie, when it sends one): a sign-up that fails does not count.
    pub async fn register(
        &self,
        r: Registration,
        kind: SessionKind,
        ip: Option<IpAddr>,
        device: Option<&str>,
    ) -> Result<(UserRow, NewSession), AppError> {
        let s = self.auth_settings();
        let mut counted = Vec::new();
        if let Some(ip) = ip {
            let bucket = format!("signup:ip:{ip}");
            counted.push((bucket.clone(), self.rate_hit(&bucket, s.max_signups_per_ip, 3_600).await?));
        }
        if let Some(device) = device.filter(|d| !d.is_empty()) {
            let bucket = format!("signup:device:{}", sha256_hex(device.as_bytes()));
            match self.rate_hit(&bucket, s.max_signups_per_device, 86_400).await {
                Ok(start) => counted.push((bucket, start)),
                Err(e) => {
                    for (b, start) in &counted {
                        self.rate_refund(b, *start).await?;
                    }
                    return Err(e);
                }
            }
        }
        let user = match self.create_account(r).await {
            Ok(u) => u,
            Err(e) => {
                for (b, start) in &counted {
                    self.rate_refund(b, *start).await?;
                }
                return Err(e);
            }
        };
        let session = self.open_session(user.id, kind).await?;
        Ok((user, session))
    }

    /// Creates a consumer account without logging it in (seeding, `lokal admin create`).
    pub async fn create_account(&self, r: Registration) -> Result<UserRow, AppError> {
        let email = blank_to_none(r.email).map(|e| Email::parse("email", &e)).transpose()?;
        let phone = blank_to_none(r.phone).map(|p| Phone::parse("phone", &p)).transpose()?;
        if email.is_none() && phone.is_none() {
            return Err(FieldError::new("email", "field-email-or-phone-required").into());
        }
        let password = Password::parse("password", &r.password)?;
        let default_name = match (&email, &phone) {
            (Some(e), _) => e.as_str().split('@').next().unwrap_or("user").chars().take(64).collect(),
            (None, Some(p)) => format!("user{}", &p.as_str()[p.as_str().len().saturating_sub(4)..]),
            (None, None) => String::from("user"),
        };
        let name = DisplayName::parse("display_name", &blank_to_none(r.display_name).unwrap_or(default_name))?;
        let user = UserRow {
            id: UserId::generate(),
            email: email.map(|e| e.as_str().to_owned()),
            phone: phone.map(|p| p.as_str().to_owned()),
            password_hash: hash_password(password.expose().to_owned()).await?,
            display_name: name.as_str().to_owned(),
            created_at: self.now(),
            disabled: false,
            lang: None,
        };
        users::insert(self.db().pool(), &user).await.map_err(|e| match e {
            e if e.is_unique("users_email_key") => {
                AppError { field: Some("email".into()), ..AppError::new(ErrorCode::EmailTaken, "err-email-taken") }
            }
            e if e.is_unique("users_phone_key") => {
                AppError { field: Some("phone".into()), ..AppError::new(ErrorCode::PhoneTaken, "err-phone-taken") }
            }
            e => e.into(),
        })?;
        tracing::info!(user_id = %user.id, "account registered");
        Ok(user)
    }

    /// Checks a login and password and opens a session. Two limits, neither of which can lock
    /// the rightful person out for long:
    ///
    /// - per client address, every attempt counts up front (so parallel guesses cannot exceed
    ///   it) and a successful login is taken back: people who log in do not use up their
    ///   office's or their carrier's address;
    /// - per account (the account, whichever of its e-mail or phone was typed; an unknown login
    ///   by what was typed), `max_failed_logins_per_account` attempts go ahead freely; after them
    ///   one attempt at a time is let through, each after a delay that doubles (1 s, 2 s, 4 s, …,
    ///   at most `login_delay_cap_secs`), and the others are answered `rate_limited` with the
    ///   wait. The right password, once let through, always logs in and clears the count.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: Option<IpAddr>,
        kind: SessionKind,
    ) -> Result<(UserRow, NewSession), AppError> {
        let s = self.auth_settings().clone();
        let ip_window = match ip {
            Some(ip) => {
                let bucket = format!("login:ip:{ip}");
                let start = self.rate_hit(&bucket, s.max_logins_per_ip, s.login_window_secs).await?;
                Some((bucket, start))
            }
            None => None,
        };
        let login = LoginId::parse("login", login)?;
        let user = users::find_by_login(self.db().pool(), login.key()).await?;
        let key = match &user {
            Some(u) => format!("login:user:{}", u.id),
            None => format!("login:unknown:{}", sha256_hex(login.key().as_bytes())),
        };
        self.login_gate(&key, &s).await?;
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            // Verify against a decoy so that unknown logins take as long as known ones.
            None => DECOY.get_or_try_init(|| async { hash_password(random_token()?).await }).await?.clone(),
        };
        let matches = verify_password(password.to_owned(), hash).await?;
        match user {
            Some(u) if matches && !u.disabled => {
                let pool = self.db().pool();
                lokal_store::rate_limits::clear(pool, &format!("{key}:failures")).await?;
                lokal_store::rate_limits::clear(pool, &format!("{key}:gate")).await?;
                if let Some((bucket, start)) = ip_window {
                    self.rate_refund(&bucket, start).await?;
                }
                let session = self.open_session(u.id, kind).await?;
                tracing::info!(user_id = %u.id, "logged in");
                Ok((u, session))
            }
            _ => Err(AppError::new(ErrorCode::InvalidCredentials, "err-invalid-credentials")),
        }
    }

    /// Counts a login attempt on the account `key` and decides whether it may go ahead (see
    /// [`App::login`]); a refused attempt is not counted.
    async fn login_gate(&self, key: &str, s: &crate::AuthSettings) -> Result<(), AppError> {
        let (start, _) = self.window(s.login_window_secs);
        let failures = format!("{key}:failures");
        let n = lokal_store::rate_limits::hit(self.db().pool(), &failures, start).await?;
        let free = s.max_failed_logins_per_account.max(0);
        if n <= free {
            return Ok(());
        }
        let cap_ms = s.login_delay_cap_secs.max(1).saturating_mul(1000);
        let delay_ms =
            1000i64.checked_shl(u32::try_from(n - free - 1).unwrap_or(u32::MAX).min(40)).unwrap_or(cap_ms).min(cap_ms);
        let now = self.now().millis();
        let gate = format!("{key}:gate");
        if lokal_store::rate_limits::pass_gate(self.db().pool(), &gate, start, now, now + delay_ms).await? {
            return Ok(());
        }
        self.rate_refund(&failures, start).await?;
        let open_at = lokal_store::rate_limits::count(self.db().pool(), &gate, start).await?;
        Err(AppError::rate_limited((open_at - now + 999).div_euclid(1000).max(1)))
    }

    /// Opens a session for `user`.
    pub async fn open_session(&self, user: UserId, kind: SessionKind) -> Result<NewSession, AppError> {
        let token = random_token()?;
        let now = self.now();
        let expires_at = now.plus_secs(self.auth_settings().session_ttl_hours * 3600);
        let row = SessionRow {
            token_hash: sha256_hex(token.as_bytes()),
            user_id: user,
            kind: match kind {
                SessionKind::Web => "web".into(),
                SessionKind::Api => "api".into(),
            },
            created_at: now,
            expires_at,
        };
        sessions::insert(self.db().pool(), &row).await?;
        Ok(NewSession { token, expires_at })
    }

    /// Ends the session of `token`. Ending an unknown session is not an error.
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        sessions::delete(self.db().pool(), &sha256_hex(token.as_bytes())).await?;
        Ok(())
    }

    /// The caller behind a token, if it is a live session of an enabled account.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Authenticated>, AppError> {
        let pool = self.db().pool();
        let Some(session) = sessions::find_live(pool, &sha256_hex(token.as_bytes()), self.now()).await? else {
            return Ok(None);
        };
        let grants = grants::for_user(pool, session.user_id).await?;
        Ok(Some(Authenticated { principal: Principal { user_id: session.user_id, grants }, session }))
    }

    /// The caller's own account.
    pub async fn me(&self, caller: &Principal) -> Result<UserRow, AppError> {
        users::get_by_id(self.db().pool(), caller.user_id).await?.ok_or_else(|| AppError::not_found("user"))
    }

    /// Saves the caller's language (`zh-CN` or `en`), or with `None` forgets it (pages then
    /// follow the `lang` cookie and the browser).
    pub async fn set_language(
        &self,
        caller: &Principal,
        lang: Option<&str>,
    ) -> Result<Option<lokal_i18n::Lang>, AppError> {
        let lang = match lang {
            None => None,
            Some(tag) => Some(
                lokal_i18n::Lang::parse(tag)
                    .ok_or_else(|| lokal_core::FieldError::new("lang", lokal_core::Msg::new("field-lang-unknown")))?,
            ),
        };
        if !users::set_lang(self.db().pool(), caller.user_id, lang.map(lokal_i18n::Lang::tag)).await? {
            return Err(AppError::not_found("user"));
        }
        Ok(lang)
    }
}

/// Maps "no such row" style store errors for lookups by id.
pub(crate) fn unique_conflict(e: StoreError, constraint: &str, message: lokal_core::Msg) -> AppError {
    if e.is_unique(constraint) { AppError::new(ErrorCode::Conflict, message) } else { e.into() }
}
