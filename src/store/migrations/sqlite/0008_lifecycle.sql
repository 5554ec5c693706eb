-- 0008_lifecycle: the member lifecycle (RULES.md sections 1, 4 and 6.3): member states (lost
-- contact, suspension, leaving, transferred out) with their history, development cases with
-- their 25 steps and yearly quotas, transfers of organisational relations with introduction
-- letter numbers, and mobile members. Only 'active' and 'lost' members are counted (figures,
-- lists, dues, meetings). Subtree lists join orgs for the path range (these tables are small
-- next to members), so moving an organisation rewrites nothing here.

ALTER TABLE members ADD COLUMN state TEXT NOT NULL DEFAULT 'active'; -- active, lost, suspended, left, transferred
ALTER TABLE members ADD COLUMN state_on TEXT;         -- date the current state began, NULL for active
ALTER TABLE members ADD COLUMN state_code TEXT;       -- exit reason or lost-contact situation, NULL none
ALTER TABLE members ADD COLUMN mobile INTEGER NOT NULL DEFAULT 0; -- 1: an open outflow registration (流动党员)

CREATE TABLE member_states (
  id           INTEGER PRIMARY KEY,               -- event id
  member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  from_state   TEXT NOT NULL,                     -- state before (member_state JSON name)
  to_state     TEXT NOT NULL,                     -- state after
  code         TEXT,                              -- exit reason or lost situation code, NULL none
  happened_on  TEXT NOT NULL,                     -- exit date, last contact, suspension or restoration date
  basis        TEXT NOT NULL DEFAULT '',          -- 依据: decision, document number, summary
  approved_by  TEXT,                              -- approving organisation or body, NULL none
  approved_on  TEXT,                              -- date of approval, NULL none
  created_by   TEXT NOT NULL,                     -- username or 'cli'
  created_at   TEXT NOT NULL                      -- when recorded
);
CREATE INDEX member_states_member ON member_states(member_id, id);

