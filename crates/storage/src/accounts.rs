//! Accounts: users, the roles they hold on subtrees, and sign-in sessions.
//!
//! Passwords arrive here already hashed (argon2, by the web layer), and sessions are stored
//! by the hash of their token: this module never sees a secret it could leak.

use grassroots_domain::DomainError;
use grassroots_domain::access::{Role, check_username};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::row::{int, opt_int, opt_text, parsed, text};
use crate::{Actor, Scope, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The preferred language code (`vi`, `en`, ...).
    pub language: String,
    pub disabled: bool,
    /// The member record of this user, for the `member` role.
    pub member_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub display_name: String,
    pub language: String,
    pub member_id: Option<i64>,
}

/// A role held on a subtree. `org_id = None` is the whole tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub role: Role,
    pub org_id: Option<i64>,
    pub org_code: Option<String>,
    pub org_name: Option<String>,
    /// The organization's current path (`/` for the whole tree): the root of the scope.
    pub org_path: String,
}

impl Assignment {
    /// The part of the tree this assignment covers.
    pub fn scope(&self) -> Scope {
        if self.org_id.is_none() {
            Scope::all()
        } else {
            Scope::subtree(self.org_path.clone())
        }
    }
}

/// A live session found by its token hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: String,
}

const USER_COLUMNS: &str = "id, username, display_name, language, disabled, member_id";

fn user_from_row(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: int(r, "id")?,
        username: text(r, "username")?,
        display_name: text(r, "display_name")?,
        language: text(r, "language")?,
        disabled: int(r, "disabled")? != 0,
        member_id: opt_int(r, "member_id")?,
    })
}

pub trait AccountReader {
    /// The user and their password hash, for sign-in. Unknown names are `NotFound`.
    fn user_for_sign_in(
        &self,
        username: &str,
    ) -> impl Future<Output = StoreResult<(User, String)>> + Send;
    fn user(&self, id: i64) -> impl Future<Output = StoreResult<User>> + Send;
    fn user_by_name(&self, username: &str) -> impl Future<Output = StoreResult<User>> + Send;
    /// The roles the user holds now, broadest scope first.
    fn assignments(
        &self,
        user_id: i64,
    ) -> impl Future<Output = StoreResult<Vec<Assignment>>> + Send;
    /// The live session with this token hash, if it exists, has not expired at `now`, and
    /// belongs to an enabled user.
    fn session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> impl Future<Output = StoreResult<Option<SessionRecord>>> + Send;
}

pub trait AccountWriter {
    fn create_user(
        &self,
        actor: &Actor,
        new: NewUser,
    ) -> impl Future<Output = StoreResult<User>> + Send;
    /// Gives `role` on the subtree of `org_id` (None: the whole tree, administrators only).
    fn assign_role(
        &self,
        actor: &Actor,
        user_id: i64,
        role: Role,
        org_id: Option<i64>,
    ) -> impl Future<Output = StoreResult<Assignment>> + Send;
    fn set_language(
        &self,
        user_id: i64,
        language: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn end_session(&self, token_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Removes sessions that expired before `now` (they are useless, not history).
    fn purge_sessions(&self, now: &str) -> impl Future<Output = StoreResult<u64>> + Send;
}

impl AccountReader for Store {
    async fn user_for_sign_in(&self, username: &str) -> StoreResult<(User, String)> {
        let sql = self
            .db
            .sql(&format!(
                "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?"
            ))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("user", username))?;
        Ok((user_from_row(&row)?, text(&row, "password_hash")?))
    }

    async fn user(&self, id: i64) -> StoreResult<User> {
        let sql = self
            .db
            .sql(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
            .into_owned();
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db.read())
            .await?
            .ok_or_else(|| DomainError::not_found("user", id))?;
        user_from_row(&row)
    }

    async fn user_by_name(&self, username: &str) -> StoreResult<User> {
        Ok(self.user_for_sign_in(username).await?.0)
    }

    async fn assignments(&self, user_id: i64) -> StoreResult<Vec<Assignment>> {
        let sql = self.db.sql(
            "SELECT a.role, a.org_id, o.code, o.name, o.path FROM role_assignments a \
             LEFT JOIN orgs o ON o.id = a.org_id \
             WHERE a.user_id = ? AND a.revoked_at IS NULL AND (o.id IS NULL OR o.dissolved_on IS NULL) \
             ORDER BY a.id",
        );
        let mut out: Vec<Assignment> = sqlx::query(&sql)
            .bind(user_id)
            .fetch_all(self.db.read())
            .await?
            .iter()
            .map(|r| {
                Ok(Assignment {
                    role: parsed(r, "role", Role::parse)?,
                    org_id: opt_int(r, "org_id")?,
                    org_code: opt_text(r, "code")?,
                    org_name: opt_text(r, "name")?,
                    org_path: opt_text(r, "path")?.unwrap_or_else(|| "/".into()),
                })
            })
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|a| grassroots_domain::tree_path::depth(&a.org_path));
        Ok(out)
    }

    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<SessionRecord>> {
        let sql = self
            .db
            .sql(
                "SELECT u.id, u.username, u.display_name, u.language, u.disabled, u.member_id, \
                 s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
            )
            .into_owned();
        let Some(row) = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(self.db.read())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            user: user_from_row(&row)?,
            csrf_token: text(&row, "csrf_token")?,
            expires_at: text(&row, "expires_at")?,
        }))
    }
}

fn check_language(record: &str, language: &str) -> Result<(), DomainError> {
    if (2..=8).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            record,
            "language",
            "must be a language code such as vi or en",
        ))
    }
}

