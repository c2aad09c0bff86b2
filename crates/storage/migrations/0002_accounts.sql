-- Accounts: users, the roles they hold on subtrees of the tree, and their sign-in sessions.

CREATE TABLE users (
    id {{id}},
    username TEXT NOT NULL UNIQUE,
    -- An argon2 PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    language TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    -- The member record of a user who holds the `member` role (their own record).
    member_id BIGINT REFERENCES members(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A role held on the subtree rooted at `org_id`; NULL means the whole tree (administrators).
-- Revoked assignments are kept with their revocation time: nothing is deleted.
CREATE TABLE role_assignments (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id BIGINT REFERENCES orgs(id),
    granted_at TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);

-- Sessions are found by the SHA-256 of the cookie's token, so a leaked table gives no
-- usable cookie.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