CREATE TABLE applicants (
  id              INTEGER PRIMARY KEY,               -- case id
  org_id          INTEGER NOT NULL REFERENCES orgs(id), -- the branch developing the person
  name            TEXT NOT NULL,                     -- normalised name
  gender          TEXT NOT NULL,                     -- male / female
  ethnicity       TEXT NOT NULL,                     -- GB/T 3304 code '01'
  birth_date      TEXT NOT NULL,                     -- YYYY-MM-DD
  id_card_enc     TEXT NOT NULL,                     -- SM4-CTR + HMAC-SM3 sealed identity number
  id_card_hash    TEXT NOT NULL,                     -- HMAC-SM3 keyed hash (not unique: a stopped case may be reopened)
  id_card_masked  TEXT NOT NULL,                     -- 110105********002X, for lists
  education       TEXT NOT NULL,                     -- GB/T 4658 code
  phone_enc       TEXT,                              -- sealed phone number, NULL when none
  phone_masked    TEXT,                              -- 138****5678
  native_place    TEXT NOT NULL DEFAULT '',          -- 籍贯
  work_unit       TEXT NOT NULL DEFAULT '',          -- 工作单位
  job             TEXT NOT NULL DEFAULT '',          -- 职务
  category        TEXT NOT NULL,                     -- in_service, retired, farmer, student, unemployed, other
  stage           TEXT NOT NULL,                     -- applicant, activist, candidate, probationary, full
  status          TEXT NOT NULL,                     -- open, completed, cancelled, stopped
  stop_reason     TEXT,                              -- why stopped or cancelled, NULL otherwise
  rule_version    TEXT NOT NULL,                     -- '2014' or '2026': the rules the case is checked against
  step            INTEGER NOT NULL,                  -- highest step recorded, 1..25
  applied_on      TEXT NOT NULL,                     -- step 1: application handed in
  activist_on     TEXT,                              -- step 3: named activist
  candidate_on    TEXT,                              -- step 7: named candidate
  admitted_on     TEXT,                              -- step 15: branch meeting admitted
  approved_on     TEXT,                              -- step 17: committee approved (probation starts)
  probation_end   TEXT,                              -- end of the probation (moves on extension)
  full_on         TEXT,                              -- full membership
  extensions      INTEGER NOT NULL DEFAULT 0,        -- probation extensions so far (0 or 1)
  member_id       INTEGER REFERENCES members(id) ON DELETE SET NULL, -- member record from step 17
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX applicants_org ON applicants(org_id, id);
CREATE INDEX applicants_id_card ON applicants(id_card_hash);
CREATE INDEX applicants_member ON applicants(member_id);

CREATE TABLE dev_steps (
  id               INTEGER PRIMARY KEY,              -- step record id
  applicant_id     INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
  step             INTEGER NOT NULL,                 -- 1..25 (RULES.md 1.1)
  on_date          TEXT NOT NULL,                    -- date of the step
  summary          TEXT,                             -- 摘要, conclusion or document, NULL none
  result           TEXT,                             -- pass / fail, NULL where the step has none
  outcome          TEXT,                             -- step 23: full, extend, cancel; NULL otherwise
  has_vote         INTEGER NOT NULL DEFAULT 0,       -- 1: the vote columns hold a vote
  expected         INTEGER NOT NULL DEFAULT 0,       -- voting members expected (应到)
  present          INTEGER NOT NULL DEFAULT 0,       -- present (实到)
  yes              INTEGER NOT NULL DEFAULT 0,       -- in favour
  no               INTEGER NOT NULL DEFAULT 0,       -- against
  abstain          INTEGER NOT NULL DEFAULT 0,       -- abstaining
  written_yes      INTEGER NOT NULL DEFAULT 0,       -- written votes in favour from absent members
  extension_months INTEGER NOT NULL DEFAULT 0,       -- step 23 extend: months
  training_days    INTEGER NOT NULL DEFAULT 0,       -- step 11: days of training
  training_hours   INTEGER NOT NULL DEFAULT 0,       -- step 11: hours of training
  justification    TEXT,                             -- why an exception was accepted, NULL none
  publicity_from   TEXT,                             -- 公示 first day, NULL none
  publicity_to     TEXT,                             -- 公示 last day, NULL none
  approver_org_id  INTEGER REFERENCES orgs(id),      -- steps 13, 17, 24: the deciding committee
  meeting_id       INTEGER REFERENCES meetings(id) ON DELETE SET NULL, -- steps 15, 23: the meeting record
  warnings         TEXT NOT NULL DEFAULT '[]',       -- JSON array [{"rule","message"}] accepted with the step
  rule_version     TEXT NOT NULL,                    -- '2014' or '2026'
  created_by       TEXT NOT NULL,                    -- username or 'cli'
  created_at       TEXT NOT NULL
);
CREATE INDEX dev_steps_applicant ON dev_steps(applicant_id, step, on_date, id);
CREATE INDEX dev_steps_step_on ON dev_steps(step, on_date);

CREATE TABLE dev_step_people (
  step_id    INTEGER NOT NULL REFERENCES dev_steps(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,                       -- order as given
  role       TEXT NOT NULL,                          -- talker, contact, introducer, reviewer, trainer, other
  member_id  INTEGER REFERENCES members(id) ON DELETE SET NULL, -- NULL for someone not in the registry
  name       TEXT NOT NULL DEFAULT '',               -- name as given (the member's name is read when member_id is set)
  PRIMARY KEY (step_id, seq)
);
CREATE INDEX dev_step_people_member ON dev_step_people(member_id);

CREATE TABLE dev_plans (
  org_id     INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE, -- the organisation planning
  year       INTEGER NOT NULL,                       -- calendar year
  quota      INTEGER NOT NULL,                       -- members to develop that year (发展计划)
  updated_at TEXT NOT NULL,                          -- last change
  PRIMARY KEY (org_id, year)
);

CREATE TABLE transfers (
  id              INTEGER PRIMARY KEY,               -- transfer id
  member_id       INTEGER REFERENCES members(id) ON DELETE CASCADE, -- NULL for an inbound letter not yet attached
  kind            TEXT NOT NULL,                     -- in_system, outbound, inbound
  state           TEXT NOT NULL,                     -- requested, sending_approved, letter_issued, registered, completed, returned, cancelled
  from_org_id     INTEGER REFERENCES orgs(id),       -- sending organisation, NULL when outside the system
  to_org_id       INTEGER REFERENCES orgs(id),       -- receiving organisation, NULL when outside the system
  from_text       TEXT,                              -- inbound: sending organisation outside the system
  to_text         TEXT,                              -- outbound: receiving organisation outside the system
  cross_province  INTEGER NOT NULL DEFAULT 0,        -- 1: destination in another province (letter validity)
  reason          TEXT NOT NULL DEFAULT '',          -- 转接原因
  requested_on    TEXT,                              -- date requested
  requested_by    TEXT,                              -- username of the requester
  sending_on      TEXT,                              -- sending committee approved
  sending_by      TEXT,
  receiving_on    TEXT,                              -- receiving committee approved
  receiving_by    TEXT,
  return_reason   TEXT,                              -- why returned, NULL unless returned
  returned_by     TEXT,
  returned_side   TEXT,                              -- sending / receiving
  letter_no       TEXT UNIQUE,                       -- introduction letter number, NULL until issued or registered
  letter_on       TEXT,                              -- letter date
  valid_until     TEXT,                              -- last day of the letter's validity
  dues_paid_to    TEXT,                              -- 'YYYY-MM' dues paid up to, NULL unknown
  receipt_on      TEXT,                              -- 回执 recorded
  receipt_note    TEXT,
  completed_on    TEXT,                              -- transfer completed
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX transfers_from ON transfers(from_org_id, id);
CREATE INDEX transfers_to ON transfers(to_org_id, id);
CREATE INDEX transfers_member ON transfers(member_id, id);
-- At most one open transfer per member (TRANSFER pending check; this guards it).
CREATE UNIQUE INDEX transfers_open ON transfers(member_id)
  WHERE state IN ('requested', 'sending_approved', 'letter_issued');
CREATE INDEX transfers_expiry ON transfers(valid_until) WHERE state = 'letter_issued';

CREATE TABLE letter_seq (
  year     INTEGER PRIMARY KEY,                      -- calendar year of the letters
  last_no  INTEGER NOT NULL                          -- last sequence number issued that year
);

CREATE TABLE mobile_members (
  id              INTEGER PRIMARY KEY,               -- record id
  member_id       INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  state           TEXT NOT NULL,                     -- out, returned
  out_on          TEXT NOT NULL,                     -- date the member went out
  expected_return TEXT,                              -- expected return date, NULL unknown
  returned_on     TEXT,                              -- date returned, NULL while out
  destination     TEXT NOT NULL DEFAULT '',          -- 流向 (place)
  contact         TEXT NOT NULL DEFAULT '',          -- how to reach the member
  reason          TEXT NOT NULL DEFAULT '',          -- 外出原因
  certificate_no  TEXT UNIQUE,                       -- 流动党员活动证 number, NULL none
  inflow_org_id   INTEGER REFERENCES orgs(id),       -- 流入地 organisation in the system, NULL none
  inflow_text     TEXT,                              -- 流入地 outside the system, NULL none
  created_by      TEXT NOT NULL,                     -- username or 'cli'
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX mobile_members_member ON mobile_members(member_id, id);
CREATE INDEX mobile_members_inflow ON mobile_members(inflow_org_id);
-- At most one open outflow registration per member.
CREATE UNIQUE INDEX mobile_members_open ON mobile_members(member_id) WHERE state = 'out';
