//! Member search by name, without diacritics, at national scale.
//!
//! A name is found by a prefix of any of its word suffixes ([`crate::members::name_keys`]):
//! "Nguyễn Thị Hương" by "nguyen thi h", "thi huong", "huong". Results come in the order of
//! the matching key, then the list order (`sort_key`), then id, and page by a keyset cursor
//! on that triple. That order is the order of the search indexes (migration 0008), so a page
//! is one index range scan that stops after a page of rows in scope, however common the
//! prefix; the caller's scope picks the index:
//!
//! - the whole tree: `member_search_key (key, ...)`, the scope checked on the index entry;
//! - one province, or a large subtree inside one: `member_search_province (province_path,
//!   key, ...)`, the same scan limited to the province;
//! - a small subtree (a commune, a grassroots organization, a cell; its size from the
//!   rollups): `member_search_path (org_path, key, ...)`, every key of its members, the
//!   matching ones sorted. Its cost grows with the subtree, which is why it is reserved to
//!   subtrees of at most [`SMALL_SUBTREE_MEMBERS`].
//!
//! A member with two matching keys ("An Văn An" for "an") appears once, at the first.

use std::sync::atomic::{AtomicI64, Ordering};

use grassroots_domain::member::{Gender, MemberStatus};
use grassroots_domain::{DomainError, tree_path};

use crate::members::{MemberPage, MemberRow};
use crate::row::{date, int, opt_int, opt_text, parsed, text as text_col};
use crate::{Backend, Store, StoreResult};

/// Subtrees with at most this many members (by their rollups) are searched by reading
/// their members' keys (`member_search_path`); larger ones by the key-ordered scan. A
/// commune holds 1,200–2,500 members; see BENCHMARKS.md for the measurements.
pub const SMALL_SUBTREE_MEMBERS: i64 = 20_000;

/// The threshold in force ([`SMALL_SUBTREE_MEMBERS`] unless changed): every plan returns
/// the same pages, and tests lower it to run the province scan on small data sets.
static SMALL_SUBTREE: AtomicI64 = AtomicI64::new(SMALL_SUBTREE_MEMBERS);

/// Changes the small-subtree threshold for this process (tests and measurements).
pub fn set_small_subtree_members(n: i64) {
    SMALL_SUBTREE.store(n, Ordering::Relaxed);
}

/// The depth of the organizations whose subtree `province_path` names (1 is the nation).
pub const PROVINCE_DEPTH: usize = 2;

/// The province part of a member's path, as stored in `member_name_keys.province_path`.
pub fn province_path(org_path: &str) -> &str {
    tree_path::ancestor_at(org_path, PROVINCE_DEPTH)
}

/// Which members a search covers, and how many rows per page.
#[derive(Debug, Clone)]
pub struct NameSearch {
    /// The folded search text (a prefix of a name key).
    pub term: String,
    /// The subtree `[lo, hi)` (None: the whole tree).
    pub range: Option<(String, String)>,
    /// Only this status; otherwise active members unless `include_inactive`.
    pub status: Option<MemberStatus>,
    pub include_inactive: bool,
    pub after: Option<String>,
    pub limit: i64,
}

/// A position in the search order: the matching key, the list order, the member id.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cursor {
    key: String,
    sort_key: String,
    id: i64,
}

impl Cursor {
    /// `sort_key|id|key`: sort keys and ids never contain `|`, keys may.
    fn encode(&self) -> String {
        format!("{}|{}|{}", self.sort_key, self.id, self.key)
    }

    fn parse(raw: &str) -> StoreResult<Cursor> {
        let mut parts = raw.splitn(3, '|');
        let (Some(sort_key), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad_cursor());
        };
        Ok(Cursor {
            key: key.to_owned(),
            sort_key: sort_key.to_owned(),
            id: id.parse().map_err(|_| bad_cursor())?,
        })
    }
}

