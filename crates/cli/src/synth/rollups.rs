//! The rollups of the synthetic nation, counted while its rows are made: the producer knows
//! every member's cell and status, so the subtree counts are sums over the tree in memory,
//! written with the rest of the load (in its transaction) instead of recounted from the
//! tables afterwards. They are the rows `rollup::rebuild` writes: for every organization,
//! the members of its subtree by status and its organizations by kind, itself included, and
//! no row for a count of zero (the generator's tests compare the two).

use std::collections::{BTreeMap, HashMap};

use grassroots_storage::bulk::Table;

use super::sink::Sink;
use super::tree::OrgDraft;

const MEMBER_COUNTS: Table = Table {
    name: "org_member_counts",
    columns: &["org_id", "status", "n"],
};
const KIND_COUNTS: Table = Table {
    name: "org_kind_counts",
    columns: &["org_id", "kind", "n"],
};

/// Writes both rollup tables from `direct`, the members per (cell, status).
pub fn write(
    sink: &mut Sink,
    tree: &[OrgDraft],
    direct: &HashMap<(i64, &'static str), i64>,
) -> anyhow::Result<()> {
    let position: HashMap<i64, usize> = tree.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let mut members: Vec<BTreeMap<&'static str, i64>> = vec![BTreeMap::new(); tree.len()];
    let mut kinds: Vec<BTreeMap<&'static str, i64>> = vec![BTreeMap::new(); tree.len()];
    for (&(org, status), &n) in direct {
        if let Some(&i) = position.get(&org) {
            *members[i].entry(status).or_insert(0) += n;
        }
    }
    // Organizations that ended (districts, merged provinces) are counted nowhere.
    for (i, o) in tree.iter().enumerate().filter(|(_, o)| o.ended.is_none()) {
        kinds[i].insert(o.kind.as_str(), 1);
    }
    // Parents come before their children: fold from the last organization up.
    for i in (0..tree.len()).rev() {
        let Some(parent) = tree[i].parent_id.and_then(|p| position.get(&p).copied()) else {
            continue;
        };
        for table in [&mut members, &mut kinds] {
            let own = std::mem::take(&mut table[i]);
            for (k, n) in &own {
                *table[parent].entry(k).or_insert(0) += n;
            }
            table[i] = own;
        }
    }
    for (i, o) in tree.iter().enumerate() {
        for (status, n) in &members[i] {
            sink.push(MEMBER_COUNTS, |b| {
                b.int(o.id).text(status).int(*n);
            })?;
        }
    }
    sink.flush(MEMBER_COUNTS.name)?;
    for (i, o) in tree.iter().enumerate() {
        for (kind, n) in &kinds[i] {
            sink.push(KIND_COUNTS, |b| {
                b.int(o.id).text(kind).int(*n);
            })?;
        }
    }
    sink.flush(KIND_COUNTS.name)
}
