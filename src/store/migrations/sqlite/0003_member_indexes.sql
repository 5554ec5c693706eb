-- 0003_member_indexes: name search is a substring match (LIKE '%q%') that no index serves, and
-- subtree lists use members_org_path; keep only a plain org_id index (deletes, foreign keys).
DROP INDEX members_name;
DROP INDEX members_org_name;
CREATE INDEX members_org ON members(org_id);
