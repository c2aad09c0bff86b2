//! The report through the API and the page: figures of the caller's subtree, downloads in
//! every format, and the scope of the caller's role.

use grassroots_domain::access::Role;

use crate::fixture::Fixture;

#[tokio::test]
async fn the_report_counts_the_subtree_and_downloads_in_every_format() {
    let f = Fixture::new().await;
    let s = f.session(Role::CommitteeOffice).await;
    let c1 = f.gc.parent_id.unwrap();
    let today = chrono::Local::now().date_naive();
    let uri = format!("/api/v1/orgs/{c1}/report?from=2020-01-01&to={today}");
    let r = f.get(&uri, Some(&s)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let json = r.json();
    let value = |key: &str| {
        json["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == key)
            .unwrap_or_else(|| panic!("no {key}"))["value"]["amount"]
            .clone()
    };
    // The commune: one grassroots committee with two cells, one member in each.
    assert_eq!(value("org.grassroots_committees"), 1);
    assert_eq!(value("org.cells"), 2);
    assert_eq!(value("members.total"), 2);
    assert_eq!(value("meetings.cells"), 2);

    for (format, magic, kind) in [
        ("xlsx", &b"PK"[..], "spreadsheetml"),
        ("docx", &b"PK"[..], "wordprocessingml"),
        ("pdf", &b"%PDF"[..], "pdf"),
    ] {
        let r = f.get(&format!("{uri}&format={format}"), Some(&s)).await;
        assert_eq!(r.status, 200, "{format}");
        let content_type = r.headers["content-type"].to_str().unwrap();
        assert!(content_type.contains(kind), "{format}: {content_type}");
        assert!(
            r.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!(".{format}"))
        );
        assert!(
            r.body.as_bytes().starts_with(magic)
                || r.body.starts_with(std::str::from_utf8(magic).unwrap())
        );
    }
    let bad = f.get(&format!("{uri}&format=odt"), Some(&s)).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "format");
    let bad = f
        .get(
            &format!("/api/v1/orgs/{c1}/report?from=2025-02-01&to=2025-01-01"),
            Some(&s),
        )
        .await;
    assert_eq!(bad.status, 422);

    // The page shows the same figures with the downloads.
    let page = f
        .get(
            &format!("/orgs/{c1}/report?from=2020-01-01&to={today}"),
            Some(&s),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Tổng số đảng viên"));
    assert!(page.body.contains("format=pdf"));

    // Another province's report does not exist for this office.
    let other = f
        .get(&format!("/api/v1/orgs/{}/report", f.q.id), Some(&s))
        .await;
    assert_eq!(other.status, 404);
}
