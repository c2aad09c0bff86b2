//! The report of a province (issue 7: "renders in well under a second at 5.6M members"):
//! `grassroots_reports::build` for this year so far and for last year, each with its
//! previous-period comparison and its per-year figures, on the largest province.
//!
//! Ours is the report as the application builds it (yearly snapshots of closed years, see
//! `crates/reports/src/snapshot.rs`); the naive baseline computes every figure of the same
//! report from the records, with no snapshot. The first run checks that both agree.
//!
//! `report.province.current.after_write` is the running year again, each run preceded
//! (untimed) by one write in the province through the storage API, as a secretary would
//! make it: an attendance mark of the province's latest held meeting is corrected, back and
//! forth between present and absent with reason (a member's identity is saved again when
//! the province has no held meeting). The report must then show the write; the
//! first run after a write also checks that it equals the records.
//!
//! `report.province.current.after_registry_write` is the same with a write outside the
//! meetings area before each run (a member's identity saved again): the snapshot of the
//! figures other than the meetings' is computed again, the parts kept per organization
//! (dues, registry counts) only for the member's organizations.
//!
//! `report.province.current.cold` is the running year with nothing kept: every kept part
//! and report snapshot is deleted (untimed) before each run, as on the first report of a
//! period.

use anyhow::bail;
use chrono::Datelike;
use grassroots_domain::meetings::AttendanceStatus;
use grassroots_reports::{Period, build, build_from_records};
use grassroots_storage::meetings::MeetingWriter;
use grassroots_storage::members::{MemberReader, MemberWriter};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Actor, Scope, Store};
use sqlx::Row;

use super::measure::{time, time_prepared};
use super::{Context, Metric, queries};

pub const METRICS: &[&str] = &[
    "report.province.current",
    "report.province.past",
    "report.province.current.after_write",
    "report.province.current.cold",
    "report.province.current.after_registry_write",
];

pub async fn report_timing(ctx: &Context<'_>) -> anyhow::Result<Vec<Metric>> {
    let store = ctx.store;
    let province = queries::largest_province(store).await?;
    let today = chrono::Local::now().date_naive();
    let year_start = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1);
    let (Some(this_year), Some(last_year), Some(last_day)) = (
        year_start(today.year()),
        year_start(today.year() - 1),
        chrono::NaiveDate::from_ymd_opt(today.year() - 1, 12, 31),
    ) else {
        bail!("bench: no calendar around {today}");
    };
    let mut out = Vec::new();
    for (name, period) in [
        ("report.province.current", Period::new(this_year, today)?),
        ("report.province.past", Period::new(last_year, last_day)?),
    ] {
        equals_records(store, province, period, name).await?;
        let ours = time(ctx.ours_plan(), |_| async move {
            build(store, &Scope::all(), province, period).await?;
            Ok(())
        })
        .await?;
        let naive = time(ctx.naive_plan(), |_| async move {
            build_from_records(store, &Scope::all(), province, period).await?;
            Ok(())
        })
        .await?;
        out.push(ctx.metric(name, "ms", ours, naive));
    }
    let running = Period::new(this_year, today)?;
    if ctx.wants("report.province.current.after_write") {
        let target = province_write(store, province).await?;
        let write = move |i: usize| async move { target.write(store, i).await };
        out.push(
            prepared(
                ctx,
                province,
                running,
                "report.province.current.after_write",
                write,
            )
            .await?,
        );
    }
    if ctx.wants("report.province.current.after_registry_write") {
        let target = province_member(store, province).await?;
        let write = move |i: usize| async move { target.write(store, i).await };
        let name = "report.province.current.after_registry_write";
        out.push(prepared(ctx, province, running, name, write).await?);
    }
    if ctx.wants("report.province.current.cold") {
        let forget = |_: usize| async move { forget_kept(store).await };
        out.push(
            prepared(
                ctx,
                province,
                running,
                "report.province.current.cold",
                forget,
            )
            .await?,
        );
    }
    Ok(out)
}

/// `name`: the report of `province` for `period`, each run (ours and naive) preceded,
/// untimed, by `prepare`; the first run of ours checks the report against its records.
async fn prepared<P, PFut>(
    ctx: &Context<'_>,
    province: i64,
    period: Period,
    name: &str,
    prepare: P,
) -> anyhow::Result<Metric>
where
    P: Fn(usize) -> PFut + Copy,
    PFut: Future<Output = anyhow::Result<()>>,
{
    let store = ctx.store;
    let ours = time_prepared(ctx.ours_plan(), prepare, |i| async move {
        if i == 0 {
            equals_records(store, province, period, name).await
        } else {
            build(store, &Scope::all(), province, period).await?;
            Ok(())
        }
    })
    .await?;
    let naive = time_prepared(ctx.naive_plan(), prepare, |_| async move {
        build_from_records(store, &Scope::all(), province, period).await?;
        Ok(())
    })
    .await?;
    Ok(ctx.metric(name, "ms", ours, naive))
}

