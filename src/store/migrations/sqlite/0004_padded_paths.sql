-- 0004_padded_paths: path components become 10-digit zero-padded ids ('/0000000001/0000000005/'),
-- so ordering by path is tree order (creation order among siblings), not '/1/10/' before '/1/2/'.
WITH RECURSIVE t(id, p) AS (
  SELECT id, '/' || printf('%010d', id) || '/' FROM orgs WHERE parent_id IS NULL
  UNION ALL
  SELECT o.id, t.p || printf('%010d', o.id) || '/' FROM orgs o JOIN t ON o.parent_id = t.id
)
UPDATE orgs SET path = (SELECT p FROM t WHERE t.id = orgs.id);
UPDATE members SET org_path = (SELECT path FROM orgs WHERE orgs.id = members.org_id);
