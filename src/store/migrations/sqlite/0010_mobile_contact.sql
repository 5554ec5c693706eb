-- 0010_mobile_contact: a mobile member's contact (流动党员的联系方式, usually a phone number) is
-- personal data, sealed at rest as members' phone numbers are: SM4-CTR + HMAC-SM3 with the key
-- file, and a masked copy (digits but the first 3 and last 4 as '*') for lists.
--
-- The plain column `contact` stays (SQLite cannot drop it in every supported version) and holds
-- '' from now on. Rows written before this migration still hold their plain text there. Sealing
-- needs the key, which SQL cannot reach, so the program does it in C: every time it opens the
-- database, right after applying migrations, it seals each row whose `contact` is not '' and
-- empties the column, in one transaction (store_mobile_seal_plain in src/store/mobile.c). Until
-- then, and for a row a server of the previous version may still write on PostgreSQL while a new
-- one starts, reads fall back to the plain value and the next write of the record seals it.

ALTER TABLE mobile_members ADD COLUMN contact_enc TEXT;    -- sealed contact (SM4-CTR + HMAC-SM3), NULL none
ALTER TABLE mobile_members ADD COLUMN contact_masked TEXT; -- 138****5678, for lists, NULL none
