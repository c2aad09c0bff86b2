//! Members' self check-in at the rate of a whole province's meetings starting at once.
//!
//! The exact check-in (`Store::check_in_exact`) reads the meeting, its organization and the
//! cell's expected participants with their histories inside its write transaction: about ten
//! statements holding SQLite's single writer for each check-in. Here the same rules are split
//! in two:
//!
//! 1. Deciding: the facts a check-in is judged on (the meeting, its organization's path, who
//!    is expected and how) are read outside any write, on the read pool, and kept per meeting
//!    for [`FACTS_TTL`]. Only a *yes* is decided from them; anything they refuse goes to the
//!    exact path, which answers with the precise error from the current records.
//! 2. Writing: the admitted check-ins are queued to the store's writer tasks (one on SQLite,
//!    two on PostgreSQL: while one writes its batch the other gathers the next; with their
//!    own connections this took PostgreSQL from a median of 3,581 to 5,442 check-ins a
//!    second, BENCHMARKS.md). A writer takes every
//!    check-in waiting and writes them in one transaction (group commit). In that
//!    transaction it re-validates what could have changed since the facts were read (the
//!    meeting not cancelled, its code and day, its organization's path, the member's
//!    membership of the organization that day), reads the marks already there, and writes
//!    the new marks, the meetings marked held, the change counters and one audit entry per
//!    mark, several rows a statement. Each request gets its own answer after the commit.
//!
//! Nothing is lost and no check-in fails because of another: a check-in that no longer
//! passes the re-validation is answered "take the exact path", and if the batch's transaction
//! fails as a whole (a constraint, a concurrent writer on PostgreSQL) every check-in of it is
//! retried alone on the exact path, whose own transaction decides it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grassroots_domain::date::Date;
use grassroots_domain::meetings::{AttendanceStatus, MeetingStatus};
use sqlx::{Any, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::history::expected_participants;
use super::{ATTENDANCE_COLUMNS, AttendanceRow, Meeting, Participant, attendance_from_row};
use crate::audit::{self, Change};
use crate::orgs::today;
use crate::row::{date, int, text};
use crate::{Actor, Db, Scope, Store, StoreResult};

/// How long the facts of a meeting are trusted for admitting check-ins. The write
/// re-validates the meeting and the membership (and takes the member's name from the
/// records); what this bounds is how late a change of a member's role at the meeting (a
/// status change that makes them exempt, say) shows in the marks written. A short TTL
/// costs a reload of the whole cell's histories per meeting each time it runs out (at 2 s,
/// that reloading dominated a 30-second PostgreSQL run of 800 meetings).
pub const FACTS_TTL: Duration = Duration::from_secs(10);

/// The most check-ins written in one transaction (8 parameters a row stay far below both
/// backends' limits).
pub const MAX_BATCH: usize = 256;

/// What a check-in is judged on, read once per meeting.
#[derive(Debug)]
struct Facts {
    meeting: Meeting,
    org_path: String,
    participants: HashMap<i64, Participant>,
}

impl Facts {
    /// The participant admitted, if every rule of the exact path says yes.
    fn admits(
        &self,
        scope: &Scope,
        member_id: i64,
        code: &str,
        on: Date,
        today: Date,
    ) -> Option<&Participant> {
        let m = &self.meeting;
        let open = scope.covers(&self.org_path)
            && m.status != MeetingStatus::Cancelled
            && m.date <= today
            && on == m.date
            && code.trim() == m.check_in_code;
        if open {
            self.participants.get(&member_id)
        } else {
            None
        }
    }
}

/// One admitted check-in on its way to the writer.
#[derive(Debug)]
struct Job {
    actor: Actor,
    member_id: i64,
    code: String,
    on: Date,
    facts: Arc<Facts>,
    role: grassroots_domain::meetings::Role,
    reply: oneshot::Sender<Outcome>,
}

/// The writer's answer to one check-in.
#[derive(Debug)]
enum Outcome {
    Done(StoreResult<AttendanceRow>),
    /// Decide it on the exact path (re-validation refused it, or its batch failed).
    Exact,
}

/// The per-store state of fast check-in, shared by the store's clones.
#[derive(Debug, Default)]
pub struct CheckIns {
    facts: Mutex<HashMap<i64, (Instant, Arc<Facts>)>>,
    writer: Mutex<Option<mpsc::UnboundedSender<Job>>>,
}

impl CheckIns {
    fn cached(&self, meeting_id: i64) -> Option<Arc<Facts>> {
        let map = self.facts.lock().ok()?;
        let (at, facts) = map.get(&meeting_id)?;
        (at.elapsed() < FACTS_TTL).then(|| Arc::clone(facts))
    }

    fn keep(&self, meeting_id: i64, facts: Arc<Facts>) {
        if let Ok(mut map) = self.facts.lock() {
            // Old entries go when the map grows: a day's meetings are a few thousand.
            if map.len() > 4096 {
                map.retain(|_, (at, _)| at.elapsed() < FACTS_TTL);
            }
            map.insert(meeting_id, (Instant::now(), facts));
        }
    }

    /// The writer's queue, starting the writer task (on the current runtime) if none runs.
    fn sender(&self, db: &Db) -> Option<mpsc::UnboundedSender<Job>> {
        let mut slot = self.writer.lock().ok()?;
        if let Some(s) = slot.as_ref()
            && !s.is_closed()
        {
            return Some(s.clone());
        }
        let handle = tokio::runtime::Handle::try_current().ok()?;
        let (tx, rx) = mpsc::unbounded_channel();
        // The tasks hold only the connection pools: they end when the store's last clone
        // (holding the sender) is dropped.
        let queue = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..db.group_commit_writers() {
            handle.spawn(writer(db.clone(), Arc::clone(&queue)));
        }
        *slot = Some(tx.clone());
        Some(tx)
    }
}

impl Store {
    /// A member's self check-in: admitted from the meeting's cached facts and written by the
    /// group-commit writer, or decided on the exact path when the facts do not admit it.
    pub(crate) async fn check_in_fast(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        code: &str,
        on: Date,
    ) -> StoreResult<AttendanceRow> {
        if let Some(outcome) = self
            .try_fast(actor, scope, meeting_id, member_id, code, on)
            .await
        {
            return outcome;
        }
        self.check_in_exact(actor, scope, meeting_id, member_id, code, on)
            .await
    }

    /// `None` when the exact path must decide.
    async fn try_fast(
        &self,
        actor: &Actor,
        scope: &Scope,
        meeting_id: i64,
        member_id: i64,
        code: &str,
        on: Date,
    ) -> Option<StoreResult<AttendanceRow>> {
        let facts = match self.check_ins.cached(meeting_id) {
            Some(f) => f,
            None => {
                let f = Arc::new(self.check_in_facts(meeting_id).await.ok()?);
                self.check_ins.keep(meeting_id, Arc::clone(&f));
                f
            }
        };
        let role = facts.admits(scope, member_id, code, on, today())?.role;
        let (reply, answer) = oneshot::channel();
        let job = Job {
            actor: actor.clone(),
            member_id,
            code: code.trim().to_owned(),
            on,
            facts,
            role,
            reply,
        };
        self.check_ins.sender(&self.db)?.send(job).ok()?;
        match answer.await.ok()? {
            Outcome::Done(result) => Some(result),
            Outcome::Exact => None,
        }
    }

    /// The meeting, its organization's path and who is expected, from the read pool.
    async fn check_in_facts(&self, meeting_id: i64) -> StoreResult<Facts> {
        let mut tx = self.db.read().begin().await?;
        let (meeting, org) = self
            .meeting_in_tx(&mut tx, &Scope::all(), meeting_id)
            .await?;
        let participants = expected_participants(&self.db, &mut tx, org.id, meeting.date).await?;
        tx.rollback().await?;
        Ok(Facts {
            meeting,
            org_path: org.path,
            participants: participants.into_iter().map(|p| (p.member_id, p)).collect(),
        })
    }
}

/// A writer task: takes every check-in waiting (at most [`MAX_BATCH`]) and writes them in
/// one transaction, until the queue closes. Writers share the queue: one gathers while
/// another writes.
async fn writer(db: Db, queue: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Job>>>) {
    loop {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        if queue.lock().await.recv_many(&mut batch, MAX_BATCH).await == 0 {
            break;
        }
        let jobs = batch;
        match write_batch(&db, &jobs).await {
            Ok(outcomes) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    // A requester that went away has nothing to be told.
                    let _ = job.reply.send(outcome);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, size = jobs.len(), "check-in batch failed; each is retried alone");
                for job in jobs {
                    let _ = job.reply.send(Outcome::Exact);
                }
            }
        }
    }
}

