-- Documents and their cascade, dissemination and study, training courses.
-- Records belong to an organization by id and are scoped through `orgs.path`, so they
-- follow their organization when the tree is reshaped.

CREATE TABLE documents (
    id {{id}},
    issuer_org_id BIGINT NOT NULL REFERENCES orgs(id),
    issuer_code TEXT NOT NULL,
    type_code TEXT NOT NULL,
    term TEXT NOT NULL,
    number BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    status TEXT NOT NULL,
    -- The higher document this one concretizes (a provincial plan under a directive).
    parent_id BIGINT REFERENCES documents(id),
    -- Document ids from the top of the cascade down to this one: `/12/40/77/`.
    cascade_path {{key}} NOT NULL,
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (issuer_org_id, type_code, term, number)
);
CREATE INDEX documents_issuer ON documents (issuer_org_id, issued_on);
CREATE INDEX documents_cascade ON documents (cascade_path);
CREATE INDEX documents_number ON documents (number, type_code, issuer_code);

-- The last number given per issuer, type and term. Incrementing this row inside the write
-- transaction serializes concurrent registrations (a row lock on PostgreSQL, the single
-- writer on SQLite); the unique constraint above is the backstop.
CREATE TABLE document_counters (
    issuer_org_id BIGINT NOT NULL REFERENCES orgs(id),
    type_code TEXT NOT NULL,
    term TEXT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (issuer_org_id, type_code, term)
);

-- Organization kinds expected to concretize a document in their own plan or program.
CREATE TABLE document_expectations (
    document_id BIGINT NOT NULL REFERENCES documents(id),
    org_kind TEXT NOT NULL,
    PRIMARY KEY (document_id, org_kind)
);

CREATE TABLE document_files (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content {{bytes}} NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE INDEX document_files_document ON document_files (document_id);

CREATE TABLE document_tasks (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES documents(id),
    title TEXT NOT NULL,
    assignee_org_id BIGINT REFERENCES orgs(id),
    due_on TEXT,
    done_on TEXT,
    note TEXT
);
CREATE INDEX document_tasks_document ON document_tasks (document_id);

-- Preliminary (sơ kết) and final (tổng kết) reviews held by an organization.
CREATE TABLE document_reviews (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES documents(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    note TEXT
);
CREATE INDEX document_reviews_document ON document_reviews (document_id);
CREATE INDEX document_reviews_org ON document_reviews (org_id, held_on);

CREATE TABLE dissemination_events (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    non_member_count BIGINT NOT NULL,
    note TEXT
);
CREATE INDEX dissemination_events_org ON dissemination_events (org_id, held_on);

CREATE TABLE dissemination_documents (
    event_id BIGINT NOT NULL REFERENCES dissemination_events(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (event_id, document_id)
);

CREATE TABLE dissemination_attendees (
    event_id BIGINT NOT NULL REFERENCES dissemination_events(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    PRIMARY KEY (event_id, member_id)
);
CREATE INDEX dissemination_attendees_member ON dissemination_attendees (member_id);

-- A member's own list of documents to study.
CREATE TABLE study_assignments (
    id {{id}},
    member_id BIGINT NOT NULL REFERENCES members(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    assigned_on TEXT NOT NULL,
    due_on TEXT,
    studied_on TEXT,
    UNIQUE (member_id, document_id)
);

CREATE TABLE courses (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    note TEXT
);
CREATE INDEX courses_org ON courses (org_id, starts_on);

CREATE TABLE course_sessions (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES courses(id),
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL
);
CREATE INDEX course_sessions_course ON course_sessions (course_id);

-- A participant is a member of the registry or a named person who is not a member (an
-- outstanding candidate in an awareness class).
CREATE TABLE course_participants (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES courses(id),
    member_id BIGINT REFERENCES members(id),
    person_name TEXT,
    person_birth_date TEXT,
    result TEXT,
    score DOUBLE PRECISION,
    certificate_no TEXT,
    certificate_on TEXT,
    UNIQUE (course_id, member_id),
    UNIQUE (course_id, certificate_no),
    CHECK ((member_id IS NULL) <> (person_name IS NULL))
);
CREATE INDEX course_participants_member ON course_participants (member_id);
