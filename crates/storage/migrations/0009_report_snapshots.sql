-- Report snapshots: the figures of a closed period (one that ended before today) are
-- computed from the records once and kept, so that a report of a past year at national
-- scale is one read instead of scans of the history tables.
--
-- A snapshot stays valid while nothing in the organization's subtree changes. Every audited
-- write adds one to `org_changes.n` of each organization on the paths it touches and of
-- their ancestors; a change of the tree itself (create, move, merge, split, dissolve) also
-- adds one to the row of organization 0, which every snapshot depends on. A snapshot
-- records the sum of both counters when it was computed; the counters only grow, so an
-- equal sum means that neither moved.

CREATE TABLE org_changes (
    org_id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE TABLE report_snapshots (
    org_id BIGINT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    -- The program version and rulebook the figures were computed with.
    stamp TEXT NOT NULL,
    changes BIGINT NOT NULL,
    figures {{json}} NOT NULL,
    built_at TEXT NOT NULL,
    PRIMARY KEY (org_id, period_from, period_to)
);

-- A report counts admissions and status changes of a period in a subtree. Without these
-- indexes each is a scan of the subtree's members (a province: hundreds of thousands) or of
-- every status span; with them, the rows of the period (a year is about one fiftieth of the
-- members) are read and filtered by path.
CREATE INDEX members_admitted ON members (admitted_on);
CREATE INDEX member_statuses_from ON member_statuses (valid_from);
