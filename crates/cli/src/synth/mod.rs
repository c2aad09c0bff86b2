//! The synthetic nation: a realistic, deterministic data set written straight into the
//! database with the bulk loader, for demonstrations and benchmarks.

pub mod dues;
pub mod meetings;
pub mod members;
pub mod names;
pub mod rng;
pub mod rollups;
pub mod sink;
pub mod tree;

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use grassroots_domain::date::Date;
use grassroots_storage::bulk::{BulkLoader, Table};
use grassroots_storage::bulk_sqlite::{ForeignKeys, SqliteLoad};
use grassroots_storage::{Backend, Db};
use indicatif::ProgressBar;
use sqlx::Row;

use self::dues::DuesYear;
use self::meetings::MeetingPlan;
use self::members::MemberMaker;
use self::rng::Rng;
use self::sink::{Message, Sink};
use self::tree::{OrgDraft, Shape};

/// The actor recorded in the audit log for a generated data set.
pub const ACTOR: &str = "system:demo";

const ORG_EVENTS: Table = Table {
    name: "org_events",
    columns: &[
        "id",
        "change",
        "effective_on",
        "decision",
        "note",
        "details",
        "actor",
        "recorded_at",
    ],
};
const ORGS: Table = Table {
    name: "orgs",
    columns: &[
        "id",
        "code",
        "name",
        "name_folded",
        "kind",
        "parent_id",
        "path",
        "depth",
        "founded_on",
        "dissolved_on",
        "successor_id",
        "updated_at",
    ],
};
const ORG_VERSIONS: Table = Table {
    name: "org_versions",
    columns: &[
        "org_id",
        "valid_from",
        "valid_to",
        "code",
        "name",
        "kind",
        "parent_id",
        "path",
        "event_id",
    ],
};
const AUDIT_LOG: Table = Table {
    name: "audit_log",
    columns: &[
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "org_path",
        "before_json",
        "after_json",
    ],
};

/// Tables in foreign-key order, for the final flush.
pub const ORDER: &[&str] = &[
    "org_events",
    "orgs",
    "org_versions",
    "members",
    "member_name_keys",
    "member_statuses",
    "memberships",
    "org_member_counts",
    "org_kind_counts",
    "meetings",
    "meeting_attendance",
    "dues_incomes",
    "dues_payments",
    "audit_log",
];

/// What a generation wrote and how long each phase took.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    pub seed: u64,
    pub shape: Shape,
    pub orgs_by_kind: std::collections::BTreeMap<String, u64>,
    pub members: u64,
    pub transfers: u64,
    /// Meetings of the year (held and cancelled) and attendance rows; 0 without meetings.
    pub meetings: u64,
    pub attendance: u64,
    /// Dues payments of the year (written with the meetings); 0 without meetings.
    pub dues_payments: u64,
    pub rows: u64,
    /// Building the tree and writing organizations and members (buffered inserts).
    pub insert_secs: f64,
    /// Rebuilding the suspended indexes, committing and refreshing statistics.
    pub index_secs: f64,
    /// Summing the rollups over the tree (on the producer thread; written with the rows).
    pub rollup_secs: f64,
    pub total_secs: f64,
    /// Members per second over the whole run, indexes and rollups included.
    pub members_per_sec: f64,
    /// Attendance rows per second over the whole run (0 without meetings).
    pub attendance_per_sec: f64,
    /// The producer thread's time making rows, and the part of it spent waiting for the
    /// loader (a large share: the loader is the slower side).
    pub producer_secs: f64,
    pub producer_waited_secs: f64,
    /// The loader's time waiting for rows (a large share: the producer is the slower side).
    pub loader_waited_secs: f64,
    /// Where the loader's time went, phase by phase (SQLite's native loader; empty on
    /// PostgreSQL).
    pub phases: Vec<Phase>,
}

/// One phase of a load and its seconds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Phase {
    pub name: String,
    pub secs: f64,
}

/// What the producer thread made, besides the rows.
#[derive(Debug, Default)]
struct Produced {
    transfers: u64,
    meetings: u64,
    attendance: u64,
    dues_payments: u64,
    rollup_secs: f64,
    secs: f64,
    waited_secs: f64,
}

