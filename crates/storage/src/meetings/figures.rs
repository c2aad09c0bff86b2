//! Figures and alerts for any organization subtree and date range: meetings held against
//! meetings due, thematic meetings per quarter, attendance, members and cells flagged by
//! each rule, and meeting evaluations by level. Reports read the figures by their dotted
//! keys (`meetings.regular.held`, ...): [`MeetingFigures::keys`] lists them as domain
//! [`Figure`]s with their descriptions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;

use grassroots_domain::date::Date;
use grassroots_domain::figures::{Figure, FigureValue};
use grassroots_domain::meetings::{
    Alert, AlertRule, AttendanceFact, AttendanceStatus, CellFacts, MeetingFact, MeetingKind,
    MeetingRules, MeetingStatus, Period, Role, Window, evaluate_cell, evaluate_member,
};
use grassroots_domain::rulebook::Rulebook;
use grassroots_domain::tree_path;
use serde::{Deserialize, Serialize};

use super::dues::unpaid_dues_months;
use super::history::load_histories;
use super::parts::{Part, own_parts};
use super::{MEETING_COLUMNS, Meeting, meeting_from_row, placeholders};
use crate::db::Backend;
use crate::orgs::{ORG_COLUMNS, Org, OrgReader, org_from_row};
use crate::placed_tree::{self, existed_in_period, placed};
use crate::row::{date, int, parsed, text};
use crate::{Scope, Store, StoreResult};
use sqlx::AnyConnection;

/// The figures of one organization (a cell) or of a whole subtree (the totals).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellFigures {
    pub org_id: i64,
    pub code: String,
    pub name: String,
    pub regular_held: i64,
    /// Whole months of the period in which the cell existed: one regular meeting each.
    pub regular_due: i64,
    /// Of those months, the ones with a regular meeting held.
    pub regular_months_met: i64,
    pub thematic_held: i64,
    pub thematic_quarters_due: i64,
    pub thematic_quarters_met: i64,
    pub extraordinary_held: i64,
    pub plenary_held: i64,
    pub cancelled: i64,
    /// Still scheduled: not yet held nor cancelled.
    pub scheduled: i64,
    /// Attendance of the cell's own members at held cell meetings.
    pub present: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    /// Members on temporary transfer, counted apart from the cell's own.
    pub guests_present: i64,
    pub guests_absent: i64,
    /// Official-standing members at the end of the period (not guests).
    pub official_members: i64,
    pub alerts: i64,
}

impl CellFigures {
    /// Present as a share of the cell's own members' marks, in percent.
    pub fn attendance_rate(&self) -> Option<f64> {
        let all = self.present + self.absent_excused + self.absent_unexcused;
        (all > 0).then(|| (self.present as f64) * 100.0 / (all as f64))
    }

    pub(super) fn add(&mut self, o: &CellFigures) {
        self.regular_held += o.regular_held;
        self.regular_due += o.regular_due;
        self.regular_months_met += o.regular_months_met;
        self.thematic_held += o.thematic_held;
        self.thematic_quarters_due += o.thematic_quarters_due;
        self.thematic_quarters_met += o.thematic_quarters_met;
        self.extraordinary_held += o.extraordinary_held;
        self.plenary_held += o.plenary_held;
        self.cancelled += o.cancelled;
        self.scheduled += o.scheduled;
        self.present += o.present;
        self.absent_excused += o.absent_excused;
        self.absent_unexcused += o.absent_unexcused;
        self.guests_present += o.guests_present;
        self.guests_absent += o.guests_absent;
        self.official_members += o.official_members;
        self.alerts += o.alerts;
    }
}

