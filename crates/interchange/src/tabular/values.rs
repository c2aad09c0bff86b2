//! Cell values in Vietnamese or English: dates, kinds, statuses, genders.

use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_domain::text::fold;

/// `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`.
pub fn date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    Date::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| Date::parse_from_str(raw, "%d/%m/%Y"))
        .or_else(|_| Date::parse_from_str(raw, "%d-%m-%Y"))
        .or_else(|_| Date::parse_from_str(raw, "%d.%m.%Y"))
        .ok()
}

fn key(raw: &str) -> String {
    fold(&raw.replace(['_', '-'], " "))
}

/// A kind by its code name, its English name or its Vietnamese name.
pub fn org_kind(raw: &str) -> Option<OrgKind> {
    let k = key(raw);
    if let Some(kind) = OrgKind::ALL.into_iter().find(|x| key(x.as_str()) == k) {
        return Some(kind);
    }
    let kind = match k.as_str() {
        "trung uong" | "ban chap hanh trung uong" | "dang bo trung uong" => OrgKind::Central,
        "tinh uy"
        | "thanh uy"
        | "dang bo tinh"
        | "dang bo thanh pho truc thuoc trung uong"
        | "dang bo khoi"
        | "province" => OrgKind::Provincial,
        "huyen uy" | "thi uy" | "quan uy" | "dang bo huyen" | "dang bo thi xa" | "dang bo quan"
        | "dang bo thanh pho" | "dang bo cap huyen" | "town" => OrgKind::District,
        "dang bo xa" | "dang bo phuong" | "dang bo dac khu" | "dang uy xa" | "dang uy phuong"
        | "dang bo cap xa" | "ward" => OrgKind::Commune,
        "dang bo co so" | "dang uy co so" => OrgKind::GrassrootsCommittee,
        "chi bo co so" => OrgKind::GrassrootsCell,
        "chi bo" | "chi bo truc thuoc" | "chi bo truc thuoc dang uy co so" => OrgKind::Cell,
        "to dang" => OrgKind::PartyGroup,
        _ => return None,
    };
    Some(kind)
}

/// A member status by its code name or its Vietnamese name.
pub fn status(raw: &str) -> Option<MemberStatus> {
    let k = key(raw);
    if let Some(s) = MemberStatus::ALL.into_iter().find(|x| key(x.as_str()) == k) {
        return Some(s);
    }
    let s = match k.as_str() {
        "du bi" | "dang vien du bi" => MemberStatus::Probationary,
        "chinh thuc" | "dang vien chinh thuc" => MemberStatus::Official,
        "tam mien" | "tam mien sinh hoat" | "mien sinh hoat tam thoi" => {
            MemberStatus::TemporarilyExempt
        }
        "mien sinh hoat" | "mien cong tac va sinh hoat dang" | "mien cong tac" => {
            MemberStatus::Exempt
        }
        "da chuyen di" | "chuyen sinh hoat di" => MemberStatus::TransferredOut,
        "xoa ten" => MemberStatus::Removed,
        "khai tru" => MemberStatus::Expelled,
        "tu tran" | "da mat" | "tu tran da mat" => MemberStatus::Deceased,
        _ => return None,
    };
    Some(s)
}

pub fn gender(raw: &str) -> Option<Gender> {
    Gender::parse(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_values() {
        assert_eq!(org_kind("Chi bộ cơ sở"), Some(OrgKind::GrassrootsCell));
        assert_eq!(org_kind("CHI BỘ"), Some(OrgKind::Cell));
        assert_eq!(
            org_kind("grassroots committee"),
            Some(OrgKind::GrassrootsCommittee)
        );
        assert_eq!(
            org_kind("Đảng bộ cơ sở"),
            Some(OrgKind::GrassrootsCommittee)
        );
        assert_eq!(status("Dự bị"), Some(MemberStatus::Probationary));
        assert_eq!(
            status("temporarily_exempt"),
            Some(MemberStatus::TemporarilyExempt)
        );
        assert_eq!(date("03/02/1930"), Date::from_ymd_opt(1930, 2, 3));
        assert_eq!(date("1930-02-03"), Date::from_ymd_opt(1930, 2, 3));
        assert_eq!(date("31/02/1930"), None);
    }
}
