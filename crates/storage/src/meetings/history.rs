//! Members' memberships and statuses over time, read in bulk, and from them who is
//! expected at a meeting.

use std::collections::BTreeMap;

use grassroots_domain::date::{Date, Span};
use grassroots_domain::meetings::MemberHistory;
use grassroots_domain::member::{MemberStatus, MembershipKind};
use sqlx::AnyConnection;

use super::{Participant, placeholders};
use crate::row::{date, int, opt_date, parsed, text};
use crate::{Db, StoreResult};

/// How many ids go in one IN list.
const CHUNK: usize = 500;

/// The histories of `ids` (members not found get none).
pub(crate) async fn load_histories(
    db: &Db,
    conn: &mut AnyConnection,
    ids: &[i64],
) -> StoreResult<BTreeMap<i64, MemberHistory>> {
    let mut out: BTreeMap<i64, MemberHistory> = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        let list = placeholders(chunk.len());
        let sql = db
            .sql(&format!(
                "SELECT member_id, org_id, kind, valid_from, valid_to FROM memberships \
                 WHERE member_id IN ({list}) ORDER BY member_id, valid_from, id"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let member_id = int(&r, "member_id")?;
            let h = out.entry(member_id).or_insert_with(|| MemberHistory {
                member_id,
                ..MemberHistory::default()
            });
            h.memberships.push((
                int(&r, "org_id")?,
                parsed(&r, "kind", MembershipKind::parse)?,
                Span {
                    from: date(&r, "valid_from")?,
                    to: opt_date(&r, "valid_to")?,
                },
            ));
        }
        let sql = db
            .sql(&format!(
                "SELECT member_id, status, valid_from, valid_to FROM member_statuses \
                 WHERE member_id IN ({list}) ORDER BY member_id, valid_from, id"
            ))
            .into_owned();
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let member_id = int(&r, "member_id")?;
            let h = out.entry(member_id).or_insert_with(|| MemberHistory {
                member_id,
                ..MemberHistory::default()
            });
            h.statuses.push((
                parsed(&r, "status", MemberStatus::parse)?,
                Span {
                    from: date(&r, "valid_from")?,
                    to: opt_date(&r, "valid_to")?,
                },
            ));
        }
    }
    Ok(out)
}

/// Who is expected at `org_id`'s meeting on `day`, by name: anyone with a membership there
/// that day whose history gives them a role (see `MemberHistory::role_at`).
pub(crate) async fn expected_participants(
    db: &Db,
    conn: &mut AnyConnection,
    org_id: i64,
    day: Date,
) -> StoreResult<Vec<Participant>> {
    let sql = db.sql(
        "SELECT DISTINCT p.id, p.full_name, p.sort_key FROM memberships ms JOIN members p ON p.id = ms.member_id \
         WHERE ms.org_id = ? AND ms.valid_from <= ? AND (ms.valid_to IS NULL OR ms.valid_to > ?) \
         ORDER BY p.sort_key, p.id",
    );
    let rows = sqlx::query(&sql)
        .bind(org_id)
        .bind(day.to_string())
        .bind(day.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut named = Vec::with_capacity(rows.len());
    for r in &rows {
        named.push((int(r, "id")?, text(r, "full_name")?));
    }
    let ids: Vec<i64> = named.iter().map(|(id, _)| *id).collect();
    let histories = load_histories(db, conn, &ids).await?;
    Ok(named
        .into_iter()
        .filter_map(|(member_id, full_name)| {
            let role = histories.get(&member_id)?.role_at(org_id, day)?;
            Some(Participant {
                member_id,
                full_name,
                role,
            })
        })
        .collect())
}
