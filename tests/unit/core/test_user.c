/*
 * test_user.c: unit tests for src/core/user.c: the role to permission
 * table and the permission names in the session reply.
 */
#include "util/common.h"
#include "core/user.h"

#include <setjmp.h>
#include <cmocka.h>

static void test_perms(void **state)
{
	struct user u = { .role = UROLE_SECRETARY };

	UNUSED(state);
	/* Every permission but PERM_SELF: bits 0..7. */
	assert_int_equal(role_perms(UROLE_ADMIN), 0xFFu);
	assert_false(role_perms(UROLE_ADMIN) & PERM_SELF);
	assert_int_equal(role_perms(UROLE_ORG_ADMIN), PERM_ORG_READ | PERM_ORG_WRITE | PERM_MEMBER_READ |
							      PERM_MEMBER_WRITE | PERM_REVEAL |
							      PERM_USER_ADMIN | PERM_IMPORT);
	assert_int_equal(role_perms(UROLE_SECRETARY), PERM_ORG_READ | PERM_MEMBER_READ | PERM_MEMBER_WRITE);
	assert_int_equal(role_perms(UROLE_MEMBER), PERM_SELF);
	assert_int_equal(role_perms(UROLE_AUDITOR), PERM_AUDIT_READ);
	assert_int_equal(role_perms(UROLE_NONE), 0);
	assert_int_equal(role_perms(42), 0);

	assert_true(user_can(&u, PERM_MEMBER_WRITE));
	assert_false(user_can(&u, PERM_ORG_WRITE));
	assert_false(user_can(&u, PERM_REVEAL));
	u.role = UROLE_AUDITOR;
	assert_true(user_can(&u, PERM_AUDIT_READ));
	assert_false(user_can(&u, PERM_MEMBER_READ));
	u.role = UROLE_ORG_ADMIN;
	assert_false(user_can(&u, PERM_AUDIT_READ));
	assert_true(user_can(&u, PERM_IMPORT));
}

static void test_names(void **state)
{
	const char *names[16];
	int n;

	UNUSED(state);
	n = role_perm_names(UROLE_ADMIN, names, 16);
	assert_int_equal(n, 8);
	assert_string_equal(names[0], "org_read");
	assert_string_equal(names[1], "org_write");
	assert_string_equal(names[2], "member_read");
	assert_string_equal(names[3], "member_write");
	assert_string_equal(names[4], "reveal");
	assert_string_equal(names[5], "user_admin");
	assert_string_equal(names[6], "audit_read");
	assert_string_equal(names[7], "import");

	n = role_perm_names(UROLE_MEMBER, names, 16);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "self");

	n = role_perm_names(UROLE_SECRETARY, names, 16);
	assert_int_equal(n, 3);
	assert_string_equal(names[2], "member_write");

	/* The cap is respected. */
	names[2] = NULL;
	n = role_perm_names(UROLE_ADMIN, names, 2);
	assert_int_equal(n, 2);
	assert_null(names[2]);
	assert_int_equal(role_perm_names(UROLE_NONE, names, 16), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perms),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
