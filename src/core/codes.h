/*
 * codes.h: the standard code lists (GB/T 3304 ethnicity, GB/T 4658
 * education; data from shared/domain/{ethnicity,education}.csv compiled
 * in) and the product's own enumerations with their JSON names and
 * Chinese labels.
 */
#ifndef DJ_CORE_CODES_H
#define DJ_CORE_CODES_H

#include <stddef.h>

struct code_entry {
	const char *code;  /* "01" */
	const char *name;  /* "汉族" */
	const char *level; /* education main level ("20"); NULL for ethnicity */
};

extern const struct code_entry ethnicity_codes[];
extern const size_t ethnicity_count;
extern const struct code_entry education_codes[];
extern const size_t education_count;

/* Looks up by code; NULL when unknown. */
const struct code_entry *ethnicity_by_code(const char *code);
const struct code_entry *education_by_code(const char *code);
/*
 * Looks up by the name people type in files: 汉族 or 汉, the CODE-02 aliases
 * (毛难族, 崩龙族, 乌兹别克族); for education the standard names and short
 * forms (本科, 大专, 专科, 中专, 高中, 初中, 小学, 硕士, 博士, 研究生, 大学).
 * A two-digit code is also accepted. NULL when unknown.
 */
const struct code_entry *ethnicity_by_name(const char *name);
const struct code_entry *education_by_name(const char *name);

/* A small enumeration: JSON value, Chinese label. */
struct enum_entry {
	int value;
	const char *json;
	const char *label;
};

enum gender { GENDER_NONE = 0, GENDER_MALE = 1, GENDER_FEMALE = 2 };
enum member_category {
	CAT_NONE = 0,
	CAT_IN_SERVICE,
	CAT_RETIRED,
	CAT_FARMER,
	CAT_STUDENT,
	CAT_UNEMPLOYED,
	CAT_OTHER,
};
enum member_status { STATUS_NONE = 0, STATUS_PROBATIONARY, STATUS_FULL };
enum org_type {
	ORG_TYPE_NONE = 0,
	ORG_PARTY_COMMITTEE,
	ORG_GENERAL_BRANCH,
	ORG_BRANCH,
	ORG_PARTY_GROUP,
	ORG_LEADING_GROUP,
	ORG_WORKING_COMMITTEE,
};
enum org_field {
	FIELD_NONE = 0,
	FIELD_ORGAN,
	FIELD_INSTITUTION,
	FIELD_ENTERPRISE,
	FIELD_RURAL,
	FIELD_COMMUNITY,
	FIELD_SCHOOL,
	FIELD_HOSPITAL,
	FIELD_SOCIAL,
};
enum committee_role {
	ROLE_NONE = 0,
	CROLE_SECRETARY,
	CROLE_DEPUTY_SECRETARY,
	CROLE_ORGANIZATION,
	CROLE_PUBLICITY,
	CROLE_DISCIPLINE,
	CROLE_MEMBER,
};
enum user_role { UROLE_NONE = 0, UROLE_ADMIN, UROLE_ORG_ADMIN, UROLE_SECRETARY, UROLE_MEMBER, UROLE_AUDITOR };
/*
 * Where a member record stands (RULES.md 4.3, 6.3). active and lost count as
 * members (figures, lists, dues, meetings); suspended (停止党籍), left (出党)
 * and transferred (转出系统) are kept as history and not counted.
 * 0 in a struct member means active.
 */
enum member_state {
	MSTATE_NONE = 0,
	MSTATE_ACTIVE,
	MSTATE_LOST,
	MSTATE_SUSPENDED,
	MSTATE_LEFT,
	MSTATE_TRANSFERRED,
	MSTATE_ALL = 99, /* member_query only: every state */
};

extern const struct enum_entry gender_enum[], category_enum[], status_enum[], org_type_enum[],
	org_field_enum[], committee_role_enum[], user_role_enum[], member_state_enum[];

/* Lookups over a table ending with a {0, NULL, NULL} entry. Return 0 (the NONE value) when unknown. */
int enum_from_json(const struct enum_entry *t, const char *json);
int enum_from_label(const struct enum_entry *t, const char *label);
const char *enum_json(const struct enum_entry *t, int value);  /* NULL when unknown */
const char *enum_label(const struct enum_entry *t, int value); /* NULL when unknown */

#endif
