//! Party cards, temporary transfers and dues reliefs through the API and the pages: a card
//! lost and re-issued (the history kept, the number never reused), a temporary stay listed at
//! home and at the host and ended early, and an exemption and a refused reduction.

use axum::http::Method;
use grassroots_domain::access::Role;
use serde_json::json;

use crate::fixture::Fixture;

#[tokio::test]
async fn a_card_is_lost_and_re_issued_and_its_number_is_kept() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let m = f.m_a;
    let post = |uri: String, body: serde_json::Value| {
        let (f, s) = (&f, &s);
        async move { f.json(Method::POST, &uri, Some(s), body).await }
    };
    let r = post(
        format!("/api/v1/members/{m}/cards"),
        json!({"card_no": "PY000123", "issued_on": "2024-02-03"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post(
        format!("/api/v1/members/{m}/cards"),
        json!({"card_no": "PY000124"}),
    )
    .await;
    assert!(matches!(r.status, 409 | 422), "{} {}", r.status, r.body);
    let r = post(
        format!("/api/v1/members/{m}/cards/end"),
        json!({"state": "stolen"}),
    )
    .await;
    assert_eq!((r.status, r.json()["field"].clone()), (422, json!("state")));
    let r = post(
        format!("/api/v1/members/{m}/cards/end"),
        json!({"state": "lost", "ended_on": "2025-05-05", "reason": "Mất khi đi công tác"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The lost number is never issued again; a new one is.
    let r = post(
        format!("/api/v1/members/{m}/cards"),
        json!({"card_no": "PY000123"}),
    )
    .await;
    assert!(matches!(r.status, 409 | 422), "{} {}", r.status, r.body);
    // Through the page's form.
    let r = f
        .form(
            &format!("/members/{m}/cards"),
            Some(&s),
            &[("card_no", "PY000999"), ("issued_on", "2025-06-01")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = f.location_body(&r, &s).await;
    assert!(page.contains("PY000999") && page.contains("PY000123"));
    let cards = f
        .get(&format!("/api/v1/members/{m}/cards"), Some(&s))
        .await
        .json();
    assert_eq!(
        cards
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["card_no"].as_str().unwrap(), c["state"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        vec![("PY000123", "lost"), ("PY000999", "valid")]
    );
    // A refused form shows the page again with the reason.
    let r = f
        .form(
            &format!("/members/{m}/cards"),
            Some(&s),
            &[("card_no", "PY-1")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("card_no"), "{}", r.body);
}

#[tokio::test]
async fn a_temporary_stay_is_listed_at_home_and_at_the_host_and_ends_on_return() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let (m, a, b) = (f.m_a, f.a.id, f.b.id);
    let host_before = f
        .get(&format!("/api/v1/orgs/{b}/counts"), Some(&s))
        .await
        .json();
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{m}/temporary-transfers"),
            Some(&s),
            json!({"to_org": b, "from": "2026-01-15", "until": "2026-04-14"}),
        )
        .await;
    assert_eq!((r.status, r.json()["field"].clone()), (422, json!("until")));
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{m}/temporary-transfers"),
            Some(&s),
            json!({"to_org": b, "from": "2026-01-15", "until": "2027-01-15"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let on = "on=2026-03-01";
    let at_home = f
        .get(
            &format!("/api/v1/orgs/{a}/temporary-transfers?{on}"),
            Some(&s),
        )
        .await
        .json();
    assert_eq!(at_home["away"].as_array().unwrap().len(), 1);
    assert!(at_home["hosted"].as_array().unwrap().is_empty());
    let at_host = f
        .get(
            &format!("/api/v1/orgs/{b}/temporary-transfers?{on}"),
            Some(&s),
        )
        .await
        .json();
    assert_eq!(at_host["hosted"][0]["member_id"], m);
    assert_eq!(at_host["hosted"][0]["home_code"], "A");
    let page = f
        .get(&format!("/orgs/{b}/temporary-transfers?{on}"), Some(&s))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("/members/{m}/registers")));
    // Counted at home only: the host's counts are what they were before the stay.
    let counts = |org: i64| {
        let (f, s) = (&f, &s);
        async move {
            f.get(&format!("/api/v1/orgs/{org}/counts"), Some(s))
                .await
                .json()
        }
    };
    assert_eq!(counts(a).await["members_by_status"]["official"], 1);
    assert_eq!(counts(b).await, host_before);

    let r = f
        .form(
            &format!("/members/{m}/temporary-transfers/end"),
            Some(&s),
            &[("org_id", &b.to_string())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let now = f
        .get(&format!("/api/v1/orgs/{b}/temporary-transfers"), Some(&s))
        .await
        .json();
    assert!(now["hosted"].as_array().unwrap().is_empty(), "{now}");
    let again = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{m}/temporary-transfers/end"),
            Some(&s),
            json!({"org_id": b}),
        )
        .await;
    assert_eq!(
        (again.status, again.json()["field"].clone()),
        (422, json!("org_id"))
    );
}

#[tokio::test]
async fn exemptions_and_reductions_are_granted_with_their_decision() {
    let f = Fixture::new().await;
    let s = f.session(Role::CellSecretary).await;
    let m = f.m_a;
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{m}/dues-reliefs"),
            Some(&s),
            json!({"from": "2026-01", "to": "2026-06", "percent": 40, "document": "3-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (422, json!("percent"))
    );
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/members/{m}/dues-reliefs"),
            Some(&s),
            json!({"from": "2026-01", "to": "2026-06", "exemption": "poor_household", "document": "3-QĐ/ĐU"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = f
        .form(
            &format!("/members/{m}/dues-reliefs"),
            Some(&s),
            &[
                ("from", "2026-07"),
                ("to", "2026-09"),
                ("percent", "50"),
                ("document", "4-QĐ/ĐU"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let list = f
        .get(&format!("/api/v1/members/{m}/dues-reliefs"), Some(&s))
        .await
        .json();
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["exemption"].clone(), r["percent"].as_i64().unwrap()))
            .collect::<Vec<_>>(),
        vec![(json!("poor_household"), 100), (json!(null), 50)]
    );
    // The exempt months owe nothing.
    let dues = f
        .get(
            &format!("/api/v1/members/{m}/dues?from=2026-02&to=2026-02"),
            Some(&s),
        )
        .await;
    assert_eq!(dues.status, 200, "{}", dues.body);
}
