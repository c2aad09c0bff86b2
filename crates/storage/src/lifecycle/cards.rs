//! Party cards: issue, loss or damage, re-issue. Every card number ever issued stays on
//! record and is never given to anyone else; the member's current number is on the member.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use serde::{Deserialize, Serialize};

use super::{audit_lifecycle, member_path};
use crate::members::MemberReader;
use crate::orgs::today;
use crate::row::{date, int, opt_date, opt_text, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyCard {
    pub id: i64,
    pub member_id: i64,
    pub card_no: String,
    pub issued_on: Date,
    /// `valid`, `lost`, `damaged` or `revoked`.
    pub state: String,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
}

pub const CARD_END_STATES: [&str; 3] = ["lost", "damaged", "revoked"];

impl Store {
    /// Every card of a member, oldest first. A number entered on the member before card
    /// history was kept appears as a card with unknown issue date (the admission date).
    pub async fn card_history(&self, scope: &Scope, member_id: i64) -> StoreResult<Vec<PartyCard>> {
        member_path(self, scope, member_id).await?;
        let sql = self.db.sql(
            "SELECT id, member_id, card_no, issued_on, state, ended_on, end_reason FROM party_cards \
             WHERE member_id = ? ORDER BY issued_on, id",
        );
        sqlx::query(&sql)
            .bind(member_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(PartyCard {
                    id: int(r, "id")?,
                    member_id: int(r, "member_id")?,
                    card_no: text(r, "card_no")?,
                    issued_on: date(r, "issued_on")?,
                    state: text(r, "state")?,
                    ended_on: opt_date(r, "ended_on")?,
                    end_reason: opt_text(r, "end_reason")?,
                })
            })
            .collect()
    }

    /// Issues a card (first card or re-issue). Refused while the member holds a valid card.
    pub async fn issue_card(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        card_no: &str,
        issued_on: Date,
    ) -> StoreResult<PartyCard> {
        let rec = format!("member {member_id}");
        let card_no = card_no.trim();
        if card_no.is_empty()
            || card_no.len() > 20
            || !card_no.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(
                DomainError::invalid(&rec, "card_no", "must be 1-20 letters or digits").into(),
            );
        }
        let member = self.member(scope, member_id).await?;
        if !member.status.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "status",
                format!("the member is {}", member.status.as_str()),
            )
            .into());
        }
        if issued_on > today() || member.identity.admitted_on.is_some_and(|a| issued_on < a) {
            return Err(DomainError::invalid(
                &rec,
                "issued_on",
                "must be between admission and today",
            )
            .into());
        }
        let path = member_path(self, scope, member_id).await?;
        let mut tx = self.db.begin().await?;
        self.adopt_legacy_card(
            &mut tx,
            actor,
            &path,
            member_id,
            &member.identity.party_card_no,
            member.identity.admitted_on,
        )
        .await?;
        let sql = self
            .db
            .sql("SELECT card_no FROM party_cards WHERE member_id = ? AND state = 'valid'");
        if let Some(valid) = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?
        {
            return Err(DomainError::invalid(
                &rec,
                "card_no",
                format!(
                    "the member holds valid card {}; report it lost or damaged first",
                    text(&valid, "card_no")?
                ),
            )
            .into());
        }
        let sql = self
            .db
            .sql("SELECT member_id FROM party_cards WHERE card_no = ?");
        if sqlx::query(&sql)
            .bind(card_no)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(DomainError::invalid(
                &rec,
                "card_no",
                format!("card {card_no} was issued before; numbers are never reused"),
            )
            .into());
        }
        let sql = self.db.sql(
            "INSERT INTO party_cards (member_id, card_no, issued_on, state, recorded_at) VALUES (?, ?, ?, 'valid', ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(card_no)
            .bind(issued_on.to_string())
            .bind(crate::audit::now())
            .fetch_one(&mut *tx)
            .await?;
        let sql = self.db.sql("UPDATE members SET party_card_no = ?, version = version + 1, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(card_no)
            .bind(crate::audit::now())
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let card = PartyCard {
            id: int(&row, "id")?,
            member_id,
            card_no: card_no.to_owned(),
            issued_on,
            state: "valid".into(),
            ended_on: None,
            end_reason: None,
        };
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "card.issue",
            "member",
            member_id,
            &path,
            serde_json::json!(card),
        )
        .await?;
        tx.commit().await?;
        Ok(card)
    }

    /// Records the card number held on the member before card history existed, once.
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the record.
    async fn adopt_legacy_card(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        path: &str,
        member_id: i64,
        card_no: &Option<String>,
        admitted_on: Option<Date>,
    ) -> StoreResult<()> {
        let Some(card_no) = card_no else {
            return Ok(());
        };
        let sql = self.db.sql("SELECT id FROM party_cards WHERE card_no = ?");
        if sqlx::query(&sql)
            .bind(card_no)
            .fetch_optional(&mut **tx)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let issued_on = admitted_on.unwrap_or(Date::MIN);
        let sql = self.db.sql(
            "INSERT INTO party_cards (member_id, card_no, issued_on, state, recorded_at) VALUES (?, ?, ?, 'valid', ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(card_no)
            .bind(issued_on.to_string())
            .bind(crate::audit::now())
            .fetch_one(&mut **tx)
            .await?;
        audit_lifecycle(
            self,
            tx,
            actor,
            "card.adopt",
            "member",
            member_id,
            path,
            serde_json::json!({ "card_id": int(&row, "id")?, "card_no": card_no, "issued_on": issued_on, "note": "number held on the member before card history" }),
        )
        .await
    }

    /// Ends the member's valid card as lost, damaged or revoked on `on`.
    pub async fn end_card(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        state: &str,
        on: Date,
        reason: Option<&str>,
    ) -> StoreResult<PartyCard> {
        let rec = format!("member {member_id}");
        if !CARD_END_STATES.contains(&state) {
            return Err(DomainError::invalid(
                &rec,
                "state",
                format!("`{state}` is not one of {}", CARD_END_STATES.join(", ")),
            )
            .into());
        }
        let member = self.member(scope, member_id).await?;
        let path = member_path(self, scope, member_id).await?;
        let mut tx = self.db.begin().await?;
        self.adopt_legacy_card(
            &mut tx,
            actor,
            &path,
            member_id,
            &member.identity.party_card_no,
            member.identity.admitted_on,
        )
        .await?;
        let sql = self.db.sql(
            "SELECT id, card_no, issued_on FROM party_cards WHERE member_id = ? AND state = 'valid'",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(&rec, "card_no", "the member holds no valid card")
            })?;
        let issued_on = date(&row, "issued_on")?;
        if on < issued_on || on > today() {
            return Err(DomainError::invalid(
                &rec,
                "ended_on",
                format!("must be between {issued_on} and today"),
            )
            .into());
        }
        let id = int(&row, "id")?;
        let sql = self.db.sql("UPDATE party_cards SET state = ?, ended_on = ?, end_reason = ? WHERE id = ? AND state = 'valid'");
        sqlx::query(&sql)
            .bind(state)
            .bind(on.to_string())
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let sql = self.db.sql("UPDATE members SET party_card_no = NULL, version = version + 1, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(crate::audit::now())
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let card = PartyCard {
            id,
            member_id,
            card_no: text(&row, "card_no")?,
            issued_on,
            state: state.to_owned(),
            ended_on: Some(on),
            end_reason: reason.map(str::to_owned),
        };
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "card.end",
            "member",
            member_id,
            &path,
            serde_json::json!(card),
        )
        .await?;
        tx.commit().await?;
        Ok(card)
    }
}