/// What a loader did: rows written, seconds until the last row was written (from the
/// loader's start), seconds waiting for rows, and its phases.
#[derive(Debug, Default)]
struct Loaded {
    rows: u64,
    insert_secs: f64,
    waited_secs: f64,
    phases: Vec<Phase>,
}

/// Writes a synthetic nation of `members` members into the empty database `db`, with a
/// year of cell meetings, their attendance and dues when `meetings` is set. The data set
/// describes the day `as_of`: every date is on or before it, and its year of meetings and
/// dues is the twelve months ending with `as_of`'s.
pub async fn generate(
    db: &Db,
    members: u64,
    seed: u64,
    meetings: bool,
    as_of: Date,
    progress: &ProgressBar,
) -> anyhow::Result<Summary> {
    if members == 0 {
        bail!("generate: --members must be at least 1");
    }
    let earliest = members::earliest_reference_day();
    if as_of < earliest {
        bail!(
            "generate: --as-of {as_of} is before {earliest}: the data set's history holds the \
             2025 reorganization and the transfers after it"
        );
    }
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM orgs")
        .fetch_one(db.read())
        .await?
        .try_get("n")?;
    if existing > 0 {
        bail!(
            "generate: the database already holds {existing} organizations; \
             generate into an empty database (a new SQLite file or PostgreSQL database)"
        );
    }
    let started = Instant::now();
    let shape = Shape::for_members(members);
    let rng = Rng::new(seed);
    let tree = Arc::new(tree::build(&shape, &rng));
    progress.set_length(members);
    progress.set_message("organizations");
    let now = grassroots_storage::audit::now();
    let tree_secs = started.elapsed().as_secs_f64();
    // Rows are made on their own thread and written by the loader as they arrive.
    let (tx, rx) = tokio::sync::mpsc::channel(sink::IN_FLIGHT);
    let producer = {
        let tree = Arc::clone(&tree);
        let now = now.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut sink = Sink::new(tx);
            let asked = Asked {
                seed,
                as_of,
                meetings,
            };
            let produced = produce(&mut sink, &tree, &rng, &now, asked, &shape);
            produced.map(|p| Produced {
                secs: started.elapsed().as_secs_f64(),
                waited_secs: sink.waited(),
                ..p
            })
        })
    };
    let loaded = match db.sqlite_file() {
        Some(file) if db.backend() == Backend::Sqlite => {
            db.close_idle_connections().await;
            let file = file.to_path_buf();
            let progress = progress.clone();
            tokio::task::spawn_blocking(move || load_native(&file, rx, &progress, members))
                .await
                .map_err(|e| anyhow::anyhow!("generate: the loader failed: {e}"))
                .and_then(|r| r)
        }
        _ => load_async(db, rx, progress, members).await,
    };
    // On a loader error the producer finds the channel closed and stops.
    let produced = producer
        .join()
        .map_err(|_| anyhow::anyhow!("generate: the row producer panicked"))
        .and_then(|r| r);
    let (loaded, produced) = match (loaded, produced) {
        (Ok(l), Ok(p)) => (l, p),
        (Err(e), _) | (Ok(_), Err(e)) => return Err(e),
    };
    // The tree was built before the loader began: count it with the inserts.
    let insert_secs = loaded.insert_secs + tree_secs;
    let total_secs = started.elapsed().as_secs_f64();
    progress.finish_with_message("done");
    let mut orgs_by_kind = std::collections::BTreeMap::new();
    for o in tree.iter() {
        *orgs_by_kind.entry(o.kind.as_str().to_owned()).or_insert(0) += 1;
    }
    Ok(Summary {
        seed,
        shape,
        orgs_by_kind,
        members,
        transfers: produced.transfers,
        meetings: produced.meetings,
        attendance: produced.attendance,
        dues_payments: produced.dues_payments,
        rows: loaded.rows,
        insert_secs,
        index_secs: total_secs - insert_secs,
        rollup_secs: produced.rollup_secs,
        total_secs,
        members_per_sec: members as f64 / total_secs.max(1e-9),
        attendance_per_sec: produced.attendance as f64 / total_secs.max(1e-9),
        producer_secs: produced.secs,
        producer_waited_secs: produced.waited_secs,
        loader_waited_secs: loaded.waited_secs,
        phases: loaded.phases,
    })
}

