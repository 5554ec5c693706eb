-- 0001_init: organisation tree, members, users, sessions, audit trail.
-- Dates are TEXT 'YYYY-MM-DD'; timestamps TEXT RFC 3339 UTC; epoch columns INTEGER seconds.

CREATE TABLE orgs (
  id          INTEGER PRIMARY KEY,               -- organisation id
  parent_id   INTEGER REFERENCES orgs(id),       -- NULL for the root(s)
  name        TEXT NOT NULL,                     -- full name, unique among siblings
  path        TEXT NOT NULL UNIQUE,              -- materialised path '/1/5/12/' for subtree ranges
  type        TEXT NOT NULL,                     -- party_committee, general_branch, branch, party_group, ...
  field       TEXT NOT NULL,                     -- organ, institution, enterprise, rural, ...
  elected_on  TEXT,                              -- start of the current term
  term_years  INTEGER NOT NULL DEFAULT 0,        -- 0: default for type and field (ORG-10)
  remarks     TEXT NOT NULL DEFAULT '',          -- free text
  sort_order  INTEGER NOT NULL DEFAULT 0,        -- display order among siblings
  created_at  TEXT NOT NULL,                     -- when created
  updated_at  TEXT NOT NULL                      -- last change
);
CREATE UNIQUE INDEX orgs_parent_name ON orgs(COALESCE(parent_id, 0), name);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order, id);

CREATE TABLE members (
  id              INTEGER PRIMARY KEY,               -- member id
  org_id          INTEGER NOT NULL REFERENCES orgs(id), -- the organisation the member belongs to
  name            TEXT NOT NULL,                     -- normalised name
  gender          TEXT NOT NULL,                     -- male / female
  ethnicity       TEXT NOT NULL,                     -- GB/T 3304 code '01'
  birth_date      TEXT NOT NULL,                     -- YYYY-MM-DD
  id_card_enc     TEXT NOT NULL,                     -- SM4-CTR + HMAC-SM3 sealed identity number
  id_card_hash    TEXT NOT NULL UNIQUE,              -- HMAC-SM3 keyed hash for exact lookup
  id_card_masked  TEXT NOT NULL,                     -- 110105********002X, for lists
  education       TEXT NOT NULL,                     -- GB/T 4658 code
  phone_enc       TEXT,                              -- sealed phone number, NULL when none
  phone_masked    TEXT,                              -- 138****5678
  native_place    TEXT NOT NULL DEFAULT '',          -- 籍贯
  category        TEXT NOT NULL,                     -- in_service, retired, farmer, student, unemployed, other
  status          TEXT NOT NULL,                     -- probationary / full
  joined_on       TEXT NOT NULL,                     -- 入党时间
  full_member_on  TEXT,                              -- 转正时间, NULL for probationary members
  work_unit       TEXT NOT NULL DEFAULT '',          -- 工作单位
  job             TEXT NOT NULL DEFAULT '',          -- 职务
  remarks         TEXT NOT NULL DEFAULT '',          -- 备注
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX members_org_name ON members(org_id, name, id);
CREATE INDEX members_name ON members(name);

CREATE TABLE member_history (
  id          INTEGER PRIMARY KEY,
  member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  at          TEXT NOT NULL,                     -- when
  actor_id    INTEGER,                           -- user id, NULL for the command line
  actor       TEXT NOT NULL,                     -- username or 'cli'
  action      TEXT NOT NULL,                     -- created, moved, status, imported
  from_org_id INTEGER,                           -- for moves
  to_org_id   INTEGER,
  detail      TEXT NOT NULL DEFAULT ''           -- Chinese summary
);
CREATE INDEX member_history_member ON member_history(member_id, id);

CREATE TABLE org_committee (
  org_id     INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,                      -- secretary, deputy_secretary, organization, publicity, discipline, member
  PRIMARY KEY (org_id, member_id)
);
CREATE INDEX org_committee_member ON org_committee(member_id);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,            -- login name
  display_name   TEXT NOT NULL,
  password_hash  TEXT NOT NULL,                   -- pbkdf2-sm3$iter$salt$hash
  role           TEXT NOT NULL,                   -- admin, org_admin, secretary, member, auditor
  org_id         INTEGER NOT NULL REFERENCES orgs(id), -- scope: this organisation's subtree
  member_id      INTEGER REFERENCES members(id) ON DELETE SET NULL, -- own record for role member
  disabled       INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,      -- epoch seconds; 0 not locked
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE login_failures (
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at       INTEGER NOT NULL                     -- epoch seconds of a failed login
);
CREATE INDEX login_failures_user ON login_failures(user_id, at);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,                  -- HMAC-SM3 of the cookie token (the token itself is never stored)
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,                     -- sent back in X-CSRF-Token
  created_at  INTEGER NOT NULL,                  -- epoch seconds
  last_seen   INTEGER NOT NULL                   -- epoch seconds, for the idle timeout
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,                -- dense, increasing: gaps are tampering
  at         TEXT NOT NULL,                      -- RFC 3339 UTC
  actor_id   INTEGER,                            -- user id, NULL for the command line
  actor      TEXT NOT NULL,                      -- username or 'cli'
  action     TEXT NOT NULL,                      -- member.create, org.move, user.lock, ...
  entity     TEXT NOT NULL,                      -- member, org, user, session
  entity_id  INTEGER,
  before     TEXT,                               -- JSON before the change (masked)
  after      TEXT,                               -- JSON after the change (masked)
  prev_hash  TEXT NOT NULL,                      -- hash of the previous row ('' for the first)
  hash       TEXT NOT NULL                       -- HMAC-SM3 over prev_hash and this row
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE audit_head (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  last_id    INTEGER NOT NULL,                   -- newest audit row
  last_hash  TEXT NOT NULL,
  seal       TEXT NOT NULL                       -- HMAC-SM3 over last_id and last_hash: detects removal of the newest rows
);
INSERT INTO audit_head (id, last_id, last_hash, seal) VALUES (1, 0, '', '');
