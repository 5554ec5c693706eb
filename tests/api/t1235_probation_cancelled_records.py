"""t1235: a probationary member who leaves because the probation is cancelled (steps 23 and 24,
EXIT-01 probation_cancelled) leaves like any exit: the member's open transfer is cancelled and the
open mobile-member record closed in the same request, each with its audit row."""

import unittest

from dev_util import DevTest, applicant_body

BRANCH = 2          # 厅机关第一党支部: the demo secretary's branch


class T1235ProbationCancelledRecords(DevTest):

    branches = (BRANCH,)

    def test_a_cancelled_probation_cancels_the_transfer_and_closes_the_mobile_record(self):
        a = self.create(applicant_body(BRANCH))
        got = self.advance(a, 22)
        mid = got["applicant"]["member_id"]
        self.assertTrue(mid)
        mob = self.assertStatus(self.admin.post("/mobile-members", {
            "member_id": mid, "out_on": "2025-03-01", "destination": "广东省深圳市", "reason": "外出务工"}), 201)
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": mid,
                                                             "to_text": "外省某党委", "requested_on": "2025-06-01"}), 201)
        self.record(a, 23, "2025-06-25", outcome="cancel")
        audits = self.audit_count()
        got = self.record(a, 24, "2025-07-10", summary="同意取消其预备党员资格")
        self.assertEqual(got["applicant"]["status"], "cancelled")
        m = self.assertStatus(self.admin.get("/members/%d" % mid), 200)
        self.assertEqual((m["state"], m["state_code"], m["mobile"]), ("left", "probation_cancelled", False))
        got = self.assertStatus(self.admin.get("/transfers/%d" % t["id"]), 200)
        self.assertEqual((got["state"], got["return_reason"]), ("cancelled", "党员已出党，转接自动撤销"))
        got = self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)
        self.assertEqual((got["state"], got["returned_on"]), ("returned", "2025-07-10"))
        # applicant.step, member.exit, transfer.cancel, mobile.return
        self.assertEqual(self.audit_count(), audits + 4)


if __name__ == "__main__":
    unittest.main()
