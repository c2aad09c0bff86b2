//! The membership lifecycle on the command line: `candidates`, `probation`, `transfers`,
//! `outcomes`, `cards`, `badges`, `dues` and `lifecycle` (figures and the demo pipeline).
//! Every command works on the whole tree (the command line is an administrator's tool) and
//! prints its result as JSON, so it can be piped into other tools.

use anyhow::Context;
use clap::{Args, Subcommand};
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::lifecycle::admission::AdmissionStep;
use grassroots_domain::lifecycle::dues::{ExemptionReason, Income, IncomeKind, Relief, YearMonth};
use grassroots_domain::member::Gender;
use grassroots_storage::lifecycle::candidates::{NewCandidate, StepInput};
use grassroots_storage::lifecycle::dues_sheet::dues_sheet_xlsx;
use grassroots_storage::lifecycle::outcomes::OutcomeKind;
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Actor, Scope, Store};
use serde::Serialize;

use crate::config::Config;

fn date(raw: &str) -> Result<Date, String> {
    parse_date("argument", "date", raw).map_err(|e| e.to_string())
}

fn month(raw: &str) -> Result<YearMonth, String> {
    YearMonth::parse("argument", "month", raw).map_err(|e| e.to_string())
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

fn actor() -> Actor {
    Actor::new(format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    ))
}

fn print(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

async fn org_id(store: &Store, code: &str) -> anyhow::Result<i64> {
    Ok(store
        .org_by_code(&Scope::all(), code)
        .await
        .with_context(|| format!("organization {code}"))?
        .id)
}

#[derive(Debug, Subcommand)]
pub enum Candidates {
    /// The admission pipeline of an organization's subtree, with deadlines and overdue steps.
    List {
        #[arg(long)]
        org: String,
        /// Deadlines as of this day (default today).
        #[arg(long, value_parser = date)]
        on: Option<Date>,
    },
    /// One candidate with every recorded step.
    Show { id: i64 },
    /// Registers an outstanding candidate in a cell.
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = date)]
        born: Date,
        /// male/female (nam/nữ).
        #[arg(long)]
        gender: String,
        #[arg(long, default_value = "Kinh")]
        ethnicity: String,
        #[arg(long)]
        citizen_id: Option<String>,
        #[arg(long, value_parser = date)]
        registered_on: Option<Date>,
    },
    /// Records an admission step; refused with the reason when its condition fails.
    Step(StepArgs),
    /// Ends a candidacy (the record stays).
    Withdraw {
        id: i64,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct StepArgs {
    id: i64,
    /// awareness_class, introduction, recommendation, cell_vote, committee_vote, decision, ceremony.
    #[arg(long)]
    step: String,
    #[arg(long, value_parser = date)]
    on: Date,
    /// The document number (certificate, recommendation, resolution, decision).
    #[arg(long)]
    document: Option<String>,
    /// Introduction: the introducing member's id.
    #[arg(long)]
    introducer: Option<i64>,
    /// Introduction: since when the introducer has worked with the candidate.
    #[arg(long, value_parser = date)]
    acquainted_since: Option<Date>,
    /// Recommendation: youth_union or trade_union.
    #[arg(long)]
    by: Option<String>,
    /// Votes: how many could vote.
    #[arg(long)]
    eligible: Option<u32>,
    /// Votes: how many voted for.
    #[arg(long)]
    votes_for: Option<u32>,
}

impl StepArgs {
    fn input(&self) -> anyhow::Result<StepInput> {
        let step = AdmissionStep::parse(&self.step)
            .with_context(|| format!("unknown step `{}`", self.step))?;
        let doc = || {
            self.document
                .clone()
                .context("--document is required for this step")
        };
        let votes = || -> anyhow::Result<(u32, u32)> {
            Ok((
                self.eligible.context("--eligible is required for a vote")?,
                self.votes_for
                    .context("--votes-for is required for a vote")?,
            ))
        };
        Ok(match step {
            AdmissionStep::AwarenessClass => StepInput::AwarenessClass {
                certificate_no: doc()?,
            },
            AdmissionStep::Introduction => StepInput::Introduction {
                introducer_id: self.introducer.context("--introducer is required")?,
                acquainted_since: self
                    .acquainted_since
                    .context("--acquainted-since is required")?,
            },
            AdmissionStep::Recommendation => StepInput::Recommendation {
                by: self
                    .by
                    .clone()
                    .context("--by is required (youth_union or trade_union)")?,
                document: doc()?,
            },
            AdmissionStep::CellVote => {
                let (eligible, votes_for) = votes()?;
                StepInput::CellVote {
                    eligible,
                    votes_for,
                    document: doc()?,
                }
            }
            AdmissionStep::CommitteeVote => {
                let (eligible, votes_for) = votes()?;
                StepInput::CommitteeVote {
                    eligible,
                    votes_for,
                    document: doc()?,
                }
            }
            AdmissionStep::Decision => StepInput::Decision { document: doc()? },
            AdmissionStep::Ceremony => StepInput::Ceremony,
        })
    }
}

pub async fn candidates(config: &Config, cmd: Candidates) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Candidates::List { org, on } => {
            let id = org_id(&store, &org).await?;
            print(
                &store
                    .candidate_pipeline(&all, id, on.unwrap_or_else(today))
                    .await?,
            )
        }
        Candidates::Show { id } => print(&store.candidate(&all, id).await?),
        Candidates::Add {
            org,
            name,
            born,
            gender,
            ethnicity,
            citizen_id,
            registered_on,
        } => {
            let new = NewCandidate {
                org_id: org_id(&store, &org).await?,
                full_name: name,
                birth_date: born,
                gender: Gender::parse(&gender)
                    .with_context(|| format!("unknown gender `{gender}`"))?,
                ethnicity,
                citizen_id,
                registered_on: registered_on.unwrap_or_else(today),
            };
            print(&store.register_candidate(&actor(), &all, new).await?)
        }
        Candidates::Step(args) => {
            let input = args.input()?;
            print(
                &store
                    .record_step(&actor(), &all, args.id, args.on, input)
                    .await?,
            )
        }
        Candidates::Withdraw { id, on, reason } => print(
            &store
                .withdraw_candidate(&actor(), &all, id, on, &reason)
                .await?,
        ),
    }
}

