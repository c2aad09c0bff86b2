//! Members' dues month by month, read for many members at once.
//!
//! A member's dues depend on their admission date and times out of the party (the dues
//! rate grows with party years), their income declarations, reliefs, payments and status
//! history. Read member by member that is six statements each: a province's report or
//! arrears list, where every member has declared an income, would issue hundreds of
//! thousands. Here the same six reads cover a chunk of members each, and every member's
//! lines are computed from what was read, by the one computation [`ledger_lines`] that a
//! single member's dues ([`Store::member_dues`]) goes through as well.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::{
    self, ExemptionReason, Income, IncomeKind, Relief, YearMonth,
};
use grassroots_domain::lifecycle::party_age::{Gap, party_years};
use grassroots_domain::member::MemberStatus;
use grassroots_domain::rulebook::Rulebook;

use super::dues::DuesLine;
use super::rules;
use crate::db::placeholders;
use crate::row::{date, int, opt_date, opt_int, opt_text, parsed, text};
use crate::{Db, StoreResult};

/// Members read per statement: far below every backend's bound-parameter limit.
const CHUNK: usize = 500;

/// Months of payments read per statement, each a column (below every backend's limit on
/// columns and parameters, with [`CHUNK`] ids beside them).
const MONTH_COLUMNS: usize = 120;

/// What one member's dues are computed from.
#[derive(Debug, Default)]
struct Ledger {
    admitted: Option<Date>,
    gaps: Vec<Gap>,
    /// By first month, in order.
    incomes: Vec<(YearMonth, Income)>,
    reliefs: Vec<Relief>,
    paid: BTreeMap<YearMonth, u64>,
    /// Status spans `[from, to)`.
    spans: Vec<(MemberStatus, Date, Option<Date>)>,
}

/// Whose ledgers to read among the members asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whose {
    /// Every member that exists: one without an income declaration gets lines whose dues
    /// are unknown.
    Every,
    /// Only the members who declared an income: the others owe nothing on record, and
    /// nothing more is read for them.
    Declared,
}

/// The dues lines over `[from, to]` of each of `member_ids` that exists (see
/// [`ledger_lines`]), or only of those who declared an income (`whose`); members are read
/// [`CHUNK`] at a time.
pub(crate) async fn dues_lines(
    db: &Db,
    member_ids: &[i64],
    from: YearMonth,
    to: YearMonth,
    whose: Whose,
) -> StoreResult<BTreeMap<i64, Vec<DuesLine>>> {
    // Each month's rules, looked up once for every member.
    let months = from
        .through(to)
        .into_iter()
        .map(|m| Ok((m, rules(m.first_day())?)))
        .collect::<StoreResult<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for chunk in member_ids.chunks(CHUNK) {
        for (id, ledger) in read_ledgers(db, chunk, from, to, whose).await? {
            out.insert(id, ledger_lines(&ledger, &months));
        }
    }
    Ok(out)
}

/// One line per month of `months` (each with the rules in force on its first day) in
/// which the member was active on the first or the last day; what was due is unknown
/// (`None`) before any income declaration.
fn ledger_lines(ledger: &Ledger, months: &[(YearMonth, Rulebook)]) -> Vec<DuesLine> {
    let active_on = |day: Date| {
        ledger
            .spans
            .iter()
            .any(|(s, start, end)| s.is_active() && *start <= day && end.is_none_or(|e| day < e))
    };
    let mut out = Vec::new();
    for (month, book) in months {
        let month = *month;
        if !active_on(month.first_day()) && !active_on(month.last_day()) {
            continue;
        }
        let income = ledger
            .incomes
            .iter()
            .rev()
            .find(|(m, _)| *m <= month)
            .map(|(_, i)| *i);
        let years = ledger
            .admitted
            .map_or(0, |a| party_years(a, &ledger.gaps, month.first_day()));
        let dues = income.map(|i| dues::dues_under(book, month, i, &ledger.reliefs, years));
        out.push(DuesLine {
            month,
            dues,
            paid_vnd: ledger.paid.get(&month).copied().unwrap_or(0),
        });
    }
    out
}

