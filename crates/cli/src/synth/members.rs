//! Members of the synthetic nation: names with diacritics, birth and admission dates, a
//! status mix with its history, memberships, and a few transfers and temporary stays.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::member::MemberStatus;
use grassroots_domain::text;
use grassroots_storage::bulk::{PARAMS_PER_STATEMENT, Table};
use grassroots_storage::member_search::province_path;

use super::dues::DuesYear;
use super::meetings::MeetingPlan;
use super::sink::Sink;
use grassroots_storage::members::name_keys;

use super::names::{self, PROVINCES};
use super::rng::Rng;
use super::tree::{OrgDraft, span};

pub const MEMBERS: Table = Table {
    name: "members",
    columns: &[
        "id",
        "full_name",
        "name_folded",
        "sort_key",
        "birth_date",
        "gender",
        "ethnicity",
        "citizen_id",
        "party_card_no",
        "admitted_on",
        "official_on",
        "status",
        "status_since",
        "org_id",
        "org_path",
        "version",
        "updated_at",
    ],
};
const NAME_KEYS: Table = Table {
    name: "member_name_keys",
    columns: &[
        "key",
        "member_id",
        "sort_key",
        "status",
        "org_path",
        "province_path",
    ],
};
const STATUSES: Table = Table {
    name: "member_statuses",
    columns: &["member_id", "status", "valid_from", "valid_to", "reason"],
};
const MEMBERSHIPS: Table = Table {
    name: "memberships",
    columns: &[
        "member_id",
        "org_id",
        "kind",
        "valid_from",
        "valid_to",
        "note",
    ],
};

/// The status mix (per 10,000 members): mostly official, some probationary, a few exempt
/// for age or health, and those who left in the past year.
const STATUS_MIX: &[(MemberStatus, u32)] = &[
    (MemberStatus::Probationary, 500),
    (MemberStatus::Official, 8_650),
    (MemberStatus::TemporarilyExempt, 100),
    (MemberStatus::Exempt, 400),
    (MemberStatus::TransferredOut, 150),
    (MemberStatus::Removed, 80),
    (MemberStatus::Expelled, 20),
    (MemberStatus::Deceased, 100),
];

/// Share (per 10,000) of official members who came from another cell by official transfer,
/// and of active members on a temporary stay elsewhere.
const TRANSFER_SHARE: u64 = 100;
const TEMPORARY_SHARE: u64 = 50;

