//! Recording a classification: the subject and the organization it counts in, the rules of
//! the rulebook in force on the decision date, one current decision per subject and year
//! (a correction names the record it supersedes), the quota of "excellent" per grassroots
//! organization, and the audit entry — all in one transaction.

use grassroots_domain::DomainError;
use grassroots_domain::classification::{
    Level, SubjectKind, Tally, check_decision, check_member_in_year, check_org_in_year,
    check_quota, is_classified_kind,
};
use grassroots_domain::date::Date;
use grassroots_domain::member::MemberStatus;
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;
use sqlx::{Any, Transaction};

use super::{COLUMNS, CURRENT, Classification, ClassificationWriter, NewClassification, from_row};
use crate::audit::{self, Change};
use crate::lifecycle::rules;
use crate::orgs::{Org, OrgReader};
use crate::row::{date, int, opt_date, parsed};
use crate::{Actor, Scope, Store, StoreResult};

type Tx = Transaction<'static, Any>;

/// Where a subject counts: the organization of the record and its grassroots organization.
struct Placement {
    org: Org,
    grassroots: Org,
}

impl Store {
    /// Decisions about members of one grassroots organization wait for each other here, so
    /// each quota check counts the decisions committed before it. PostgreSQL runs writers
    /// side by side (read committed: the tally after the lock sees the other's commit);
    /// SQLite has one writer at a time already.
    async fn queue_on_grassroots(
        &self,
        tx: &mut Transaction<'static, Any>,
        grassroots_id: i64,
    ) -> StoreResult<()> {
        if self.db.backend() == crate::db::Backend::Postgres {
            let sql = self.db.sql("SELECT id FROM orgs WHERE id = ? FOR UPDATE");
            sqlx::query(&sql)
                .bind(grassroots_id)
                .fetch_optional(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The grassroots organization `org` counts in: itself, or the grassroots committee
    /// above a cell.
    async fn grassroots_of(&self, org: &Org, record: &str) -> StoreResult<Org> {
        match org.kind {
            OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell => Ok(org.clone()),
            OrgKind::Cell => match org.parent_id {
                Some(parent) => self.org(&Scope::all(), parent).await,
                None => {
                    Err(DomainError::invalid(record, "org_id", "a cell without a parent").into())
                }
            },
            other => Err(DomainError::invalid(
                record,
                "org_id",
                format!("a {} is not classified", other.as_str()),
            )
            .into()),
        }
    }

    /// The cell a member held official membership in during `year` (the latest one), or
    /// their cell now when the history has none.
    async fn member_cell_in_year(
        &self,
        tx: &mut Tx,
        member_id: i64,
        year: i32,
        record: &str,
    ) -> StoreResult<Org> {
        let (first, last) = year_bounds(year, record)?;
        let sql = self.db.sql(
            "SELECT org_id FROM memberships WHERE member_id = ? AND kind = 'official' \
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC, id DESC",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(last.to_string())
            .bind(first.to_string())
            .fetch_optional(&mut **tx)
            .await?;
        let org_id = match row {
            Some(r) => int(&r, "org_id")?,
            None => {
                let sql = self.db.sql("SELECT org_id FROM members WHERE id = ?");
                let r = sqlx::query(&sql)
                    .bind(member_id)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or_else(|| DomainError::not_found("member", member_id))?;
                crate::row::opt_int(&r, "org_id")?.ok_or_else(|| {
                    DomainError::invalid(
                        record,
                        "member_id",
                        "the member holds membership in no cell",
                    )
                })?
            }
        };
        self.org(&Scope::all(), org_id).await
    }

    /// Where the subject counts, checked against the caller's scope before any rule about
    /// the subject is checked (so that a refusal reveals nothing outside the scope).
    async fn place(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        new: &NewClassification,
        record: &str,
    ) -> StoreResult<Placement> {
        let year = new.decision.year;
        match new.subject_kind {
            SubjectKind::Member => {
                let sql = self.db.sql(
                    "SELECT status, valid_from, valid_to FROM member_statuses WHERE member_id = ? ORDER BY valid_from, id",
                );
                let spans = sqlx::query(&sql)
                    .bind(new.subject_id)
                    .fetch_all(&mut **tx)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok((
                            parsed(r, "status", MemberStatus::parse)?,
                            date(r, "valid_from")?,
                            opt_date(r, "valid_to")?,
                        ))
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                if spans.is_empty() {
                    return Err(DomainError::not_found("member", new.subject_id).into());
                }
                let org = self
                    .member_cell_in_year(tx, new.subject_id, year, record)
                    .await?;
                scope.check(&org.path, "member", new.subject_id)?;
                check_member_in_year(record, &spans, year)?;
                let grassroots = self.grassroots_of(&org, record).await?;
                Ok(Placement { org, grassroots })
            }
            SubjectKind::Org => {
                let org = self.org(scope, new.subject_id).await?;
                if !is_classified_kind(org.kind) {
                    return Err(DomainError::invalid(
                        record,
                        "subject_id",
                        format!(
                            "a {} is not classified; grassroots organizations and cells are",
                            org.kind.as_str()
                        ),
                    )
                    .into());
                }
                check_org_in_year(record, org.founded_on, org.dissolved_on, year)?;
                let grassroots = self.grassroots_of(&org, record).await?;
                Ok(Placement { org, grassroots })
            }
        }
    }

    /// The current record of a subject and year, read inside the write's transaction.
    async fn current_in_tx(
        &self,
        tx: &mut Tx,
        kind: SubjectKind,
        subject_id: i64,
        year: i32,
    ) -> StoreResult<Option<Classification>> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {COLUMNS} FROM classifications c WHERE c.subject_kind = ? AND c.subject_id = ? \
                 AND c.year = ? AND {CURRENT}"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(kind.as_str())
            .bind(subject_id)
            .bind(i64::from(year))
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| from_row(&r))
            .transpose()
    }

    /// The members of a grassroots organization by current level for a year, without
    /// `leaving` (the record a correction replaces).
    async fn member_tally_in_tx(
        &self,
        tx: &mut Tx,
        grassroots_id: i64,
        year: i32,
        leaving: Option<i64>,
    ) -> StoreResult<Tally> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT c.level, COUNT(*) AS n FROM classifications c WHERE c.grassroots_id = ? AND c.year = ? \
                 AND c.subject_kind = 'member' AND c.id <> ? AND {CURRENT} GROUP BY c.level"
            ))
            .into_owned();
        let mut tally = Tally::default();
        for r in sqlx::query(&sql)
            .bind(grassroots_id)
            .bind(i64::from(year))
            .bind(leaving.unwrap_or(0))
            .fetch_all(&mut **tx)
            .await?
        {
            tally.add(parsed(&r, "level", Level::parse)?, int(&r, "n")?);
        }
        Ok(tally)
    }
}