/// Thematic meetings in one quarter (a block of `cell.thematic_meeting_every_months`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterFigures {
    pub label: String,
    pub thematic_held: i64,
    /// Cells that existed the whole quarter, with the quarter wholly inside the period.
    pub cells_due: i64,
    pub cells_met: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingFigures {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub period: Period,
    /// The rulebook version the rules were read from (in force on the period's last day).
    pub rulebook: String,
    pub totals: CellFigures,
    pub cells: Vec<CellFigures>,
    pub quarters: Vec<QuarterFigures>,
    pub evaluations_by_level: BTreeMap<String, i64>,
    pub alerts_by_rule: BTreeMap<String, i64>,
    /// Distinct members flagged by each member rule.
    pub members_flagged: BTreeMap<String, i64>,
    /// Distinct cells flagged by each cell rule.
    pub cells_flagged: BTreeMap<String, i64>,
    /// Every figure under its dotted key, for reports.
    pub keys: Vec<Figure>,
}

impl MeetingFigures {
    pub fn value(&self, key: &str) -> Option<FigureValue> {
        self.keys.iter().find(|k| k.key == key).map(|k| k.value)
    }
}

pub trait MeetingFiguresReader {
    fn meeting_figures(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> impl Future<Output = StoreResult<MeetingFigures>> + Send;
    /// Every alert raised in the subtree during the period, by date.
    fn meeting_alerts(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> impl Future<Output = StoreResult<Vec<Alert>>> + Send;
}

/// Which organizations a gathering covers: the root's whole subtree, or the root alone
/// (its own meetings, marks and alerts, for [`super::parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    Subtree,
    Own,
}

impl Reach {
    /// The day whose tree a gathering of `period` is drawn in: `None` for today's tree (a
    /// period that has not ended, or one organization's own records, which are the same in
    /// any tree); the period's last day for a subtree of a period that has ended, so that a
    /// district dissolved since counts the cells that were below it.
    pub(super) fn tree_on(self, period: &Period) -> Option<Date> {
        match self {
            Reach::Subtree => placed_tree::tree_on(period.to),
            Reach::Own => None,
        }
    }

    /// The half-open path range of the organizations covered.
    fn range(self, root: &str) -> (String, String) {
        match self {
            Reach::Subtree => tree_path::subtree_range(root),
            // Paths hold digits and slashes: `!` sorts before both, so nothing but the
            // root itself lies in `[root, root!)`.
            Reach::Own => (root.to_owned(), format!("{root}!")),
        }
    }
}

/// Everything read once for a subtree and period.
pub(super) struct Gathered {
    pub(super) root: Org,
    pub(super) rules: MeetingRules,
    pub(super) rulebook: String,
    pub(super) levels: Vec<String>,
    pub(super) orgs: Vec<Org>,
    pub(super) meetings: Vec<Meeting>,
    /// (org, role, status) → count, at held cell meetings.
    pub(super) marks: BTreeMap<(i64, Role, AttendanceStatus), i64>,
    /// Meeting evaluations by organization and level.
    pub(super) evaluations: BTreeMap<i64, BTreeMap<String, i64>>,
    pub(super) official: BTreeMap<i64, Vec<i64>>,
    pub(super) alerts: Vec<Alert>,
}

impl Store {
    pub(super) async fn gather(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
        reach: Reach,
    ) -> StoreResult<Gathered> {
        let mut pooled = self.db.read().acquire().await?;
        // PostgreSQL plans a prepared statement once for any values after five runs. The
        // generic plan of the member chunks below (500 ids and a date range) hashes every
        // meeting of the years, nation-wide: 150 ms a chunk, seconds for a province, where
        // the plan for the actual values walks the members' marks in a few milliseconds.
        // The connection plans each statement for its values while it gathers (it reads
        // the candidates' histories; the reads through `Db::select` below ask for the same
        // with `planned_for_values`).
        let postgres = self.db.backend() == Backend::Postgres;
        if postgres {
            sqlx::query("SET plan_cache_mode = force_custom_plan")
                .execute(&mut *pooled)
                .await?;
        }
        let gathered = self
            .gather_on(&mut pooled, scope, org_id, period, reach)
            .await;
        if postgres {
            sqlx::query("RESET plan_cache_mode")
                .execute(&mut *pooled)
                .await?;
        }
        gathered
    }

