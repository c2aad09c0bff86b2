-- Registry figures kept per organization (crates/storage/src/registry_parts.rs): the counts
-- a report of a subtree adds up, each of which belongs to exactly one organization —
-- members by status on a past day (at the cell of their official membership then), badges
-- due at the award days of a period and probationary members on a day (at the cell they
-- belong to now). Computed again for an organization only when its own registry counter
-- (`org_changes.registry_own_n`) or the tree counter moved, so that a report after a
-- write reads the written cells again instead of the whole province.
CREATE TABLE registry_parts (
    org_id BIGINT NOT NULL,
    -- The set of counts and the days it is counted for, e.g. `statuses_on 2025-12-31`.
    part TEXT NOT NULL,
    -- One count per row, so that a report adds up its subtree's kept counts in one
    -- grouped read; the row named '' (n = 0) marks the organization's part as kept, also
    -- when it has nothing to count.
    name TEXT NOT NULL,
    n BIGINT NOT NULL,
    -- The program version and the rulebook the counts follow.
    stamp TEXT NOT NULL,
    -- The day counts "as of today" were kept on; they are pruned on later days.
    open_on TEXT,
    tree_n BIGINT NOT NULL,
    registry_own_n BIGINT NOT NULL,
    PRIMARY KEY (org_id, part, name)
);
