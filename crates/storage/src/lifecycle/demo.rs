//! A deterministic demo of the lifecycle in one cell: candidates at every step of the
//! admission pipeline (one past its decision deadline) and a probation list, all dated
//! relative to `as_of`, for the demo data set and for screenshots.

use chrono::{Duration, Months};
use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use serde::{Deserialize, Serialize};

use super::candidates::{NewCandidate, StepInput};
use crate::members::{MemberWriter, NewMember};
use crate::orgs::{OrgReader, today};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPipeline {
    pub introducers: Vec<i64>,
    pub candidates: Vec<i64>,
    /// The candidate past the decision deadline.
    pub overdue_candidate: i64,
    /// Probationary members created through the pipeline.
    pub probationary: Vec<i64>,
}

fn back(day: Date, days: i64) -> Date {
    day - Duration::days(days)
}

impl Store {
    /// Builds the demo pipeline in `cell_id` as of `as_of` (not after today). Creates three
    /// official members to introduce the candidates and vote, then seven candidates.
    pub async fn demo_lifecycle(
        &self,
        actor: &Actor,
        cell_id: i64,
        as_of: Date,
    ) -> StoreResult<DemoPipeline> {
        if as_of > today() {
            return Err(DomainError::invalid("demo", "as_of", "must not be after today").into());
        }
        let scope = Scope::all();
        let cell = self.org(&scope, cell_id).await?;
        let mut introducers = Vec::new();
        for (i, name) in ["Trần Văn Bình", "Lê Thị Cúc", "Phạm Quốc Dũng"]
            .into_iter()
            .enumerate()
        {
            let member = self
                .create_member(
                    actor,
                    &scope,
                    NewMember {
                        identity: MemberIdentity {
                            full_name: name.into(),
                            birth_date: Date::from_ymd_opt(1970 + i as i32, 3, 10)
                                .unwrap_or(Date::MIN),
                            gender: if i == 1 { Gender::Female } else { Gender::Male },
                            ethnicity: "Kinh".into(),
                            citizen_id: None,
                            party_card_no: None,
                            admitted_on: Some(Date::from_ymd_opt(1998, 5, 19).unwrap_or(Date::MIN)),
                            official_on: Some(Date::from_ymd_opt(1999, 5, 19).unwrap_or(Date::MIN)),
                        },
                        org_id: cell.id,
                        status: MemberStatus::Official,
                        status_since: Date::from_ymd_opt(1999, 5, 19).unwrap_or(Date::MIN),
                        joined_on: Date::from_ymd_opt(2015, 1, 5).unwrap_or(Date::MIN),
                    },
                )
                .await?;
            introducers.push(member.id);
        }
        let voters = self.official_members_on(cell.id, as_of).await?.max(3) as u32;
        // (name, birth year, steps done, days before `as_of` of the cell vote).
        let plan: [(&str, i32, usize, i64); 7] = [
            ("Nguyễn Thị Hoa", 2001, 1, 0),
            ("Võ Minh Khang", 1999, 2, 0),
            ("Đặng Thu Lan", 2000, 3, 0),
            ("Hoàng Văn Minh", 1996, 5, 20),
            ("Bùi Thị Ngọc", 1998, 5, 120),
            ("Đỗ Quang Phúc", 1995, 6, 40),
            ("Huỳnh Thị Quyên", 1997, 7, 430),
        ];
        let mut candidates = Vec::new();
        let mut probationary = Vec::new();
        let mut overdue_candidate = 0;
        for (name, year, steps, vote_back) in plan {
            // Every date counts back from the cell vote (or from `as_of` for early steps).
            let vote = back(as_of, vote_back.max(1));
            let awareness = back(vote, 60);
            let intro = back(vote, 40);
            let recommendation = back(vote, 30);
            let cand = self
                .register_candidate(
                    actor,
                    &scope,
                    NewCandidate {
                        org_id: cell.id,
                        full_name: name.into(),
                        birth_date: Date::from_ymd_opt(year, 7, 15).unwrap_or(Date::MIN),
                        gender: if name.contains("Thị") {
                            Gender::Female
                        } else {
                            Gender::Male
                        },
                        ethnicity: "Kinh".into(),
                        citizen_id: None,
                        registered_on: back(awareness, 10),
                    },
                )
                .await?;
            let id = cand.id;
            candidates.push(id);
            let since = awareness
                .checked_sub_months(Months::new(24))
                .unwrap_or(Date::MIN);
            let mut inputs: Vec<(Date, StepInput)> = vec![
                (
                    awareness,
                    StepInput::AwarenessClass {
                        certificate_no: format!("NT-{id:04}"),
                    },
                ),
                (
                    intro,
                    StepInput::Introduction {
                        introducer_id: introducers[0],
                        acquainted_since: since,
                    },
                ),
                (
                    intro,
                    StepInput::Introduction {
                        introducer_id: introducers[1],
                        acquainted_since: since,
                    },
                ),
                (
                    recommendation,
                    StepInput::Recommendation {
                        by: "youth_union".into(),
                        document: format!("{id}-GT/ĐTN"),
                    },
                ),
                (
                    vote,
                    StepInput::CellVote {
                        eligible: voters,
                        votes_for: voters,
                        document: format!("{id}-NQ/CB"),
                    },
                ),
                (
                    back(vote, -5),
                    StepInput::CommitteeVote {
                        eligible: 5,
                        votes_for: 5,
                        document: format!("{id}-NQ/ĐU"),
                    },
                ),
                (
                    back(vote, -20),
                    StepInput::Decision {
                        document: format!("{id}-QĐ/ĐU"),
                    },
                ),
                (back(vote, -30), StepInput::Ceremony),
            ];
            // `steps` counts the stages: awareness, introductions (both), recommendation,
            // cell vote, committee vote, decision, ceremony.
            let take = match steps {
                0 => 0,
                1 => 1,
                n => n + 1,
            };
            inputs.truncate(take);
            for (on, input) in inputs {
                self.record_step(actor, &scope, id, on, input).await?;
            }
            let cand = self.candidate(&scope, id).await?;
            if cand.due.is_some_and(|d| as_of > d.due_on) {
                overdue_candidate = id;
            }
            if let Some(member_id) = cand.member_id {
                probationary.push(member_id);
                if cand.progress.ceremony_on.is_some() {
                    self.record_new_member_course(
                        actor,
                        &scope,
                        member_id,
                        back(as_of, 200),
                        &format!("BD-{member_id}"),
                    )
                    .await?;
                }
            }
        }
        Ok(DemoPipeline {
            introducers,
            candidates,
            overdue_candidate,
            probationary,
        })
    }
}
