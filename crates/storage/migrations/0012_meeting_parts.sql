-- Meeting figures of open periods kept per organization (crates/storage/src/meetings/parts.rs).
--
-- Each organization keeps, for a period, what its own meetings, marks and alerts add to any
-- report ("own") and what its whole subtree adds ("subtree"). A subtree part stays valid
-- while the subtree's change counter (`org_changes.n`) and the tree counter stand still; an
-- own part while the organization's own counter (`own_n`, moved only by writes about its
-- own records or about its members) does. After a write in one cell, the province's report
-- recomputes that cell's own part and adds up its ancestors' parts again from their
-- children's, instead of counting every attendance mark of the province.

ALTER TABLE org_changes ADD COLUMN own_n BIGINT NOT NULL DEFAULT 0;

CREATE TABLE meeting_parts (
    org_id BIGINT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    -- The program version, the rulebook, and the last day dues were judged up to.
    stamp TEXT NOT NULL,
    -- The day the part was computed on when the period had not ended yet (its figures
    -- depend on that day); NULL for a closed period. Parts of earlier days are pruned.
    open_on TEXT,
    tree_n BIGINT NOT NULL,
    own_n BIGINT NOT NULL,
    subtree_n BIGINT NOT NULL,
    own_part TEXT NOT NULL,
    subtree_part TEXT NOT NULL,
    built_at TEXT NOT NULL,
    PRIMARY KEY (org_id, period_from, period_to)
);

CREATE INDEX meeting_parts_open ON meeting_parts (open_on);

-- Writes outside the meetings area, by subtree: report snapshots (every figure but the
-- meetings') depend on these only, so a check-in leaves them valid. Snapshots now also keep
-- periods that have not ended, for the day they were computed on.
ALTER TABLE org_changes ADD COLUMN registry_n BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_snapshots ADD COLUMN open_on TEXT;
-- Snapshots kept before held the meeting figures too and followed the subtree counter.
DELETE FROM report_snapshots;
