//! The synthetic nation: a realistic, deterministic data set written straight into the
//! database with the bulk loader, for demonstrations and benchmarks.

pub mod members;
pub mod names;
pub mod rng;
pub mod tree;

use std::time::Instant;

use anyhow::{Context, bail};
use grassroots_storage::bulk::{BulkLoader, Table, Value};
use grassroots_storage::{Db, rollup};
use indicatif::ProgressBar;
use sqlx::Row;

use self::members::MemberMaker;
use self::rng::Rng;
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
    pub rows: u64,
    /// Building the tree and writing organizations and members (buffered inserts).
    pub insert_secs: f64,
    /// Rebuilding the suspended indexes, committing and refreshing statistics.
    pub index_secs: f64,
    pub rollup_secs: f64,
    pub total_secs: f64,
    /// Members per second over the whole run, indexes and rollups included.
    pub members_per_sec: f64,
}

/// Writes a synthetic nation of `members` members into the empty database `db`.
pub async fn generate(
    db: &Db,
    members: u64,
    seed: u64,
    progress: &ProgressBar,
) -> anyhow::Result<Summary> {
    if members == 0 {
        bail!("generate: --members must be at least 1");
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
    let tree = tree::build(&shape, &rng);
    progress.set_length(members);
    progress.set_message("organizations");
    let now = grassroots_storage::audit::now();
    let mut loader = BulkLoader::begin(db).await?;
    let result = write_all(&mut loader, &tree, &rng, &now, seed, &shape, progress).await;
    let transfers = match result {
        Ok(t) => t,
        Err(e) => {
            // Roll back explicitly when possible; the loader closes its connection otherwise.
            let _ = loader.abort().await;
            return Err(e);
        }
    };
    let insert_secs = started.elapsed().as_secs_f64();
    progress.set_message("indexes");
    let rows = loader
        .finish(ORDER)
        .await
        .context("generate: rebuilding indexes and committing")?;
    let index_secs = started.elapsed().as_secs_f64() - insert_secs;
    progress.set_message("rollups");
    rollup::rebuild(db).await.context("generate: rollups")?;
    let total_secs = started.elapsed().as_secs_f64();
    progress.finish_with_message("done");
    let mut orgs_by_kind = std::collections::BTreeMap::new();
    for o in &tree {
        *orgs_by_kind.entry(o.kind.as_str().to_owned()).or_insert(0) += 1;
    }
    Ok(Summary {
        seed,
        shape,
        orgs_by_kind,
        members,
        transfers,
        rows,
        insert_secs,
        index_secs,
        rollup_secs: total_secs - insert_secs - index_secs,
        total_secs,
        members_per_sec: members as f64 / total_secs.max(1e-9),
    })
}

async fn write_all(
    loader: &mut BulkLoader,
    tree: &[OrgDraft],
    rng: &Rng,
    now: &str,
    seed: u64,
    shape: &Shape,
    progress: &ProgressBar,
) -> anyhow::Result<u64> {
    write_tree(loader, tree, now).await?;
    let mut maker = MemberMaker::new(tree, rng, now);
    let mut done = 0u64;
    for org in tree.iter().filter(|o| o.members > 0) {
        maker.write_cell(loader, org).await?;
        let written = maker.written();
        if written - done >= 10_000 {
            progress.set_position(written);
            done = written;
        }
    }
    maker.finish(loader).await?;
    progress.set_position(maker.written());
    let summary =
        serde_json::json!({ "seed": seed, "shape": shape, "transfers": maker.transfers() });
    loader
        .push(
            AUDIT_LOG,
            [
                Value::from(now),
                ACTOR.into(),
                "demo.generate".into(),
                "dataset".into(),
                seed.to_string().into(),
                "/".into(),
                Value::NullText,
                summary.to_string().into(),
            ],
        )
        .await?;
    Ok(maker.transfers())
}

/// One `created` event and one open version per organization, as `create_org` records them.
async fn write_tree(loader: &mut BulkLoader, tree: &[OrgDraft], now: &str) -> anyhow::Result<()> {
    for o in tree {
        loader
            .push(
                ORG_EVENTS,
                [
                    Value::Int(o.id),
                    "created".into(),
                    o.founded_on.to_string().into(),
                    Value::from(o.decision.map(str::to_owned)),
                    Value::NullText,
                    serde_json::json!({ "org_id": o.id }).to_string().into(),
                    ACTOR.into(),
                    now.into(),
                ],
            )
            .await?;
    }
    loader.flush("org_events").await?;
    for o in tree {
        loader
            .push(
                ORGS,
                [
                    Value::Int(o.id),
                    o.code.as_str().into(),
                    o.name.as_str().into(),
                    format!(
                        "{} {}",
                        grassroots_domain::text::fold(&o.name),
                        o.code.to_lowercase()
                    )
                    .into(),
                    o.kind.as_str().into(),
                    o.parent_id.into(),
                    o.path.as_str().into(),
                    Value::Int(o.depth),
                    o.founded_on.to_string().into(),
                    now.into(),
                ],
            )
            .await?;
    }
    loader.flush("orgs").await?;
    for o in tree {
        loader
            .push(
                ORG_VERSIONS,
                [
                    Value::Int(o.id),
                    o.founded_on.to_string().into(),
                    Value::NullText,
                    o.code.as_str().into(),
                    o.name.as_str().into(),
                    o.kind.as_str().into(),
                    o.parent_id.into(),
                    o.path.as_str().into(),
                    Value::Int(o.id),
                ],
            )
            .await?;
    }
    loader.flush("org_versions").await?;
    Ok(())
}
