/*
 * codes.c: the standard code lists compiled in (GB/T 3304 ethnicity and
 * GB/T 4658 education, generated once by script from
 * shared/domain/{ethnicity,education}.csv), the name lookups imports use
 * (aliases and short forms, RULES.md CODE-02), and the enumerations.
 */
#include "util/common.h"
#include "core/codes.h"
#include "core/text.h"

/* ------------------------------------------------------------ code tables */

/* Generated once from shared/domain/ethnicity.csv (GB/T 3304, 56 rows). */
const struct code_entry ethnicity_codes[] = {
	{ "01", "汉族", NULL },       { "02", "蒙古族", NULL },     { "03", "回族", NULL },
	{ "04", "藏族", NULL },       { "05", "维吾尔族", NULL },   { "06", "苗族", NULL },
	{ "07", "彝族", NULL },       { "08", "壮族", NULL },       { "09", "布依族", NULL },
	{ "10", "朝鲜族", NULL },     { "11", "满族", NULL },       { "12", "侗族", NULL },
	{ "13", "瑶族", NULL },       { "14", "白族", NULL },       { "15", "土家族", NULL },
	{ "16", "哈尼族", NULL },     { "17", "哈萨克族", NULL },   { "18", "傣族", NULL },
	{ "19", "黎族", NULL },       { "20", "傈僳族", NULL },     { "21", "佤族", NULL },
	{ "22", "畲族", NULL },       { "23", "高山族", NULL },     { "24", "拉祜族", NULL },
	{ "25", "水族", NULL },       { "26", "东乡族", NULL },     { "27", "纳西族", NULL },
	{ "28", "景颇族", NULL },     { "29", "柯尔克孜族", NULL }, { "30", "土族", NULL },
	{ "31", "达斡尔族", NULL },   { "32", "仫佬族", NULL },     { "33", "羌族", NULL },
	{ "34", "布朗族", NULL },     { "35", "撒拉族", NULL },     { "36", "毛南族", NULL },
	{ "37", "仡佬族", NULL },     { "38", "锡伯族", NULL },     { "39", "阿昌族", NULL },
	{ "40", "普米族", NULL },     { "41", "塔吉克族", NULL },   { "42", "怒族", NULL },
	{ "43", "乌孜别克族", NULL }, { "44", "俄罗斯族", NULL },   { "45", "鄂温克族", NULL },
	{ "46", "德昂族", NULL },     { "47", "保安族", NULL },     { "48", "裕固族", NULL },
	{ "49", "京族", NULL },       { "50", "塔塔尔族", NULL },   { "51", "独龙族", NULL },
	{ "52", "鄂伦春族", NULL },   { "53", "赫哲族", NULL },     { "54", "门巴族", NULL },
	{ "55", "珞巴族", NULL },     { "56", "基诺族", NULL },
};
const size_t ethnicity_count = ARRAY_SIZE(ethnicity_codes);

