//! Typed configuration: defaults that run, then a TOML file, then `LOKAL_<SECTION>_<KEY>`
//! environment variables, then command-line flags. `lokal print-config` shows the result with
//! secrets redacted.

use anyhow::{Context, bail};
use lokal_app::AuthSettings;
use lokal_app::payments::PaymentSettings;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The whole configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where to listen.
    pub server: ServerConfig,
    /// Which database.
    pub database: DatabaseConfig,
    /// Sessions and login limits.
    pub auth: AuthSettings,
    /// Payment windows and the sandbox gateway.
    pub payments: PaymentSettings,
    /// WeChat Pay API v3 credentials (`lokal payments check` verifies them).
    pub wechatpay: lokal_pay::wechatpay::Settings,
    /// Which messages leave the box on which channel; the webhook gateway.
    pub messages: lokal_app::outbound::MessageSettings,
    /// The mail server that sends e-mail.
    pub smtp: lokal_app::email::SmtpSettings,
    /// The SMS gateway and its templates.
    pub sms: lokal_app::sms::SmsSettings,
    /// Riders' pay, dispatch and tracking.
    pub delivery: lokal_app::delivery_settings::DeliverySettings,
    /// Default language and the city's time zone.
    pub site: lokal_app::site::SiteSettings,
    /// Where photos are kept.
    pub media: lokal_app::media::MediaSettings,
    /// Map tiles.
    pub maps: lokal_app::site::MapSettings,
    /// Logging.
    pub log: LogConfig,
    /// The settings given in the file or the environment (`section.key`), as opposed to defaults.
    #[serde(skip)]
    pub given: std::collections::BTreeSet<String>,
}

/// `[server]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to bind (`127.0.0.1`; `0.0.0.0` to accept remote clients).
    pub host: String,
    /// Port to bind (0 picks a free one).
    pub port: u16,
    /// A separate `host:port` serving `/metrics` to anyone who reaches it (a private network for
    /// the scraper); empty: `/metrics` is served on the main address to operators only.
    pub metrics_addr: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { host: "127.0.0.1".into(), port: 8080, metrics_addr: String::new() }
    }
}

/// `[database]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…` or `sqlite://…`; when empty, a SQLite file in `data_dir`.
    pub url: String,
    /// Directory for the embedded database and other local state.
    pub data_dir: PathBuf,
    /// Connection pool size.
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self { url: String::new(), data_dir: PathBuf::from("./lokal-data"), max_connections: 10 }
    }
}

/// `[log]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `lokal=debug,sqlx=warn`. `RUST_LOG` wins if set.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { filter: "info,sqlx=warn".into() }
    }
}

impl Config {
    /// Loads defaults, then `file` (if given, or `lokal.toml` if it exists), then `env` pairs
    /// named `LOKAL_<SECTION>_<KEY>`. Other `LOKAL_*` names are ignored.
    pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> anyhow::Result<Config> {
        let mut table = toml::Table::try_from(Config::default()).context("serialising defaults")?;
        let mut given = std::collections::BTreeSet::new();
        let default_file = Path::new("lokal.toml");
        let file = file.or_else(|| default_file.exists().then_some(default_file));
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let from_file: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
            for (section, values) in from_file {
                match (table.get_mut(&section), values) {
                    (Some(toml::Value::Table(t)), toml::Value::Table(v)) => {
                        given.extend(v.keys().map(|k| format!("{section}.{k}")));
                        t.extend(v);
                    }
                    _ => bail!("{}: unknown section [{section}]", path.display()),
                }
            }
        }
        for (name, value) in env {
            let Some(rest) = name.strip_prefix("LOKAL_") else {
                continue;
            };
            let rest = rest.to_lowercase();
            let Some((section, key)) = rest.split_once('_') else {
                continue;
            };
            let Some(toml::Value::Table(t)) = table.get_mut(section) else {
                continue;
            };
            let typed = match t.get(key) {
                Some(toml::Value::Integer(_)) => {
                    toml::Value::Integer(value.parse().with_context(|| format!("{name} must be an integer"))?)
                }
                Some(toml::Value::Boolean(_)) => {
                    toml::Value::Boolean(value.parse().with_context(|| format!("{name} must be true or false"))?)
                }
                Some(_) => toml::Value::String(value),
                None => bail!("{name}: unknown setting {section}.{key}"),
            };
            t.insert(key.to_owned(), typed);
            given.insert(format!("{section}.{key}"));
        }
        let mut config: Config = toml::Value::Table(table).try_into().context("invalid configuration")?;
        config.given = given;
        Ok(config)
    }

    /// Settles the defaults that depend on how the server runs, unless the file or the
    /// environment gave them: `--demo` pays through the sandbox; cookies are `Secure` (and HSTS
    /// is sent) unless the server listens on loopback or runs the demo. Refuses the sandbox on
    /// a production site.
    pub fn settle_for_serving(&mut self, demo: bool) -> anyhow::Result<()> {
        if demo && !self.given.contains("payments.provider") {
            self.payments.provider = "sandbox".into();
        }
        if !self.given.contains("auth.secure_cookies") {
            self.auth.secure_cookies = !(demo || is_loopback(&self.server.host));
        }
        if !["", "sandbox", "wechatpay"].contains(&self.payments.provider.as_str()) {
            bail!("[payments] provider must be \"wechatpay\", \"sandbox\" or empty, not {:?}", self.payments.provider);
        }
        if self.site.production && self.payments.provider == "sandbox" {
            bail!("[site] production = true: the sandbox payment gateway cannot be used (set [payments] provider)");
        }
        Ok(())
    }

    /// Where photos are kept: the configured directory, or `media/` in the data directory.
    pub fn media_dir(&self) -> PathBuf {
        if self.media.dir.is_empty() { self.database.data_dir.join("media") } else { PathBuf::from(&self.media.dir) }
    }

    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.database.data_dir.join("lokal.db").display())
        } else {
            self.database.url.clone()
        }
    }

    /// The configuration as TOML with the database password replaced by `***`.
    pub fn redacted_toml(&self) -> anyhow::Result<String> {
        let mut shown = self.clone();
        shown.database.url = redact_url(&shown.database.url);
        if !shown.payments.sandbox_secret.is_empty() {
            shown.payments.sandbox_secret = "***".into();
        }
        shown.wechatpay = shown.wechatpay.redacted();
        shown.messages = shown.messages.redacted();
        shown.smtp = shown.smtp.redacted();
        shown.sms = shown.sms.redacted();
        Ok(toml::to_string_pretty(&shown)?)
    }
}

