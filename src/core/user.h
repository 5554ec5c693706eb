/*
 * user.h: users, roles and the permission table.
 */
#ifndef DJ_CORE_USER_H
#define DJ_CORE_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/codes.h"

enum perm {
	PERM_ORG_READ = 1 << 0,
	PERM_ORG_WRITE = 1 << 1,
	PERM_MEMBER_READ = 1 << 2,
	PERM_MEMBER_WRITE = 1 << 3,
	PERM_REVEAL = 1 << 4, /* see unmasked identity and phone numbers */
	PERM_USER_ADMIN = 1 << 5,
	PERM_AUDIT_READ = 1 << 6,
	PERM_IMPORT = 1 << 7,
	PERM_SELF = 1 << 8, /* own record only */
};

struct user {
	int64_t id;
	const char *username;
	const char *display_name;
	int role; /* enum user_role */
	int64_t org_id;
	const char *org_name;
	const char *org_path;
	int64_t member_id; /* linked member record, 0 none */
	bool disabled;
	const char *locked_until; /* RFC 3339 or NULL */
	const char *created_at;
};

unsigned role_perms(int role);
static inline bool user_can(const struct user *u, enum perm p)
{
	return (role_perms(u->role) & (unsigned)p) != 0;
}
/* JSON names of the permissions a role has, for the session reply. */
int role_perm_names(int role, const char **out, int cap);

#endif
