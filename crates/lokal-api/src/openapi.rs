//! The OpenAPI 3.1 document, generated from the route annotations and completed here with what
//! holds for every operation: the error responses and the `Idempotency-Key` header on POSTs.

use crate::Ctx;
use crate::error::ErrorBody;
use crate::routes::api_router;
use axum::Router;
use utoipa::OpenApi as _;
use utoipa::openapi::path::{HttpMethod, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ObjectBuilder, OpenApi, Ref, Required, schema::Type};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Lokal API", description = "Lokal: open-source O2O local-life commerce. Money is `{amount, currency}` in minor units; times are RFC 3339 UTC; errors are `{\"error\":{\"code\",\"message\",\"request_id\"}}`. See docs/API.md.", license(name = "AGPL-3.0-or-later")),
    components(schemas(ErrorBody, lokal_core::Money)),
    tags((name = "accounts"), (name = "admin"), (name = "merchants"), (name = "stores"), (name = "catalog"), (name = "takeout"), (name = "riders"), (name = "bills"), (name = "coupons"), (name = "campaigns"), (name = "analytics"), (name = "reviews"), (name = "customers"), (name = "membership"), (name = "loyalty"), (name = "chat"), (name = "media"), (name = "operations"))
)]
struct Base;

/// Statuses any operation may answer with an error body.
const ERRORS: &[(&str, &str)] = &[
    ("400", "malformed_request: the body is not valid JSON"),
    ("401", "unauthenticated or invalid_credentials"),
    ("403", "forbidden or csrf_token_invalid"),
    ("404", "not_found"),
    ("409", "conflict, email_taken, phone_taken or idempotency_key_in_flight"),
    ("413", "payload_too_large: the body is over 1 MiB"),
    ("415", "unsupported_media_type: the body must be JSON"),
    ("422", "validation_failed (names the field) or idempotency_key_reused"),
    ("429", "rate_limited: retry after the Retry-After seconds"),
    ("503", "unavailable: the database is down"),
];

/// The API routes and the finished document.
pub fn build() -> (Router<Ctx>, OpenApi) {
    let (router, mut doc) =
        utoipa_axum::router::OpenApiRouter::with_openapi(Base::openapi()).merge(api_router()).split_for_parts();
    complete(&mut doc);
    (router, doc)
}

fn complete(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("A token from /api/v1/auth/login or /register"))
                .build(),
        ),
    );
    let idempotency_key: Parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some("Repeat a create or pay safely: the same key and request return the first response."))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
        ))
        .build();
    for (path, item) in doc.paths.paths.iter_mut() {
        let is_api = path.starts_with("/api/");
        for (method, op) in [
            (HttpMethod::Get, item.get.as_mut()),
            (HttpMethod::Post, item.post.as_mut()),
            (HttpMethod::Put, item.put.as_mut()),
            (HttpMethod::Patch, item.patch.as_mut()),
            (HttpMethod::Delete, item.delete.as_mut()),
        ] {
            let Some(op) = op else { continue };
            if !is_api {
                continue;
            }
            for (status, description) in ERRORS {
                if !op.responses.responses.contains_key(*status) {
                    let response = ResponseBuilder::new()
                        .description(*description)
                        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                        .build();
                    op.responses.responses.insert((*status).to_owned(), response.into());
                }
            }
            if method == HttpMethod::Post && !path.starts_with("/api/v1/auth/") {
                op.parameters.get_or_insert_with(Vec::new).push(idempotency_key.clone().into());
            }
        }
    }
}
