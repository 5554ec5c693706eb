"""t1110: files attached to meeting records: checked by content, served back byte for byte with the
checked content type, stored once per SM3 digest but recorded per upload."""

import hashlib
import struct
import unittest
import zlib

from meeting_util import MeetingTest, att, meeting

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png_bytes(w=1, h=1):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG = png_bytes()
TXT = "会议记录：出席5人，缺席0人。\n第二行 line two\n".encode("utf-8")


def sm3(data):
    try:
        return hashlib.new("sm3", data).hexdigest()
    except ValueError:
        return None


class T1110MeetingFiles(MeetingTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        cls.branch = cls.as_user("secretary").user["org_id"]
        mem = [m["id"] for m in admin.all_items("/members", {"org": cls.branch})]
        st, m, _ = admin.post("/meetings", meeting(cls.branch, "theme_day", [att(x) for x in mem]))
        assert st == 201, m
        cls.mid = m["id"]

    def upload(self, name, data, meeting_id=None, client=None):
        return (client or self.admin).post("/meetings/%d/files" % (meeting_id or self.mid), raw=data,
                                           params={"name": name})

    def download(self, fid, meeting_id=None, client=None):
        return (client or self.admin).get("/meetings/%d/files/%d" % (meeting_id or self.mid, fid))

    def file_count(self):
        return int(self.server.sql("SELECT COUNT(*) FROM meeting_files")[0][0])

    def test_pdf_png_and_text_files_come_back_byte_for_byte(self):
        for name, data, ctype in (("会议纪要.pdf", PDF, "application/pdf"), ("现场照片.PNG", PNG, "image/png"),
                                  ("签到表.txt", TXT, "text/plain; charset=utf-8")):
            f = self.assertStatus(self.upload(name, data), 201)
            self.assertEqual((f["name"], f["content_type"], f["size"], f["meeting_id"]),
                             (name, ctype, len(data), self.mid))
            self.assertRegex(f["sm3"], r"^[0-9a-f]{64}$")
            if sm3(data):
                self.assertEqual(f["sm3"], sm3(data))
            st, body, hdrs = self.download(f["id"])
            self.assertEqual(st, 200)
            self.assertEqual(body, data)
            self.assertEqual(hdrs["Content-Type"], ctype)
            self.assertIn("attachment", hdrs.get("Content-Disposition", ""))
            # the secretary of the branch reads it too
            st, body, _ = self.download(f["id"], client=self.secretary)
            self.assertEqual((st, body), (200, data))
            m = self.assertStatus(self.admin.get("/meetings/%d" % self.mid), 200)
            listed = next(x for x in m["files"] if x["id"] == f["id"])
            self.assertEqual((listed["name"], listed["content_type"], listed["size"]), (name, ctype, len(data)))

    def assertUploadRefused(self, name, data, status, field=None):
        n, a = self.file_count(), self.audit_count()
        err = self.assertError(self.upload(name, data), status, field=field)
        self.assertEqual(self.file_count(), n)
        self.assertEqual(self.audit_count(), a)
        return err

    def test_a_file_whose_content_does_not_match_its_extension_is_refused(self):
        self.assertUploadRefused("纪要.pdf", PNG, 422, "file")
        self.assertUploadRefused("照片.png", PDF, 422, "file")
        self.assertUploadRefused("照片.jpg", PNG, 422, "file")
        self.assertUploadRefused("表格.docx", PDF, 422, "file")
        self.assertUploadRefused("记录.txt", b"\xff\xfe\x00a\x00b", 422, "file")
        self.assertUploadRefused("记录.txt", "GBK文本".encode("gbk"), 422, "file")

    def test_files_of_other_kinds_are_refused(self):
        self.assertUploadRefused("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 60, 422, "file")
        self.assertUploadRefused("run.sh", b"#!/bin/sh\necho hi\n", 422, "file")
        self.assertUploadRefused("noextension", PDF, 422, "file")
        self.assertUploadRefused("", PDF, 422)
        self.assertUploadRefused("../../etc/x.pdf", PDF, 422, "name")
        self.assertUploadRefused("empty.txt", b"", 422, "file")

    def test_a_file_over_20_mib_is_refused_with_413(self):
        limit = 20 << 20
        n, a = self.file_count(), self.audit_count()
        self.assertError(self.upload("big.pdf", b"%PDF-1.4\n" + b"0" * (limit - 8)), 413)
        self.assertEqual((self.file_count(), self.audit_count()), (n, a))
        # exactly 20 MiB is allowed
        f = self.assertStatus(self.upload("big.pdf", b"%PDF-1.4\n" + b"0" * (limit - 9)), 201)
        self.assertEqual(f["size"], limit)

    def test_the_same_content_twice_makes_two_records_and_deleting_one_keeps_the_other(self):
        data = PDF + b"% unique to this test\n"
        f1 = self.assertStatus(self.upload("一.pdf", data), 201)
        f2 = self.assertStatus(self.upload("二.pdf", data), 201)
        self.assertNotEqual(f1["id"], f2["id"])
        self.assertEqual(f1["sm3"], f2["sm3"])
        ids = [x["id"] for x in self.assertStatus(self.admin.get("/meetings/%d" % self.mid), 200)["files"]]
        self.assertIn(f1["id"], ids)
        self.assertIn(f2["id"], ids)
        a = self.audit_count()
        st, body, _ = self.admin.delete("/meetings/%d/files/%d" % (self.mid, f1["id"]))
        self.assertEqual(st, 204, body)
        self.assertEqual(self.audit_count(), a + 1)
        self.assertError(self.download(f1["id"]), 404, "not_found")
        self.assertError(self.admin.delete("/meetings/%d/files/%d" % (self.mid, f1["id"])), 404, "not_found")
        st, body, hdrs = self.download(f2["id"])
        self.assertEqual((st, body), (200, data))
        ids = [x["id"] for x in self.assertStatus(self.admin.get("/meetings/%d" % self.mid), 200)["files"]]
        self.assertNotIn(f1["id"], ids)
        self.assertIn(f2["id"], ids)

    def test_a_file_is_reached_only_through_its_own_meeting_and_scope(self):
        f = self.assertStatus(self.upload("x.txt", b"hello"), 201)
        st, orgs, _ = self.admin.get("/orgs")
        sec_path = self.assertStatus(self.admin.get("/orgs/%d" % self.branch), 200)["path"]
        outside = next(o for o in orgs["items"] if o["type"] == "branch" and not o["path"].startswith(sec_path))
        other = self.create(meeting(outside["id"], "theme_day", []))
        # the file id under another meeting
        self.assertError(self.download(f["id"], meeting_id=other["id"]), 404)
        g = self.assertStatus(self.upload("y.txt", b"outside", meeting_id=other["id"]), 201)
        self.assertError(self.download(g["id"], meeting_id=other["id"], client=self.secretary), 404)
        self.assertError(self.upload("z.txt", b"z", meeting_id=other["id"], client=self.secretary), 404)
        self.assertError(self.secretary.delete("/meetings/%d/files/%d" % (other["id"], g["id"])), 404)
        self.assertError(self.download(g["id"], meeting_id=other["id"], client=self.auditor), 403)
        self.assertError(self.upload("z.txt", b"z", client=self.auditor), 403)
        self.assertError(self.upload("z.txt", b"z", meeting_id=99999999), 404)
        # the secretary uploads to their own branch's meeting
        self.assertStatus(self.upload("sec.txt", b"by the secretary", client=self.secretary), 201)

    def test_deleting_a_meeting_takes_its_file_records_with_it(self):
        m = self.create(meeting(self.branch, "party_lecture", []))
        f = self.assertStatus(self.upload("a.png", PNG, meeting_id=m["id"]), 201)
        st, body, _ = self.admin.delete("/meetings/%d" % m["id"])
        self.assertEqual(st, 204, body)
        self.assertError(self.download(f["id"], meeting_id=m["id"]), 404)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM meeting_files WHERE id = ?", (f["id"],))[0][0] in (0, "0"),
                         True)


if __name__ == "__main__":
    unittest.main()
