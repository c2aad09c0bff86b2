//! `grassroots bench http`: a bounded load test of the real server on loopback.
//!
//! It generates a nation, prepares what the two scenarios need through the same storage
//! calls the application uses (meetings today in some cells, accounts of the members
//! expected there with the `member` role and a signed-in session each, a committee-office
//! account for the member list), starts `grassroots serve` as a child process, and drives
//! it with concurrent keep-alive HTTP/1.1 clients:
//!
//! 1. the member list (`GET /api/v1/members?org=…`, a province or the nation, 50 a page);
//! 2. self check-in (`POST /api/v1/meetings/{id}/check-in` with the session cookie and the
//!    CSRF header, the route a member's phone uses), each (member, meeting) once.
//!
//! It reports requests/s, p50 and p99 latency and errors per scenario, and the server's peak
//! resident memory (`VmHWM` of the child from `/proc`). Then it counts the attendance rows
//! and audit entries of self check-ins in the database and compares them with the check-ins
//! the server answered with success: a lost write fails the run.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use grassroots_domain::access::Role;
use grassroots_domain::meetings::MeetingKind;
use grassroots_storage::accounts::{AccountWriter, NewUser};
use grassroots_storage::meetings::{MeetingReader, MeetingWriter, NewMeeting};
use grassroots_storage::{Actor, Scope, Store};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use sqlx::Row;

use crate::commands::bench::Target;
use crate::synth;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Members of the generated nation.
    #[arg(long, default_value_t = 100_000)]
    pub members: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A PostgreSQL server URL (its maintenance database): the run gets a new database
    /// there, dropped afterwards. Without it, SQLite.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Where the SQLite data set goes.
    #[arg(long, default_value = "bench-results/data")]
    pub work_dir: PathBuf,
    /// Concurrent clients (each one keep-alive connection).
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Members who get an account and a session and check in.
    #[arg(long, default_value_t = 2_000)]
    pub members_checking_in: usize,
    /// Meetings held today in each of their cells (each member checks in at each).
    #[arg(long, default_value_t = 10)]
    pub meetings_per_cell: usize,
    /// Member-list requests.
    #[arg(long, default_value_t = 10_000)]
    pub list_requests: usize,
    /// Generate members only (no year of meetings and attendance).
    #[arg(long)]
    pub no_meetings: bool,
    /// The JSON results file.
    #[arg(long, default_value = "bench-results/http.json")]
    pub out: PathBuf,
    /// Keep the data set after the run.
    #[arg(long)]
    pub keep: bool,
}

/// Latency and throughput of one scenario.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Scenario {
    pub name: String,
    pub requests: usize,
    pub ok: usize,
    pub errors: usize,
    /// The first error response or failure seen, if any.
    pub first_error: Option<String>,
    pub seconds: f64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// CPU seconds (user + system) the server process used during the scenario.
    pub server_cpu_secs: f64,
    /// CPU seconds the load-generating clients (this process) used during the scenario:
    /// they share the machine's cores with the server.
    pub client_cpu_secs: f64,
    /// The 1-minute load average at the scenario's end (`/proc/loadavg`).
    pub load_average: f64,
}

/// Everything one run measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub backend: String,
    pub members: u64,
    pub clients: usize,
    pub generation_secs: f64,
    pub setup_secs: f64,
    pub list: Scenario,
    pub check_in: Scenario,
    /// Attendance rows written by self check-in, counted in the database afterwards.
    pub attendance_rows: i64,
    /// Audit entries of self check-ins, counted likewise.
    pub audit_rows: i64,
    /// The server's peak resident memory, in KiB (`VmHWM`).
    pub server_peak_kib: u64,
}

/// One member's check-in to do: the session, the meeting and its code.
#[derive(Debug, Clone)]
struct CheckIn {
    session: usize,
    meeting_id: i64,
    code: String,
}

/// A signed-in account: the cookie's token and the CSRF token.
#[derive(Debug, Clone)]
struct Session {
    token: String,
    csrf: String,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let (backend, target) = match &args.postgres {
        Some(url) => ("postgres", Target::postgres(url, args.members).await?),
        None => ("sqlite", Target::sqlite(&args.work_dir, args.members)?),
    };
    let result = run_on(&args, backend, &target.url).await;
    if !args.keep {
        target.remove().await?;
    }
    let report = result?;
    print_report(&report);
    if let Some(dir) = args.out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report)?)
        .with_context(|| format!("bench http: writing {}", args.out.display()))?;
    eprintln!("bench http: results in {}", args.out.display());
    if report.attendance_rows != report.check_in.ok as i64
        || report.audit_rows != report.check_in.ok as i64
    {
        bail!(
            "bench http: {} check-ins succeeded but {} attendance rows and {} audit entries were written",
            report.check_in.ok,
            report.attendance_rows,
            report.audit_rows
        );
    }
    Ok(())
}

