//! Writing meetings: each call is one transaction with its audit record.

use std::hash::{BuildHasher, Hasher};

use grassroots_domain::date::Date;
use grassroots_domain::meetings::{
    Absence, AttendanceStatus, MeetingKind, MeetingStatus, Role, check_quality_level,
    regular_schedule,
};
use grassroots_domain::org::OrgKind;
use grassroots_domain::rulebook::Rulebook;
use grassroots_domain::{DomainError, tree_path};
use sqlx::{Any, Transaction};

use super::history::{expected_participants, load_histories};
use super::{
    ATTENDANCE_COLUMNS, AttendanceRow, CellCommittee, Evaluation, MEETING_COLUMNS, Meeting,
    MeetingContent, MeetingWriter, NewCellCommittee, NewMeeting, Observer, attendance_from_row,
    committee_from_row, meeting_from_row, record,
};
use crate::audit::{self, Change};
use crate::members::MemberReader;
use crate::orgs::{Org, today};
use crate::row::{int, text};
use crate::{Actor, Scope, Store, StoreResult};

/// A six-digit code, unpredictable enough for a check-in that also needs the member to
/// belong to the cell and the day to be the meeting's.
fn new_check_in_code() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    format!("{:06}", h.finish() % 1_000_000)
}

fn check_text(
    rec: &str,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> StoreResult<Option<String>> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    if let Some(v) = value
        && v.chars().count() > max
    {
        return Err(
            DomainError::invalid(rec, field, format!("must be at most {max} characters")).into(),
        );
    }
    Ok(value.map(str::to_owned))
}

/// Which organizations hold which meetings: cells hold regular and thematic meetings,
/// committees hold plenaries, and any cell or committee may meet extraordinarily.
fn check_kind_for_org(rec: &str, kind: MeetingKind, org: &Org) -> StoreResult<()> {
    let ok = match kind {
        MeetingKind::Regular | MeetingKind::Thematic => org.kind.holds_members(),
        MeetingKind::CommitteePlenary => {
            !org.kind.holds_members() && org.kind != OrgKind::PartyGroup
        }
        MeetingKind::Extraordinary => org.kind != OrgKind::PartyGroup,
    };
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            rec,
            "kind",
            format!(
                "a {} cannot hold a {} meeting",
                org.kind.as_str(),
                kind.as_str()
            ),
        )
        .into())
    }
}

fn check_in_life(rec: &str, org: &Org, day: Date) -> StoreResult<()> {
    if day < org.founded_on || org.dissolved_on.is_some_and(|d| day >= d) {
        return Err(DomainError::invalid(
            rec,
            "date",
            format!("{day} is outside the life of {}", org.code),
        )
        .into());
    }
    Ok(())
}

/// One member's mark as [`Store::write_one_mark`] writes it: how it was taken (`self`,
/// `correction`) and the action its audit entry names.
struct OneMark<'a> {
    member_id: i64,
    status: AttendanceStatus,
    reason: Option<String>,
    role: Role,
    source: &'a str,
    action: &'a str,
}