fn bad_cursor() -> crate::StoreError {
    DomainError::invalid(
        "member search",
        "after",
        "is not a cursor of this search (start again from the first page)",
    )
    .into()
}

/// The index a search scans, chosen from the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// `member_search_key`, with the subtree (if any) checked on each entry.
    Nation(Option<(String, String)>),
    /// `member_search_province` for this province path, with the subtree (if it is smaller
    /// than the province) checked on each entry.
    Province(String, Option<(String, String)>),
    /// `member_search_path` over this subtree.
    Subtree(String, String),
}

#[derive(Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

impl Store {
    /// One page of a name search (see the module documentation for the order and the plans).
    pub(crate) async fn search_members(&self, req: &NameSearch) -> StoreResult<MemberPage> {
        let after = req.after.as_deref().map(Cursor::parse).transpose()?;
        let plan = self.search_plan(req.range.as_ref()).await?;
        let (lo, hi) = prefix_range(&req.term);
        let sqlite = self.db.backend() == Backend::Sqlite;
        let index = |name: &str| {
            if sqlite {
                // SQLite's planner may prefer the path index for a wide path range; the
                // choice is ours, made above.
                format!(" INDEXED BY {name}")
            } else {
                String::new()
            }
        };
        let mut binds: Vec<Bind> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        // A path condition that no index serves, checked on the index entry: written so
        // that the planner keeps the key-ordered scan.
        let unindexed_range = |range: &Option<(String, String)>,
                               conditions: &mut Vec<String>,
                               binds: &mut Vec<Bind>| match range {
            Some((plo, phi)) => {
                conditions
                    .push("COALESCE(k.org_path, '') >= ? AND COALESCE(k.org_path, '') < ?".into());
                binds.push(Bind::Text(plo.clone()));
                binds.push(Bind::Text(phi.clone()));
            }
            None => conditions.push("COALESCE(k.org_path, '') <> ''".into()),
        };
        let from = match &plan {
            Plan::Nation(range) => {
                unindexed_range(range, &mut conditions, &mut binds);
                index("member_search_key")
            }
            Plan::Province(province, range) => {
                conditions.push("k.province_path = ?".into());
                binds.push(Bind::Text(province.clone()));
                if range.is_some() {
                    unindexed_range(range, &mut conditions, &mut binds);
                }
                index("member_search_province")
            }
            Plan::Subtree(plo, phi) => {
                conditions.push("k.org_path >= ? AND k.org_path < ?".into());
                binds.push(Bind::Text(plo.clone()));
                binds.push(Bind::Text(phi.clone()));
                index("member_search_path")
            }
        };
        conditions.push("k.key >= ? AND k.key < ?".into());
        binds.push(Bind::Text(lo.clone()));
        binds.push(Bind::Text(hi));
        if let Some(status) = req.status {
            conditions.push("k.status = ?".into());
            binds.push(Bind::Text(status.as_str().to_owned()));
        } else if !req.include_inactive {
            let active: Vec<String> = MemberStatus::ALL
                .iter()
                .filter(|s| s.is_active())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            conditions.push(format!("k.status IN ({})", active.join(", ")));
        }
        if let Some(c) = &after {
            conditions.push("(k.key, k.sort_key, k.member_id) > (?, ?, ?)".into());
            binds.push(Bind::Text(c.key.clone()));
            binds.push(Bind::Text(c.sort_key.clone()));
            binds.push(Bind::Int(c.id));
        }
        // Only the first matching key of a member (its other keys, if they match too, come
        // later in the order).
        conditions.push(
            "NOT EXISTS (SELECT 1 FROM member_name_keys d WHERE d.member_id = k.member_id \
             AND d.key >= ? AND d.key < k.key)"
                .into(),
        );
        binds.push(Bind::Text(lo));
        let limit = req.limit;
        binds.push(Bind::Int(limit + 1));
        // The page is chosen from the key index alone; the members and their cells are read
        // for its rows only.
        let sql = format!(
            "SELECT m.id, m.full_name, m.birth_date, m.gender, m.status, m.org_id, o.name AS org_name, \
             p.match_key, p.match_sort_key \
             FROM (SELECT k.key AS match_key, k.sort_key AS match_sort_key, k.member_id \
                   FROM member_name_keys k{from} WHERE {} \
                   ORDER BY k.key, k.sort_key, k.member_id LIMIT ?) AS p \
             JOIN members m ON m.id = p.member_id LEFT JOIN orgs o ON o.id = m.org_id \
             ORDER BY p.match_key, p.match_sort_key, p.member_id",
            conditions.join(" AND ")
        );
        let sql = self.db.sql(&sql).into_owned();
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(self.db.read()).await?;
        let mut out = Vec::with_capacity(rows.len().min(limit as usize));
        let mut next = None;
        for (i, r) in rows.iter().enumerate() {
            if i as i64 == limit {
                break;
            }
            out.push(MemberRow {
                id: int(r, "id")?,
                full_name: text_col(r, "full_name")?,
                birth_date: date(r, "birth_date")?,
                gender: parsed(r, "gender", Gender::parse)?,
                status: parsed(r, "status", MemberStatus::parse)?,
                org_id: opt_int(r, "org_id")?,
                org_name: opt_text(r, "org_name")?,
            });
            if i as i64 == limit - 1 && rows.len() as i64 > limit {
                next = Some(
                    Cursor {
                        key: text_col(r, "match_key")?,
                        sort_key: text_col(r, "match_sort_key")?,
                        id: int(r, "id")?,
                    }
                    .encode(),
                );
            }
        }
        Ok(MemberPage { rows: out, next })
    }

