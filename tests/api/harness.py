"""
harness.py: start a real dangjian server for a test class and talk to it.

Every test class (ServerTest subclass) gets its own server: a fresh
temporary directory, `dangjian demo --members 300 --seed 7` into a fresh
database, then `dangjian serve --listen 127.0.0.1:0`; the bound port is read
from the server's first line on stdout. At the end the server gets SIGTERM
and must exit 0 (under ASAN a non-zero exit reveals leaks or memory errors;
its stderr is printed then).

Environment:
  DJ_BIN          the program (default /work/main/build/dangjian)
  DJ_TEST_DB_URL  postgresql://... of a maintenance database (e.g. .../postgres):
                  every server then gets a new database created there with psql.
                  Without it each server uses an SQLite file in its directory.
  DJ_TEST_KEEP    keep the temporary directories (for debugging)

The backend switch lives in Backend below and nowhere else.
"""

import datetime
import http.cookiejar
import itertools
import json
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

DJ_BIN = os.environ.get("DJ_BIN", "/work/main/build/dangjian")
PG_URL = os.environ.get("DJ_TEST_DB_URL", "")
DEMO_PASSWORD = "Demo@2026"
DEMO_MEMBERS = 300
DEMO_SEED = 7
START_TIMEOUT = 30.0
BASE_ENV = {"DJ_PBKDF2_ITERATIONS": "1000"}


def run_env(extra=None):
    env = dict(os.environ)
    env.update(BASE_ENV)
    if extra:
        env.update(extra)
    return env


def run_cli(*args, env=None, input=None, timeout=120):
    """Runs the program; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([DJ_BIN, *args], env=run_env(env), input=input, capture_output=True,
                          timeout=timeout)


# ---- backends ---------------------------------------------------------------

_db_counter = itertools.count(1)


class _PsqlSession:
    """One long-lived psql for a database. Starting psql costs about 0.1 s, and the snapshot
    helpers that prove a refused request changed nothing run hundreds of statements per class
    (t1200 spent 100 of its 107 s starting psql). Each statement is followed by markers that
    print psql's ERROR and LAST_ERROR_MESSAGE variables, so a failure reads like psql -c's."""

    END = "__DJ_END__ "

    def __init__(self, url):
        self.proc = subprocess.Popen(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=0"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def run(self, sql):
        self.proc.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo %s:ERROR\n\\echo :LAST_ERROR_MESSAGE\n"
                              % self.END)
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()  # psql always answers: the markers follow every statement
            if not line:
                raise RuntimeError("psql exited: %s" % sql)
            line = line.rstrip("\n")
            if line.startswith(self.END):
                failed = line[len(self.END):] == "true"
                message = self.proc.stdout.readline().rstrip("\n")
                if failed:
                    raise RuntimeError("psql failed: %s\n%s" % (sql, message))
                return "".join(x + "\n" for x in lines)
            lines.append(line)

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


class Backend:
    """Where a server's database lives: an SQLite file or a new PostgreSQL database."""

    def __init__(self, tmpdir):
        self.tmpdir = tmpdir
        self.key_file = os.path.join(tmpdir, "t.key")
        self.pg = bool(PG_URL)
        if self.pg:
            self.dbname = "dj_api_%d_%d_%d" % (os.getpid(), int(time.time() * 1000) % 100000000,
                                               next(_db_counter))
            self._psql(PG_URL, "CREATE DATABASE %s" % self.dbname)
            p = urllib.parse.urlsplit(PG_URL)
            self.url = urllib.parse.urlunsplit((p.scheme, p.netloc, "/" + self.dbname, p.query, ""))
            self.session = None
        else:
            self.url = os.path.join(tmpdir, "t.db")

    @staticmethod
    def _psql(url, sql):
        r = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-At", "-c", sql],
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("psql failed: %s\n%s" % (sql, r.stderr.decode(errors="replace")))
        return r.stdout.decode()

    def db_args(self):
        return ["--db", self.url, "--key-file", self.key_file]

    def sql(self, statement, params=()):
        """Runs one statement directly on the database; returns rows as lists of strings or values.
        Only for tests that need to reach under the server (session ageing, tampering)."""
        if self.pg:
            if params:
                statement = statement.replace("?", "%s") % tuple(_pg_literal(v) for v in params)
            if not self.session:
                self.session = _PsqlSession(self.url)
            out = self.session.run(statement)
            return [line.split("|") for line in out.splitlines() if line]
        con = sqlite3.connect(self.url, timeout=30)
        try:
            rows = con.execute(statement, params).fetchall()
            con.commit()
            return [list(r) for r in rows]
        finally:
            con.close()

    def drop(self):
        if self.pg:
            if self.session:
                self.session.close()
                self.session = None
            try:
                self._psql(PG_URL, "DROP DATABASE IF EXISTS %s" % self.dbname)
            except Exception as ex:  # a leftover database is not a test failure
                print("warning: %s" % ex, file=sys.stderr)