/// Writes one batch; the outcomes are in the order of `jobs`.
async fn write_batch(db: &Db, jobs: &[Job]) -> StoreResult<Vec<Outcome>> {
    let mut tx = db.begin_group_commit().await?;
    let today = today();
    let meetings = current_meetings(db, &mut tx, jobs).await?;
    let members = current_members(db, &mut tx, jobs).await?;
    let valid: Vec<bool> = jobs
        .iter()
        .map(|j| {
            let m = &j.facts.meeting;
            let meeting_ok = meetings.get(&m.id).is_some_and(|c| {
                c.status != MeetingStatus::Cancelled
                    && c.code == j.code
                    && c.day == j.on
                    && c.day <= today
                    && c.path == j.facts.org_path
            });
            meeting_ok && members.contains_key(&(j.on, j.member_id, m.org_id))
        })
        .collect();
    let mut marks = existing_marks(db, &mut tx, jobs, &valid).await?;

    let mut outcomes = Vec::with_capacity(jobs.len());
    // Marks over an earlier mark (an absence), with the place of their outcome.
    let mut updates: Vec<(usize, AttendanceRow)> = Vec::new();
    let mut audited: Vec<(usize, &Job, Option<AttendanceRow>, AttendanceRow)> = Vec::new();
    let mut held: BTreeSet<i64> = BTreeSet::new();
    let mut written: Vec<AttendanceRow> = Vec::new();
    for (job, ok) in jobs.iter().zip(&valid) {
        if !ok {
            outcomes.push(Outcome::Exact);
            continue;
        }
        let key = (job.facts.meeting.id, job.member_id);
        let before = marks.get(&key).cloned();
        if let Some(row) = &before
            && row.status == AttendanceStatus::Present
        {
            // Checking in twice changes nothing (and records nothing).
            outcomes.push(Outcome::Done(Ok(row.clone())));
            continue;
        }
        let after = AttendanceRow {
            meeting_id: key.0,
            member_id: key.1,
            full_name: members
                .get(&(job.on, job.member_id, job.facts.meeting.org_id))
                .cloned()
                .unwrap_or_default(),
            status: AttendanceStatus::Present,
            reason: None,
            role: job.role,
            source: "self".into(),
        };
        if before.is_some() {
            updates.push((outcomes.len(), after.clone()));
        } else {
            written.push(after.clone());
        }
        if meetings
            .get(&key.0)
            .is_some_and(|c| c.status == MeetingStatus::Scheduled)
        {
            held.insert(key.0);
        }
        marks.insert(key, after.clone());
        audited.push((outcomes.len(), job, before, after.clone()));
        outcomes.push(Outcome::Done(Ok(after)));
    }
    let now = audit::now();
    insert_marks(db, &mut tx, &written, &now).await?;
    // A second writer (PostgreSQL runs two) may have marked the member present since the
    // marks were read: that check-in is the one recorded, and this one is decided again on
    // the exact path, which finds the mark present and records nothing.
    // In the order of the marks, as the other writer takes them: neither waits for a mark
    // the other holds while holding one it waits for.
    updates.sort_by_key(|(_, row)| (row.meeting_id, row.member_id));
    let mut overtaken = BTreeSet::new();
    for (place, row) in &updates {
        let sql = db.sql(
            "UPDATE meeting_attendance SET status = ?, reason = NULL, role = ?, source = ?, recorded_at = ? \
             WHERE meeting_id = ? AND member_id = ? AND status <> ?",
        );
        let done = sqlx::query(&sql)
            .bind(row.status.as_str())
            .bind(row.role.as_str())
            .bind(row.source.clone())
            .bind(now.clone())
            .bind(row.meeting_id)
            .bind(row.member_id)
            .bind(AttendanceStatus::Present.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            outcomes[*place] = Outcome::Exact;
            overtaken.insert(*place);
        }
    }
    audited.retain(|(place, ..)| !overtaken.contains(place));
    mark_held(db, &mut tx, &held, &now).await?;
    let changes: Vec<(Actor, Change<'_>)> = audited
        .into_iter()
        .map(|(_, job, before, after)| {
            (
                job.actor.clone(),
                Change {
                    action: "meeting.check_in",
                    entity: "attendance",
                    entity_id: format!("{}/{}", after.meeting_id, after.member_id),
                    org_path: &job.facts.org_path,
                    before: before.map(|b| serde_json::json!(b)),
                    after: Some(serde_json::json!(after)),
                },
            )
        })
        .collect();
    audit::record_batch(db, &mut tx, &changes).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// A meeting as it is now, for the re-validation.
struct Current {
    status: MeetingStatus,
    code: String,
    day: Date,
    path: String,
}

fn list(n: usize) -> String {
    super::placeholders(n)
}

async fn current_meetings(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    jobs: &[Job],
) -> StoreResult<HashMap<i64, Current>> {
    let ids: BTreeSet<i64> = jobs.iter().map(|j| j.facts.meeting.id).collect();
    let sql = db
        .sql(&format!(
            "SELECT m.id, m.status, m.check_in_code, m.held_on, o.path FROM meetings m \
             JOIN orgs o ON o.id = m.org_id WHERE m.id IN ({})",
            list(ids.len())
        ))
        .into_owned();
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let mut out = HashMap::new();
    for r in q.fetch_all(&mut **tx).await? {
        out.insert(
            int(&r, "id")?,
            Current {
                status: crate::row::parsed(&r, "status", MeetingStatus::parse)?,
                code: text(&r, "check_in_code")?,
                day: date(&r, "held_on")?,
                path: text(&r, "path")?,
            },
        );
    }
    Ok(out)
}

/// The memberships the batch's members hold on each day checked in, with their current
/// names: `(day, member, organization) → full name`.
async fn current_members(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    jobs: &[Job],
) -> StoreResult<HashMap<(Date, i64, i64), String>> {
    let mut by_day: BTreeMap<Date, BTreeSet<i64>> = BTreeMap::new();
    for j in jobs {
        by_day.entry(j.on).or_default().insert(j.member_id);
    }
    let mut out = HashMap::new();
    for (day, ids) in by_day {
        let sql = db
            .sql(&format!(
                "SELECT ms.member_id, ms.org_id, p.full_name FROM memberships ms \
                 JOIN members p ON p.id = ms.member_id \
                 WHERE ms.member_id IN ({}) AND ms.valid_from <= ? \
                 AND (ms.valid_to IS NULL OR ms.valid_to > ?)",
                list(ids.len())
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        let day_text = day.to_string();
        let rows = q
            .bind(day_text.clone())
            .bind(day_text)
            .fetch_all(&mut **tx)
            .await?;
        for r in rows {
            out.insert(
                (day, int(&r, "member_id")?, int(&r, "org_id")?),
                text(&r, "full_name")?,
            );
        }
    }
    Ok(out)
}

/// The marks already recorded for the valid check-ins of the batch.
async fn existing_marks(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    jobs: &[Job],
    valid: &[bool],
) -> StoreResult<HashMap<(i64, i64), AttendanceRow>> {
    let pairs: BTreeSet<(i64, i64)> = jobs
        .iter()
        .zip(valid)
        .filter(|(_, ok)| **ok)
        .map(|(j, _)| (j.facts.meeting.id, j.member_id))
        .collect();
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let terms = vec!["(a.meeting_id = ? AND a.member_id = ?)"; pairs.len()].join(" OR ");
    let sql = db
        .sql(&format!(
            "SELECT {ATTENDANCE_COLUMNS} FROM meeting_attendance a \
             JOIN members p ON p.id = a.member_id WHERE {terms}"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql);
    for (meeting, member) in &pairs {
        q = q.bind(*meeting).bind(*member);
    }
    let mut out = HashMap::new();
    for r in q.fetch_all(&mut **tx).await? {
        let row = attendance_from_row(&r)?;
        out.insert((row.meeting_id, row.member_id), row);
    }
    Ok(out)
}

async fn insert_marks(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    rows: &[AttendanceRow],
    now: &str,
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values = vec!["(?, NULL, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let sql = db
        .sql(&format!(
            "INSERT INTO meeting_attendance (status, reason, role, source, recorded_at, meeting_id, member_id) \
             VALUES {values}"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.status.as_str())
            .bind(r.role.as_str())
            .bind(r.source.clone())
            .bind(now.to_owned())
            .bind(r.meeting_id)
            .bind(r.member_id);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// A scheduled meeting is held from its first check-in.
async fn mark_held(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    ids: &BTreeSet<i64>,
    now: &str,
) -> StoreResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = db
        .sql(&format!(
            "UPDATE meetings SET status = 'held', version = version + 1, updated_at = ? \
             WHERE status = 'scheduled' AND id IN ({})",
            list(ids.len())
        ))
        .into_owned();
    let mut q = sqlx::query(&sql).bind(now.to_owned());
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