/// SQLite: the native loader on this (blocking) thread.
fn load_native(
    file: &std::path::Path,
    mut rx: tokio::sync::mpsc::Receiver<Message>,
    progress: &ProgressBar,
    members: u64,
) -> anyhow::Result<Loaded> {
    let started = Instant::now();
    // The generator's rows refer only to rows it wrote before them (its tests check every
    // foreign key of what it writes).
    let mut load = SqliteLoad::begin(file, ForeignKeys::Trusted)
        .context("generate: opening the SQLite file")?;
    let mut waited_secs = 0.0;
    loop {
        let waiting = Instant::now();
        let message = rx.blocking_recv();
        waited_secs += waiting.elapsed().as_secs_f64();
        match message {
            Some(Message::Rows(batch)) => load.write(&batch)?,
            Some(Message::Members(n)) => members_done(progress, n, members),
            None => break,
        }
    }
    load.add_phase("waiting for rows", waited_secs);
    let insert_secs = started.elapsed().as_secs_f64();
    progress.set_message("indexes");
    let (rows, phases) = load
        .finish()
        .context("generate: rebuilding indexes and committing")?;
    Ok(Loaded {
        rows,
        insert_secs,
        waited_secs,
        phases: phases
            .into_iter()
            .map(|(name, secs)| Phase { name, secs })
            .collect(),
    })
}

/// PostgreSQL: the `sqlx` bulk loader.
async fn load_async(
    db: &Db,
    mut rx: tokio::sync::mpsc::Receiver<Message>,
    progress: &ProgressBar,
    members: u64,
) -> anyhow::Result<Loaded> {
    let started = Instant::now();
    let mut loader = BulkLoader::begin(db).await?;
    let mut written = Ok(());
    let mut waited_secs = 0.0;
    loop {
        let waiting = Instant::now();
        let message = rx.recv().await;
        waited_secs += waiting.elapsed().as_secs_f64();
        match message {
            Some(Message::Rows(batch)) => {
                if let Err(e) = loader.write(&batch).await {
                    written = Err(anyhow::Error::from(e));
                    break;
                }
            }
            Some(Message::Members(n)) => members_done(progress, n, members),
            None => break,
        }
    }
    // Closing the channel stops the producer.
    drop(rx);
    if let Err(e) = written {
        // Roll back explicitly when possible; the loader closes its connection otherwise.
        let _ = loader.abort().await;
        return Err(e);
    }
    let insert_secs = started.elapsed().as_secs_f64();
    progress.set_message("indexes");
    let rows = loader
        .finish()
        .await
        .context("generate: rebuilding indexes and committing")?;
    Ok(Loaded {
        rows,
        insert_secs,
        waited_secs,
        phases: Vec::new(),
    })
}

fn members_done(progress: &ProgressBar, n: u64, members: u64) {
    progress.set_position(n);
    if n == members {
        progress.set_message("meetings and attendance");
    }
}

/// What a generation was asked for, beside its size (the tree's shape).
#[derive(Debug, Clone, Copy)]
struct Asked {
    seed: u64,
    /// The day the data set describes.
    as_of: Date,
    /// With a year of meetings, attendance and dues.
    meetings: bool,
}

