"""t0010: every route the server answers is documented. The route tables of src/http/*.c (method and
pattern of each `{ "GET", "/api/v1/...", handler, ... }` row) are read from the source, and each route
must appear in docs/openapi.yaml (a path with that method; {name}-style parameters match by position)
and in docs/api.md (the method followed by the path, relative to /api/v1). No server is needed."""

import glob
import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
PREFIX = "/api/v1"

# `const struct route meta_routes[] = { ... };` and its rows
TABLE_RE = re.compile(r"const\s+struct\s+route\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\}\s*;", re.S)
ROW_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"([^"]*)"')
NULL_ROW_RE = re.compile(r"\{\s*NULL\b")
# one path segment is literal text or a {parameter}
PATH_RE = r"(?:/(?:[A-Za-z0-9_.\-]|\{[A-Za-z_]+\})+)+"
MD_RE = re.compile(r"\b(%s)\s+(%s)" % ("|".join(METHODS), PATH_RE))


def normalize(path):
    """Parameters compare by position: /members/{id}/sanctions/{sid} -> /members/{}/sanctions/{}."""
    if path.startswith(PREFIX + "/"):
        path = path[len(PREFIX):]
    return re.sub(r"\{[^}]*\}", "{}", path)


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def source_routes():
    """{table name: [(method, pattern)]} from every route table in src/http/*.c."""
    tables = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "src", "http", "*.c"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in TABLE_RE.finditer(text):
            body = m.group(2)
            rows = ROW_RE.findall(body)
            # every row is a route or the terminator: a row this parser missed fails here
            n_rows = re.sub(r'"[^"]*"', '""', body).count("{")
            n_null = len(NULL_ROW_RE.findall(body))
            if len(rows) + n_null != n_rows:
                raise AssertionError("%s: cannot read every row of %s" % (os.path.basename(path), m.group(1)))
            tables[m.group(1)] = rows
    return tables


def openapi_operations(text):
    """{(method, normalized path)} of the paths: section, read by indentation (2: path, 4: method)."""
    ops = set()
    in_paths = False
    current = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            in_paths = line.rstrip() == "paths:"
            current = None
            continue
        if not in_paths:
            continue
        if indent == 2:
            m = re.match(r"\s{2}(/\S*):\s*$", line)
            current = normalize(m.group(1).strip("'\"")) if m else None
        elif indent == 4 and current:
            m = re.match(r"\s{4}([a-z]+):", line)
            if m and m.group(1).upper() in METHODS:
                ops.add((m.group(1).upper(), current))
    return ops


def api_md_operations(text):
    return {(m.group(1), normalize(m.group(2))) for m in MD_RE.finditer(text)}


class T0010DocsRoutes(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tables = source_routes()
        cls.routes = sorted({(meth, normalize(pat)) for rows in cls.tables.values() for meth, pat in rows})

    def test_every_route_table_declared_in_routes_h_is_read_with_its_routes(self):
        declared = set(re.findall(r"extern\s+const\s+struct\s+route\s+(\w+)\s*\[\s*\]\s*;",
                                  read("src/http/routes.h")))
        self.assertTrue(declared)
        self.assertEqual(declared - set(self.tables), set(), "tables declared in routes.h but not found")
        for name, rows in self.tables.items():
            self.assertTrue(rows, "%s has no routes" % name)
            for meth, pat in rows:
                self.assertIn(meth, METHODS, "%s: %s %s" % (name, meth, pat))
                self.assertTrue(pat.startswith(PREFIX + "/"), "%s: %s %s" % (name, meth, pat))
        self.assertGreater(len(self.routes), 50)

    def test_the_parsers_find_documented_operations_and_reject_undocumented_ones(self):
        ops = openapi_operations("paths:\n  /members/{mid}/sanctions/{sid}/end:\n    post:\n      summary: x\n"
                                 "    parameters: []\n  /health:\n    get: {}\ncomponents:\n  /nope:\n    get: {}\n")
        self.assertEqual(ops, {("POST", "/members/{}/sanctions/{}/end"), ("GET", "/health")})
        md = api_md_operations("- `GET /members/{id}/states` → list; `POST /transfers/{id}/attach {\"member_id\"}`"
                               " and `GET /transfers/{id}/letter.pdf`, `PUT /members/{id}/dues-standard`")
        self.assertEqual(md, {("GET", "/members/{}/states"), ("POST", "/transfers/{}/attach"),
                              ("GET", "/transfers/{}/letter.pdf"), ("PUT", "/members/{}/dues-standard")})
        self.assertNotIn(("GET", "/members/{}"), md)

    def test_every_route_is_in_openapi_yaml_with_its_method(self):
        ops = openapi_operations(read("docs/openapi.yaml"))
        missing = ["%s %s" % r for r in self.routes if r not in ops]
        self.assertEqual(missing, [], "routes missing from docs/openapi.yaml")

    def test_every_route_is_in_api_md_with_its_method(self):
        ops = api_md_operations(read("docs/api.md"))
        missing = ["%s %s" % r for r in self.routes if r not in ops]
        self.assertEqual(missing, [], "routes missing from docs/api.md")

    def test_openapi_yaml_documents_no_route_the_server_lacks(self):
        ops = openapi_operations(read("docs/openapi.yaml"))
        extra = ["%s %s" % r for r in sorted(ops) if r not in set(self.routes)]
        self.assertEqual(extra, [], "operations in docs/openapi.yaml that no route table has")


if __name__ == "__main__":
    unittest.main()