/* Generated once from shared/domain/education.csv (GB/T 4658-2006, 40 rows). */
const struct code_entry education_codes[] = {
	{ "10", "研究生教育", "10" },     { "11", "博士研究生毕业", "10" },
	{ "12", "博士研究生结业", "10" }, { "13", "博士研究生肄业", "10" },
	{ "14", "硕士研究生毕业", "10" }, { "15", "硕士研究生结业", "10" },
	{ "16", "硕士研究生肄业", "10" }, { "17", "研究生班毕业", "10" },
	{ "18", "研究生班结业", "10" },   { "19", "研究生班肄业", "10" },
	{ "20", "大学本科教育", "20" },   { "21", "大学本科毕业", "20" },
	{ "22", "大学本科结业", "20" },   { "23", "大学本科肄业", "20" },
	{ "28", "大学普通班毕业", "20" }, { "30", "大学专科教育", "30" },
	{ "31", "大学专科毕业", "30" },   { "32", "大学专科结业", "30" },
	{ "33", "大学专科肄业", "30" },   { "40", "中等职业教育", "40" },
	{ "41", "中等专科毕业", "40" },   { "42", "中等专科结业", "40" },
	{ "43", "中等专科肄业", "40" },   { "44", "职业高中毕业", "40" },
	{ "45", "职业高中结业", "40" },   { "46", "职业高中肄业", "40" },
	{ "47", "技工学校毕业", "40" },   { "48", "技工学校结业", "40" },
	{ "49", "技工学校肄业", "40" },   { "60", "普通高级中学教育", "60" },
	{ "61", "普通高中毕业", "60" },   { "62", "普通高中结业", "60" },
	{ "63", "普通高中肄业", "60" },   { "70", "初级中学教育", "70" },
	{ "71", "初中毕业", "70" },       { "73", "初中肄业", "70" },
	{ "80", "小学教育", "80" },       { "81", "小学毕业", "80" },
	{ "83", "小学肄业", "80" },       { "90", "其他", "90" },
};
const size_t education_count = ARRAY_SIZE(education_codes);

/* ---------------------------------------------------------------- helpers */

static bool span_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

static bool span_ends_with(const char *s, size_t n, const char *suffix, size_t *stem_out)
{
	size_t k = strlen(suffix);

	if (n <= k || memcmp(s + n - k, suffix, k))
		return false;
	*stem_out = n - k;
	return true;
}

static const struct code_entry *by_code(const struct code_entry *t, size_t n, const char *code, size_t len)
{
	if (len != 2)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!memcmp(t[i].code, code, 2))
			return &t[i];
	return NULL;
}

static const struct code_entry *by_exact_name(const struct code_entry *t, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (span_eq(s, len, t[i].name))
			return &t[i];
	return NULL;
}

const struct code_entry *ethnicity_by_code(const char *code)
{
	return code ? by_code(ethnicity_codes, ethnicity_count, code, strlen(code)) : NULL;
}

const struct code_entry *education_by_code(const char *code)
{
	return code ? by_code(education_codes, education_count, code, strlen(code)) : NULL;
}

/* ------------------------------------------------------------- ethnicity */

/* CODE-02: old or mistyped names seen in real data (stem without 族). */
static const struct {
	const char *stem;
	const char *code;
} ethnicity_aliases[] = {
	{ "毛难", "36" },     /* 毛南族 */
	{ "崩龙", "46" },     /* 德昂族 */
	{ "乌兹别克", "43" }, /* 乌孜别克族 */
};

const struct code_entry *ethnicity_by_name(const char *name)
{
	const char *s;
	size_t len, stem;
	const struct code_entry *c;

	if (!name)
		return NULL;
	s = text_trim(name, &len);
	if (len == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')
		return by_code(ethnicity_codes, ethnicity_count, s, len);
	if ((c = by_exact_name(ethnicity_codes, ethnicity_count, s, len)))
		return c;
	/* Compare stems: the input and every name without a trailing 族. */
	if (!span_ends_with(s, len, "族", &stem))
		stem = len;
	if (!stem)
		return NULL;
	for (size_t i = 0; i < ethnicity_count; i++) {
		size_t nlen = strlen(ethnicity_codes[i].name), nstem;

		if (!span_ends_with(ethnicity_codes[i].name, nlen, "族", &nstem))
			nstem = nlen;
		if (nstem == stem && !memcmp(ethnicity_codes[i].name, s, stem))
			return &ethnicity_codes[i];
	}
	for (size_t i = 0; i < ARRAY_SIZE(ethnicity_aliases); i++)
		if (span_eq(s, stem, ethnicity_aliases[i].stem))
			return ethnicity_by_code(ethnicity_aliases[i].code);
	return NULL;
}

/* ------------------------------------------------------------- education */

/*
 * Short forms people type in files. 研究生 alone is read as the commonest
 * case, a master's degree (14); 大学 alone as 本科 (21).
 */
static const struct {
	const char *name;
	const char *code;
} education_short[] = {
	{ "博士", "11" },       { "博士研究生", "11" }, { "博士生", "11" },   { "硕士", "14" },
	{ "硕士研究生", "14" }, { "硕士生", "14" },     { "研究生", "14" },   { "研究生班", "17" },
	{ "本科", "21" },       { "大学本科", "21" },   { "大学", "21" },     { "大本", "21" },
	{ "大专", "31" },       { "专科", "31" },       { "大学专科", "31" }, { "中专", "41" },
	{ "中等专科", "41" },   { "职高", "44" },       { "职业高中", "44" }, { "技校", "47" },
	{ "技工学校", "47" },   { "高中", "61" },       { "普通高中", "61" }, { "初中", "71" },
	{ "小学", "81" },
};

static const struct code_entry *education_by_short(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(education_short); i++)
		if (span_eq(s, len, education_short[i].name))
			return education_by_code(education_short[i].code);
	return NULL;
}

