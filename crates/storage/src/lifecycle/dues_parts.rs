//! The dues figures of a subtree (`dues.due`, `dues.arrears_members`, `dues.collected`)
//! from parts kept per organization.
//!
//! Both figures take every current member's dues ledger ([`super::dues_ledger`]): a province
//! is a hundred thousand ledgers and more. But each member counts at exactly one
//! organization, the one they belong to now (`members.org_path`), so a subtree's figures are
//! the sum of its organizations' own parts (and a payment counts at the cell that recorded
//! it, `dues_payments.org_path`). Each part is kept (`dues_parts`) with the
//! organization's own registry counter (`crate::changes`: a payment, an income declaration,
//! a relief or a status change of one of its members moves it) and the tree counter; a
//! report adds up the kept parts and computes again only the organizations whose counter
//! moved. A part covers a span of months, not of days, so the running year's parts stay
//! valid all month.

use std::collections::BTreeMap;

use grassroots_domain::lifecycle::dues::YearMonth;
use grassroots_domain::rulebook::Rulebook;

use crate::changes::tree_changes;
use crate::row::{int, opt_int, opt_text, text};
use crate::{Store, StoreResult};

/// More organizations than this to compute again, and the whole range's members are read
/// in one go instead of organization by organization.
const MAX_ORGS_BY_PATH: usize = 200;

/// What an organization's own current members owe over a span of months, and what it
/// collected for those months.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DuesPart {
    pub due_vnd: i64,
    pub arrears_members: i64,
    pub collected_vnd: i64,
}

impl DuesPart {
    pub(crate) fn add(&mut self, other: DuesPart) {
        self.due_vnd += other.due_vnd;
        self.arrears_members += other.arrears_members;
        self.collected_vnd += other.collected_vnd;
    }
}

/// An organization of the range, its own registry counter now, and what is kept for it.
struct Node {
    id: i64,
    path: String,
    counter: i64,
    kept: Option<(String, i64, i64, DuesPart)>,
}

impl Store {
    /// The dues figures of the members now in `[lo, hi)` for the months `[first, last]`.
    pub(crate) async fn dues_part(
        &self,
        lo: &str,
        hi: &str,
        first: YearMonth,
        last: YearMonth,
    ) -> StoreResult<DuesPart> {
        let stamp = format!(
            "{}+{}",
            env!("CARGO_PKG_VERSION"),
            Rulebook::in_force(last.last_day())?.id
        );
        // The counters are read before the records: a write landing meanwhile leaves parts
        // that are already out of date, and they are computed again next time.
        let tree = tree_changes(&self.db).await?;
        let nodes = self.dues_nodes(lo, hi, first, last).await?;
        let mut total = DuesPart::default();
        let mut stale = Vec::new();
        for node in nodes {
            match &node.kept {
                Some((s, t, n, part)) if *s == stamp && *t == tree && *n == node.counter => {
                    total.add(*part);
                }
                _ => stale.push(node),
            }
        }
        if stale.is_empty() {
            return Ok(total);
        }
        let by_path = if stale.len() > MAX_ORGS_BY_PATH {
            self.dues_by_path(Members::Range(lo, hi), first, last)
                .await?
        } else {
            let paths: Vec<&str> = stale.iter().map(|n| n.path.as_str()).collect();
            self.dues_by_path(Members::Of(&paths), first, last).await?
        };
        let computed: Vec<(&Node, DuesPart)> = stale
            .iter()
            .map(|n| (n, by_path.get(&n.path).copied().unwrap_or_default()))
            .collect();
        self.keep_dues_parts(&computed, first, last, &stamp, tree)
            .await?;
        for (_, part) in computed {
            total.add(part);
        }
        Ok(total)
    }

    async fn dues_nodes(
        &self,
        lo: &str,
        hi: &str,
        first: YearMonth,
        last: YearMonth,
    ) -> StoreResult<Vec<Node>> {
        let sql = self.db.sql(
            "SELECT o.id, o.path, c.registry_own_n AS counter, p.stamp, p.tree_n, p.registry_own_n, \
             p.due_vnd, p.arrears_members, p.collected_vnd FROM orgs o \
             LEFT JOIN org_changes c ON c.org_id = o.id \
             LEFT JOIN dues_parts p ON p.org_id = o.id AND p.month_from = ? AND p.month_to = ? \
             WHERE o.path >= ? AND o.path < ?",
        );
        let rows = self
            .db
            .select(&*sql)
            .bind(first.to_string())
            .bind(last.to_string())
            .bind(lo)
            .bind(hi)
            .fetch_all()
            .await?;
        rows.iter()
            .map(|r| {
                let kept = match opt_text(r, "stamp")? {
                    Some(stamp) => Some((
                        stamp,
                        int(r, "tree_n")?,
                        int(r, "registry_own_n")?,
                        DuesPart {
                            due_vnd: int(r, "due_vnd")?,
                            arrears_members: int(r, "arrears_members")?,
                            collected_vnd: int(r, "collected_vnd")?,
                        },
                    )),
                    None => None,
                };
                Ok(Node {
                    id: int(r, "id")?,
                    path: text(r, "path")?,
                    counter: opt_int(r, "counter")?.unwrap_or(0),
                    kept,
                })
            })
            .collect()
    }

