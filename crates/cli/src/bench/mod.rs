//! The benchmark: for one data set on one backend, time each scenario the design's way and
//! the naive way, on the same data in the same run.
//!
//! Each scenario is a function from a [`Context`] to [`Metric`]s. An HTTP scenario (the
//! member list and meeting check-in over loopback) plugs in the same way: start the web
//! application on `Context::store`, drive it, and return its metrics with `unit` set to
//! requests per second or milliseconds.

pub mod http;
pub mod measure;
pub mod queries;
pub mod report;
pub mod report_timing;

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::{Actor, Scope, Store};

use self::measure::{Plan, Sample, time};
use crate::synth::Summary;

/// Every metric a bench pass reports (the CI test checks that each one is there).
pub const METRICS: &[&str] = &[
    "counts.cell",
    "counts.commune",
    "counts.province",
    "counts.nation",
    "search.name",
    "search.province",
    "search.commune",
    "list.commune.first",
    "list.province.first",
    "list.province.deep",
    "list.nation.first",
    "import.members",
];

/// How a pass runs: repetitions and the time budget of the naive side.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub runs: usize,
    pub naive_runs: usize,
    pub naive_budget: Duration,
    /// Members the naive import writes one by one through `create_member`.
    pub naive_import: usize,
    /// How deep the "deep page" is, in pages.
    pub deep_page: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: 30,
            naive_runs: 10,
            naive_budget: Duration::from_secs(20),
            naive_import: 300,
            deep_page: 40,
        }
    }
}

/// One measured scenario: ours, the naive baseline, and their ratio.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Metric {
    pub backend: String,
    pub size: u64,
    pub metric: String,
    /// `ms` (lower is better) or `members/s` (higher is better).
    pub unit: String,
    pub ours: Sample,
    pub naive: Sample,
    /// How many times better ours is than the naive baseline (by median).
    pub ratio: f64,
}

/// What one pass needs: the store with the generated data, its name and size.
#[derive(Debug)]
pub struct Context<'a> {
    pub store: &'a Store,
    pub backend: &'a str,
    pub size: u64,
    pub options: Options,
    /// Measure only the metrics whose names start with one of these (all when empty).
    pub only: &'a [String],
}

impl Context<'_> {
    /// Whether the metric `name` is to be measured (see `only`).
    fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| name.starts_with(o.as_str()))
    }

    /// Whether any metric starting with `group` is to be measured.
    fn wants_group(&self, group: &str) -> bool {
        METRICS
            .iter()
            .chain(report_timing::METRICS)
            .any(|m| m.starts_with(group) && self.wants(m))
    }

    fn metric(&self, name: &str, unit: &str, ours: Sample, naive: Sample) -> Metric {
        let ratio = if unit == "ms" {
            naive.median / ours.median.max(1e-6)
        } else {
            ours.median / naive.median.max(1e-9)
        };
        Metric {
            backend: self.backend.to_owned(),
            size: self.size,
            metric: name.to_owned(),
            unit: unit.to_owned(),
            ours,
            naive,
            ratio,
        }
    }

    fn ours_plan(&self) -> Plan {
        Plan {
            runs: self.options.runs,
            min_runs: self.options.runs.min(5),
            budget: Duration::from_secs(30),
        }
    }

    fn naive_plan(&self) -> Plan {
        Plan {
            runs: self.options.naive_runs,
            min_runs: 3.min(self.options.naive_runs),
            budget: self.options.naive_budget,
        }
    }
}

