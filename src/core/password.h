/*
 * password.h: the password policy (at least 8 characters from 3 of the 4
 * classes upper, lower, digit, symbol) and login lockout arithmetic.
 */
#ifndef DJ_CORE_PASSWORD_H
#define DJ_CORE_PASSWORD_H

#include <stdbool.h>

/* Returns NULL when acceptable, else a Chinese reason. */
const char *password_policy_check(const char *pw);

#endif
