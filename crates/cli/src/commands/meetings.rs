//! `grassroots meetings`: a cell's yearly schedule, and the figures and alerts of the
//! meeting rules for any organization subtree and date range.

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::figures::FigureValue;
use grassroots_domain::meetings::{Alert, Period};
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::meetings::{MeetingFigures, MeetingFiguresReader, MeetingWriter};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Actor, Scope, Store};

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a cell's regular meetings for a year, on one day of each month.
    Schedule {
        /// The cell's code.
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: i32,
        /// Day of the month (clamped to the month's end); default: the rulebook's
        /// `local.regular_meeting_day` (the 3rd).
        #[arg(long)]
        day: Option<u32>,
    },
    /// Meetings held against due, thematic meetings per quarter, attendance, alerts.
    Figures {
        /// The code of the organization whose subtree is counted.
        #[arg(long)]
        org: String,
        /// First day, YYYY-MM-DD or dd/mm/yyyy.
        #[arg(long)]
        from: String,
        /// Last day (inclusive).
        #[arg(long)]
        to: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Every alert of the meeting rules raised in the subtree during the period.
    Alerts {
        #[arg(long)]
        org: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Fill a cell's year with a realistic, deterministic set of meetings (demo data).
    Simulate {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: i32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub async fn run(config: &Config, command: Command) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let mut out = std::io::stdout().lock();
    execute(&store, command, &mut out).await
}

fn period(from: &str, to: &str) -> anyhow::Result<Period> {
    let from = parse_date("period", "from", from)?;
    let to = parse_date("period", "to", to)?;
    Ok(Period::new(from, to)?)
}

/// Runs one command against `store`, writing its report to `out`.
pub async fn execute(store: &Store, command: Command, out: &mut impl Write) -> anyhow::Result<()> {
    let scope = Scope::all();
    let actor = Actor::new("cli:meetings");
    match command {
        Command::Schedule { org, year, day } => {
            let cell = store.org_by_code(&scope, &org).await?;
            let day = match day {
                Some(day) => day,
                None => {
                    let jan = Date::from_ymd_opt(year, 1, 1)
                        .with_context(|| format!("{year} is not a year"))?;
                    Rulebook::in_force(jan)?.local.regular_meeting_day
                }
            };
            let meetings = store
                .schedule_year(&actor, &scope, cell.id, year, day)
                .await?;
            writeln!(
                out,
                "{} regular meetings scheduled for {} ({}) in {year}:",
                meetings.len(),
                cell.code,
                cell.name
            )?;
            for m in meetings {
                writeln!(
                    out,
                    "  {}  meeting {}  check-in code {}",
                    m.date, m.id, m.check_in_code
                )?;
            }
        }
        Command::Figures {
            org,
            from,
            to,
            json,
        } => {
            let root = store.org_by_code(&scope, &org).await?;
            let f = store
                .meeting_figures(&scope, root.id, period(&from, &to)?)
                .await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &f)?;
                writeln!(out)?;
            } else {
                write_figures(&f, out)?;
            }
        }
        Command::Alerts {
            org,
            from,
            to,
            json,
        } => {
            let root = store.org_by_code(&scope, &org).await?;
            let alerts = store
                .meeting_alerts(&scope, root.id, period(&from, &to)?)
                .await?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &alerts)?;
                writeln!(out)?;
            } else {
                write_alerts(store, &alerts, out).await?;
            }
        }
        Command::Simulate { org, year, seed } => {
            let cell = store.org_by_code(&scope, &org).await?;
            let s = simulate_year(store, cell.id, year, seed).await?;
            writeln!(
                out,
                "{} {year}: {} regular held, {} cancelled, {} thematic, {} still scheduled; \
                 marks: {} present, {} excused, {} unexcused",
                cell.code,
                s.regular_held,
                s.regular_cancelled,
                s.thematic_held,
                s.scheduled_left,
                s.present,
                s.absent_excused,
                s.absent_unexcused
            )?;
        }
    }
    Ok(())
}

fn show(value: FigureValue) -> String {
    match value {
        FigureValue::Count(n) | FigureValue::Vnd(n) => n.to_string(),
        FigureValue::Ratio(r) => format!("{:.1}%", r * 100.0),
    }
}

fn write_figures(f: &MeetingFigures, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "Meetings of {} ({}) from {} to {} — rulebook {}",
        f.org_code, f.org_name, f.period.from, f.period.to, f.rulebook
    )?;
    let width = f.keys.iter().map(|k| k.key.len()).max().unwrap_or(0);
    for k in &f.keys {
        writeln!(
            out,
            "  {:width$}  {:>8}  {}",
            k.key,
            show(k.value),
            k.description
        )?;
    }
    writeln!(
        out,
        "\nThematic meetings by quarter (held / cells due / cells that held one):"
    )?;
    for q in &f.quarters {
        writeln!(
            out,
            "  {}  {:>5}  {:>5}  {:>5}",
            q.label, q.thematic_held, q.cells_due, q.cells_met
        )?;
    }
    writeln!(
        out,
        "\nBy cell: regular held/due, thematic held (quarters met/due), attendance, guests, alerts"
    )?;
    for c in &f.cells {
        let rate = c
            .attendance_rate()
            .map_or_else(|| "-".to_owned(), |r| format!("{r:.1}%"));
        writeln!(
            out,
            "  {:12} {:>3}/{:<3} {:>3} ({}/{})  {:>6}  {:>3}  {:>3}  {}",
            c.code,
            c.regular_held,
            c.regular_due,
            c.thematic_held,
            c.thematic_quarters_met,
            c.thematic_quarters_due,
            rate,
            c.guests_present,
            c.alerts,
            c.name
        )?;
    }
    Ok(())
}

