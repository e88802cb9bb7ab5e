//! Daily reconciliation against each provider's bill: `lokal reconcile --date`, the daily job
//! and the operators' page run the same [`App::reconcile_day`]. The bill's lines are compared
//! with our payments, card recharges and refunds of the same Beijing day; every difference is
//! listed until an operator resolves it; the provider's fees for the day are posted once.

use crate::ledger::post;
use crate::{App, AppError};
use lokal_core::reconcile::{self, Difference, Line, LineKind};
use lokal_core::{ErrorCode, FieldError, Principal, Timestamp};
use lokal_store::reconciliations::{self as store, ItemRow, RunRow};
use std::collections::{HashMap, HashSet};

/// A day reconciled: its run and its differences (resolved ones too).
#[derive(Debug, Clone)]
pub struct Reconciled {
    /// The run.
    pub run: RunRow,
    /// The day's differences.
    pub items: Vec<ItemRow>,
}

/// Hours (Beijing time) after which yesterday's bills are there: WeChat Pay makes them after
/// 10:00.
const BILLS_READY_HOUR: i64 = 10;
/// Minutes before a failed day is tried again by the job.
const RETRY_MINUTES: i64 = 30;

fn describe(l: &Line) -> String {
    format!("¥{}.{:02} {}", l.amount / 100, (l.amount % 100).abs(), l.status)
}

/// The Beijing date of `t`, `YYYY-MM-DD`.
pub fn beijing_date(t: Timestamp) -> String {
    let shifted = Timestamp::from_millis(t.millis().saturating_add(8 * 3_600_000)).to_rfc3339();
    shifted.get(..10).unwrap_or_default().to_owned()
}

impl App {
    /// Operators: reconciles `provider`'s day `date` (`YYYY-MM-DD`) now.
    pub async fn reconcile(&self, caller: &Principal, provider: &str, date: &str) -> Result<Reconciled, AppError> {
        caller.require_admin()?;
        self.reconcile_day(provider, date).await
    }

    /// Reconciles `provider`'s day `date`: downloads its bill, compares, records the run, the
    /// bill's lines and the differences (replacing the day's unresolved ones; one an operator
    /// resolved stays resolved), and posts the day's fees once. A bill that cannot be had is a
    /// `failed` run and 503 `unavailable`.
    pub async fn reconcile_day(&self, provider: &str, date: &str) -> Result<Reconciled, AppError> {
        let gateway = self.gateway_named(provider).ok_or_else(|| AppError::not_found("payment provider"))?;
        let (from, to) = reconcile::beijing_day(date).ok_or_else(|| FieldError::new("date", "field-date"))?;
        let pool = self.db().pool();
        let now = self.now();
        if from > now {
            // A day to come has no trade and no bill.
            return Err(FieldError::new("date", "field-reconcile-day-to-come").into());
        }
        let mut run = RunRow {
            provider: provider.to_owned(),
            bill_date: date.to_owned(),
            status: "failed".into(),
            lines: 0,
            matched: 0,
            differences: 0,
            fees: 0,
            error: String::new(),
            ran_at: now,
        };
        let theirs = match gateway.bill(date).await {
            Ok(lines) => lines,
            Err(why) => {
                run.error = why.0;
                store::save_run(pool, &run).await?;
                let msg = lokal_core::Msg::new("err-bill-unavailable").with("why", run.error.as_str());
                return Err(AppError::new(ErrorCode::Unavailable, msg));
            }
        };
        let ours = store::our_lines(pool, provider, from, to).await?;
        let key = |l: &Line| (l.kind, l.reference.clone());
        let ours_keys: HashSet<(LineKind, String)> = ours.iter().map(key).collect();
        let mut elsewhere = HashMap::new();
        for t in theirs.iter().filter(|t| !ours_keys.contains(&key(t))) {
            if let Some(l) = store::our_line(pool, provider, t.kind, &t.reference).await? {
                elsewhere.insert(key(t), l);
            }
        }
        let compared = reconcile::compare(&ours, &theirs, |t| elsewhere.get(&key(t)).cloned());
        let ours_by_key: HashMap<(LineKind, String), &Line> = ours.iter().map(|o| (key(o), o)).collect();
        let theirs_by_key: HashMap<(LineKind, String), &Line> = theirs.iter().map(|t| (key(t), t)).collect();
        let mut items = Vec::new();
        let mut matched = compared.matched;
        for (kind, reference, d) in compared.differences {
            // A trade near midnight may be on the neighbouring day's bill.
            if d == Difference::MissingAtProvider
                && store::line_elsewhere(pool, provider, date, kind, &reference).await?
            {
                matched += 1;
                continue;
            }
            let k = (kind, reference.clone());
            let ours_line = ours_by_key.get(&k).copied().or_else(|| elsewhere.get(&k));
            items.push(ItemRow {
                id: uuid::Uuid::now_v7().to_string(),
                provider: provider.to_owned(),
                bill_date: date.to_owned(),
                kind: kind.as_str().to_owned(),
                reference,
                difference: d.kind().to_owned(),
                ours: ours_line.map(describe).unwrap_or_default(),
                theirs: theirs_by_key.get(&k).map(|t| describe(t)).unwrap_or_default(),
                created_at: now,
                resolved_at: None,
                resolved_by: None,
                note: String::new(),
            });
        }
        let fees = reconcile::fees_minor(&theirs);
        run = RunRow {
            status: "done".into(),
            lines: i64::try_from(theirs.len()).unwrap_or(i64::MAX),
            matched: i64::try_from(matched).unwrap_or(i64::MAX),
            differences: i64::try_from(items.len()).unwrap_or(i64::MAX),
            fees,
            ..run
        };
        let mut tx = self.db().begin().await?;
        // The run's row first: a second run of the same day (another process, an operator and the
        // job at once) waits here until this one commits, then sees its fees and differences.
        store::save_run(&mut *tx, &run).await?;
        store::save_lines(&mut tx, provider, date, &theirs).await?;
        store::replace_open_items(&mut tx, provider, date, &items).await?;
        let fee_ref = format!("{provider}:{date}");
        let costs = lokal_core::ledger::Account::PlatformCosts.to_string();
        let posted = lokal_store::ledger::entry_amount(&mut *tx, "fee", &fee_ref, &costs).await?;
        if fees != posted {
            // Only the change since the last run is posted, so a rerun never counts fees twice.
            let memo = format!("{provider} fees of {date}");
            post(&mut tx, "fee", &fee_ref, &memo, lokal_core::ledger::provider_fee(provider, fees - posted), now)
                .await?;
        }
        tx.commit().await?;
        let items = store::items(pool, Some((provider, date)), 10_000).await?;
        Ok(Reconciled { run, items })
    }