/// Generates, prepares, serves and measures one data set at `url`.
pub async fn run_on(args: &Args, backend: &str, url: &str) -> anyhow::Result<Report> {
    let store = Store::open(url)
        .await
        .with_context(|| format!("bench http: opening {url}"))?;
    eprintln!(
        "bench http: {backend}, {} members: generating",
        args.members
    );
    let progress = crate::commands::generate::progress_bar(args.members);
    let generation = synth::generate(
        &store.db,
        args.members,
        args.seed,
        !args.no_meetings,
        chrono::Local::now().date_naive(),
        &progress,
    )
    .await?;
    let started = Instant::now();
    eprintln!("bench http: preparing meetings, accounts and sessions");
    let (admin, org_ids) = list_account(&store).await?;
    let (sessions, check_ins) = check_in_accounts(&store, args).await?;
    let setup_secs = started.elapsed().as_secs_f64();
    store.db.close().await;

    let server = Server::start(url).await?;
    let result = drive(args, &server, &admin, &org_ids, &sessions, &check_ins).await;
    let peak = server.peak_kib();
    server.stop();
    let (list, check_in) = result?;

    let store = Store::open(url).await?;
    let count = |sql: &'static str| {
        let store = &store;
        async move {
            let n: i64 = sqlx::query(sql)
                .fetch_one(store.db.read())
                .await?
                .try_get("n")?;
            anyhow::Ok(n)
        }
    };
    let attendance_rows =
        count("SELECT COUNT(*) AS n FROM meeting_attendance WHERE source = 'self'").await?;
    let audit_rows =
        count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'meeting.check_in'").await?;
    store.db.close().await;
    Ok(Report {
        backend: backend.to_owned(),
        members: args.members,
        clients: args.clients,
        generation_secs: generation.total_secs,
        setup_secs,
        list,
        check_in,
        attendance_rows,
        audit_rows,
        server_peak_kib: peak,
    })
}

/// A committee-office account on the whole tree (held at the root), for the member list;
/// the organizations listed are the nation and its provinces.
async fn list_account(store: &Store) -> anyhow::Result<(Session, Vec<i64>)> {
    let orgs: Vec<i64> = sqlx::query("SELECT id FROM orgs WHERE depth <= 2 ORDER BY id")
        .fetch_all(store.db.read())
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<Result<_, _>>()?;
    let root = *orgs.first().context("bench http: the nation has no root")?;
    let actor = Actor::new("system:bench");
    let user = store
        .create_user(&actor, new_user("bench-office".into(), None))
        .await?;
    store
        .assign_role(&actor, user.id, Role::CommitteeOffice, Some(root))
        .await?;
    Ok((sign_in(store, user.id).await?, orgs))
}

/// Meetings today in as many cells as it takes, and for every member expected there an
/// account with the `member` role on the cell and a session: the check-ins to make, shuffled
/// so that concurrent clients write to different cells.
async fn check_in_accounts(
    store: &Store,
    args: &Args,
) -> anyhow::Result<(Vec<Session>, Vec<CheckIn>)> {
    let actor = Actor::new("system:bench");
    let scope = Scope::all();
    let today = chrono::Local::now().date_naive();
    let cells: Vec<i64> = sqlx::query(
        "SELECT o.id FROM orgs o WHERE o.kind IN ('cell', 'grassroots_cell') \
         AND EXISTS (SELECT 1 FROM members m WHERE m.org_id = o.id) ORDER BY o.id",
    )
    .fetch_all(store.db.read())
    .await?
    .iter()
    .map(|r| r.try_get::<i64, _>("id"))
    .collect::<Result<_, _>>()?;
    let mut sessions = Vec::new();
    let mut check_ins = Vec::new();
    for cell in cells {
        if sessions.len() >= args.members_checking_in {
            break;
        }
        let mut meetings = Vec::new();
        for n in 0..args.meetings_per_cell.max(1) {
            let m = store
                .create_meeting(
                    &actor,
                    &scope,
                    NewMeeting {
                        org_id: cell,
                        kind: MeetingKind::Extraordinary,
                        date: today,
                        agenda: Some(format!("Họp bất thường số {}", n + 1)),
                        topic: None,
                    },
                )
                .await?;
            meetings.push((m.id, m.check_in_code));
        }
        let Some((first, _)) = meetings.first() else {
            continue;
        };
        // Members of the cell itself: a guest on temporary transfer holds the `member`
        // role on their own cell, whose scope does not reach the host's meeting.
        for p in store.participants(&scope, *first).await? {
            if sessions.len() >= args.members_checking_in {
                break;
            }
            if p.role != grassroots_domain::meetings::Role::Home {
                continue;
            }
            let user = store
                .create_user(
                    &actor,
                    new_user(format!("bench-member-{}", p.member_id), Some(p.member_id)),
                )
                .await?;
            store
                .assign_role(&actor, user.id, Role::Member, Some(cell))
                .await?;
            let session = sessions.len();
            sessions.push(sign_in(store, user.id).await?);
            for (meeting_id, code) in &meetings {
                check_ins.push(CheckIn {
                    session,
                    meeting_id: *meeting_id,
                    code: code.clone(),
                });
            }
        }
    }
    if check_ins.is_empty() {
        bail!("bench http: no cell has members expected at a meeting today");
    }
    // A fixed shuffle (Fisher–Yates with SplitMix64): the same order on every run.
    let mut state = 0x5EED_u64;
    for i in (1..check_ins.len()).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        check_ins.swap(i, (z % (i as u64 + 1)) as usize);
    }
    Ok((sessions, check_ins))
}

