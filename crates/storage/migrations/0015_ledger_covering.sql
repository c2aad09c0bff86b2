-- The dues ledger (crates/storage/src/lifecycle/dues_ledger.rs) reads the payments and the
-- status spans of five hundred members a statement; a province's first report of a period
-- reads a hundred thousand ledgers four times over (the dues figures and the meetings' dues
-- alert, for the period and the one before), and its dues figures add up the payments its
-- cells recorded (by `org_path`). With `(member_id, month)`, `(org_path, month)` and
-- `(member_id, valid_from)` each of those rows was looked up in the table for its amount,
-- status or end; these wider indexes answer the reads from their own entries, and serve
-- every lookup the narrower ones served (same leading columns), so they replace them.
CREATE INDEX dues_payments_member_paid ON dues_payments (member_id, month, amount_vnd);
DROP INDEX dues_payments_member;
CREATE INDEX dues_payments_path_paid ON dues_payments (org_path, month, amount_vnd);
DROP INDEX dues_payments_path;
CREATE INDEX member_statuses_member_span ON member_statuses (member_id, valid_from, status, valid_to);
DROP INDEX member_statuses_member;