#[derive(Debug, Subcommand)]
pub enum Probation {
    /// Probationary members of a subtree with the end of probation and the review deadline.
    List {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = date)]
        on: Option<Date>,
    },
    /// Records the new-member course.
    Course {
        member: i64,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        certificate: String,
    },
    /// Recognizes a member as official after the cell's review (dated back to the end of probation).
    Recognize {
        member: i64,
        #[arg(long, value_parser = date)]
        reviewed_on: Date,
        #[arg(long)]
        document: String,
    },
}

pub async fn probation(config: &Config, cmd: Probation) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Probation::List { org, on } => {
            let id = org_id(&store, &org).await?;
            print(
                &store
                    .probation_list(&all, id, on.unwrap_or_else(today))
                    .await?,
            )
        }
        Probation::Course {
            member,
            on,
            certificate,
        } => {
            store
                .record_new_member_course(&actor(), &all, member, on, &certificate)
                .await?;
            eprintln!("recorded the new-member course of member {member}");
            Ok(())
        }
        Probation::Recognize {
            member,
            reviewed_on,
            document,
        } => print(
            &store
                .recognize_official(&actor(), &all, member, reviewed_on, &document)
                .await?,
        ),
    }
}

#[derive(Debug, Subcommand)]
pub enum Transfers {
    /// The sending organization issues an introduction letter.
    Issue {
        member: i64,
        /// The receiving cell's code.
        #[arg(long)]
        to: String,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        document: String,
    },
    /// The receiving organization accepts a letter: the member moves that day.
    Accept {
        letter: i64,
        #[arg(long, value_parser = date)]
        on: Date,
    },
    /// The sending organization cancels an open letter.
    Cancel {
        letter: i64,
        #[arg(long)]
        reason: String,
    },
    /// Letters leaving or entering a subtree.
    List {
        #[arg(long)]
        org: String,
    },
}

