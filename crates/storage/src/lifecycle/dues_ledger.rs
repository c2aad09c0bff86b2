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

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::{
    self, ExemptionReason, Income, IncomeKind, Relief, YearMonth,
};
use grassroots_domain::lifecycle::party_age::{Gap, party_years};
use grassroots_domain::member::MemberStatus;
use grassroots_domain::rulebook::Rulebook;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::dues::DuesLine;
use super::rules;
use crate::row::{date, int, opt_date, opt_text, parsed, text};
use crate::{Db, StoreResult};

/// Members read per statement: far below every backend's bound-parameter limit.
const CHUNK: usize = 500;

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

/// The dues lines over `[from, to]` of each of `member_ids` that exists (see
/// [`ledger_lines`]); members are read [`CHUNK`] at a time.
pub(crate) async fn dues_lines(
    db: &Db,
    conn: &mut AnyConnection,
    member_ids: &[i64],
    from: YearMonth,
    to: YearMonth,
) -> StoreResult<BTreeMap<i64, Vec<DuesLine>>> {
    // Each month's rules, looked up once for every member.
    let months = from
        .through(to)
        .into_iter()
        .map(|m| Ok((m, rules(m.first_day())?)))
        .collect::<StoreResult<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for chunk in member_ids.chunks(CHUNK) {
        for (id, ledger) in read_ledgers(db, conn, chunk, from, to).await? {
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

/// The ledgers of the members of `ids` that exist, by id.
async fn read_ledgers(
    db: &Db,
    conn: &mut AnyConnection,
    ids: &[i64],
    from: YearMonth,
    to: YearMonth,
) -> StoreResult<BTreeMap<i64, Ledger>> {
    let list = vec!["?"; ids.len()].join(", ");
    let mut ledgers: BTreeMap<i64, Ledger> = BTreeMap::new();
    for r in fetch(
        db,
        conn,
        &format!("SELECT id, admitted_on FROM members WHERE id IN ({list})"),
        ids,
        &[],
    )
    .await?
    {
        let ledger = Ledger {
            admitted: opt_date(&r, "admitted_on")?,
            ..Ledger::default()
        };
        ledgers.insert(int(&r, "id")?, ledger);
    }
    let outcomes = fetch(
        db,
        conn,
        &format!(
            "SELECT member_id, kind, effective_on FROM member_outcomes WHERE member_id IN ({list}) \
             ORDER BY member_id, effective_on, id"
        ),
        ids,
        &[],
    )
    .await?;
    for r in &outcomes {
        if let Some(l) = ledgers.get_mut(&int(r, "member_id")?) {
            super::add_outcome_to_gaps(&mut l.gaps, &text(r, "kind")?, date(r, "effective_on")?);
        }
    }
    for r in fetch(
        db,
        conn,
        &format!(
            "SELECT member_id, from_month, kind, base_vnd FROM dues_incomes WHERE member_id IN ({list}) \
             ORDER BY member_id, from_month"
        ),
        ids,
        &[],
    )
    .await?
    {
        if let Some(l) = ledgers.get_mut(&int(&r, "member_id")?) {
            l.incomes.push((
                YearMonth::parse("dues_incomes", "from_month", &text(&r, "from_month")?)?,
                Income {
                    kind: parsed(&r, "kind", IncomeKind::parse)?,
                    base_vnd: int(&r, "base_vnd")?.max(0) as u64,
                },
            ));
        }
    }
    for r in fetch(
        db,
        conn,
        &format!(
            "SELECT member_id, from_month, to_month, exemption, percent FROM dues_reliefs \
             WHERE member_id IN ({list}) ORDER BY member_id, id"
        ),
        ids,
        &[],
    )
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
    for r in fetch(
        db,
        conn,
        &format!(
            "SELECT member_id, month, CAST(SUM(amount_vnd) AS BIGINT) AS paid FROM dues_payments \
             WHERE member_id IN ({list}) AND month >= ? AND month <= ? GROUP BY member_id, month"
        ),
        ids,
        &[from.to_string(), to.to_string()],
    )
    .await?
    {
        if let Some(l) = ledgers.get_mut(&int(&r, "member_id")?) {
            l.paid.insert(
                YearMonth::parse("dues_payments", "month", &text(&r, "month")?)?,
                int(&r, "paid")?.max(0) as u64,
            );
        }
    }
    for r in fetch(
        db,
        conn,
        &format!(
            "SELECT member_id, status, valid_from, valid_to FROM member_statuses WHERE member_id IN ({list})"
        ),
        ids,
        &[],
    )
    .await?
    {
        if let Some(l) = ledgers.get_mut(&int(&r, "member_id")?) {
            l.spans.push((
                parsed(&r, "status", MemberStatus::parse)?,
                date(&r, "valid_from")?,
                opt_date(&r, "valid_to")?,
            ));
        }
    }
    Ok(ledgers)
}

/// Runs `sql` with the ids bound first, then `more`.
async fn fetch(
    db: &Db,
    conn: &mut AnyConnection,
    sql: &str,
    ids: &[i64],
    more: &[String],
) -> StoreResult<Vec<AnyRow>> {
    let sql = db.sql(sql).into_owned();
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    for m in more {
        q = q.bind(m.clone());
    }
    Ok(q.fetch_all(&mut *conn).await?)
}
