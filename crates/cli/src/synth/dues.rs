//! A year of party dues for the synthetic nation, written with the year of meetings: every
//! member active during the year declared an income (most salaried, some pensioners, a few
//! students), and their cell recorded a payment for each month they were active, of what
//! the rulebook in force that month asks of that income and party age. About one member in
//! twenty-five stopped paying for the last months of the year, so the reports' arrears and
//! the Charter's removal alert for unpaid dues have something to count.

use std::collections::HashMap;

use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::dues::{self, Income, IncomeKind, YearMonth};
use grassroots_domain::lifecycle::party_age::party_years;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::bulk::Table;

use super::members::{Status, Stay};
use super::sink::Sink;
use super::tree::OrgDraft;

pub const INCOMES: Table = Table {
    name: "dues_incomes",
    columns: &["member_id", "from_month", "kind", "base_vnd", "recorded_at"],
};
pub const PAYMENTS: Table = Table {
    name: "dues_payments",
    columns: &[
        "member_id",
        "month",
        "amount_vnd",
        "paid_on",
        "org_id",
        "org_path",
        "recorded_at",
    ],
};

/// Members (per 10,000) who left the last months of the year unpaid.
const STOPPED_PAYING: i64 = 400;

/// The twelve months ending with the reference day's, each with the rules in force on
/// its first day.
#[derive(Debug)]
pub struct DuesYear {
    months: Vec<(YearMonth, Rulebook)>,
    /// Each organization's path, by id.
    paths: HashMap<i64, String>,
    now: String,
    pub incomes: u64,
    pub payments: u64,
}

impl DuesYear {
    pub fn new(tree: &[OrgDraft], now: &str, reference: Date) -> anyhow::Result<DuesYear> {
        let last = YearMonth::of(reference);
        let mut months = Vec::new();
        let mut month = last;
        for _ in 0..12 {
            months.push((month, Rulebook::in_force(month.first_day())?));
            let before = month.first_day().pred_opt().unwrap_or(month.first_day());
            month = YearMonth::of(before);
        }
        months.reverse();
        Ok(DuesYear {
            months,
            paths: tree.iter().map(|o| (o.id, o.path.clone())).collect(),
            now: now.to_owned(),
            incomes: 0,
            payments: 0,
        })
    }

    /// One member's income declaration and payments. The payment of a month is recorded by
    /// the cell of the member's official membership on its last day (their current cell
    /// when none).
    pub fn write(&mut self, sink: &mut Sink, member: Member<'_>) -> anyhow::Result<()> {
        let active_on = |day: Date| {
            member.history.iter().any(|(status, from, to, _)| {
                status.is_active() && *from <= day && to.is_none_or(|t| day < t)
            })
        };
        let active: Vec<&(YearMonth, Rulebook)> = self
            .months
            .iter()
            .filter(|(m, _)| active_on(m.first_day()) || active_on(m.last_day()))
            .collect();
        let Some((first, _)) = active.first() else {
            return Ok(());
        };
        let income = income_of(member.id);
        sink.push(INCOMES, |b| {
            b.int(member.id)
                .text(&first.to_string())
                .text(income.kind.as_str())
                .int(income.base_vnd as i64)
                .text(&self.now);
        })?;
        self.incomes += 1;
        let stops = (member.id * 7_927 + 13) % 10_000 < STOPPED_PAYING;
        let unpaid_from = active.len().saturating_sub(4);
        for (i, (month, book)) in active.iter().enumerate() {
            if stops && i >= unpaid_from {
                break;
            }
            let years = party_years(member.admitted, &[], month.first_day());
            let due = dues::dues_under(book, *month, income, &[], years).due_vnd;
            if due == 0 {
                continue;
            }
            let cell =
                official_cell_on(member.memberships, month.last_day()).unwrap_or(member.cell_id);
            let path = self
                .paths
                .get(&cell)
                .map_or(member.cell_path, String::as_str);
            let paid_on = month.first_day() + chrono::Days::new(19);
            sink.push(PAYMENTS, |b| {
                b.int(member.id)
                    .text(&month.to_string())
                    .int(due as i64)
                    .date(paid_on)
                    .int(cell)
                    .text(path)
                    .text(&self.now);
            })?;
            self.payments += 1;
        }
        Ok(())
    }
}

/// What a member's dues are made from.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub id: i64,
    pub admitted: Date,
    pub cell_id: i64,
    pub cell_path: &'a str,
    pub memberships: &'a [Stay],
    pub history: &'a [Status],
}

/// Seven in ten salaried (4.5 to 14.5 million VND), two pensioners, one student.
fn income_of(id: i64) -> Income {
    let pick = (id * 2_654_435_761) % 10;
    let base = 4_500_000 + ((id * 40_503) % 11) as u64 * 1_000_000;
    match pick {
        0..=6 => Income {
            kind: IncomeKind::Salaried,
            base_vnd: base,
        },
        7 | 8 => Income {
            kind: IncomeKind::Pensioner,
            base_vnd: base / 2,
        },
        _ => Income {
            kind: IncomeKind::Student,
            base_vnd: 0,
        },
    }
}

fn official_cell_on(memberships: &[Stay], day: Date) -> Option<i64> {
    memberships
        .iter()
        .find(|(_, from, to, kind, _)| {
            *kind == "official" && *from <= day && to.is_none_or(|t| day < t)
        })
        .map(|(org, ..)| *org)
}
