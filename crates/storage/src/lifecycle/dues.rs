//! Dues: income declarations over time, exemptions and reductions, payments recorded by the
//! cell per month, each member's dues and arrears, and a cell's monthly sheet.

use std::collections::BTreeMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::{
    self, Arrears, ExemptionReason, Income, MonthDues, Relief, YearMonth,
};
use serde::{Deserialize, Serialize};

use super::{audit_lifecycle, member_path, rules};
use crate::members::MemberReader;
use crate::orgs::{OrgReader, today};
use crate::row::{int, opt_text, text};
use crate::{Actor, Scope, Store, StoreResult};

/// One month of a member's dues: what was due (unknown without an income declaration) and
/// what was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesLine {
    pub month: YearMonth,
    pub dues: Option<MonthDues>,
    pub paid_vnd: u64,
}

impl DuesLine {
    pub fn due_vnd(&self) -> u64 {
        self.dues.as_ref().map_or(0, |d| d.due_vnd)
    }

    pub fn owed_vnd(&self) -> u64 {
        self.due_vnd().saturating_sub(self.paid_vnd)
    }
}

/// A row of a cell's monthly dues sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    pub member_id: i64,
    pub full_name: String,
    pub status: String,
    pub line: DuesLine,
    /// Months of the year up to this one with dues left unpaid.
    pub unpaid_months_in_year: Vec<YearMonth>,
    /// Charter art. 8: unpaid for `removal.months_missed_in_year` months this year.
    pub removal_alert: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesSheet {
    pub org_code: String,
    pub org_name: String,
    pub month: YearMonth,
    pub rows: Vec<SheetRow>,
    pub total_due_vnd: u64,
    pub total_paid_vnd: u64,
}

/// A member with dues left unpaid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsRow {
    pub member_id: i64,
    pub full_name: String,
    pub org_id: Option<i64>,
    pub arrears: Arrears,
    pub removal_alert: bool,
}

fn ym_text(m: YearMonth) -> String {
    m.to_string()
}

/// A granted exemption or reduction with its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliefRecord {
    pub id: i64,
    #[serde(flatten)]
    pub relief: Relief,
    pub document: String,
}

