//! The report contract: every dotted key a report can hold, with what it counts, in
//! English (the API's language) and Vietnamese (the documents' language). The snapshot test
//! keeps `docs/report-contract.md` equal to this table, so the contract is versioned with the
//! code and a change to it shows in review.

use grassroots_domain::figures::{Figure, FigureValue};

/// (key, English description, Vietnamese label), in report order.
pub const CONTRACT: &[(&str, &str, &str)] = &[
    (
        "org.grassroots_organizations",
        "Grassroots party organizations (grassroots committees and grassroots cells) in the subtree on the last day",
        "Tổ chức cơ sở đảng",
    ),
    (
        "org.provincial_committees",
        "Provincial-level committees below the organization on the last day",
        "Đảng bộ cấp tỉnh",
    ),
    (
        "org.district_committees",
        "District-level committees below the organization on the last day",
        "Đảng bộ cấp huyện",
    ),
    (
        "org.commune_committees",
        "Commune-level (commune, ward, special zone) committees below the organization on the last day",
        "Đảng bộ cấp xã",
    ),
    (
        "org.grassroots_committees",
        "Grassroots party committees below the organization on the last day",
        "Đảng bộ cơ sở",
    ),
    (
        "org.grassroots_cells",
        "Grassroots party cells below the organization on the last day",
        "Chi bộ cơ sở",
    ),
    (
        "org.cells",
        "Cells under grassroots committees on the last day",
        "Chi bộ trực thuộc đảng ủy cơ sở",
    ),
    (
        "org.party_groups",
        "Party groups inside cells on the last day",
        "Tổ đảng",
    ),
    (
        "members.total",
        "Members (probationary, official and exempt) holding membership in the subtree on the last day",
        "Tổng số đảng viên",
    ),
    (
        "members.official",
        "Official members on the last day",
        "Đảng viên chính thức",
    ),
    (
        "members.probationary",
        "Probationary members on the last day",
        "Đảng viên dự bị",
    ),
    (
        "members.temporarily_exempt",
        "Members temporarily excused from activities on the last day",
        "Đảng viên tạm miễn sinh hoạt",
    ),
    (
        "members.exempt",
        "Members exempt from work and activities on the last day",
        "Đảng viên miễn công tác và sinh hoạt",
    ),
    (
        "members.admitted",
        "Members admitted during the period (counted where they hold membership now)",
        "Kết nạp đảng viên mới",
    ),
    (
        "members.recognized_official",
        "Members who became official during the period",
        "Công nhận đảng viên chính thức",
    ),
    (
        "members.removed",
        "Members removed from the list during the period",
        "Xóa tên",
    ),
    (
        "members.expelled",
        "Members expelled during the period",
        "Khai trừ",
    ),
    (
        "members.deceased",
        "Members who died during the period",
        "Từ trần",
    ),
    (
        "members.transferred_out",
        "Members transferred out of the system's coverage during the period",
        "Chuyển sinh hoạt đi",
    ),
];

/// The contract entry of `key`.
pub fn entry(key: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    CONTRACT.iter().find(|(k, _, _)| *k == key)
}

/// The Vietnamese label of a key, or the key itself.
pub fn label_vi(key: &str) -> &str {
    entry(key).map(|e| e.2).unwrap_or(key)
}

/// A count figure with its contract description.
pub fn describe(key: &str, value: i64) -> Figure {
    Figure {
        key: key.to_owned(),
        value: FigureValue::Count(value),
        description: entry(key).map(|e| e.1).unwrap_or("").to_owned(),
    }
}

/// The contract as Markdown, the text of `docs/report-contract.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Report contract\n\n\
         Every figure of `grassroots report` (JSON, Excel, Word, PDF) and of\n\
         `GET /api/v1/orgs/{id}/report` has a stable dotted key. This file is generated from\n\
         `crates/reports/src/contract.rs` and checked by a test; change both together.\n\n\
         In JSON, each line is `{\"key\", \"description\", \"value\": {\"unit\", \"amount\"}, \"previous\", \"change\"}`;\n\
         `unit` is `count`, `ratio` (0 to 1) or `vnd`.\n\n\
         | key | counts | Vietnamese label |\n|---|---|---|\n",
    );
    for (key, en, vi) in CONTRACT {
        out.push_str(&format!("| `{key}` | {en} | {vi} |\n"));
    }
    out
}
