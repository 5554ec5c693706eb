/*
 * user.c: the role to permission table (docs/api.md "Roles"). The one
 * place that says what each role may do; http/ checks it via user_can().
 */
#include "util/common.h"
#include "core/user.h"

unsigned role_perms(int role)
{
	switch (role) {
	case UROLE_ADMIN:
		return PERM_ORG_READ | PERM_ORG_WRITE | PERM_MEMBER_READ | PERM_MEMBER_WRITE | PERM_REVEAL |
		       PERM_USER_ADMIN | PERM_AUDIT_READ | PERM_IMPORT;
	case UROLE_ORG_ADMIN:
		return PERM_ORG_READ | PERM_ORG_WRITE | PERM_MEMBER_READ | PERM_MEMBER_WRITE | PERM_REVEAL |
		       PERM_USER_ADMIN | PERM_IMPORT;
	case UROLE_SECRETARY:
		return PERM_ORG_READ | PERM_MEMBER_READ | PERM_MEMBER_WRITE;
	case UROLE_MEMBER:
		return PERM_SELF;
	case UROLE_AUDITOR:
		return PERM_AUDIT_READ;
	default:
		return 0;
	}
}

static const struct {
	enum perm perm;
	const char *name;
} perm_names[] = {
	{ PERM_ORG_READ, "org_read" },
	{ PERM_ORG_WRITE, "org_write" },
	{ PERM_MEMBER_READ, "member_read" },
	{ PERM_MEMBER_WRITE, "member_write" },
	{ PERM_REVEAL, "reveal" },
	{ PERM_USER_ADMIN, "user_admin" },
	{ PERM_AUDIT_READ, "audit_read" },
	{ PERM_IMPORT, "import" },
	{ PERM_SELF, "self" },
};

/* Writes at most `cap` names in the order above; returns how many were written. */
int role_perm_names(int role, const char **out, int cap)
{
	unsigned perms = role_perms(role);
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(perm_names) && n < cap; i++)
		if (perms & (unsigned)perm_names[i].perm)
			out[n++] = perm_names[i].name;
	return n;
}
