-- Handover minutes (biên bản bàn giao) of block transfers: when a merger, split or move
-- hands whole organizations over with their members, the minutes are kept with the tree
-- change they belong to (`event_id`). One row per handing and receiving pair; the paths
-- are where both stood when the minutes were recorded. Nothing here is ever deleted.
CREATE TABLE org_handovers (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES org_events(id),
    minutes_no TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    from_org_id BIGINT NOT NULL REFERENCES orgs(id),
    from_path {{key}} NOT NULL,
    to_org_id BIGINT NOT NULL REFERENCES orgs(id),
    to_path {{key}} NOT NULL,
    org_count BIGINT NOT NULL,
    member_count BIGINT NOT NULL,
    handed_by TEXT NOT NULL,
    received_by TEXT NOT NULL,
    note TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX org_handovers_from ON org_handovers (from_org_id, signed_on);
CREATE INDEX org_handovers_to ON org_handovers (to_org_id, signed_on);
CREATE INDEX org_handovers_event ON org_handovers (event_id);

-- The members a handover lists: every active member of what was handed over, with the cell
-- they were in when it was signed.
CREATE TABLE org_handover_members (
    handover_id BIGINT NOT NULL REFERENCES org_handovers(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (handover_id, member_id)
);
CREATE INDEX org_handover_members_member ON org_handover_members (member_id);
