//! `/api/docs`: the OpenAPI document as a readable page, rendered on the server (no scripts).

use crate::page::Nav;
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

/// One operation, ready to show.
#[derive(Debug, Clone)]
pub struct Op {
    method: String,
    path: String,
    anchor: String,
    tag: String,
    summary: String,
    secured: bool,
    /// (name, where: `path`, `query`, `header` or `cookie`, a word of the `docs-in` label group).
    params: Vec<(String, String)>,
    body: Option<String>,
    responses: Vec<String>,
}

/// The page's data, extracted once at start-up.
#[derive(Debug, Clone)]
pub struct ApiDocs {
    title: String,
    version: String,
    description: String,
    openapi_version: String,
    ops: Vec<Op>,
    schemas: Vec<(String, Vec<String>)>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn ref_name(v: &Value) -> Option<String> {
    v.pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned())
}

impl ApiDocs {
    /// Reads what the page shows out of the OpenAPI document.
    pub fn from_openapi(doc: &Value) -> Self {
        let mut ops = Vec::new();
        for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| (text(p, "name"), text(p, "in")))
                    .collect();
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(code, r)| ref_name(r).map_or_else(|| code.clone(), |n| format!("{code} {n}")))
                    .collect();
                ops.push(Op {
                    method: method.to_owned(),
                    anchor: format!("{method}{}", path.replace(['/', '{', '}'], "-")),
                    path: path.clone(),
                    tag: op.pointer("/tags/0").and_then(Value::as_str).unwrap_or("other").to_owned(),
                    summary: [text(op, "summary"), text(op, "description")].join(" ").trim().to_owned(),
                    secured: op.get("security").is_some(),
                    params,
                    body: op.get("requestBody").and_then(ref_name),
                    responses,
                });
            }
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, s)| {
                (
                    name.clone(),
                    s.get("properties")
                        .and_then(Value::as_object)
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default(),
                )
            })
            .collect();
        Self {
            title: doc.pointer("/info/title").and_then(Value::as_str).unwrap_or("API").to_owned(),
            version: doc.pointer("/info/version").and_then(Value::as_str).unwrap_or("").to_owned(),
            description: doc.pointer("/info/description").and_then(Value::as_str).unwrap_or("").to_owned(),
            openapi_version: text(doc, "openapi"),
            ops,
            schemas,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "api_docs.html")]
struct DocsPage {
    nav: Nav,
    title: String,
    version: String,
    description: String,
    openapi_version: String,
    ops: Vec<Op>,
    schemas: Vec<(String, Vec<String>)>,
}

/// Renders the reference.
pub async fn page(nav: Nav, docs: Arc<ApiDocs>) -> Response {
    let d = (*docs).clone();
    let p = DocsPage {
        nav: nav.clone(),
        title: d.title,
        version: d.version,
        description: d.description,
        openapi_version: d.openapi_version,
        ops: d.ops,
        schemas: d.schemas,
    };
    nav.finish(p.into_response())
}
