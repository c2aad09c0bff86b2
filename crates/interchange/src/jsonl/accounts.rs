//! The record types of accounts (migration 0002): users and the roles they hold, so that
//! people keep signing in after a move to another server.
//!
//! A user's `password_hash` is the argon2 PHC string as stored: a hash, never a password.
//! Sign-in sessions are not exported: they are short-lived secrets bound to the old server,
//! and everyone simply signs in again.

use grassroots_domain::access::{Role, check_username};
use grassroots_storage::restore::Cell;

use super::table::{Col, Table, Ty, col, flag, opt};

fn role(s: &str) -> bool {
    Role::parse(s).is_some()
}
/// A language code such as `vi` or `en` (as the account writes check it).
fn language(s: &str) -> bool {
    (2..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase())
}

const ID: Col = col("id", Ty::Int);

pub const USER: Table = Table {
    kind: "user",
    table: "users",
    key: &["id"],
    unique: &[&["username"]],
    cols: &[
        ID,
        col("username", Ty::Text),
        col("password_hash", Ty::Text),
        col("display_name", Ty::Text),
        col("language", Ty::Text).known(language),
        col("disabled", Ty::Int),
        opt("member_id", Ty::Int).refers("member"),
        col("created_at", Ty::Text),
        col("updated_at", Ty::Text),
    ],
    derived: &[],
    rule: Some(user_rule),
};

/// The username is one the program accepts, and the password is an argon2 hash.
fn user_rule(cells: &[Cell]) -> Option<(&'static str, String)> {
    if let Cell::Text(Some(name)) = &cells[1]
        && let Err(grassroots_domain::DomainError::Invalid { message, .. }) = check_username(name)
    {
        return Some(("username", message));
    }
    if let Cell::Text(Some(hash)) = &cells[2]
        && !hash.starts_with("$argon2")
    {
        return Some((
            "password_hash",
            "must be an argon2 hash, never a clear password".into(),
        ));
    }
    flag(cells, 5, "disabled")
}

pub const ROLE_ASSIGNMENT: Table = Table {
    kind: "role_assignment",
    table: "role_assignments",
    key: &["id"],
    unique: &[],
    cols: &[
        ID,
        col("user_id", Ty::Int).refers("user"),
        col("role", Ty::Text).known(role),
        // None: the whole tree.
        opt("org_id", Ty::Int).refers("org"),
        col("granted_at", Ty::Text),
        col("granted_by", Ty::Text),
        opt("revoked_at", Ty::Text),
    ],
    derived: &[],
    rule: None,
};

/// In dependency order.
pub const TABLES: &[&Table] = &[&USER, &ROLE_ASSIGNMENT];
