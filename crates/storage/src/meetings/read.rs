//! Reading meetings, always inside the caller's scope.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::meetings::Period;

use super::history::expected_participants;
use super::{
    ATTENDANCE_COLUMNS, AttendanceRow, CellCommittee, Evaluation, MEETING_COLUMNS, Meeting,
    MeetingReader, Observer, Participant, attendance_from_row, committee_from_row,
    meeting_from_row,
};
use crate::orgs::OrgReader;
use crate::row::{date, int, opt_text, text};
use crate::{Scope, Store, StoreResult};

impl MeetingReader for Store {
    async fn meeting(&self, scope: &Scope, id: i64) -> StoreResult<Meeting> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {MEETING_COLUMNS}, o.path FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("meeting", id))?;
        scope.check(&text(&row, "path")?, "meeting", id)?;
        meeting_from_row(&row)
    }

    async fn meetings_of(
        &self,
        scope: &Scope,
        org_id: i64,
        period: Period,
    ) -> StoreResult<Vec<Meeting>> {
        self.org(scope, org_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.org_id = ? AND m.held_on >= ? AND m.held_on <= ? \
                 ORDER BY m.held_on, m.id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(org_id)
            .bind(period.from.to_string())
            .bind(period.to.to_string())
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(meeting_from_row)
            .collect()
    }

    async fn attendance(&self, scope: &Scope, meeting_id: i64) -> StoreResult<Vec<AttendanceRow>> {
        self.meeting(scope, meeting_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {ATTENDANCE_COLUMNS} FROM meeting_attendance a JOIN members p ON p.id = a.member_id \
                 WHERE a.meeting_id = ? ORDER BY p.sort_key, p.id"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(meeting_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(attendance_from_row)
            .collect()
    }

    async fn participants(&self, scope: &Scope, meeting_id: i64) -> StoreResult<Vec<Participant>> {
        let meeting = self.meeting(scope, meeting_id).await?;
        let mut conn = self.db.read().acquire().await?;
        expected_participants(&self.db, &mut conn, meeting.org_id, meeting.date).await
    }

    async fn observers(&self, scope: &Scope, meeting_id: i64) -> StoreResult<Vec<Observer>> {
        self.meeting(scope, meeting_id).await?;
        let sql = self.db.sql(
            "SELECT o.meeting_id, o.member_id, p.full_name, o.committee_org_id, o.note \
             FROM meeting_observers o JOIN members p ON p.id = o.member_id WHERE o.meeting_id = ? ORDER BY o.id",
        );
        sqlx::query(&sql)
            .bind(meeting_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(Observer {
                    meeting_id: int(r, "meeting_id")?,
                    member_id: int(r, "member_id")?,
                    full_name: text(r, "full_name")?,
                    committee_org_id: int(r, "committee_org_id")?,
                    note: opt_text(r, "note")?,
                })
            })
            .collect()
    }

    async fn evaluations(&self, scope: &Scope, meeting_id: i64) -> StoreResult<Vec<Evaluation>> {
        self.meeting(scope, meeting_id).await?;
        let sql = self.db.sql(
            "SELECT meeting_id, evaluator_org_id, level, notes, evaluated_on FROM meeting_evaluations \
             WHERE meeting_id = ? ORDER BY id",
        );
        sqlx::query(&sql)
            .bind(meeting_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(Evaluation {
                    meeting_id: int(r, "meeting_id")?,
                    evaluator_org_id: int(r, "evaluator_org_id")?,
                    level: text(r, "level")?,
                    notes: opt_text(r, "notes")?,
                    evaluated_on: date(r, "evaluated_on")?,
                })
            })
            .collect()
    }

    async fn cell_committee_on(
        &self,
        scope: &Scope,
        org_id: i64,
        day: Date,
    ) -> StoreResult<Option<CellCommittee>> {
        self.org(scope, org_id).await?;
        let sql = self.db.sql(
            "SELECT id, org_id, elected_on, ended_on, secretary_member_id, deputy_member_id, decision \
             FROM cell_committees WHERE org_id = ? AND elected_on <= ? AND (ended_on IS NULL OR ended_on > ?) \
             ORDER BY elected_on DESC LIMIT 1",
        );
        sqlx::query(&sql)
            .bind(org_id)
            .bind(day.to_string())
            .bind(day.to_string())
            .fetch_optional(self.db.read())
            .await?
            .as_ref()
            .map(committee_from_row)
            .transpose()
    }
}
