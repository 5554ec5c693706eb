/*
 * cli.h: the subcommands (one file each) and helpers they share.
 * Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage error.
 */
#ifndef DJ_CLI_H
#define DJ_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/config.h"

struct store;
struct err;

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* Prints "error: <message>" for an err and returns 1 (the failure exit code). */
int cli_fail(const struct err *e);
/* Prints "error: ..." and returns 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "usage: ..." to stderr and returns 2. */
int cli_usage(const char *usage);
/* Opens the store named by the config (migrating it). Returns 0, or 1 after printing the error. */
int cli_open_store(const struct config *c, bool create, struct store **out);
/* The config from defaults, environment and then --config FILE if given in argv. 0 or exit code. */
int cli_config(struct config *c, int argc, char **argv);

/*
 * Fills an empty store with the deterministic demo data set (DESIGN.md):
 * organisations, members, committees and the demo logins admin and
 * secretary (password Demo@2026). Prints a summary on stdout.
 */
int demo_build(struct store *s, int members, uint64_t seed, struct err *e);

#define DEMO_PASSWORD "Demo@2026"
#define DEMO_BANNER \
	"demo logins (password " DEMO_PASSWORD "):\n" \
	"  admin      系统管理员, whole tree\n" \
	"  secretary  支部书记, one branch\n" \
	"  auditor    审计员, audit trail only\n" \
	"  member     党员, self-service (own record and dues)\n"

#endif
