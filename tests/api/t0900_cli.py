"""t0900: the command line: --version, --help, usage errors, init."""

import os
import re
import tempfile
import shutil
import unittest

from harness import Backend, run_cli, DJ_BIN, PG_URL, Server

SUBCOMMANDS = ["serve", "init", "demo", "import", "export", "backup", "check", "audit"]


class T0900Cli(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="dj-cli-")
        self.backends = []

    def tearDown(self):
        for b in self.backends:
            b.drop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def backend(self):
        b = Backend(self.dir if not self.backends else tempfile.mkdtemp(dir=self.dir))
        self.backends.append(b)
        return b

    def test_version_prints_the_version_and_exits_0(self):
        r = run_cli("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.decode(), r"^dangjian \S+\n$")

    def test_help_lists_every_subcommand_and_exits_0(self):
        r = run_cli("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for c in SUBCOMMANDS:
            self.assertIn(c, r.stdout.decode())

    def test_every_subcommand_has_help_that_exits_0(self):
        for c in SUBCOMMANDS:
            with self.subTest(command=c):
                r = run_cli(c, "--help")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(b"usage: dangjian " + c.encode(), r.stdout)

    def test_an_unknown_command_exits_2(self):
        r = run_cli("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"frobnicate", r.stderr)
        self.assertEqual(run_cli().returncode, 2)

    def test_unknown_options_exit_2(self):
        for c in SUBCOMMANDS:
            with self.subTest(command=c):
                r = run_cli(c, "--no-such-option")
                self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(run_cli("audit", "frobnicate", "--db", os.path.join(self.dir, "x.db")).returncode, 2)
        self.assertEqual(run_cli("demo", "--members", "0", "--db", os.path.join(self.dir, "y.db")).returncode, 2)
        self.assertEqual(run_cli("demo", "--seed", "x", "--db", os.path.join(self.dir, "y.db")).returncode, 2)
        self.assertEqual(run_cli("serve", "extra-arg").returncode, 2)

    def test_a_bad_setting_in_the_environment_exits_2(self):
        r = run_cli("check", "--db", os.path.join(self.dir, "x.db"), env={"DJ_SESSION_IDLE_MINUTES": "zero"})
        self.assertEqual(r.returncode, 2, r.stderr)

    def test_init_prints_an_admin_password_once_and_refuses_a_second_time(self):
        b = self.backend()
        r = run_cli("init", *b.db_args())
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        m = re.search(r"(?<![\w@#%+=_-])([A-Za-z0-9@#%+=_-]{16})(?![\w@#%+=_-])", out)
        self.assertIsNotNone(m, out)
        password = m.group(1)
        self.assertIn("admin", out)
        if not b.pg:
            self.assertEqual(os.stat(b.key_file).st_mode & 0o777, 0o600)
        r2 = run_cli("init", *b.db_args())
        self.assertEqual(r2.returncode, 1, r2.stderr)
        self.assertNotIn(password, r2.stdout.decode() + r2.stderr.decode())
        self.assertTrue(r2.stderr.startswith(b"error: "), r2.stderr)
        self.assertEqual(len(r2.stderr.decode().strip().splitlines()), 1, r2.stderr)
        # the password logs in on a server over that database
        s = Server(demo=False)
        try:
            s.backend.drop()
            s.backend = b
            s.start()
            c = s.client("admin", password)
            self.assertEqual(c.user["role"], "admin")
            self.assertEqual(len(s.client("admin", password).get("/orgs")[1]["items"]), 1)
        finally:
            code, err = s.stop()
            shutil.rmtree(s.dir, ignore_errors=True)
        self.assertEqual(code, 0, err[-3000:])

    def test_demo_refuses_a_database_with_data(self):
        b = self.backend()
        self.assertEqual(run_cli("demo", "--members", "50", *b.db_args()).returncode, 0)
        r = run_cli("demo", "--members", "50", *b.db_args())
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.startswith(b"error: "), r.stderr)
        r = run_cli("check", *b.db_args())
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli("audit", "verify", *b.db_args())
        self.assertEqual(r.returncode, 0, r.stderr)

    @unittest.skipIf(PG_URL, "backup of an SQLite file")
    def test_backup_writes_a_copy_and_refuses_to_overwrite(self):
        b = self.backend()
        self.assertEqual(run_cli("demo", "--members", "50", *b.db_args()).returncode, 0)
        out = os.path.join(self.dir, "backup.db")
        r = run_cli("backup", *b.db_args(), out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.getsize(out) > 0)
        r = run_cli("check", "--db", out, "--key-file", b.key_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli("backup", *b.db_args(), out)
        self.assertEqual(r.returncode, 1)

    @unittest.skipIf(PG_URL, "opening a missing SQLite file")
    def test_commands_on_a_missing_database_fail_with_exit_1(self):
        missing = os.path.join(self.dir, "missing.db")
        for args in (["check", "--db", missing], ["audit", "verify", "--db", missing],
                     ["export", "members", "--db", missing, "--format", "csv", "-o", os.path.join(self.dir, "o.csv")]):
            with self.subTest(args=args):
                r = run_cli(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertTrue(r.stderr.startswith(b"error: "), r.stderr)

    def test_serve_on_a_busy_port_exits_1(self):
        s = Server(members=20)
        s.start()
        try:
            r = run_cli("serve", *s.backend.db_args(), "--listen", "127.0.0.1:%d" % s.port, timeout=20)
            self.assertEqual(r.returncode, 1, r.stderr)
            r = run_cli("serve", *s.backend.db_args(), "--listen", "nonsense", timeout=20)
            self.assertIn(r.returncode, (1, 2), r.stderr)
        finally:
            code, err = s.stop()
            s.cleanup()
        self.assertEqual(code, 0, err[-3000:])


if __name__ == "__main__":
    unittest.main()
