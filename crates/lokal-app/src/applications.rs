//! Joining the platform: a business applies (name, licence, category, contact, first store); an
//! operator approves — which creates the merchant, makes the applicant its owner and opens the
//! first store — or rejects with a reason. The applicant follows the status.

use crate::page::{Page, PageRequest};
use crate::stores::StoreView;
use crate::{App, AppError};
use lokal_core::ApprovalStatus;
use lokal_core::account::{DisplayName, Phone};
use lokal_core::store::{Category, StoreProfile, StoreProfileJson};
use lokal_core::{ErrorCode, FieldError, MerchantId, Principal};
use lokal_store::applications::{self, ApplicationRow};

/// What a business sends to apply.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationJson {
    /// The business (brand) name, 1 to 64 characters.
    #[schema(example = "Sichuan Noodle Bar")]
    pub business_name: String,
    /// Business licence number (the 18-character unified social credit code in China; 5 to 32
    /// letters, digits or dashes elsewhere).
    #[schema(example = "91310101MA1FPX1234")]
    pub licence_number: String,
    /// Main category.
    #[schema(example = "food")]
    pub category: String,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone.
    pub contact_phone: String,
    /// The first store's profile.
    pub first_store: StoreProfileJson,
}

/// Where an application stands.
pub type Application = ApplicationRow;

fn check_licence(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_uppercase();
    if !(5..=32).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(FieldError::new("licence_number", "field-licence-number"));
    }
    Ok(s)
}

impl App {
    /// Files an application for the caller. Refused while another one for the same licence is
    /// pending.
    pub async fn apply_for_merchant(&self, caller: &Principal, a: ApplicationJson) -> Result<Application, AppError> {
        let business_name = DisplayName::parse("business_name", &a.business_name)?;
        let licence_number = check_licence(&a.licence_number)?;
        let category = Category::parse("category", &a.category)?;
        let contact_name = DisplayName::parse("contact_name", &a.contact_name)?;
        let contact_phone = Phone::parse("contact_phone", &a.contact_phone)?;
        let first_store = serde_json::to_string(&a.first_store).map_err(AppError::internal)?;
        StoreProfile::parse(a.first_store).map_err(|e| e.under("first_store"))?;
        let row = ApplicationRow {
            id: uuid::Uuid::now_v7().to_string(),
            applicant_id: caller.user_id,
            business_name: business_name.as_str().to_owned(),
            licence_number,
            category: category.as_str().to_owned(),
            contact_name: contact_name.as_str().to_owned(),
            contact_phone: contact_phone.as_str().to_owned(),
            first_store,
            status: ApprovalStatus::Pending,
            reason: None,
            merchant_id: None,
            created_at: self.now(),
            decided_at: None,
            decided_by: None,
        };
        applications::insert(self.db().pool(), &row).await.map_err(|e| {
            if e.is_unique("merchant_applications_licence_number_key") {
                AppError {
                    field: Some("licence_number".into()),
                    ..AppError::new(ErrorCode::Conflict, "err-application-pending")
                }
            } else {
                e.into()
            }
        })?;
        Ok(row)
    }

    /// The caller's own applications, oldest first.
    pub async fn my_applications(&self, caller: &Principal) -> Result<Vec<Application>, AppError> {
        Ok(applications::list(self.db().pool(), None, Some(caller.user_id), None, 100).await?)
    }

    /// The queue for operators: applications with `status` (all when `None`), a page at a time.
    pub async fn applications(
        &self,
        caller: &Principal,
        status: Option<&str>,
        page: PageRequest<String>,
    ) -> Result<Page<Application>, AppError> {
        caller.require_admin()?;
        let status = status.map(|s| ApprovalStatus::parse_field("status", s)).transpose()?;
        let rows = applications::list(self.db().pool(), status, None, page.after.as_deref(), page.limit + 1).await?;
        Ok(Page::from_overfetch(rows, page.limit, |a| a.id.clone()))
    }

    /// Approves a pending application: creates the merchant, makes the applicant its owner and
    /// opens the first store. Exactly one of several concurrent decisions wins; the others get
    /// `conflict`.
    pub async fn approve_application(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<(Application, MerchantId, StoreView), AppError> {
        caller.require_admin()?;
        let app = self.pending(id).await?;
        if !applications::decide(self.db().pool(), id, ApprovalStatus::Approved, None, caller.user_id, self.now())
            .await?
        {
            return Err(AppError::new(ErrorCode::Conflict, "err-application-decided"));
        }
        match self.open_merchant_for(caller, &app).await {
            Ok((merchant, store)) => {
                applications::set_merchant(self.db().pool(), id, merchant).await?;
                let decided = applications::get_by_id(self.db().pool(), id)
                    .await?
                    .ok_or_else(|| AppError::not_found("application"))?;
                Ok((decided, merchant, store))
            }
            Err(e) => {
                // Leave the application pending so it can be approved again.
                applications::reopen(self.db().pool(), id).await?;
                Err(e)
            }
        }
    }

    async fn open_merchant_for(
        &self,
        caller: &Principal,
        app: &Application,
    ) -> Result<(MerchantId, StoreView), AppError> {
        let profile: StoreProfileJson = serde_json::from_str(&app.first_store).map_err(AppError::internal)?;
        let merchant = self.create_merchant(caller, &app.business_name, Some(app.applicant_id)).await?;
        let store = self.create_store(caller, merchant.id, profile).await?;
        Ok((merchant.id, store))
    }

    /// Rejects a pending application with a reason the applicant sees.
    pub async fn reject_application(
        &self,
        caller: &Principal,
        id: &str,
        reason: &str,
    ) -> Result<Application, AppError> {
        caller.require_admin()?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(FieldError::new(
                "reason",
                lokal_core::Msg::new("field-length").with("min", 1).with("max", 500),
            )
            .into());
        }
        self.pending(id).await?;
        if !applications::decide(
            self.db().pool(),
            id,
            ApprovalStatus::Rejected,
            Some(reason),
            caller.user_id,
            self.now(),
        )
        .await?
        {
            return Err(AppError::new(ErrorCode::Conflict, "err-application-decided"));
        }
        applications::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("application"))
    }

    async fn pending(&self, id: &str) -> Result<Application, AppError> {
        let app =
            applications::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("application"))?;
        if app.status != ApprovalStatus::Pending {
            return Err(AppError::new(ErrorCode::Conflict, "err-application-decided"));
        }
        Ok(app)
    }
}