/// Whether `host` (an address to listen on) is this machine only.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; a `password=` query
/// parameter is hidden too.
pub fn redact_url(url: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            // The authority ends at the first '/' after the last '@' (a password may hold '@').
            let (authority, path) = match rest.rfind('@') {
                Some(at) => rest[at..].find('/').map_or((rest, ""), |slash| rest.split_at(at + slash)),
                None => (rest, ""),
            };
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
                    None => base.to_owned(),
                },
                None => base.to_owned(),
            }
        }
        None => base.to_owned(),
    };
    match query {
        Some(q) => {
            let q: Vec<String> = q
                .split('&')
                .map(|kv| {
                    if kv.to_ascii_lowercase().starts_with("password=") {
                        String::from("password=***")
                    } else {
                        kv.to_owned()
                    }
                })
                .collect();
            format!("{base}?{}", q.join("&"))
        }
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn defaults_run_on_sqlite_at_port_8080() {
        let c = Config::load(None, env(&[])).expect("defaults");
        assert_eq!((c.server.host.as_str(), c.server.port), ("127.0.0.1", 8080));
        assert_eq!(c.database_url(), "sqlite://./lokal-data/lokal.db?mode=rwc");
    }

    #[test]
    fn file_then_environment_override_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lokal.toml");
        std::fs::write(&path, "[server]\nport = 9000\nhost = \"0.0.0.0\"\n[auth]\nmax_logins_per_ip = 5\n")
            .expect("write");
        let c = Config::load(
            Some(&path),
            env(&[
                ("LOKAL_SERVER_PORT", "9100"),
                ("LOKAL_DATABASE_URL", "postgres://u:pw@h/db"),
                ("LOKAL_TEST_DATABASE_URL", "ignored"),
            ]),
        )
        .expect("load");
        assert_eq!(c.server.port, 9100);
        assert_eq!(c.server.host, "0.0.0.0");
        assert_eq!(c.auth.max_logins_per_ip, 5);
        assert_eq!(c.database_url(), "postgres://u:pw@h/db");
    }

    #[test]
    fn typos_and_bad_values_are_errors() {
        assert!(Config::load(None, env(&[("LOKAL_SERVER_PROT", "1")])).is_err());
        assert!(Config::load(None, env(&[("LOKAL_SERVER_PORT", "eighty")])).is_err());
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[sever]\nport = 1\n").expect("write");
        assert!(Config::load(Some(&path), env(&[])).is_err());
    }

    #[test]
    fn redaction_handles_at_signs_and_query_passwords() {
        assert_eq!(redact_url("postgres://u:p@ss@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=x&sslmode=require"),
            "postgres://h/db?user=u&password=***&sslmode=require"
        );
        assert_eq!(redact_url("sqlite://./lokal-data/lokal.db?mode=rwc"), "sqlite://./lokal-data/lokal.db?mode=rwc");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn printed_configuration_hides_the_database_password() {
        let c =
            Config::load(None, env(&[("LOKAL_DATABASE_URL", "postgres://lokal:s3cret@db:5432/lokal")])).expect("load");
        let text = c.redacted_toml().expect("toml");
        assert!(text.contains("postgres://lokal:***@db:5432/lokal"));
        assert!(!text.contains("s3cret"));
    }
}
