-- 0009_sanctions: Party disciplinary sanctions (党纪处分, RULES.md 6.1): the five types with the
-- date the decision takes effect, who decided and approved, and the end of the effect period
-- (DISC-02) kept beside it so subtree lists can ask what is in effect on a day. A 留党察看 ends
-- with restoration of the member's rights or with expulsion (outcome, ended_on). Subtree lists
-- use the member's org_path, so moving an organisation rewrites nothing here.

CREATE TABLE sanctions (
  id               INTEGER PRIMARY KEY,               -- sanction id
  member_id        INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  type             TEXT NOT NULL,                     -- warning, serious_warning, removal_from_post, probation, expulsion
  decided_on       TEXT NOT NULL,                     -- YYYY-MM-DD the decision takes effect
  probation_months INTEGER,                           -- 留党察看 only: 12 or 24; NULL otherwise
  effect_end       TEXT,                              -- first day the period is over (DISC-02); NULL for expulsion
  basis            TEXT NOT NULL DEFAULT '',          -- 依据: facts, decision document number
  decided_by       TEXT NOT NULL DEFAULT '',          -- deciding body (支部党员大会, a committee, a discipline commission)
  approved_by      TEXT,                              -- approving body, NULL none recorded
  approved_on      TEXT,                              -- date of approval, NULL none recorded
  outcome          TEXT,                              -- 留党察看 ended: restored or expelled; NULL while open / other types
  ended_on         TEXT,                              -- date of the restoration or the expulsion ending a 留党察看
  created_by       TEXT NOT NULL,                     -- username or 'cli'
  created_at       TEXT NOT NULL,                     -- when recorded
  updated_at       TEXT NOT NULL                      -- last change (the end of a 留党察看)
);
CREATE INDEX sanctions_member ON sanctions(member_id, decided_on, id);
CREATE INDEX sanctions_type ON sanctions(type, member_id);