def _pg_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, (int, float)):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


# ---- the server -------------------------------------------------------------

class Server:
    """One `dangjian serve` process on a fresh demo database."""

    def __init__(self, env=None, demo=True, members=DEMO_MEMBERS, seed=DEMO_SEED):
        self.dir = tempfile.mkdtemp(prefix="dj-api-")
        self.env = env or {}
        self.proc = None
        self.port = None
        self.backend = Backend(self.dir)
        if demo:
            r = self.cli("demo", "--members", str(members), "--seed", str(seed))
            if r.returncode != 0:
                self.cleanup()
                raise RuntimeError("demo failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")))

    @property
    def db(self):
        return self.backend.url

    def twin(self, env=None):
        """A second server on this server's database, as behind a load balancer; start() it.
        Stopping and cleaning it up leaves the database to this server."""
        t = Server.__new__(Server)
        t.dir = tempfile.mkdtemp(prefix="dj-api-")
        t.env = dict(self.env) if env is None else env
        t.proc = None
        t.port = None
        t.backend = self.backend
        t.shared = True
        return t

    def cli(self, *args, env=None, **kw):
        """Runs a subcommand against this server's database: cli("audit", "verify")."""
        e = dict(self.env)
        if env:
            e.update(env)
        # options go after the subcommand words (import members FILE ...)
        return run_cli(*args, *self.backend.db_args(), env=e, **kw)

    def sql(self, statement, params=()):
        return self.backend.sql(statement, params)

    def start(self):
        self.stderr_path = os.path.join(self.dir, "server.stderr")
        self._stderr = open(self.stderr_path, "wb")
        args = [DJ_BIN, "serve", *self.backend.db_args(), "--listen", "127.0.0.1:0",
                "--web-root", os.path.join(self.dir, "none")]
        self.proc = subprocess.Popen(args, env=run_env(self.env), stdout=subprocess.PIPE,
                                     stderr=self._stderr, stdin=subprocess.DEVNULL)
        buf = b""
        deadline = time.monotonic() + START_TIMEOUT
        fd = self.proc.stdout.fileno()
        while True:
            m = re.search(rb"dangjian: listening on http://127\.0\.0\.1:(\d+)\n", buf)
            if m:
                self.port = int(m.group(1))
                break
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.proc.kill()
                self.proc.wait()
                code = self.proc.returncode
                self.proc.stdout.close()
                self._stderr.close()
                self.proc = None
                raise RuntimeError("server did not start (exit %s); stdout %r; stderr:\n%s"
                                   % (code, buf, self.stderr_text()))
            r, _, _ = select.select([fd], [], [], min(left, 0.5))
            if r:
                chunk = os.read(fd, 4096)
                if not chunk and self.proc.poll() is None:
                    time.sleep(0.01)
                buf += chunk
        self.stdout_head = buf.decode(errors="replace")
        self.base = "http://127.0.0.1:%d" % self.port
        return self

    def wait_log(self, text, timeout=10.0, count=1):
        """Waits until the server's stderr shows text (a log line) count times; fails after timeout."""
        deadline = time.monotonic() + timeout
        while self.stderr_text().count(text) < count:
            if time.monotonic() > deadline:
                raise AssertionError("no %r in the server's log:\n%s" % (text, self.stderr_text()[-4000:]))
            time.sleep(0.05)

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM; returns (exit code, stderr text)."""
        if not self.proc:
            return 0, ""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        # drain stdout so nothing is left blocked
        try:
            self.proc.stdout.read()
        except Exception:
            pass
        self.proc.stdout.close()
        self._stderr.close()
        code = self.proc.returncode
        self.proc = None
        return code, self.stderr_text()

    def cleanup(self):
        if not getattr(self, "shared", False):
            self.backend.drop()
        if not os.environ.get("DJ_TEST_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, username=None, password=DEMO_PASSWORD):
        c = Client(self.base)
        if username:
            c.login(username, password)
        return c


# ---- the client ---------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


class Client:
    """Keeps the session cookie and the CSRF token; every method returns (status, body, headers).
    body is the parsed JSON for JSON replies, else the raw bytes (b"" when empty)."""

    API = "/api/v1"

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.csrf = None
        self.user = None

    def url(self, path, params=None):
        if not path.startswith("/"):
            path = "/" + path
        if not path.startswith("/api/"):
            path = self.API + path
        u = self.base + path
        if params:
            u += ("&" if "?" in u else "?") + urllib.parse.urlencode(params)
        return u

    def request(self, method, path, body=None, params=None, headers=None, raw=None, csrf=True,
                content_type="application/json"):
        """body: JSON-encodable object; raw: bytes sent as they are."""
        data = None
        h = {}
        if raw is not None:
            data = raw
            h["Content-Type"] = content_type if content_type != "application/json" else "application/octet-stream"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if headers:
            h.update(headers)
        h = {k: v for k, v in h.items() if v is not None}
        req = urllib.request.Request(self.url(path, params), data=data, method=method, headers=h)
        try:
            resp = self.opener.open(req, timeout=60)
            status, hdrs, payload = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as ex:
            status, hdrs, payload = ex.code, ex.headers, ex.read()
        ctype = hdrs.get("Content-Type", "") or ""
        if ctype.startswith("application/json") and payload:
            try:
                parsed = json.loads(payload.decode("utf-8"))
            except ValueError:
                parsed = payload
        else:
            parsed = payload
        return status, parsed, hdrs

    def get(self, path, params=None, **kw):
        return self.request("GET", path, params=params, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body=body, **kw)

    def on(self, server):
        """The same session (cookie and CSRF token) sent to another server."""
        c = Client(server.base)
        c.jar, c.opener, c.csrf, c.user = self.jar, self.opener, self.csrf, self.user
        return c

    def login(self, username, password=DEMO_PASSWORD, expect=200):
        st, body, hdrs = self.post("/session", {"username": username, "password": password}, csrf=False)
        if expect is not None and st != expect:
            raise AssertionError("login %s: expected %s, got %s %r" % (username, expect, st, body))
        if st == 200:
            self.csrf = body["csrf_token"]
            self.user = body["user"]
        return st, body, hdrs

    def cookie_value(self, name="dj_session"):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def set_cookie(self, value, name="dj_session"):
        """Replaces the session cookie (to replay an old one)."""
        self.jar.clear()
        if value is None:
            return
        host = urllib.parse.urlsplit(self.base).hostname
        c = http.cookiejar.Cookie(0, name, value, None, False, host, False, False, "/", True,
                                  False, None, False, None, None, {"HttpOnly": None})
        self.jar.set_cookie(c)

    def all_items(self, path, params=None):
        """Every item of a paged list (page by page)."""
        p = dict(params or {})
        p["per_page"] = 200
        items, page = [], 1
        while True:
            p["page"] = page
            st, body, _ = self.get(path, p)
            if st != 200:
                raise AssertionError("GET %s %r -> %s %.300r" % (path, p, st, body))
            if not body["items"]:
                return items
            items.extend(body["items"])
            page += 1


# ---- test data --------------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_char(first17):
    """GB 11643 check character for the first 17 digits."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def make_id_card(birth, gender="male", seq=None, region="110105"):
    """A valid 18-digit identity number: region, birth date, sequence (odd: male), check character."""
    if seq is None:
        seq = next(_seq)
    seq = seq % 500 * 2 + (1 if gender == "male" else 0)
    if seq == 0:
        seq = 2
    first17 = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), seq)
    return first17 + id_check_char(first17)