    async fn gather_on(
        &self,
        conn: &mut AnyConnection,
        scope: &Scope,
        org_id: i64,
        period: Period,
        reach: Reach,
    ) -> StoreResult<Gathered> {
        let root = self.org(scope, org_id).await?;
        let book = Rulebook::in_force(period.to)?;
        let rules = MeetingRules::from_rulebook(&book);
        let tree_on = reach.tree_on(&period);
        let placed = placed(tree_on);
        // The root's path in that tree (a root with no version at all covers nothing).
        let (lo, hi) = match &self.placed_path(&root, tree_on).await? {
            Some(path) => reach.range(path),
            None => (String::new(), String::new()),
        };
        let (from, to) = (period.from.to_string(), period.to.to_string());

        let existed = existed_in_period(tree_on);
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM orgs o WHERE o.id IN (SELECT t.id FROM {placed} t \
                 WHERE t.path >= ? AND t.path < ? AND {existed}) ORDER BY o.path"
        );
        let orgs = self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&to)
            .bind(&from)
            .planned_for_values()
            .fetch_all()
            .await?
            .iter()
            .map(org_from_row)
            .collect::<StoreResult<Vec<_>>>()?;

        let in_subtree = format!(
            "JOIN {placed} o ON o.id = m.org_id WHERE o.path >= ? AND o.path < ? \
             AND m.held_on >= ? AND m.held_on <= ?"
        );
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM meetings m {in_subtree} ORDER BY m.held_on, m.id"
        );
        let meetings = self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&from)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
            .iter()
            .map(meeting_from_row)
            .collect::<StoreResult<Vec<_>>>()?;

        let sql = format!(
            "SELECT m.org_id, a.role, a.status, COUNT(*) AS n FROM meeting_attendance a \
                 JOIN meetings m ON m.id = a.meeting_id {in_subtree} \
                 AND m.status = 'held' AND m.kind <> 'committee_plenary' GROUP BY m.org_id, a.role, a.status"
        );
        let mut marks = BTreeMap::new();
        for r in self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&from)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
        {
            marks.insert(
                (
                    int(&r, "org_id")?,
                    parsed(&r, "role", Role::parse)?,
                    parsed(&r, "status", AttendanceStatus::parse)?,
                ),
                int(&r, "n")?,
            );
        }

        let sql = format!(
            "SELECT m.org_id, e.level, COUNT(*) AS n FROM meeting_evaluations e JOIN meetings m ON m.id = e.meeting_id \
                 {in_subtree} GROUP BY m.org_id, e.level"
        );
        let mut evaluations: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
        for r in self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&from)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
        {
            evaluations
                .entry(int(&r, "org_id")?)
                .or_default()
                .insert(text(&r, "level")?, int(&r, "n")?);
        }

        // Official standing at the end of the period, by cell. A period ending today reads
        // the members' present cell and status (the same thing: a member's row names the
        // cell of the official membership open today, and no span starts in the future),
        // one range of the member index instead of a join of the history tables.
        let official_rows = if period.to >= crate::orgs::today() {
            let sql = "SELECT org_id, id AS member_id FROM members WHERE org_path >= ? AND org_path < ? \
                 AND org_id IS NOT NULL AND status IN ('official', 'exempt', 'temporarily_exempt') \
                 ORDER BY org_id, id";
            self.db
                .select(sql)
                .bind(&lo)
                .bind(&hi)
                .planned_for_values()
                .fetch_all()
                .await?
        } else {
            let sql = format!(
                "SELECT ms.org_id, ms.member_id FROM memberships ms \
                 JOIN member_statuses st ON st.member_id = ms.member_id JOIN {placed} o ON o.id = ms.org_id \
                 WHERE o.path >= ? AND o.path < ? AND ms.kind = 'official' \
                 AND ms.valid_from <= ? AND (ms.valid_to IS NULL OR ms.valid_to > ?) \
                 AND st.valid_from <= ? AND (st.valid_to IS NULL OR st.valid_to > ?) \
                 AND st.status IN ('official', 'exempt', 'temporarily_exempt') ORDER BY ms.org_id, ms.member_id"
            );
            self.db
                .select(sql)
                .bind(&lo)
                .bind(&hi)
                .bind(&to)
                .bind(&to)
                .bind(&to)
                .bind(&to)
                .planned_for_values()
                .fetch_all()
                .await?
        };
        let mut official: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for r in official_rows {
            let ids = official.entry(int(&r, "org_id")?).or_default();
            let member = int(&r, "member_id")?;
            if !ids.contains(&member) {
                ids.push(member);
            }
        }

        let sql = format!(
            "SELECT DISTINCT c.org_id FROM cell_committees c JOIN {placed} o ON o.id = c.org_id \
             WHERE o.path >= ? AND o.path < ? AND c.elected_on <= ? AND (c.ended_on IS NULL OR c.ended_on > ?)"
        );
        let mut committees = BTreeSet::new();
        for r in self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&to)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
        {
            committees.insert(int(&r, "org_id")?);
        }

        // Member rules: everyone with a mark in the subtree during the period, judged on
        // their whole record of the calendar years concerned (a run or a count of months
        // can start before the period or in another cell).
        let sql = format!(
            "SELECT DISTINCT a.member_id FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
                 {in_subtree} ORDER BY a.member_id"
        );
        let mut member_ids: BTreeSet<i64> = self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&from)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
            .iter()
            .map(|r| int(r, "member_id"))
            .collect::<StoreResult<_>>()?;
        // A removal proposal for dues alone is raised at the member's cell, with no mark
        // there: members who belonged to an organization of the range before the period
        // ended and declared an income are judged too. (So the proposals of any subtree are
        // the proposals of its organizations added up: see `parts`.)
        let sql = format!(
            "SELECT DISTINCT ms.member_id FROM memberships ms JOIN {placed} o ON o.id = ms.org_id \
             WHERE o.path >= ? AND o.path < ? AND ms.kind = 'official' AND ms.valid_from <= ? \
             AND EXISTS (SELECT 1 FROM dues_incomes d WHERE d.member_id = ms.member_id)"
        );
        for r in self
            .db
            .select(sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&to)
            .planned_for_values()
            .fetch_all()
            .await?
        {
            member_ids.insert(int(&r, "member_id")?);
        }
        let member_ids: Vec<i64> = member_ids.into_iter().collect();
        let year_from = Date::from_ymd_opt(period.from.year(), 1, 1).unwrap_or(period.from);
        let year_to = Date::from_ymd_opt(period.to.year(), 12, 31).unwrap_or(period.to);
        let years = (year_from.to_string(), year_to.to_string());
        // Only members who can break a member rule are read in full: those with an
        // absence without reason, more absences with reason than a run may hold, or months
        // of unpaid dues. Everyone else's record cannot raise an alert.
        let dues = unpaid_dues_months(&self.db, &member_ids, &period).await?;
        // Those whose marks can raise an alert (an absence without reason, or more with
        // reason than a run may hold): only their marks are read. The others' marks hold no
        // absence without reason and too few with reason for a run, so they count for
        // nothing in any member rule, and a member unpaid for months is judged on the
        // months alone (a year's marks of a hundred thousand members were read for that).
        let mut attending: BTreeSet<i64> = BTreeSet::new();
        for chunk in member_ids.chunks(500) {
            let sql = format!(
                "SELECT a.member_id FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
                     WHERE a.member_id IN ({}) AND m.status = 'held' AND m.held_on >= ? AND m.held_on <= ? \
                     AND a.status <> 'present' GROUP BY a.member_id \
                     HAVING SUM(CASE WHEN a.status = 'absent_unexcused' THEN 1 ELSE 0 END) > 0 \
                     OR SUM(CASE WHEN a.status = 'absent_excused' THEN 1 ELSE 0 END) > ?",
                placeholders(chunk.len())
            );
            let q = self.db.select(sql).bind_all(chunk.iter().copied());
            for r in q
                .bind(&years.0)
                .bind(&years.1)
                .bind(i64::from(rules.max_consecutive_excused))
                .planned_for_values()
                .fetch_all()
                .await?
            {
                attending.insert(int(&r, "member_id")?);
            }
        }
        let candidates: Vec<i64> = attending
            .iter()
            .chain(dues.keys())
            .copied()
            .collect::<BTreeSet<i64>>()
            .into_iter()
            .collect();
        let attending: Vec<i64> = attending.into_iter().collect();
        // Their marks, then the meetings they were made at: two lookups by key.
        // (Joined in one statement, PostgreSQL hashes every meeting of the years instead of
        // looking up the few hundred the marks name: 0.4–1.2 s a chunk at 10^6 members.)
        let mut marks_of: Vec<(i64, i64, AttendanceStatus)> = Vec::new();
        for chunk in attending.chunks(500) {
            let sql = format!(
                "SELECT member_id, meeting_id, status FROM meeting_attendance WHERE member_id IN ({})",
                placeholders(chunk.len())
            );
            let q = self.db.select(sql).bind_all(chunk.iter().copied());
            for r in q.planned_for_values().fetch_all().await? {
                marks_of.push((
                    int(&r, "member_id")?,
                    int(&r, "meeting_id")?,
                    parsed(&r, "status", AttendanceStatus::parse)?,
                ));
            }
        }
        let marked: Vec<i64> = marks_of
            .iter()
            .map(|(_, meeting, _)| *meeting)
            .collect::<BTreeSet<i64>>()
            .into_iter()
            .collect();
        // Held meetings of the calendar years concerned: (org, day, kind) by id.
        let mut held: BTreeMap<i64, (i64, Date, MeetingKind)> = BTreeMap::new();
        for chunk in marked.chunks(500) {
            let sql = format!(
                "SELECT id, org_id, held_on, kind FROM meetings WHERE id IN ({}) \
                     AND status = 'held' AND held_on >= ? AND held_on <= ?",
                placeholders(chunk.len())
            );
            let q = self.db.select(sql).bind_all(chunk.iter().copied());
            for r in q
                .bind(&years.0)
                .bind(&years.1)
                .planned_for_values()
                .fetch_all()
                .await?
            {
                held.insert(
                    int(&r, "id")?,
                    (
                        int(&r, "org_id")?,
                        date(&r, "held_on")?,
                        parsed(&r, "kind", MeetingKind::parse)?,
                    ),
                );
            }
        }
        let mut facts: BTreeMap<i64, Vec<AttendanceFact>> = BTreeMap::new();
        for (member_id, meeting_id, status) in marks_of {
            if let Some((org_id, day, kind)) = held.get(&meeting_id) {
                facts.entry(member_id).or_default().push(AttendanceFact {
                    meeting_id,
                    org_id: *org_id,
                    date: *day,
                    kind: *kind,
                    status,
                });
            }
        }
        for member_facts in facts.values_mut() {
            member_facts.sort_by_key(|f| (f.date, f.meeting_id));
        }
        let histories = load_histories(&self.db, conn, &candidates).await?;
        let org_ids: BTreeSet<i64> = orgs.iter().map(|o| o.id).collect();
        let mut alerts = Vec::new();
        for member_id in &candidates {
            let Some(history) = histories.get(member_id) else {
                continue;
            };
            let member_facts = facts.get(member_id).map(Vec::as_slice).unwrap_or(&[]);
            let unpaid = dues.get(member_id).map(Vec::as_slice).unwrap_or(&[]);
            alerts.extend(
                evaluate_member(&rules, history, member_facts, unpaid)
                    .into_iter()
                    .filter(|a| period.contains(a.on) && org_ids.contains(&a.org_id)),
            );
        }
        let mut meetings_of: BTreeMap<i64, Vec<&Meeting>> = BTreeMap::new();
        for m in &meetings {
            meetings_of.entry(m.org_id).or_default().push(m);
        }
        for org in orgs.iter().filter(|o| o.kind.holds_members()) {
            let cell = CellFacts {
                org_id: org.id,
                founded_on: org.founded_on,
                dissolved_on: org.dissolved_on,
                meetings: meetings_of
                    .get(&org.id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|m| MeetingFact {
                        id: m.id,
                        kind: m.kind,
                        date: m.date,
                        status: m.status,
                    })
                    .collect(),
                official_member_ids: official.get(&org.id).cloned().unwrap_or_default(),
                has_committee: committees.contains(&org.id),
            };
            alerts.extend(evaluate_cell(&rules, &cell, &period));
        }
        alerts.sort_by_key(|a| (a.on, a.org_id, a.rule, a.member_id));
        Ok(Gathered {
            root,
            rules,
            rulebook: book.id.clone(),
            levels: book.meeting_quality.levels.clone(),
            orgs,
            meetings,
            marks,
            evaluations,
            official,
            alerts,
        })
    }
}

