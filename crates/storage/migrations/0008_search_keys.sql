-- Member search at national scale (issue 6: p95 < 50 ms at 5.6 million members).
--
-- A search returns members in the order of their matching name key, then the list order
-- (sort_key), then id: (key, sort_key, member_id). Each name key therefore carries the
-- member's list order, status and place, so that a page is one short index range scan that
-- stops after a page of rows in scope, whatever the prefix (see `members/search.rs`):
--   member_search_key       (key, ...)                the whole nation;
--   member_search_province  (province_path, key, ...) one province (the first two levels
--                                                     of the path), or a large part of one;
--   member_search_path      (org_path, key, ...)      a small subtree (a commune, a cell):
--                                                     its members' keys, filtered and sorted.
-- The copies follow the member through the triggers below, whatever code changes the member.
ALTER TABLE member_name_keys ADD COLUMN sort_key {{key}} NOT NULL DEFAULT '';
ALTER TABLE member_name_keys ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE member_name_keys ADD COLUMN org_path {{key}};
ALTER TABLE member_name_keys ADD COLUMN province_path {{key}};

UPDATE member_name_keys SET
    sort_key = (SELECT m.sort_key FROM members m WHERE m.id = member_name_keys.member_id),
    status = (SELECT m.status FROM members m WHERE m.id = member_name_keys.member_id),
    org_path = (SELECT m.org_path FROM members m WHERE m.id = member_name_keys.member_id);

DROP INDEX member_name_keys_key;
CREATE INDEX member_search_key ON member_name_keys (key, sort_key, member_id, status, org_path);
CREATE INDEX member_search_province ON member_name_keys (province_path, key, sort_key, member_id, status, org_path);
CREATE INDEX member_search_path ON member_name_keys (org_path, key, sort_key, member_id, status);

-- The province path: `/1/17/342/` gives `/1/17/`; a path of one or two levels is its own.
-- @sqlite
UPDATE member_name_keys SET province_path = CASE
    WHEN org_path IS NULL THEN NULL
    WHEN instr(substr(org_path, instr(substr(org_path, 2), '/') + 2), '/') = 0 THEN org_path
    ELSE substr(org_path, 1, instr(substr(org_path, 2), '/') + 1
        + instr(substr(org_path, instr(substr(org_path, 2), '/') + 2), '/'))
    END;

CREATE TRIGGER member_name_keys_follow AFTER UPDATE OF sort_key, status, org_path ON members
WHEN OLD.sort_key IS NOT NEW.sort_key OR OLD.status IS NOT NEW.status
    OR OLD.org_path IS NOT NEW.org_path
BEGIN
    UPDATE member_name_keys SET
        sort_key = NEW.sort_key,
        status = NEW.status,
        org_path = NEW.org_path,
        province_path = CASE
            WHEN NEW.org_path IS NULL THEN NULL
            WHEN instr(substr(NEW.org_path, instr(substr(NEW.org_path, 2), '/') + 2), '/') = 0
                THEN NEW.org_path
            ELSE substr(NEW.org_path, 1, instr(substr(NEW.org_path, 2), '/') + 1
                + instr(substr(NEW.org_path, instr(substr(NEW.org_path, 2), '/') + 2), '/'))
            END
    WHERE member_id = NEW.id;
END;
-- @postgres
UPDATE member_name_keys SET
    province_path = COALESCE(substring(org_path from '^/[^/]*/[^/]*/'), org_path);

CREATE FUNCTION member_name_keys_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE member_name_keys SET
        sort_key = NEW.sort_key,
        status = NEW.status,
        org_path = NEW.org_path,
        province_path = COALESCE(substring(NEW.org_path from '^/[^/]*/[^/]*/'), NEW.org_path)
    WHERE member_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER member_name_keys_follow AFTER UPDATE OF sort_key, status, org_path ON members
FOR EACH ROW WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.org_path IS DISTINCT FROM NEW.org_path)
EXECUTE FUNCTION member_name_keys_follow();
-- @both