impl Store {
    pub(crate) async fn meeting_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<(Meeting, Org)> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| DomainError::not_found("meeting", id))?;
        let meeting = meeting_from_row(&row)?;
        let org = self.org_in_tx(tx, &Scope::all(), meeting.org_id).await?;
        scope.check(&org.path, "meeting", id)?;
        Ok((meeting, org))
    }

    #[allow(clippy::too_many_arguments)]
    async fn audit_meeting(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: String,
        path: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> StoreResult<()> {
        audit::record(
            &self.db,
            tx,
            actor,
            Change {
                action,
                entity,
                entity_id,
                org_path: path,
                before,
                after,
            },
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_meeting(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        org: &Org,
        kind: MeetingKind,
        day: Date,
        agenda: Option<String>,
        topic: Option<String>,
    ) -> StoreResult<Meeting> {
        let now = audit::now();
        let sql = self.db.sql(
            "INSERT INTO meetings (org_id, kind, held_on, status, agenda, topic, resolutions, check_in_code, \
             version, created_at, updated_at) VALUES (?, ?, ?, 'scheduled', ?, ?, '[]', ?, 1, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(kind.as_str())
            .bind(day.to_string())
            .bind(agenda)
            .bind(topic)
            .bind(new_check_in_code())
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut **tx)
            .await?;
        let id = int(&row, "id")?;
        let (meeting, _) = self.meeting_in_tx(tx, &Scope::all(), id).await?;
        self.audit_meeting(
            tx,
            actor,
            "meeting.create",
            "meeting",
            id.to_string(),
            &org.path,
            None,
            Some(serde_json::json!(meeting)),
        )
        .await?;
        Ok(meeting)
    }

    /// Regular meetings of `org_id` in `[first, last]` that are not cancelled.
    async fn live_regular_between(
        &self,
        tx: &mut Transaction<'static, Any>,
        org_id: i64,
        first: Date,
        last: Date,
    ) -> StoreResult<Vec<String>> {
        let sql = self.db.sql(
            "SELECT held_on FROM meetings WHERE org_id = ? AND kind = 'regular' AND status <> 'cancelled' \
             AND held_on >= ? AND held_on <= ? ORDER BY held_on",
        );
        sqlx::query(&sql)
            .bind(org_id)
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| text(r, "held_on"))
            .collect()
    }

    async fn attendance_row_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        meeting_id: i64,
        member_id: i64,
    ) -> StoreResult<Option<AttendanceRow>> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ATTENDANCE_COLUMNS} FROM meeting_attendance a JOIN members p ON p.id = a.member_id \
                 WHERE a.meeting_id = ? AND a.member_id = ?"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(meeting_id)
            .bind(member_id)
            .fetch_optional(&mut **tx)
            .await?
            .as_ref()
            .map(attendance_from_row)
            .transpose()
    }

    #[allow(clippy::too_many_arguments)]
    async fn upsert_attendance(
        &self,
        tx: &mut Transaction<'static, Any>,
        meeting_id: i64,
        member_id: i64,
        status: AttendanceStatus,
        reason: Option<String>,
        role: Role,
        source: &str,
        exists: bool,
    ) -> StoreResult<()> {
        let sql = if exists {
            "UPDATE meeting_attendance SET status = ?, reason = ?, role = ?, source = ?, recorded_at = ? \
             WHERE meeting_id = ? AND member_id = ?"
        } else {
            "INSERT INTO meeting_attendance (status, reason, role, source, recorded_at, meeting_id, member_id) \
             VALUES (?, ?, ?, ?, ?, ?, ?)"
        };
        let sql = self.db.sql(sql);
        sqlx::query(&sql)
            .bind(status.as_str())
            .bind(reason)
            .bind(role.as_str())
            .bind(source)
            .bind(audit::now())
            .bind(meeting_id)
            .bind(member_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn mark_held(
        &self,
        tx: &mut Transaction<'static, Any>,
        meeting: &Meeting,
        list_recorded: bool,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "UPDATE meetings SET status = 'held', \
             attendance_recorded_at = CASE WHEN ? THEN ? ELSE attendance_recorded_at END, \
             version = version + 1, updated_at = ? WHERE id = ?",
        );
        let now = audit::now();
        sqlx::query(&sql)
            .bind(list_recorded)
            .bind(&now)
            .bind(&now)
            .bind(meeting.id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Writes one member's mark over `existing` (if any), marks a scheduled meeting held, and
    /// records the audit entry with the mark before and after, then commits: the end of a
    /// correction and of a check-in on the exact path.
    async fn write_one_mark(
        &self,
        mut tx: Transaction<'static, Any>,
        actor: &Actor,
        meeting: &Meeting,
        org_path: &str,
        existing: Option<AttendanceRow>,
        mark: OneMark<'_>,
    ) -> StoreResult<AttendanceRow> {
        let (meeting_id, member_id) = (meeting.id, mark.member_id);
        self.upsert_attendance(
            &mut tx,
            meeting_id,
            member_id,
            mark.status,
            mark.reason,
            mark.role,
            mark.source,
            existing.is_some(),
        )
        .await?;
        if meeting.status == MeetingStatus::Scheduled {
            self.mark_held(&mut tx, meeting, false).await?;
        }
        let after = self
            .attendance_row_in_tx(&mut tx, meeting_id, member_id)
            .await?
            .ok_or_else(|| {
                DomainError::not_found("attendance", format!("{meeting_id}/{member_id}"))
            })?;
        self.audit_meeting(
            &mut tx,
            actor,
            mark.action,
            "attendance",
            format!("{meeting_id}/{member_id}"),
            org_path,
            existing.map(|e| serde_json::json!(e)),
            Some(serde_json::json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The meeting must be open for attendance: not cancelled and not in the future.
    fn check_attendable(meeting: &Meeting) -> StoreResult<()> {
        if meeting.status == MeetingStatus::Cancelled {
            return Err(DomainError::Conflict(format!(
                "meeting {} was cancelled; it has no attendance",
                meeting.id
            ))
            .into());
        }
        if meeting.date > today() {
            return Err(DomainError::invalid(
                record(meeting.id),
                "date",
                format!(
                    "{} is in the future; attendance is recorded on or after the day",
                    meeting.date
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Whether `ancestor` is a committee strictly above `org`.
    async fn superior_committee(
        &self,
        tx: &mut Transaction<'static, Any>,
        scope: &Scope,
        rec: &str,
        field: &str,
        committee_id: i64,
        org: &Org,
    ) -> StoreResult<Org> {
        let committee = self.org_in_tx(tx, scope, committee_id).await?;
        if committee.id == org.id
            || !tree_path::is_within(&org.path, &committee.path)
            || committee.kind.holds_members()
        {
            return Err(DomainError::invalid(
                rec,
                field,
                format!("{} is not a committee above {}", committee.code, org.code),
            )
            .into());
        }
        Ok(committee)
    }
}

impl MeetingWriter for Store {
    async fn create_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewMeeting,
    ) -> StoreResult<Meeting> {
        let rec = format!("meeting of organization {} on {}", new.org_id, new.date);
        let agenda = check_text(&rec, "agenda", new.agenda.as_deref(), 4000)?;
        let topic = check_text(&rec, "topic", new.topic.as_deref(), 500)?;
        if new.kind == MeetingKind::Thematic && topic.is_none() {
            return Err(
                DomainError::invalid(&rec, "topic", "a thematic meeting needs its theme").into(),
            );
        }
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, new.org_id).await?;
        check_kind_for_org(&rec, new.kind, &org)?;
        check_in_life(&rec, &org, new.date)?;
        if new.kind == MeetingKind::Regular {
            let month = grassroots_domain::meetings::YearMonth::of(new.date);
            if let (Some(first), Some(last)) = (month.first_day(), month.last_day()) {
                let clash = self
                    .live_regular_between(&mut tx, org.id, first, last)
                    .await?;
                if !clash.is_empty() {
                    return Err(DomainError::Conflict(format!(
                        "{} already has a regular meeting in {month} (on {}); cancel it first",
                        org.code,
                        clash.join(", ")
                    ))
                    .into());
                }
            }
        }
        let meeting = self
            .insert_meeting(&mut tx, actor, &org, new.kind, new.date, agenda, topic)
            .await?;
        tx.commit().await?;
        Ok(meeting)
    }

    async fn schedule_year(
        &self,
        actor: &Actor,
        scope: &Scope,
        org_id: i64,
        year: i32,
        day: u32,
    ) -> StoreResult<Vec<Meeting>> {
        let dates = regular_schedule(year, day)?;
        let rec = format!("schedule of organization {org_id} for {year}");
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, org_id).await?;
        check_kind_for_org(&rec, MeetingKind::Regular, &org)?;
        if let (Some(first), Some(last)) = (
            Date::from_ymd_opt(year, 1, 1),
            Date::from_ymd_opt(year, 12, 31),
        ) {
            let clash = self
                .live_regular_between(&mut tx, org.id, first, last)
                .await?;
            if !clash.is_empty() {
                return Err(DomainError::Conflict(format!(
                    "{} already has regular meetings in {year} (on {}); cancel them or schedule another year",
                    org.code,
                    clash.join(", ")
                ))
                .into());
            }
        }
        let mut out = Vec::new();
        for day in dates {
            if check_in_life(&rec, &org, day).is_err() {
                continue;
            }
            out.push(
                self.insert_meeting(&mut tx, actor, &org, MeetingKind::Regular, day, None, None)
                    .await?,
            );
        }
        if out.is_empty() {
            return Err(DomainError::invalid(
                &rec,
                "year",
                format!("{} did not exist in {year}", org.code),
            )
            .into());
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn cancel_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        reason: &str,
    ) -> StoreResult<Meeting> {
        let reason = check_text(&record(id), "reason", Some(reason), 500)?.ok_or_else(|| {
            DomainError::invalid(record(id), "reason", "a cancellation needs its reason")
        })?;
        let mut tx = self.db.begin().await?;
        let (before, org) = self.meeting_in_tx(&mut tx, scope, id).await?;
        if !before.status.can_change_to(MeetingStatus::Cancelled) {
            return Err(DomainError::Conflict(format!(
                "meeting {id} is {}; only a scheduled meeting can be cancelled",
                before.status.as_str()
            ))
            .into());
        }
        let sql = self.db.sql(
            "UPDATE meetings SET status = 'cancelled', cancel_reason = ?, version = version + 1, updated_at = ? WHERE id = ?",
        );
        sqlx::query(&sql)
            .bind(reason)
            .bind(audit::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let (after, _) = self.meeting_in_tx(&mut tx, scope, id).await?;
        self.audit_meeting(
            &mut tx,
            actor,
            "meeting.cancel",
            "meeting",
            id.to_string(),
            &org.path,
            Some(serde_json::json!(before)),
            Some(serde_json::json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn record_content(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        content: MeetingContent,
    ) -> StoreResult<Meeting> {
        let rec = record(id);
        let agenda = check_text(&rec, "agenda", content.agenda.as_deref(), 4000)?;
        let topic = check_text(&rec, "topic", content.topic.as_deref(), 500)?;
        let minutes = check_text(&rec, "minutes", content.minutes.as_deref(), 100_000)?;
        let mut resolutions = Vec::new();
        for (i, r) in content.resolutions.iter().enumerate() {
            let r = check_text(&rec, &format!("resolutions[{i}]"), Some(r), 4000)?.ok_or_else(
                || DomainError::invalid(&rec, format!("resolutions[{i}]"), "is empty"),
            )?;
            resolutions.push(r);
        }
        let mut tx = self.db.begin().await?;
        let (before, org) = self.meeting_in_tx(&mut tx, scope, id).await?;
        if before.version != expected_version {
            return Err(DomainError::Conflict(format!(
                "meeting {id} was changed by someone else (version {} is newer than {expected_version}); reload and try again",
                before.version
            ))
            .into());
        }
        if before.status == MeetingStatus::Cancelled {
            return Err(DomainError::Conflict(format!("meeting {id} was cancelled")).into());
        }
        if before.kind == MeetingKind::Thematic && topic.is_none() {
            return Err(
                DomainError::invalid(&rec, "topic", "a thematic meeting needs its theme").into(),
            );
        }
        let sql = self.db.sql(
            "UPDATE meetings SET agenda = ?, topic = ?, minutes = ?, resolutions = ?, version = version + 1, \
             updated_at = ? WHERE id = ? AND version = ?",
        );
        sqlx::query(&sql)
            .bind(agenda)
            .bind(topic)
            .bind(minutes)
            .bind(serde_json::json!(resolutions).to_string())
            .bind(audit::now())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        let (after, _) = self.meeting_in_tx(&mut tx, scope, id).await?;
        self.audit_meeting(
            &mut tx,
            actor,
            "meeting.content",
            "meeting",
            id.to_string(),
            &org.path,
            Some(serde_json::json!(before)),
            Some(serde_json::json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn record_attendance(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        absentees: &[Absence],
    ) -> StoreResult<Vec<AttendanceRow>> {
        let rec = record(meeting_id);
        let mut tx = self.db.begin().await?;
        let (meeting, org) = self.meeting_in_tx(&mut tx, scope, meeting_id).await?;
        Self::check_attendable(&meeting)?;
        if meeting.attendance_recorded {
            return Err(DomainError::Conflict(format!(
                "the attendance of meeting {meeting_id} is already recorded; correct single members instead"
            ))
            .into());
        }
        let participants = expected_participants(&self.db, &mut tx, org.id, meeting.date).await?;
        let mut marks = std::collections::BTreeMap::new();
        for a in absentees {
            let member_rec = format!("{rec} member {}", a.member_id);
            if !participants.iter().any(|p| p.member_id == a.member_id) {
                return Err(DomainError::invalid(
                    &member_rec,
                    "absentees",
                    format!(
                        "member {} is not expected at this meeting on {}",
                        a.member_id, meeting.date
                    ),
                )
                .into());
            }
            let status = a.status();
            let reason = status.check_reason(&member_rec, a.reason.as_deref())?;
            if marks.insert(a.member_id, (status, reason)).is_some() {
                return Err(DomainError::invalid(
                    &member_rec,
                    "absentees",
                    "the member is listed twice",
                )
                .into());
            }
        }
        let mut written = 0_i64;
        for p in &participants {
            let existing = self
                .attendance_row_in_tx(&mut tx, meeting_id, p.member_id)
                .await?;
            let mark = marks.remove(&p.member_id);
            match (existing, mark) {
                (Some(row), Some(_)) => {
                    return Err(DomainError::Conflict(format!(
                        "member {} ({}) checked in to meeting {meeting_id} as {}; correct that mark instead of listing them absent",
                        p.member_id,
                        p.full_name,
                        row.status.as_str()
                    ))
                    .into());
                }
                (Some(_), None) => {}
                (None, mark) => {
                    let (status, reason) = mark.unwrap_or((AttendanceStatus::Present, None));
                    self.upsert_attendance(
                        &mut tx,
                        meeting_id,
                        p.member_id,
                        status,
                        reason,
                        p.role,
                        "list",
                        false,
                    )
                    .await?;
                    written += 1;
                }
            }
        }
        self.mark_held(&mut tx, &meeting, true).await?;
        self.audit_meeting(
            &mut tx,
            actor,
            "meeting.attendance",
            "meeting",
            meeting_id.to_string(),
            &org.path,
            None,
            Some(serde_json::json!({
                "expected": participants.len(),
                "written": written,
                "absentees": absentees,
            })),
        )
        .await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ATTENDANCE_COLUMNS} FROM meeting_attendance a JOIN members p ON p.id = a.member_id \
                 WHERE a.meeting_id = ? ORDER BY p.sort_key, p.id"
            ))
            .into_owned();
        let rows = sqlx::query(&sql)
            .bind(meeting_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(attendance_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await?;
        Ok(rows)
    }

    async fn check_in(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        code: &str,
        on: Date,
    ) -> StoreResult<AttendanceRow> {
        self.check_in_fast(actor, scope, meeting_id, member_id, code, on)
            .await
    }

    async fn correct_attendance(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        status: AttendanceStatus,
        reason: Option<&str>,
    ) -> StoreResult<AttendanceRow> {
        let rec = format!("{} member {member_id}", record(meeting_id));
        let reason = status.check_reason(&rec, reason)?;
        let mut tx = self.db.begin().await?;
        let (meeting, org) = self.meeting_in_tx(&mut tx, scope, meeting_id).await?;
        Self::check_attendable(&meeting)?;
        let existing = self
            .attendance_row_in_tx(&mut tx, meeting_id, member_id)
            .await?;
        let role = match &existing {
            Some(row) => row.role,
            None => expected_participants(&self.db, &mut tx, org.id, meeting.date)
                .await?
                .into_iter()
                .find(|p| p.member_id == member_id)
                .map(|p| p.role)
                .ok_or_else(|| {
                    DomainError::invalid(
                        &rec,
                        "member_id",
                        format!("member {member_id} is not expected at this meeting"),
                    )
                })?,
        };
        let mark = OneMark {
            member_id,
            status,
            reason,
            role,
            source: "correction",
            action: "meeting.attendance.correct",
        };
        self.write_one_mark(tx, actor, &meeting, &org.path, existing, mark)
            .await
    }

    async fn assign_observer(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        committee_org_id: i64,
        note: Option<&str>,
    ) -> StoreResult<Observer> {
        let rec = format!("{} observer {member_id}", record(meeting_id));
        let note = check_text(&rec, "note", note, 1000)?;
        let member = self.member(scope, member_id).await?;
        if !member.status.is_active() {
            return Err(DomainError::invalid(&rec, "member_id", "the member is not active").into());
        }
        let mut tx = self.db.begin().await?;
        let (meeting, org) = self.meeting_in_tx(&mut tx, scope, meeting_id).await?;
        if meeting.status == MeetingStatus::Cancelled {
            return Err(
                DomainError::Conflict(format!("meeting {meeting_id} was cancelled")).into(),
            );
        }
        self.superior_committee(
            &mut tx,
            scope,
            &rec,
            "committee_org_id",
            committee_org_id,
            &org,
        )
        .await?;
        let sql = self.db.sql(
            "INSERT INTO meeting_observers (meeting_id, member_id, committee_org_id, note, assigned_at) VALUES (?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(meeting_id)
            .bind(member_id)
            .bind(committee_org_id)
            .bind(note.clone())
            .bind(audit::now())
            .execute(&mut *tx)
            .await?;
        let observer = Observer {
            meeting_id,
            member_id,
            full_name: member.identity.full_name.clone(),
            committee_org_id,
            note,
        };
        self.audit_meeting(
            &mut tx,
            actor,
            "meeting.observer",
            "meeting",
            meeting_id.to_string(),
            &org.path,
            None,
            Some(serde_json::json!(observer)),
        )
        .await?;
        tx.commit().await?;
        Ok(observer)
    }

    async fn evaluate_meeting(
        &self,
        actor: &Actor,
        scope: &Scope,
        evaluation: Evaluation,
    ) -> StoreResult<Evaluation> {
        let Evaluation {
            meeting_id,
            evaluator_org_id,
            level,
            notes,
            evaluated_on: on,
        } = evaluation;
        let level = level.as_str();
        let notes = notes.as_deref();
        let rec = format!("evaluation of {}", record(meeting_id));
        let notes = check_text(&rec, "notes", notes, 4000)?;
        let mut tx = self.db.begin().await?;
        let (meeting, org) = self.meeting_in_tx(&mut tx, scope, meeting_id).await?;
        if meeting.status != MeetingStatus::Held {
            return Err(DomainError::Conflict(format!(
                "meeting {meeting_id} is {}; only a held meeting is evaluated",
                meeting.status.as_str()
            ))
            .into());
        }
        let book = Rulebook::in_force(meeting.date)?;
        let level = check_quality_level(&book, &rec, level)?;
        if on < meeting.date || on > today() {
            return Err(DomainError::invalid(
                &rec,
                "evaluated_on",
                format!(
                    "must be between the meeting's day ({}) and today",
                    meeting.date
                ),
            )
            .into());
        }
        self.superior_committee(
            &mut tx,
            scope,
            &rec,
            "evaluator_org_id",
            evaluator_org_id,
            &org,
        )
        .await?;
        let sql = self.db.sql(
            "INSERT INTO meeting_evaluations (meeting_id, evaluator_org_id, level, notes, evaluated_on, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(meeting_id)
            .bind(evaluator_org_id)
            .bind(&level)
            .bind(notes.clone())
            .bind(on.to_string())
            .bind(audit::now())
            .execute(&mut *tx)
            .await?;
        let evaluation = Evaluation {
            meeting_id,
            evaluator_org_id,
            level,
            notes,
            evaluated_on: on,
        };
        self.audit_meeting(
            &mut tx,
            actor,
            "meeting.evaluate",
            "meeting",
            meeting_id.to_string(),
            &org.path,
            None,
            Some(serde_json::json!(evaluation)),
        )
        .await?;
        tx.commit().await?;
        Ok(evaluation)
    }

    async fn record_cell_committee(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewCellCommittee,
    ) -> StoreResult<CellCommittee> {
        let NewCellCommittee {
            org_id,
            elected_on,
            secretary_member_id,
            deputy_member_id,
            decision,
        } = new;
        let decision = decision.as_deref();
        let rec = format!("cell committee of organization {org_id}");
        let decision = check_text(&rec, "decision", decision, 200)?;
        if elected_on > today() {
            return Err(DomainError::invalid(&rec, "elected_on", "is in the future").into());
        }
        if deputy_member_id == Some(secretary_member_id) {
            return Err(DomainError::invalid(
                &rec,
                "deputy_member_id",
                "the deputy must not be the secretary",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let org = self.org_in_tx(&mut tx, scope, org_id).await?;
        if !org.kind.holds_members() {
            return Err(DomainError::invalid(
                &rec,
                "org_id",
                format!("{} is not a cell", org.code),
            )
            .into());
        }
        check_in_life(&rec, &org, elected_on)?;
        let mut ids = vec![secretary_member_id];
        ids.extend(deputy_member_id);
        let histories = load_histories(&self.db, &mut tx, &ids).await?;
        for (field, id) in [
            ("secretary_member_id", Some(secretary_member_id)),
            ("deputy_member_id", deputy_member_id),
        ] {
            let Some(id) = id else { continue };
            let home = histories.get(&id).is_some_and(|h| {
                h.has_duties_on(elected_on)
                    && h.memberships.iter().any(|(o, k, s)| {
                        *o == org.id
                            && *k == grassroots_domain::member::MembershipKind::Official
                            && s.contains(elected_on)
                    })
            });
            if !home {
                return Err(DomainError::invalid(
                    &rec,
                    field,
                    format!(
                        "member {id} is not an active member of {} on {elected_on}",
                        org.code
                    ),
                )
                .into());
            }
        }
        let sql = self.db.sql(
            "SELECT id, org_id, elected_on, ended_on, secretary_member_id, deputy_member_id, decision \
             FROM cell_committees WHERE org_id = ? AND ended_on IS NULL",
        );
        let open = sqlx::query(&sql)
            .bind(org.id)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(committee_from_row)
            .transpose()?;
        if let Some(prev) = &open {
            if prev.elected_on >= elected_on {
                return Err(DomainError::Conflict(format!(
                    "{} has a committee elected on {}, not before {elected_on}",
                    org.code, prev.elected_on
                ))
                .into());
            }
            let sql = self
                .db
                .sql("UPDATE cell_committees SET ended_on = ? WHERE id = ?");
            sqlx::query(&sql)
                .bind(elected_on.to_string())
                .bind(prev.id)
                .execute(&mut *tx)
                .await?;
        }
        let sql = self.db.sql(
            "INSERT INTO cell_committees (org_id, elected_on, secretary_member_id, deputy_member_id, decision, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(org.id)
            .bind(elected_on.to_string())
            .bind(secretary_member_id)
            .bind(deputy_member_id)
            .bind(decision.clone())
            .bind(audit::now())
            .fetch_one(&mut *tx)
            .await?;
        let committee = CellCommittee {
            id: int(&row, "id")?,
            org_id: org.id,
            elected_on,
            ended_on: None,
            secretary_member_id,
            deputy_member_id,
            decision,
        };
        self.audit_meeting(
            &mut tx,
            actor,
            "cell_committee.elect",
            "cell_committee",
            committee.id.to_string(),
            &org.path,
            open.map(|p| serde_json::json!(p)),
            Some(serde_json::json!(committee)),
        )
        .await?;
        tx.commit().await?;
        Ok(committee)
    }
}

impl Store {
    /// The exact check-in: every rule read from the current records inside one write
    /// transaction. The fast path (`check_in.rs`) sends here whatever it does not admit
    /// itself, so this path gives every refusal its precise error.
    pub(crate) async fn check_in_exact(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        code: &str,
        on: Date,
    ) -> StoreResult<AttendanceRow> {
        let rec = format!("{} check-in of member {member_id}", record(meeting_id));
        let mut tx = self.db.begin().await?;
        let (meeting, org) = self.meeting_in_tx(&mut tx, scope, meeting_id).await?;
        Self::check_attendable(&meeting)?;
        if on != meeting.date {
            return Err(DomainError::invalid(
                &rec,
                "on",
                format!(
                    "check-in is open on the meeting's day ({}), not on {on}",
                    meeting.date
                ),
            )
            .into());
        }
        if code.trim() != meeting.check_in_code {
            return Err(
                DomainError::invalid(&rec, "code", "is not this meeting's check-in code").into(),
            );
        }
        let participants = expected_participants(&self.db, &mut tx, org.id, meeting.date).await?;
        let Some(me) = participants.iter().find(|p| p.member_id == member_id) else {
            return Err(DomainError::invalid(
                &rec,
                "member_id",
                format!(
                    "member {member_id} is not a member of {} (nor on temporary transfer to it) with duties on {}",
                    org.code, meeting.date
                ),
            )
            .into());
        };
        let existing = self
            .attendance_row_in_tx(&mut tx, meeting_id, member_id)
            .await?;
        if let Some(row) = &existing
            && row.status == AttendanceStatus::Present
        {
            return Ok(row.clone());
        }
        let mark = OneMark {
            member_id,
            status: AttendanceStatus::Present,
            reason: None,
            role: me.role,
            source: "self",
            action: "meeting.check_in",
        };
        self.write_one_mark(tx, actor, &meeting, &org.path, existing, mark)
            .await
    }
}