/// The bench accounts never sign in with a password (they get their session directly, as
/// the sign-in handler gives it after checking one), so one argon2 hash of a random
/// password serves them all.
fn new_user(username: String, member_id: Option<i64>) -> NewUser {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| {
        grassroots_web::auth::hash_password(&grassroots_web::auth::random_token())
            .unwrap_or_default()
    });
    NewUser {
        display_name: username.clone(),
        username,
        password_hash: hash.clone(),
        language: "vi".into(),
        member_id,
    }
}

/// A session as the sign-in handler creates it: a random token (its SHA-256 stored) and a
/// CSRF token, valid for the usual hours.
async fn sign_in(store: &Store, user_id: i64) -> anyhow::Result<Session> {
    use grassroots_web::auth;
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(auth::SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    store
        .create_session(&auth::token_hash(&token), user_id, &csrf, &expires)
        .await?;
    Ok(Session { token, csrf })
}

/// The server as a child process on a free loopback port.
#[derive(Debug)]
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Server {
    async fn start(url: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let exe = std::env::current_exe()?;
        let child = std::process::Command::new(exe)
            .args(["serve", "--listen", &addr])
            .env("GRASSROOTS_DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            // The load is measured alone: the reports the server warms at start (every
            // province's running year) would share the cores with it.
            .env("GRASSROOTS_REPORT_WARM_DEPTH", "0")
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("bench http: starting `grassroots serve`")?;
        let mut server = Server { child, addr };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if tokio::net::TcpStream::connect(&server.addr).await.is_ok() {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("bench http: the server exited ({status}) before listening");
            }
            if Instant::now() > deadline {
                server.stop();
                bail!("bench http: the server did not listen within 120 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `VmHWM` of the server process: its peak resident set, in KiB.
    fn peak_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        // This process started the child: it ends it by its id.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs both scenarios against the server.
async fn drive(
    args: &Args,
    server: &Server,
    admin: &Session,
    org_ids: &[i64],
    sessions: &[Session],
    check_ins: &[CheckIn],
) -> anyhow::Result<(Scenario, Scenario)> {
    let addr = server.addr.clone();
    let list_requests: Vec<Request> = (0..args.list_requests.max(1))
        .map(|i| Request {
            method: "GET",
            path: format!(
                "/api/v1/members?org={}&limit=50",
                org_ids[i % org_ids.len()]
            ),
            token: admin.token.clone(),
            csrf: None,
            body: None,
        })
        .collect();
    eprintln!(
        "bench http: member list, {} requests, {} clients",
        list_requests.len(),
        args.clients
    );
    let list = measured(
        server,
        load("member_list", &addr, args.clients, list_requests),
    )
    .await?;
    let check_in_requests: Vec<Request> = check_ins
        .iter()
        .map(|c| {
            let s = &sessions[c.session];
            Request {
                method: "POST",
                path: format!("/api/v1/meetings/{}/check-in", c.meeting_id),
                token: s.token.clone(),
                csrf: Some(s.csrf.clone()),
                body: Some(serde_json::json!({ "code": c.code }).to_string()),
            }
        })
        .collect();
    eprintln!(
        "bench http: check-in, {} requests ({} members), {} clients",
        check_in_requests.len(),
        sessions.len(),
        args.clients
    );
    let check_in = measured(
        server,
        load("check_in", &addr, args.clients, check_in_requests),
    )
    .await?;
    Ok((list, check_in))
}

/// Runs a scenario and adds the CPU time of the server and of the clients, and the load.
async fn measured(
    server: &Server,
    scenario: impl std::future::Future<Output = anyhow::Result<Scenario>>,
) -> anyhow::Result<Scenario> {
    let pid = server.child.id();
    let (server_before, client_before) = (cpu_secs(&pid.to_string()), cpu_secs("self"));
    let mut s = scenario.await?;
    s.server_cpu_secs = cpu_secs(&pid.to_string()) - server_before;
    s.client_cpu_secs = cpu_secs("self") - client_before;
    s.load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0);
    Ok(s)
}

/// User + system CPU seconds of a process (`self` or a pid), from `/proc/<pid>/stat`
/// (fields 14 and 15, in clock ticks of 1/100 s, the Linux value of `_SC_CLK_TCK`).
fn cpu_secs(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Field 14 (utime) is the 12th after the name, field 15 (stime) the 13th.
    (ticks(11) + ticks(12)) / 100.0
}

#[derive(Debug, Clone)]
struct Request {
    method: &'static str,
    path: String,
    token: String,
    csrf: Option<String>,
    body: Option<String>,
}

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    ok: usize,
    errors: usize,
    first_error: Option<String>,
}

/// Sends every request once, `clients` at a time, each client on its own connection.
async fn load(
    name: &str,
    addr: &str,
    clients: usize,
    requests: Vec<Request>,
) -> anyhow::Result<Scenario> {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let requests = Arc::clone(&requests);
        let next = Arc::clone(&next);
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut conn: Option<SendRequest<Full<Bytes>>> = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = requests.get(i) else { break };
                let t = Instant::now();
                let outcome = send(&addr, &mut conn, r).await;
                tally.latencies_ms.push(t.elapsed().as_secs_f64() * 1e3);
                match outcome {
                    Ok((status, _)) if status.is_success() => tally.ok += 1,
                    Ok((status, body)) => {
                        tally.errors += 1;
                        tally.first_error.get_or_insert_with(|| {
                            format!("{status}: {}", String::from_utf8_lossy(&body))
                        });
                    }
                    Err(e) => {
                        tally.errors += 1;
                        conn = None;
                        tally.first_error.get_or_insert_with(|| format!("{e:#}"));
                    }
                }
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await?;
        all.latencies_ms.extend(t.latencies_ms);
        all.ok += t.ok;
        all.errors += t.errors;
        if all.first_error.is_none() {
            all.first_error = t.first_error;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut l = all.latencies_ms;
    l.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        if l.is_empty() {
            0.0
        } else {
            l[((l.len() - 1) as f64 * q).round() as usize]
        }
    };
    Ok(Scenario {
        name: name.to_owned(),
        requests: l.len(),
        ok: all.ok,
        errors: all.errors,
        first_error: all.first_error,
        seconds,
        requests_per_sec: l.len() as f64 / seconds.max(1e-9),
        p50_ms: pick(0.5),
        p99_ms: pick(0.99),
        max_ms: l.last().copied().unwrap_or(0.0),
        server_cpu_secs: 0.0,
        client_cpu_secs: 0.0,
        load_average: 0.0,
    })
}

/// One request on the client's keep-alive connection (opened, or opened again, as needed).
async fn send(
    addr: &str,
    conn: &mut Option<SendRequest<Full<Bytes>>>,
    r: &Request,
) -> anyhow::Result<(hyper::StatusCode, Bytes)> {
    if conn.as_ref().is_none_or(|c| c.is_closed()) {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            // The connection's driver ends when the client drops its sender.
            let _ = connection.await;
        });
        *conn = Some(sender);
    }
    let Some(sender) = conn.as_mut() else {
        bail!("no connection");
    };
    sender.ready().await?;
    let mut builder = hyper::Request::builder()
        .method(r.method)
        .uri(&r.path)
        .header(hyper::header::HOST, addr)
        .header(
            hyper::header::COOKIE,
            format!("{}={}", grassroots_web::auth::SESSION_COOKIE, r.token),
        );
    if let Some(csrf) = &r.csrf {
        builder = builder.header("x-csrf-token", csrf);
    }
    let body = match &r.body {
        Some(b) => {
            builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(b.clone()))
        }
        None => Full::new(Bytes::new()),
    };
    let response = sender.send_request(builder.body(body)?).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, bytes))
}

fn print_report(r: &Report) {
    println!(
        "HTTP load, {} with {} members, {} clients (server peak memory {:.1} MiB)",
        r.backend,
        r.members,
        r.clients,
        r.server_peak_kib as f64 / 1024.0
    );
    println!("| scenario | requests | ok | errors | requests/s | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for s in [&r.list, &r.check_in] {
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} |",
            s.name, s.requests, s.ok, s.errors, s.requests_per_sec, s.p50_ms, s.p99_ms, s.max_ms
        );
        println!(
            "  {}: server CPU {:.1} s, client CPU {:.1} s over {:.1} s; load average {:.2}",
            s.name, s.server_cpu_secs, s.client_cpu_secs, s.seconds, s.load_average
        );
        if let Some(e) = &s.first_error {
            println!("  first error: {e}");
        }
    }
    println!(
        "check-ins answered with success: {}; attendance rows written by self check-in: {}; audit entries: {}",
        r.check_in.ok, r.attendance_rows, r.audit_rows
    );
}
