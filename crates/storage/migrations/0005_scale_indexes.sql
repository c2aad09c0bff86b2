-- Indexes that `grassroots bench` showed the national scale needs.
--
-- The member list is ordered by (sort_key, id). `members_org_path` serves a narrow subtree
-- (a cell, a commune: a few thousand rows, sorted in memory), but for a province or the
-- whole nation the list would sort millions of rows to show the first fifty. With this
-- index the planner walks the members in list order and stops after one page; keyset
-- cursors continue from any page with one index seek.
CREATE INDEX members_sort ON members (sort_key, id);
