-- 0006_meetings: records of organisational life (三会一课 纪实, RULES.md 3.3): meetings with
-- attendance, decisions and their votes, and attached files (stored on disk by SM3 digest).

CREATE TABLE meetings (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES orgs(id),  -- the organisation that held it
  type        TEXT NOT NULL,                  -- member_congress, committee_meeting, ... (core/meeting.h)
  topic       TEXT NOT NULL,                  -- 主题
  held_on     TEXT NOT NULL,                  -- date (YYYY-MM-DD)
  start_time  TEXT NOT NULL DEFAULT '',       -- HH:MM
  place       TEXT NOT NULL DEFAULT '',
  host        TEXT NOT NULL DEFAULT '',       -- 主持人
  recorder    TEXT NOT NULL DEFAULT '',       -- 记录人
  agenda      TEXT NOT NULL DEFAULT '',       -- 议程
  minutes     TEXT NOT NULL DEFAULT '',       -- 会议记录
  status      TEXT NOT NULL,                  -- held (已召开) or planned (计划)
  expected    INTEGER NOT NULL DEFAULT 0,     -- voting attendees expected (present + absent + leave)
  present     INTEGER NOT NULL DEFAULT 0,     -- voting attendees present
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX meetings_org_held ON meetings(org_id, held_on);
CREATE INDEX meetings_held ON meetings(held_on);

CREATE TABLE meeting_attendance (
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  status      TEXT NOT NULL,                  -- present, absent, leave, nonvoting
  reason      TEXT NOT NULL DEFAULT '',       -- for absence and leave
  leader      INTEGER NOT NULL DEFAULT 0,     -- 1: a leading cadre in 双重组织生活 (MTG-13)
  PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

CREATE TABLE meeting_decisions (
  id          INTEGER PRIMARY KEY,
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,                  -- what was decided
  yes         INTEGER NOT NULL,
  no          INTEGER NOT NULL,
  abstain     INTEGER NOT NULL,
  development INTEGER NOT NULL DEFAULT 0,     -- admission or full membership (DEV-30 quorum)
  quorum      INTEGER NOT NULL,               -- 1 when enough were present (computed)
  passed      INTEGER NOT NULL,               -- 1 when valid and carried (computed)
  reason      TEXT NOT NULL                   -- why, with the numbers (computed)
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);

CREATE TABLE meeting_files (
  id           INTEGER PRIMARY KEY,
  meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,                 -- file name as uploaded
  content_type TEXT NOT NULL,                 -- checked against the content (allow-list)
  size         INTEGER NOT NULL,
  sm3          TEXT NOT NULL,                 -- SM3 digest: the file is <files dir>/<sm3>
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX meeting_files_meeting ON meeting_files(meeting_id);