fn year_bounds(year: i32, record: &str) -> Result<(Date, Date), DomainError> {
    match (
        Date::from_ymd_opt(year, 1, 1),
        Date::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(DomainError::invalid(
            record,
            "year",
            format!("{year} is not a year"),
        )),
    }
}

impl ClassificationWriter for Store {
    async fn classify(
        &self,
        actor: &Actor,
        scope: &Scope,
        new: NewClassification,
    ) -> StoreResult<Classification> {
        let record = format!(
            "classification of {} {} for {}",
            new.subject_kind.as_str(),
            new.subject_id,
            new.decision.year
        );
        let today = crate::orgs::today();
        let book = rules(new.decision.decided_on)?;
        check_decision(&record, &book, &new.decision, today)?;
        let note = new
            .decision
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);

        let mut tx = self.db.begin().await?;
        let place = self.place(&mut tx, scope, &new, &record).await?;

        // Who decided: the member's cell or a committee above it; for an organization, a
        // committee above it.
        let decider = self.org(&Scope::all(), new.decided_by).await.map_err(|_| {
            DomainError::invalid(
                &record,
                "decided_by",
                format!("no organization {}", new.decided_by),
            )
        })?;
        let above = tree_path::is_within(&place.org.path, &decider.path)
            && (new.subject_kind == SubjectKind::Member || decider.id != place.org.id);
        if !above {
            return Err(DomainError::invalid(
                &record,
                "decided_by",
                format!(
                    "{} is not {} {}",
                    decider.name,
                    match new.subject_kind {
                        SubjectKind::Member => "the member's cell nor a committee above",
                        SubjectKind::Org => "a committee above",
                    },
                    place.org.name
                ),
            )
            .into());
        }

