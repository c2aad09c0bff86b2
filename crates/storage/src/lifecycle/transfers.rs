//! Official transfers by introduction letter: the sending organization issues the letter,
//! valid `transfer.letter_valid_working_days` working days; the receiving organization
//! accepts it, and only then the member moves (through the member registry's transfer), so
//! the member is in exactly one cell at every moment.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::lifecycle::transfer;
use grassroots_domain::member::MembershipKind;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::{audit_lifecycle, calendar, rules};
use crate::members::{MemberReader, MemberWriter, Transfer};
use crate::orgs::{OrgReader, today};
use crate::row::{date, int, opt_date, opt_text, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferLetter {
    pub id: i64,
    pub member_id: i64,
    pub from_org_id: i64,
    pub to_org_id: i64,
    pub document: String,
    pub issued_on: Date,
    pub valid_until: Date,
    /// `issued`, `accepted` or `cancelled`.
    pub state: String,
    pub accepted_on: Option<Date>,
    pub cancelled_reason: Option<String>,
}

const LETTER_COLUMNS: &str = "id, member_id, from_org_id, from_path, to_org_id, to_path, document, issued_on, \
     valid_until, state, accepted_on, cancelled_reason";

fn letter_from_row(r: &AnyRow) -> StoreResult<TransferLetter> {
    Ok(TransferLetter {
        id: int(r, "id")?,
        member_id: int(r, "member_id")?,
        from_org_id: int(r, "from_org_id")?,
        to_org_id: int(r, "to_org_id")?,
        document: text(r, "document")?,
        issued_on: date(r, "issued_on")?,
        valid_until: date(r, "valid_until")?,
        state: text(r, "state")?,
        accepted_on: opt_date(r, "accepted_on")?,
        cancelled_reason: opt_text(r, "cancelled_reason")?,
    })
}

impl Store {
    /// The sending organization (in the caller's scope) issues an introduction letter for a
    /// member of one of its cells to the receiving cell.
    pub async fn issue_transfer_letter(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        to_org_id: i64,
        issued_on: Date,
        document: &str,
    ) -> StoreResult<TransferLetter> {
        let rec = format!("transfer letter for member {member_id}");
        let member = self.member(scope, member_id).await?;
        if !member.status.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "member_id",
                format!("the member is {}", member.status.as_str()),
            )
            .into());
        }
        let from_id = member
            .org_id
            .ok_or_else(|| DomainError::invalid(&rec, "member_id", "the member has no cell"))?;
        let from = self.org(scope, from_id).await?;
        // The receiving cell may be anywhere in the tree.
        let to = self.org(&Scope::all(), to_org_id).await?;
        if !to.kind.holds_members() || !to.is_active() {
            return Err(DomainError::invalid(
                &rec,
                "to_org",
                format!("{} is not an active cell", to.code),
            )
            .into());
        }
        if to.id == from.id {
            return Err(
                DomainError::invalid(&rec, "to_org", "the member is already in that cell").into(),
            );
        }
        if document.trim().is_empty() {
            return Err(
                DomainError::invalid(&rec, "document", "the letter's number is required").into(),
            );
        }
        if issued_on > today() {
            return Err(DomainError::invalid(&rec, "issued_on", "is in the future").into());
        }
        let book = rules(issued_on)?;
        let cal = calendar()?;
        let valid_until = transfer::checked_letter_valid_until(
            &rec,
            "issued_on",
            &book.transfer,
            &cal,
            issued_on,
        )?;
        let mut tx = self.db.begin().await?;
        // One open letter at a time: a second would let the member be claimed twice.
        let sql = self.db.sql(
            "SELECT id, valid_until FROM transfer_letters WHERE member_id = ? AND state = 'issued' AND valid_until >= ?",
        );
        if let Some(open) = sqlx::query(&sql)
            .bind(member_id)
            .bind(issued_on.to_string())
            .fetch_optional(&mut *tx)
            .await?
        {
            return Err(DomainError::Conflict(format!(
                "member {member_id} already has letter {} valid until {}; cancel it first",
                int(&open, "id")?,
                text(&open, "valid_until")?
            ))
            .into());
        }
        let sql = self.db.sql(
            "INSERT INTO transfer_letters (member_id, from_org_id, from_path, to_org_id, to_path, document, issued_on, \
             valid_until, state, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .bind(from.id)
            .bind(&from.path)
            .bind(to.id)
            .bind(&to.path)
            .bind(document.trim())
            .bind(issued_on.to_string())
            .bind(valid_until.to_string())
            .bind(crate::audit::now())
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let letter = TransferLetter {
            id,
            member_id,
            from_org_id: from.id,
            to_org_id: to.id,
            document: document.trim().to_owned(),
            issued_on,
            valid_until,
            state: "issued".into(),
            accepted_on: None,
            cancelled_reason: None,
        };
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "transfer_letter.issue",
            "transfer_letter",
            id,
            &from.path,
            serde_json::json!(letter),
        )
        .await?;
        tx.commit().await?;
        Ok(letter)
    }

    async fn letter_row(&self, id: i64) -> StoreResult<AnyRow> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {LETTER_COLUMNS} FROM transfer_letters WHERE id = ?"
            ))
            .into_owned();
        Ok(sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("transfer letter", id))?)
    }

    /// A letter, visible to the sending and to the receiving side.
    pub async fn transfer_letter(&self, scope: &Scope, id: i64) -> StoreResult<TransferLetter> {
        let row = self.letter_row(id).await?;
        if !scope.covers(&text(&row, "from_path")?) && !scope.covers(&text(&row, "to_path")?) {
            return Err(DomainError::not_found("transfer letter", id).into());
        }
        letter_from_row(&row)
    }

    /// The receiving organization (in the caller's scope) accepts the letter on
    /// `accepted_on`: the member moves to the receiving cell that day.
    pub async fn accept_transfer_letter(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        accepted_on: Date,
    ) -> StoreResult<TransferLetter> {
        let rec = format!("transfer letter {id}");
        let row = self.letter_row(id).await?;
        let to_path = text(&row, "to_path")?;
        scope.check(&to_path, "transfer letter", id)?;
        let letter = letter_from_row(&row)?;
        match letter.state.as_str() {
            "issued" => {}
            "accepted" => {
                return Err(DomainError::Conflict(format!(
                    "{rec} was already accepted on {}",
                    letter
                        .accepted_on
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ))
                .into());
            }
            other => return Err(DomainError::Conflict(format!("{rec} is {other}")).into()),
        }
        let book = rules(letter.issued_on)?;
        let cal = calendar()?;
        transfer::check_letter_acceptance(
            &rec,
            &book.transfer,
            &cal,
            letter.issued_on,
            accepted_on,
            today(),
        )?;
        // The move and the letter's acceptance go in one transaction: the member is never
        // in the receiving cell under a letter still open, nor the letter accepted unmoved.
        let mut tx = self.db.begin().await?;
        let (member, _) = self
            .member_in_tx(&mut tx, &Scope::all(), letter.member_id)
            .await?;
        // A member already in the receiving cell (a move made before acceptance was one
        // transaction with it, in data written by earlier versions) is not moved again.
        let already_moved = member.org_id == Some(letter.to_org_id);
        if !already_moved && member.org_id != Some(letter.from_org_id) {
            return Err(DomainError::Conflict(format!(
                "{rec}: member {} is no longer in the issuing cell",
                letter.member_id
            ))
            .into());
        }
        if !already_moved {
            // The registry's transfer closes the old membership and opens the new one on
            // the same day: never two cells, never none.
            self.transfer_member_in_tx(
                &mut tx,
                actor,
                &Scope::all(),
                letter.member_id,
                Transfer {
                    to_org: letter.to_org_id,
                    kind: MembershipKind::Official,
                    on: accepted_on,
                    until: None,
                },
            )
            .await?;
        }
        let sql = self.db.sql(
            "UPDATE transfer_letters SET state = 'accepted', accepted_on = ? WHERE id = ? AND state = 'issued'",
        );
        let claimed = sqlx::query(&sql)
            .bind(accepted_on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            return Err(DomainError::Conflict(format!(
                "{rec} was accepted or cancelled meanwhile"
            ))
            .into());
        }
        let accepted = TransferLetter {
            state: "accepted".into(),
            accepted_on: Some(accepted_on),
            ..letter
        };
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "transfer_letter.accept",
            "transfer_letter",
            id,
            &to_path,
            serde_json::json!(accepted),
        )
        .await?;
        tx.commit().await?;
        Ok(accepted)
    }

    /// The sending side cancels a letter not yet accepted (it expired, or the move fell
    /// through). The letter stays on record.
    pub async fn cancel_transfer_letter(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        reason: &str,
    ) -> StoreResult<TransferLetter> {
        let row = self.letter_row(id).await?;
        let from_path = text(&row, "from_path")?;
        scope.check(&from_path, "transfer letter", id)?;
        if reason.trim().is_empty() {
            return Err(DomainError::invalid(
                format!("transfer letter {id}"),
                "reason",
                "must not be empty",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let sql = self.db.sql(
            "UPDATE transfer_letters SET state = 'cancelled', cancelled_reason = ? WHERE id = ? AND state = 'issued'",
        );
        let done = sqlx::query(&sql)
            .bind(reason.trim())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DomainError::Conflict(format!("transfer letter {id} is not open")).into());
        }
        let letter = TransferLetter {
            state: "cancelled".into(),
            cancelled_reason: Some(reason.trim().to_owned()),
            ..letter_from_row(&row)?
        };
        audit_lifecycle(
            self,
            &mut tx,
            actor,
            "transfer_letter.cancel",
            "transfer_letter",
            id,
            &from_path,
            serde_json::json!(letter),
        )
        .await?;
        tx.commit().await?;
        Ok(letter)
    }

    /// A temporary transfer to `to_org_id` for `[from, until)`: 3-12 months, or up to 24 for
    /// training (rulebook `transfer`). The member takes part at the host and stays counted
    /// at home (the registry keeps the official membership where it is).
    #[allow(clippy::too_many_arguments)] // Each argument is one fact of the transfer.
    pub async fn temporary_transfer(
        &self,
        actor: &Actor,
        scope: &Scope,
        member_id: i64,
        to_org_id: i64,
        from: Date,
        until: Date,
        training: bool,
    ) -> StoreResult<crate::members::Member> {
        // A member out of the caller's scope is not found, before anything about the dates.
        self.member(scope, member_id).await?;
        let book = rules(from)?;
        transfer::check_temporary(
            &format!("member {member_id}"),
            &book.transfer,
            from,
            until,
            training,
        )?;
        self.transfer_member(
            actor,
            scope,
            member_id,
            Transfer {
                to_org: to_org_id,
                kind: MembershipKind::Temporary,
                on: from,
                until: Some(until),
            },
        )
        .await
    }

    /// Letters leaving or entering an organization's subtree, newest first.
    pub async fn transfer_letters(
        &self,
        scope: &Scope,
        org_id: i64,
    ) -> StoreResult<Vec<TransferLetter>> {
        let (_, lo, hi) = super::subtree_range(self, scope, org_id).await?;
        let sql = self
            .db
            .sql(&format!(
                "SELECT {LETTER_COLUMNS} FROM transfer_letters WHERE (from_path >= ? AND from_path < ?) \
                 OR (to_path >= ? AND to_path < ?) ORDER BY issued_on DESC, id DESC"
            ))
            .into_owned();
        sqlx::query(&sql)
            .bind(&lo)
            .bind(&hi)
            .bind(&lo)
            .bind(&hi)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(letter_from_row)
            .collect()
    }
}