/// Runs every scenario (or those `ctx.only` selects) on a data set; `generation`, when the
/// pass generated it, gives the import figure.
pub async fn run_pass(
    ctx: &Context<'_>,
    generation: Option<&Summary>,
) -> anyhow::Result<Vec<Metric>> {
    let mut out = Vec::new();
    if ctx.wants_group("counts.") {
        out.extend(counts(ctx).await?);
    }
    if ctx.wants_group("search.") {
        out.extend(search(ctx).await?);
    }
    if ctx.wants_group("list.") {
        out.extend(lists(ctx).await?);
    }
    if ctx.wants_group("import.") {
        let Some(generation) = generation else {
            bail!(
                "bench: the import figure needs a generated data set (leave out --existing, or pass --only)"
            );
        };
        out.push(import(ctx, generation).await?);
    }
    if ctx.wants_group("report.") {
        // Boxed: the report's futures (a period, its previous one, each year) are large.
        out.extend(Box::pin(report_timing::report_timing(ctx)).await?);
    }
    out.retain(|m| ctx.wants(&m.metric));
    if let Some(missing) = METRICS
        .iter()
        .chain(report_timing::METRICS)
        .filter(|m| ctx.wants(m))
        .find(|m| !out.iter().any(|o| o.metric == **m))
    {
        bail!("bench: the pass did not measure {missing}");
    }
    Ok(out)
}

/// Subtree counts at each level, rollups against the recursive CTE. The first run of each
/// sample organization also checks that both give the same numbers.
async fn counts(ctx: &Context<'_>) -> anyhow::Result<Vec<Metric>> {
    let store = ctx.store;
    let levels: [(&str, &[&str]); 4] = [
        ("cell", &["cell", "grassroots_cell"]),
        ("commune", &["commune"]),
        ("province", &["provincial"]),
        ("nation", &["central"]),
    ];
    let mut out = Vec::new();
    for (level, kinds) in levels {
        let orgs = queries::sample_orgs(store, kinds, 10).await?;
        if orgs.is_empty() {
            bail!("bench: the data set has no {level}-level organization");
        }
        for org in &orgs {
            let ours = queries::rollup_counts(store, *org).await?;
            let naive = queries::naive_counts(store, *org).await?;
            if ours != naive {
                bail!(
                    "bench: the rollups of organization {org} disagree with a recount: \
                     rollups {ours:?}, recount {naive:?}"
                );
            }
        }
        let pick = |i: usize| orgs[i % orgs.len()];
        let ours = time(ctx.ours_plan(), |i| async move {
            queries::rollup_counts(store, pick(i)).await.map(|_| ())
        })
        .await?;
        let naive = time(ctx.naive_plan(), |i| async move {
            queries::naive_counts(store, pick(i)).await.map(|_| ())
        })
        .await?;
        out.push(ctx.metric(&format!("counts.{level}"), "ms", ours, naive));
    }
    Ok(out)
}

/// Search terms as a user types them, without diacritics: full names, family and middle
/// names, given names, and the hard cases of a key-prefix search: the most common family
/// name and middle names alone ("nguyen", "van", "thi"), a middle and given name ("thi
/// huong": every match sits at one given name), a two-letter prefix ("ng").
const TERMS: &[&str] = &[
    "nguyen van hung",
    "thi huong",
    "tran thi thu",
    "nguyen",
    "le minh",
    "van",
    "pham ngoc anh",
    "ng",
    "hoang",
    "nguyen thi h",
    "vu duc",
    "thi",
    "dang quang vinh",
    "huong",
    "bui thi lan",
    "do",
];

/// One page of a name search at each scope the users have: the nation, a province, a
/// commune (samples rotate over 10 organizations of each level and over [`TERMS`]).
async fn search(ctx: &Context<'_>) -> anyhow::Result<Vec<Metric>> {
    let store = ctx.store;
    let mut out = Vec::new();
    for (name, kinds) in [
        ("search.name", &["central"][..]),
        ("search.province", &["provincial"][..]),
        ("search.commune", &["commune"][..]),
    ] {
        if !ctx.wants(name) {
            continue;
        }
        let orgs = queries::sample_orgs(store, kinds, 10).await?;
        if orgs.is_empty() {
            bail!("bench: the data set has no {kinds:?} organization");
        }
        // The nation: no organization filter (the caller's whole scope).
        let nation = name == "search.name";
        let pick = |i: usize| (!nation).then(|| orgs[i % orgs.len()]);
        let term = |i: usize| TERMS[i % TERMS.len()];
        let ours = time(ctx.ours_plan(), |i| async move {
            queries::search(store, term(i), pick(i)).await.map(|_| ())
        })
        .await?;
        let naive = time(ctx.naive_plan(), |i| async move {
            queries::naive_search(store, term(i), pick(i))
                .await
                .map(|_| ())
        })
        .await?;
        out.push(ctx.metric(name, "ms", ours, naive));
    }
    Ok(out)
}

