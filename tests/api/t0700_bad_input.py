"""t0700: bad input of every kind: the server answers JSON errors, never 500, and keeps serving."""

import http.client
import json
import socket
import unittest

from harness import ServerTest


class T0700BadInput(ServerTest):

    def raw_http(self, data, timeout=3):
        """Sends raw bytes on a new connection; returns what came back."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass    # the server closed the connection first: fine
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not chunk:
                    break
                out += chunk
            return out
        finally:
            s.close()

    def test_unknown_routes_answer_404_json(self):
        for path in ("/nope", "/members/abc", "/members/0", "/members/-1", "/members/1/nope", "/orgs/1/2",
                     "/api/v2/members", "/api/v1", "/api/v1/", "/members/99999999999999999999999",
                     "/members//1", "/MEMBERS"):
            with self.subTest(path=path):
                err = self.assertError(self.admin.get(path), 404, "not_found")
                self.assertTrue(err["message"])

    def test_a_wrong_method_answers_405_json(self):
        for method, path in (("PUT", "/members"), ("DELETE", "/members"), ("POST", "/members/1"),
                             ("PATCH", "/orgs"), ("POST", "/health"), ("PUT", "/session"), ("DELETE", "/audit"),
                             ("POST", "/orgs/1/children"), ("GET", "/members/import"), ("GET", "/orgs/1/committee")):
            with self.subTest(method=method, path=path):
                st, body, hdrs = self.admin.request(method, path, body={})
                self.assertEqual(st, 405, body)
                self.assertIn("error", body)
                self.assertTrue(body["error"]["message"])

    def test_malformed_json_answers_400_on_every_write(self):
        for method, path in (("POST", "/members"), ("PATCH", "/members/1"), ("POST", "/orgs"),
                             ("PATCH", "/orgs/2"), ("PUT", "/orgs/2/committee"), ("POST", "/users"),
                             ("PATCH", "/users/2"), ("POST", "/session/password")):
            for raw in (b"{", b"not json", b"[]", b"{\"a\":1", b"\xef\xbb\xbf{}", b"{}{}", b"null"):
                with self.subTest(method=method, path=path, raw=raw):
                    st, body, _ = self.admin.request(method, path, raw=raw, content_type="application/json")
                    self.assertEqual(st, 400, body)
                    self.assertIn(body["error"]["code"], ("invalid_json", "invalid_utf8"))

    def test_wrong_types_answer_422(self):
        for method, path, body, field in (("POST", "/orgs", {"parent_id": [1], "name": "x", "type": "branch",
                                                             "field": "organ"}, "parent_id"),
                                          ("PATCH", "/orgs/2", {"term_years": "3"}, "term_years"),
                                          ("PATCH", "/orgs/2", {"name": None}, "name"),
                                          ("PATCH", "/members/1", {"org_id": True}, "org_id"),
                                          ("PATCH", "/members/1", {"birth_date": {}}, "birth_date"),
                                          ("PATCH", "/users/2", {"disabled": "yes"}, "disabled"),
                                          ("POST", "/users", {"username": 5}, "username")):
            with self.subTest(path=path, body=body):
                before = self.audit_count()
                self.assertError(self.admin.request(method, path, body=body), 422, "validation_failed", field=field)
                self.assertEqual(self.audit_count(), before)

    def test_absurd_numbers_in_paths_and_parameters_answer_4xx(self):
        for path, params in (("/members", {"page": "1" * 30}), ("/members", {"per_page": "-5"}),
                             ("/members", {"org": "-1"}), ("/members", {"org": "9" * 25}),
                             ("/members", {"page": "0x10"}), ("/users", {"page": 0}), ("/audit", {"page": 1000001}),
                             ("/members", {"after": "9" * 40}), ("/members/export", {"org": "1e9"})):
            with self.subTest(path=path, params=params):
                st, body, _ = self.admin.get(path, params)
                self.assertIn(st, (400, 404), body)
                self.assertIn(body["error"]["code"], ("invalid_parameter", "not_found"))
        for path in ("/members/9223372036854775807", "/orgs/9223372036854775807", "/members/9223372036854775808"):
            with self.subTest(path=path):
                self.assertError(self.admin.get(path), 404, "not_found")

    def test_invalid_utf8_in_query_parameters_answers_400(self):
        st, body, _ = self.admin.get("/members?q=%ff%fe")
        self.assertError((st, body, None), 400, "invalid_utf8")
        st, body, _ = self.admin.get("/audit?actor=%c3%28")
        self.assertError((st, body, None), 400, "invalid_utf8")

    def test_very_long_query_values_are_refused(self):
        self.assertError(self.admin.get("/members", {"q": "张" * 200}), 400, "invalid_parameter")
        st, body, _ = self.admin.get("/members", {"q": "a" * 5000})
        self.assertIn(st, (400, 414), body)

    def test_deeply_nested_json_is_refused_without_crashing(self):
        raw = b"[" * 100000 + b"]" * 100000
        st, body, _ = self.admin.request("POST", "/members", raw=raw, content_type="application/json")
        self.assertIn(st, (400, 413), body)
        raw = b"{\"name\":" + b"[" * 5000 + b"]" * 5000 + b"}"
        st, body, _ = self.admin.request("POST", "/members", raw=raw, content_type="application/json")
        self.assertIn(st, (400, 422), body)

    def test_a_large_but_allowed_body_is_read_whole(self):
        body = {"remarks": "备" * 600}
        st, resp, _ = self.admin.patch("/orgs/2", body)
        self.assertError((st, resp, None), 422, "validation_failed", field="remarks")

    def test_malformed_http_gets_an_answer_or_a_closed_connection(self):
        for data in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET /api/v1/health HTTP/9.9\r\n\r\n",
                     b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
                     b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                     b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-A: " + b"a" * 100000 + b"\r\n\r\n",
                     b"\x00\x01\x02\x03" * 100):
            with self.subTest(data=data[:40]):
                out = self.raw_http(data)
                if out:
                    self.assertTrue(out.startswith(b"HTTP/1."), out[:100])
                    self.assertNotIn(b" 500 ", out.split(b"\r\n")[0])
        self.assertStatus(self.admin.get("/health"), 200)

    def test_a_post_with_content_type_form_is_still_parsed_as_json_or_refused(self):
        st, body, _ = self.admin.request("POST", "/orgs", raw=b"parent_id=1&name=x", content_type="application/x-www-form-urlencoded")
        self.assertIn(st, (400, 415), body)

    def test_zz_the_server_is_still_serving_at_the_end(self):
        self.assertStatus(self.server.client().get("/health"), 200)
        self.assertStatus(self.admin.get("/members", {"per_page": 1}), 200)
        v = self.assertStatus(self.admin.get("/audit/verify"), 200)
        self.assertTrue(v["ok"], v)


if __name__ == "__main__":
    unittest.main()
