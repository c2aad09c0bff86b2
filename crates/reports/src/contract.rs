//! The report contract: every dotted key a report can hold, with what it counts, in
//! English (the API's language) and Vietnamese (the documents' language). The snapshot test
//! keeps `docs/report-contract.md` equal to this table, so the contract is versioned with the
//! code and a change to it shows in review.

use grassroots_domain::figures::{Figure, FigureValue};

/// (key, English description, Vietnamese label), in report order. A `<name>` segment stands
/// for any one segment (a rule, a level, a type, a course kind).
#[rustfmt::skip]
pub const CONTRACT: &[(&str, &str, &str)] = &[
    ("org.grassroots_organizations", "Grassroots party organizations (grassroots committees and grassroots cells) in the subtree on the last day", "Tổ chức cơ sở đảng"),
    ("org.provincial_committees", "Provincial-level committees below the organization on the last day", "Đảng bộ cấp tỉnh"),
    ("org.district_committees", "District-level committees below the organization on the last day", "Đảng bộ cấp huyện"),
    ("org.commune_committees", "Commune-level (commune, ward, special zone) committees below the organization on the last day", "Đảng bộ cấp xã"),
    ("org.grassroots_committees", "Grassroots party committees below the organization on the last day", "Đảng bộ cơ sở"),
    ("org.grassroots_cells", "Grassroots party cells below the organization on the last day", "Chi bộ cơ sở"),
    ("org.cells", "Cells under grassroots committees on the last day", "Chi bộ trực thuộc đảng ủy cơ sở"),
    ("org.party_groups", "Party groups inside cells on the last day", "Tổ đảng"),
    ("members.total", "Members (probationary, official and exempt) holding membership in the subtree on the last day", "Tổng số đảng viên"),
    ("members.official", "Official members on the last day", "Đảng viên chính thức"),
    ("members.probationary", "Probationary members on the last day", "Đảng viên dự bị"),
    ("members.temporarily_exempt", "Members temporarily excused from activities on the last day", "Đảng viên tạm miễn sinh hoạt"),
    ("members.exempt", "Members exempt from work and activities on the last day", "Đảng viên miễn công tác và sinh hoạt"),
    ("members.admitted", "Members admitted during the period (each counted at their cell on the last day, or the last one they held)", "Kết nạp đảng viên mới"),
    ("members.recognized_official", "Members who became official during the period", "Công nhận đảng viên chính thức"),
    ("members.removed", "Members removed from the list during the period", "Xóa tên"),
    ("members.expelled", "Members expelled during the period", "Khai trừ"),
    ("members.deceased", "Members who died during the period", "Từ trần"),
    ("members.transferred_out", "Members transferred out of the system's coverage during the period", "Chuyển sinh hoạt đi"),
    // Meetings (crates/storage/src/meetings/figures.rs, docs/meetings.md): only whole months and quarters inside the period are due.
    ("meetings.cells", "Cells whose meetings are counted", "Số chi bộ"),
    ("meetings.regular.held", "Regular (monthly) cell meetings held", "Sinh hoạt định kỳ đã tổ chức"),
    ("meetings.regular.due", "Regular cell meetings due by the rulebook", "Sinh hoạt định kỳ theo quy định"),
    ("meetings.regular.months_met", "Cell-months with a regular meeting", "Số tháng có sinh hoạt định kỳ"),
    ("meetings.regular.months_missed", "Cell-months without a regular meeting", "Số tháng không sinh hoạt định kỳ"),
    ("meetings.thematic.held", "Thematic cell meetings held", "Sinh hoạt chuyên đề"),
    ("meetings.thematic.quarters_due", "Cell-quarters that needed a thematic meeting", "Quý phải sinh hoạt chuyên đề"),
    ("meetings.thematic.quarters_met", "Cell-quarters with a thematic meeting", "Quý có sinh hoạt chuyên đề"),
    ("meetings.extraordinary.held", "Extraordinary meetings held", "Sinh hoạt bất thường"),
    ("meetings.plenary.held", "Committee plenary meetings held", "Hội nghị cấp ủy"),
    ("meetings.cancelled", "Meetings cancelled", "Buổi sinh hoạt bị hủy"),
    ("meetings.scheduled", "Meetings scheduled and not yet recorded as held", "Buổi sinh hoạt đã lên lịch"),
    ("meetings.attendance.present", "Own members' marks 'present' at held meetings", "Lượt đảng viên có mặt"),
    ("meetings.attendance.absent_excused", "Own members' marks 'absent with reason'", "Lượt vắng có lý do"),
    ("meetings.attendance.absent_unexcused", "Own members' marks 'absent without reason'", "Lượt vắng không lý do"),
    ("meetings.attendance.guests_present", "Members on temporary transfer present at the host", "Lượt sinh hoạt tạm thời có mặt"),
    ("meetings.attendance.guests_absent", "Members on temporary transfer absent at the host", "Lượt sinh hoạt tạm thời vắng"),
    ("meetings.attendance.rate", "Share of own members' marks that are 'present' (ratio)", "Tỷ lệ đảng viên dự sinh hoạt"),
    ("meetings.official_members", "Official members of the counted cells", "Đảng viên chính thức của các chi bộ"),
    ("meetings.alerts.<rule>", "Alerts raised by a meeting rule (the rules are in docs/meetings.md)", "Cảnh báo"),
    ("meetings.members_flagged.<rule>", "Distinct members flagged by a member rule", "Đảng viên bị cảnh báo"),
    ("meetings.cells_flagged.<rule>", "Distinct cells flagged by a cell rule", "Chi bộ bị cảnh báo"),
    ("meetings.evaluations.<level>", "Meetings a superior committee classified at a level", "Xếp loại chất lượng sinh hoạt"),
    ("meetings.evaluations.total", "Meetings evaluated by a superior committee", "Số buổi được cấp trên đánh giá"),
    // Documents, dissemination and training (crates/storage/src/documents/figures.rs).
    ("documents.issued", "Documents issued by organizations of the subtree", "Văn bản ban hành"),
    ("documents.issued.<type>", "Documents issued, by type (ASCII type code: nq, ct, kl, qd, kh, …)", "Văn bản ban hành theo loại"),
    ("documents.concretized", "Higher documents concretized by a plan or program of the subtree", "Văn bản được cụ thể hóa"),
    ("documents.reviewed.preliminary", "Preliminary reviews held", "Sơ kết"),
    ("documents.reviewed.final", "Final reviews held", "Tổng kết"),
    ("training.dissemination.classes", "Classes disseminating resolutions and directives", "Lớp học tập, quán triệt nghị quyết"),
    ("training.dissemination.participants", "Participants of the dissemination classes", "Lượt người dự học tập nghị quyết"),
    ("training.dissemination.conferences", "Dissemination conferences", "Hội nghị quán triệt"),
    ("training.dissemination.conference_participants", "Participants of the dissemination conferences", "Lượt người dự hội nghị quán triệt"),
    ("training.dissemination.non_members", "Non-members at dissemination events", "Lượt quần chúng dự học tập"),
    ("training.<course>.classes", "Courses of a kind (new_member, awareness, specialized)", "Số lớp bồi dưỡng"),
    ("training.<course>.participants", "Participants of the courses of a kind", "Học viên"),
    ("training.<course>.passed", "Participants who passed", "Học viên đạt"),
    ("training.<course>.certificates", "Certificates issued", "Giấy chứng nhận"),
    ("training.thematic_conference.count", "Thematic conferences for key cadres", "Hội nghị chuyên đề cho cán bộ chủ chốt"),
    // Membership lifecycle (crates/storage/src/lifecycle/figures.rs). Keys the registry already
    // counts above (admitted, recognized, removed, …) keep the registry's definition.
    ("members.transferred_in", "Members received by an accepted official transfer letter during the period", "Chuyển sinh hoạt đến"),
    ("members.readmitted", "Members re-admitted during the period", "Kết nạp lại"),
    ("probation.members", "Probationary members within their probation on the last day", "Đảng viên đang trong thời gian dự bị"),
    ("candidates.total", "Outstanding candidates in the admission pipeline on the last day", "Quần chúng ưu tú đang xem xét kết nạp"),
    ("candidates.at.<step>", "Candidates whose next admission step is this one", "Quần chúng chờ bước"),
    ("overdue.<step>", "Admission steps or recognition reviews past their deadline on the last day", "Quá hạn"),
    ("badges.due", "Members reaching a badge level (30 to 90 years of party age) during the period", "Đảng viên đến hạn nhận Huy hiệu Đảng"),
    ("badges.due.<years>", "Members reaching this badge level during the period", "Huy hiệu theo mức (năm tuổi Đảng)"),
    ("dues.due", "Party dues owed for the months of the period (VND)", "Đảng phí phải nộp"),
    ("dues.collected", "Party dues paid for the months of the period (VND)", "Đảng phí đã thu"),
    ("dues.arrears_members", "Members with unpaid dues months in the period", "Đảng viên nợ đảng phí"),
    // Annual review and classification (crates/storage/src/classification/): the latest review
    // year whose 31 December falls in the period; none (zeros) when no year ends in it.
    ("classification.members.excellent", "Members classified 'completed tasks excellently' for the latest review year ending in the period (current decisions, counted where the member held membership that year)", "Đảng viên hoàn thành xuất sắc nhiệm vụ"),
    ("classification.members.good", "Members classified 'completed tasks well' for that review year", "Đảng viên hoàn thành tốt nhiệm vụ"),
    ("classification.members.completed", "Members classified 'completed tasks' for that review year", "Đảng viên hoàn thành nhiệm vụ"),
    ("classification.members.not_completed", "Members classified 'did not complete tasks' for that review year", "Đảng viên không hoàn thành nhiệm vụ"),
    ("classification.members.total", "Members classified for that review year", "Đảng viên được đánh giá, xếp loại"),
    ("classification.members.good_or_better_rate", "Share of the classified members rated 'well' or 'excellently' (ratio; 0 when none is classified)", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên"),
    ("classification.orgs.excellent", "Grassroots organizations (grassroots committees and grassroots cells) below the organization classified 'completed tasks excellently' for the latest review year ending in the period", "Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ"),
    ("classification.orgs.good", "Grassroots organizations classified 'completed tasks well' for that review year", "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ"),
    ("classification.orgs.completed", "Grassroots organizations classified 'completed tasks' for that review year", "Tổ chức cơ sở đảng hoàn thành nhiệm vụ"),
    ("classification.orgs.not_completed", "Grassroots organizations classified 'did not complete tasks' for that review year", "Tổ chức cơ sở đảng không hoàn thành nhiệm vụ"),
    ("classification.orgs.total", "Grassroots organizations classified for that review year", "Tổ chức cơ sở đảng được đánh giá, xếp loại"),
    ("classification.orgs.good_or_better_rate", "Share of the classified grassroots organizations rated 'well' or 'excellently' (ratio; 0 when none is classified)", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"),
];

/// Whether `key` matches a contract entry, where a `<name>` segment stands for any one segment.
pub fn matches(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len()
        && p.iter()
            .zip(&k)
            .all(|(p, k)| p == k || (p.starts_with('<') && p.ends_with('>')))
}

/// The contract entry of `key`: the exact one, or else the first pattern it matches.
pub fn entry(key: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    CONTRACT
        .iter()
        .find(|(k, _, _)| *k == key)
        .or_else(|| CONTRACT.iter().find(|(k, _, _)| matches(k, key)))
}

/// The Vietnamese label of a key: the entry's label, with the pattern's variable part
/// appended in Vietnamese for a pattern entry ("Cảnh báo: vắng không lý do").
pub fn label_vi(key: &str) -> String {
    match entry(key) {
        Some((k, _, vi)) if *k == key => (*vi).to_owned(),
        Some((k, _, vi)) => {
            let variable: Vec<String> = k
                .split('.')
                .zip(key.split('.'))
                .filter(|(p, _)| p.starts_with('<'))
                .map(|(_, v)| variable_vi(k, v))
                .collect();
            format!("{vi}: {}", variable.join(", "))
        }
        None => key.to_owned(),
    }
}

/// The Vietnamese words for the variable part of a pattern key (a rule, a level, a course
/// kind, an admission step, a document type), so that a printed report does not show code
/// names. Unknown parts (years of party age, new rules) are shown as they are.
fn variable_vi(pattern: &str, part: &str) -> String {
    if pattern == "documents.issued.<type>" {
        return match part {
            "qd" => "QĐ".to_owned(),
            "qdi" => "QĐi".to_owned(),
            "ctr" => "CTr".to_owned(),
            other => other.to_uppercase(),
        };
    }
    let words = match part {
        "absent_unexcused" => "vắng không lý do",
        "excused_in_a_row" => "vắng có lý do nhiều lần liên tiếp",
        "proposed_removal" => "đề nghị xóa tên",
        "no_regular_meeting" => "tháng không sinh hoạt định kỳ",
        "no_thematic_meeting" => "quý không sinh hoạt chuyên đề",
        "too_few_official_members" => "chưa đủ 3 đảng viên chính thức",
        "no_cell_committee" => "chưa có chi ủy",
        "good" => "tốt",
        "fair" => "khá",
        "average" => "trung bình",
        "weak" => "kém",
        "new_member" => "đảng viên mới",
        "awareness" => "nhận thức về Đảng",
        "specialized" => "chuyên đề",
        "thematic_conference" => "hội nghị chuyên đề",
        "awareness_class" => "học lớp nhận thức về Đảng",
        "introduction" => "đảng viên giới thiệu",
        "recommendation" => "đoàn thể giới thiệu",
        "cell_vote" => "chi bộ xét",
        "committee_vote" => "cấp ủy xét",
        "decision" => "quyết định kết nạp",
        "ceremony" => "lễ kết nạp",
        "recognition_review" => "xét công nhận chính thức",
        other => return other.to_owned(),
    };
    words.to_owned()
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
         A `<name>` segment stands for a family of keys (a rule, a level, a type, a course kind).\n\n\
         The subtree is the one on the period's last day. For a period that has not ended, that is\n\
         today's tree; for one that has ended, the tree of that day (a district dissolved since\n\
         counts what happened below it then), and the review year of the classification keys is\n\
         counted in the tree of its 31 December. The members an ended period's dues, badge and\n\
         probation keys count are those who stood in the subtree on its last day (a member at\n\
         the cell of their last official membership begun by then); for a period that has not\n\
         ended, the members now in it. The candidate keys count candidates where they are now.\n\n\
         | key | counts | Vietnamese label |\n|---|---|---|\n",
    );
    for (key, en, vi) in CONTRACT {
        out.push_str(&format!("| `{key}` | {en} | {vi} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_one_segment() {
        assert!(matches(
            "meetings.alerts.<rule>",
            "meetings.alerts.absent_unexcused"
        ));
        assert!(!matches("meetings.alerts.<rule>", "meetings.alerts"));
        assert!(!matches("meetings.alerts.<rule>", "meetings.alerts.a.b"));
        assert_eq!(label_vi("members.total"), "Tổng số đảng viên");
        assert_eq!(
            label_vi("documents.issued.nq"),
            "Văn bản ban hành theo loại: NQ"
        );
        assert_eq!(
            label_vi("meetings.alerts.absent_unexcused"),
            "Cảnh báo: vắng không lý do"
        );
        assert_eq!(label_vi("nothing.here"), "nothing.here");
    }
}
