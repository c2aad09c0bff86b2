-- The report's registry figures read a subtree's members by path range and look only at
-- their status and admission date: admissions of the period, badges due (members grouped
-- by admission date), probation, the members who owe dues, status changes. With
-- `members_org_path (org_path, sort_key)` each of those reads looked every member of the
-- range up in the table (a province: about a hundred thousand random reads per figure);
-- this index answers them from its own entries.
CREATE INDEX members_path_status_admitted ON members (org_path, status, admitted_on);

-- Dues figures kept per organization (crates/storage/src/lifecycle/dues_parts.rs): what the
-- organization's own current members were due over a span of months, how many of them left
-- some unpaid, and what it collected. Computing them takes every member's dues ledger; a report adds up the
-- kept parts of its subtree and computes again only those whose organization's own
-- registry counter moved (a payment, an income, a status change of one of its members).
ALTER TABLE org_changes ADD COLUMN registry_own_n BIGINT NOT NULL DEFAULT 0;

CREATE TABLE dues_parts (
    org_id BIGINT NOT NULL,
    month_from TEXT NOT NULL,
    month_to TEXT NOT NULL,
    -- The program version and the rulebook of the last month.
    stamp TEXT NOT NULL,
    tree_n BIGINT NOT NULL,
    registry_own_n BIGINT NOT NULL,
    due_vnd BIGINT NOT NULL,
    arrears_members BIGINT NOT NULL,
    -- Payments recorded by the organization for those months.
    collected_vnd BIGINT NOT NULL,
    PRIMARY KEY (org_id, month_from, month_to)
);