_seq = itertools.count(1)
_birth = itertools.count(0)
_phone = itertools.count(1)


def unique_birth():
    """A different birth date per call (1970-01-01 + n*7 days, always well over 18)."""
    return datetime.date(1970, 1, 1) + datetime.timedelta(days=7 * next(_birth) % 9000)


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def member_payload(org_id, **over):
    """A valid new member for POST /members; keyword arguments override fields."""
    gender = over.pop("gender", "male")
    birth = over.pop("birth", None) or unique_birth()
    joined = add_years(birth, 25)
    m = {
        "org_id": org_id,
        "name": "测试党员%d" % next(_seq),
        "gender": gender,
        "ethnicity": "01",
        "birth_date": birth.isoformat(),
        "id_card": make_id_card(birth, gender),
        "education": "21",
        "phone": "139%08d" % next(_phone),
        "native_place": "北京东城",
        "category": "in_service",
        "status": "full",
        "joined_on": joined.isoformat(),
        "full_member_on": add_years(joined, 1).isoformat(),
        "work_unit": "测试单位",
        "job": "科员",
        "remarks": "",
    }
    m.update(over)
    return m


def mask_id(idc):
    return idc[:6] + "*" * 8 + idc[-4:]


def mask_phone(p):
    return p[:3] + "****" + p[-4:]