    /// The dues figures of the chosen current members, by the path of their organization,
    /// with the payments the chosen organizations recorded. Only members with a declared
    /// income owe an amount; the others add nothing.
    pub(crate) async fn dues_by_path(
        &self,
        members: Members<'_>,
        first: YearMonth,
        last: YearMonth,
    ) -> StoreResult<BTreeMap<String, DuesPart>> {
        let (where_, binds): (String, Vec<&str>) = match members {
            Members::Range(lo, hi) => ("org_path >= ? AND org_path < ?".into(), vec![lo, hi]),
            Members::Of(paths) => (
                format!("org_path IN ({})", vec!["?"; paths.len()].join(", ")),
                paths.to_vec(),
            ),
        };
        let sql = self
            .db
            .sql(&format!(
                "SELECT id, org_path FROM members WHERE {where_} \
                 AND status IN ('probationary', 'official', 'temporarily_exempt', 'exempt') \
                 AND EXISTS (SELECT 1 FROM dues_incomes d WHERE d.member_id = members.id)"
            ))
            .into_owned();
        let q = self
            .db
            .select(&*sql)
            .bind_all(binds.iter().map(|b| b.to_string()));
        let mut path_of: BTreeMap<i64, String> = BTreeMap::new();
        for r in q.fetch_all().await? {
            path_of.insert(int(&r, "id")?, text(&r, "org_path")?);
        }
        let ids: Vec<i64> = path_of.keys().copied().collect();
        let mut out: BTreeMap<String, DuesPart> = BTreeMap::new();
        for (id, lines) in self.dues_of_members(&ids, first, last).await? {
            let Some(path) = path_of.get(&id) else {
                continue;
            };
            let part = out.entry(path.clone()).or_default();
            part.due_vnd += lines.iter().map(|l| l.due_vnd() as i64).sum::<i64>();
            if lines.iter().any(|l| l.owed_vnd() > 0) {
                part.arrears_members += 1;
            }
        }
        let sql = self
            .db
            .sql(&format!(
                "SELECT org_path, CAST(SUM(amount_vnd) AS BIGINT) AS paid FROM dues_payments \
                 WHERE {where_} AND month >= ? AND month <= ? GROUP BY org_path"
            ))
            .into_owned();
        let q = self
            .db
            .select(&*sql)
            .bind_all(binds.iter().map(|b| b.to_string()));
        for r in q
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all()
            .await?
        {
            out.entry(text(&r, "org_path")?).or_default().collected_vnd += int(&r, "paid")?;
        }
        Ok(out)
    }

    async fn keep_dues_parts(
        &self,
        computed: &[(&Node, DuesPart)],
        first: YearMonth,
        last: YearMonth,
        stamp: &str,
        tree: i64,
    ) -> StoreResult<()> {
        let mut tx = self.db.begin().await?;
        // 9 parameters a row: 100 rows a statement stay below every backend's limit.
        for chunk in computed.chunks(100) {
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = self
                .db
                .sql(&format!(
                    "INSERT INTO dues_parts (org_id, month_from, month_to, stamp, tree_n, registry_own_n, \
                     due_vnd, arrears_members, collected_vnd) VALUES {values} \
                     ON CONFLICT (org_id, month_from, month_to) \
                     DO UPDATE SET stamp = excluded.stamp, tree_n = excluded.tree_n, \
                     registry_own_n = excluded.registry_own_n, due_vnd = excluded.due_vnd, \
                     arrears_members = excluded.arrears_members, collected_vnd = excluded.collected_vnd"
                ))
                .into_owned();
            let mut q = sqlx::query(&sql);
            for (node, part) in chunk {
                q = q
                    .bind(node.id)
                    .bind(first.to_string())
                    .bind(last.to_string())
                    .bind(stamp.to_owned())
                    .bind(tree)
                    .bind(node.counter)
                    .bind(part.due_vnd)
                    .bind(part.arrears_members)
                    .bind(part.collected_vnd);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Which members' dues to compute.
pub(crate) enum Members<'a> {
    /// Every member of a path range.
    Range(&'a str, &'a str),
    /// The members of these organizations (by path), not of their subtrees.
    Of(&'a [&'a str]),
}
