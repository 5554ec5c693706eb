-- 0007_dues_reports: a branch reports its month's dues up to the committee whose ledger covers it
-- (DUES-13: branches hand collected dues to their committee); after that the branch's month is
-- closed to new payments, while the committee settles the whole ledger later.
CREATE TABLE dues_reports (
  org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE, -- the reporting branch
  month        TEXT NOT NULL,                  -- 'YYYY-MM'
  paid_count   INTEGER NOT NULL,               -- payments in the branch that month when reported
  paid_fen     BIGINT NOT NULL,                  -- their total
  reported_at  TEXT NOT NULL,
  reported_by  TEXT NOT NULL,
  PRIMARY KEY (org_id, month)
);