/// The ledgers of the members of `ids` that exist (with [`Whose::Declared`], only those who
/// declared an income), by id.
///
/// The members, their income declarations and their status spans come in one statement,
/// and the other reads name only the members it returned: a member without a declaration,
/// when only those with one are wanted, costs nothing further. Status spans are read only
/// where they overlap the months (the others cannot make a month active). A chunk's rows,
/// not its index lookups, are what its reads cost (through the driver, some ten times what
/// SQLite takes to find them), hence as few rows as possible.
async fn read_ledgers(
    db: &Db,
    ids: &[i64],
    from: YearMonth,
    to: YearMonth,
    whose: Whose,
) -> StoreResult<BTreeMap<i64, Ledger>> {
    let join = match whose {
        Whose::Every => "LEFT JOIN",
        Whose::Declared => "JOIN",
    };
    // A member's incomes times their spans: one row for most members (one declaration,
    // one span over the months). Repeats of an income or a span are skipped. The ids are
    // named for the declarations too: joined on the member alone, PostgreSQL scans every
    // declaration of the nation for each chunk instead of looking up five hundred.
    let list = placeholders(ids.len());
    let sql = format!(
        "SELECT m.id, m.admitted_on, d.from_month, d.kind, d.base_vnd, \
         s.status, s.valid_from, s.valid_to FROM members m \
         {join} dues_incomes d ON d.member_id = m.id AND d.member_id IN ({list}) \
         LEFT JOIN member_statuses s ON s.member_id = m.id \
         AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to > ?) \
         WHERE m.id IN ({list}) ORDER BY m.id, d.from_month"
    );
    let rows = db
        .select(sql)
        .bind_all(ids.iter().copied())
        .bind(to.last_day().to_string())
        .bind(from.first_day().to_string())
        .bind_all(ids.iter().copied())
        .fetch_all()
        .await?;
    let mut ledgers: BTreeMap<i64, Ledger> = BTreeMap::new();
    for r in rows {
        let id = int(&r, "id")?;
        let ledger = match ledgers.entry(id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(Ledger {
                admitted: opt_date(&r, "admitted_on")?,
                ..Ledger::default()
            }),
        };
        if let Some(month) = opt_text(&r, "from_month")? {
            let month = YearMonth::parse("dues_incomes", "from_month", &month)?;
            if ledger.incomes.last().is_none_or(|(m, _)| *m != month) {
                ledger.incomes.push((
                    month,
                    Income {
                        kind: parsed(&r, "kind", IncomeKind::parse)?,
                        base_vnd: int(&r, "base_vnd")?.max(0) as u64,
                    },
                ));
            }
        }
        if opt_text(&r, "valid_from")?.is_some() {
            let span = (
                parsed(&r, "status", MemberStatus::parse)?,
                date(&r, "valid_from")?,
                opt_date(&r, "valid_to")?,
            );
            if !ledger.spans.contains(&span) {
                ledger.spans.push(span);
            }
        }
    }
    if ledgers.is_empty() {
        return Ok(ledgers);
    }
    let ids: Vec<i64> = ledgers.keys().copied().collect();
    let list = placeholders(ids.len());
    let outcomes = db
        .select(format!(
            "SELECT member_id, kind, effective_on FROM member_outcomes WHERE member_id IN ({list}) \
             ORDER BY member_id, effective_on, id"
        ))
        .bind_all(ids.iter().copied())
        .fetch_all()
        .await?;
    for r in &outcomes {
        if let Some(l) = ledgers.get_mut(&int(r, "member_id")?) {
            super::add_outcome_to_gaps(&mut l.gaps, &text(r, "kind")?, date(r, "effective_on")?);
        }
    }
    for r in db
        .select(format!(
            "SELECT member_id, from_month, to_month, exemption, percent FROM dues_reliefs \
             WHERE member_id IN ({list}) ORDER BY member_id, id"
        ))
        .bind_all(ids.iter().copied())
        .fetch_all()
        .await?
    {
        if let Some(l) = ledgers.get_mut(&int(&r, "member_id")?) {
            l.reliefs.push(Relief {
                from: YearMonth::parse("dues_reliefs", "from_month", &text(&r, "from_month")?)?,
                to: YearMonth::parse("dues_reliefs", "to_month", &text(&r, "to_month")?)?,
                exemption: opt_text(&r, "exemption")?.and_then(|e| ExemptionReason::parse(&e)),
                percent: int(&r, "percent")?.clamp(0, 100) as u32,
            });
        }
    }
    // One row per member with a column per month, not a row per member and month (a
    // year's payments of five hundred members were some six thousand rows).
    let months = from.through(to);
    for block in months.chunks(MONTH_COLUMNS) {
        let columns: Vec<String> = (0..block.len())
            .map(|i| {
                format!("CAST(SUM(CASE WHEN month = ? THEN amount_vnd END) AS BIGINT) AS p{i}")
            })
            .collect();
        let (first, last) = match (block.first(), block.last()) {
            (Some(f), Some(l)) => (f.to_string(), l.to_string()),
            _ => continue,
        };
        let sql = format!(
            "SELECT member_id, {} FROM dues_payments \
             WHERE member_id IN ({list}) AND month >= ? AND month <= ? GROUP BY member_id",
            columns.join(", ")
        );
        let rows = db
            .select(sql)
            .bind_all(block.iter().map(|m| m.to_string()))
            .bind_all(ids.iter().copied())
            .bind(first)
            .bind(last)
            .fetch_all()
            .await?;
        for r in rows {
            let Some(l) = ledgers.get_mut(&int(&r, "member_id")?) else {
                continue;
            };
            for (i, month) in block.iter().enumerate() {
                if let Some(paid) = opt_int(&r, &format!("p{i}"))? {
                    l.paid.insert(*month, paid.max(0) as u64);
                }
            }
        }
    }
    Ok(ledgers)
}