/// The earliest day a data set can describe: its history holds the 2025 reorganization
/// (1 July 2025) and transfers from December 2025 on.
pub fn earliest_reference_day() -> Date {
    Date::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// The day the tests' data sets describe (`--as-of` pins it; every date is on or before it).
#[cfg(test)]
pub fn test_reference_day() -> Date {
    Date::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

/// A name and its search keys, computed once per distinct name (there are tens of
/// thousands of names among millions of members).
#[derive(Debug)]
struct NameInfo {
    full: String,
    folded: String,
    sort_key: String,
    keys: Vec<String>,
}

/// A membership: (org, from, to, kind, note).
pub type Stay = (i64, Date, Option<Date>, &'static str, Option<&'static str>);

#[derive(Debug)]
struct Draft {
    id: i64,
    name: Rc<NameInfo>,
    birth: Date,
    female: bool,
    ethnicity: &'static str,
    citizen_id: String,
    admitted: Date,
    official: Option<Date>,
    status: MemberStatus,
    since: Date,
    org_id: i64,
    org_path: Rc<str>,
    memberships: Vec<Stay>,
}

/// Makes members cell by cell and writes them in statement-sized groups.
#[derive(Debug)]
pub struct MemberMaker {
    rng: Rng,
    now: String,
    names: HashMap<u32, Rc<NameInfo>>,
    serials: HashMap<(usize, u8, u8), u32>,
    /// Cells that can be the other end of a transfer: (id, founded on).
    holders: Vec<(i64, Date)>,
    pending: Vec<Draft>,
    next_id: i64,
    written: u64,
    transfers: u64,
    /// Members written per (cell, status): the direct counts the rollups start from.
    counts: HashMap<(i64, &'static str), i64>,
    chunk: usize,
    surname_weights: Vec<u32>,
    ethnicity_weights: Vec<u32>,
    status_weights: Vec<u32>,
    /// The year of dues, written with each member when set.
    dues: Option<DuesYear>,
    /// The day the data set describes: every date is on or before it.
    reference: Date,
}

impl MemberMaker {
    pub fn new(tree: &[OrgDraft], rng: &Rng, now: &str, reference: Date) -> MemberMaker {
        MemberMaker {
            rng: rng.fork(2),
            now: now.to_owned(),
            names: HashMap::new(),
            serials: HashMap::new(),
            holders: tree
                .iter()
                .filter(|o| o.kind.holds_members())
                .map(|o| (o.id, o.founded_on))
                .collect(),
            pending: Vec::new(),
            next_id: 1,
            written: 0,
            transfers: 0,
            counts: HashMap::new(),
            chunk: PARAMS_PER_STATEMENT / MEMBERS.columns.len(),
            surname_weights: names::SURNAMES.iter().map(|s| s.1).collect(),
            ethnicity_weights: names::ETHNICITIES.iter().map(|e| e.1).collect(),
            status_weights: STATUS_MIX.iter().map(|s| s.1).collect(),
            dues: None,
            reference,
        }
    }

    /// Writes a year of dues with each member from now on.
    pub fn with_dues(&mut self, dues: DuesYear) {
        self.dues = Some(dues);
    }

    /// The year of dues written, when there is one.
    pub fn dues(&self) -> Option<&DuesYear> {
        self.dues.as_ref()
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn transfers(&self) -> u64 {
        self.transfers
    }

    /// Members written per (cell, status).
    pub fn counts(&self) -> &HashMap<(i64, &'static str), i64> {
        &self.counts
    }

    /// Makes the members of one cell; writes every full group (with their attendance at
    /// the meetings of `plan`, when there is one).
    pub fn write_cell(
        &mut self,
        sink: &mut Sink,
        org: &OrgDraft,
        plan: Option<&mut MeetingPlan>,
    ) -> anyhow::Result<()> {
        let path: Rc<str> = Rc::from(org.path.as_str());
        let mut plan = plan;
        for _ in 0..org.members {
            let draft = self.draft(org, &path);
            self.pending.push(draft);
            if self.pending.len() == self.chunk {
                self.write_pending(sink, plan.as_deref_mut())?;
            }
        }
        Ok(())
    }

    /// Writes what is left (call once, after the last cell).
    pub fn finish(
        &mut self,
        sink: &mut Sink,
        plan: Option<&mut MeetingPlan>,
    ) -> anyhow::Result<()> {
        self.write_pending(sink, plan)
    }

    /// The members rows first (the group is exactly one statement, or flushed), then the
    /// rows that reference them.
    fn write_pending(
        &mut self,
        sink: &mut Sink,
        mut plan: Option<&mut MeetingPlan>,
    ) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let now = self.now.as_str();
        for d in &pending {
            sink.push(MEMBERS, |b| {
                b.int(d.id)
                    .text(&d.name.full)
                    .text(&d.name.folded)
                    .text(&d.name.sort_key)
                    .date(d.birth)
                    .text(if d.female { "female" } else { "male" })
                    .text(d.ethnicity)
                    .text(&d.citizen_id)
                    .fmt(format_args!(
                        "{:09}",
                        (d.id * 7_919 + 12_345_678) % 1_000_000_000
                    ))
                    .date(d.admitted)
                    .opt_date(d.official)
                    .text(d.status.as_str())
                    .date(d.since)
                    .int(d.org_id)
                    .text(&d.org_path)
                    .int(1)
                    .text(now);
            })?;
            *self
                .counts
                .entry((d.org_id, d.status.as_str()))
                .or_insert(0) += 1;
        }
        sink.flush(MEMBERS.name)?;
        for d in &pending {
            // Each key carries the member's list order, status and place (migration 0008).
            let province = province_path(&d.org_path);
            for key in &d.name.keys {
                sink.push(NAME_KEYS, |b| {
                    b.text(key)
                        .int(d.id)
                        .text(&d.name.sort_key)
                        .text(d.status.as_str())
                        .text(&d.org_path)
                        .text(province);
                })?;
            }
            let history = status_history(d);
            for (status, from, to, reason) in &history {
                sink.push(STATUSES, |b| {
                    b.int(d.id)
                        .text(status.as_str())
                        .date(*from)
                        .opt_date(*to)
                        .opt_text(*reason);
                })?;
            }
            for (org, from, to, kind, note) in &d.memberships {
                sink.push(MEMBERSHIPS, |b| {
                    b.int(d.id)
                        .int(*org)
                        .text(kind)
                        .date(*from)
                        .opt_date(*to)
                        .opt_text(*note);
                })?;
            }
            if let Some(plan) = plan.as_deref_mut() {
                plan.attend(sink, d.id, &d.memberships, &history)?;
            }
            if let Some(dues) = self.dues.as_mut() {
                dues.write(
                    sink,
                    super::dues::Member {
                        id: d.id,
                        admitted: d.admitted,
                        cell_id: d.org_id,
                        cell_path: &d.org_path,
                        memberships: &d.memberships,
                        history: &history,
                    },
                )?;
            }
        }
        self.written += pending.len() as u64;
        Ok(())
    }

    fn name(&mut self, female: bool) -> Rc<NameInfo> {
        let rng = &mut self.rng;
        let s = rng.weighted(&self.surname_weights);
        let (middles, givens) = if female {
            (names::FEMALE_MIDDLE, names::FEMALE_GIVEN)
        } else {
            (names::MALE_MIDDLE, names::MALE_GIVEN)
        };
        let m = rng.below(middles.len() as u64) as usize;
        let g = rng.below(givens.len() as u64) as usize;
        let key = (((s as u32 * 2 + u32::from(female)) * 64 + m as u32) << 8) + g as u32;
        self.names
            .entry(key)
            .or_insert_with(|| {
                let full = format!("{} {} {}", names::SURNAMES[s].0, middles[m], givens[g]);
                Rc::new(NameInfo {
                    folded: text::fold(&full),
                    sort_key: text::sort_key(&full),
                    keys: name_keys(&full),
                    full,
                })
            })
            .clone()
    }

    fn draft(&mut self, org: &OrgDraft, path: &Rc<str>) -> Draft {
        let id = self.next_id;
        self.next_id += 1;
        let reference = self.reference;
        let female = self.rng.chance(4_200);
        let name = self.name(female);
        let rng = &mut self.rng;
        let ethnicity = names::ETHNICITIES[rng.weighted(&self.ethnicity_weights)].0;
        let birth = day(1946, 1, 1) + days(rng.below(58 * 365));
        let status = STATUS_MIX[rng.weighted(&self.status_weights)].0;
        let (admitted, official) = if status == MemberStatus::Probationary {
            (reference - days(rng.below(360)), None)
        } else {
            let earliest = birth + days(18 * 365 + 5);
            let latest = (earliest + days(30 * 365)).min(reference - days(400));
            let admitted = earliest + days(rng.below(span(earliest, latest) + 1));
            (admitted, Some(admitted + days(365)))
        };
        let joined = admitted.max(org.founded_on);
        let since = match (status, official) {
            (MemberStatus::Probationary, _) => admitted,
            (MemberStatus::Official, Some(o)) => o,
            (_, o) => {
                let base = joined.max(o.unwrap_or(joined));
                base + days(1 + rng.below(span(base, reference).max(1)))
            }
        };
        let century_gender = u8::from(birth.year() >= 2000) * 2 + u8::from(female);
        let yy = birth.year().rem_euclid(100) as u8;
        let serial = self
            .serials
            .entry((org.province, century_gender, yy))
            .or_insert(0);
        *serial += 1;
        let citizen_id = format!(
            "{}{century_gender}{yy:02}{:06}",
            PROVINCES[org.province].2, serial
        );
        let rng = &mut self.rng;
        let left = !status.is_active();
        let mut memberships = Vec::with_capacity(2);
        let other = |rng: &mut Rng, holders: &[(i64, Date)]| {
            let pick = holders[rng.below(holders.len() as u64) as usize];
            (pick.0 != org.id).then_some(pick)
        };
        let transfer = (status == MemberStatus::Official && rng.chance(TRANSFER_SHARE))
            .then(|| other(rng, &self.holders))
            .flatten();
        match transfer {
            Some((from_org, from_founded)) => {
                // Moved here by official transfer in the first half of 2026.
                let on = day(2025, 12, 1) + days(rng.below(span(day(2025, 12, 1), reference)));
                let start = admitted.max(from_founded);
                memberships.push((
                    from_org,
                    start,
                    Some(on),
                    "official",
                    Some("Chuyển sinh hoạt đảng chính thức đi"),
                ));
                memberships.push((
                    org.id,
                    on,
                    None,
                    "official",
                    Some("Chuyển sinh hoạt đảng chính thức đến"),
                ));
                self.transfers += 1;
            }
            None => memberships.push((org.id, joined, left.then_some(since), "official", None)),
        }
        let host = if !left && rng.chance(TEMPORARY_SHARE) {
            other(rng, &self.holders)
        } else {
            None
        };
        if let Some((host, founded)) = host {
            let from = founded.max(reorg_plus(joined)) + days(rng.below(200));
            let to = from + days(90 + rng.below(275));
            memberships.push((
                host,
                from,
                Some(to),
                "temporary",
                Some("Sinh hoạt tạm thời"),
            ));
        }
        Draft {
            id,
            name,
            birth,
            female,
            ethnicity,
            citizen_id,
            admitted,
            official,
            status,
            since,
            org_id: org.id,
            org_path: path.clone(),
            memberships,
        }
    }
}

/// A span of a member's status: (status, from, to, reason).
pub type Status = (MemberStatus, Date, Option<Date>, Option<&'static str>);

/// The spans of a member's statuses: probation, then official, then the present status.
fn status_history(d: &Draft) -> Vec<Status> {
    let mut out = Vec::with_capacity(3);
    match d.official {
        None => out.push((MemberStatus::Probationary, d.admitted, None, None)),
        Some(official) => {
            out.push((MemberStatus::Probationary, d.admitted, Some(official), None));
            if d.status == MemberStatus::Official {
                out.push((MemberStatus::Official, official, None, None));
            } else {
                out.push((MemberStatus::Official, official, Some(d.since), None));
                let reason = match d.status {
                    MemberStatus::TemporarilyExempt => Some("Miễn sinh hoạt tạm thời vì ốm đau"),
                    MemberStatus::Exempt => Some("Miễn sinh hoạt do tuổi cao"),
                    MemberStatus::TransferredOut => Some("Chuyển sinh hoạt đảng ra ngoài"),
                    MemberStatus::Removed => Some("Bỏ sinh hoạt 3 tháng trong năm không có lý do"),
                    MemberStatus::Expelled => Some("Kỷ luật khai trừ"),
                    MemberStatus::Deceased => Some("Từ trần"),
                    _ => None,
                };
                out.push((d.status, d.since, None, reason));
            }
        }
    }
    out
}

/// A temporary stay begins after the member joined and after the reorganization.
fn reorg_plus(joined: Date) -> Date {
    joined.max(super::tree::reorganization_day())
}

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn days(n: u64) -> chrono::Days {
    chrono::Days::new(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histories_are_contiguous_and_end_in_the_status() {
        let tree =
            super::super::tree::build(&super::super::tree::Shape::for_members(3_000), &Rng::new(9));
        let mut maker = MemberMaker::new(
            &tree,
            &Rng::new(9),
            "2026-07-01T00:00:00Z",
            test_reference_day(),
        );
        let cell = tree.iter().find(|o| o.members > 0).unwrap();
        let path: Rc<str> = Rc::from(cell.path.as_str());
        for _ in 0..5_000 {
            let d = maker.draft(cell, &path);
            let h = status_history(&d);
            assert_eq!(h.last().unwrap().0, d.status);
            assert!(h.last().unwrap().2.is_none());
            for w in h.windows(2) {
                assert_eq!(w[0].2, Some(w[1].1), "member {}", d.id);
                assert!(w[0].1 <= w[1].1);
            }
            assert!(d.since <= test_reference_day());
            assert_eq!(d.citizen_id.len(), 12);
            assert!(d.memberships.iter().all(|m| m.2.is_none_or(|to| m.1 < to)));
        }
    }
}