# ---- the test base class ----------------------------------------------------

def finish_server(server):
    """Stops a server and removes what it made; fails on a bad exit or a sanitizer report."""
    code, err = server.stop()
    try:
        if code != 0:
            raise AssertionError("server exited with %s after SIGTERM; stderr:\n%s" % (code, err[-20000:]))
        if "ERROR: AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err:
            raise AssertionError("sanitizer report in server stderr:\n%s" % err[-20000:])
    finally:
        server.cleanup()


class ServerTest(unittest.TestCase):
    """A test class with its own server (cls.server) and logged-in clients made on demand."""

    server_env = None      # extra environment for the server
    start_server = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(env=cls.server_env)
        # a class cleanup runs even when a subclass's setUpClass fails after this
        cls.addClassCleanup(cls._finish_server)
        if cls.start_server:
            cls.server.start()
        cls._clients = {}

    @classmethod
    def _finish_server(cls):
        finish_server(cls.server)

    @classmethod
    def as_user(cls, name):
        """A cached client logged in as a demo user."""
        c = cls._clients.get(name)
        if c is None:
            c = cls.server.client(name)
            cls._clients[name] = c
        return c

    @property
    def admin(self):
        return self.as_user("admin")

    @property
    def secretary(self):
        return self.as_user("secretary")

    @property
    def auditor(self):
        return self.as_user("auditor")

    # -- assertions --
    def assertStatus(self, resp, status, msg=None):
        st, body, _ = resp
        self.assertEqual(st, status, msg or "body: %.600r" % (body,))
        return body

    def assertError(self, resp, status, code=None, field=None, message=None):
        st, body, _ = resp
        self.assertEqual(st, status, "expected %s %s, body: %.600r" % (status, code, body))
        self.assertIsInstance(body, dict, "error body is not JSON: %r" % (body,))
        self.assertIn("error", body)
        err = body["error"]
        self.assertIsInstance(err.get("message"), str)
        self.assertTrue(err["message"])
        if code:
            self.assertEqual(err.get("code"), code, "body: %r" % (body,))
        if field:
            self.assertIn(field, err.get("fields") or {}, "body: %r" % (body,))
            if message:
                self.assertEqual(err["fields"][field], message, "body: %r" % (body,))
        elif message:
            self.assertEqual(err["message"], message)
        return err

    # How long a change made elsewhere (another server, direct SQL) may take to reach a server's
    # session cache on PostgreSQL: the NOTIFY's delivery, milliseconds; generous for loaded CI.
    NOTIFY_WAIT = 10.0

    def refused(self, client, path="/session"):
        """The first reply to GET path that is not 200, polling until NOTIFY_WAIT: a session ended
        elsewhere ends here at once on SQLite, and with the notification on PostgreSQL (within
        milliseconds; a server that kept serving it would keep answering 200 for up to a minute)."""
        deadline = time.monotonic() + self.NOTIFY_WAIT
        while True:
            resp = client.get(path)
            if resp[0] != 200 or time.monotonic() > deadline:
                return resp
            time.sleep(0.02)

    def member_count(self, client=None, **params):
        st, body, _ = (client or self.admin).get("/members", dict(params, per_page=1))
        self.assertEqual(st, 200, body)
        return body["total"]

    def audit_count(self):
        # counted under the table, so reading it does not add rows
        return int(self.server.sql("SELECT COUNT(*) FROM audit_log")[0][0])

    def create_member(self, org_id, client=None, **over):
        body = member_payload(org_id, **over)
        st, got, _ = (client or self.admin).post("/members", body)
        self.assertEqual(st, 201, "create member: %r" % (got,))
        return got, body

    def org_by_name(self, name, client=None):
        st, body, _ = (client or self.admin).get("/orgs")
        self.assertEqual(st, 200)
        for o in body["items"]:
            if o["name"] == name:
                return o
        raise AssertionError("no organisation named %s" % name)

    def orgs(self, client=None):
        st, body, _ = (client or self.admin).get("/orgs")
        self.assertEqual(st, 200, body)
        return body["items"]
