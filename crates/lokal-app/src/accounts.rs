//! Accounts and sessions: register, log in, log out, and turning a token back into a caller.

use crate::secret::{hash_password, random_token, sha256_hex, verify_password};
use crate::{App, AppError};
use lokal_core::account::{DisplayName, Email, LoginId, Password, Phone};
use lokal_core::{ErrorCode, FieldError, Principal, UserId};
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
    /// Expiry, epoch ms.
    pub expires_at: i64,
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
    /// Creates a consumer account and logs it in.
    pub async fn register(&self, r: Registration, kind: SessionKind) -> Result<(UserRow, NewSession), AppError> {
        let user = self.create_account(r).await?;
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
            created_at: self.now().millis(),
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

    /// Checks a login and password and opens a session. Limited per client address (every
    /// attempt counts) and per account (failures count); over the limit answers `rate_limited`.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: Option<IpAddr>,
        kind: SessionKind,
    ) -> Result<(UserRow, NewSession), AppError> {
        let s = self.auth_settings().clone();
        if let Some(ip) = ip {
            self.rate_hit(&format!("login:ip:{ip}"), s.max_logins_per_ip, s.login_window_secs).await?;
        }
        let login = LoginId::parse("login", login)?;
        let account_bucket = format!("login:account:{}", sha256_hex(login.key().as_bytes()));
        let window = self.rate_hit(&account_bucket, s.max_failed_logins_per_account, s.login_window_secs).await?;
        let user = users::find_by_login(self.db().pool(), login.key()).await?;
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            // Verify against a decoy so that unknown logins take as long as known ones.
            None => DECOY.get_or_try_init(|| async { hash_password(random_token()?).await }).await?.clone(),
        };
        let matches = verify_password(password.to_owned(), hash).await?;
        match user {
            Some(u) if matches && !u.disabled => {
                // The account limit counts failures only: this attempt was counted up front.
                self.rate_refund(&account_bucket, window).await?;
                let session = self.open_session(u.id, kind).await?;
                tracing::info!(user_id = %u.id, "logged in");
                Ok((u, session))
            }
            _ => Err(AppError::new(ErrorCode::InvalidCredentials, "err-invalid-credentials")),
        }
    }

    /// Opens a session for `user`.
    pub async fn open_session(&self, user: UserId, kind: SessionKind) -> Result<NewSession, AppError> {
        let token = random_token()?;
        let now = self.now();
        let expires_at = now.plus_secs(self.auth_settings().session_ttl_hours * 3600).millis();
        let row = SessionRow {
            token_hash: sha256_hex(token.as_bytes()),
            user_id: user,
            kind: match kind {
                SessionKind::Web => "web".into(),
                SessionKind::Api => "api".into(),
            },
            created_at: now.millis(),
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
        let Some(session) = sessions::find_live(pool, &sha256_hex(token.as_bytes()), self.now().millis()).await? else {
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
