//! Where each member stood on a past day: the one place the registry figures of an ended
//! period (admissions and status changes, dues, badges, probation) find which members count
//! at which organization.
//!
//! A member counts at the cell of their last official membership begun by the day, or,
//! when their records hold none that early (a member imported with only the cell they
//! joined later), at the cell they belong to now. The organizations are those of the tree
//! of that day: for a path range, each organization's version in force on the day.

use grassroots_domain::date::Date;

use crate::db::placeholders;
use crate::registry_parts::Orgs;
use crate::select::Select;

/// The members placed at `orgs` on `day`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MembersOn<'a> {
    pub orgs: Orgs<'a>,
    pub day: Date,
}

impl MembersOn<'_> {
    /// A table of `(member_id, org_id)`, one row per member placed at one of the
    /// organizations; bind its values with [`MembersOn::bind`].
    pub fn table(&self) -> String {
        let (held_from, held_in, now_from, now_in) = match self.orgs {
            Orgs::Range(..) => (
                "org_versions v JOIN memberships ms ON ms.org_id = v.org_id",
                IN_TREE.to_owned(),
                "org_versions v JOIN members m ON m.org_id = v.org_id",
                IN_TREE.to_owned(),
            ),
            Orgs::Of(list) => (
                "memberships ms",
                format!("ms.org_id IN ({})", placeholders(list.len())),
                "members m",
                format!("m.org_id IN ({})", placeholders(list.len())),
            ),
        };
        format!(
            "SELECT ms.member_id, ms.org_id FROM {held_from} \
             WHERE {held_in} AND ms.kind = 'official' AND ms.valid_from <= ? \
             AND NOT EXISTS ({BEGUN} AND n.member_id = ms.member_id AND (n.valid_from > ms.valid_from \
             OR (n.valid_from = ms.valid_from AND n.id > ms.id))) \
             UNION ALL \
             SELECT m.id AS member_id, m.org_id FROM {now_from} \
             WHERE {now_in} AND NOT EXISTS ({BEGUN} AND n.member_id = m.id)"
        )
    }

    /// Binds the values of [`MembersOn::table`], in order.
    pub fn bind<'d>(&self, mut q: Select<'d>) -> Select<'d> {
        let on = self.day.to_string();
        for held in [true, false] {
            q = self.bind_orgs(q);
            if held {
                q = q.bind(on.clone());
            }
            q = q.bind(on.clone());
        }
        q
    }

    /// The condition choosing the records of the organizations by a column holding the
    /// path now of the organization they belong to (`dues_payments.org_path`, which follows
    /// every move of the tree and leads the table's index); bind its values with
    /// [`MembersOn::bind_orgs`].
    pub fn orgs_condition(&self, path_column: &str) -> String {
        let ids = match self.orgs {
            Orgs::Range(..) => format!("SELECT v.org_id FROM org_versions v WHERE {IN_TREE}"),
            Orgs::Of(list) => placeholders(list.len()),
        };
        format!("{path_column} IN (SELECT o.path FROM orgs o WHERE o.id IN ({ids}))")
    }

    /// Binds the values of [`MembersOn::orgs_condition`].
    pub fn bind_orgs<'d>(&self, q: Select<'d>) -> Select<'d> {
        let on = self.day.to_string();
        match self.orgs {
            Orgs::Range(lo, hi) => q
                .bind(on.clone())
                .bind(on)
                .bind(lo.to_owned())
                .bind(hi.to_owned()),
            Orgs::Of(list) => q.bind_all(list.iter().map(|o| o.id)),
        }
    }
}

/// An organization's version in force on the day, within the range.
const IN_TREE: &str = "v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?) \
     AND v.path >= ? AND v.path < ?";

/// The member's official memberships begun by the day (the member's condition is added).
const BEGUN: &str = "SELECT 1 FROM memberships n WHERE n.kind = 'official' AND n.valid_from <= ?";