pub async fn transfers(config: &Config, cmd: Transfers) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Transfers::Issue {
            member,
            to,
            on,
            document,
        } => {
            let to = org_id(&store, &to).await?;
            print(
                &store
                    .issue_transfer_letter(&actor(), &all, member, to, on, &document)
                    .await?,
            )
        }
        Transfers::Accept { letter, on } => print(
            &store
                .accept_transfer_letter(&actor(), &all, letter, on)
                .await?,
        ),
        Transfers::Cancel { letter, reason } => print(
            &store
                .cancel_transfer_letter(&actor(), &all, letter, &reason)
                .await?,
        ),
        Transfers::List { org } => {
            let id = org_id(&store, &org).await?;
            print(&store.transfer_letters(&all, id).await?)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Outcomes {
    /// Removal (with --reason one of the Charter's cases), expulsion or death.
    Record {
        member: i64,
        /// removed, expelled or deceased.
        #[arg(long)]
        kind: String,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        document: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Re-admits a removed member into a cell.
    Readmit {
        member: i64,
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        document: String,
    },
    /// Every outcome of a member and their party age today.
    Show { member: i64 },
}

pub async fn outcomes(config: &Config, cmd: Outcomes) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Outcomes::Record {
            member,
            kind,
            on,
            document,
            reason,
        } => {
            let kind =
                OutcomeKind::parse(&kind).with_context(|| format!("unknown outcome `{kind}`"))?;
            print(
                &store
                    .record_outcome(
                        &actor(),
                        &all,
                        member,
                        kind,
                        on,
                        &document,
                        reason.as_deref(),
                    )
                    .await?,
            )
        }
        Outcomes::Readmit {
            member,
            org,
            on,
            document,
        } => {
            let cell = org_id(&store, &org).await?;
            print(
                &store
                    .readmit_member(&actor(), &all, member, cell, on, &document)
                    .await?,
            )
        }
        Outcomes::Show { member } => {
            let outcomes = store.member_outcomes(&all, member).await?;
            let party_years = store.party_years(&all, member, today()).await?;
            print(&serde_json::json!({ "outcomes": outcomes, "party_years": party_years }))
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Cards {
    /// Issues a card (first card or re-issue after a loss).
    Issue {
        member: i64,
        #[arg(long)]
        card_no: String,
        #[arg(long, value_parser = date)]
        on: Date,
    },
    /// Ends the valid card: lost, damaged or revoked.
    End {
        member: i64,
        #[arg(long, default_value = "lost")]
        state: String,
        #[arg(long, value_parser = date)]
        on: Date,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Every card of a member.
    History { member: i64 },
}

pub async fn cards(config: &Config, cmd: Cards) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Cards::Issue {
            member,
            card_no,
            on,
        } => print(
            &store
                .issue_card(&actor(), &all, member, &card_no, on)
                .await?,
        ),
        Cards::End {
            member,
            state,
            on,
            reason,
        } => print(
            &store
                .end_card(&actor(), &all, member, &state, on, reason.as_deref())
                .await?,
        ),
        Cards::History { member } => print(&store.card_history(&all, member).await?),
    }
}

#[derive(Debug, Subcommand)]
pub enum Badges {
    /// Members reaching a badge level by an award day (3/2, 19/5, 2/9, 7/11).
    Due {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = date)]
        award_day: Date,
    },
}

pub async fn badges(config: &Config, cmd: Badges) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    match cmd {
        Badges::Due { org, award_day } => {
            let id = org_id(&store, &org).await?;
            print(&store.badges_due(&Scope::all(), id, award_day).await?)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Dues {
    /// Declares a member's income from a month on.
    Income {
        member: i64,
        #[arg(long, value_parser = month)]
        from: YearMonth,
        /// salaried, pensioner or student.
        #[arg(long)]
        kind: String,
        /// Salary base or pension in VND (not for students).
        #[arg(long, default_value_t = 0)]
        base: u64,
    },
    /// Grants a reduction (--percent 30/50/70) or an exemption (--exemption poor_household|serious_illness).
    Relief {
        member: i64,
        #[arg(long, value_parser = month)]
        from: YearMonth,
        #[arg(long, value_parser = month)]
        to: YearMonth,
        #[arg(long)]
        percent: Option<u32>,
        #[arg(long)]
        exemption: Option<String>,
        #[arg(long)]
        document: String,
    },
    /// Records a payment for a month.
    Pay {
        member: i64,
        #[arg(long, value_parser = month)]
        month: YearMonth,
        #[arg(long)]
        amount: u64,
        #[arg(long, value_parser = date)]
        paid_on: Option<Date>,
    },
    /// A member's dues month by month.
    Show {
        member: i64,
        #[arg(long, value_parser = month)]
        from: YearMonth,
        #[arg(long, value_parser = month)]
        to: YearMonth,
    },
    /// Members of a subtree with unpaid dues this year up to a month, with the removal alert.
    Arrears {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = month)]
        through: YearMonth,
    },
    /// A cell's monthly dues sheet as an Excel file.
    Sheet {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = month)]
        month: YearMonth,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

