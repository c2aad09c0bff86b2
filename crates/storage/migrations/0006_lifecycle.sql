-- The membership lifecycle: candidates and their admission steps, probation courses and
-- official recognition, transfer introduction letters, removal/expulsion/death/re-admission
-- outcomes, party cards, and dues (income declarations, reliefs, payments).
-- Nothing here is ever deleted: corrections are new rows, ends are dates.

-- Outstanding persons (quần chúng ưu tú) on the way to admission, held by the cell that
-- prepares them. `member_id` is set by the admission decision.
CREATE TABLE candidates (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path {{key}} NOT NULL,
    full_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    sort_key {{key}} NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    citizen_id TEXT,
    registered_on TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id),
    withdrawn_on TEXT,
    withdrawn_reason TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX candidates_org_path ON candidates (org_path, sort_key);

-- Each admission step as a dated record. `seq` tells introductions apart (the introducer's
-- member id) and is 0 for the other steps, so a step cannot be recorded twice.
CREATE TABLE candidate_steps (
    id {{id}},
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    step TEXT NOT NULL,
    seq BIGINT NOT NULL,
    done_on TEXT NOT NULL,
    document TEXT,
    details {{json}} NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (candidate_id, step, seq)
);
CREATE INDEX candidate_steps_step ON candidate_steps (step, done_on);

-- The new-member political theory course that probation requires.
CREATE TABLE new_member_courses (
    id {{id}},
    member_id BIGINT NOT NULL UNIQUE REFERENCES members(id),
    completed_on TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Official recognition after probation, dated back to the end of probation.
CREATE TABLE recognitions (
    id {{id}},
    member_id BIGINT NOT NULL UNIQUE REFERENCES members(id),
    org_path {{key}} NOT NULL,
    ceremony_on TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    official_on TEXT NOT NULL,
    review_due TEXT NOT NULL,
    late BIGINT NOT NULL,
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX recognitions_path ON recognitions (org_path, reviewed_on);

-- Introduction letters of official transfers (giấy giới thiệu sinh hoạt đảng).
-- state: issued -> accepted | cancelled. A letter past `valid_until` can no longer be accepted.
CREATE TABLE transfer_letters (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    from_org_id BIGINT NOT NULL REFERENCES orgs(id),
    from_path {{key}} NOT NULL,
    to_org_id BIGINT NOT NULL REFERENCES orgs(id),
    to_path {{key}} NOT NULL,
    document TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    state TEXT NOT NULL,
    accepted_on TEXT,
    cancelled_reason TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX transfer_letters_member ON transfer_letters (member_id, issued_on);
CREATE INDEX transfer_letters_from ON transfer_letters (from_path, accepted_on);
CREATE INDEX transfer_letters_to ON transfer_letters (to_path, accepted_on);

-- Removal from the list, expulsion, death, re-admission: the decision and its date.
CREATE TABLE member_outcomes (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    document TEXT NOT NULL,
    reason TEXT,
    org_path {{key}} NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX member_outcomes_member ON member_outcomes (member_id, effective_on);
CREATE INDEX member_outcomes_path ON member_outcomes (org_path, effective_on);

-- Party cards with their history: a lost card is kept with its end, never reused.
-- state: valid | lost | damaged | revoked
CREATE TABLE party_cards (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    card_no TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    state TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX party_cards_member ON party_cards (member_id, issued_on);

-- Income declared for dues from a month on ('YYYY-MM'); the latest declaration not after a
-- month applies to it.
CREATE TABLE dues_incomes (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    from_month TEXT NOT NULL,
    kind TEXT NOT NULL,
    base_vnd BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (member_id, from_month)
);

-- Exemptions (percent 100, with a reason) and reductions for months [from_month, to_month].
CREATE TABLE dues_reliefs (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    from_month TEXT NOT NULL,
    to_month TEXT NOT NULL,
    exemption TEXT,
    percent BIGINT NOT NULL,
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX dues_reliefs_member ON dues_reliefs (member_id, from_month);

-- Payments recorded by the cell, per member and month (several rows add up).
CREATE TABLE dues_payments (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    month TEXT NOT NULL,
    amount_vnd BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path {{key}} NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX dues_payments_member ON dues_payments (member_id, month);
CREATE INDEX dues_payments_path ON dues_payments (org_path, month);