impl AccountWriter for Store {
    async fn create_user(&self, actor: &Actor, new: NewUser) -> StoreResult<User> {
        let record = format!("user {}", new.username);
        check_username(&new.username)?;
        if new.display_name.trim().is_empty() || new.display_name.chars().count() > 120 {
            return Err(
                DomainError::invalid(&record, "display_name", "must be 1-120 characters").into(),
            );
        }
        check_language(&record, &new.language)?;
        if !new.password_hash.starts_with("$argon2") {
            return Err(DomainError::invalid(
                &record,
                "password_hash",
                "must be an argon2 hash, never a clear password",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let mut org_path = String::from("/");
        if let Some(member_id) = new.member_id {
            let sql = self.db.sql("SELECT org_path FROM members WHERE id = ?");
            let row = sqlx::query(&sql)
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| DomainError::invalid(&record, "member_id", "no such member"))?;
            org_path = opt_text(&row, "org_path")?.unwrap_or_else(|| "/".into());
        }
        let now = audit::now();
        let sql = self.db.sql(
            "INSERT INTO users (username, password_hash, display_name, language, disabled, member_id, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
        );
        let row = sqlx::query(&sql)
            .bind(&new.username)
            .bind(&new.password_hash)
            .bind(new.display_name.trim())
            .bind(&new.language)
            .bind(new.member_id)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
        let id = int(&row, "id")?;
        let user = User {
            id,
            username: new.username.clone(),
            display_name: new.display_name.trim().to_owned(),
            language: new.language.clone(),
            disabled: false,
            member_id: new.member_id,
        };
        audit::record(
            &self.db,
            &mut tx,
            actor,
            Change {
                action: "user.create",
                entity: "user",
                entity_id: id.to_string(),
                org_path: &org_path,
                before: None,
                after: Some(serde_json::json!(user)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn assign_role(
        &self,
        actor: &Actor,
        user_id: i64,
        role: Role,
        org_id: Option<i64>,
    ) -> StoreResult<Assignment> {
        let user = self.user(user_id).await?;
        let record = format!("user {}", user.username);
        let mut tx = self.db.begin().await?;
        let (org_code, org_name, org_path) = match org_id {
            None if role.may_hold_whole_tree() => (None, None, "/".to_owned()),
            None => {
                return Err(DomainError::invalid(
                    &record,
                    "org",
                    format!("a {} role is held on an organization", role.as_str()),
                )
                .into());
            }
            Some(id) => {
                let org = self.org_in_tx(&mut tx, &Scope::all(), id).await?;
                if !org.is_active() {
                    return Err(DomainError::invalid(
                        &record,
                        "org",
                        format!("{} is dissolved", org.code),
                    )
                    .into());
                }
                if role == Role::CellSecretary && !org.kind.holds_members() {
                    return Err(DomainError::invalid(
                        &record,
                        "org",
                        format!("a cell secretary is held on a cell, not on {}", org.code),
                    )
                    .into());
                }
                (Some(org.code), Some(org.name), org.path)
            }
        };
        if role.needs_member_link() {
            let Some(member_id) = user.member_id else {
                return Err(DomainError::invalid(
                    &record,
                    "member_id",
                    "the member role needs the user linked to their member record",
                )
                .into());
            };
            let sql = self.db.sql("SELECT org_path FROM members WHERE id = ?");
            let row = sqlx::query(&sql)
                .bind(member_id)
                .fetch_one(&mut *tx)
                .await?;
            let member_path = opt_text(&row, "org_path")?.unwrap_or_default();
            if !grassroots_domain::tree_path::is_within(&member_path, &org_path) {
                return Err(DomainError::invalid(
                    &record,
                    "org",
                    "a member's role is held on the organization of their own record",
                )
                .into());
            }
        }
        let sql = self.db.sql(
            "INSERT INTO role_assignments (user_id, role, org_id, granted_at, granted_by) VALUES (?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(user_id)
            .bind(role.as_str())
            .bind(org_id)
            .bind(audit::now())
            .bind(&actor.0)
            .execute(&mut *tx)
            .await?;
        let assignment = Assignment {
            role,
            org_id,
            org_code,
            org_name,
            org_path,
        };
        audit::record(
            &self.db,
            &mut tx,
            actor,
            Change {
                action: "user.assign_role",
                entity: "user",
                entity_id: user_id.to_string(),
                org_path: &assignment.org_path,
                before: None,
                after: Some(serde_json::json!(assignment)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(assignment)
    }

    async fn set_language(&self, user_id: i64, language: &str) -> StoreResult<()> {
        check_language(&format!("user {user_id}"), language)?;
        let sql = self
            .db
            .sql("UPDATE users SET language = ?, updated_at = ? WHERE id = ?");
        sqlx::query(&sql)
            .bind(language)
            .bind(audit::now())
            .bind(user_id)
            .execute(self.db.write())
            .await?;
        Ok(())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: &str,
    ) -> StoreResult<()> {
        let sql = self.db.sql(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        );
        sqlx::query(&sql)
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(audit::now())
            .bind(expires_at)
            .execute(self.db.write())
            .await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> StoreResult<()> {
        let sql = self.db.sql("DELETE FROM sessions WHERE token_hash = ?");
        sqlx::query(&sql)
            .bind(token_hash)
            .execute(self.db.write())
            .await?;
        Ok(())
    }

    async fn purge_sessions(&self, now: &str) -> StoreResult<u64> {
        let sql = self.db.sql("DELETE FROM sessions WHERE expires_at <= ?");
        let done = sqlx::query(&sql).bind(now).execute(self.db.write()).await?;
        Ok(done.rows_affected())
    }
}