pub async fn dues(config: &Config, cmd: Dues) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let all = Scope::all();
    match cmd {
        Dues::Income {
            member,
            from,
            kind,
            base,
        } => {
            let kind = IncomeKind::parse(&kind)
                .with_context(|| format!("unknown income kind `{kind}`"))?;
            store
                .declare_income(
                    &actor(),
                    &all,
                    member,
                    from,
                    Income {
                        kind,
                        base_vnd: base,
                    },
                )
                .await?;
            eprintln!(
                "declared {} income of member {member} from {from}",
                kind.as_str()
            );
            Ok(())
        }
        Dues::Relief {
            member,
            from,
            to,
            percent,
            exemption,
            document,
        } => {
            let exemption = exemption
                .map(|e| {
                    ExemptionReason::parse(&e).with_context(|| format!("unknown exemption `{e}`"))
                })
                .transpose()?;
            let percent = match (exemption, percent) {
                (Some(_), _) => 100,
                (None, Some(p)) => p,
                (None, None) => {
                    anyhow::bail!("give --percent for a reduction or --exemption for an exemption")
                }
            };
            store
                .grant_dues_relief(
                    &actor(),
                    &all,
                    member,
                    Relief {
                        from,
                        to,
                        exemption,
                        percent,
                    },
                    &document,
                )
                .await?;
            eprintln!("granted the relief to member {member}");
            Ok(())
        }
        Dues::Pay {
            member,
            month,
            amount,
            paid_on,
        } => {
            store
                .record_dues_payment(
                    &actor(),
                    &all,
                    member,
                    month,
                    amount,
                    paid_on.unwrap_or_else(today),
                )
                .await?;
            eprintln!("recorded {amount} VND for {month} from member {member}");
            Ok(())
        }
        Dues::Show { member, from, to } => print(&store.member_dues(&all, member, from, to).await?),
        Dues::Arrears { org, through } => {
            let id = org_id(&store, &org).await?;
            print(&store.dues_arrears(&all, id, through).await?)
        }
        Dues::Sheet { org, month, out } => {
            let id = org_id(&store, &org).await?;
            let sheet = store.dues_sheet(&all, id, month).await?;
            let bytes = dues_sheet_xlsx(&sheet)?;
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "wrote {} ({} members, due {} VND, paid {} VND)",
                out.display(),
                sheet.rows.len(),
                sheet.total_due_vnd,
                sheet.total_paid_vnd
            );
            Ok(())
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Lifecycle {
    /// Lifecycle figures of a subtree for a period (dotted keys, for reports).
    Figures {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = date)]
        from: Date,
        #[arg(long, value_parser = date)]
        to: Date,
    },
    /// Builds the deterministic demo pipeline and probation list in a cell.
    Demo {
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = date)]
        as_of: Option<Date>,
    },
}

pub async fn lifecycle(config: &Config, cmd: Lifecycle) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    match cmd {
        Lifecycle::Figures { org, from, to } => {
            let id = org_id(&store, &org).await?;
            print(&store.lifecycle_figures(&Scope::all(), id, from, to).await?)
        }
        Lifecycle::Demo { org, as_of } => {
            let id = org_id(&store, &org).await?;
            print(
                &store
                    .demo_lifecycle(&actor(), id, as_of.unwrap_or_else(today))
                    .await?,
            )
        }
    }
}