impl Store {
    /// Declares the member's income from `from` on. A second declaration for the same month
    /// is a conflict: declare from a later month instead.
    pub async fn declare_income(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        from: YearMonth,
        income: Income,
    ) -> StoreResult<()> {
        let rec = format!("member {member_id}");
        income.validate(&rec)?;
        let path = member_path(self, scope, member_id).await?;
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "INSERT INTO dues_incomes (member_id, from_month, kind, base_vnd, recorded_at) VALUES (?, ?, ?, ?, ?)",
        );
        let base = i64::try_from(income.base_vnd)
            .map_err(|_| DomainError::invalid(&rec, "base_vnd", "is too large"))?;
        sqlx::query(&sql)
            .bind(member_id)
            .bind(ym_text(from))
            .bind(income.kind.as_str())
            .bind(base)
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "dues.income",
            "member",
            member_id,
            &path,
            serde_json::json!({ "from": from, "income": income }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Grants an exemption or a reduction (checked against the rules in force when it starts).
    pub async fn grant_dues_relief(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        relief: Relief,
        document: &str,
    ) -> StoreResult<()> {
        let rec = format!("dues relief for member {member_id}");
        let book = rules(relief.from.first_day())?;
        relief.validate(&rec, &book.dues)?;
        if document.trim().is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "document",
                "the decision's number is required",
            )
            .into());
        }
        let path = member_path(self, scope, member_id).await?;
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "INSERT INTO dues_reliefs (member_id, from_month, to_month, exemption, percent, document, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .bind(ym_text(relief.from))
            .bind(ym_text(relief.to))
            .bind(relief.exemption.map(ExemptionReason::as_str))
            .bind(i64::from(relief.percent))
            .bind(document.trim())
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "dues.relief",
            "member",
            member_id,
            &path,
            serde_json::json!({ "relief": relief, "document": document.trim() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every exemption and reduction granted to a member, oldest first.
    pub async fn dues_reliefs(
        &self,
        scope: &Scope,
        member_id: i64,
    ) -> StoreResult<Vec<ReliefRecord>> {
        member_path(self, scope, member_id).await?;
        let sql = self.db.sql(
            "SELECT id, from_month, to_month, exemption, percent, document FROM dues_reliefs \
             WHERE member_id = ? ORDER BY from_month, id",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(ReliefRecord {
                    id: int(r, "id")?,
                    relief: Relief {
                        from: YearMonth::parse(
                            "dues_reliefs",
                            "from_month",
                            &text(r, "from_month")?,
                        )?,
                        to: YearMonth::parse("dues_reliefs", "to_month", &text(r, "to_month")?)?,
                        exemption: opt_text(r, "exemption")?
                            .and_then(|e| ExemptionReason::parse(&e)),
                        percent: int(r, "percent")?.clamp(0, 100) as u32,
                    },
                    document: text(r, "document")?,
                })
            })
            .collect()
    }

    /// The cell records a payment of the member's dues for `month`.
    pub async fn record_dues_payment(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        month: YearMonth,
        amount_vnd: u64,
        paid_on: Date,
    ) -> StoreResult<()> {
        let rec = format!("dues payment of member {member_id}");
        let member = self.member(scope, member_id).await?;
        let org_id = member
            .org_id
            .ok_or_else(|| DomainError::invalid(&rec, "member_id", "the member has no cell"))?;
        let org = self.org(&Scope::all(), org_id).await?;
        if amount_vnd == 0 {
            return Err(DomainError::invalid(&rec, "amount_vnd", "must be more than 0").into());
        }
        if paid_on > today() {
            return Err(DomainError::invalid(&rec, "paid_on", "is in the future").into());
        }
        if let Some(admitted) = member.identity.admitted_on
            && month < YearMonth::of(admitted)
        {
            return Err(DomainError::invalid(
                &rec,
                "month",
                format!("{month} is before admission on {admitted}"),
            )
            .into());
        }
        let amount = i64::try_from(amount_vnd)
            .map_err(|_| DomainError::invalid(&rec, "amount_vnd", "is too large"))?;
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "INSERT INTO dues_payments (member_id, month, amount_vnd, paid_on, org_id, org_path, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .bind(ym_text(month))
            .bind(amount)
            .bind(paid_on.to_string())
            .bind(org.id)
            .bind(&org.path)
            .bind(crate::audit::now())
            .execute(&mut *tx)
            .await?;
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "dues.payment",
            "member",
            member_id,
            &org.path,
            serde_json::json!({ "month": month, "amount_vnd": amount_vnd, "paid_on": paid_on }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The member's dues month by month over `[from, to]`, for the months they were an
    /// active member (on the first or the last day of the month).
    pub async fn member_dues(
        &self,
        scope: &Scope,
        member_id: i64,
        from: YearMonth,
        to: YearMonth,
    ) -> StoreResult<Vec<DuesLine>> {
        member_path(self, scope, member_id).await?;
        Ok(self
            .dues_of_members(&[member_id], from, to)
            .await?
            .remove(&member_id)
            .unwrap_or_default())
    }

    /// The dues lines of many members at once, by id (see [`super::dues_ledger`]); no scope
    /// check: for callers that chose the members within theirs.
    pub(crate) async fn dues_of_members(
        &self,
        member_ids: &[i64],
        from: YearMonth,
        to: YearMonth,
    ) -> StoreResult<BTreeMap<i64, Vec<DuesLine>>> {
        super::dues_ledger::dues_lines(
            &self.db,
            member_ids,
            from,
            to,
            super::dues_ledger::Whose::Every,
        )
        .await
    }

    /// Members holding official membership in the cell for `month`: on its last day, or on
    /// its first day when they held none anywhere on the last (they left the party).
    async fn sheet_members(
        &self,
        cell_id: i64,
        month: YearMonth,
    ) -> StoreResult<Vec<(i64, String, String)>> {
        let first = month.first_day().to_string();
        let last = month.last_day().to_string();
        let sql = self.db.sql(
            "SELECT DISTINCT m.id, m.full_name, m.status, m.sort_key FROM memberships ms JOIN members m ON m.id = ms.member_id \
             WHERE ms.org_id = ? AND ms.kind = 'official' AND ms.valid_from <= ? AND ( \
               ms.valid_to IS NULL OR ms.valid_to > ? OR ( ms.valid_to > ? AND NOT EXISTS ( \
                 SELECT 1 FROM memberships o WHERE o.member_id = ms.member_id AND o.kind = 'official' \
                 AND o.valid_from <= ? AND (o.valid_to IS NULL OR o.valid_to > ?)))) \
             ORDER BY m.sort_key, m.id",
        );
        let rows = sqlx::query(&sql)
            .bind(cell_id)
            .bind(&last)
            .bind(&last)
            .bind(&first)
            .bind(&last)
            .bind(&last)
            .fetch_all(self.db.read())
            .await?;
        rows.iter()
            .map(|r| Ok((int(r, "id")?, text(r, "full_name")?, text(r, "status")?)))
            .collect()
    }

    /// A cell's dues sheet for `month`: each member's dues, payment, and unpaid months of
    /// the year so far.
    pub async fn dues_sheet(
        &self,
        scope: &Scope,
        cell_id: i64,
        month: YearMonth,
    ) -> StoreResult<DuesSheet> {
        let org = self.org(scope, cell_id).await?;
        if !org.kind.holds_members() {
            return Err(DomainError::invalid(
                format!("organization {}", org.code),
                "org_id",
                "dues sheets are kept by cells",
            )
            .into());
        }
        let book = rules(month.last_day())?;
        let year_start = YearMonth::new("dues sheet", "month", month.year, 1)?;
        let members = self.sheet_members(cell_id, month).await?;
        let ids: Vec<i64> = members.iter().map(|m| m.0).collect();
        let mut ledgers = self.dues_of_members(&ids, year_start, month).await?;
        let mut rows = Vec::new();
        for (id, full_name, status) in members {
            let lines = ledgers.remove(&id).unwrap_or_default();
            let Some(line) = lines.iter().find(|l| l.month == month).cloned() else {
                continue;
            };
            let unpaid: Vec<YearMonth> = lines
                .iter()
                .filter(|l| l.owed_vnd() > 0)
                .map(|l| l.month)
                .collect();
            let removal_alert = unpaid.len() as u32 >= book.removal.months_missed_in_year;
            rows.push(SheetRow {
                member_id: id,
                full_name,
                status,
                line,
                unpaid_months_in_year: unpaid,
                removal_alert,
            });
        }
        Ok(DuesSheet {
            org_code: org.code,
            org_name: org.name,
            month,
            total_due_vnd: rows.iter().map(|r| r.line.due_vnd()).sum(),
            total_paid_vnd: rows.iter().map(|r| r.line.paid_vnd).sum(),
            rows,
        })
    }

    /// Active members of an organization's subtree with dues unpaid in `year` up to
    /// `through`, with the Charter art. 8 alert.
    pub async fn dues_arrears(
        &self,
        scope: &Scope,
        org_id: i64,
        through: YearMonth,
    ) -> StoreResult<Vec<ArrearsRow>> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let book = rules(through.last_day())?;
        let sql = self.db.sql(
            "SELECT id, full_name, org_id, admitted_on FROM members WHERE org_path >= ? AND org_path < ? \
             AND status IN ('probationary', 'official', 'temporarily_exempt', 'exempt') ORDER BY sort_key, id",
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(self.db.read())
            .await?;
        let from = YearMonth::new("arrears", "month", through.year, 1)?;
        let ids = rows
            .iter()
            .map(|r| int(r, "id"))
            .collect::<StoreResult<Vec<i64>>>()?;
        let mut ledgers = self.dues_of_members(&ids, from, through).await?;
        let mut out = Vec::new();
        for (r, id) in rows.iter().zip(ids) {
            let lines = ledgers.remove(&id).unwrap_or_default();
            let due: Vec<MonthDues> = lines.iter().filter_map(|l| l.dues.clone()).collect();
            let paid: BTreeMap<YearMonth, u64> =
                lines.iter().map(|l| (l.month, l.paid_vnd)).collect();
            let arrears = dues::arrears(&due, &paid);
            if arrears.months.is_empty() {
                continue;
            }
            let removal_alert = dues::removal_alert(&book, through.year, &arrears).is_some();
            out.push(ArrearsRow {
                member_id: id,
                full_name: text(r, "full_name")?,
                org_id: crate::row::opt_int(r, "org_id")?,
                arrears,
                removal_alert,
            });
        }
        Ok(out)
    }
}
