/*
 * cmd_maint.c: the maintenance commands `dangjian backup`, `check` and
 * `audit verify`.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#include <getopt.h>
#include <unistd.h>

/* Parses the options these commands share; returns -1 on --help, else 0, or 2 on bad usage. */
static int parse(int argc, char **argv, struct config *cfg, const char *usage, bool *repair)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "key-file", required_argument, 0, 'k' },
		{ "repair", no_argument, 0, 'r' },   { "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },     { 0, 0, 0, 0 },
	};
	int c, rc;

	if ((rc = cli_config(cfg, argc, argv)))
		return rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg->db = optarg;
			break;
		case 'k':
			cfg->key_file = optarg;
			break;
		case 'c':
			break;
		case 'r':
			if (!repair)
				return cli_usage(usage);
			*repair = true;
			break;
		case 'h':
			printf("%s", usage);
			return -1;
		default:
			return cli_usage(usage);
		}
	}
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	static const char usage[] =
		"usage: dangjian backup [--db PATH] OUT\n"
		"  writes a consistent copy of the SQLite database; back up the key file separately\n";
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	int rc = parse(argc, argv, &cfg, usage, NULL);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind != 1)
		return cli_usage(usage);
	if (access(argv[optind], F_OK) == 0)
		return cli_error("'%s' already exists", argv[optind]);
	if ((rc = cli_open_store(&cfg, false, &st)))
		return rc;
	if (!(conn = store_conn(st, &e)) || store_backup(conn, argv[optind], &e) < 0)
		rc = cli_fail(&e);
	else
		printf("backup written to '%s' (the key file is not included)\n", argv[optind]);
	err_release(&e);
	store_free(st);
	return rc;
}

static int verify_audit(struct sconn *conn, struct err *e)
{
	struct audit_check ck;

	if (store_audit_verify(conn, &ck, e) < 0)
		return cli_fail(e);
	if (ck.first_bad_id) {
		fprintf(stderr, "error: audit trail broken at row %lld: %s\n", (long long)ck.first_bad_id,
			ck.reason);
		return 1;
	}
	printf("audit trail intact: %lld rows\n", (long long)ck.rows);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const char usage[] =
		"usage: dangjian check [--db PATH|URL] [--repair]\n"
		"  checks the database's integrity, the organisation figures and the audit trail;\n"
		"  --repair recomputes the figures when they differ\n";
	bool repair = false;
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	struct arena *a = arena_new();
	char *problem = NULL;
	int rc = parse(argc, argv, &cfg, usage, &repair);

	if (rc) {
		arena_free(a);
		return rc < 0 ? 0 : rc;
	}
	if (optind != argc) {
		arena_free(a);
		return cli_usage(usage);
	}
	if ((rc = cli_open_store(&cfg, false, &st)))
		goto out;
	if (!(conn = store_conn(st, &e)) || store_integrity(conn, a, &problem, &e) < 0) {
		rc = cli_fail(&e);
		goto out;
	}
	if (problem) {
		rc = cli_error("%s", problem);
		goto out;
	}
	printf("database integrity ok\n");
	{
		int64_t diffs;
		if (store_stats_verify(conn, &diffs, &e) < 0) {
			rc = cli_fail(&e);
			goto out;
		}
		if (diffs && repair) {
			if (store_stats_rebuild(conn, &e) < 0) {
				rc = cli_fail(&e);
				goto out;
			}
			printf("organisation figures recomputed (%lld rows differed)\n", (long long)diffs);
		} else if (diffs) {
			rc = cli_error("organisation figures differ from the members table in %lld rows"
				       " (run 'dangjian check --repair')",
				       (long long)diffs);
			goto out;
		}
		printf("organisation figures consistent\n");
	}
	rc = verify_audit(conn, &e);
out:
	arena_free(a);
	err_release(&e);
	store_free(st);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	static const char usage[] = "usage: dangjian audit verify [--db PATH|URL]\n"
				    "  exits 1 naming the first row that was altered, removed or inserted\n";
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	int rc = parse(argc, argv, &cfg, usage, NULL);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc - optind != 1 || strcmp(argv[optind], "verify") != 0)
		return cli_usage(usage);
	if ((rc = cli_open_store(&cfg, false, &st)))
		return rc;
	rc = (conn = store_conn(st, &e)) ? verify_audit(conn, &e) : cli_fail(&e);
	err_release(&e);
	store_free(st);
	return rc;
}
