-- Registry counts kept per subtree (crates/storage/src/registry_parts/subtrees.rs): for an
-- organization with organizations below it, what its whole subtree adds to a set of counts
-- (`registry_parts` keeps what the organization itself adds). Valid while the subtree's
-- registry counter (`org_changes.registry_n`) and the tree counter stand still. After a
-- write in one cell, a province's report reads its own row and its children's, and goes
-- down only where a counter moved, instead of adding up every organization of the
-- province.
CREATE TABLE registry_subtree_parts (
    org_id BIGINT NOT NULL,
    part TEXT NOT NULL,
    -- One count per row; the row named '' (n = 0) marks the subtree's part as kept.
    name TEXT NOT NULL,
    n BIGINT NOT NULL,
    stamp TEXT NOT NULL,
    open_on TEXT,
    tree_n BIGINT NOT NULL,
    registry_n BIGINT NOT NULL,
    PRIMARY KEY (org_id, part, name)
);

-- The tree on a past day, level by level: the organizations whose version on that day has
-- a given parent.
CREATE INDEX org_versions_parent ON org_versions (parent_id, valid_from);
-- Versions that ended: whether any organization of a subtree changed after a day (a
-- subtree that did not change since can be counted in today's tree).
CREATE INDEX org_versions_ended ON org_versions (valid_to);

-- Counts kept "as of today" are pruned on later days, at every keep: without an index that
-- prune read every kept row.
CREATE INDEX registry_parts_open ON registry_parts (open_on);
CREATE INDEX registry_subtree_parts_open ON registry_subtree_parts (open_on);

-- The dues figures are kept as registry counts now (`lifecycle/dues_parts.rs` is a
-- `PartSet`): their own table held derived rows only.
DROP TABLE dues_parts;