        let current = self
            .current_in_tx(&mut tx, new.subject_kind, new.subject_id, new.decision.year)
            .await?;
        let revision = match (&current, new.supersedes) {
            (None, None) => 1,
            (Some(c), Some(s)) if c.id == s => c.revision + 1,
            (Some(c), _) => {
                return Err(DomainError::Conflict(format!(
                    "{record}: already classified `{}` (record {}); send a correction with `supersedes` = {}",
                    c.level.as_str(),
                    c.id,
                    c.id
                ))
                .into());
            }
            (None, Some(s)) => {
                return Err(DomainError::invalid(
                    &record,
                    "supersedes",
                    format!(
                        "record {s} is not the current classification of this subject and year"
                    ),
                )
                .into());
            }
        };

        if new.subject_kind == SubjectKind::Member {
            self.queue_on_grassroots(&mut tx, place.grassroots.id)
                .await?;
            let mut tally = self
                .member_tally_in_tx(
                    &mut tx,
                    place.grassroots.id,
                    new.decision.year,
                    new.supersedes,
                )
                .await?;
            let mut now = tally;
            if let Some(c) = &current {
                now.add(c.level, 1);
            }
            tally.add(new.decision.level, 1);
            // Only a decision that makes the tally worse for the quota is refused: one that
            // leaves it no worse (a correction of a note, a lower level) always goes in.
            if tally.excellent > now.excellent || tally.good < now.good {
                check_quota(&record, &book, &tally, &place.grassroots.name)?;
            }
        }

        let member_id = (new.subject_kind == SubjectKind::Member).then_some(new.subject_id);
        let points = new.decision.points.map(i64::from);
        let sql = self.db.sql(
            "INSERT INTO classifications (subject_kind, subject_id, member_id, org_id, grassroots_id, year, revision, \
             supersedes, level, points, rulebook, scheme, decided_on, decided_by, note, actor, recorded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(new.subject_kind.as_str())
            .bind(new.subject_id)
            .bind(member_id)
            .bind(place.org.id)
            .bind(place.grassroots.id)
            .bind(i64::from(new.decision.year))
            .bind(revision)
            .bind(new.supersedes)
            .bind(new.decision.level.as_str())
            .bind(points)
            .bind(&book.id)
            .bind(&book.classification.scheme)
            .bind(new.decision.decided_on.to_string())
            .bind(decider.id)
            .bind(note.clone())
            .bind(&actor.0)
            .bind(audit::now())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let after = serde_json::json!({
            "subject_kind": new.subject_kind.as_str(),
            "subject_id": new.subject_id,
            "org_id": place.org.id,
            "year": new.decision.year,
            "revision": revision,
            "supersedes": new.supersedes,
            "level": new.decision.level.as_str(),
            "points": points,
            "rulebook": book.id,
            "decided_on": new.decision.decided_on.to_string(),
            "decided_by": decider.id,
            "note": note,
        });
        let before = current.as_ref().map(|c| {
            serde_json::json!({"id": c.id, "level": c.level.as_str(), "points": c.points, "revision": c.revision})
        });
        audit::record(
            &self.db,
            &mut tx,
            actor,
            Change {
                action: if revision == 1 {
                    "classify"
                } else {
                    "correct_classification"
                },
                entity: "classification",
                entity_id: id.to_string(),
                org_path: &place.org.path,
                before,
                after: Some(after),
            },
        )
        .await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {COLUMNS} FROM classifications c WHERE c.id = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        let stored = from_row(&row)?;
        tx.commit().await?;
        Ok(stored)
    }
}