fn held_in(meetings: &[&Meeting], kind: MeetingKind, first: Date, last: Date) -> bool {
    meetings.iter().any(|m| {
        m.kind == kind && m.status == MeetingStatus::Held && first <= m.date && m.date <= last
    })
}

/// The figures of one organization from what was gathered.
/// Meetings and alert counts by organization, grouped once (a province has thousands of
/// cells; filtering the whole list for each would be quadratic).
pub(super) struct ByOrg<'a> {
    meetings: BTreeMap<i64, Vec<&'a Meeting>>,
    alerts: BTreeMap<i64, i64>,
}

impl<'a> ByOrg<'a> {
    pub(super) fn of(g: &'a Gathered) -> ByOrg<'a> {
        let mut meetings: BTreeMap<i64, Vec<&Meeting>> = BTreeMap::new();
        for m in &g.meetings {
            meetings.entry(m.org_id).or_default().push(m);
        }
        let mut alerts = BTreeMap::new();
        for a in &g.alerts {
            *alerts.entry(a.org_id).or_default() += 1;
        }
        ByOrg { meetings, alerts }
    }
}

pub(super) fn tally(g: &Gathered, by_org: &ByOrg<'_>, org: &Org, period: &Period) -> CellFigures {
    let mine: Vec<&Meeting> = by_org.meetings.get(&org.id).cloned().unwrap_or_default();
    let count = |kind: MeetingKind| {
        mine.iter()
            .filter(|m| m.kind == kind && m.status == MeetingStatus::Held)
            .count() as i64
    };
    let mut f = CellFigures {
        org_id: org.id,
        code: org.code.clone(),
        name: org.name.clone(),
        regular_held: count(MeetingKind::Regular),
        thematic_held: count(MeetingKind::Thematic),
        extraordinary_held: count(MeetingKind::Extraordinary),
        plenary_held: count(MeetingKind::CommitteePlenary),
        cancelled: mine
            .iter()
            .filter(|m| m.status == MeetingStatus::Cancelled)
            .count() as i64,
        scheduled: mine
            .iter()
            .filter(|m| m.status == MeetingStatus::Scheduled)
            .count() as i64,
        ..CellFigures::default()
    };
    if org.kind.holds_members() {
        for (kind, months, due, met) in [
            (
                MeetingKind::Regular,
                g.rules.regular_every_months,
                &mut f.regular_due,
                &mut f.regular_months_met,
            ),
            (
                MeetingKind::Thematic,
                g.rules.thematic_every_months,
                &mut f.thematic_quarters_due,
                &mut f.thematic_quarters_met,
            ),
        ] {
            for w in period.whole_windows(months, org.founded_on, org.dissolved_on) {
                *due += 1;
                if let (Some(first), Some(last)) = (w.first_day(), w.last_day())
                    && held_in(&mine, kind, first, last)
                {
                    *met += 1;
                }
            }
        }
        f.official_members = g.official.get(&org.id).map_or(0, |v| v.len() as i64);
    }
    let mark = |role, status| g.marks.get(&(org.id, role, status)).copied().unwrap_or(0);
    f.present = mark(Role::Home, AttendanceStatus::Present);
    f.absent_excused = mark(Role::Home, AttendanceStatus::AbsentExcused);
    f.absent_unexcused = mark(Role::Home, AttendanceStatus::AbsentUnexcused);
    f.guests_present = mark(Role::Guest, AttendanceStatus::Present);
    f.guests_absent = mark(Role::Guest, AttendanceStatus::AbsentExcused)
        + mark(Role::Guest, AttendanceStatus::AbsentUnexcused);
    f.alerts = by_org.alerts.get(&org.id).copied().unwrap_or(0);
    f
}

fn quarters(g: &Gathered, period: &Period) -> Vec<QuarterFigures> {
    let months = g.rules.thematic_every_months;
    let mut out = Vec::new();
    let mut w = Window::containing(period.from, months);
    let last = Window::containing(period.to, months);
    let cells: Vec<&Org> = g.orgs.iter().filter(|o| o.kind.holds_members()).collect();
    while w <= last {
        let (Some(first_day), Some(last_day)) = (w.first_day(), w.last_day()) else {
            break;
        };
        let held: Vec<&Meeting> = g
            .meetings
            .iter()
            .filter(|m| {
                m.kind == MeetingKind::Thematic
                    && m.status == MeetingStatus::Held
                    && first_day <= m.date
                    && m.date <= last_day
            })
            .collect();
        let mut q = QuarterFigures {
            label: w.label(),
            thematic_held: held.len() as i64,
            cells_due: 0,
            cells_met: 0,
        };
        for cell in &cells {
            if period
                .whole_windows(months, cell.founded_on, cell.dissolved_on)
                .contains(&w)
            {
                q.cells_due += 1;
                if held.iter().any(|m| m.org_id == cell.id) {
                    q.cells_met += 1;
                }
            }
        }
        out.push(q);
        let Some(next_day) = last_day.succ_opt() else {
            break;
        };
        w = Window::containing(next_day, months);
    }
    out
}

fn build(g: Gathered, period: Period) -> MeetingFigures {
    // Every figure adds up the organizations' own parts: the same sum a report makes from
    // kept parts (`super::parts`), so both are one computation.
    let parts = own_parts(&g, &period);
    let sum = Part::sum(parts.values());
    let named = |org: &Org, counts: &CellFigures| CellFigures {
        org_id: org.id,
        code: org.code.clone(),
        name: org.name.clone(),
        ..counts.clone()
    };
    let cells = g
        .orgs
        .iter()
        .filter(|o| o.kind.holds_members())
        .filter_map(|o| Some(named(o, &parts.get(&o.id)?.counts)))
        .collect();
    let by_rule = sum.by_rule();
    MeetingFigures {
        org_id: g.root.id,
        org_code: g.root.code.clone(),
        org_name: g.root.name.clone(),
        period,
        rulebook: g.rulebook.clone(),
        totals: named(&g.root, &sum.counts),
        cells,
        quarters: quarters(&g, &period),
        evaluations_by_level: sum.evaluations_by_level(&g.levels),
        alerts_by_rule: by_rule.alerts,
        members_flagged: by_rule.members_flagged,
        cells_flagged: by_rule.cells_flagged,
        keys: sum.keys(&g.levels),
    }
}

/// The figures under their dotted keys, in a fixed order.
pub(super) fn figure_keys(
    t: &CellFigures,
    cells: i64,
    alerts_by_rule: &BTreeMap<String, i64>,
    members_flagged: &BTreeMap<String, i64>,
    cells_flagged: &BTreeMap<String, i64>,
    levels: &[String],
    evaluations: &BTreeMap<String, i64>,
) -> Vec<Figure> {
    let counts: [(&str, i64, &str); 18] = [
        (
            "meetings.cells",
            cells,
            "cells in the subtree that existed during the period",
        ),
        (
            "meetings.regular.held",
            t.regular_held,
            "regular (monthly) meetings held",
        ),
        (
            "meetings.regular.due",
            t.regular_due,
            "regular meetings due: whole months of the period, per cell while it existed",
        ),
        (
            "meetings.regular.months_met",
            t.regular_months_met,
            "cell-months with a regular meeting held",
        ),
        (
            "meetings.regular.months_missed",
            t.regular_due - t.regular_months_met,
            "cell-months without a regular meeting held",
        ),
        (
            "meetings.thematic.held",
            t.thematic_held,
            "thematic meetings held",
        ),
        (
            "meetings.thematic.quarters_due",
            t.thematic_quarters_due,
            "cell-quarters that need a thematic meeting (whole quarters of the period)",
        ),
        (
            "meetings.thematic.quarters_met",
            t.thematic_quarters_met,
            "cell-quarters with a thematic meeting held",
        ),
        (
            "meetings.extraordinary.held",
            t.extraordinary_held,
            "extraordinary meetings held",
        ),
        (
            "meetings.plenary.held",
            t.plenary_held,
            "committee plenaries held",
        ),
        (
            "meetings.cancelled",
            t.cancelled,
            "meetings cancelled (not held, with a reason)",
        ),
        (
            "meetings.scheduled",
            t.scheduled,
            "meetings still scheduled: neither held nor cancelled",
        ),
        (
            "meetings.attendance.present",
            t.present,
            "marks 'present' of cells' own members at held cell meetings",
        ),
        (
            "meetings.attendance.absent_excused",
            t.absent_excused,
            "absences with reason (own members)",
        ),
        (
            "meetings.attendance.absent_unexcused",
            t.absent_unexcused,
            "absences without reason (own members)",
        ),
        (
            "meetings.attendance.guests_present",
            t.guests_present,
            "members on temporary transfer present at a host cell, counted apart",
        ),
        (
            "meetings.attendance.guests_absent",
            t.guests_absent,
            "members on temporary transfer absent at a host cell, counted apart",
        ),
        (
            "meetings.official_members",
            t.official_members,
            "members in official standing at the end of the period (not guests)",
        ),
    ];
    let mut keys: Vec<Figure> = counts
        .into_iter()
        .map(|(k, v, d)| Figure::count(k, v, d))
        .collect();
    keys.push(Figure::ratio(
        "meetings.attendance.rate",
        t.present,
        t.present + t.absent_excused + t.absent_unexcused,
        "share of own members' marks that are 'present' at held cell meetings (0 when none)",
    ));
    for rule in AlertRule::ALL {
        let k = rule.key();
        keys.push(Figure::count(
            format!("meetings.alerts.{k}"),
            alerts_by_rule.get(k).copied().unwrap_or(0),
            format!("alerts: {}", rule.description()),
        ));
        let (group, map, what) = if rule.is_about_members() {
            ("members_flagged", members_flagged, "members")
        } else {
            ("cells_flagged", cells_flagged, "cells")
        };
        keys.push(Figure::count(
            format!("meetings.{group}.{k}"),
            map.get(k).copied().unwrap_or(0),
            format!("distinct {what} flagged: {}", rule.description()),
        ));
    }
    let mut evaluated = 0;
    for level in levels {
        let n = evaluations.get(level).copied().unwrap_or(0);
        evaluated += n;
        keys.push(Figure::count(
            format!("meetings.evaluations.{level}"),
            n,
            format!("meetings a superior committee classified \"{level}\""),
        ));
    }
    keys.push(Figure::count(
        "meetings.evaluations.total",
        evaluated,
        "meetings evaluated by a superior committee",
    ));
    keys
}

impl MeetingFiguresReader for Store {
    async fn meeting_figures(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> StoreResult<MeetingFigures> {
        let g = self.gather(scope, org_id, period, Reach::Subtree).await?;
        Ok(build(g, period))
    }

    async fn meeting_alerts(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> StoreResult<Vec<Alert>> {
        Ok(self
            .gather(scope, org_id, period, Reach::Subtree)
            .await?
            .alerts)
    }
}