async fn write_alerts(store: &Store, alerts: &[Alert], out: &mut impl Write) -> anyhow::Result<()> {
    let scope = Scope::all();
    let mut codes = std::collections::BTreeMap::new();
    for a in alerts {
        if let std::collections::btree_map::Entry::Vacant(e) = codes.entry(a.org_id) {
            let code = store
                .org(&scope, a.org_id)
                .await
                .map_or_else(|_| a.org_id.to_string(), |o| o.code);
            e.insert(code);
        }
    }
    writeln!(out, "{} alerts", alerts.len())?;
    for a in alerts {
        let who = a
            .member_id
            .map_or_else(String::new, |m| format!(" member {m}"));
        let mut evidence = Vec::new();
        if !a.evidence.meeting_ids.is_empty() {
            let ids: Vec<String> = a
                .evidence
                .meeting_ids
                .iter()
                .map(ToString::to_string)
                .collect();
            evidence.push(format!("meetings {}", ids.join(",")));
        }
        if !a.evidence.periods.is_empty() {
            evidence.push(a.evidence.periods.join(","));
        }
        writeln!(
            out,
            "  {}  {:26} {}{}: {} [{}]",
            a.on,
            a.rule.key(),
            codes.get(&a.org_id).map_or("?", String::as_str),
            who,
            a.message,
            evidence.join("; ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
    use grassroots_domain::org::OrgKind;
    use grassroots_storage::members::{MemberWriter, NewMember};
    use grassroots_storage::orgs::{NewOrg, OrgWriter};
    use grassroots_storage::testing::fresh_store;

    use super::*;

    async fn cell_with_members(store: &Store) {
        let actor = Actor::new("t");
        let mut parent = None;
        for (code, kind) in [
            ("T", OrgKind::Provincial),
            ("W", OrgKind::Commune),
            ("G", OrgKind::GrassrootsCommittee),
            ("CB1", OrgKind::Cell),
        ] {
            let org = store
                .create_org(
                    &actor,
                    &Scope::all(),
                    NewOrg {
                        code: code.into(),
                        name: format!("Chi bộ {code}"),
                        kind,
                        parent_id: parent,
                        founded_on: "2015-01-01".parse().unwrap(),
                        decision: None,
                    },
                )
                .await
                .unwrap();
            parent = Some(org.id);
        }
        for name in ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D"] {
            store
                .create_member(
                    &actor,
                    &Scope::all(),
                    NewMember {
                        identity: MemberIdentity {
                            full_name: name.into(),
                            birth_date: "1980-01-01".parse().unwrap(),
                            gender: Gender::Male,
                            ethnicity: "Kinh".into(),
                            citizen_id: None,
                            party_card_no: None,
                            admitted_on: Some("2010-01-01".parse().unwrap()),
                            official_on: Some("2011-01-01".parse().unwrap()),
                        },
                        org_id: parent.unwrap(),
                        status: MemberStatus::Official,
                        status_since: "2011-01-01".parse().unwrap(),
                        joined_on: "2011-01-01".parse().unwrap(),
                    },
                )
                .await
                .unwrap();
        }
    }

    async fn output(store: &Store, command: Command) -> String {
        let mut out = Vec::new();
        execute(store, command, &mut out).await.unwrap();
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn schedule_simulate_figures_and_alerts() {
        let store = fresh_store().await;
        cell_with_members(&store).await;
        let text = output(
            &store,
            Command::Schedule {
                org: "CB1".into(),
                year: 2024,
                day: None,
            },
        )
        .await;
        assert!(
            text.starts_with("12 regular meetings scheduled for CB1"),
            "{text}"
        );
        assert!(text.contains("2024-02-03"), "the rulebook's day: {text}");

        let text = output(
            &store,
            Command::Simulate {
                org: "CB1".into(),
                year: 2025,
                seed: 7,
            },
        )
        .await;
        assert!(text.contains("4 thematic"), "{text}");

        let text = output(
            &store,
            Command::Figures {
                org: "G".into(),
                from: "01/01/2025".into(),
                to: "2025-12-31".into(),
                json: false,
            },
        )
        .await;
        assert!(text.contains("meetings.regular.due"), "{text}");
        assert!(text.contains("2025-Q4"), "{text}");
        assert!(text.contains("CB1"), "{text}");

        let json = output(
            &store,
            Command::Figures {
                org: "G".into(),
                from: "2025-01-01".into(),
                to: "2025-12-31".into(),
                json: true,
            },
        )
        .await;
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let keys = value["keys"].as_array().unwrap();
        let due = keys
            .iter()
            .find(|k| k["key"] == "meetings.regular.due")
            .unwrap();
        assert_eq!(due["value"]["amount"], 12);
        assert_eq!(value["totals"]["thematic_held"], 4);

        let alerts = output(
            &store,
            Command::Alerts {
                org: "G".into(),
                from: "2025-01-01".into(),
                to: "2025-12-31".into(),
                json: true,
            },
        )
        .await;
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&alerts).unwrap();
        let text = output(
            &store,
            Command::Alerts {
                org: "G".into(),
                from: "2025-01-01".into(),
                to: "2025-12-31".into(),
                json: false,
            },
        )
        .await;
        assert!(
            text.starts_with(&format!("{} alerts", parsed.len())),
            "{text}"
        );

        // Bad input names the field.
        let mut out = Vec::new();
        let err = execute(
            &store,
            Command::Figures {
                org: "G".into(),
                from: "2025-12-31".into(),
                to: "2025-01-01".into(),
                json: false,
            },
            &mut out,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("`to`"), "{err}");
    }
}