#[cfg(test)]
mod tests {
    use grassroots_domain::member::{Gender, MemberIdentity};
    use grassroots_domain::org::OrgKind;

    use super::*;
    use crate::members::{MemberWriter, NewMember};
    use crate::orgs::{NewOrg, OrgReader, OrgWriter};
    use crate::testing::fresh_store;
    use crate::{Actor, Scope, Store};

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse("test", "month", s).unwrap()
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    async fn member(store: &Store, org_id: i64, name: &str, admitted: &str) -> i64 {
        let identity = MemberIdentity {
            full_name: name.into(),
            birth_date: day("1980-04-30"),
            gender: Gender::Male,
            ethnicity: "Kinh".into(),
            citizen_id: None,
            party_card_no: None,
            admitted_on: Some(day(admitted)),
            official_on: None,
        };
        let new = NewMember {
            identity,
            org_id,
            status: MemberStatus::Probationary,
            status_since: day(admitted),
            joined_on: day(admitted),
        };
        let actor = Actor::new("test");
        store
            .create_member(&actor, &Scope::all(), new)
            .await
            .unwrap()
            .id
    }

    /// Members read together get what each one's own ledger says, over any window of
    /// months: status spans outside the window, other members' incomes and payments, and
    /// members without an income declaration change nothing.
    #[tokio::test]
    async fn ledgers_read_together_match_each_members_own_over_any_window() {
        let store = fresh_store().await;
        let (actor, all) = (Actor::new("test"), Scope::all());
        let mut parent = None;
        for (code, kind) in [
            ("TINH", OrgKind::Provincial),
            ("PHUONG", OrgKind::GrassrootsCommittee),
            ("CB", OrgKind::Cell),
        ] {
            let new = NewOrg {
                code: code.into(),
                name: format!("Tổ chức {code}"),
                kind,
                parent_id: parent,
                founded_on: day("2010-01-01"),
                decision: None,
            };
            parent = Some(store.create_org(&actor, &all, new).await.unwrap().id);
        }
        let org = store.org(&all, parent.unwrap()).await.unwrap();
        // Official a year after admission, removed mid-February 2026.
        let left = member(&store, org.id, "Rời Đi", "2024-03-01").await;
        store
            .change_status(
                &actor,
                &all,
                left,
                MemberStatus::Official,
                day("2025-03-01"),
                None,
            )
            .await
            .unwrap();
        store
            .change_status(
                &actor,
                &all,
                left,
                MemberStatus::Removed,
                day("2026-02-15"),
                None,
            )
            .await
            .unwrap();
        // Admitted in March 2026; official from the first day of January 2026 for the
        // other (a span ending on the window's first day).
        let late = member(&store, org.id, "Vào Sau", "2026-03-10").await;
        let turned = member(&store, org.id, "Chính Thức", "2024-12-01").await;
        store
            .change_status(
                &actor,
                &all,
                turned,
                MemberStatus::Official,
                day("2026-01-01"),
                None,
            )
            .await
            .unwrap();
        // No income declared.
        let silent = member(&store, org.id, "Chưa Khai", "2020-01-01").await;
        for (id, from, base) in [
            (left, "2025-06", 8_000_000),
            (late, "2026-03", 5_000_000),
            (turned, "2025-01", 6_000_000),
            (turned, "2026-02", 9_000_000),
        ] {
            let income = Income {
                kind: IncomeKind::Salaried,
                base_vnd: base,
            };
            store
                .declare_income(&actor, &all, id, ym(from), income)
                .await
                .unwrap();
        }
        for (id, month, amount) in [
            (left, "2025-12", 80_000),
            (left, "2026-01", 80_000),
            (turned, "2026-02", 40_000),
            (turned, "2026-02", 50_000),
            (late, "2026-04", 1_000),
            (silent, "2026-01", 10_000),
        ] {
            store
                .record_dues_payment(&actor, &all, id, ym(month), amount, day("2026-04-20"))
                .await
                .unwrap();
        }
        let ids = [left, late, turned, silent, 999_999];
        // Thirteen years: the payments come in two statements (see `MONTH_COLUMNS`).
        let wide = dues_lines(&store.db, &ids, ym("2014-01"), ym("2026-12"), Whose::Every)
            .await
            .unwrap();
        for (from, to) in [
            ("2026-01", "2026-04"),
            ("2025-12", "2026-01"),
            ("2026-03", "2026-03"),
        ] {
            let (from, to) = (ym(from), ym(to));
            let every = dues_lines(&store.db, &ids, from, to, Whose::Every)
                .await
                .unwrap();
            let declared = dues_lines(&store.db, &ids, from, to, Whose::Declared)
                .await
                .unwrap();
            assert_eq!(
                every.keys().copied().collect::<Vec<_>>(),
                [left, late, turned, silent]
            );
            assert_eq!(
                declared.keys().copied().collect::<Vec<_>>(),
                [left, late, turned]
            );
            for (id, lines) in &every {
                let own = store.member_dues(&all, *id, from, to).await.unwrap();
                assert_eq!(lines, &own, "member {id}, {from}..{to}");
                let in_wide: Vec<DuesLine> = wide[id]
                    .iter()
                    .filter(|l| from <= l.month && l.month <= to)
                    .cloned()
                    .collect();
                assert_eq!(lines, &in_wide, "member {id}, {from}..{to}");
                if let Some(d) = declared.get(id) {
                    assert_eq!(d, lines, "member {id}, {from}..{to}");
                }
            }
        }
        let months = |id: i64| -> Vec<String> {
            wide[&id]
                .iter()
                .filter(|l| l.month >= ym("2026-01") && l.month <= ym("2026-04"))
                .map(|l| l.month.to_string())
                .collect()
        };
        assert_eq!(months(left), ["2026-01", "2026-02"]);
        assert_eq!(months(late), ["2026-03", "2026-04"]);
        assert_eq!(months(turned).len(), 4);
        let feb = wide[&turned]
            .iter()
            .find(|l| l.month == ym("2026-02"))
            .unwrap();
        assert_eq!(feb.paid_vnd, 90_000);
        // Two declarations times two spans: each counted once, the later one from February.
        let jan = wide[&turned]
            .iter()
            .find(|l| l.month == ym("2026-01"))
            .unwrap();
        assert!(jan.due_vnd() > 0 && feb.due_vnd() > jan.due_vnd());
        assert!(wide[&silent].iter().all(|l| l.dues.is_none()));
    }
}
