-- Meetings of cells and committees, attendance, observers from superior committees, quality
-- evaluations, and cell committees (which the cell rules ask about). Nothing here is ever
-- deleted: a meeting not held is cancelled with its reason, a correction keeps its audit.

CREATE TABLE meetings (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    status TEXT NOT NULL,
    agenda TEXT,
    topic TEXT,
    minutes TEXT,
    -- A JSON array of the resolutions adopted, as text.
    resolutions {{json}} NOT NULL,
    cancel_reason TEXT,
    -- The code members type to check themselves in.
    check_in_code TEXT NOT NULL,
    -- Set when the secretary records the attendance list; a second list is refused.
    attendance_recorded_at TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_org_date ON meetings (org_id, held_on);
CREATE INDEX meetings_date ON meetings (held_on);

CREATE TABLE meeting_attendance (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    status TEXT NOT NULL,
    reason TEXT,
    -- home: a member of the cell; guest: on temporary transfer to it, counted separately.
    role TEXT NOT NULL,
    -- list (the secretary's entry), self (check-in with the code), correction.
    source TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance (member_id, meeting_id);

-- Members of a superior committee assigned to attend a subordinate's meeting (seed 002).
CREATE TABLE meeting_observers (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    committee_org_id BIGINT NOT NULL REFERENCES orgs(id),
    note TEXT,
    assigned_at TEXT NOT NULL,
    UNIQUE (meeting_id, member_id)
);

-- A superior committee's classification of a meeting's quality (seed 004).
CREATE TABLE meeting_evaluations (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    evaluator_org_id BIGINT NOT NULL REFERENCES orgs(id),
    level TEXT NOT NULL,
    notes TEXT,
    evaluated_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (meeting_id, evaluator_org_id)
);

-- A cell's elected committee (secretary and deputy), in force [elected_on, ended_on).
CREATE TABLE cell_committees (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    elected_on TEXT NOT NULL,
    ended_on TEXT,
    secretary_member_id BIGINT NOT NULL REFERENCES members(id),
    deputy_member_id BIGINT REFERENCES members(id),
    decision TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX cell_committees_org ON cell_committees (org_id, elected_on);
