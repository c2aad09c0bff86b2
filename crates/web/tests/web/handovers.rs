//! Block transfers with handover minutes through the API and the pages: a merger with its
//! minutes, the minutes on the organization's page and their own page with the member list,
//! and incomplete minutes refused with the field named.

use axum::http::Method;
use grassroots_domain::access::Role;
use serde_json::json;

use crate::fixture::Fixture;

#[tokio::test]
async fn a_merger_with_minutes_shows_them_on_both_sides() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let (a, b) = (f.a.id, f.b.id);
    let today = chrono::Local::now().date_naive().to_string();
    let minutes = json!({"minutes_no": "05/BB-BG", "signed_on": today,
                         "handed_by": "Nguyễn Văn Giao", "received_by": "Trần Thị Nhận"});

    let mut bad = minutes.clone();
    bad["received_by"] = json!(" ");
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{a}/merge"),
            Some(&s),
            json!({"sources": [b], "effective_on": today, "handover": bad}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "handover.received_by");
    assert!(
        f.get(&format!("/api/v1/orgs/{a}/handovers"), Some(&s))
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );

    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{a}/merge"),
            Some(&s),
            json!({"sources": [b], "effective_on": today, "decision": "12-QĐ/ĐU", "handover": minutes}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let given = f
        .get(&format!("/api/v1/orgs/{b}/handovers"), Some(&s))
        .await;
    assert_eq!(given.status, 200, "{}", given.body);
    let given = given.json();
    assert_eq!(given.as_array().unwrap().len(), 1);
    assert_eq!(given[0]["minutes_no"], "05/BB-BG");
    assert_eq!(given[0]["change"], "merged");
    assert_eq!(given[0]["to_org_id"], a);
    assert_eq!(given[0]["member_count"], 1);
    let id = given[0]["id"].as_i64().unwrap();

    let one = f.get(&format!("/api/v1/handovers/{id}"), Some(&s)).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    assert_eq!(one["members"][0]["member_id"], f.m_b);
    assert_eq!(one["members"][0]["org_code"], "B");

    let page = f.get(&format!("/orgs/{a}"), Some(&s)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("/handovers/{id}")),
        "{}",
        page.body
    );
    let page = f.get(&format!("/handovers/{id}"), Some(&s)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for text in ["BB-BG", "Nguyễn Văn Giao", "Trần Thị Nhận"] {
        assert!(page.body.contains(text), "{text} missing");
    }
}

#[tokio::test]
async fn a_split_with_minutes_hands_each_part_its_members() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let today = chrono::Local::now().date_naive().to_string();
    let (b, gc) = (f.b.id, f.gc.id);
    let minutes = json!({"minutes_no": "09/BB-BG", "signed_on": today,
                         "handed_by": "Nguyễn Văn Giao", "received_by": "Trần Thị Nhận"});
    // Every member must go to a part: a split leaving one behind writes nothing.
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{b}/split"),
            Some(&s),
            json!({"parts": [
                    {"code": "B1", "name": "Chi bộ B1", "kind": "cell", "parent_id": gc},
                    {"code": "B2", "name": "Chi bộ B2", "kind": "cell", "parent_id": gc}],
                   "effective_on": today, "handover": minutes}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        f.get(&format!("/api/v1/orgs/{b}/handovers"), Some(&s))
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = f
        .json(
            Method::POST,
            &format!("/api/v1/orgs/{b}/split"),
            Some(&s),
            json!({"parts": [
                    {"code": "B1", "name": "Chi bộ B1", "kind": "cell", "parent_id": gc, "member_ids": [f.m_b]},
                    {"code": "B2", "name": "Chi bộ B2", "kind": "cell", "parent_id": gc}],
                   "effective_on": today, "decision": "20-QĐ/ĐU", "handover": minutes}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let parts = r.json();
    let given = f
        .get(&format!("/api/v1/orgs/{b}/handovers"), Some(&s))
        .await
        .json();
    assert_eq!(
        given
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["to_org_id"].clone(), h["member_count"].as_i64().unwrap()))
            .collect::<Vec<_>>(),
        vec![(parts[0]["id"].clone(), 1), (parts[1]["id"].clone(), 0)]
    );
    assert_eq!(given[0]["change"], "split");
}
