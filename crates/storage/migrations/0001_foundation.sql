-- The foundation: organizations with their history, members, memberships, rollups, audit.
-- One schema for both backends. Tokens in double braces are the few places where the
-- backends differ; see `migrate.rs`. Dates are ISO-8601 text ('2025-07-01'), timestamps
-- RFC 3339 UTC text: their text order is their time order on both backends.

CREATE TABLE org_events (
    id {{id}},
    change TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    decision TEXT,
    note TEXT,
    details {{json}} NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE orgs (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES orgs(id),
    path {{key}} NOT NULL,
    depth BIGINT NOT NULL,
    founded_on TEXT NOT NULL,
    dissolved_on TEXT,
    successor_id BIGINT REFERENCES orgs(id),
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);

-- Every state an organization has been in: [valid_from, valid_to).
CREATE TABLE org_versions (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES orgs(id),
    path {{key}} NOT NULL,
    event_id BIGINT NOT NULL REFERENCES org_events(id)
);
CREATE INDEX org_versions_org ON org_versions (org_id, valid_from);
CREATE INDEX org_versions_path ON org_versions (path, valid_from);

CREATE TABLE members (
    id {{id}},
    full_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    sort_key {{key}} NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    citizen_id TEXT UNIQUE,
    party_card_no TEXT UNIQUE,
    admitted_on TEXT,
    official_on TEXT,
    status TEXT NOT NULL,
    status_since TEXT NOT NULL,
    -- The cell that holds the member's official membership now, and its path, so that
    -- subtree lists are one range scan. NULL once the member has left.
    org_id BIGINT REFERENCES orgs(id),
    org_path {{key}},
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_org_path ON members (org_path, sort_key);
CREATE INDEX members_org ON members (org_id);

-- Word-suffix keys of the folded name: "nguyen van an", "van an", "an". A search for a
-- prefix of any of them is one range scan.
CREATE TABLE member_name_keys (
    key {{key}} NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id)
);
CREATE INDEX member_name_keys_key ON member_name_keys (key);
CREATE INDEX member_name_keys_member ON member_name_keys (member_id);

CREATE TABLE member_statuses (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    status TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    reason TEXT,
    decision TEXT
);
CREATE INDEX member_statuses_member ON member_statuses (member_id, valid_from);

CREATE TABLE memberships (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    note TEXT
);
CREATE INDEX memberships_member ON memberships (member_id, valid_from);
CREATE INDEX memberships_org ON memberships (org_id, valid_from);

-- Rollups of the current state: for every organization, its whole subtree's members by
-- status and organizations by kind. Kept in step by every write, rebuilt by
-- `grassroots rollup rebuild`.
CREATE TABLE org_member_counts (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, status)
);
CREATE TABLE org_kind_counts (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

CREATE TABLE audit_log (
    id {{id}},
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- The path of the organization the record belongs to, so each committee sees its own.
    org_path {{key}} NOT NULL,
    before_json {{json}},
    after_json {{json}}
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_path ON audit_log (org_path, at);