    /// Picks the index for a subtree (see the module documentation).
    async fn search_plan(&self, range: Option<&(String, String)>) -> StoreResult<Plan> {
        let Some((lo, hi)) = range else {
            return Ok(Plan::Nation(None));
        };
        let depth = tree_path::depth(lo) as usize;
        if depth < PROVINCE_DEPTH {
            return Ok(Plan::Nation(Some((lo.clone(), hi.clone()))));
        }
        let province = province_path(lo).to_owned();
        if depth == PROVINCE_DEPTH {
            return Ok(Plan::Province(province, None));
        }
        if self.subtree_members(lo).await? <= SMALL_SUBTREE.load(Ordering::Relaxed) {
            Ok(Plan::Subtree(lo.clone(), hi.clone()))
        } else {
            Ok(Plan::Province(province, Some((lo.clone(), hi.clone()))))
        }
    }

    /// Members of every status in the subtree rooted at `path`, from its rollup row.
    async fn subtree_members(&self, path: &str) -> StoreResult<i64> {
        let Some(root) = tree_path::ids(path).last().copied() else {
            return Ok(i64::MAX);
        };
        let sql = self.db.sql(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM org_member_counts WHERE org_id = ?",
        );
        let row = sqlx::query(&sql)
            .bind(root)
            .fetch_one(self.db.read())
            .await?;
        int(&row, "n")
    }
}

/// The `[lo, hi)` range of keys starting with `prefix`.
pub(crate) fn prefix_range(prefix: &str) -> (String, String) {
    let mut hi = prefix.to_owned();
    hi.push('\u{10FFFF}');
    (prefix.to_owned(), hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_even_with_bars_in_the_key() {
        let c = Cursor {
            key: "a|b c".into(),
            sort_key: "AB!C!00".into(),
            id: 42,
        };
        assert_eq!(Cursor::parse(&c.encode()).unwrap(), c);
        assert!(Cursor::parse("AB!C|42").is_err());
        assert!(Cursor::parse("AB|x|key").is_err());
    }

    #[test]
    fn provinces_are_the_first_two_levels() {
        assert_eq!(province_path("/1/17/342/9/"), "/1/17/");
        assert_eq!(province_path("/1/"), "/1/");
    }
}