    /// Operators: the latest runs, newest day first.
    pub async fn reconciliation_runs(&self, caller: &Principal) -> Result<Vec<RunRow>, AppError> {
        caller.require_admin()?;
        Ok(store::recent_runs(self.db().pool(), 60).await?)
    }

    /// Operators: the differences not yet resolved, oldest first.
    pub async fn open_differences(&self, caller: &Principal) -> Result<Vec<ItemRow>, AppError> {
        caller.require_admin()?;
        Ok(store::items(self.db().pool(), None, 500).await?)
    }

    /// Operators: a difference was looked into; `note` says what was done (1 to 500 characters).
    /// Audited.
    pub async fn resolve_difference(&self, caller: &Principal, id: &str, note: &str) -> Result<(), AppError> {
        caller.require_admin()?;
        let note = lokal_core::field::line_of_text("note", note, 500, true)?;
        if !store::resolve(self.db().pool(), id, &caller.user_id.to_string(), &note, self.now()).await? {
            return Err(AppError::not_found("difference"));
        }
        self.audit(Some(caller.user_id), "reconciliation.resolve", format!("reconciliation_item:{id}"), note).await
    }

    /// The daily job: once it is past 10:00 in Beijing, each configured provider's yesterday is
    /// reconciled if it was not (a failed try is repeated after 30 minutes). Returns the days
    /// reconciled.
    pub async fn reconcile_due(&self) -> Result<usize, AppError> {
        let now = self.now();
        let beijing_hour = (now.millis().div_euclid(3_600_000) + 8).rem_euclid(24);
        if beijing_hour < BILLS_READY_HOUR {
            return Ok(0);
        }
        let yesterday = beijing_date(now.plus_secs(-86_400));
        let mut done = 0;
        let names: Vec<&'static str> = self.gateway_names();
        for provider in names {
            let last = store::run(self.db().pool(), provider, &yesterday).await?;
            let due = match &last {
                None => true,
                Some(r) => r.status == "failed" && r.ran_at.plus_secs(RETRY_MINUTES * 60) <= now,
            };
            if !due {
                continue;
            }
            match self.reconcile_day(provider, &yesterday).await {
                Ok(r) => {
                    done += 1;
                    if r.run.differences > 0 {
                        tracing::warn!(provider, day = %yesterday, differences = r.run.differences, "reconciliation found differences");
                    }
                }
                Err(e) => tracing::warn!(error = %e, provider, day = %yesterday, "reconciliation not run"),
            }
        }
        Ok(done)
    }
}