/// The member-list page: first pages of a commune, a province and the nation, and a deep
/// page of a province (keyset cursor against OFFSET).
async fn lists(ctx: &Context<'_>) -> anyhow::Result<Vec<Metric>> {
    let store = ctx.store;
    let mut out = Vec::new();
    for (name, kinds) in [
        ("list.commune.first", &["commune"][..]),
        ("list.province.first", &["provincial"][..]),
        ("list.nation.first", &["central"][..]),
    ] {
        let orgs = queries::sample_orgs(store, kinds, 10).await?;
        let pick = |i: usize| orgs[i % orgs.len()];
        let ours = time(ctx.ours_plan(), |i| async move {
            queries::list_page(store, pick(i), None).await.map(|_| ())
        })
        .await?;
        let naive = time(ctx.naive_plan(), |i| async move {
            queries::naive_list_page(store, pick(i), 0)
                .await
                .map(|_| ())
        })
        .await?;
        out.push(ctx.metric(name, "ms", ours, naive));
    }
    // The deep page: walk to page `deep_page` of the largest province once, keep the cursor.
    let province = queries::largest_province(store).await?;
    let mut cursor: Option<String> = None;
    let mut page = 0;
    while page < ctx.options.deep_page {
        let (_, next) = queries::list_page(store, province, cursor.as_deref()).await?;
        match next {
            Some(n) => {
                cursor = Some(n);
                page += 1;
            }
            None => break,
        }
    }
    let cursor = cursor.as_deref();
    let ours = time(ctx.ours_plan(), |_| async move {
        queries::list_page(store, province, cursor)
            .await
            .map(|_| ())
    })
    .await?;
    let naive = time(ctx.naive_plan(), |_| async move {
        queries::naive_list_page(store, province, page as i64)
            .await
            .map(|_| ())
    })
    .await?;
    out.push(ctx.metric("list.province.deep", "ms", ours, naive));
    Ok(out)
}

/// Import throughput: the bulk generator's members per second, against members created
/// one by one through the registry (`create_member`: validation, history, rollups, audit),
/// as an application would import a spreadsheet row by row.
async fn import(ctx: &Context<'_>, generation: &Summary) -> anyhow::Result<Metric> {
    let store = ctx.store;
    let cells = queries::sample_orgs(store, &["cell", "grassroots_cell"], 50).await?;
    let actor = Actor::new("system:bench");
    let admitted = Date::from_ymd_opt(2010, 5, 19).unwrap_or_default();
    let started = Instant::now();
    let n = ctx.options.naive_import.max(1);
    for i in 0..n {
        let identity = MemberIdentity {
            full_name: "Nguyễn Thị Thử".into(),
            birth_date: Date::from_ymd_opt(1985, 3, 8).unwrap_or_default(),
            gender: Gender::Female,
            ethnicity: "Kinh".into(),
            citizen_id: Some(format!("999{:09}", i)),
            party_card_no: None,
            admitted_on: Some(admitted),
            official_on: admitted.checked_add_days(chrono::Days::new(365)),
        };
        store
            .create_member(
                &actor,
                &Scope::all(),
                NewMember {
                    identity,
                    org_id: cells[i % cells.len()],
                    status: MemberStatus::Official,
                    status_since: admitted,
                    joined_on: admitted,
                },
            )
            .await
            .context("bench: naive import")?;
    }
    let naive_rate = n as f64 / started.elapsed().as_secs_f64().max(1e-9);
    // Rates are reported in the `median` slot with unit members/s (one run each).
    let rate = |r: f64| Sample {
        runs: 1,
        median: r,
        p95: r,
    };
    Ok(ctx.metric(
        "import.members",
        "members/s",
        rate(generation.members_per_sec),
        rate(naive_rate),
    ))
}
