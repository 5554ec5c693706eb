-- 0005_dues: party dues (RULES.md section 2): each member's standard, the monthly ledgers of
-- committees, payments (idempotent by transaction reference). Months are TEXT 'YYYY-MM'.

CREATE TABLE dues_standards (
  id               INTEGER PRIMARY KEY,
  member_id        INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  category         TEXT NOT NULL,               -- dues category (in_service, retired, farmer, ...)
  base_fen         INTEGER NOT NULL,            -- monthly base after tax, fen (0 for fixed amounts)
  per_mille        INTEGER,                     -- rate; NULL for fixed amounts and reductions
  amount_fen       INTEGER NOT NULL,            -- monthly dues, fen
  effective_month  TEXT NOT NULL,               -- first month this standard applies to
  reduction_reason TEXT NOT NULL DEFAULT '',    -- DUES-07: why less or nothing is paid
  approved_by      TEXT NOT NULL DEFAULT '',    -- who approved the reduction
  approved_on      TEXT,                        -- when
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  UNIQUE (member_id, effective_month)
);

CREATE TABLE dues_months (
  org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE, -- the committee whose subtree it covers
  month       TEXT NOT NULL,                    -- 'YYYY-MM'
  status      TEXT NOT NULL,                    -- open, reported, settled
  opened_at   TEXT NOT NULL,
  opened_by   TEXT NOT NULL,
  reported_at TEXT,
  settled_at  TEXT,
  PRIMARY KEY (org_id, month)
);

CREATE TABLE dues_payments (
  id            INTEGER PRIMARY KEY,
  member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  month         TEXT NOT NULL,                  -- the month paid for
  org_id        INTEGER NOT NULL REFERENCES orgs(id), -- the member's organisation when paid
  amount_fen    INTEGER NOT NULL,               -- paid, fen (may exceed the standard)
  standard_fen  INTEGER NOT NULL,               -- the standard at the time
  method        TEXT NOT NULL,                  -- cash, bank, online
  paid_on       TEXT NOT NULL,                  -- date of payment
  payer_name    TEXT NOT NULL DEFAULT '',       -- 代缴: who paid for the member, '' for the member
  reference     TEXT UNIQUE,                    -- bank/platform transaction number (idempotency)
  central_remit INTEGER NOT NULL DEFAULT 0,     -- DUES-08: voluntary extra of 1000 yuan or more
  note          TEXT NOT NULL DEFAULT '',
  recorded_by   TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (member_id, month)
);
CREATE INDEX dues_payments_month ON dues_payments(month, org_id);

CREATE TABLE dues_spending (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES orgs(id),  -- the committee whose retained dues were spent
  spent_on      TEXT NOT NULL,                  -- date
  category      TEXT NOT NULL,                  -- DUES-14: training, materials, commendation, hardship, disaster
  amount_fen    INTEGER NOT NULL,
  description   TEXT NOT NULL,
  approved_by   TEXT NOT NULL,                  -- who approved the spending
  approval_doc  TEXT NOT NULL DEFAULT '',       -- approval document number
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX dues_spending_org ON dues_spending(org_id, spent_on);

CREATE TABLE dues_orders (
  id            INTEGER PRIMARY KEY,                            -- order number given to the payment provider
  member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  months        TEXT NOT NULL,                  -- 'YYYY-MM,YYYY-MM,...' the order pays for
  amount_fen    INTEGER NOT NULL,
  provider      TEXT NOT NULL,                  -- 'simulated'
  status        TEXT NOT NULL,                  -- pending, paid
  provider_ref  TEXT UNIQUE,                    -- the provider's transaction number, once paid
  created_at    TEXT NOT NULL,
  paid_at       TEXT
);
