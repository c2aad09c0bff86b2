-- The annual review and classification (kiểm điểm, đánh giá, xếp loại) of members and of
-- organizations (grassroots organizations and cells under a grassroots committee).
--
-- One classification per subject and year: a correction is a new row with the next
-- `revision` that names the row it `supersedes`; the old row stays as history. The current
-- classification of a subject and year is the one no other row supersedes.
CREATE TABLE classifications (
    id {{id}},
    -- `member` or `org`; `subject_id` is the member's or the organization's id.
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    member_id BIGINT REFERENCES members(id),
    -- The organization classified, or the cell the member held membership in that year.
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    -- The grassroots organization the subject counts in (the quota of "excellent" is per
    -- grassroots organization and year).
    grassroots_id BIGINT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    supersedes BIGINT UNIQUE REFERENCES classifications(id),
    level TEXT NOT NULL,
    points BIGINT,
    -- The rulebook in force on the decision date, and its scheme (`quota` or `points`).
    rulebook TEXT NOT NULL,
    scheme TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES orgs(id),
    note TEXT,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, year, revision)
);
-- Reads go from the organizations of a subtree (a path range) to their records of a year.
CREATE INDEX classifications_org_year ON classifications (org_id, year);
CREATE INDEX classifications_grassroots_year ON classifications (grassroots_id, year);

-- Report snapshots kept before this migration were computed without the classification
-- figures; they are derived data and are computed again on the next report.
DELETE FROM report_snapshots;