const struct code_entry *education_by_name(const char *name)
{
	const char *s;
	size_t len, stem;
	const struct code_entry *c;

	if (!name)
		return NULL;
	s = text_trim(name, &len);
	if (len == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')
		return by_code(education_codes, education_count, s, len);
	if ((c = by_exact_name(education_codes, education_count, s, len)))
		return c;
	if ((c = education_by_short(s, len)))
		return c;
	/* "本科毕业", "大专学历": a short form with a common suffix. */
	if (span_ends_with(s, len, "毕业", &stem) || span_ends_with(s, len, "学历", &stem))
		return education_by_short(s, stem);
	return NULL;
}

/* ------------------------------------------------------------ enumerations */

const struct enum_entry gender_enum[] = {
	{ GENDER_MALE, "male", "男" },
	{ GENDER_FEMALE, "female", "女" },
	{ 0, NULL, NULL },
};

const struct enum_entry category_enum[] = {
	{ CAT_IN_SERVICE, "in_service", "在职" },
	{ CAT_RETIRED, "retired", "离退休" },
	{ CAT_FARMER, "farmer", "农牧渔民" },
	{ CAT_STUDENT, "student", "学生" },
	{ CAT_UNEMPLOYED, "unemployed", "无固定职业" },
	{ CAT_OTHER, "other", "其他" },
	{ 0, NULL, NULL },
};

const struct enum_entry status_enum[] = {
	{ STATUS_PROBATIONARY, "probationary", "预备党员" },
	{ STATUS_FULL, "full", "正式党员" },
	{ 0, NULL, NULL },
};

const struct enum_entry member_state_enum[] = {
	{ MSTATE_ACTIVE, "active", "正常" },
	{ MSTATE_LOST, "lost", "失联" },
	{ MSTATE_SUSPENDED, "suspended", "停止党籍" },
	{ MSTATE_LEFT, "left", "已出党" },
	{ MSTATE_TRANSFERRED, "transferred", "已转出" },
	{ 0, NULL, NULL },
};

const struct enum_entry org_type_enum[] = {
	{ ORG_PARTY_COMMITTEE, "party_committee", "党委" },
	{ ORG_GENERAL_BRANCH, "general_branch", "党总支" },
	{ ORG_BRANCH, "branch", "党支部" },
	{ ORG_PARTY_GROUP, "party_group", "党小组" },
	{ ORG_LEADING_GROUP, "leading_group", "党组" },
	{ ORG_WORKING_COMMITTEE, "working_committee", "工委" },
	{ 0, NULL, NULL },
};

const struct enum_entry org_field_enum[] = {
	{ FIELD_ORGAN, "organ", "机关" },
	{ FIELD_INSTITUTION, "institution", "事业单位" },
	{ FIELD_ENTERPRISE, "enterprise", "企业" },
	{ FIELD_RURAL, "rural", "农村" },
	{ FIELD_COMMUNITY, "community", "社区" },
	{ FIELD_SCHOOL, "school", "学校" },
	{ FIELD_HOSPITAL, "hospital", "医院" },
	{ FIELD_SOCIAL, "social", "社会组织" },
	{ 0, NULL, NULL },
};

const struct enum_entry committee_role_enum[] = {
	{ CROLE_SECRETARY, "secretary", "书记" },
	{ CROLE_DEPUTY_SECRETARY, "deputy_secretary", "副书记" },
	{ CROLE_ORGANIZATION, "organization", "组织委员" },
	{ CROLE_PUBLICITY, "publicity", "宣传委员" },
	{ CROLE_DISCIPLINE, "discipline", "纪检委员" },
	{ CROLE_MEMBER, "member", "委员" },
	{ 0, NULL, NULL },
};

const struct enum_entry user_role_enum[] = {
	{ UROLE_ADMIN, "admin", "系统管理员" },       { UROLE_ORG_ADMIN, "org_admin", "党务工作者" },
	{ UROLE_SECRETARY, "secretary", "支部书记" }, { UROLE_MEMBER, "member", "党员" },
	{ UROLE_AUDITOR, "auditor", "审计员" },       { 0, NULL, NULL },
};

/* Other labels people type in files, per table. */
static const struct {
	const struct enum_entry *table;
	const char *label;
	int value;
} label_aliases[] = {
	{ gender_enum, "男性", GENDER_MALE },
	{ gender_enum, "女性", GENDER_FEMALE },
	{ status_enum, "预备", STATUS_PROBATIONARY },
	{ status_enum, "正式", STATUS_FULL },
	{ category_enum, "退休", CAT_RETIRED },
	{ category_enum, "离休", CAT_RETIRED },
	{ category_enum, "离退休人员", CAT_RETIRED },
	{ category_enum, "农牧渔民党员", CAT_FARMER },
	{ category_enum, "农民", CAT_FARMER },
	{ category_enum, "在校学生", CAT_STUDENT },
	{ category_enum, "无固定职业人员", CAT_UNEMPLOYED },
	{ org_type_enum, "基层党委", ORG_PARTY_COMMITTEE },
	{ org_type_enum, "党总支部", ORG_GENERAL_BRANCH },
	{ org_type_enum, "支部", ORG_BRANCH },
	{ org_type_enum, "联合党支部", ORG_BRANCH },
	{ org_field_enum, "城市街道", FIELD_COMMUNITY },
};

int enum_from_json(const struct enum_entry *t, const char *json)
{
	if (!json)
		return 0;
	for (; t->json; t++)
		if (!strcmp(t->json, json))
			return t->value;
	return 0;
}

static int label_exact(const struct enum_entry *t, const char *s, size_t len)
{
	for (; t->label; t++)
		if (span_eq(s, len, t->label))
			return t->value;
	return 0;
}

/*
 * Exact label first, then the aliases above, then the label with a trailing
 * 党员 removed (在职党员, 学生党员 and so on, as the categories are often
 * written). White space around the text is ignored.
 */
int enum_from_label(const struct enum_entry *t, const char *label)
{
	const char *s;
	size_t len, stem;
	int v;

	if (!label)
		return 0;
	s = text_trim(label, &len);
	if (!len)
		return 0;
	if ((v = label_exact(t, s, len)))
		return v;
	for (size_t i = 0; i < ARRAY_SIZE(label_aliases); i++)
		if (label_aliases[i].table == t && span_eq(s, len, label_aliases[i].label))
			return label_aliases[i].value;
	if (span_ends_with(s, len, "党员", &stem))
		return label_exact(t, s, stem);
	return 0;
}

const char *enum_json(const struct enum_entry *t, int value)
{
	for (; t->json; t++)
		if (t->value == value)
			return t->json;
	return NULL;
}

const char *enum_label(const struct enum_entry *t, int value)
{
	for (; t->json; t++)
		if (t->value == value)
			return t->label;
	return NULL;
}