/// The producer thread: every row of the data set, in foreign-key order.
fn produce(
    sink: &mut Sink,
    tree: &[OrgDraft],
    rng: &Rng,
    now: &str,
    asked: Asked,
    shape: &Shape,
) -> anyhow::Result<Produced> {
    let Asked {
        seed,
        as_of,
        meetings,
    } = asked;
    write_tree(sink, tree, now)?;
    let mut plan = if meetings {
        let mut plan = MeetingPlan::new(tree, rng, now, as_of)?;
        plan.write_meetings(sink, tree)?;
        Some(plan)
    } else {
        None
    };
    let mut maker = MemberMaker::new(tree, rng, now, as_of);
    if meetings {
        // The year of activity: meetings, and the dues paid over the same months.
        maker.with_dues(DuesYear::new(tree, now, as_of)?);
    }
    let mut done = 0u64;
    for org in tree.iter().filter(|o| o.members > 0) {
        maker.write_cell(sink, org, plan.as_mut())?;
        let written = maker.written();
        if written - done >= 10_000 {
            sink.progress(written)?;
            done = written;
        }
    }
    maker.finish(sink, plan.as_mut())?;
    sink.progress(maker.written())?;
    let counting = Instant::now();
    rollups::write(sink, tree, maker.counts())?;
    let rollup_secs = counting.elapsed().as_secs_f64();
    let (meetings, attendance) = plan.as_ref().map_or((0, 0), |p| (p.meetings, p.attendance));
    let summary = serde_json::json!({
        "seed": seed,
        "as_of": as_of,
        "shape": shape,
        "transfers": maker.transfers(),
        "meetings": meetings,
        "attendance": attendance,
        "dues_incomes": maker.dues().map_or(0, |d| d.incomes),
        "dues_payments": maker.dues().map_or(0, |d| d.payments),
    });
    sink.push(AUDIT_LOG, |b| {
        b.text(now)
            .text(ACTOR)
            .text("demo.generate")
            .text("dataset")
            .fmt(format_args!("{seed}"))
            .text("/")
            .null_text()
            .text(&summary.to_string());
    })?;
    for table in ORDER {
        sink.flush(table)?;
    }
    Ok(Produced {
        transfers: maker.transfers(),
        meetings,
        attendance,
        dues_payments: maker.dues().map_or(0, |d| d.payments),
        rollup_secs,
        ..Produced::default()
    })
}

/// One `created` event per organization, as `create_org` records it, then the
/// reorganization's events; the organizations; and their versions: one open version, or for
/// an organization the reorganization moved one until that day and one from it, or for one
/// it ended only the closed one (as `move_org`, `dissolve_org` and `merge_orgs` leave them).
fn write_tree(sink: &mut Sink, tree: &[OrgDraft], now: &str) -> anyhow::Result<()> {
    for o in tree {
        sink.push(ORG_EVENTS, |b| {
            b.int(o.id)
                .text("created")
                .date(o.founded_on)
                .opt_text(o.decision)
                .null_text()
                .text(&serde_json::json!({ "org_id": o.id }).to_string())
                .text(ACTOR)
                .text(now);
        })?;
    }
    for e in tree::reorganization_events(tree) {
        sink.push(ORG_EVENTS, |b| {
            b.int(e.id)
                .text(e.change.as_str())
                .date(e.on)
                .opt_text(e.decision)
                .null_text()
                .text(&e.details.to_string())
                .text(ACTOR)
                .text(now);
        })?;
    }
    sink.flush("org_events")?;
    for o in tree {
        sink.push(ORGS, |b| {
            b.int(o.id)
                .text(&o.code)
                .text(&o.name)
                .fmt(format_args!(
                    "{} {}",
                    grassroots_domain::text::fold(&o.name),
                    o.code.to_lowercase()
                ))
                .text(o.kind.as_str())
                .opt_int(o.parent_id)
                .text(&o.path)
                .int(o.depth)
                .date(o.founded_on)
                .opt_date(o.ended.as_ref().map(|e| e.on))
                .opt_int(o.ended.as_ref().and_then(|e| e.successor_id))
                .text(now);
        })?;
    }
    sink.flush("orgs")?;
    let reorg = tree::reorganization_day();
    for o in tree {
        let version = |b: &mut grassroots_storage::batch::Batch,
                       from: Date,
                       to: Option<Date>,
                       parent_id: Option<i64>,
                       path: &str,
                       event: i64| {
            b.int(o.id)
                .date(from)
                .opt_date(to)
                .text(&o.code)
                .text(&o.name)
                .text(o.kind.as_str())
                .opt_int(parent_id)
                .text(path)
                .int(event);
        };
        match &o.before {
            Some(before) => {
                sink.push(ORG_VERSIONS, |b| {
                    version(
                        b,
                        o.founded_on,
                        Some(reorg),
                        Some(before.parent_id),
                        &before.path,
                        o.id,
                    )
                })?;
                sink.push(ORG_VERSIONS, |b| {
                    version(b, reorg, None, o.parent_id, &o.path, before.moved_by)
                })?;
            }
            // Open, or closed on the day the organization ended.
            None => sink.push(ORG_VERSIONS, |b| {
                let to = o.ended.as_ref().map(|e| e.on);
                version(b, o.founded_on, to, o.parent_id, &o.path, o.id)
            })?,
        }
    }
    sink.flush("org_versions")?;
    Ok(())
}
