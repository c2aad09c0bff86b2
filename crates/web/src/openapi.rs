//! The OpenAPI 3 document of `/api/v1`, generated from the route table.

use axum::Json;
use axum::http::Method;
use serde_json::{Map, Value, json};

use crate::access::{Kind, RouteSpec, Rule};
use crate::routes::ROUTES;

pub async fn document() -> Json<Value> {
    Json(build(ROUTES))
}

fn schema_of(ty: &str) -> Value {
    match ty {
        "date" => json!({ "type": "string", "format": "date" }),
        "array" => json!({ "type": "array", "items": { "type": "integer" } }),
        other => json!({ "type": other }),
    }
}

fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

fn rule_text(rule: Rule) -> String {
    match rule {
        Rule::Public => "public".into(),
        Rule::SignedIn => "any signed-in user".into(),
        Rule::Perm(p) => format!("permission `{}` on the subtree", p.as_str()),
        Rule::MemberRecord => "`view_members` on the subtree, or the member's own record".into(),
    }
}

/// The document for the API routes of `routes`.
pub fn build(routes: &[RouteSpec]) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for r in routes.iter().filter(|r| r.kind == Kind::Api) {
        let mut parameters: Vec<Value> = path_params(r.path)
            .into_iter()
            .map(|p| json!({ "name": p, "in": "path", "required": true, "schema": { "type": "integer" } }))
            .collect();
        parameters.extend(
            r.doc
                .query
                .iter()
                .map(|q| json!({ "name": q, "in": "query", "required": false, "schema": { "type": "string" } })),
        );
        let mut op = json!({
            "summary": r.summary,
            "description": format!("Access: {}.", rule_text(r.rule)),
            "parameters": parameters,
            "responses": {
                "200": { "description": "Success", "content": { "application/json": {} } },
                "401": { "$ref": "#/components/responses/Error" },
                "403": { "$ref": "#/components/responses/Error" },
                "404": { "$ref": "#/components/responses/Error" },
                "409": { "$ref": "#/components/responses/Error" },
                "422": { "$ref": "#/components/responses/Error" },
            },
        });
        if r.rule != Rule::Public {
            op["security"] = json!([{ "session": [] }]);
        }
        if !r.doc.body.is_empty() {
            let props: Map<String, Value> = r
                .doc
                .body
                .iter()
                .map(|(name, ty)| ((*name).to_owned(), schema_of(ty)))
                .collect();
            op["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": { "type": "object", "properties": props } } },
            });
        }
        let method = match r.method {
            Method::GET => "get",
            Method::POST => "post",
            Method::PUT => "put",
            Method::DELETE => "delete",
            Method::PATCH => "patch",
            _ => "options",
        };
        let entry = paths.entry(r.path.to_owned()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Grassroots API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Party-building work from the cell to the nation. Every call is limited to the caller's subtree. \
                            Writes with the session cookie send the CSRF token from POST /api/v1/session or GET /api/v1/me as `x-csrf-token`.",
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": { "type": "string", "enum": ["not_found", "conflict", "invalid", "forbidden", "bad_csrf", "unauthenticated", "too_many_attempts", "bad_request", "internal"] },
                        "record": { "type": "string", "nullable": true },
                        "field": { "type": "string", "nullable": true },
                        "message": { "type": "string" },
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "An error, in the one error format",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
                },
            },
        },
    })
}
