//! The OpenAPI document matches the routes, and every message the pages use exists in
//! every language.

use std::collections::BTreeSet;

use grassroots_domain::access::Role;
use grassroots_domain::member::{MemberStatus, MembershipKind};
use grassroots_domain::org::{OrgKind, TreeChange};
use grassroots_web::access::Kind;
use grassroots_web::i18n::{I18n, LANGUAGES, SOURCES, keys_of};
use grassroots_web::render::TEMPLATES;
use grassroots_web::routes::ROUTES;

use crate::fixture::*;

#[tokio::test]
async fn openapi_lists_exactly_the_api_routes() {
    let f = Fixture::new().await;
    let r = f.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .filter(|r| r.kind == Kind::Api)
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    assert_eq!(documented, routed);
    assert!(routed.iter().all(|(_, p)| p.starts_with("/api/v1/")));
    // And every route outside /api/v1 is a page or an asset.
    for r in ROUTES {
        assert_eq!(
            r.path.starts_with("/api/"),
            r.kind == Kind::Api,
            "{}",
            r.path
        );
    }
}

/// The literal keys of `t("...")` calls in a template.
fn template_keys(source: &str) -> Vec<String> {
    source
        .split("t(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(k, _)| k.to_owned()))
        .collect()
}

#[test]
fn every_message_used_exists_in_every_language() {
    let i18n = I18n::load().unwrap();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (name, source) in TEMPLATES {
        for key in template_keys(source) {
            // Keys built from a prefix and a value are checked below for every value.
            if key.ends_with('-') {
                continue;
            }
            assert!(!key.is_empty(), "{name}: empty key");
            used.insert(key);
        }
    }
    let prefixed = [
        (
            "status-",
            MemberStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        ("kind-", OrgKind::ALL.iter().map(|k| k.as_str()).collect()),
        ("role-", Role::ALL.iter().map(|r| r.as_str()).collect()),
        ("gender-", vec!["male", "female"]),
        (
            "membership-",
            vec![
                MembershipKind::Official.as_str(),
                MembershipKind::Temporary.as_str(),
            ],
        ),
        (
            "change-",
            [
                TreeChange::Created,
                TreeChange::Renamed,
                TreeChange::Moved,
                TreeChange::Merged,
                TreeChange::Split,
                TreeChange::Dissolved,
            ]
            .iter()
            .map(|c| c.as_str())
            .collect(),
        ),
    ];
    for (prefix, values) in prefixed {
        for v in values {
            used.insert(format!("{prefix}{v}"));
        }
    }
    for e in [
        "not_found",
        "conflict",
        "invalid",
        "forbidden",
        "bad_csrf",
        "unauthenticated",
        "too_many_attempts",
        "bad_request",
        "internal",
    ] {
        used.insert(format!("error-title-{e}"));
        used.insert(format!("error-help-{e}"));
    }
    // Keys the Rust code asks for.
    for k in [
        "conflict-prefix",
        "edit-member-title",
        "new-member-title",
        "new-org-title",
        "rename-title",
        "signin-failed",
        "signin-too-many",
    ] {
        used.insert(k.into());
    }
    for lang in LANGUAGES {
        for key in &used {
            assert!(
                i18n.has(lang.code, key),
                "language {} lacks `{key}`",
                lang.code
            );
        }
    }
    // And the files agree with each other.
    let reference: BTreeSet<String> = keys_of(SOURCES[0].1).into_iter().collect();
    for (code, source) in SOURCES {
        let keys: BTreeSet<String> = keys_of(source).into_iter().collect();
        assert_eq!(keys, reference, "locales/{code}/main.ftl differs from vi");
    }
}

#[test]
fn an_unknown_key_in_a_template_fails_to_render() {
    let i18n = std::sync::Arc::new(I18n::load().unwrap());
    let mut env = grassroots_web::render::environment(i18n).unwrap();
    env.add_template("probe.html", r#"{{ t("no-such-key") }}"#)
        .unwrap();
    let out = env
        .get_template("probe.html")
        .unwrap()
        .render(minijinja::context! { lang => "vi" });
    assert!(out.is_err());
}
