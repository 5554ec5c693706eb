/*
 * member_columns.c: the member column table and header matching. Required
 * columns are those member_validate() needs that cannot be derived: 性别 and
 * 出生日期 follow from the identity number, 所在党组织 from the import's
 * default organisation, 转正时间 matters only for full members.
 */
#include "util/common.h"
#include "io/member_columns.h"
#include "io/table.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <strings.h>

const struct member_column member_columns[MCOL_COUNT] = {
	[MCOL_NAME] = { "姓名", "name", true, 10 },
	[MCOL_GENDER] = { "性别", "gender", false, 6 },
	[MCOL_ETHNICITY] = { "民族", "ethnicity", true, 8 },
	[MCOL_BIRTH_DATE] = { "出生日期", "birth_date", false, 12 },
	[MCOL_ID_CARD] = { "身份证号", "id_card", true, 21 },
	[MCOL_EDUCATION] = { "学历", "education", true, 14 },
	[MCOL_PHONE] = { "手机号", "phone", false, 14 },
	[MCOL_NATIVE_PLACE] = { "籍贯", "native_place", false, 12 },
	[MCOL_CATEGORY] = { "人员类别", "category", true, 10 },
	[MCOL_STATUS] = { "党员状态", "status", true, 10 },
	[MCOL_JOINED_ON] = { "入党时间", "joined_on", true, 12 },
	[MCOL_FULL_MEMBER_ON] = { "转正时间", "full_member_on", false, 12 },
	[MCOL_ORG] = { "所在党组织", "org", false, 36 },
	[MCOL_WORK_UNIT] = { "工作单位", "work_unit", false, 24 },
	[MCOL_JOB] = { "职务", "job", false, 12 },
	[MCOL_REMARKS] = { "备注", "remarks", false, 24 },
};

/* Trims ASCII white space, U+3000 and '*' marks from both ends into `sb`. */
static void header_key(const char *s, struct strbuf *sb)
{
	size_t len = strlen(s);

	for (;;) {
		if (len && strchr(" \t\r\n*", s[0]))
			s++, len--;
		else if (len >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
			s += 3, len -= 3;
		else
			break;
	}
	for (;;) {
		if (len && strchr(" \t\r\n*", s[len - 1]))
			len--;
		else if (len >= 3 && !memcmp(s + len - 3, "\xe3\x80\x80", 3))
			len -= 3;
		else
			break;
	}
	strbuf_reset(sb);
	strbuf_add(sb, s, len);
}

int member_col_by_header(const char *header)
{
	struct strbuf k = STRBUF_INIT;
	int col = -1;

	header_key(header, &k);
	for (int i = 0; i < MCOL_COUNT && k.len; i++) {
		if (!strcmp(k.buf, member_columns[i].header) || !strcasecmp(k.buf, member_columns[i].json)) {
			col = i;
			break;
		}
	}
	strbuf_release(&k);
	return col;
}

int member_colmap_build(const struct table_row *header, struct arena *a, struct member_colmap *out,
			struct err *e)
{
	struct strbuf missing = STRBUF_INIT;
	int ret = -1;

	for (int i = 0; i < MCOL_COUNT; i++) {
		out->index[i] = -1;
		out->header[i] = member_columns[i].header;
	}
	out->nunknown = 0;
	out->unknown = arena_alloc(a, (header->ncells ? header->ncells : 1) * sizeof(*out->unknown));
	for (size_t c = 0; c < header->ncells; c++) {
		const char *text = header->cells[c].text;
		int col = member_col_by_header(text);

		if (col < 0) {
			struct table_row one = { .ncells = 1, .cells = &header->cells[c] };

			if (!table_row_is_blank(&one))
				out->unknown[out->nunknown++] = text;
			continue;
		}
		if (out->index[col] >= 0) {
			err_set(e, ERR_VALIDATION, "import_invalid",
				"表头中“%s”列出现了两次（第%d列和第%zu列）", member_columns[col].header,
				out->index[col] + 1, c + 1);
			goto out;
		}
		out->index[col] = (int)c;
		out->header[col] = text;
	}
	for (int i = 0; i < MCOL_COUNT; i++) {
		if (member_columns[i].required && out->index[i] < 0)
			strbuf_addf(&missing, "%s%s", missing.len ? "、" : "", member_columns[i].header);
	}
	if (missing.len) {
		err_set(e, ERR_VALIDATION, "import_invalid", "缺少必需的列：%s", missing.buf);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&missing);
	return ret;
}