/// Builds the report as the application does and stops the benchmark if it differs from
/// the report counted from the records.
async fn equals_records(
    store: &Store,
    province: i64,
    period: Period,
    name: &str,
) -> anyhow::Result<()> {
    let ours = build(store, &Scope::all(), province, period).await?;
    let records = build_from_records(store, &Scope::all(), province, period).await?;
    if ours.lines != records.lines || ours.years != records.years {
        let mut differing = ours.differing_lines(&records);
        differing.truncate(5);
        bail!(
            "bench: {name}: the report of {province} for {period:?} differs from its records \
             (value / previous, other: from the records): {}{}",
            differing.join("; "),
            if ours.years == records.years {
                ""
            } else {
                "; and the years differ"
            }
        );
    }
    Ok(())
}

/// Deletes what reports keep (meeting and registry parts, dues included; snapshots): the next
/// report starts cold.
async fn forget_kept(store: &Store) -> anyhow::Result<()> {
    for table in [
        "meeting_parts",
        "registry_parts",
        "registry_subtree_parts",
        "report_snapshots",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(store.db.write())
            .await?;
    }
    Ok(())
}

/// The write made before each run: an attendance mark corrected, or (in a data set without
/// held meetings in the province) a member's identity saved again, which changes no figure
/// but is a write in the province all the same.
#[derive(Debug, Clone, Copy)]
enum Write {
    Mark { meeting_id: i64, member_id: i64 },
    Identity { member_id: i64 },
}

impl Write {
    /// Makes the write through the storage API. A mark is absent with reason on even runs
    /// and present on odd ones.
    async fn write(self, store: &Store, i: usize) -> anyhow::Result<()> {
        let actor = Actor::new("system:bench");
        let scope = Scope::all();
        match self {
            Write::Mark {
                meeting_id,
                member_id,
            } => {
                let (status, reason) = if i.is_multiple_of(2) {
                    (AttendanceStatus::AbsentExcused, Some("benchmark: ill"))
                } else {
                    (AttendanceStatus::Present, None)
                };
                store
                    .correct_attendance(&actor, &scope, meeting_id, member_id, status, reason)
                    .await?;
            }
            Write::Identity { member_id } => {
                let member = store.member(&scope, member_id).await?;
                store
                    .update_identity(&actor, &scope, member_id, member.version, member.identity)
                    .await?;
            }
        }
        Ok(())
    }
}

/// A home member's mark at the latest held meeting in the province's subtree, or else one
/// of its members.
async fn province_write(store: &Store, province: i64) -> anyhow::Result<Write> {
    let path = store.org(&Scope::all(), province).await?.path;
    let (lo, hi) = grassroots_domain::tree_path::subtree_range(&path);
    let sql = store.db.sql(
        "SELECT a.meeting_id, a.member_id FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id JOIN orgs o ON o.id = m.org_id \
         WHERE o.path >= ? AND o.path < ? AND m.status = 'held' \
         AND a.role = 'home' ORDER BY m.held_on DESC, a.meeting_id, a.member_id LIMIT 1",
    );
    if let Some(row) = sqlx::query(&sql)
        .bind(&lo)
        .bind(&hi)
        .fetch_optional(store.db.read())
        .await?
    {
        return Ok(Write::Mark {
            meeting_id: row.try_get("meeting_id")?,
            member_id: row.try_get("member_id")?,
        });
    }
    province_member(store, province).await
}

/// A member of the province, whose identity is saved again.
async fn province_member(store: &Store, province: i64) -> anyhow::Result<Write> {
    let path = store.org(&Scope::all(), province).await?.path;
    let (lo, hi) = grassroots_domain::tree_path::subtree_range(&path);
    let sql = store.db.sql(
        "SELECT id FROM members WHERE org_path >= ? AND org_path < ? ORDER BY org_path, id LIMIT 1",
    );
    let Some(row) = sqlx::query(&sql)
        .bind(&lo)
        .bind(&hi)
        .fetch_optional(store.db.read())
        .await?
    else {
        bail!("bench: province {province} has no member to write to");
    };
    Ok(Write::Identity {
        member_id: row.try_get("id")?,
    })
}
