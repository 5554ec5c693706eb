-- 0002_stats: figures per organisation kept in the same transaction as every member change,
-- so a subtree's counts cost one indexed lookup (DESIGN.md performance notes), and each
-- member's organisation path, so subtree member lists are an index range.

ALTER TABLE members ADD COLUMN org_path TEXT NOT NULL DEFAULT '';  -- copy of orgs.path of org_id
UPDATE members SET org_path = (SELECT path FROM orgs WHERE orgs.id = members.org_id);
CREATE INDEX members_org_path ON members(org_path, id);

CREATE TABLE org_stats (
  org_id  INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  dim     TEXT NOT NULL,     -- 'direct' (status of the org's own members) or a subtree dimension:
                             -- status, gender, category, education (main level), ethnicity, birth_year
  key     TEXT NOT NULL,     -- the value counted ('full', 'male', '20', '01', '1990', ...)
  n       INTEGER NOT NULL,  -- members with that value
  PRIMARY KEY (org_id, dim, key)
);

INSERT INTO org_stats (org_id, dim, key, n)
  SELECT org_id, 'direct', status, COUNT(*) FROM members GROUP BY org_id, status;
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'status', m.status, COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0' GROUP BY a.id, m.status;
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'gender', m.gender, COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0' GROUP BY a.id, m.gender;
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'category', m.category, COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0' GROUP BY a.id, m.category;
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'education', substr(m.education, 1, 1) || '0', COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0'
    GROUP BY a.id, substr(m.education, 1, 1) || '0';
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'ethnicity', m.ethnicity, COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0' GROUP BY a.id, m.ethnicity;
INSERT INTO org_stats (org_id, dim, key, n)
  SELECT a.id, 'birth_year', substr(m.birth_date, 1, 4), COUNT(*) FROM orgs a JOIN members m
    ON m.org_path >= a.path AND m.org_path < substr(a.path, 1, length(a.path) - 1) || '0'
    GROUP BY a.id, substr(m.birth_date, 1, 4);
